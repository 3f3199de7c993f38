"""R-PER-2: permits near expiry go on the approval section's to-do list, and so do pending 延续
applications; a permit that no longer covers an operating facility becomes an unlicensed-discharge lead
for 执法大队 in each case of 004 三(一). R-PER-3: this year's first, re-applied and changed permits
owe a rolling quality check."""

from datetime import date, timedelta

from django.db import transaction
from django.db.models import Q
from django.urls import reverse

from bureau import history
from bureau.models import SectionCode
from bureau.services import section
from bureau.todo import complete_todos, sync_todos, url_maker
from permits import rules
from permits.models import (
    FacilityStatus,
    LeadStatus,
    ManagementLevel,
    Permit,
    Registration,
    UnlicensedDischargeLead,
)
from permits.queries import (
    events_of,
    owed_quality_checks,
    pending_renewals,
    with_pending_renewal,
    with_state,
)
from permits.services.permits import RENEWAL_TODO, renewal_todo_item
from permits.services.quality import QUALITY_OWED_TODO

EXPIRY_TODO = "permit-expiry:"
LEAD_TODO = "unlicensed-lead:"


@transaction.atomic
def check_permit_expiry(*, today: date) -> dict[str, int]:
    """The daily expiry check. Idempotent: items are keyed by permit and validity, leads are unique
    per permit and lapse date. A fixed number of queries however many permits there are: the to-do
    items are written with ``sync_todos`` (nothing written for what did not change), new leads in
    bulk. Returns counts of ``warned``, ``red``, ``leads``, ``cleared``, ``renewals`` (pending 延续 on
    the list) and ``quality_owed`` (rolling checks owed)."""
    approval = section(SectionCode.APPROVAL)
    enforcement = section(SectionCode.ENFORCEMENT)
    horizon = today + timedelta(days=rules.EXPIRY_WARNING_DAYS)
    counts = {"warned": 0, "red": 0, "leads": 0, "cleared": 0}

    expiring = (
        with_pending_renewal(
            with_state(Permit.objects.filter(valid_until__gte=today, valid_until__lte=horizon), today)
        )
        .filter(state="valid")
        .select_related("facility")
    )
    facility_url = url_maker("permits:facility-detail")
    items = []
    for permit in expiring:
        flag = rules.expiry_flag(permit.valid_until, today, pending_renewal=permit.renewal_pending)
        if flag is None:
            continue
        items.append(
            {
                "key": f"{EXPIRY_TODO}{permit.pk}:{permit.valid_until:%Y%m%d}",
                "title": f"{permit.facility.name} 排污许可证 {permit.number} 将于 {permit.valid_until:%Y-%m-%d} 到期，尚未申请延续",
                "url": facility_url(permit.facility_id),
                "due_on": rules.renewal_due_on(permit.valid_until),
                "is_urgent": flag == "red",
                "section": approval,
            }
        )
        counts[flag if flag == "red" else "warned"] += 1
    # Items of permits renewed, cancelled or revoked since are done: the matter is settled.
    counts["cleared"] = sync_todos(prefix=EXPIRY_TODO, items=items).closed

    leads = _record_leads(_unlicensed(today), today)
    counts["leads"] = len(leads)
    sync_todos(
        prefix=LEAD_TODO,
        items=[
            {
                "key": f"{LEAD_TODO}{lead.pk}",
                "title": f"无证排污线索：{permit.facility.name} 许可证 {permit.number} {rules.lapse_summary(lapse.case, lapse.lapsed_on)}，单位仍在生产",
                "url": facility_url(permit.facility_id),
                "due_on": today,
                "is_urgent": True,
                "section": enforcement,
            }
            for lead, permit, lapse in leads
        ],
        close_missing=False,  # a lead's item is done when the lead is handed over
        reopen=False,
    )
    counts["renewals"] = _pending_renewal_todos(today)
    counts["quality_owed"] = _owed_quality_check_todos(today)
    return counts


def _record_leads(
    lapsed: list[tuple[Permit, rules.Lapse]], today: date
) -> list[tuple[UnlicensedDischargeLead, Permit, rules.Lapse]]:
    """The leads of ``lapsed`` not recorded yet, recorded in bulk with their history (one read of the
    existing ones, then the inserts); what was recorded, with its permit and lapse."""
    known = set(
        UnlicensedDischargeLead.objects.filter(permit_id__in=[p.pk for p, _ in lapsed]).values_list(
            "permit_id", "expired_on"
        )
    )
    missing = [(permit, lapse) for permit, lapse in lapsed if (permit.pk, lapse.lapsed_on) not in known]
    leads = [
        UnlicensedDischargeLead(
            permit=permit,
            facility=permit.facility,
            expired_on=lapse.lapsed_on,
            detected_on=today,
            status=LeadStatus.OPEN,
            case=lapse.case,
        )
        for permit, lapse in missing
    ]
    if leads:
        history.bulk_create(
            leads, UnlicensedDischargeLead, by=None, reason="每日到期检查发现无证排污线索", batch_size=1000
        )
    return [(lead, permit, lapse) for lead, (permit, lapse) in zip(leads, missing, strict=True)]


