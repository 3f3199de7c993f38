"""Writes of 三监联动: one function per use case, transactional, checking the acting department."""
