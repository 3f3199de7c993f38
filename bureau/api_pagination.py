"""The pagination of every API list (``REST_FRAMEWORK["DEFAULT_PAGINATION_CLASS"]``): pages of 50 by
``?page=``, answered as ``{count, next, previous, results}``, with a count whose cost does not grow with
the rows (issue 15).

Counting 200,000 tasks or 100,000 facilities on every page is what held the API lists to a fraction of a
trivial view's throughput. So the count is exact, and fresh, while the list holds at most
``EXACT_UP_TO`` rows, found by counting at most that many rows plus one; a longer list is counted in
full once and that count is reused for ``LARGE_COUNT_SECONDS`` by every request asking the same query
(same view, user, filters and day), so it may lag the rows added or removed in that time. The schema
says so under ``count``.
"""

import hashlib

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.functional import cached_property
from rest_framework.pagination import PageNumberPagination

EXACT_UP_TO = 1000
LARGE_COUNT_SECONDS = 60
COUNT_DESCRIPTION = (
    f"总条数。不超过 {EXACT_UP_TO} 条时为实时计数；超过时为同一查询不超过 {LARGE_COUNT_SECONDS} 秒前的计数"
    "（其间新增或删除的记录可能尚未计入）。"
)


def count_key(queryset: QuerySet) -> str:
    """The cache key of ``queryset``'s count: its SQL and parameters, which hold the viewer's scope
    (section, town), the filters and the day a filter compared with."""
    sql, params = queryset.order_by().query.sql_with_params()
    digest = hashlib.sha256(repr((queryset.db, sql, params)).encode("utf-8")).hexdigest()
    return f"api-count:{digest}"


class BoundedCountPaginator(Paginator):
    """Django's paginator with the bounded count above; the rows of a page are always read afresh."""

    exact_up_to = EXACT_UP_TO

    def __init__(self, *args, count_key: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.count_key = count_key

    @cached_property
    def count(self) -> int:
        rows = self.object_list
        if not isinstance(rows, QuerySet):
            return super().count
        key = self.count_key or count_key(rows)
        large = cache.get(key)
        if large is not None:
            return large
        # Ordering does not change a count; without it the database stops after exact_up_to + 1 rows.
        bounded = rows.order_by()[: self.exact_up_to + 1].count()
        if bounded <= self.exact_up_to:
            return bounded
        large = rows.count()
        cache.set(key, large, LARGE_COUNT_SECONDS)
        return large

    def page(self, number):
        # The rows of a page are read afresh whatever the count says: Django's Paginator cuts the last
        # page at the count, which may lag here. The same slice as Django's without orphans (DRF's).
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        return self._get_page(self.object_list[bottom : bottom + self.per_page], number, self)


def request_count_key(request, view) -> str:
    """The cache key of a list's count from what decides it without compiling its SQL: the view, the
    path (a nested list names its parent there), the user (whose section and town scope it), the query
    parameters but the page, and the day."""
    params = sorted((k, tuple(v)) for k, v in request.query_params.lists() if k != "page")
    parts = (type(view).__qualname__, request.path, request.user.pk, params, str(timezone.localdate()))
    return "api-count:" + hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()


class BureauPagination(PageNumberPagination):
    def paginate_queryset(self, queryset, request, view=None):
        self.count_key = request_count_key(request, view) if view is not None else None
        return super().paginate_queryset(queryset, request, view)

    def django_paginator_class(self, object_list, per_page):
        # Called by DRF's paginate_queryset as a class would be; the paginator gets the request's key.
        return BoundedCountPaginator(object_list, per_page, count_key=self.count_key)

    def get_paginated_response_schema(self, schema):
        described = super().get_paginated_response_schema(schema)
        described["properties"]["count"] = {**described["properties"]["count"], "description": COUNT_DESCRIPTION}
        return described
