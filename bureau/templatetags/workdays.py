"""Showing a deadline counted in working days (R-CAL-1): ``{% deadline item.deadline_on item.deadline_provisional %}``
prints the date and, when it is provisional, a 暂定 badge whose tooltip says why."""

from django import template
from django.template.loader import render_to_string
from django.utils.dateformat import format as format_date
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def deadline(on, is_provisional=False, date_format="Y-m-d"):
    """The date in ``date_format``, followed by the 暂定 badge when ``is_provisional``."""
    if not on:
        return ""
    text = format_html("{}", format_date(on, date_format))
    if not is_provisional:
        return text
    return mark_safe(f"{text} {render_to_string('bureau/_provisional.html').strip()}")
