"""Reads of 双随机一公开 for the bureau's pages (R-INS-5), each in a fixed number of queries. Who may see
a draw's selection is ``services.draws.may_see_selection``; the pages ask it before reading one."""

from django.db.models import Exists, OuterRef, Prefetch
from django.shortcuts import get_object_or_404
from django.utils import timezone

from bureau.models import Town
from inspections.models import (
    AnnualPlan,
    DrawItem,
    DrawOfficer,
    Inspection,
    InspectionState,
    OfficerConflict,
    RandomDraw,
)
from permits.models import ManagementLevel

LEVELS = dict(ManagementLevel.choices)


def draws():
    """Every draw, newest first (the bureau sees them all; the towns none)."""
    return RandomDraw.objects.order_by("-year", "-sequence")


def town_names() -> dict[str, str]:
    """Town names by code, to show the towns a draw names. One query."""
    return dict(Town.objects.values_list("code", "name"))


def describe(draw: RandomDraw, towns: dict[str, str]) -> None:
    """Labels of a draw's filter for the page: ``level_labels``, ``town_labels``."""
    draw.level_labels = [LEVELS.get(level, level) for level in draw.levels]
    draw.town_labels = [towns.get(code, code) for code in draw.towns]


def draw_detail(pk) -> RandomDraw:
    return get_object_or_404(RandomDraw.objects.select_related("created_by", "drawn_by"), pk=pk)


def draw_for_update(pk) -> RandomDraw:
    return get_object_or_404(RandomDraw, pk=pk)


def draw_officers(draw: RandomDraw) -> list[DrawOfficer]:
    return list(DrawOfficer.objects.filter(draw=draw).order_by("certificate_no"))


def selection(draw: RandomDraw) -> list[DrawItem]:
    """The units drawn in order with their town, officers and inspection, each marked when one of its
    officers has since declared a conflict with the unit (回避: the pair must change, with its reason).
    Two queries."""
    conflict = OfficerConflict.objects.filter(
        is_active=True,
        facility_id=OuterRef("facility_id"),
        officer_id__in=DrawOfficer.objects.filter(items=OuterRef(OuterRef("pk"))).values("user_id"),
    )
    return list(
        DrawItem.objects.filter(draw=draw)
        .annotate(has_conflict=Exists(conflict))
        .select_related("facility__town", "inspection")
        .prefetch_related(Prefetch("officers", queryset=DrawOfficer.objects.order_by("certificate_no")))
        .order_by("position")
    )


def item_for_inspection(pk) -> DrawItem | None:
    """A drawn unit with no inspection yet, to start one from (``?draw_item=``). One query."""
    return (
        DrawItem.objects.filter(pk=pk, inspection__isnull=True, draw__state="drawn")
        .select_related("draw", "facility")
        .prefetch_related("officers")
        .first()
    )


def conflicts():
    """Officers' conflicts, active first, with who and what. One query a page."""
    return OfficerConflict.objects.select_related("officer", "facility", "town", "recorded_by").order_by(
        "-is_active", "-declared_on", "-id"
    )


def registered_owed(year: int | None = None) -> dict:
    """R-INS-3's yearly sample of registered units against what is done (two queries): the at least 20%
    the year's plan requires and the distinct registered units inspected (signed) this year, so a draw
    is sized to what is still owed (its share is of the pool left after the exclusions)."""
    year = year or timezone.localdate().year
    plan = AnnualPlan.objects.filter(year=year).values("registered_count", "registered_sample").first()
    inspected = (
        Inspection.objects.filter(
            state=InspectionState.SIGNED,
            inspected_on__year=year,
            facility__management_level=ManagementLevel.REGISTERED,
        )
        .values("facility_id")
        .distinct()
        .count()
    )
    required = plan["registered_sample"] if plan else None
    return {
        "year": year,
        "count": plan["registered_count"] if plan else None,
        "required": required,
        "inspected": inspected,
        "left": None if required is None else max(required - inspected, 0),
    }
