"""The grading API (``grading.api``): drafting, reading, changing and confirming the annual grading
(R-GRD-1…5), the positive list and its proposals (R-POS-1), credit ratings (R-CRD-1); every endpoint
per role, bad input answered in Chinese with nothing written, fixed query budgets."""

from datetime import date

import pytest

from grading import rules, tasks
from grading.models import (
    AnnualGrading,
    CreditRecord,
    FacilityGrade,
    FactKind,
    GradeOverride,
    GradingState,
    PositiveListEntry,
    PositiveListProposal,
)
from grading.services import credit, facts, gradings, positive

pytestmark = [pytest.mark.django_db, pytest.mark.today(date(2026, 1, 20))]

GRADINGS = "/api/v1/gradings/"
YEAR = "/api/v1/gradings/2025/"
GRADES = "/api/v1/gradings/2025/grades/"
CAP = "/api/v1/gradings/2025/cap-exceedance/"
CONFIRM = "/api/v1/gradings/2025/confirm/"
POSITIVE = "/api/v1/positive-list/"
PROPOSALS = "/api/v1/positive-list/proposals/"
CREDIT = "/api/v1/credit-ratings/"


def override_url(grade: FacilityGrade) -> str:
    return f"{GRADES}{grade.pk}/override/"


@pytest.fixture
def queued(monkeypatch):
    """Draft tasks are collected, not sent: the test runs them as the worker would."""
    calls: list[int] = []
    monkeypatch.setattr(tasks.draft_grading, "delay", calls.append)
    return calls


def add_facts(holders, by):
    """holders[0] commended, holders[1] in the media (both 优秀 candidates, one place for 12 holders),
    holders[2] failed to cooperate (不合格)."""
    for facility, kind in [
        (holders[0], FactKind.COMMENDATION),
        (holders[1], FactKind.MEDIA),
        (holders[2], FactKind.NOT_COOPERATING),
    ]:
        facts.record_fact(
            by=by,
            facility=facility,
            kind=kind,
            occurred_on=date(2025, 6, 1),
            description="测试事实",
            evidence="测试文号",
        )


@pytest.fixture
def holders(make_holders, pollution_clerk):
    made = make_holders(12)
    add_facts(made, pollution_clerk)
    return made


@pytest.fixture
def grading(holders, work_group, approval_clerk):
    """The 2025 draft of twelve holders: one 优秀 place; the work group of the conftest."""
    return gradings.draft(gradings.start_draft(year=2025, by=approval_clerk).pk)


def grade_of(grading, facility) -> FacilityGrade:
    return FacilityGrade.objects.get(grading=grading, facility=facility)


def as_user(api_client, user):
    api_client.force_authenticate(user)
    return api_client


def detail(response) -> str:
    return str(response.json())


# --- drafting (R-GRD-1) ----------------------------------------------------------------------------


def test_r_grd_1_approval_starts_a_draft_and_sees_its_progress(
    api_client, holders, approval_clerk, queued, django_capture_on_commit_callbacks
):
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = as_user(api_client, approval_clerk).post(GRADINGS, {"year": 2025}, format="json")
    # then: accepted, queued once, the year's answer shows it drafting
    assert response.status_code == 202
    assert response["Location"] == YEAR
    body = response.json()
    assert (body["year"], body["state"], body["state_display"]) == (2025, "drafting", "起草中")
    assert body["drafted_by"] == approval_clerk.display_name
    grading = AnnualGrading.objects.get(year=2025)
    assert queued == [grading.pk]
    # the worker runs the task
    tasks.draft_grading(queued.pop())
    body = api_client.get(YEAR).json()
    assert (body["state"], body["state_display"]) == ("draft", "待工作组审核")
    assert (body["holders"], body["cap"]) == (12, 1)
    assert body["progress"] == {"done": 12, "total": 12}
    assert body["counts"] == {"excellent": 1, "qualified": 10, "unqualified": 1}
    assert body["cap_exceedance"] is None and body["confirmed_by"] is None
    assert body["ranking"] == list(rules.RANKING)


