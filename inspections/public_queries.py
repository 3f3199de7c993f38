"""The reads of the public random-check pages (R-INS-5, R-PUB-1): what anyone may see of a draw, without
login. Everything here is for an anonymous citizen, so it hands out only what is published:

- of every draw, cancelled ones included (so a draw cannot be quietly redone), its parameters, the
  pool's fingerprint, the pool's size, the officer count and the seed's commitment;
- from the inspection date of a drawn draw (``services.draws.is_public``) also the seed, the pool file
  and the selection (units with their officers' names and certificate numbers);
- of each drawn unit whose inspection is signed, the result: date, mode, how many problems of each
  class of 004 三 and how they were handled — never the inspection's answers, notes or photos.

Units involving state secrets (``Facility.is_confidential``, 003 第十九条) never appear: draw pools
already leave them out, and these queries filter them once more. Each read is a fixed number of
queries whatever the number of draws or units.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.db.models.functions import Coalesce

from bureau.models import Town
from inspections.models import (
    Disposition,
    DrawItem,
    DrawState,
    Finding,
    FindingKind,
    InspectionState,
    RandomDraw,
)
from inspections.services.draws import is_public
from permits.models import ManagementLevel

PAGE_SIZE = 20
# The fields of a draw a public page may read: never the seed (it is read apart, and only once public).
PUBLIC_FIELDS = (
    "id",
    "number",
    "year",
    "title",
    "mode",
    "levels",
    "towns",
    "industry_prefixes",
    "exclude_recent_days",
    "exclude_positive_list",
    "avoid_own_town",
    "sample_percent",
    "sample_size",
    "inspect_from",
    "inspect_until",
    "pool_hash",
    "unit_count",
    "officer_count",
    "commitment",
    "state",
    "created_at",
    "drawn_at",
    "cancel_reason",
)


@dataclass
class PublicDraw:
    """A draw as the public sees it; ``published`` says whether the seed, pool and selection are."""

    draw: RandomDraw
    levels: list[str]
    towns: list[str]
    industries: str
    published: bool
    seed: str = ""
    items: list = field(default_factory=list)

    @property
    def filter_words(self) -> str:
        parts = ["管理类别：" + "、".join(self.levels)]
        parts.append("街镇：" + ("、".join(self.towns) if self.towns else "全区"))
        parts.append("行业：" + self.industries)
        return "；".join(parts)


@dataclass
class PublicResult:
    """The published result of one drawn unit's signed inspection."""

    inspected_on: date
    mode: str
    problems: int
    kinds: list[tuple[str, int]]
    dispositions: list[tuple[str, int]]

    @property
    def conclusion(self) -> str:
        return f"发现问题 {self.problems} 项" if self.problems else "未发现问题"


@dataclass
class PublicItem:
    position: int
    unit_name: str
    unit_code: str
    officers: list[tuple[str, str]]  # (name, certificate number)
    result: PublicResult | None
    officer_change: str = ""  # who inspected instead of the drawn pair, and why


@dataclass
class PublicationRate:
    """抽查结果公开率 of a year (R-INS-5, target 100%): of the units drawn in the year's draws whose
    inspection period has ended or whose inspection is signed (``due``), those whose result is
    published (``published``: the inspection is signed, so its result is on the draw's page)."""

    year: int
    due: int
    published: int

    @property
    def percent(self) -> int | None:
        return None if not self.due else self.published * 100 // self.due


def _level_labels(codes) -> list[str]:
    labels = dict(ManagementLevel.choices)
    return [str(labels.get(code, code)) for code in codes]


def _industry_words(prefixes) -> str:
    if not prefixes:
        return "不限"
    return "行业类别代码以 " + "、".join(prefixes) + " 开头"


def _town_names(draws) -> dict[str, str]:
    codes = {code for draw in draws for code in draw.towns}
    if not codes:
        return {}
    return dict(Town.objects.filter(code__in=codes).values_list("code", "name"))


def _public(draw: RandomDraw, names: dict[str, str], today: date) -> PublicDraw:
    return PublicDraw(
        draw=draw,
        levels=_level_labels(draw.levels),
        towns=[names.get(code, code) for code in draw.towns],
        industries=_industry_words(draw.industry_prefixes),
        published=is_public(draw, today),
    )


def draw_years() -> list[int]:
    """The years that have draws, newest first (one query)."""
    return list(RandomDraw.objects.order_by("-year").values_list("year", flat=True).distinct())


def draw_page(year: int | None, page_number, today: date):
    """One page of the year's draws (all years when ``year`` is None), newest first, as ``PublicDraw``
    rows in ``page.object_list``: three queries (count, page, towns' names)."""
    queryset = RandomDraw.objects.only(*PUBLIC_FIELDS).order_by("-year", "-sequence")
    if year is not None:
        queryset = queryset.filter(year=year)
    page = Paginator(queryset, PAGE_SIZE).get_page(page_number)
    draws = list(page.object_list)
    names = _town_names(draws)
    page.object_list = [_public(draw, names, today) for draw in draws]
    return page


