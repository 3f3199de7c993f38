"""执法正面清单 (R-POS-1; 002 十二) through its page: 法制科 lists and removes units with reasons, decides
the proposals of confirmed gradings and sets the proposal conditions; every other section reads; a
不合格 unit is not admitted; a unit dropped at once by the system shows why, with its link."""

from datetime import date

import pytest
from django.urls import reverse

from bureau import positive_list
from grading import rules
from grading.models import (
    AnnualGrading,
    FacilityGrade,
    GradingState,
    PositiveListEntry,
    PositiveListProposal,
    PositiveListSettings,
    ProposalKind,
    ProposalState,
)
from grading.services import positive

pytestmark = [pytest.mark.django_db, pytest.mark.today(date(2026, 3, 10))]

LIST = reverse("grading:positive-list")
ADD = reverse("grading:positive-add")
SETTINGS = reverse("grading:positive-settings")


def text(response) -> str:
    return response.content.decode()


@pytest.fixture
def holders(make_holders):
    return make_holders(3)


@pytest.fixture
def confirmed(holders):
    """The confirmed 2025 grading: holders[0] 优秀, holders[1] 不合格, holders[2] 合格."""
    grading = AnnualGrading.objects.create(year=2025, state=GradingState.CONFIRMED, holders=3)
    for facility, grade in zip(holders, (rules.EXCELLENT, rules.UNQUALIFIED, rules.QUALIFIED), strict=True):
        FacilityGrade.objects.create(grading=grading, facility=facility, rule_grade=grade, grade=grade)
    return grading


def propose(grading, facility, kind=ProposalKind.ADD):
    return PositiveListProposal.objects.create(
        facility=facility, kind=kind, grading=grading, reason=f"{grading.year} 年度等级评定建议"
    )


def test_r_pos_1_legal_lists_a_unit_with_a_reason_and_everyone_in_the_bureau_reads_it(
    client, legal_clerk, officer, holders
):
    client.force_login(legal_clerk)
    response = client.post(ADD, {"facility": holders[0].source_code, "reason": "守法记录良好"})
    assert response.status_code == 302
    entry = PositiveListEntry.objects.get()
    assert (entry.facility, entry.reason, entry.listed_by, entry.listed_on) == (
        holders[0],
        "守法记录良好",
        legal_clerk,
        date(2026, 3, 10),
    )
    assert positive_list.members(date(2026, 3, 10)) == {holders[0].pk}
    # the enforcement brigade reads it, without the keeper's forms
    client.force_login(officer)
    page = text(client.get(LIST))
    assert holders[0].name in page and "守法记录良好" in page and "法制科决定" in page
    assert 'data-form="positive-add"' not in page and 'data-form="remove"' not in page


def test_r_pos_1_only_legal_keeps_the_list(client, legal_clerk, approval_clerk, administrator, holders):
    entry = positive.add(by=legal_clerk, facility=holders[0], reason="守法")
    for user in (approval_clerk, administrator):
        client.force_login(user)
        refused = client.post(ADD, {"facility": holders[1].source_code, "reason": "守法"})
        assert refused.status_code == 403 and "执法正面清单由社区联络科（法制科）管理。" in text(refused)
        removed = client.post(reverse("grading:positive-remove", args=[entry.pk]), {"reason": "不再符合"})
        assert removed.status_code == 403
        assert client.post(SETTINGS, {"require_no_penalty": ""}).status_code == 403
    assert positive_list.members(date(2026, 3, 10)) == {holders[0].pk}
    assert not PositiveListSettings.objects.exists()


def test_r_pos_1_an_unqualified_unit_is_refused_admission_with_the_services_message(
    client, legal_clerk, holders, confirmed
):
    client.force_login(legal_clerk)
    response = client.post(ADD, {"facility": holders[1].source_code, "reason": "试图列入"})
    assert response.status_code == 400
    assert "该单位 2025 年度等级评定为“不合格”，不得列入执法正面清单。" in text(response)
    assert not PositiveListEntry.objects.exists()


def test_bad_input_is_refused_in_chinese_and_nothing_is_written(client, legal_clerk, holders):
    client.force_login(legal_clerk)
    empty = client.post(ADD, {})
    assert empty.status_code == 400
    assert "请选择要列入的单位。" in text(empty) and "请填写列入理由。" in text(empty)
    unknown = client.post(ADD, {"facility": "查无此厂", "reason": "守法"})
    assert unknown.status_code == 400 and "未找到排污单位“查无此厂”" in text(unknown)
    entry = positive.add(by=legal_clerk, facility=holders[0], reason="守法")
    twice = client.post(ADD, {"facility": holders[0].source_code, "reason": "再次列入"})
    assert twice.status_code == 400 and "该单位已在执法正面清单中。" in text(twice)
    no_reason = client.post(reverse("grading:positive-remove", args=[entry.pk]), {"reason": ""})
    assert no_reason.status_code == 400 and "请填写移出理由。" in text(no_reason)
    assert PositiveListEntry.objects.get().removed_on is None
    bad_level = client.post(SETTINGS, {"credit_levels": ["excellent", "platinum"]})
    assert bad_level.status_code == 400 and "信用等级有误：platinum" in text(bad_level)
    assert not PositiveListSettings.objects.exists()


