"""Kept for the apps above ``permits`` that import ``KnownFieldsOnly`` from here (``linkage``); the
registry's serializers live in ``permits.api.serializers``."""

from permits.api.serializers import KnownFieldsOnly

__all__ = ["KnownFieldsOnly"]
