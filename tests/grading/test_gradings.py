"""The grading services (``grading.services.gradings``) and the January job: drafting, drafting again,
the work group's changes, confirmation and its lock, a failed draft, the proposals a confirmed
grading makes to the positive list, and the frequency rules reading the list (R-GRD-1…5, R-POS-1)."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bureau.errors import Conflict
from grading import rules, tasks
from grading.models import (
    AnnualGrading,
    FacilityGrade,
    FactKind,
    GradeOverride,
    GradingState,
    PositiveListProposal,
    ProposalKind,
)
from grading.services import credit, facts, gradings, positive
from inspections import rules as inspection_rules
from inspections.services import planning
from permits.models import PenaltyRecord

pytestmark = [pytest.mark.django_db, pytest.mark.today(date(2026, 1, 20))]


def fact(by, facility, kind, on=date(2025, 6, 1)):
    return facts.record_fact(
        by=by, facility=facility, kind=kind, occurred_on=on, description="事实", evidence="文号"
    )


def drafted(by, year=2025):
    grading = gradings.start_draft(year=year, by=by)
    return gradings.draft(grading.pk)


def grade_of(grading, facility) -> FacilityGrade:
    return FacilityGrade.objects.get(grading=grading, facility=facility)


@pytest.fixture
def holders(make_holders):
    return make_holders(11)  # one place for 优秀


def test_r_grd_1_drafting_twice_replaces_the_draft_and_keeps_the_overrides(
    holders, work_group, approval_clerk, officer, pollution_clerk
):
    fact(pollution_clerk, holders[0], FactKind.COMMENDATION)
    grading = drafted(approval_clerk)
    assert (grading.state, grading.holders, grading.cap, grading.done, grading.total) == (
        GradingState.DRAFT,
        11,
        1,
        11,
        11,
    )
    gradings.override(
        by=officer,
        grade=grade_of(grading, holders[5]),
        to_grade=rules.UNQUALIFIED,
        condition="u4",
        reason="拒不配合现场检查",
    )
    ids = set(FacilityGrade.objects.filter(grading=grading).values_list("pk", flat=True))
    fact(pollution_clerk, holders[1], FactKind.MEDIA)  # a fact recorded since
    again = drafted(approval_clerk)
    assert again.pk == grading.pk and again.draft_count == 2 and AnnualGrading.objects.count() == 1
    assert set(FacilityGrade.objects.filter(grading=grading).values_list("pk", flat=True)) == ids
    assert FacilityGrade.objects.filter(grading=grading).values("facility").distinct().count() == 11
    changed = grade_of(again, holders[5])
    assert (changed.rule_grade, changed.grade, changed.is_overridden) == (
        rules.QUALIFIED,
        rules.UNQUALIFIED,
        True,
    )
    assert GradeOverride.objects.count() == 1
    second = grade_of(again, holders[1])  # the new fact is read: a candidate beyond the one place
    assert second.grade == rules.QUALIFIED and second.rank == 2 and second.reasons[-1]["code"] == "cap"


def test_r_grd_1_a_year_not_ended_is_refused_and_nothing_written(holders, approval_clerk):
    for year in (2026, 2027):
        with pytest.raises(ValidationError) as error:
            gradings.start_draft(year=year, by=approval_clerk)
        assert "尚未结束" in str(error.value)
    with pytest.raises(ValidationError):
        gradings.start_draft(year="二〇二五", by=approval_clerk)
    assert AnnualGrading.objects.count() == 0


def test_r_grd_1_only_approval_drafts(holders, legal_clerk):
    with pytest.raises(PermissionDenied):
        gradings.start_draft(year=2025, by=legal_clerk)
    assert AnnualGrading.objects.count() == 0


def test_r_grd_5_only_work_group_members_override(holders, work_group, approval_clerk, pollution_clerk):
    grading = drafted(approval_clerk)
    grade = grade_of(grading, holders[0])
    with pytest.raises(PermissionDenied) as error:  # 污防科's clerk holds no post
        gradings.override(by=pollution_clerk, grade=grade, to_grade=rules.UNQUALIFIED, reason="理由")
    assert "工作组成员" in str(error.value)
    with pytest.raises(ValidationError) as error:
        gradings.override(by=approval_clerk, grade=grade, to_grade=rules.UNQUALIFIED, reason="  ")
    assert "书面理由" in str(error.value)
    assert GradeOverride.objects.count() == 0
    assert grade_of(grading, holders[0]).grade == rules.QUALIFIED


def test_r_grd_5_only_the_leader_confirms(holders, work_group, approval_clerk, approval_head, leader):
    grading = drafted(approval_clerk)
    for user in (approval_clerk, approval_head):  # a member, a 副组长
        with pytest.raises(PermissionDenied) as error:
            gradings.confirm(by=user, grading=grading)
        assert "组长" in str(error.value)
    assert AnnualGrading.objects.get().state == GradingState.DRAFT
    confirmed = gradings.confirm(by=leader, grading=grading)
    assert (confirmed.state, confirmed.confirmed_by) == (GradingState.CONFIRMED, leader)


def test_r_grd_4_the_cap_holds_at_confirmation_unless_a_reason_is_recorded(
    holders, work_group, approval_clerk, officer, leader, pollution_clerk
):
    grading = drafted(approval_clerk)  # no candidate yet: the place is free
    gradings.override(
        by=officer, grade=grade_of(grading, holders[3]), to_grade=rules.EXCELLENT, reason="获区级表彰"
    )
    fact(pollution_clerk, holders[0], FactKind.COMMENDATION)
    grading = drafted(approval_clerk)  # now the rules give holders[0] the place too: two 优秀, cap 1
    assert gradings.counts(grading)[rules.EXCELLENT] == 2
    with pytest.raises(ValidationError) as error:
        gradings.confirm(by=leader, grading=grading)
    assert "超过名额 1 个" in str(error.value)
    assert AnnualGrading.objects.get().state == GradingState.DRAFT
    with pytest.raises(ValidationError):  # the reason cannot be withdrawn while over the cap
        gradings.record_cap_exceedance(by=officer, grading=grading, reason="")
    gradings.record_cap_exceedance(by=officer, grading=grading, reason="两家均获表彰，工作组一致同意")
    grading = gradings.confirm(by=leader, grading=grading)
    assert grading.is_confirmed and grading.cap_exceeded_by == officer


def test_r_grd_5_a_confirmed_grading_cannot_change(holders, work_group, approval_clerk, officer, leader):
    grading = drafted(approval_clerk)
    grade = grade_of(grading, holders[0])
    gradings.confirm(by=leader, grading=grading)
    with pytest.raises(Conflict):
        gradings.start_draft(year=2025, by=approval_clerk)
    with pytest.raises(Conflict):
        gradings.override(by=officer, grade=grade, to_grade=rules.UNQUALIFIED, reason="事后调整")
    with pytest.raises(Conflict):
        gradings.record_cap_exceedance(by=officer, grading=grading, reason="事后补充")
    with pytest.raises(Conflict):
        gradings.confirm(by=leader, grading=grading)
    assert gradings.draft(grading.pk).is_confirmed  # the worker leaves it as it is
    grading.refresh_from_db()
    assert (grading.state, grading.draft_count, grading.cap_exceeded_reason) == (
        GradingState.CONFIRMED,
        1,
        "",
    )
    assert GradeOverride.objects.count() == 0
    assert grade_of(grading, holders[0]).grade == rules.QUALIFIED


def test_r_grd_1_a_failed_draft_says_so(holders, approval_clerk, monkeypatch):
    def broken(year, **kwargs):
        raise RuntimeError("数据库连接中断")

    monkeypatch.setattr(facts, "load_year", broken)
    grading = gradings.start_draft(year=2025, by=approval_clerk)
    with pytest.raises(RuntimeError):
        gradings.draft(grading.pk)
    grading.refresh_from_db()
    assert (grading.state, grading.error) == (GradingState.FAILED, "起草失败：RuntimeError")
    assert FacilityGrade.objects.count() == 0
    monkeypatch.undo()
    assert gradings.draft(gradings.start_draft(year=2025, by=approval_clerk).pk).state == GradingState.DRAFT


@pytest.fixture
def inline_drafts(monkeypatch, django_capture_on_commit_callbacks):
    """The job's ``draft_grading.delay`` runs the draft at once, after the commit, as the worker would."""
    monkeypatch.setattr(tasks.draft_grading, "delay", lambda pk: tasks.draft_grading(pk))

    def run(today: str) -> str:
        with django_capture_on_commit_callbacks(execute=True):
            return tasks.january_draft(today=today)

    return run


