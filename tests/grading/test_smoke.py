"""The core path end to end through the services: draft, change one grade, confirm, propose."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bureau import positive_list
from bureau.errors import Conflict
from grading import rules
from grading.models import FacilityGrade, FactKind, GradingState, PositiveListProposal
from grading.services import facts, gradings, positive

pytestmark = [pytest.mark.django_db, pytest.mark.today(date(2026, 1, 20))]


def test_draft_override_confirm_propose(
    make_holders, work_group, approval_clerk, legal_clerk, leader, pollution_clerk
):
    holders = make_holders(12)
    facts.record_fact(
        by=pollution_clerk,
        facility=holders[0],
        kind=FactKind.COMMENDATION,
        occurred_on=date(2025, 6, 1),
        description="获市生态环境局表彰",
        evidence="沪环〔2025〕1号",
    )
    facts.record_fact(
        by=pollution_clerk,
        facility=holders[1],
        kind=FactKind.MEDIA,
        occurred_on=date(2025, 7, 1),
        description="先进事迹获报道",
        evidence="解放日报 2025-07-01",
    )
    facts.record_fact(
        by=pollution_clerk,
        facility=holders[2],
        kind=FactKind.NOT_COOPERATING,
        occurred_on=date(2025, 8, 1),
        description="拒绝提供台账",
        evidence="现场检查记录",
    )
    grading = gradings.start_draft(year=2025, by=approval_clerk)
    grading = gradings.draft(grading.pk)
    assert grading.state == GradingState.DRAFT
    assert (grading.holders, grading.cap) == (12, 1)
    by_facility = {g.facility_id: g for g in FacilityGrade.objects.filter(grading=grading)}
    assert by_facility[holders[0].pk].grade == rules.EXCELLENT  # ranked first: commendation, then code
    assert by_facility[holders[1].pk].grade == rules.QUALIFIED
    assert by_facility[holders[2].pk].grade == rules.UNQUALIFIED
    with pytest.raises(ValidationError):
        gradings.override(
            by=approval_clerk, grade=by_facility[holders[1].pk], to_grade=rules.EXCELLENT, reason=""
        )
    with pytest.raises(ValidationError):  # the cap holds
        gradings.override(
            by=approval_clerk, grade=by_facility[holders[1].pk], to_grade=rules.EXCELLENT, reason="表现突出"
        )
    with pytest.raises(ValidationError):  # a 不合格 condition stays 不合格
        gradings.override(
            by=approval_clerk, grade=by_facility[holders[2].pk], to_grade=rules.QUALIFIED, reason="已改正"
        )
    with pytest.raises(PermissionDenied):
        gradings.confirm(by=approval_clerk, grading=grading)
    gradings.record_cap_exceedance(by=approval_clerk, grading=grading, reason="两家均获市级表彰")
    gradings.override(
        by=approval_clerk, grade=by_facility[holders[1].pk], to_grade=rules.EXCELLENT, reason="表现突出"
    )
    # Drafting again keeps the work group's change.
    gradings.start_draft(year=2025, by=approval_clerk)
    grading = gradings.draft(grading.pk)
    assert FacilityGrade.objects.get(grading=grading, facility=holders[1]).grade == rules.EXCELLENT
    assert FacilityGrade.objects.filter(grading=grading).count() == 12
    gradings.confirm(by=leader, grading=grading)
    with pytest.raises(Conflict):
        gradings.start_draft(year=2025, by=approval_clerk)
    proposals = PositiveListProposal.objects.filter(grading=grading)
    assert proposals.count() == 0  # the default conditions ask for good credit; these have none
    positive.add(by=legal_clerk, facility=holders[0], reason="信用良好，年度评定优秀")
    assert positive_list.members(date(2026, 1, 20)) == {holders[0].pk}
    with pytest.raises(ValidationError):
        positive.add(by=legal_clerk, facility=holders[2], reason="试图列入不合格单位")
    assert positive_list.drop_at_once(holders[0].pk, on=date(2026, 1, 21), reason="案件：偷排")
    assert positive_list.members(date(2026, 1, 21)) == set()
