"""Template helpers of the grading pages, and the facility page's 等级评定 panel, which
``permits/facility_detail.html`` includes so that permits never imports grading (DESIGN.md, Layout)."""

from django import template

from bureau.access import Viewer
from grading import queries, rules
from permits.models import CreditRating

register = template.Library()

BADGES = {rules.EXCELLENT: "green", rules.QUALIFIED: "blue", rules.UNQUALIFIED: "red"}


@register.filter
def grade_label(code: str) -> str:
    """优秀 / 合格 / 不合格 for a grade code; the code itself when unknown."""
    return rules.GRADE_LABELS.get(code, code or "")


@register.filter
def grade_badge(code: str) -> str:
    """The badge colour of a grade (app.css ``.badge.green|blue|red``)."""
    return BADGES.get(code, "kind")


@register.filter
def credit_label(code: str) -> str:
    """环保诚信 … for a credit level code."""
    return dict(CreditRating.choices).get(code or "", code)


@register.filter
def record_value(record: dict, key: str) -> int:
    """One figure of a grade's year record (``FacilityGrade.record``); 0 when absent."""
    return (record or {}).get(key, 0)


@register.simple_tag(takes_context=True)
def facility_grading(context, facility) -> dict | None:
    """The panel of ``facility`` for bureau staff (towns see nothing of grading): the latest confirmed
    grade, whether it is on the positive list today, the latest credit rating (one query) and the
    facts the sections recorded about it (one query). None for anyone else, at no query."""
    if not Viewer.of(context["request"].user).is_bureau:
        return None
    return {"summary": queries.facility_summary(facility), "facts": queries.facility_facts(facility)}