def test_r_grd_1_january_job_drafts_last_year_once(holders, inline_drafts):
    assert inline_drafts("2026-01-05") == "2025: queued"
    grading = AnnualGrading.objects.get()
    assert (grading.year, grading.state, grading.drafted_by, grading.holders) == (
        2025,
        GradingState.DRAFT,
        None,
        11,
    )
    assert inline_drafts("2026-01-06") == "2025: 待工作组审核"
    assert AnnualGrading.objects.get().draft_count == 1 and FacilityGrade.objects.count() == 11
    assert inline_drafts("2026-02-01") == "not January"
    assert inline_drafts("2025-12-31") == "not January"
    assert AnnualGrading.objects.count() == 1


def test_r_grd_1_january_job_tries_again_after_a_failure(holders, inline_drafts):
    failed = AnnualGrading.objects.create(
        year=2025, state=GradingState.FAILED, error="起草失败：OperationalError"
    )
    assert inline_drafts("2026-01-07") == "2025: queued"
    failed.refresh_from_db()
    assert (failed.state, failed.error, failed.holders) == (GradingState.DRAFT, "", 11)


def test_r_pos_1_confirmation_proposes_additions_and_removals(
    make_holders, work_group, approval_clerk, legal_clerk, leader, pollution_clerk
):
    holders = make_holders(30)  # three places
    good, penalised_since, bad_listed, bad_commended = holders[:4]
    for facility in (good, penalised_since, bad_listed, bad_commended):
        credit.record_rating(
            by=legal_clerk, facility=facility, rated_on=date(2025, 12, 1), level="good", source="市局信用评价"
        )
    for facility in (good, penalised_since, bad_commended):
        fact(pollution_clerk, facility, FactKind.COMMENDATION)
    fact(pollution_clerk, bad_commended, FactKind.NOT_COOPERATING)
    fact(pollution_clerk, bad_listed, FactKind.NOT_COOPERATING)
    positive.add(by=legal_clerk, facility=bad_listed, reason="信用良好", today=date(2025, 3, 1))
    PenaltyRecord.objects.create(  # after the year graded: no proposal (the bureau's condition)
        facility=penalised_since,
        decision_no="普环罚〔2026〕1号",
        decided_on=date(2026, 1, 10),
        violation="超标",
        recorded_by=legal_clerk,
    )
    grading = drafted(approval_clerk)
    assert {grade_of(grading, f).grade for f in (good, penalised_since)} == {rules.EXCELLENT}
    gradings.confirm(by=leader, grading=grading, today=date(2026, 1, 20))
    proposals = {(p.facility_id, p.kind): p for p in PositiveListProposal.objects.filter(grading=grading)}
    assert set(proposals) == {(good.pk, ProposalKind.ADD), (bad_listed.pk, ProposalKind.REMOVE)}
    assert "不合格" in proposals[bad_listed.pk, ProposalKind.REMOVE].reason
    with pytest.raises(PermissionDenied):  # only 法制科 decides
        positive.decide(by=approval_clerk, proposal=proposals[good.pk, ProposalKind.ADD], accept=True)
    positive.decide(
        by=legal_clerk, proposal=proposals[good.pk, ProposalKind.ADD], accept=True, today=date(2026, 1, 1)
    )
    positive.decide(
        by=legal_clerk,
        proposal=proposals[bad_listed.pk, ProposalKind.REMOVE],
        accept=True,
        today=date(2026, 1, 1),
    )
    with pytest.raises(ValidationError):  # a 不合格 unit is not admitted by hand either
        positive.add(by=legal_clerk, facility=bad_commended, reason="表彰")
    # The frequency rules (R-INS-4) read membership from the list.
    planned = planning.load_facts(inspection_rules.year_period(2026))
    assert planned.facts[good.pk].on_positive_list is True
    assert planned.facts[bad_listed.pk].on_positive_list is False
    assert planned.facts[holders[5].pk].on_positive_list is False


