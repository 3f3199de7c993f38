"""The inspection plan (R-INS-3, R-INS-4; 003 第六条, 002 十一): the facts the frequency rules need, loaded
for every facility in a fixed number of queries; the year's plan kept in step with the rules; 法制科's
adoption into the annual enforcement plan; the month's plan for 执法大队 (按月细化); the daily flags of
what is due soon and overdue. Every job here may run twice and creates nothing twice."""

import functools
import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, TextField
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone

from bureau import calendar, history, positive_list, sections, todo
from bureau.access import section_code
from bureau.models import User
from bureau.rules import add_months
from bureau.services import section as section_by_code
from complaints.models import Complaint
from inspections import rules
from inspections.models import (
    Alert,
    AnnualPlan,
    CheckMode,
    Disposition,
    Finding,
    Inspection,
    InspectionState,
    ItemKind,
    ItemState,
    MonthPlan,
    MonthPlanEntry,
    PlanItem,
    PlanSettings,
    PlanState,
)
from permits.models import Facility, FacilityStatus, PenaltyRecord, PermitEvent, PermitEventKind

PLAN_SECTION = sections.LEGAL  # puts the inspections into the annual enforcement plan (003 第四条)
ONLY_LEGAL = "只有法制科可以将检查计划纳入年度执法计划或修改检查计划设置。"
OVERDUE_TODO = "inspection-plan:overdue"
DUE_SOON_TODO = "inspection-plan:due-soon"
ADOPT_TODO = "inspection-plan:adopt:"
NEW_EVENTS = (PermitEventKind.FIRST_APPLICATION, PermitEventKind.REAPPLICATION)
EVENT_LABELS = dict(PermitEventKind.choices)
SETTING_FIELDS = (
    "positive_list_factor",
    "violation_factor",
    "complaint_factor",
    "high_risk_factor",
    "poor_credit_factor",
    "routine_cap",
    "registered_share",
    "due_soon_workdays",
    "draw_exclude_recent_days",
    "draw_exclude_positive_list",
    "draw_avoid_own_town",
)


def plan_settings() -> PlanSettings:
    """The bureau's one row of settings (made with the defaults the first time it is asked for)."""
    row = PlanSettings.objects.order_by("pk").first()
    return row if row is not None else history.save(PlanSettings(), by=None, reason="默认设置")


def frequency_settings(row: PlanSettings | None = None) -> rules.FrequencySettings:
    row = row or plan_settings()
    return rules.FrequencySettings(
        positive_list=row.positive_list_factor,
        violations=row.violation_factor,
        complaints=row.complaint_factor,
        high_risk=row.high_risk_factor,
        poor_credit=row.poor_credit_factor,
        routine_cap=row.routine_cap,
        registered_share=row.registered_share,
    )


def may_plan(user) -> bool:
    return bool(user and user.is_authenticated and (user.is_superuser or section_code(user) == PLAN_SECTION))


@transaction.atomic
def update_plan_settings(*, by: User, **values) -> PlanSettings:
    """法制科 (or the administrator) changes the settings; each value is checked by its field's rules."""
    if not may_plan(by):
        raise PermissionDenied(ONLY_LEGAL)
    unknown = set(values) - set(SETTING_FIELDS)
    if unknown:
        raise ValueError(f"未知的设置项：{sorted(unknown)}")
    row = PlanSettings.objects.select_for_update().get(pk=plan_settings().pk)
    for name, value in values.items():
        setattr(row, name, value)
    row.updated_by = by
    return history.save_checked(row, by=by, reason="修改检查计划设置")


# --- the facts -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Planned:
    """The facilities of a period and their facts, as the rules need them."""

    facilities: dict[int, dict]  # id -> values of the facility row
    facts: dict[int, rules.FacilityFacts]


