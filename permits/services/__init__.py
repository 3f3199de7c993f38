"""Writes of the registry: one function per use case, transactional, checking the acting section."""