@pytest.mark.parametrize("persona", ["legal_clerk", "ecology_clerk", "leader", "town_a_liaison"])
def test_r_grd_1_only_approval_drafts(api_client, holders, persona, request, queued):
    user = request.getfixturevalue(persona)
    response = as_user(api_client, user).post(GRADINGS, {"year": 2025}, format="json")
    assert response.status_code == 403
    assert "审批" in response.json()["detail"] or "街镇" in response.json()["detail"]
    assert not AnnualGrading.objects.exists() and queued == []


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({"year": "abc"}, "year", "应为整数"),
        ({"year": "2025年"}, "year", "应为整数"),
        ({}, "year", "请填写评定年度"),
        ({"year": 1999}, "year", "2000 至 2100"),
        ({"year": 2026}, "year", "尚未结束"),
        ({"year": 2027}, "year", "尚未结束"),
        ({"year": 2025, "force": True}, "force", "没有名为“force”的可写字段"),
    ],
)
def test_r_grd_1_bad_year_is_refused_in_chinese(api_client, approval_clerk, queued, body, field, words):
    response = as_user(api_client, approval_clerk).post(GRADINGS, body, format="json")
    assert response.status_code == 400
    assert words in " ".join(response.json()[field])
    assert not AnnualGrading.objects.exists() and queued == []


def test_r_grd_1_a_running_draft_is_not_started_twice(api_client, holders, approval_clerk, queued):
    gradings.start_draft(year=2025, by=approval_clerk, queue=lambda pk: None)
    response = as_user(api_client, approval_clerk).post(GRADINGS, {"year": 2025}, format="json")
    assert response.status_code == 409
    assert "正在起草中" in response.json()["detail"]
    assert AnnualGrading.objects.get(year=2025).draft_count == 1


def test_r_grd_1_a_second_draft_replaces_the_first(
    api_client, grading, approval_clerk, queued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = as_user(api_client, approval_clerk).post(GRADINGS, {"year": 2025}, format="json")
    assert response.status_code == 202
    tasks.draft_grading(queued.pop())
    assert AnnualGrading.objects.count() == 1 and FacilityGrade.objects.count() == 12
    assert api_client.get(YEAR).json()["draft_count"] == 2


# --- reading ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "persona", ["approval_clerk", "ecology_clerk", "legal_clerk", "officer", "leader", "administrator"]
)
def test_r_grd_5_bureau_sections_and_administrator_read(api_client, grading, persona, request):
    client = as_user(api_client, request.getfixturevalue(persona))
    for url in (GRADINGS, YEAR, GRADES, POSITIVE, PROPOSALS, CREDIT):
        assert client.get(url).status_code == 200, url


ALL_URLS = [
    ("get", GRADINGS),
    ("post", GRADINGS),
    ("get", YEAR),
    ("get", GRADES),
    ("post", f"{GRADES}1/override/"),
    ("post", CAP),
    ("post", CONFIRM),
    ("get", POSITIVE),
    ("post", POSITIVE),
    ("post", f"{POSITIVE}1/remove/"),
    ("get", PROPOSALS),
    ("post", f"{PROPOSALS}1/decide/"),
    ("get", CREDIT),
    ("post", CREDIT),
]


def test_r_org_3_towns_get_nothing_of_grading(api_client, grading, town_a_liaison):
    client = as_user(api_client, town_a_liaison)
    for method, url in ALL_URLS:
        response = getattr(client, method)(url, {}, format="json")
        assert response.status_code == 403, url
        assert "街镇无权查看" in response.json()["detail"]


def test_anonymous_requests_are_told_to_authenticate(api_client, grading):
    for method, url in ALL_URLS:
        response = getattr(api_client, method)(url, {}, format="json")
        assert response.status_code == 401, url
        assert response["WWW-Authenticate"].startswith("Bearer")


def test_the_token_authenticates(api_client, grading, leader):
    from bureau.accounts.tokens import issue

    api_client.credentials(HTTP_AUTHORIZATION=f"Token {issue(leader)[1]}")
    assert api_client.get(YEAR).json()["year"] == 2025


def test_a_year_never_drafted_is_404_in_chinese(api_client, grading, leader):
    client = as_user(api_client, leader)
    for url in ("/api/v1/gradings/2024/", "/api/v1/gradings/2024/grades/", "/api/v1/gradings/2024/confirm/"):
        response = client.get(url) if "confirm" not in url else client.post(url)
        assert response.status_code == 404, url
        assert response.json()["detail"] == "2024 年度尚未起草等级评定。"
    assert client.get("/api/v1/gradings/abc/").status_code == 404


