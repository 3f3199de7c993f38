"""Panels other apps' pages show through a template include, so that they never import inspections
(DESIGN.md, Layout): the facility page's 现场检查 panel."""

from django import template

from bureau.access import section_code
from inspections import queries, rules
from permits.queries import facility_label

register = template.Library()


@register.simple_tag(takes_context=True)
def facility_inspections(context, facility) -> dict:
    """The inspections of ``facility`` the viewer may see, newest first, with their finding counts (one
    query), and whether the viewer may start one (执法大队)."""
    user = context["request"].user
    return {
        "rows": queries.facility_inspections(user, facility),
        "may_start": section_code(user) == rules.INSPECTING_SECTION,
        "facility_label": facility_label(facility),
    }