def test_r_grd_5_the_leader_confirms_what_the_facts_say_today(
    holders, work_group, approval_clerk, pollution_clerk, leader
):
    """A fact recorded after the draft: confirmation is refused until the draft is made again."""
    grading = drafted(approval_clerk)
    fact(pollution_clerk, holders[3], FactKind.NOT_COOPERATING)
    with pytest.raises(Conflict, match="起草后事实已有变化：1 家单位"):
        gradings.confirm(by=leader, grading=grading)
    assert AnnualGrading.objects.get(pk=grading.pk).state == GradingState.DRAFT
    grading = drafted(approval_clerk)
    assert gradings.confirm(by=leader, grading=grading).is_confirmed
    assert grade_of(grading, holders[3]).grade == rules.UNQUALIFIED


def test_r_grd_1_a_draft_overtaken_by_a_newer_one_stops_without_writing(holders, approval_clerk):
    grading = gradings.start_draft(year=2025, by=approval_clerk)
    stale = AnnualGrading.objects.get(pk=grading.pk)
    AnnualGrading.objects.filter(pk=grading.pk).update(draft_count=grading.draft_count + 1)  # a newer start
    gradings._draft(stale)
    assert not FacilityGrade.every_row.filter(grading=grading).exists()
    assert AnnualGrading.objects.get(pk=grading.pk).state == GradingState.DRAFTING
    assert gradings.draft(grading.pk).state == GradingState.DRAFT  # the newer run writes and finishes
    assert FacilityGrade.objects.filter(grading=grading).count() == 11