def test_r_grd_2_grades_list_each_holder_with_reasons(api_client, grading, holders, leader):
    # when
    body = as_user(api_client, leader).get(GRADES).json()
    # then
    assert body["count"] == 12
    rows = {row["facility"]: row for row in body["results"]}
    unqualified = rows[holders[2].pk]
    assert unqualified["facility_name"] == holders[2].name
    assert unqualified["source_code"] == holders[2].source_code
    assert (unqualified["grade"], unqualified["grade_display"], unqualified["rule_grade"]) == (
        "unqualified",
        "不合格",
        "unqualified",
    )
    assert unqualified["unqualified_conditions"] == ["u4"]
    assert unqualified["reasons"][0]["code"] == "u4"
    assert "附件2 三4" in unqualified["reasons"][0]["text"]
    assert set(unqualified["reasons"][0]) == {"code", "text", "url"}
    assert set(unqualified["record"]) == {
        "findings",
        "overdue_rectifications",
        "late_reports",
        "linkage_tasks",
    }
    excellent, beyond = rows[holders[0].pk], rows[holders[1].pk]
    assert (excellent["grade"], excellent["rank"]) == ("excellent", 1)
    assert (beyond["grade"], beyond["rank"]) == ("qualified", 2)
    assert beyond["reasons"][-1]["code"] == "cap"
    assert excellent["overrides"] == [] and excellent["is_overridden"] is False


def test_r_grd_5_grades_filter_by_grade_and_override(api_client, grading, holders, officer):
    gradings.override(
        by=officer,
        grade=grade_of(grading, holders[5]),
        to_grade=rules.UNQUALIFIED,
        condition="u4",
        reason="拒不配合复查",
    )
    client = as_user(api_client, officer)
    unqualified = client.get(GRADES, {"grade": "unqualified"}).json()
    assert {row["facility"] for row in unqualified["results"]} == {holders[2].pk, holders[5].pk}
    overridden = client.get(GRADES, {"overridden": "true"}).json()["results"]
    assert [row["facility"] for row in overridden] == [holders[5].pk]
    assert overridden[0]["overrides"] == [
        {
            "from_grade": "qualified",
            "to_grade": "unqualified",
            "condition": "u4",
            "reason": "拒不配合复查",
            "by": officer.display_name,
            "post": overridden[0]["overrides"][0]["post"],
            "at": overridden[0]["overrides"][0]["at"],
        }
    ]
    assert "业务人员" in overridden[0]["overrides"][0]["post"]
    assert client.get(GRADES, {"overridden": "false"}).json()["count"] == 11


@pytest.mark.parametrize(
    ("params", "field", "words"),
    [
        ({"grade": "good"}, "grade", "应为 excellent、qualified 或 unqualified"),
        ({"overridden": "maybe"}, "overridden", "应为 true 或 false"),
    ],
)
def test_bad_grade_filters_are_refused_in_chinese(api_client, grading, leader, params, field, words):
    response = as_user(api_client, leader).get(GRADES, params)
    assert response.status_code == 400
    assert words in " ".join(response.json()[field])


# --- review (R-GRD-4, R-GRD-5) ---------------------------------------------------------------------


def test_r_grd_5_a_member_changes_a_grade_with_a_reason(api_client, grading, holders, officer):
    target = grade_of(grading, holders[4])
    response = as_user(api_client, officer).post(
        override_url(target),
        {"grade": "unqualified", "reason": "现场拒绝检查", "condition": "u4"},
        format="json",
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["grade"], body["rule_grade"], body["is_overridden"]) == ("unqualified", "qualified", True)
    assert body["overrides"][0]["reason"] == "现场拒绝检查"
    assert body["overrides"][0]["by"] == officer.display_name


@pytest.mark.parametrize("persona", ["ecology_clerk", "monitoring_clerk", "administrator"])
def test_r_grd_5_only_work_group_members_change_grades(api_client, grading, holders, persona, request):
    target = grade_of(grading, holders[4])
    response = as_user(api_client, request.getfixturevalue(persona)).post(
        override_url(target), {"grade": "unqualified", "reason": "理由"}, format="json"
    )
    assert response.status_code == 403
    assert "工作组成员" in response.json()["detail"]
    assert not GradeOverride.objects.exists()


