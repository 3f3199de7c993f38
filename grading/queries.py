"""Reads of the annual grading that the pages, the PDF and the facility panel share (R-GRD-1…5,
R-POS-1, R-CRD-1). Each costs a fixed number of queries whatever the number of holders; who may read
is checked by the views (every bureau section and the administrator; towns see nothing of grading).
"""

from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, Subquery
from django.http import Http404
from django.utils import timezone

from grading import rules
from grading.models import (
    AnnualGrading,
    CreditRecord,
    FacilityGrade,
    GradeOverride,
    GradingFact,
    GradingState,
    PositiveListEntry,
)
from permits.models import Facility


def _overrides() -> Prefetch:
    return Prefetch("overrides", queryset=GradeOverride.objects.select_related("by").order_by("at", "id"))


def gradings_with_counts() -> list[AnnualGrading]:
    """Every year's grading, newest first, each with ``counts`` (final grade → holders) and
    ``percent``; two queries (the gradings with who confirmed, the counts of all years at once)."""
    gradings = list(AnnualGrading.objects.select_related("confirmed_by", "drafted_by").order_by("-year"))
    found: dict[int, dict[str, int]] = {}
    for grading_id, grade, n in (
        FacilityGrade.objects.values_list("grading_id", "grade").annotate(n=Count("id")).order_by()
    ):
        found.setdefault(grading_id, {})[grade] = n
    for grading in gradings:
        per = found.get(grading.pk, {})
        grading.counts = {grade: per.get(grade, 0) for grade in rules.GRADE_ORDER}
        grading.percent = percent(grading)
    return gradings


def grading_of_year(year: int) -> AnnualGrading:
    """The grading of ``year`` with the people it names (one query), or 404."""
    grading = (
        AnnualGrading.objects.select_related("confirmed_by", "drafted_by", "cap_exceeded_by")
        .filter(year=year)
        .first()
    )
    if grading is None:
        raise Http404(f"{year} 年度等级评定尚未起草。")
    return grading


def percent(grading: AnnualGrading) -> int | None:
    """How far a draft has come, 0–100; None while the number of holders is not yet known."""
    if grading.state != GradingState.DRAFTING:
        return 100 if grading.total else None
    if not grading.total:
        return None
    return min(100, grading.done * 100 // grading.total)


def progress_of(grading: AnnualGrading) -> dict:
    """What the progress bar shows (static/js/grading-progress.js)."""
    return {
        "state": grading.state,
        "state_label": grading.get_state_display(),
        "done": grading.done,
        "total": grading.total,
        "percent": percent(grading),
        "error": grading.error,
    }


# The filters of the grades' list: how a grade stands against the rules' grade.
CHANGED = "overridden"
DIFFERS = "differs"


@dataclass(frozen=True)
class GradeFilter:
    grade: str = ""
    changed: str = ""
    town: int | None = None
    q: str = ""
    condition: str = ""


def grades(grading: AnnualGrading, wanted: GradeFilter | None = None):
    """The holders' grades of ``grading`` with their facility, town and the work group's changes
    (who, when), in the order of the source code. Unsliced: a page of it costs three queries (the
    count, the rows with facility and town, the changes with who made them)."""
    wanted = wanted or GradeFilter()
    rows = FacilityGrade.objects.filter(grading=grading)
    if wanted.grade:
        rows = rows.filter(grade=wanted.grade)
    if wanted.changed == CHANGED:
        rows = rows.filter(is_overridden=True)
    elif wanted.changed == DIFFERS:
        rows = rows.exclude(grade=F("rule_grade"))
    if wanted.town:
        rows = rows.filter(facility__town_id=wanted.town)
    if wanted.q:
        rows = rows.filter(
            Q(facility__name__icontains=wanted.q) | Q(facility__source_code__icontains=wanted.q)
        )
    if wanted.condition in rules.UNQUALIFIED_CONDITIONS:
        rows = rows.filter(unqualified_conditions__contains=wanted.condition)
    elif wanted.condition in rules.EXCELLENT_CONDITIONS:
        rows = rows.filter(excellent_conditions__contains=wanted.condition)
    return (
        rows.select_related("facility__town").prefetch_related(_overrides()).order_by("facility__source_code")
    )


def results(grading: AnnualGrading) -> dict[str, list[FacilityGrade]]:
    """The 优秀 (by rank) and 不合格 holders of ``grading`` with their changes, for the results PDF;
    two queries."""
    rows = (
        FacilityGrade.objects.filter(grading=grading, grade__in=[rules.EXCELLENT, rules.UNQUALIFIED])
        .select_related("facility__town")
        .prefetch_related(_overrides())
        .order_by(F("rank").asc(nulls_last=True), "facility__source_code")
    )
    found = {rules.EXCELLENT: [], rules.UNQUALIFIED: []}
    for row in rows:
        found[row.grade].append(row)
    return found


# --- one facility ---------------------------------------------------------------------------------


def facility_history(facility: Facility) -> dict:
    """A facility's grade in every year with the changes made to it, its credit ratings, its time on
    the positive list and the facts recorded about it (withdrawn ones too, marked); six queries."""
    return {
        "grades": list(
            FacilityGrade.objects.filter(facility=facility)
            .select_related("grading")
            .prefetch_related(_overrides())
            .order_by("-grading__year")
        ),
        "credit": list(
            CreditRecord.objects.filter(facility=facility)
            .select_related("recorded_by")
            .order_by("-rated_on", "-id")
        ),
        "entries": list(
            PositiveListEntry.objects.filter(facility=facility)
            .select_related("listed_by", "removed_by")
            .order_by("-listed_on", "-id")
        ),
        "facts": facility_facts(facility),
    }


def facility_facts(facility: Facility) -> list[GradingFact]:
    """The facts recorded about ``facility`` by the sections (附件2), newest first; one query."""
    return list(
        GradingFact.objects.filter(facility=facility)
        .select_related("section", "recorded_by", "withdrawn_by")
        .order_by("-occurred_on", "-id")
    )


def facility_summary(facility: Facility) -> Facility | None:
    """``facility`` with what its page's panel shows, in one query: the latest confirmed grade and
    its year, whether it is on the positive list today, and the latest credit rating with its date
    and source."""
    today = timezone.localdate()
    latest_grade = FacilityGrade.objects.filter(
        facility=OuterRef("pk"), grading__state=GradingState.CONFIRMED
    ).order_by("-grading__year")
    latest_credit = CreditRecord.objects.filter(facility=OuterRef("pk")).order_by("-rated_on", "-id")
    on_list = PositiveListEntry.objects.filter(facility=OuterRef("pk"), listed_on__lte=today).filter(
        Q(removed_on__isnull=True) | Q(removed_on__gt=today)
    )
    return (
        Facility.objects.filter(pk=facility.pk)
        .annotate(
            confirmed_grade=Subquery(latest_grade.values("grade")[:1]),
            confirmed_year=Subquery(latest_grade.values("grading__year")[:1]),
            on_positive_list=Exists(on_list),
            credit_level=Subquery(latest_credit.values("level")[:1]),
            credit_on=Subquery(latest_credit.values("rated_on")[:1]),
            credit_source=Subquery(latest_credit.values("source")[:1]),
        )
        .only("pk")
        .first()
    )
