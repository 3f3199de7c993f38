"""R-PER-2: permits near expiry go on the approval section's to-do list; an expired permit with no
renewal while the facility operates becomes an unlicensed-discharge lead (004 三(一))."""

from datetime import date, timedelta

from django.db import transaction
from django.urls import reverse

from bureau.models import SectionCode
from bureau.services import section
from bureau.todo import add_todo, complete_todo
from permits import rules
from permits.models import FacilityStatus, LeadStatus, Permit, PermitEventKind, UnlicensedDischargeLead
from permits.queries import with_state


def _pending_renewal_ids(permit_ids) -> set[int]:
    from permits.models import PermitEvent

    return set(
        PermitEvent.objects.filter(
            permit_id__in=permit_ids, kind=PermitEventKind.RENEWAL, new_valid_until__isnull=True
        ).values_list("permit_id", flat=True)
    )


@transaction.atomic
def check_permit_expiry(*, today: date) -> dict[str, int]:
    """The daily expiry check. Idempotent: items are keyed by permit and validity, leads are unique
    per permit and expiry date. Returns counts of ``warned``, ``red``, ``leads`` and ``cleared``."""
    approval = section(SectionCode.APPROVAL)
    enforcement = section(SectionCode.ENFORCEMENT)
    horizon = today + timedelta(days=rules.EXPIRY_WARNING_DAYS)
    counts = {"warned": 0, "red": 0, "leads": 0, "cleared": 0}

    expiring = list(
        with_state(Permit.objects.filter(valid_until__gte=today, valid_until__lte=horizon), today)
        .filter(state="valid")
        .select_related("facility")
    )
    pending = _pending_renewal_ids([p.pk for p in expiring])
    for permit in expiring:
        key = f"permit-expiry:{permit.pk}:{permit.valid_until:%Y%m%d}"
        flag = rules.expiry_flag(permit.valid_until, today, pending_renewal=permit.pk in pending)
        if flag is None:
            counts["cleared"] += complete_todo(key=key)
            continue
        add_todo(
            key=key,
            title=f"{permit.facility.name} 排污许可证 {permit.number} 将于 {permit.valid_until:%Y-%m-%d} 到期，尚未申请延续",
            url=reverse("permits:facility-detail", args=[permit.facility_id]),
            due_on=rules.renewal_due_on(permit.valid_until),
            is_urgent=flag == "red",
            section=approval,
        )
        counts[flag if flag == "red" else "warned"] += 1

    expired = (
        with_state(Permit.objects.filter(valid_until__lt=today), today)
        .filter(state="expired", facility__status=FacilityStatus.OPERATING)
        .exclude(facility__permits__valid_until__gte=today)  # a newer permit covers the facility
        .select_related("facility")
    )
    for permit in expired:
        lead, created = UnlicensedDischargeLead.objects.get_or_create(
            permit=permit,
            expired_on=permit.valid_until,
            defaults={"facility": permit.facility, "detected_on": today, "status": LeadStatus.OPEN},
        )
        complete_todo(key=f"permit-expiry:{permit.pk}:{permit.valid_until:%Y%m%d}")
        if created:
            counts["leads"] += 1
            add_todo(
                key=f"unlicensed-lead:{lead.pk}",
                title=f"无证排污线索：{permit.facility.name} 许可证 {permit.number} 已于 {permit.valid_until:%Y-%m-%d} 到期未延续",
                url=reverse("permits:facility-detail", args=[permit.facility_id]),
                due_on=today,
                is_urgent=True,
                section=enforcement,
            )
    return counts