@pytest.mark.parametrize(
    ("index", "body", "field", "words"),
    [
        (4, {"grade": "unqualified"}, "reason", "必须填写书面理由"),
        (4, {"grade": "unqualified", "reason": "   "}, "reason", "必须填写书面理由"),
        (4, {"grade": "good", "reason": "理由"}, "grade", "应为 excellent（优秀）"),
        (4, {"reason": "理由"}, "grade", "请选择调整后的评定等级"),
        (2, {"grade": "qualified", "reason": "已改正"}, "grade", "应列为“不合格”"),
        (1, {"grade": "excellent", "reason": "表现突出"}, "grade", "超过名额"),
        (4, {"grade": "qualified", "reason": "理由"}, "grade", "已是“合格”"),
    ],
)
def test_r_grd_5_bad_changes_are_refused_in_chinese(
    api_client, grading, holders, approval_clerk, index, body, field, words
):
    response = as_user(api_client, approval_clerk).post(
        override_url(grade_of(grading, holders[index])), body, format="json"
    )
    assert response.status_code == 400
    assert words in " ".join(response.json()[field])
    assert not GradeOverride.objects.exists()
    assert not FacilityGrade.objects.filter(is_overridden=True).exists()


def test_r_grd_5_a_grade_of_another_year_is_404(api_client, grading, holders, approval_clerk):
    response = as_user(api_client, approval_clerk).post(
        "/api/v1/gradings/2025/grades/999999/override/", {"grade": "qualified", "reason": "x"}, format="json"
    )
    assert response.status_code == 404
    assert "没有编号为 999999 的单位评定" in response.json()["detail"]


def test_r_grd_4_the_cap_is_exceeded_only_with_a_recorded_reason(
    api_client, grading, holders, approval_clerk, ecology_clerk
):
    # given: a non-member may not record it
    refused = as_user(api_client, ecology_clerk).post(CAP, {"reason": "两家均获表彰"}, format="json")
    assert refused.status_code == 403
    # when: a member records the reason
    response = as_user(api_client, approval_clerk).post(CAP, {"reason": "两家均获市级表彰"}, format="json")
    # then
    assert response.status_code == 200
    exceedance = response.json()["cap_exceedance"]
    assert exceedance["reason"] == "两家均获市级表彰"
    assert exceedance["by"] == approval_clerk.display_name and exceedance["at"]
    changed = api_client.post(
        override_url(grade_of(grading, holders[1])),
        {"grade": "excellent", "reason": "表现突出"},
        format="json",
    )
    assert changed.status_code == 200
    assert api_client.get(YEAR).json()["counts"]["excellent"] == 2
    # withdrawing the reason once exceeded is refused
    withdrawn = api_client.post(CAP, {"reason": ""}, format="json")
    assert withdrawn.status_code == 400 and "不能撤回" in " ".join(withdrawn.json()["reason"])


@pytest.mark.parametrize("persona", ["approval_clerk", "approval_head", "legal_clerk", "administrator"])
def test_r_grd_5_only_the_leader_confirms(api_client, grading, persona, request):
    response = as_user(api_client, request.getfixturevalue(persona)).post(CONFIRM)
    assert response.status_code == 403
    assert response.json()["detail"] == "只有工作组组长可以确认等级评定结果。"
    assert AnnualGrading.objects.get(year=2025).state == GradingState.DRAFT


def test_r_grd_5_the_leader_confirms_and_the_year_is_locked(
    api_client, grading, holders, leader, approval_clerk, queued
):
    # when
    response = as_user(api_client, leader).post(CONFIRM)
    # then
    assert response.status_code == 200
    body = response.json()
    assert (body["state"], body["state_display"]) == ("confirmed", "已确认")
    assert body["confirmed_by"] == leader.display_name and body["confirmed_at"]
    again = api_client.post(CONFIRM)
    assert again.status_code == 409 and "已确认并锁定" in again.json()["detail"]
    client = as_user(api_client, approval_clerk)
    redraft = client.post(GRADINGS, {"year": 2025}, format="json")
    assert redraft.status_code == 409
    assert redraft.json()["detail"] == "2025 年度等级评定已确认并锁定，不能重新起草。"
    changed = client.post(
        override_url(grade_of(grading, holders[4])), {"grade": "unqualified", "reason": "x"}, format="json"
    )
    assert changed.status_code == 409 and "已确认并锁定" in changed.json()["detail"]
    assert client.post(CAP, {"reason": "x"}, format="json").status_code == 409
    assert not GradeOverride.objects.exists() and queued == []
    assert AnnualGrading.objects.get(year=2025).draft_count == 1


