"""What the registry's pages share: who may see them, paging, filter forms, Excel responses, and the
summary of a permit that lists and the detail page show."""

from dataclasses import dataclass

from django import forms

from bureau.access import ALL_SECTIONS, Viewer, section_code
from bureau.paging import page_of
from permits import rules
from permits.models import Permit

# Every section reads the registry and the ledger; a town only its own jurisdiction (R-ORG-3).
REGISTRY_SECTIONS = ALL_SECTIONS
PAGE_SIZE = 50


@dataclass(frozen=True)
class PermitSummary:
    """A permit with its derived state (R-PER-1) and expiry flag (R-PER-2)."""

    permit: Permit
    state: str
    flag: str | None

    @property
    def state_label(self) -> str:
        return rules.STATE_LABELS[self.state]


def plain_choices(filterset):
    """Selects read 全部 for "any" (django-filter's defaults are ------ and 未知)."""
    for field in filterset.form.fields.values():
        if isinstance(field, forms.NullBooleanField):
            # "unknown", not "": the widget tells the selected option by substring, and "" is in "true".
            field.widget.choices = [("unknown", "全部"), ("true", "是"), ("false", "否")]
        elif isinstance(field, forms.ModelChoiceField):
            field.empty_label = "全部"
        elif isinstance(field, forms.ChoiceField):
            field.widget.choices = [("", "全部"), *((v, label) for v, label in field.choices if v != "")]
    return filterset


def active_filters(request, filterset, *, besides=("q",)) -> int:
    """How many filters other than ``besides`` the user has set (to open the filter panel)."""
    return sum(
        1
        for name in filterset.filters
        if name not in besides and request.GET.get(name, "").strip() not in ("", "unknown")
    )


def is_town(user) -> bool:
    return Viewer.of(user).is_town


def may_keep(user, record: str) -> bool:
    """Whether ``user``'s section keeps ``record`` (R-ORG-2), to offer its forms."""
    return rules.may_keep(section_code(user), record, is_superuser=user.is_superuser)


def paginate(request, queryset, *, count: int | None = None):
    """50 rows a page, counted at most once (``bureau.paging``): ``count`` when the page's own
    counters already hold the number of rows listed."""
    return page_of(request, queryset, per_page=PAGE_SIZE, count=count)