def load_facts(period: rules.Period, *, facility_ids=None) -> Planned:
    """Facts of every facility not closed (or of ``facility_ids``) for ``period``, in seven queries
    whatever the number of facilities: the facilities, new permits, penalties, findings, verified
    complaints, inspections done, and the positive list (through its provider). Violations and
    complaints count the calendar year before the period's (上一年度)."""
    scope = Q(status__in=[FacilityStatus.OPERATING, FacilityStatus.HALTED])
    if facility_ids is not None:
        scope &= Q(pk__in=list(facility_ids))
    facilities = {
        row["id"]: row
        for row in Facility.objects.filter(scope).values(
            "id",
            "management_level",
            "risk_level",
            "credit_rating",
            "town_id",
            "industry_code",
            "is_confidential",
        )
    }
    ids = facilities.keys()
    in_scope = {"facility_id__in": list(ids)} if facility_ids is not None else {}
    last_year = rules.year_period(period.start.year - 1)
    new_permits = defaultdict(list)
    events = PermitEvent.objects.filter(
        kind__in=NEW_EVENTS,
        occurred_on__gte=add_months(period.start, -rules.NEW_PERMIT_MONTHS),
        occurred_on__lte=period.end,
        **{f"permit__{k}": v for k, v in in_scope.items()},
    ).values_list("permit__facility_id", "kind", "occurred_on")
    for facility_id, kind, occurred_on in events.order_by("occurred_on", "id"):
        new_permits[facility_id].append((EVENT_LABELS[kind], occurred_on))  # each owes its own check
    violations = defaultdict(int)
    penalties = (
        PenaltyRecord.objects.filter(decided_on__range=(last_year.start, last_year.end), **in_scope)
        .values_list("facility_id")
        .annotate(n=Count("id"))
    )
    findings = (
        Finding.objects.filter(
            found_on__range=(last_year.start, last_year.end),
            disposition__in=[Disposition.RECTIFICATION, Disposition.CASE],
            **in_scope,
        )
        .values_list("facility_id")
        .annotate(n=Count("id"))
    )
    for facility_id, n in [*penalties, *findings]:
        violations[facility_id] += n
    complaints = dict(
        Complaint.objects.filter(
            is_substantiated=True, received_on__range=(last_year.start, last_year.end), **in_scope
        )
        .values_list("facility_id")
        .annotate(n=Count("id"))
    )
    visits = defaultdict(list)
    done = Inspection.objects.filter(
        state=InspectionState.SIGNED,
        inspected_on__gte=min(
            date(period.start.year, 1, 1), add_months(period.start, -rules.NEW_PERMIT_MONTHS)
        ),
        inspected_on__lte=add_months(period.end, rules.NEW_PERMIT_MONTHS),
        **in_scope,
    ).values_list("facility_id", "inspected_on", "reason", "mode")
    for facility_id, inspected_on, reason, mode in done:
        visits[facility_id].append(rules.Visit(inspected_on, reason, remote=mode == CheckMode.REMOTE))
    listed = positive_list.members(period.start, None if facility_ids is None else ids)
    facts = {
        pk: rules.FacilityFacts(
            level=row["management_level"],
            new_permits=tuple(new_permits.get(pk, ())),
            on_positive_list=pk in listed,
            violations=violations.get(pk, 0),
            verified_complaints=complaints.get(pk, 0),
            risk_level=row["risk_level"],
            credit_rating=row["credit_rating"],
            visits=tuple(visits.get(pk, ())),
        )
        for pk, row in facilities.items()
    }
    return Planned(facilities, facts)


def owed_for(period: rules.Period, *, facility_ids=None, settings: rules.FrequencySettings | None = None):
    """Every facility's ``rules.Frequency`` over ``period``: the rules run over loaded values."""
    settings = settings or frequency_settings()
    planned = load_facts(period, facility_ids=facility_ids)
    owed = {
        pk: rules.owed_inspections(facts, period, settings, spread=pk) for pk, facts in planned.facts.items()
    }
    return planned, owed


# --- the year's plan -------------------------------------------------------------------------------


def locked_row(model, defaults: dict, *, by, reason: str, **keys):
    """The row of ``model`` with ``keys``, locked to the end of the transaction, made (with history)
    when missing. Two jobs or people making it at the same moment get the same row, not an error."""
    row = model.objects.select_for_update().filter(**keys).first()
    if row is not None:
        return row
    try:
        with transaction.atomic():
            return history.save(model(**keys, **defaults), by=by, reason=reason)
    except IntegrityError:
        return model.objects.select_for_update().get(**keys)


def _figures(figures: tuple[tuple[str, str], ...]) -> list[list[str]]:
    """A frequency's figures as the plan item stores them (JSON has no tuples)."""
    return [list(pair) for pair in figures]


