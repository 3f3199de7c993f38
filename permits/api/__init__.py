"""The registry API under /api/v1/, one module per resource: facilities, permits and their events,
quality checks with their findings, the rectification ledger; ``serializers`` holds their shapes and
``urls`` the router that ``config.urls`` includes.

Thin, as DESIGN.md asks: reads are scoped by ``permits.queries`` (R-ORG-3: a town's staff get 404 for
another town's records, exactly as for a missing id), write bodies are type-checked by a serializer,
and every write is one service call (R-FAC-1, R-ORG-2, R-PER-1, R-PER-3). The services raise Django's
``ValidationError``, ``PermissionDenied`` and ``bureau.errors.Conflict``, which
``bureau.errors.api_exception_handler`` answers as 400 per field, 403 and 409, in Chinese.
"""
