"""Public disclosure without login (R-PUB-1; 002 十六、二十一, 000 四1, 003 第十九条), next to the random-check
pages: permit holders and their permits' validity, the penalties the bureau decided, the typical cases,
the yearly published share of random-check results; and the same data as JSON under ``/public/api/``.

GET (and HEAD) only, anything else 405; exempt from the CSRF check because nothing is submitted (a
POST is answered 405, not a CSRF 403). A bad page number or filter is ignored, never a 500. Every read
goes through ``reports.public_queries``, which leaves out units involving state secrets and hands out
public fields only."""

from dataclasses import asdict
from datetime import date
from decimal import Decimal

from django.core.paginator import Page
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone

from bureau.web import record_id
from reports import public_queries
from reports.views.public import not_found, public_view


def _context(page: Page, filters: public_queries.Filters, towns: dict[str, str], **extra) -> dict:
    return {"page": page, "filters": filters, "towns": towns, **extra}


@public_view
def permit_list(request):
    """持证单位及许可证有效期: three queries (towns, count, page)."""
    towns = public_queries.towns()
    filters = public_queries.clean_filters(request.GET, towns)
    page = public_queries.permit_page(filters, request.GET.get("page"), timezone.localdate())
    return render(request, "public/permit_list.html", _context(page, filters, towns))


@public_view
def penalty_list(request):
    """行政处罚信息: three queries (towns, count, page)."""
    towns = public_queries.towns()
    filters = public_queries.clean_filters(request.GET, towns)
    page = public_queries.penalty_page(filters, request.GET.get("page"))
    return render(request, "public/penalty_list.html", _context(page, filters, towns))


@public_view
def typical_case_list(request):
    """典型案例 (002 十六): two queries (count, page)."""
    filters = public_queries.clean_filters(request.GET, {})
    page = public_queries.typical_case_page(filters, request.GET.get("page"))
    return render(request, "public/typical_case_list.html", {"page": page, "filters": filters})


@public_view
def typical_case_detail(request, pk):
    """One typical case in force: one query; 404 alike for missing, withdrawn and confidential."""
    typical = public_queries.typical_case(record_id(pk)) if record_id(pk) else None
    if typical is None:
        return not_found(request, "没有该典型案例，或该案例已撤回。")
    return render(request, "public/typical_case_detail.html", {"typical": typical})


@public_view
def rates(request):
    """抽查结果公开率 by year (000 四1: target 100%): one query."""
    today = timezone.localdate()
    return render(
        request, "public/rates.html", {"rates": public_queries.publication_rates(today), "today": today}
    )


# The JSON API ------------------------------------------------------------------------------------------


def _plain(value):
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _row(item) -> dict:
    return {key: _plain(value) for key, value in asdict(item).items()}


def _json_page(page: Page) -> JsonResponse:
    """A page as ``{count, page, pages, page_size, results}``: ``page`` is the page actually served (a
    page number out of range gives the last page, an unreadable one the first)."""
    return JsonResponse(
        {
            "count": page.paginator.count,
            "page": page.number,
            "pages": page.paginator.num_pages,
            "page_size": page.paginator.per_page,
            "results": [_row(item) for item in page.object_list],
        },
        json_dumps_params={"ensure_ascii": False},
    )


@public_view
def api_permits(request):
    """``?q=`` name or credit code, ``?town=`` town code, ``?page=``: three queries."""
    towns = public_queries.towns()
    filters = public_queries.clean_filters(request.GET, towns)
    return _json_page(public_queries.permit_page(filters, request.GET.get("page"), timezone.localdate()))


@public_view
def api_penalties(request):
    """``?q=``, ``?town=``, ``?year=`` of the decision, ``?page=``: three queries."""
    towns = public_queries.towns()
    filters = public_queries.clean_filters(request.GET, towns)
    return _json_page(public_queries.penalty_page(filters, request.GET.get("page")))


@public_view
def api_typical_cases(request):
    """``?year=`` of publication, ``?page=``: two queries."""
    filters = public_queries.clean_filters(request.GET, {})
    return _json_page(public_queries.typical_case_page(filters, request.GET.get("page")))


@public_view
def api_rates(request):
    """Every year's published share, newest first: one query."""
    rows = [
        {
            "year": rate.year,
            "due": rate.due,
            "published": rate.published,
            "percent": rate.percent,
            "target": 100,
        }
        for rate in public_queries.publication_rates(timezone.localdate())
    ]
    return JsonResponse({"count": len(rows), "results": rows}, json_dumps_params={"ensure_ascii": False})
