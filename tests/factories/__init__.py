"""Test data built as production builds it: through each app's services.

One module per app (``bureau``, ``permits``, ``imports`` for the platform's export files, ``linkage``,
``complaints``); each thing has one way to be built. Import from the app's module, e.g.
``from tests.factories.permits import FacilityFactory``.
"""
