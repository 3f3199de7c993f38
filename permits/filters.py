"""The facility and rectification filters, shared by pages, API and Excel exports."""

from datetime import timedelta

import django_filters
from django.db.models import Q
from django.utils import timezone

from bureau.models import Town
from bureau.web import MAX_ID
from permits import rules
from permits.models import (
    Facility,
    ManagementLevel,
    Permit,
    PermitState,
    RectificationItem,
    RectificationSource,
)
from permits.queries import facility_matching, permits_in_state, valid_permits


class FacilityFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="名称、信用代码或污染源编码")
    town = django_filters.ModelChoiceFilter(queryset=Town.objects.all(), label="街镇")
    management_level = django_filters.ChoiceFilter(choices=ManagementLevel.choices, label="管理类别")
    industry = django_filters.CharFilter(
        field_name="industry_code", lookup_expr="startswith", label="行业代码"
    )
    is_key_industry = django_filters.BooleanFilter(
        field_name="key_industry", lookup_expr="isnull", exclude=True, label="重点行业"
    )
    permit_state = django_filters.ChoiceFilter(
        choices=PermitState.choices, method="by_permit_state", label="许可证状态"
    )
    expiring = django_filters.BooleanFilter(method="by_expiring", label="90 天内到期")
    expiring_within = django_filters.ChoiceFilter(
        choices=[("30", "30 天内"), ("90", "90 天内")], method="by_expiring_within", label="许可证到期"
    )

    class Meta:
        model = Facility
        fields = [
            "q",
            "town",
            "management_level",
            "industry",
            "is_key_industry",
            "permit_state",
            "expiring",
            "expiring_within",
        ]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(facility_matching(value))

    def by_permit_state(self, queryset, name, value):
        # A semi-join on the permits in that state (found by their indexes), not a state worked out
        # per facility: at city scale the correlated form removed millions of joined rows per page.
        permits = permits_in_state(Permit.objects.all(), value, timezone.localdate())
        return queryset.filter(pk__in=permits.values("facility_id"))

    def by_expiring(self, queryset, name, value):
        if value is None:
            return queryset
        soon = expiring_permits(timezone.localdate(), rules.EXPIRY_WARNING_DAYS)
        return queryset.filter(soon) if value else queryset.exclude(soon)

    def by_expiring_within(self, queryset, name, value):
        return queryset.filter(expiring_permits(timezone.localdate(), int(value))) if value else queryset


def expiring_permits(today, days: int) -> Q:
    """Whether the facility holds a valid permit that expires within ``days`` days of ``today``
    (R-PER-1): the list's filter, a semi-join on those permits (``filter`` or ``exclude`` it)."""
    return Q(pk__in=valid_permits_expiring(Permit.objects.all(), today, days).values("facility_id"))


def valid_permits_expiring(permits, today, days: int):
    """The ``permits`` valid today that expire within ``days`` days (R-PER-1): the one condition the
    list's filter and the dashboards' count (distinct facilities among them) read."""
    return valid_permits(permits.filter(valid_until__lte=today + timedelta(days=days)), today)


class RectificationFilter(django_filters.FilterSet):
    town = django_filters.ModelChoiceFilter(
        field_name="facility__town", queryset=Town.objects.all(), label="街镇"
    )
    status = django_filters.ChoiceFilter(
        choices=[("open", "未销号"), ("overdue", "已逾期"), ("closed", "已销号")],
        method="by_status",
        label="状态",
    )
    category = django_filters.CharFilter(field_name="category", label="问题类别")
    source_kind = django_filters.ChoiceFilter(choices=RectificationSource.choices, label="问题来源")
    source_key = django_filters.CharFilter(field_name="source_key", label="来源记录")
    facility = django_filters.NumberFilter(field_name="facility_id", label="排污单位", min_value=1, max_value=MAX_ID)

    class Meta:
        model = RectificationItem
        fields = ["town", "status", "category", "source_kind", "source_key", "facility"]

    def by_status(self, queryset, name, value):
        today = timezone.localdate()
        if value == "open":
            return queryset.filter(closed_on__isnull=True)
        if value == "overdue":
            return queryset.filter(closed_on__isnull=True, deadline_on__lt=today)
        if value == "closed":
            return queryset.filter(closed_on__isnull=False)
        return queryset