def test_r_grd_4_confirming_beyond_the_cap_without_reason_is_refused(api_client, grading, holders, leader):
    grade = grade_of(grading, holders[1])
    FacilityGrade.objects.filter(pk=grade.pk).update(
        grade=rules.EXCELLENT
    )  # a state the services refuse; confirm checks again
    response = as_user(api_client, leader).post(CONFIRM)
    assert response.status_code == 400
    assert "超过名额" in response.json()["detail"]
    assert AnnualGrading.objects.get(year=2025).state == GradingState.DRAFT


def test_review_waits_for_the_draft_to_finish(api_client, holders, work_group, approval_clerk, leader):
    gradings.start_draft(year=2025, by=approval_clerk)
    response = as_user(api_client, leader).post(CONFIRM)
    assert response.status_code == 409 and "尚未起草完成" in response.json()["detail"]


# --- the positive list (R-POS-1) -------------------------------------------------------------------


def test_r_pos_1_legal_lists_and_removes_a_unit(api_client, grading, holders, legal_clerk):
    client = as_user(api_client, legal_clerk)
    # when: listed
    added = client.post(
        POSITIVE, {"facility": holders[0].pk, "reason": "年度评定优秀，信用良好"}, format="json"
    )
    # then
    assert added.status_code == 201
    entry = added.json()
    assert (entry["facility"], entry["listed_on"], entry["source"], entry["source_display"]) == (
        holders[0].pk,
        "2026-01-20",
        "manual",
        "法制科决定",
    )
    assert entry["listed_by"] == legal_clerk.display_name and entry["removed_on"] is None
    assert [row["facility"] for row in client.get(POSITIVE).json()["results"]] == [holders[0].pk]
    # when: removed
    PositiveListEntry.objects.filter(pk=entry["id"]).update(listed_on=date(2026, 1, 5))
    removed = client.post(f"{POSITIVE}{entry['id']}/remove/", {"reason": "发现篡改台账"}, format="json")
    # then
    assert removed.status_code == 200
    assert (removed.json()["removed_on"], removed.json()["removal_reason"]) == ("2026-01-20", "发现篡改台账")
    assert client.get(POSITIVE).json()["count"] == 0
    assert client.get(POSITIVE, {"on": "2026-01-10"}).json()["count"] == 1
    assert client.get(POSITIVE, {"on": "2026-01-01"}).json()["count"] == 0
    assert client.get(POSITIVE, {"all": "true"}).json()["count"] == 1
    again = client.post(f"{POSITIVE}{entry['id']}/remove/", {"reason": "再次"}, format="json")
    assert again.status_code == 409 and "已于 2026-01-20 移出" in again.json()["detail"]


@pytest.mark.parametrize("persona", ["approval_clerk", "leader", "administrator"])
def test_r_pos_1_only_legal_keeps_the_list(api_client, grading, holders, legal_clerk, persona, request):
    entry = positive.add(by=legal_clerk, facility=holders[1], reason="符合条件")
    client = as_user(api_client, request.getfixturevalue(persona))
    added = client.post(POSITIVE, {"facility": holders[0].pk, "reason": "符合条件"}, format="json")
    removed = client.post(f"{POSITIVE}{entry.pk}/remove/", {"reason": "理由"}, format="json")
    for response in (added, removed):
        assert response.status_code == 403
        assert response.json()["detail"] == "执法正面清单由社区联络科（法制科）管理。"
    assert PositiveListEntry.objects.filter(removed_on__isnull=True).count() == 1


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({"facility": 1, "reason": ""}, "reason", "请填写列入理由"),
        ({"facility": 999999, "reason": "理由"}, "facility", "单位 facility 不存在"),
        ({"facility": "abc", "reason": "理由"}, "facility", "应为单位编号"),
        ({"reason": "理由"}, "facility", "请选择单位"),
    ],
)
def test_r_pos_1_bad_additions_are_refused_in_chinese(api_client, holders, legal_clerk, body, field, words):
    if body.get("facility") == 1:
        body = {**body, "facility": holders[0].pk}
    response = as_user(api_client, legal_clerk).post(POSITIVE, body, format="json")
    assert response.status_code == 400
    assert words in " ".join(response.json()[field])
    assert not PositiveListEntry.objects.exists()