def _unlicensed(today: date) -> list[tuple[Permit, rules.Lapse]]:
    """Permits of operating facilities that no longer cover them, in a case of 004 三(一) (R-PER-2):
    expired with no 延续 application, a 延续 undecided or refused at expiry, 注销, 撤销 or 吊销. A
    facility covered by another valid permit, or by a valid registration of a unit now under 登记管理,
    is not a lead; of a facility's lapsed permits only the one that lapsed last is."""
    lapsed = list(
        with_state(Permit.objects.all(), today)
        .exclude(state="valid")
        .filter(facility__status=FacilityStatus.OPERATING)
        .select_related("facility")
        .prefetch_related("events")
    )
    if not lapsed:
        return []
    facility_ids = {p.facility_id for p in lapsed}
    covered = set(
        with_state(Permit.objects.filter(facility_id__in=facility_ids), today)
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
    latest: dict[int, tuple[Permit, rules.Lapse]] = {}
    for permit in lapsed:
        if permit.facility_id in covered:
            continue
        lapse = rules.lapse(events_of(permit), permit.valid_until, today)
        if lapse is None:
            continue
        known = latest.get(permit.facility_id)
        if known is None or (lapse.lapsed_on, permit.pk) > (known[1].lapsed_on, known[0].pk):
            latest[permit.facility_id] = (permit, lapse)
    return sorted(latest.values(), key=lambda pair: pair[0].pk)


def _pending_renewal_todos(today: date) -> int:
    """Every pending 延续 of a permit not ended is on 审批科's to-do list (R-PER-2), also one imported
    or recorded before this list existed; the service puts new ones there at once."""
    applications = list(
        pending_renewals()
        .exclude(permit__events__kind__in=list(rules.ENDING_EVENTS))
        .select_related("permit__facility")
    )
    approval = section(SectionCode.APPROVAL)
    sync_todos(
        prefix=RENEWAL_TODO,
        items=[renewal_todo_item(a, a.permit, today, approval) for a in applications],
        close_missing=False,  # done by the 延续 decision
    )
    return len(applications)


def _owed_quality_check_todos(today: date) -> int:
    """R-PER-3 (000 二(二)2): this year's first, re-applied and changed permits owe a rolling quality
    check; each is on 审批科's to-do list until a check of its permit is recorded on or after it."""
    approval = section(SectionCode.APPROVAL)
    owed = list(owed_quality_checks(today.year).select_related("permit__facility"))
    url = reverse("permits:quality-owed")
    sync_todos(
        prefix=QUALITY_OWED_TODO,
        items=[
            {
                "key": f"{QUALITY_OWED_TODO}{event.pk}",
                "title": (
                    f"滚动质量检查：{event.permit.facility.name} 排污许可证 {event.permit.number} "
                    f"{event.get_kind_display()}（{event.occurred_on:%Y-%m-%d}）待开展核发质量检查"
                ),
                "url": url,
                "due_on": date(today.year, 12, 31),
                "section": approval,
            }
            for event in owed
        ],
        reopen=False,  # done items stay done: a check recorded since completed them
    )
    return len(owed)


def lock_open_leads(pks: list[int]) -> list[UnlicensedDischargeLead]:
    """The leads ``pks`` still open, locked for the caller's transaction in key order, with their
    facility and permit (R-PER-2)."""
    return list(
        UnlicensedDischargeLead.objects.select_for_update(of=("self",))
        .select_related("facility", "permit")
        .filter(pk__in=pks, status=LeadStatus.OPEN)
        .order_by("pk")
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


def mark_leads_handed_over(
    *, leads: list[UnlicensedDischargeLead], on: date, task_numbers: dict[int, str]
) -> None:
    """A higher app took the leads on (``linkage`` started task ``task_numbers[lead.pk]`` for each):
    each lead is handed over and its own to-do item is done, since the task now carries the matter
    (R-PER-2 → R-LNK-1). In bulk, each lead with its history row naming its task."""
    complete_todos(keys=[f"unlicensed-lead:{lead.pk}" for lead in leads])
    for lead in leads:
        lead.status, lead.handed_over_on = LeadStatus.HANDED_OVER, on
        history.record(lead, by=None, reason=f"转为三监联动任务 {task_numbers[lead.pk]}")
    history.bulk_update(leads, ["status", "handed_over_on"], by=None, reason="转为三监联动任务")
