"""双随机一公开 on public pages without login (R-INS-5, R-PUB-1): the draws, their verification data and,
from the inspection date, the selection and results; the pool file and the sampling script as downloads.

GET (and HEAD) only; anything else is 405. The views are exempt from the CSRF check because they
accept no submission at all: a POST is answered 405 rather than a CSRF 403. Every read goes through
``inspections.public_queries``, which hands out only what is published."""

from pathlib import Path

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from bureau import sampling
from inspections import public_queries

SCRIPT = Path(sampling.__file__)


def public_view(view):
    return csrf_exempt(require_safe(view))


def not_found(request, message: str):
    return render(request, "public/404.html", {"message": message}, status=404)


def _year(value) -> int | None:
    text = str(value or "").strip()
    if text.isascii() and text.isdigit() and len(text) == 4:
        return int(text)
    return None


@public_view
def index(request):
    return render(request, "public/index.html", {})


@public_view
def draw_list(request):
    today = timezone.localdate()
    years = public_queries.draw_years()
    asked = request.GET.get("year")
    year = _year(asked) if asked not in (None, "") else (today.year if today.year in years else None)
    if asked == "all":
        year = None
    page = public_queries.draw_page(year, request.GET.get("page"), today)
    rate = public_queries.publication_rate(year or today.year, today)
    return render(
        request,
        "public/draw_list.html",
        {"page": page, "years": years, "year": year, "rate": rate, "today": today},
    )


@public_view
def draw_detail(request, number):
    today = timezone.localdate()
    public = public_queries.draw_detail(number, today)
    if public is None:
        return not_found(request, f"没有编号为“{number[:20]}”的双随机抽查。")
    context = {"public": public, "draw": public.draw, "today": today}
    if public.published:
        context["verify_data"] = {
            "number": public.draw.number,
            "poolHash": public.draw.pool_hash,
            "commitment": public.draw.commitment,
            "seed": public.seed,
            "selection": [
                {"unit": item.unit_code, "officers": sorted(cert for _, cert in item.officers)}
                for item in public.items
            ],
        }
    return render(request, "public/draw_detail.html", context)


@public_view
def draw_pool(request, number):
    text = public_queries.pool_file(number, timezone.localdate())
    if text is None:
        return not_found(request, "该抽查的抽取池文件尚未公开或不存在：抽取池在检查开始日起公开。")
    response = HttpResponse(text, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{number[:20]}-pool.txt"'
    return response


@public_view
def sampling_script(request):
    response = HttpResponse(SCRIPT.read_text(encoding="utf-8"), content_type="text/x-python; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="sampling.py"'
    return response