def test_r_pos_1_an_unqualified_unit_is_not_admitted(api_client, grading, holders, leader, legal_clerk):
    gradings.confirm(by=leader, grading=grading)
    response = as_user(api_client, legal_clerk).post(
        POSITIVE, {"facility": holders[2].pk, "reason": "申请列入"}, format="json"
    )
    assert response.status_code == 400
    assert "2025 年度等级评定为“不合格”" in response.json()["detail"]
    assert not PositiveListEntry.objects.exists()


def test_bad_list_queries_are_refused_in_chinese(api_client, legal_clerk):
    client = as_user(api_client, legal_clerk)
    assert "YYYY-MM-DD" in client.get(POSITIVE, {"on": "2026/01/01"}).json()["on"][0]
    assert "true 或 false" in client.get(POSITIVE, {"all": "perhaps"}).json()["all"][0]
    assert "pending" in client.get(PROPOSALS, {"state": "open"}).json()["state"][0]
    assert "单位编号" in client.get(CREDIT, {"facility": "x"}).json()["facility"][0]


@pytest.fixture
def proposals(grading, holders, leader, legal_clerk):
    """The 2025 grading confirmed: holders[0] (优秀, rated 环保良好) proposed for the list, holders[2]
    (不合格, on the list) proposed for removal."""
    credit.record_rating(
        by=legal_clerk, facility=holders[0], rated_on=date(2025, 12, 1), level="good", source="市局评价结果"
    )
    positive.add(by=legal_clerk, facility=holders[2], reason="早先列入")
    gradings.confirm(by=leader, grading=grading)
    return {p.kind: p for p in PositiveListProposal.objects.all()}


def test_r_pos_1_the_confirmed_grading_proposes_and_legal_decides(
    api_client, proposals, holders, legal_clerk
):
    client = as_user(api_client, legal_clerk)
    listed = client.get(PROPOSALS, {"state": "pending"}).json()
    assert {(row["facility"], row["kind"], row["year"]) for row in listed["results"]} == {
        (holders[0].pk, "add", 2025),
        (holders[2].pk, "remove", 2025),
    }
    # when: the addition accepted, the removal rejected without a note, then with one
    accepted = client.post(f"{PROPOSALS}{proposals['add'].pk}/decide/", {"accept": True}, format="json")
    no_note = client.post(f"{PROPOSALS}{proposals['remove'].pk}/decide/", {"accept": False}, format="json")
    rejected = client.post(
        f"{PROPOSALS}{proposals['remove'].pk}/decide/", {"accept": False, "note": "待复核"}, format="json"
    )
    # then
    assert accepted.status_code == 200
    assert (accepted.json()["state"], accepted.json()["state_display"]) == ("accepted", "已采纳")
    assert accepted.json()["decided_by"] == legal_clerk.display_name and accepted.json()["entry"]
    assert no_note.status_code == 400 and "请填写理由" in " ".join(no_note.json()["note"])
    assert rejected.status_code == 200 and rejected.json()["decision_note"] == "待复核"
    assert {row["facility"] for row in client.get(POSITIVE).json()["results"]} == {
        holders[0].pk,
        holders[2].pk,
    }
    again = client.post(
        f"{PROPOSALS}{proposals['add'].pk}/decide/", {"accept": False, "note": "x"}, format="json"
    )
    assert again.status_code == 409 and "已采纳" in again.json()["detail"]
    assert client.get(PROPOSALS, {"state": "pending"}).json()["count"] == 0


@pytest.mark.parametrize("persona", ["approval_clerk", "leader", "administrator"])
def test_r_pos_1_only_legal_decides_proposals(api_client, proposals, persona, request):
    response = as_user(api_client, request.getfixturevalue(persona)).post(
        f"{PROPOSALS}{proposals['add'].pk}/decide/", {"accept": True}, format="json"
    )
    assert response.status_code == 403
    assert "法制科" in response.json()["detail"]
    assert PositiveListProposal.objects.filter(state="pending").count() == 2


