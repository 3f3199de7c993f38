"""The city-scale data builder (``tests/bench/data.py``) makes valid data, and the pages harness
(``tests/bench/pages.py``) runs over it without an error (issue 15). In the normal suite, on a tiny
scale (200 facilities), in the PostgreSQL run: it times nothing."""

import io
from datetime import date

import pytest
from django.db.models import F

from complaints.models import Complaint, ComplaintReporter
from grading.models import AnnualGrading, FacilityGrade
from inspections.models import Inspection, InspectionOfficer
from linkage.models import Assignment, LinkageTask, TaskStep
from meetings.models import DispatchMeeting
from monitoring.models import MonitoringTask
from permits.models import (
    ExecutionReport,
    Facility,
    Permit,
    PermitEvent,
    RectificationItem,
    Registration,
    Unit,
)
from tests.bench import data, pages

TODAY = date(2026, 6, 15)
# The builder writes by COPY on PostgreSQL, the database it is for, and it costs minutes of CI: it runs
# in the PostgreSQL run only.
pytestmark = [pytest.mark.django_db, pytest.mark.today(TODAY), pytest.mark.postgresql]


@pytest.fixture
def built():
    out = io.StringIO()
    counts = data.build(200, today=TODAY, out=out)
    return counts, out.getvalue()


def test_builder_counts_scale_with_the_facilities(built):
    counts, printed = built
    # then: the counts of issue 15, a five-hundredth of the city
    assert Facility.objects.count() == 200
    assert LinkageTask.objects.count() == 400
    assert Inspection.objects.count() == 2000
    assert InspectionOfficer.objects.count() == 4000  # two officers each (R-INS-6)
    assert RectificationItem.objects.count() == 40
    assert Complaint.objects.count() == ComplaintReporter.objects.count() == 10
    assert 30 <= Permit.objects.count() <= 90  # holders are about 30% of the facilities
    assert Permit.objects.count() + Registration.objects.count() == 200
    assert Unit.objects.count() < 200  # some units have several sites
    assert ExecutionReport.objects.exists() and MonitoringTask.objects.exists()
    assert AnnualGrading.objects.filter(state="confirmed").count() == 2 and FacilityGrade.objects.exists()
    assert DispatchMeeting.objects.filter(status="held").count() == 2
    assert DispatchMeeting.objects.filter(status="planned").count() == 1
    assert counts["linkage.LinkageTask"] == 400
    assert "三监联动任务" in printed and "合计" in printed  # each stage prints its time


def test_builder_keeps_the_rules(built):
    # R-FAC-1: the source code is the unit's credit code and the site number
    assert not Facility.objects.exclude(unit__credit_code=F("credit_code")).exists()
    assert all(f.source_code == f.credit_code + f.site_number for f in Facility.objects.all())
    # R-FAC-3: a permit's level is its facility's; registered units hold registrations, not permits
    assert not Permit.objects.exclude(management_level=F("facility__management_level")).exists()
    assert not Registration.objects.exclude(facility__management_level="registered").exists()
    assert PermitEvent.objects.filter(kind="first_application").count() == Permit.objects.count()
    # 三监联动 in every state, some overdue, states agreeing with linkage.rules
    states = set(LinkageTask.objects.values_list("state", flat=True))
    assert states == {"open", "awaiting_close", "closed", "archived"}
    assert LinkageTask.objects.filter(state="open", deadline_on__lt=TODAY).exists()
    assert LinkageTask.objects.filter(state="open", deadline_on__gte=TODAY).exists()
    done = ["awaiting_close", "closed", "archived"]
    assert not Assignment.objects.filter(task__state__in=done).exclude(state="fed_back").exists()
    assert (
        not LinkageTask.objects.filter(state="open")
        .exclude(assignments__state__in=["pending", "received"])
        .exists()
    )
    assert not LinkageTask.objects.filter(state__in=["closed", "archived"], closed_on__isnull=True).exists()
    assert not LinkageTask.objects.filter(state="archived", archived_on__isnull=True).exists()
    assert not LinkageTask.objects.filter(started_on__gt=TODAY).exists()
    assert TaskStep.objects.filter(action="start").count() == 400
    assert not Inspection.objects.filter(inspected_on__gt=TODAY).exists()
    assert not Inspection.objects.filter(state="signed", record_hash="").exists()
    # every row passes the model's own validation (choices, lengths, constraints)
    for model in (
        Facility,
        Permit,
        LinkageTask,
        Assignment,
        Complaint,
        Inspection,
        RectificationItem,
        ExecutionReport,
        MonitoringTask,
        FacilityGrade,
    ):
        for row in model._base_manager.order_by("?")[:15]:
            row.full_clean(validate_unique=True, validate_constraints=True)


def test_pages_harness_runs_over_the_data(built):
    # when
    results = pages.run(pages.declared_pages(), runs=1, out=io.StringIO())
    # then: every declared page answered as its persona, with its figures
    assert len(results) >= 40
    assert [(r.label, r.error) for r in results if r.error] == []
    assert all(r.queries and r.p95_ms is not None for r in results)