# What sync_plan writes of an item it changes.
CHANGED_FIELDS = ["state", "done_on", "reason", "figures", "withdrawn_reason", "alert"]


@dataclass(frozen=True)
class _Item:
    """What ``sync_plan`` compares of an existing item, read as plain values (a city's plan is
    100,000 items: model instances and their JSON decoded one by one cost seconds a day)."""

    pk: int
    state: str
    done_on: date | None
    reason: str
    figures: list
    withdrawn_reason: str
    alert: str

    def changed(self, **values) -> PlanItem:
        """The item with ``values`` as ``bulk_update`` writes it (its other compared fields kept)."""
        fields = {name: getattr(self, name) for name in CHANGED_FIELDS} | values
        return PlanItem(pk=self.pk, **fields)


def _existing_items(plan: AnnualPlan) -> dict[tuple[int, str], _Item]:
    """The plan's items the rules decide (drawn ones are left to their draw), by facility and key; the
    figures are read as JSON text and each distinct text decoded once."""
    decoded = functools.cache(json.loads)
    rows = (
        PlanItem.objects.filter(plan=plan)
        .exclude(kind=ItemKind.RANDOM_DRAW)
        .values_list(
            "facility_id",
            "key",
            "id",
            "state",
            "done_on",
            "reason",
            Cast("figures", TextField()),
            "withdrawn_reason",
            "alert",
        )
    )
    return {
        (facility_id, key): _Item(pk, state, done_on, reason, decoded(figures), withdrawn_reason, alert)
        for facility_id, key, pk, state, done_on, reason, figures, withdrawn_reason, alert in rows
    }


@transaction.atomic
def sync_plan(*, year: int, by: User | None = None, today: date | None = None) -> AnnualPlan:
    """Bring the year's plan in step with the rules and what is done: items newly owed are added, items
    done are marked with the date, open items the rules no longer owe become 不再需要 with the reason
    (the facility closed, its level changed). Nothing is ever added twice; drawn items are left to
    their draw. Costs a fixed number of queries plus one write per chunk of changed rows."""
    today = today or timezone.localdate()
    plan = locked_row(AnnualPlan, {}, by=by, reason="生成年度检查计划", year=year)
    settings = frequency_settings()
    planned, owed = owed_for(rules.year_period(year), settings=settings)
    existing = _existing_items(plan)
    # A city's items hold a few hundred distinct sets of figures: each is made once per run.
    figures_of = functools.cache(_figures)
    new, changed, seen = [], [], set()
    totals = defaultdict(int)
    registered = 0
    for pk, frequency in owed.items():
        level = planned.facilities[pk]["management_level"]
        registered += level == rules.REGISTERED
        figures = figures_of(frequency.figures)
        for owed_item in frequency.items:
            if owed_item.planned_month.year != year and owed_item.kind == rules.NEW_PERMIT:
                continue  # a new permit of last December belongs to last year's plan
            totals[level] += 1
            seen.add((pk, owed_item.key))
            state = ItemState.DONE if owed_item.done_on else ItemState.OPEN
            row = existing.get((pk, owed_item.key))
            if row is None:
                new.append(
                    PlanItem(
                        plan=plan,
                        facility_id=pk,
                        kind=owed_item.kind,
                        key=owed_item.key,
                        window_start=owed_item.window.start,
                        window_end=owed_item.window.end,
                        planned_month=owed_item.planned_month,
                        reason=owed_item.reason,
                        figures=figures,
                        state=state,
                        done_on=owed_item.done_on,
                    )
                )
            elif (row.state, row.done_on, row.reason, row.figures) != (
                state,
                owed_item.done_on,
                owed_item.reason,
                figures,
            ):
                changed.append(
                    row.changed(
                        state=state,
                        done_on=owed_item.done_on,
                        reason=owed_item.reason,
                        figures=figures,
                        withdrawn_reason="",
                        alert=Alert.NONE if state == ItemState.DONE else row.alert,
                    )
                )
    for key, row in existing.items():
        if key not in seen and row.state == ItemState.OPEN:
            changed.append(
                row.changed(
                    state=ItemState.WITHDRAWN,
                    alert=Alert.NONE,
                    withdrawn_reason="按现行规则已不再需要（单位关闭、管理类别或差别化因素变化）",
                )
            )
    PlanItem.objects.bulk_create(new, batch_size=2000, ignore_conflicts=True)
    PlanItem.objects.bulk_update(changed, CHANGED_FIELDS, batch_size=2000)
    figures = {
        "facility_count": len(owed),
        "registered_count": registered,
        "registered_sample": rules.registered_sample(registered, settings.registered_share),
        "totals": dict(totals),
    }
    if new or changed or any(getattr(plan, name) != value for name, value in figures.items()):
        for name, value in figures.items():
            setattr(plan, name, value)
        plan.computed_at = timezone.now()
        history.save(plan, by=by, reason="按规则重新计算年度检查计划")
    else:  # nothing changed: no history row for a daily job that found nothing (R-RET-1 keeps changes)
        AnnualPlan.objects.filter(pk=plan.pk).update(computed_at=timezone.now())
    if not plan.is_adopted:
        todo.add_todo(
            key=f"{ADOPT_TODO}{year}",
            title=f"{year} 年度检查计划待纳入年度执法计划",
            url=reverse("inspections:plan-year", args=[year]),
            section=section_by_code(PLAN_SECTION),
        )
    return plan