def test_r_pos_1_a_decision_needs_accept(api_client, proposals, legal_clerk):
    client = as_user(api_client, legal_clerk)
    for body, words in [({}, "请说明是否采纳"), ({"accept": "maybe"}, "应为 true")]:
        response = client.post(f"{PROPOSALS}{proposals['add'].pk}/decide/", body, format="json")
        assert response.status_code == 400 and words in " ".join(response.json()["accept"])
    assert client.post(f"{PROPOSALS}999999/decide/", {"accept": True}, format="json").status_code == 404


# --- credit (R-CRD-1) ------------------------------------------------------------------------------


def test_r_crd_1_legal_records_a_rating(api_client, holders, legal_clerk):
    client = as_user(api_client, legal_clerk)
    body = {"facility": holders[0].pk, "rated_on": "2025-12-01", "level": "good", "source": "市局评价结果"}
    response = client.post(CREDIT, body, format="json")
    assert response.status_code == 201
    record = response.json()
    assert (record["level"], record["level_display"], record["recorded_by"]) == (
        "good",
        "环保良好",
        legal_clerk.display_name,
    )
    holders[0].refresh_from_db()
    assert holders[0].credit_rating == "good"
    assert client.get(CREDIT, {"facility": holders[0].pk}).json()["count"] == 1
    assert client.get(CREDIT, {"facility": holders[1].pk}).json()["count"] == 0


@pytest.mark.parametrize("persona", ["approval_clerk", "leader", "administrator"])
def test_r_crd_1_only_legal_records_ratings(api_client, holders, persona, request):
    body = {"facility": holders[0].pk, "rated_on": "2025-12-01", "level": "good", "source": "市局评价结果"}
    response = as_user(api_client, request.getfixturevalue(persona)).post(CREDIT, body, format="json")
    assert response.status_code == 403
    assert response.json()["detail"] == "信用评价由社区联络科（法制科）记录。"
    assert not CreditRecord.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"level": "AAA"}, "level", "请选择信用等级"),
        ({"level": ""}, "level", "请选择信用等级"),
        ({"rated_on": None}, "rated_on", "请填写评价日期"),
        ({"rated_on": "2025/12/01"}, "rated_on", "YYYY-MM-DD"),
        ({"rated_on": "2026-02-01"}, "rated_on", "不能晚于今天"),
        ({"source": " "}, "source", "请填写评价来源"),
    ],
)
def test_r_crd_1_bad_ratings_are_refused_in_chinese(api_client, holders, legal_clerk, changes, field, words):
    body = {"facility": holders[0].pk, "rated_on": "2025-12-01", "level": "good", "source": "市局评价结果"}
    response = as_user(api_client, legal_clerk).post(CREDIT, {**body, **changes}, format="json")
    assert response.status_code == 400
    assert words in " ".join(response.json()[field])
    assert not CreditRecord.objects.exists()


# --- query budgets ---------------------------------------------------------------------------------


def test_r_grd_5_grades_list_costs_four_queries_whatever_the_rows(
    api_client, grading, holders, make_holders, approval_clerk, officer, leader, django_assert_num_queries
):
    gradings.override(
        by=officer, grade=grade_of(grading, holders[4]), to_grade="unqualified", condition="u4", reason="a"
    )
    client = as_user(api_client, leader)
    # Expect 4 queries: the grading of the year with its users; the count of its grades; the page of
    # grades joined with their facility; the work group's changes of those grades with their users.
    with django_assert_num_queries(4):
        assert client.get(GRADES).json()["count"] == 12
    # given: twice the holders and more changes by others
    make_holders(12, start=100)
    gradings.draft(gradings.start_draft(year=2025, by=approval_clerk).pk)
    for n, by in [(5, approval_clerk), (6, leader), (7, officer)]:
        gradings.override(
            by=by, grade=grade_of(grading, holders[n]), to_grade="unqualified", condition="u4", reason="b"
        )
    with django_assert_num_queries(4):
        body = client.get(GRADES).json()
    assert body["count"] == 24
    assert sum(len(row["overrides"]) for row in body["results"]) == 4