def test_r_grd_1_a_holder_no_more_is_set_aside_with_the_work_groups_change(
    holders, work_group, approval_clerk, pollution_clerk
):
    grading = drafted(approval_clerk)
    gradings.override(
        by=approval_clerk,
        grade=grade_of(grading, holders[4]),
        to_grade=rules.UNQUALIFIED,
        condition="u4",
        reason="拒不配合",
    )
    holders[4].permits.update(issued_on=date(2026, 1, 5), valid_from=date(2026, 1, 5))  # corrected data
    holders[5].permits.update(issued_on=date(2026, 1, 5), valid_from=date(2026, 1, 5))
    grading = drafted(approval_clerk)
    assert grading.holders == 9 and FacilityGrade.objects.filter(grading=grading).count() == 9
    kept = FacilityGrade.every_row.get(grading=grading, facility=holders[4])
    assert not kept.is_holder and kept.overrides.count() == 1
    assert not FacilityGrade.every_row.filter(grading=grading, facility=holders[5]).exists()
    assert sum(gradings.counts(grading).values()) == 9


def test_r_grd_2_a_change_a_new_unqualified_fact_voids_says_so(
    holders, work_group, approval_clerk, pollution_clerk
):
    grading = drafted(approval_clerk)
    gradings.override(
        by=approval_clerk,
        grade=grade_of(grading, holders[6]),
        to_grade=rules.UNQUALIFIED,
        condition="u4",
        reason="待查",
    )
    gradings.override(
        by=approval_clerk, grade=grade_of(grading, holders[6]), to_grade=rules.QUALIFIED, reason="已查清"
    )
    fact(pollution_clerk, holders[6], FactKind.OTHER_SERIOUS)
    grade = grade_of(drafted(approval_clerk), holders[6])
    assert grade.grade == rules.UNQUALIFIED
    assert grade.reasons[-1]["code"] == "override-void" and "不再适用" in grade.reasons[-1]["text"]


def test_r_grd_5_the_draft_waits_on_the_leaders_list(holders, work_group, approval_clerk, leader):
    from bureau.models import TodoItem

    grading = drafted(approval_clerk)
    assert TodoItem.objects.get(key=f"grading-review:{grading.year}:leader", done_at=None).user == leader
    gradings.confirm(by=leader, grading=grading)
    assert not TodoItem.objects.filter(key__startswith="grading-review:", done_at=None).exists()


def test_r_pos_1_a_removal_carries_out_the_pending_proposal_to_remove(
    holders, work_group, approval_clerk, pollution_clerk, legal_clerk, leader
):
    positive.add(by=legal_clerk, facility=holders[7], reason="信用良好")
    fact(pollution_clerk, holders[7], FactKind.NOT_COOPERATING)
    gradings.confirm(by=leader, grading=drafted(approval_clerk))
    proposal = PositiveListProposal.objects.get(facility=holders[7], kind=ProposalKind.REMOVE)
    positive.remove(by=legal_clerk, facility=holders[7], reason="法制科决定移出")
    proposal.refresh_from_db()
    assert proposal.state == "accepted" and proposal.entry.removal_reason == "法制科决定移出"
