"""The pager of every list page: a page of rows and the number of them, counted at most once.

Django's ``Paginator`` counts the rows (one ``COUNT``) before it reads the page (one query with
``LIMIT``/``OFFSET``), and caches the count for the template's 「共 N 项」 and 「第 x / y 页」. What a
list page must not do is count again: a separate ``.count()``, ``|length`` or ``.count`` on the
queryset in the template, or a page whose own counters (per state, per town) already hold the total.
``page_of`` takes that total as ``count`` and then runs no ``COUNT`` at all; a page number out of range
(or not a number) shows the last page or the first, as ``Paginator.get_page`` does.

Every app's list views use it (``from bureau.paging import page_of``); a page's query budget is then:
its own queries, one count unless it passed ``count``, one page of rows, and its prefetches.
"""

from django.core.paginator import Page, Paginator
from django.utils.functional import cached_property

PAGE_SIZE = 50


class KnownCountPaginator(Paginator):
    """A ``Paginator`` told the number of rows when the page already knows it (no ``COUNT`` then)."""

    def __init__(self, object_list, per_page, *, count: int | None = None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        if self._known_count is not None:
            return self._known_count
        return super().count


def page_of(request, rows, *, per_page: int = PAGE_SIZE, count: int | None = None, param: str = "page") -> Page:
    """The page of ``rows`` that ``request.GET[param]`` asks for, ``per_page`` rows a page. ``count``:
    the number of ``rows`` when the caller already has it (from a counter it shows), so the pager does
    not count them again; it must be exactly that number. At most one ``COUNT`` and one page query."""
    return KnownCountPaginator(rows, per_page, count=count).get_page(request.GET.get(param))
