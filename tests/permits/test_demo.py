"""The demo registry shows what R-FAC-1 allows: a unit with sites in two towns; the demo's execution
reports show every state of R-REP-1…4."""

from collections import Counter
from datetime import date

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.test import override_settings

from linkage.models import LinkageTask
from permits import demo
from permits.models import Facility, Unit
from permits.reports import rules
from permits.reports.models import (
    ExecutionReport,
    FeedbackNotice,
    LeadKind,
    NoticeState,
    ProblemStatus,
    ReportLead,
    ReportReview,
    ReviewSample,
    ReviewState,
)


@pytest.mark.today(date(2026, 3, 2))
def test_r_fac_1_the_demo_has_units_with_two_sites_in_different_towns(town_a, town_b, approval_clerk, today):
    # when
    created = demo.seed_registry(approval=approval_clerk, today=today)
    # then
    assert created == Facility.objects.count() == demo.FACILITY_COUNT + len(demo.SECOND_SITES)
    two_sites = Unit.objects.annotate(sites=Count("facilities")).filter(sites=2)
    assert two_sites.count() == len(demo.SECOND_SITES)
    for unit in two_sites:
        first, second = unit.facilities.order_by("site_number")
        assert (first.site_number, second.site_number) == ("001", "002")
        assert first.town_id != second.town_id
        assert second.source_code == f"{unit.credit_code}002"
        # each site holds its own permit, numbered after its source code, at its own level (R-FAC-3)
        assert [p.number[:21] for p in second.permits.all()] == [second.source_code]
        assert {p.management_level for p in second.permits.all()} == {second.management_level}


@pytest.mark.today(date(2026, 3, 2))
def test_r_rep_1_to_4_the_demo_has_reports_in_every_state(db, today):
    """One seed of the whole demo (the reports need the bureau's people and linkage's receiver)."""
    # when
    with override_settings(DEBUG=True):
        call_command("seed_demo")
    # then: received on time and late, not yet due, missing within the grace period and past it (R-REP-1)
    reports = list(ExecutionReport.objects.all())
    states = Counter(r.receipt_state(today) for r in reports)
    assert states[rules.ON_TIME] > 100 and states[rules.LATE] >= 5 and states[rules.NOT_DUE] >= 1
    assert states[rules.MISSING] == 2
    assert {r.period_type for r in reports} == {rules.MONTH, rules.YEAR}
    assert all(r.received_on is None or r.received_on <= today for r in reports)
    missing_lead = ReportLead.objects.get(kind=LeadKind.MISSING)
    assert missing_lead.report.received_on is None and missing_lead.task_number
    # a review complete without problems, one with its notice awaiting the answer, one answered and
    # re-reviewed (a second version, the notice closed), one under way with a proposed exceedance (R-REP-2, 3)
    assert ReportReview.objects.filter(state=ReviewState.COMPLETE, notice__isnull=True, round=1).exists()
    assert Counter(FeedbackNotice.objects.values_list("state", flat=True)) == {
        NoticeState.ISSUED: 2,
        NoticeState.CLOSED: 1,
    }
    rereview = ReportReview.objects.get(round=2)
    assert rereview.state == ReviewState.COMPLETE and rereview.version.number == 2
    assert set(rereview.answers.problems.values_list("status", flat=True)) == {ProblemStatus.CLOSED}
    under_way = ReportReview.objects.get(state=ReviewState.OPEN)
    assert set(under_way.problems.values_list("part__section_code", "status")) == {
        ("ecology", ProblemStatus.PROPOSED),
        ("pollution", ProblemStatus.PROPOSED),
    }
    # the substantive exceedance went to 执法大队 at once, as a linkage task with the notice as its source (R-REP-4)
    escalated = ReportLead.objects.get(kind=LeadKind.PROBLEM)
    assert escalated.problem.problem_class == rules.SUBSTANTIVE and "颗粒物" in escalated.problem.figures
    task = LinkageTask.objects.get(number=escalated.task_number)
    assert task.source_key == escalated.source_key and task.started_on == escalated.problem.notice.issued_on
    assert ReviewSample.objects.get().reports.count() >= 1
    # linkage's own demo tasks are there too, and a second seed changes nothing
    assert LinkageTask.objects.exclude(source_kind="report_review").exists()
    counts = (ExecutionReport.objects.count(), LinkageTask.objects.count(), ReportLead.objects.count())
    with override_settings(DEBUG=True):
        call_command("seed_demo")
    assert (
        ExecutionReport.objects.count(),
        LinkageTask.objects.count(),
        ReportLead.objects.count(),
    ) == counts