def recompute_plan(*, by: User, year: int, today: date | None = None) -> AnnualPlan:
    """法制科 (or the administrator) asks for the year's plan to be (re)computed now (「生成年度检查计划」,
    「重新计算」); the jobs call ``sync_plan`` themselves. Years outside 2000–2100 are refused."""
    if not may_plan(by):
        raise PermissionDenied(ONLY_LEGAL)
    if not 2000 <= year <= 2100:
        raise ValidationError("年份不正确。")
    return sync_plan(year=year, by=by, today=today)


@transaction.atomic
def adopt_plan(*, by: User, year: int, document_no: str = "", note: str = "") -> AnnualPlan:
    """法制科 puts the year's plan into the annual enforcement plan (003 第四条、第六条). The plan keeps
    following the rules afterwards (a permit issued in May owes its check); adoption is recorded once."""
    if not may_plan(by):
        raise PermissionDenied(ONLY_LEGAL)
    plan = AnnualPlan.objects.select_for_update().filter(year=year).first()
    if plan is None:
        raise ValidationError(f"{year} 年度检查计划尚未生成，请先计算。")
    if plan.is_adopted:
        raise ValidationError(
            f"{year} 年度检查计划已于 {timezone.localtime(plan.adopted_at):%Y-%m-%d} 纳入年度执法计划。"
        )
    plan.state, plan.adopted_by, plan.adopted_at = PlanState.ADOPTED, by, timezone.now()
    plan.document_no, plan.note = document_no.strip(), note.strip()
    history.save_checked(plan, by=by, reason="纳入年度执法计划")
    todo.complete_todo(key=f"{ADOPT_TODO}{year}", by=by)
    return plan


# --- the month's plan ------------------------------------------------------------------------------


def month_plan_error(year: int, month: int, today: date) -> str:
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        return "年份或月份不正确。"
    if rules.month_period(year, month).end < today:
        return f"{year} 年 {month} 月已过，不能再编制该月的检查计划。"
    return ""


@transaction.atomic
def make_month_plan(*, year: int, month: int, by: User | None = None, today: date | None = None) -> MonthPlan:
    """Break the year's plan into the month's (按月细化): every open item planned for this month or
    earlier whose window is still open this month, and every drawn item of the month. Made again, it
    adds what is new and keeps what it had. A month already past is refused."""
    today = today or timezone.localdate()
    error = month_plan_error(year, month, today)
    if error:
        raise ValidationError(error)
    if by is not None and not (by.is_superuser or section_code(by) in (PLAN_SECTION, sections.ENFORCEMENT)):
        raise PermissionDenied("只有法制科、执法大队可以编制月度检查计划。")
    sync_plan(year=year, by=by, today=today)
    period = rules.month_period(year, month)
    month_plan = locked_row(
        MonthPlan, {"made_by": by}, by=by, reason="编制月度检查计划", year=year, month=month
    )
    items = PlanItem.objects.filter(
        state=ItemState.OPEN, planned_month__lte=period.start, window_end__gte=period.start
    ).values_list("id", flat=True)
    MonthPlanEntry.objects.bulk_create(
        [MonthPlanEntry(month_plan=month_plan, item_id=pk) for pk in items.iterator(chunk_size=5000)],
        batch_size=5000,
        ignore_conflicts=True,
    )
    count = MonthPlanEntry.objects.filter(month_plan=month_plan).count()
    if count != month_plan.item_count:
        month_plan.item_count = count
        history.save(month_plan, by=by, reason="按年度计划细化月度检查计划")
    return month_plan


