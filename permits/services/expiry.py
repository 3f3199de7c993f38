"""R-PER-2: permits near expiry go on the approval section's to-do list; an expired permit with no
renewal while the facility operates becomes an unlicensed-discharge lead (004 三(一))."""

from datetime import date, timedelta

from django.db import transaction
from django.db.models import Q
from django.urls import reverse

from bureau import history
from bureau.models import SectionCode, TodoItem
from bureau.services import section
from bureau.todo import add_todo, complete_todo
from permits import rules
from permits.models import (
    FacilityStatus,
    LeadStatus,
    ManagementLevel,
    Permit,
    Registration,
    UnlicensedDischargeLead,
)
from permits.queries import pending_renewals, with_pending_renewal, with_state


@transaction.atomic
def check_permit_expiry(*, today: date) -> dict[str, int]:
    """The daily expiry check. Idempotent: items are keyed by permit and validity, leads are unique
    per permit and expiry date. Returns counts of ``warned``, ``red``, ``leads`` and ``cleared``."""
    approval = section(SectionCode.APPROVAL)
    enforcement = section(SectionCode.ENFORCEMENT)
    horizon = today + timedelta(days=rules.EXPIRY_WARNING_DAYS)
    counts = {"warned": 0, "red": 0, "leads": 0, "cleared": 0}

    expiring = list(
        with_pending_renewal(
            with_state(Permit.objects.filter(valid_until__gte=today, valid_until__lte=horizon), today)
        )
        .filter(state="valid")
        .select_related("facility")
    )
    wanted = set()
    for permit in expiring:
        key = f"permit-expiry:{permit.pk}:{permit.valid_until:%Y%m%d}"
        flag = rules.expiry_flag(permit.valid_until, today, pending_renewal=permit.renewal_pending)
        if flag is None:
            continue
        wanted.add(key)
        add_todo(
            key=key,
            title=f"{permit.facility.name} 排污许可证 {permit.number} 将于 {permit.valid_until:%Y-%m-%d} 到期，尚未申请延续",
            url=reverse("permits:facility-detail", args=[permit.facility_id]),
            due_on=rules.renewal_due_on(permit.valid_until),
            is_urgent=flag == "red",
            section=approval,
        )
        counts[flag if flag == "red" else "warned"] += 1

    # Items of permits renewed, cancelled or revoked since: the matter is settled.
    stale = TodoItem.objects.filter(key__startswith="permit-expiry:", done_at__isnull=True).exclude(
        key__in=wanted
    )
    for key in stale.values_list("key", flat=True):
        counts["cleared"] += complete_todo(key=key)

    for permit in _unlicensed(today):
        lead, created = UnlicensedDischargeLead.objects.get_or_create(
            permit=permit,
            expired_on=permit.valid_until,
            defaults={"facility": permit.facility, "detected_on": today, "status": LeadStatus.OPEN},
        )
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


def _unlicensed(today: date) -> list[Permit]:
    """Expired permits of operating facilities that nothing covers (R-PER-2, 004 三(一)): no pending
    延续 application, no other valid permit, and no valid registration of a unit now under 登记管理."""
    expired = list(
        with_state(Permit.objects.filter(valid_until__lt=today), today)
        .filter(state="expired", facility__status=FacilityStatus.OPERATING)
        .select_related("facility")
    )
    if not expired:
        return []
    facility_ids = {p.facility_id for p in expired}
    covered = set(
        with_state(Permit.objects.filter(facility_id__in=facility_ids, valid_until__gte=today), today)
        .filter(state="valid")
        .values_list("facility_id", flat=True)
    )
    covered |= set(
        Registration.objects.filter(
            facility_id__in=facility_ids, facility__management_level=ManagementLevel.REGISTERED
        )
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
        .values_list("facility_id", flat=True)
    )
    pending = set(pending_renewals().filter(permit__in=expired).values_list("permit_id", flat=True))
    return [p for p in expired if p.facility_id not in covered and p.pk not in pending]


def lock_open_lead(lead_pk: int) -> UnlicensedDischargeLead:
    """The lead, locked for the caller's transaction, with its facility and permit (R-PER-2)."""
    return (
        UnlicensedDischargeLead.objects.select_for_update()
        .select_related("facility", "permit")
        .get(pk=lead_pk)
    )


LEAD_KEY_PREFIX = "permits.unlicensed_lead:"


@transaction.atomic
def close_lead_with_task(*, lead_pk: int, on: date, task_number: str, by) -> UnlicensedDischargeLead:
    """The task a higher app started from the lead was closed (销号): the lead is closed with it
    (R-LNK-6, R-PER-2). Closing a closed lead again changes nothing."""
    lead = UnlicensedDischargeLead.objects.select_for_update().get(pk=lead_pk)
    if lead.status == LeadStatus.CLOSED:
        return lead
    lead.status = LeadStatus.CLOSED
    return history.save(lead, by=by, reason=f"三监联动任务 {task_number} 于 {on:%Y-%m-%d} 销号，线索办结")


def mark_lead_handed_over(
    *, lead: UnlicensedDischargeLead, on: date, task_number: str
) -> UnlicensedDischargeLead:
    """A higher app took the lead on (``linkage`` started task ``task_number``): the lead is handed
    over and its own to-do item is done, since the task now carries the matter (R-PER-2 → R-LNK-1)."""
    complete_todo(key=f"unlicensed-lead:{lead.pk}")
    lead.status = LeadStatus.HANDED_OVER
    lead.handed_over_on = on
    return history.save(lead, by=None, reason=f"转为三监联动任务 {task_number}")
