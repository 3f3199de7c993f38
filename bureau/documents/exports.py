"""Every list page's Excel export (issue 13): the rows the page lists, with its current filters and the
rights of the person who asks, through one mechanism.

An app registers an ``Export`` naming its columns and a ``source(user, params)`` that returns the count
and the rows, scoped by the same ``visible_*`` query and filters the page uses (R-ORG-3: a town's export
holds its town only). ``respond`` writes a small export at once; one of more than ``EXPORT_SYNC_ROWS``
rows becomes a background job with a progress bar (``bureau.documents.jobs``), so no web worker is held
while 100,000 rows are written.
"""

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.http import QueryDict
from django.shortcuts import redirect
from django.utils import timezone

from bureau.documents import excel, jobs

# Query parameters that choose a page or a format, not rows.
NOT_FILTERS = {"page", "export", "format", "per_page"}
# Rows read per query by every export's source (``.iterator(chunk_size=EXPORT_CHUNK)``).
EXPORT_CHUNK = 2000
PROGRESS_EVERY = 1000


@dataclass(frozen=True)
class Rows:
    count: int
    rows: Iterable[Sequence]


@dataclass(frozen=True)
class Export:
    key: str  # "complaints.list"
    title: str  # the sheet's title and the file's name: "信访投诉"
    columns: Sequence[tuple[str, int]]  # (header, width)
    source: Callable[[object, QueryDict], Rows]
    may_request: Callable[[object], bool] = lambda user: user.is_authenticated


_EXPORTS: dict[str, Export] = {}


def register(export: Export) -> None:
    """Add an export and its background kind ``export:<key>``."""
    _EXPORTS[export.key] = export
    jobs.register(
        jobs.DocumentKind(
            key=f"export:{export.key}",
            label=f"{export.title}（Excel）",
            build=lambda user, params, progress: _build(export, user, _query(params), progress),
            may_request=export.may_request,
        )
    )


def filters_of(query: QueryDict) -> dict[str, list[str]]:
    """The page's filters as plain JSON (kept on a background job)."""
    return {k: query.getlist(k) for k in query if k not in NOT_FILTERS}


def _query(params: dict[str, list[str]]) -> QueryDict:
    query = QueryDict(mutable=True)
    for key, values in params.items():
        query.setlist(key, [str(v) for v in values])
    return query


def filename(title: str) -> str:
    return f"{title}-{timezone.localdate():%Y%m%d}.xlsx"


def _counted(rows: Iterable[Sequence], total: int, progress: jobs.Progress) -> Iterator[Sequence]:
    progress(0, total)
    done = 0
    for row in rows:
        yield row
        done += 1
        if done % PROGRESS_EVERY == 0:
            progress(done, total)


def _build(export: Export, user, query: QueryDict, progress: jobs.Progress) -> jobs.Built:
    data = export.source(user, query)
    output = excel.write_workbook(export.title, export.columns, _counted(data.rows, data.count, progress))
    return jobs.Built(output, filename(export.title), excel.XLSX_CONTENT_TYPE)


def respond(request, key: str):
    """The export ``key`` of what ``request``'s page lists: the workbook at once, or (above
    ``settings.EXPORT_SYNC_ROWS`` rows) a redirect to the background job's progress page."""
    export = _EXPORTS[key]
    query = _query(filters_of(request.GET))
    data = export.source(request.user, query)
    if data.count > settings.EXPORT_SYNC_ROWS:
        job = jobs.start(
            kind=f"export:{key}",
            params=filters_of(request.GET),
            title=f"{export.title}（{data.count} 行）",
            by=request.user,
        )
        return redirect("document-detail", pk=job.pk)
    output = excel.write_workbook(export.title, export.columns, data.rows)
    return excel.xlsx_response(output, filename(export.title))