def test_grading_detail_and_list_cost_fixed_queries(
    api_client, grading, holders, approval_clerk, leader, django_assert_num_queries
):
    gradings.record_cap_exceedance(by=approval_clerk, grading=grading, reason="两家均获表彰")
    gradings.confirm(by=leader, grading=grading)
    client = as_user(api_client, leader)
    # Expect 2 queries: the grading with its drafting, exceeding and confirming users; the counts per grade.
    with django_assert_num_queries(2):
        assert client.get(YEAR).json()["cap_exceedance"]["by"] == approval_clerk.display_name
    AnnualGrading.objects.create(year=2023, state=GradingState.CONFIRMED)
    AnnualGrading.objects.create(year=2024, state=GradingState.FAILED)
    # Expect 2 queries: the count of gradings; the page of them.
    with django_assert_num_queries(2):
        assert [row["year"] for row in client.get(GRADINGS).json()["results"]] == [2025, 2024, 2023]


def test_r_pos_1_list_and_proposals_cost_two_queries_whatever_the_rows(
    api_client, proposals, holders, legal_clerk, django_assert_num_queries
):
    client = as_user(api_client, legal_clerk)
    # Expect 2 queries each: the count; the page joined with facility and users (and grading).
    with django_assert_num_queries(2):
        assert client.get(POSITIVE).json()["count"] == 1
    with django_assert_num_queries(2):
        assert client.get(PROPOSALS).json()["count"] == 2
    # given: more entries, some removed by 法制科, some by the system
    for facility in holders[3:9]:
        positive.add(by=legal_clerk, facility=facility, reason="符合条件")
    positive.remove(by=legal_clerk, facility=holders[3], reason="移出")
    positive.drop_at_once(holders[4].pk, on=date(2026, 1, 20), reason="案件：偷排")
    positive.decide(by=legal_clerk, proposal=proposals["add"], accept=True)
    with django_assert_num_queries(2):
        assert client.get(POSITIVE, {"all": "true"}).json()["count"] == 8
    with django_assert_num_queries(2):
        assert client.get(PROPOSALS).json()["count"] == 2


def test_r_crd_1_credit_list_costs_two_queries_whatever_the_rows(
    api_client, holders, legal_clerk, leader, django_assert_num_queries
):
    client = as_user(api_client, leader)
    credit.record_rating(
        by=legal_clerk, facility=holders[0], rated_on=date(2025, 1, 1), level="good", source="市局"
    )
    # Expect 2 queries: the count; the page joined with facility and recorder.
    with django_assert_num_queries(2):
        assert client.get(CREDIT).json()["count"] == 1
    for facility in holders[1:8]:
        credit.record_rating(
            by=legal_clerk, facility=facility, rated_on=date(2025, 6, 1), level="warning", source="市局"
        )
    with django_assert_num_queries(2):
        assert client.get(CREDIT).json()["count"] == 8


# --- the schema ------------------------------------------------------------------------------------


def test_the_grading_endpoints_are_in_the_schema_without_warnings():
    # Only this module's routes, so the test stays quick; the whole schema is generated with
    # --fail-on-warn by tests/bureau/test_api.py.
    from django.urls import include, path
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator

    GENERATOR_STATS.reset()
    generator = SchemaGenerator(patterns=[path("api/v1/", include("grading.api"))])
    with GENERATOR_STATS.silence():
        schema = generator.get_schema(request=None, public=True)
    assert not GENERATOR_STATS, (dict(GENERATOR_STATS._warn_cache), dict(GENERATOR_STATS._error_cache))
    assert set(schema["paths"]) == {
        "/api/v1/gradings/",
        "/api/v1/gradings/{year}/",
        "/api/v1/gradings/{year}/grades/",
        "/api/v1/gradings/{year}/grades/{id}/override/",
        "/api/v1/gradings/{year}/cap-exceedance/",
        "/api/v1/gradings/{year}/confirm/",
        "/api/v1/positive-list/",
        "/api/v1/positive-list/{id}/remove/",
        "/api/v1/positive-list/proposals/",
        "/api/v1/positive-list/proposals/{id}/decide/",
        "/api/v1/credit-ratings/",
    }
    grades = schema["paths"]["/api/v1/gradings/{year}/grades/"]["get"]
    assert {p["name"] for p in grades["parameters"]} >= {"year", "grade", "overridden", "page"}
