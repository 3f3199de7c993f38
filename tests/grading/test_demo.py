"""The grading demo (``grading.demo``) shows what issue 12 asks to see: the work group of 附件1, last
year's grading confirmed by the 组长 with one grade changed by a member and the cap exceeded with a
reason, facts recorded by hand, credit ratings, the positive list with accepted and pending proposals;
and a second seed changes nothing. One seed of the whole demo answers every question."""

from datetime import date

import pytest
from django.core.management import call_command
from django.test import override_settings

from bureau.models import SectionCode
from grading import rules
from grading.models import (
    AnnualGrading,
    CreditRecord,
    Duty,
    FacilityGrade,
    FactKind,
    GradeOverride,
    GradingFact,
    GradingState,
    PositiveListEntry,
    PositiveListProposal,
    ProposalKind,
    ProposalState,
    WorkGroupPost,
)
from grading.services import gradings, positive
from grading.services.workgroup import MEMBER_SECTIONS, vacancies

pytestmark = pytest.mark.today(date(2026, 3, 16))

MODELS = (
    WorkGroupPost,
    AnnualGrading,
    FacilityGrade,
    GradeOverride,
    GradingFact,
    CreditRecord,
    PositiveListEntry,
    PositiveListProposal,
)


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.fixture
def demo(db, today, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with override_settings(DEBUG=True):
        call_command("seed_demo")
    return today


def test_r_org_1_r_grd_5_r_pos_1_the_demo_shows_the_year_and_a_second_seed_changes_nothing(demo):
    # 附件1: 组长 a bureau leader, 副组长 the heads of 审批科、生态科、污防科, members from all six sections
    posts = list(WorkGroupPost.objects.select_related("holder__user", "section"))
    assert [p.holder.user.username for p in posts if p.duty == Duty.LEADER] == ["leadership"]
    assert {p.section.code for p in posts if p.duty == Duty.DEPUTY} == {
        SectionCode.APPROVAL,
        SectionCode.ECOLOGY,
        SectionCode.POLLUTION,
    }
    assert {p.section.code for p in posts if p.duty == Duty.MEMBER} == set(MEMBER_SECTIONS)
    assert vacancies() == []

    # last year's grading: drafted, one grade changed by a member, the cap exceeded with a reason, confirmed
    grading = AnnualGrading.objects.get(year=2025)
    assert grading.state == GradingState.CONFIRMED and grading.confirmed_by.username == "leadership"
    assert grading.cap >= 1 and grading.holders == FacilityGrade.objects.filter(grading=grading).count()
    assert gradings.counts(grading)[rules.EXCELLENT] == grading.cap + 1 and grading.cap_exceeded_reason
    (change,) = GradeOverride.objects.select_related("facility_grade")
    assert change.reason and change.by.username == "pollution" and change.to_grade == rules.EXCELLENT
    assert change.facility_grade.rule_grade == rules.QUALIFIED and change.facility_grade.is_overridden
    beyond = FacilityGrade.objects.get(grading=grading, rank=grading.cap + 2)
    assert beyond.grade == rules.QUALIFIED and beyond.reasons[-1]["code"] == "cap"
    first = FacilityGrade.objects.get(grading=grading, rank=1)
    assert first.grade == rules.EXCELLENT and first.excellent_conditions == "e1,e2"
    assert FacilityGrade.objects.filter(grading=grading, grade=rules.UNQUALIFIED).exists()

    # facts by hand, of three kinds at least; credit ratings written onto the facility
    assert {FactKind.COMMENDATION, FactKind.MEDIA, FactKind.NOT_COOPERATING} <= set(
        GradingFact.objects.values_list("kind", flat=True)
    )
    record = CreditRecord.objects.select_related("facility").first()
    assert record.facility.credit_rating and record.recorded_by.username == "legal"

    # the positive list: the best listed on 法制科's acceptance, the 不合格 unit removed, one proposal pending
    proposals = PositiveListProposal.objects.filter(grading=grading)
    assert proposals.filter(
        kind=ProposalKind.ADD, state=ProposalState.ACCEPTED, facility=first.facility
    ).exists()
    assert proposals.filter(kind=ProposalKind.REMOVE, state=ProposalState.ACCEPTED).exists()
    assert proposals.filter(state=ProposalState.PENDING).exists()
    listed = positive.members(demo)
    assert first.facility_id in listed
    unqualified = set(
        FacilityGrade.objects.filter(grading=grading, grade=rules.UNQUALIFIED).values_list(
            "facility_id", flat=True
        )
    )
    assert not listed & unqualified
    assert PositiveListEntry.objects.filter(removed_on__isnull=False).exists()

    # a second seed creates nothing twice
    before = counts()
    with override_settings(DEBUG=True):
        call_command("seed_demo")
    assert counts() == before