def run_monthly(*, today: date | None = None) -> MonthPlan | None:
    """The monthly job, run daily: on the month's first working day (R-CAL-1) it makes the month's plan;
    on a later day of the month only when that plan is still missing (the job did not run on the day:
    a server down, a holiday moved); other days nothing."""
    today = today or timezone.localdate()
    first = today.replace(day=1)
    while not calendar.is_workday(first):
        first = first.fromordinal(first.toordinal() + 1)
    if today < first:
        return None
    if today > first and MonthPlan.objects.filter(year=today.year, month=today.month).exists():
        return None
    return make_month_plan(year=today.year, month=today.month, today=today)


@transaction.atomic
def flag_due(*, today: date | None = None) -> dict[str, int]:
    """The daily job: the plan in step with what was done, then open items flagged 逾期 (window ended) or
    临期 (ends within the set working days), and one line each on 执法大队's to-do list."""
    today = today or timezone.localdate()
    sync_plan(year=today.year, today=today)
    soon = calendar.add_workdays(today, plan_settings().due_soon_workdays)
    open_items = PlanItem.objects.filter(state=ItemState.OPEN)
    open_items.filter(window_end__lt=today).exclude(alert=Alert.OVERDUE).update(alert=Alert.OVERDUE)
    open_items.filter(window_end__gte=today, window_end__lte=soon).exclude(alert=Alert.DUE_SOON).update(
        alert=Alert.DUE_SOON
    )
    open_items.filter(window_end__gt=soon).exclude(alert=Alert.NONE).update(alert=Alert.NONE)
    counts = dict(open_items.values_list("alert").annotate(n=Count("id")))
    enforcement = section_by_code(sections.ENFORCEMENT)
    for key, alert, words in (
        (OVERDUE_TODO, Alert.OVERDUE, "计划检查已逾期"),
        (DUE_SOON_TODO, Alert.DUE_SOON, "计划检查临期"),
    ):
        n = counts.get(alert, 0)
        item = {
            "key": key,
            "title": f"{words} {n} 项",
            "url": f"{reverse('inspections:plan-items')}?alert={alert}",
            "section": enforcement,
            "is_urgent": alert == Alert.OVERDUE,
        }
        # One line each, refreshed; done when there is nothing of the kind (nothing written if unchanged).
        todo.sync_todos(prefix=key, items=[item] if n else [])
    return {"overdue": counts.get(Alert.OVERDUE, 0), "due_soon": counts.get(Alert.DUE_SOON, 0)}


def still_owed(facility: Facility, on: date) -> bool:
    """Whether the plan still owes an inspection of ``facility`` whose window holds ``on`` (a periodic
    or new-permit item, R-INS-3): the routine cap never refuses that one."""
    return PlanItem.objects.filter(
        facility=facility,
        kind__in=[ItemKind.NEW_PERMIT, ItemKind.PERIODIC],
        state=ItemState.OPEN,
        window_start__lte=on,
        window_end__gte=on,
    ).exists()


def note_inspection(inspection: Inspection) -> int:
    """An inspection just signed satisfies the open items of its facility whose window holds its date
    (one UPDATE; the daily job would find it too, a day later). A drawn item waits for its own
    inspection (``draws.note_inspection``)."""
    return PlanItem.objects.filter(
        facility_id=inspection.facility_id,
        kind__in=[ItemKind.NEW_PERMIT, ItemKind.PERIODIC],
        state=ItemState.OPEN,
        window_start__lte=inspection.inspected_on,
        window_end__gte=inspection.inspected_on,
    ).update(state=ItemState.DONE, done_on=inspection.inspected_on, alert=Alert.NONE)
