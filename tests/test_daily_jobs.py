"""Every daily job costs the same number of queries with 3 and with 30 due items, and a second run on
the same day writes nothing: no INSERT, UPDATE or DELETE, no history row in any table, no
``updated_at`` moved (issue 15: the jobs were linear in rows and wrote ~8,900 history rows a day with
nothing changed). What each job puts on the lists is tested with the job's own app."""

from datetime import date, timedelta

import pytest
from django.apps import apps
from django.db import connection
from django.db.models import Max

from bureau.models import SectionCode, TodoItem
from inspections.models import PlanItem
from inspections.services import planning
from linkage.services import reminders
from monitoring import services as monitoring
from permits.reports.models import ExecutionReport
from permits.reports.services import due
from permits.services import expiry, permits
from tests.factories.bureau import StaffFactory
from tests.factories.linkage import LinkageTaskFactory
from tests.factories.permits import FacilityFactory, PermitFactory

pytestmark = pytest.mark.django_db
# The year's plan is recomputed daily and the plan page shows when ("最近计算"): the one stamp a
# job may write on a day nothing changed. It is no save and leaves no history row.
STAMP = 'UPDATE "inspections_annualplan" SET "computed_at"'


class RowsWritten:
    """Counts the rows each INSERT, UPDATE and DELETE statement run inside it really wrote, by table
    (a conditional ``UPDATE … WHERE alert <> 'overdue'`` that matches nothing writes nothing), and the
    queries run. The year plan's ``computed_at`` stamp is left out (``STAMP``)."""

    def __init__(self):
        self.by_table: dict[str, int] = {}
        self.queries = 0

    def __call__(self, execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        self.queries += 1
        words = sql.split()
        if words[0] in ("INSERT", "UPDATE", "DELETE") and not sql.startswith(STAMP):
            rows = context["cursor"].rowcount
            if rows <= 0 and words[0] == "INSERT":
                rows = 1  # SQLite tells no count of an INSERT … RETURNING before its rows are read
            if rows > 0:
                table = words[2] if words[0] != "UPDATE" else words[1]
                self.by_table[table.strip('"')] = self.by_table.get(table.strip('"'), 0) + rows
        return result

    @property
    def total(self) -> int:
        return sum(self.by_table.values())

    def __enter__(self):
        self._wrapper = connection.execute_wrapper(self)
        self._wrapper.__enter__()
        return self

    def __exit__(self, *exc):
        self._wrapper.__exit__(*exc)


def history_rows() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model.__name__.startswith("Historical")
    }


def updated_at() -> dict[str, object]:
    return {
        model._meta.label: model.objects.aggregate(last=Max("updated_at"))["last"]
        for model in apps.get_models()
        if any(field.name == "updated_at" for field in model._meta.concrete_fields)
    }


def run_twice(job) -> tuple[int, int]:
    """Run ``job`` twice; the second run must write nothing. The query counts of both runs."""
    with RowsWritten() as first:
        job()
    assert first.total, "the first run should have had something to write"
    before = (history_rows(), updated_at(), list(TodoItem.objects.order_by("pk").values()))
    with RowsWritten() as second:
        job()
    assert second.by_table == {}
    assert (history_rows(), updated_at(), list(TodoItem.objects.order_by("pk").values())) == before
    return first.queries, second.queries


def same_cost_at_3_and_30(seed, job) -> None:
    """Run the job once on no data (what a first run ever makes: the settings, the year's plan), seed
    3 due items and run it twice; seed 27 more and run it twice again: the same counts."""
    job()
    seed(0, 3)
    small = run_twice(job)
    seed(3, 30)
    assert run_twice(job) == small


# --- permits: expiry (R-PER-2, R-PER-3) ---------------------------------------------------------------

EXPIRY_DAY = date(2025, 11, 3)


def seed_expiry(start: int, end: int) -> None:
    """Per item: a permit expiring within 90 days (on the list), one that lapsed while its facility
    operates (a lead), and a pending 延续 (on the list); the new permits owe a quality check."""
    for n in range(start, end):
        PermitFactory(valid_until=EXPIRY_DAY + timedelta(days=30 + n))
        PermitFactory(valid_until=EXPIRY_DAY - timedelta(days=10 + n))
        pending = PermitFactory(valid_until=EXPIRY_DAY + timedelta(days=20 + n), issued_on=None)
        permits.record_permit_event(by=None, permit=pending, kind="renewal", occurred_on=EXPIRY_DAY)


def test_expiry_job_costs_the_same_at_3_and_30_and_writes_nothing_the_second_time():
    same_cost_at_3_and_30(seed_expiry, lambda: expiry.check_permit_expiry(today=EXPIRY_DAY))
    counts = expiry.check_permit_expiry(today=EXPIRY_DAY)
    assert (counts["warned"] + counts["red"], counts["leads"], counts["renewals"]) == (30, 0, 30)
    assert TodoItem.objects.filter(key__startswith="unlicensed-lead:", done_at__isnull=True).count() == 30


