"""R-REP-2…4 through the services: review by section, one notice, the answer, escalation."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bureau.errors import Conflict
from linkage.models import LinkageTask
from permits.models import FeedbackNotice, ProblemStatus, RectificationItem, ReportLead, ReviewState
from permits.reports import rules
from permits.reports.services import due, notices, reviews

pytestmark = pytest.mark.django_db


def test_r_rep_2_review_completes_when_all_three_heads_signed(signed_review):
    assert signed_review.state == ReviewState.COMPLETE
    assert [p.section_code for p in signed_review.parts.order_by("id")] == list(rules.REVIEW_SECTIONS)
    assert {p.section_code: p.results.count() for p in signed_review.parts.all()} == {
        "approval": 5,
        "ecology": 6,
        "pollution": 7,
    }


def test_r_rep_2_exceedance_proposed_to_ecology_and_pollution_with_figures(march_report, approval_clerk):
    review = reviews.open_review(by=approval_clerk, report=march_report, today=date(2026, 4, 21))
    proposed = review.problems.filter(status=ProblemStatus.PROPOSED)
    assert sorted(p.part.section_code for p in proposed) == ["ecology", "pollution"]
    assert all("DA001 颗粒物 实际浓度 25.000 mg/m³，超过许可浓度 20.000 mg/m³" in p.figures for p in proposed)


def test_r_rep_2_a_section_fills_and_signs_only_its_own_part(
    march_report, approval_clerk, ecology_clerk, heads
):
    review = reviews.open_review(by=approval_clerk, report=march_report, today=date(2026, 4, 21))
    ecology_part = review.parts.get(section_code="ecology")
    with pytest.raises(PermissionDenied, match="生态科"):
        reviews.fill_part(by=approval_clerk, part=ecology_part, results={"self_monitoring": (rules.FINE, "")})
    with pytest.raises(PermissionDenied, match="生态科"):
        reviews.sign_part(by=heads["pollution"], part=ecology_part, today=date(2026, 4, 22))
    with pytest.raises(PermissionDenied, match="负责人"):
        reviews.sign_part(by=ecology_clerk, part=ecology_part, today=date(2026, 4, 22))
    with pytest.raises(ValidationError, match="尚未填写"):
        reviews.sign_part(by=heads["ecology"], part=ecology_part, today=date(2026, 4, 22))


def test_r_rep_3_one_notice_with_every_adopted_problem_on_the_ledger(issued_notice):
    problems = issued_notice.problems.order_by("id")
    assert sorted(p.part.section_code for p in problems) == ["approval", "ecology"]
    assert issued_notice.number.startswith("执报反馈〔2026〕")
    # 10 working days after 23 April: 劳动节 1–5 May are off, Saturday 9 May is an adjusted working day.
    assert issued_notice.due_on == date(2026, 5, 11)
    items = RectificationItem.objects.filter(source_kind="report_review").order_by("id")
    assert [i.deadline_on for i in items] == [issued_notice.due_on] * 2


def test_r_rep_3_notice_needs_a_problem(march_report, approval_clerk, ecology_clerk, pollution_clerk, heads):
    from tests.permits.reports.conftest import fill_fine

    review = reviews.open_review(by=approval_clerk, report=march_report, today=date(2026, 4, 21))
    parts = {p.section_code: p for p in review.parts.all()}
    fill_fine(parts["approval"], approval_clerk)
    for clerk, code in ((ecology_clerk, "ecology"), (pollution_clerk, "pollution")):
        fill_fine(parts[code], clerk)
        reviews.decide_proposal(
            by=clerk, problem=parts[code].problems.get(), adopt=False, reason="日均值达标"
        )
    for code in rules.REVIEW_SECTIONS:
        reviews.sign_part(by=heads[code], part=parts[code], today=date(2026, 4, 22))
    with pytest.raises(ValidationError, match="未发现问题"):
        notices.issue_notice(
            by=approval_clerk,
            review=review,
            issued_on=date(2026, 4, 23),
            today=date(2026, 4, 23),
            contact="x",
        )
    assert not FeedbackNotice.objects.exists()


def test_r_rep_4_substantive_problem_goes_to_enforcement_at_once(issued_notice):
    substantive = issued_notice.problems.get(problem_class=rules.SUBSTANTIVE)
    task = LinkageTask.objects.get(source_key=substantive.lead.source_key)
    assert task.source_kind == "report_review"
    assert list(task.assignments.values_list("section__code", flat=True)) == ["enforcement"]
    assert ReportLead.objects.count() == 1


def test_r_rep_4_procedural_problem_escalated_after_its_time_limit_once(issued_notice):
    due.check_reports_due(today=issued_notice.due_on)
    assert ReportLead.objects.filter(kind="problem").count() == 1
    due.check_reports_due(today=date(2026, 5, 12))
    due.check_reports_due(today=date(2026, 5, 13))
    assert ReportLead.objects.filter(kind="problem").count() == 2
    assert (
        LinkageTask.objects.filter(
            source_key__in=[lead.source_key for lead in ReportLead.objects.filter(kind="problem")]
        ).count()
        == 2
    )


def test_r_rep_3_answer_is_a_new_version_and_rereview_closes_problems(
    issued_notice, approval_clerk, ecology_clerk, heads
):
    review = notices.record_answer(
        platform_ref="ZXBG-DA-0001",
        by=approval_clerk,
        notice=issued_notice,
        received_on=date(2026, 5, 6),
        today=date(2026, 5, 6),
    )
    report = issued_notice.report
    report.refresh_from_db()
    assert report.version_count == 2 and report.received_on == date(2026, 4, 10)
    assert sorted(p.section_code for p in review.parts.all()) == ["approval", "ecology"]
    approval_problem = issued_notice.problems.get(part__section_code="approval")
    notices.decide_problem(
        by=approval_clerk, problem=approval_problem, is_fixed=True, reason="已补填", today=date(2026, 5, 7)
    )
    with pytest.raises(PermissionDenied):
        notices.decide_problem(
            by=approval_clerk,
            problem=issued_notice.problems.get(part__section_code="ecology"),
            is_fixed=True,
            reason="x",
            today=date(2026, 5, 7),
        )
    item = RectificationItem.objects.get(source_key=approval_problem.source_key)
    assert item.closed_on is None  # the section may still change its mind
    reviews.sign_part(
        by=heads["approval"], part=review.parts.get(section_code="approval"), today=date(2026, 5, 8)
    )
    item.refresh_from_db()
    assert item.closed_on == date(2026, 5, 8) and "已补填" in item.closing_evidence


def test_r_rep_3_a_decision_is_final_once_the_section_head_signed(issued_notice, approval_clerk, heads):
    review = notices.record_answer(
        platform_ref="ZXBG-DA-0001",
        by=approval_clerk,
        notice=issued_notice,
        received_on=date(2026, 5, 6),
        today=date(2026, 5, 6),
    )
    problem = issued_notice.problems.get(part__section_code="approval")
    notices.decide_problem(
        by=approval_clerk, problem=problem, is_fixed=True, reason="已补填", today=date(2026, 5, 7)
    )
    reviews.sign_part(
        by=heads["approval"], part=review.parts.get(section_code="approval"), today=date(2026, 5, 7)
    )
    with pytest.raises(Conflict, match="已签核"):
        notices.decide_problem(
            by=approval_clerk, problem=problem, is_fixed=False, reason="改判", today=date(2026, 5, 8)
        )
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.CLOSED


def test_r_rep_2_one_section_adopting_an_exceedance_settles_the_others_copy(signed_review):
    # 生态科 adopted; 污防科's copy of the same figures is settled, so the notice tells it once.
    pollution_copy = signed_review.problems.get(part__section_code="pollution")
    assert pollution_copy.status == ProblemStatus.DISMISSED
    assert pollution_copy.decision_note == "已由生态科采纳为问题，不重复列入"
    assert signed_review.problems.filter(status=ProblemStatus.OPEN, point="actual_emissions").count() == 1


def test_r_rep_4_an_answer_in_time_awaiting_rereview_is_not_escalated(issued_notice, approval_clerk):
    # given: the facility answered within the time limit; the sections have not re-reviewed yet
    notices.record_answer(
        platform_ref="ZXBG-DA-0001",
        by=approval_clerk,
        notice=issued_notice,
        received_on=date(2026, 5, 8),
        today=date(2026, 5, 8),
    )
    # when: the time limit passes
    due.check_reports_due(today=date(2026, 5, 20))
    # then: only the substantive problem (handed over at once) has a lead
    assert [lead.problem.problem_class for lead in ReportLead.objects.filter(kind="problem")] == [
        rules.SUBSTANTIVE
    ]


def test_r_rep_4_a_procedural_problem_kept_open_at_rereview_after_the_limit_is_escalated(
    issued_notice, approval_clerk
):
    notices.record_answer(
        platform_ref="ZXBG-DA-0001",
        by=approval_clerk,
        notice=issued_notice,
        received_on=date(2026, 5, 8),
        today=date(2026, 5, 8),
    )
    procedural = issued_notice.problems.get(problem_class=rules.PROCEDURAL)
    notices.decide_problem(
        by=approval_clerk, problem=procedural, is_fixed=False, reason="仍未补填", today=date(2026, 5, 12)
    )
    assert ReportLead.objects.filter(problem=procedural).exists()


def test_r_rep_3_a_rereview_decides_problems_and_adds_none(issued_notice, approval_clerk):
    review = notices.record_answer(
        platform_ref="ZXBG-DA-0001",
        by=approval_clerk,
        notice=issued_notice,
        received_on=date(2026, 5, 6),
        today=date(2026, 5, 6),
    )
    part = review.parts.get(section_code="approval")
    with pytest.raises(Conflict, match="复核只对反馈意见单上的问题"):
        reviews.add_problem(
            by=approval_clerk, part=part, point="attachments", description="x", problem_class=rules.PROCEDURAL
        )
    with pytest.raises(Conflict, match="复核只对反馈意见单上的问题"):
        reviews.fill_part(by=approval_clerk, part=part, results={"attachments": (rules.FINE, "")})


def test_r_rep_3_a_report_problem_is_closed_at_its_rereview_not_from_the_ledger(
    issued_notice, approval_clerk
):
    from permits.services import rectification

    item = RectificationItem.objects.filter(source_kind="report_review").first()
    with pytest.raises(ValidationError, match="在反馈意见单的复核中销号"):
        rectification.close_rectification(
            by=approval_clerk, item=item, closed_on=date(2026, 5, 6), evidence="已整改"
        )
    item.refresh_from_db()
    assert item.closed_on is None