_SIGNED = Q(inspection__state=InspectionState.SIGNED, result_published_on__isnull=False)


def _due_items(today: date):
    """The drawn units whose result is due by ``today`` (see ``PublicationRate``)."""
    return DrawItem.objects.filter(draw__state=DrawState.DRAWN, facility__is_confidential=False).filter(
        Q(draw__inspect_until__lt=today) | _SIGNED
    )


def publication_rate(year: int, today: date) -> PublicationRate:
    """The year's 抽查结果公开率 (one query): see ``PublicationRate``."""
    counts = (
        _due_items(today)
        .filter(draw__year=year)
        .aggregate(due=Coalesce(Count("id"), 0), published=Coalesce(Count("id", filter=_SIGNED), 0))
    )
    return PublicationRate(year=year, due=counts["due"], published=counts["published"])


def publication_rates(today: date) -> list[PublicationRate]:
    """The 抽查结果公开率 of every year that has drawn draws, newest first (one query): the same count as
    ``publication_rate``, grouped by year; a year whose results are not yet due shows 0 of 0."""
    years = (
        DrawItem.objects.filter(draw__state=DrawState.DRAWN, facility__is_confidential=False)
        .values("draw__year")
        .annotate(
            due=Count("id", filter=Q(draw__inspect_until__lt=today) | _SIGNED),
            published=Count("id", filter=_SIGNED),
        )
        .order_by("-draw__year")
    )
    return [
        PublicationRate(year=row["draw__year"], due=row["due"], published=row["published"]) for row in years
    ]


def _results(items: list[DrawItem]) -> dict[int, PublicResult]:
    """The results of the items whose inspection is signed: counts only (one query)."""
    signed = {
        item.inspection_id: item.inspection
        for item in items
        if item.inspection_id and item.inspection.state == InspectionState.SIGNED
    }
    kinds, dispositions, totals = {}, {}, Counter()
    for inspection_id, kind, disposition in Finding.objects.filter(
        inspection_id__in=list(signed)
    ).values_list("inspection_id", "kind", "disposition"):
        totals[inspection_id] += 1
        kinds.setdefault(inspection_id, Counter())[kind] += 1
        dispositions.setdefault(inspection_id, Counter())[disposition] += 1
    kind_labels, disposition_labels = dict(FindingKind.choices), dict(Disposition.choices)
    results = {}
    for inspection_id, inspection in signed.items():
        found_kinds = kinds.get(inspection_id, Counter())
        found_dispositions = dispositions.get(inspection_id, Counter())
        results[inspection_id] = PublicResult(
            inspected_on=inspection.inspected_on,
            mode=inspection.get_mode_display(),
            problems=totals[inspection_id],
            kinds=[
                (str(label), found_kinds[code]) for code, label in kind_labels.items() if found_kinds[code]
            ],
            dispositions=[
                (str(label), found_dispositions[code])
                for code, label in disposition_labels.items()
                if code and found_dispositions[code]
            ],
        )
    return results


def draw_detail(number: str, today: date) -> PublicDraw | None:
    """The public view of draw ``number``, or None when there is none. Two queries before the draw is
    public (the draw, the towns' names when it names towns); five after (also the items with their
    units and inspections, their officers, the findings' counts)."""
    draw = RandomDraw.objects.only(*PUBLIC_FIELDS).filter(number=number[:20]).first()
    if draw is None:
        return None
    public = _public(draw, _town_names([draw]), today)
    if not public.published:
        return public
    # Only now is the seed read: it never reaches a page before the inspection date.
    public.seed = RandomDraw.objects.filter(pk=draw.pk).values_list("seed", flat=True).get()
    items = list(
        DrawItem.objects.filter(draw=draw, facility__is_confidential=False)
        .select_related("facility", "inspection")
        .only(
            "id",
            "position",
            "inspection_id",
            "officer_change",
            "facility__name",
            "facility__source_code",
            "inspection__state",
            "inspection__inspected_on",
            "inspection__mode",
        )
        .prefetch_related("officers")
        .order_by("position")
    )
    results = _results(items)
    public.items = [
        PublicItem(
            position=item.position,
            unit_name=item.facility.name,
            unit_code=item.facility.source_code,
            officers=[(officer.name, officer.certificate_no) for officer in item.officers.all()],
            result=results.get(item.inspection_id),
            officer_change=item.officer_change if item.inspection_id in results else "",
        )
        for item in items
    ]
    return public


def pool_file(number: str, today: date) -> str | None:
    """The pool file of draw ``number`` once the draw is public, else None (one query)."""
    draw = (
        RandomDraw.objects.only("id", "state", "inspect_from", "pool_text").filter(number=number[:20]).first()
    )
    if draw is None or not is_public(draw, today):
        return None
    return draw.pool_text