def test_expiry_items_of_settled_permits_are_done_in_bulk_with_history():
    # given: three permits on the list, then two of them renewed
    seed_expiry(0, 3)
    expiry.check_permit_expiry(today=EXPIRY_DAY)
    items = TodoItem.objects.filter(key__startswith="permit-expiry:")
    for item in list(items)[:2]:
        permit_pk = int(item.key.split(":")[1])
        from permits.models import Permit

        permits.record_permit_event(
            by=None, permit=Permit.objects.get(pk=permit_pk), kind="renewal", occurred_on=EXPIRY_DAY
        )
    # when
    counts = expiry.check_permit_expiry(today=EXPIRY_DAY)
    # then: two done, each with its history row naming nobody (the system) and why
    assert counts["cleared"] == 2
    done = TodoItem.history.filter(key__startswith="permit-expiry:", done_at__isnull=False)
    assert [(row.history_user, row.history_change_reason) for row in done] == [
        (None, "事项已不再需要办理")
    ] * 2


# --- permits: execution reports due (R-REP-1) -------------------------------------------------------

REPORT_DAY = date(2026, 2, 10)


def seed_reports(start: int, end: int) -> None:
    """Per item: an annual-report permit whose 2025 report is made by the job and, due on 2026-01-31
    with the grace period not yet over, is late (flagged, on the period's line)."""
    for n in range(start, end):
        PermitFactory(issued_on=date(2024, 1, 10) + timedelta(days=n), report_frequency="annual")


def test_report_due_job_costs_the_same_at_3_and_30_and_writes_nothing_the_second_time():
    same_cost_at_3_and_30(seed_reports, lambda: due.check_reports_due(today=REPORT_DAY))
    assert ExecutionReport.objects.filter(flagged_on=REPORT_DAY).count() == 30
    assert (
        TodoItem.objects.get(key="report-late:2025").title == "2025年度执行报告逾期未报 30 份，请催报或核实"
    )


# --- linkage: overdue reminders (R-LNK-6) -------------------------------------------------------------


def test_overdue_reminders_cost_the_same_at_3_and_30_and_write_nothing_the_second_time(work_calendar, today):
    clerk = StaffFactory(section_code=SectionCode.MONITORING).user
    head = StaffFactory(section_code=SectionCode.MONITORING, role="head").user
    later = today + timedelta(days=60)

    def seed(start, end):
        for n in range(start, end):
            receivers = ["enforcement"] if n % 2 else ["enforcement", "pollution"]
            LinkageTaskFactory(by=clerk, head=head, receivers=receivers, started_on=today)

    same_cost_at_3_and_30(seed, lambda: reminders.remind_overdue_tasks(today=later))
    assert reminders.remind_overdue_tasks(today=later) == 45


def test_r_lnk_2_monitoring_station_steps_remind_ecology_too(work_calendar, today):
    # given: 生态科 sends a task to 监测站, past its deadline
    task = LinkageTaskFactory(initiator=SectionCode.ECOLOGY, receivers=["monitoring"], started_on=today)
    # when
    count = reminders.remind_overdue_tasks(today=task.deadline_on + timedelta(days=1))
    # then: 监测站's head and 生态科's head are reminded, attributed to the system
    assert count == 2
    items = TodoItem.objects.filter(key__startswith="linkage-overdue:").order_by("key")
    assert [(i.key, i.section.code, i.role) for i in items] == [
        (f"linkage-overdue:{task.pk}:monitoring", "monitoring", "head"),
        (f"linkage-overdue:{task.pk}:monitoring:ecology", "ecology", "head"),
    ]
    assert {row.history_user for row in TodoItem.history.filter(key__startswith="linkage-overdue:")} == {None}


# --- monitoring: overdue tasks (R-MON-1) ---------------------------------------------------------------


def test_monitoring_overdue_costs_the_same_at_3_and_30_and_writes_nothing_the_second_time(
    ecology_clerk, today
):
    def seed(start, end):
        for n in range(start, end):
            monitoring.add_task(
                by=ecology_clerk,
                facility=FacilityFactory(),
                kind="enforcement",
                due_on=today + timedelta(days=n % 5),
                today=today,
            )

    later = today + timedelta(days=10)
    same_cost_at_3_and_30(seed, lambda: monitoring.flag_overdue(today=later))
    assert TodoItem.objects.filter(key__startswith="monitoring-overdue:", done_at__isnull=True).count() == 30


# --- inspections: plan due (R-INS-3, R-INS-4) ---------------------------------------------------------

PLAN_DAY = date(2026, 11, 20)


def test_plan_due_job_costs_the_same_at_3_and_30_and_writes_nothing_the_second_time():
    def seed(start, end):
        for _ in range(start, end):
            FacilityFactory(management_level="key")

    same_cost_at_3_and_30(seed, lambda: planning.flag_due(today=PLAN_DAY))
    assert PlanItem.objects.filter(alert="overdue").count() >= 30
    assert TodoItem.objects.get(key="inspection-plan:overdue").done_at is None