def test_r_pos_1_legal_removes_a_unit_and_the_history_shows_why(client, legal_clerk, approval_clerk, holders):
    entry = positive.add(by=legal_clerk, facility=holders[0], reason="守法")
    client.force_login(legal_clerk)
    response = client.post(
        reverse("grading:positive-remove", args=[entry.pk]), {"reason": "发现新的违法行为"}
    )
    assert response.status_code == 302
    assert positive_list.members(date(2026, 3, 10)) == set()
    again = client.post(reverse("grading:positive-remove", args=[entry.pk]), {"reason": "再移一次"})
    assert again.status_code == 409 and "该单位已移出执法正面清单。" in text(again)
    client.force_login(approval_clerk)
    assert 'data-entry="' not in text(client.get(LIST))
    history = text(client.get(LIST, {"view": "history"}))
    assert "发现新的违法行为" in history and "2026-03-10" in history and legal_clerk.display_name in history


def test_r_pos_1_a_unit_dropped_at_once_shows_the_system_and_the_record_that_caused_it(
    client, legal_clerk, officer, holders
):
    positive.add(by=legal_clerk, facility=holders[0], reason="守法")
    positive_list.drop_at_once(
        holders[0].pk, on=date(2026, 3, 10), reason="案件：偷排", url="/inspections/cases/7/"
    )
    client.force_login(officer)
    history = text(client.get(LIST, {"view": "history"}))
    assert "系统及时移出" in history and "案件：偷排" in history and 'href="/inspections/cases/7/"' in history


def test_r_grd_5_legal_accepts_and_rejects_proposals_of_a_confirmed_grading(
    client, legal_clerk, holders, confirmed
):
    add = propose(confirmed, holders[0])
    other = propose(confirmed, holders[2])
    client.force_login(legal_clerk)
    page = text(client.get(LIST))
    assert f'data-proposal="{add.pk}"' in page and 'data-form="decide"' in page
    # rejecting needs a note; nothing changes without one
    no_note = client.post(
        reverse("grading:proposal-decide", args=[other.pk]), {"decision": "reject", "note": ""}
    )
    assert no_note.status_code == 400 and "不予采纳的，请填写理由。" in text(no_note)
    other.refresh_from_db()
    assert other.state == ProposalState.PENDING
    assert (
        client.post(
            reverse("grading:proposal-decide", args=[other.pk]),
            {"decision": "reject", "note": "信用记录待核实"},
        ).status_code
        == 302
    )
    assert (
        client.post(reverse("grading:proposal-decide", args=[add.pk]), {"decision": "accept"}).status_code
        == 302
    )
    assert positive_list.members(date(2026, 3, 10)) == {holders[0].pk}
    page = text(client.get(LIST))
    assert "已采纳" in page and "不予采纳" in page and "信用记录待核实" in page and "评定结果建议" in page


def test_r_grd_5_a_proposal_decided_twice_is_a_conflict(client, legal_clerk, holders, confirmed):
    proposal = propose(confirmed, holders[0])
    url = reverse("grading:proposal-decide", args=[proposal.pk])
    client.force_login(legal_clerk)
    assert client.post(url, {"decision": "accept"}).status_code == 302
    twice = client.post(url, {"decision": "reject", "note": "改变主意"})
    assert twice.status_code == 409 and "该建议已决定（已采纳），不能再次决定。" in text(twice)
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.ACCEPTED and PositiveListEntry.objects.count() == 1


def test_r_grd_5_only_legal_decides_proposals(client, leader, holders, confirmed):
    proposal = propose(confirmed, holders[0])
    client.force_login(leader)
    assert 'data-form="decide"' not in text(client.get(LIST))
    refused = client.post(reverse("grading:proposal-decide", args=[proposal.pk]), {"decision": "accept"})
    assert refused.status_code == 403 and "执法正面清单由社区联络科（法制科）管理。" in text(refused)
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.PENDING


def test_r_pos_1_legal_sets_the_proposal_conditions_others_read_them(client, legal_clerk, officer):
    client.force_login(legal_clerk)
    assert client.post(SETTINGS, {"credit_levels": ["excellent"]}).status_code == 302
    row = PositiveListSettings.objects.get()
    assert (row.require_no_penalty, row.credit_level_set) == (False, frozenset({"excellent"}))
    client.force_login(officer)
    page = text(client.get(LIST))
    assert "无行政处罚：不要求" in page and "信用评价：环保诚信" in page
    assert client.get(SETTINGS).status_code == 302
