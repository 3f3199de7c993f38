"""The grading pages (R-GRD-1…5, R-POS-1, R-CRD-1): 审批科 drafts a year from the home page and follows
its progress; work-group members change a grade with a reason and record the cap-exceeded reason; only
the 组长 confirms, after ticking the confirmation; every bureau section reads, towns get 403; the
filters; a facility's history and its page's panel; fixed query budgets."""

from datetime import date

import pytest
from django.urls import reverse

from grading import rules, tasks
from grading.models import AnnualGrading, FacilityGrade, FactKind, GradeOverride, GradingState
from grading.services import credit, facts, gradings, positive
from tests.factories.bureau import TownFactory
from tests.workbooks import column, sheet_rows

pytestmark = [pytest.mark.django_db, pytest.mark.today(date(2026, 1, 20))]


def page_of(response) -> str:
    return response.content.decode()


def detail_url(year: int = 2025, query: str = "") -> str:
    return reverse("grading:grading-detail", args=[year]) + (f"?{query}" if query else "")


@pytest.fixture
def holders(make_holders):
    return make_holders(12)


@pytest.fixture
def graded(holders, work_group, approval_clerk, pollution_clerk):
    """2025 drafted over 12 holders (cap 1): [0] commended (优秀), [1] media (a candidate beyond the
    cap: 合格), [2] not cooperating (不合格), the rest 合格."""
    for facility, kind, text in (
        (holders[0], FactKind.COMMENDATION, "获市生态环境局表彰"),
        (holders[1], FactKind.MEDIA, "先进事迹获报道"),
        (holders[2], FactKind.NOT_COOPERATING, "拒绝提供台账"),
    ):
        facts.record_fact(
            by=pollution_clerk,
            facility=facility,
            kind=kind,
            occurred_on=date(2025, 6, 1),
            description=text,
            evidence="证明材料",
        )
    grading = gradings.start_draft(year=2025, by=approval_clerk)
    return gradings.draft(grading.pk)


def grade_of(grading, facility) -> FacilityGrade:
    return FacilityGrade.objects.get(grading=grading, facility=facility)


@pytest.fixture
def queued(monkeypatch):
    """The drafts the pages queue, for the test to run as the worker would."""
    ids: list[int] = []
    monkeypatch.setattr(tasks.draft_grading, "delay", ids.append)
    return ids


# --- drafting ---------------------------------------------------------------------------------------


def test_r_grd_1_approval_drafts_last_year_and_follows_its_progress(
    client, approval_clerk, holders, queued, django_capture_on_commit_callbacks
):
    # given: 审批科 sees the form, last year filled in
    client.force_login(approval_clerk)
    home = page_of(client.get(reverse("grading:grading-home")))
    assert "data-start-form" in home and 'value="2025"' in home
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("grading:grading-start"), {"year": "2025"})
    # then: queued, and the year's page shows the progress bar until the worker is done
    grading = AnnualGrading.objects.get(year=2025)
    assert response.status_code == 302 and response["Location"] == detail_url()
    assert queued == [grading.pk]
    page = page_of(client.get(detail_url()))
    assert "data-grading-progress" in page and "js/grading-progress.js" in page and "<script>" not in page
    assert "参评持证单位" not in page and "没有符合条件的单位" not in page  # no zeros while drafting
    assert 'data-form="redraft"' not in page
    progress = client.get(reverse("grading:grading-progress", args=[2025])).json()
    assert progress == {
        "state": "drafting",
        "state_label": "起草中",
        "done": 0,
        "total": 0,
        "percent": None,
        "error": "",
    }
    tasks.draft_grading(queued.pop())
    progress = client.get(reverse("grading:grading-progress", args=[2025])).json()
    assert (progress["state"], progress["done"], progress["total"], progress["percent"]) == (
        "draft",
        12,
        12,
        100,
    )
    page = page_of(client.get(detail_url()))
    assert page.count('<tr id="grade-') == 12
    assert 'data-form="redraft"' in page and 'name="year" value="2025"' in page  # 审批科 drafts again here


@pytest.mark.parametrize(
    ("year", "status", "message"),
    [
        ("2026", 400, "2026 年度尚未结束，不能评定"),
        ("", 400, "请填写评定年度"),
        ("abc", 400, "请填写评定年度"),
    ],
)
def test_r_grd_1_a_year_not_ended_or_no_year_is_refused_in_chinese(
    client, approval_clerk, queued, year, status, message
):
    client.force_login(approval_clerk)
    response = client.post(reverse("grading:grading-start"), {"year": year})
    assert response.status_code == status and message in page_of(response)
    assert not AnnualGrading.objects.exists() and queued == []


def test_r_grd_1_only_approval_drafts(client, pollution_clerk, queued):
    client.force_login(pollution_clerk)
    assert "data-start-form" not in page_of(client.get(reverse("grading:grading-home")))
    response = client.post(reverse("grading:grading-start"), {"year": "2025"})
    assert response.status_code == 403 and "等级评定由行政审批服务科起草" in page_of(response)
    assert not AnnualGrading.objects.exists()


def test_r_grd_5_a_confirmed_year_cannot_be_drafted_again(client, graded, leader, approval_clerk, queued):
    gradings.confirm(by=leader, grading=graded)
    client.force_login(approval_clerk)
    response = client.post(reverse("grading:grading-start"), {"year": "2025"})
    assert response.status_code == 409 and "已确认并锁定，不能重新起草" in page_of(response)
    assert queued == [] and AnnualGrading.objects.get(year=2025).state == GradingState.CONFIRMED


# --- reading ----------------------------------------------------------------------------------------


def test_r_org_3_towns_see_nothing_of_grading(client, town_a_liaison, graded, holders):
    client.force_login(town_a_liaison)
    for url in (
        reverse("grading:grading-home"),
        detail_url(),
        reverse("grading:grading-progress", args=[2025]),
        reverse("grading:grading-results-pdf", args=[2025]),
        reverse("grading:facility-grades", args=[holders[0].pk]),
    ):
        assert client.get(url).status_code == 403, url
    page = page_of(client.get(reverse("permits:facility-detail", args=[holders[0].pk])))
    assert "data-grading-panel" not in page and "获市生态环境局表彰" not in page


@pytest.mark.parametrize("reader", ["ecology_clerk", "monitoring_clerk", "administrator"])
def test_r_grd_5_every_bureau_section_reads_without_review_forms(client, request, graded, reader):
    # (局领导 here is the 组长; leadership reads as every section does, through BUREAU_SECTIONS)
    client.force_login(request.getfixturevalue(reader))
    page = page_of(client.get(detail_url()))
    assert page.count('<tr id="grade-') == 12
    assert 'data-form="override"' not in page and 'data-form="confirm"' not in page


def test_r_grd_2_the_detail_explains_each_grade(client, ecology_clerk, graded, holders):
    client.force_login(ecology_clerk)
    page = page_of(client.get(detail_url()))
    assert 'data-count="excellent"><a href="?grade=excellent">1 家' in page
    assert 'data-count="unqualified"><a href="?grade=unqualified">1 家' in page
    # the reasons in the text's words with the evidence link, the rank and the ranking explained
    assert "附件2 三4“未能依法依规配合生态环境部门完成相关工作”：2025-06-01 拒绝提供台账" in page
    assert "#grading-fact-" in page and "候选第 2 位" in page and "超出名额，评定为“合格”" in page
    assert rules.RANKING[1] in page
    assert reverse("grading:facility-grades", args=[holders[0].pk]) in page


# --- reviewing ----------------------------------------------------------------------------------------


def override_url(grading, grade) -> str:
    return reverse("grading:grade-override", args=[grading.year, grade.pk])


def test_r_grd_5_a_member_changes_a_grade_with_a_reason(client, officer, graded, holders):
    # given: 执法大队's member on a filtered page
    client.force_login(officer)
    grade = grade_of(graded, holders[3])
    assert 'data-form="override"' in page_of(client.get(detail_url()))
    # when
    response = client.post(
        override_url(graded, grade) + "?grade=qualified",
        {"to_grade": "unqualified", "condition": "u4", "reason": "年度内多次拒绝现场检查"},
    )
    # then: back where the member was, the change with who, post and when
    assert response.status_code == 302
    assert response["Location"] == detail_url(query="grade=qualified") + f"#grade-{grade.pk}"
    page = page_of(client.get(detail_url(query="grade=unqualified")))
    assert (
        "合格 → <strong>不合格</strong>（附件2 三4 未能依法依规配合生态环境部门完成相关工作）：年度内多次拒绝现场检查"
        in page
    )
    assert f"{officer.display_name}（成员·执法大队业务人员）" in page
    assert grade_of(graded, holders[3]).grade == rules.UNQUALIFIED


def test_r_grd_5_a_change_without_a_reason_is_refused_and_nothing_written(client, officer, graded, holders):
    client.force_login(officer)
    grade = grade_of(graded, holders[3])
    response = client.post(override_url(graded, grade), {"to_grade": "unqualified", "reason": "  "})
    assert response.status_code == 400
    assert "调整评定等级必须填写书面理由。" in page_of(response)
    assert not GradeOverride.objects.exists() and grade_of(graded, holders[3]).grade == rules.QUALIFIED


def test_r_grd_2_an_unqualified_holder_cannot_be_raised(client, officer, graded, holders):
    client.force_login(officer)
    grade = grade_of(graded, holders[2])
    response = client.post(override_url(graded, grade), {"to_grade": "qualified", "reason": "已改正"})
    assert response.status_code == 400 and "评定等级应列为“不合格”" in page_of(response)
    assert not GradeOverride.objects.exists()


def test_r_grd_5_only_work_group_members_change_grades(client, pollution_clerk, graded, holders):
    client.force_login(pollution_clerk)
    grade = grade_of(graded, holders[3])
    response = client.post(override_url(graded, grade), {"to_grade": "unqualified", "reason": "理由"})
    assert response.status_code == 403 and "只有排污许可证后管理工作组成员可以审核等级评定" in page_of(
        response
    )
    assert not GradeOverride.objects.exists()


def test_r_grd_4_the_cap_holds_until_the_work_group_records_a_reason(client, officer, graded, holders):
    client.force_login(officer)
    grade = grade_of(graded, holders[1])
    refused = client.post(override_url(graded, grade), {"to_grade": "excellent", "reason": "表现突出"})
    assert refused.status_code == 400 and "超过名额 1 个" in page_of(refused)
    # when: the reason is recorded, the change goes through and the reason is shown with who/when
    cap_url = reverse("grading:grading-cap", args=[2025])
    assert client.post(cap_url, {"reason": "两家均获市级表彰"}).status_code == 302
    assert (
        client.post(override_url(graded, grade), {"to_grade": "excellent", "reason": "表现突出"}).status_code
        == 302
    )
    page = page_of(client.get(detail_url()))
    assert "工作组记录的理由：</strong>两家均获市级表彰" in page and f"记录人：{officer.display_name}" in page
    # then: it cannot be withdrawn while exceeded
    response = client.post(cap_url, {"reason": ""})
    assert response.status_code == 400 and "不能撤回超出理由" in page_of(response)


def test_r_grd_5_only_the_leader_confirms_after_ticking(client, graded, approval_clerk, leader, legal_clerk):
    confirm_url = reverse("grading:grading-confirm", args=[2025])
    # a member who is not the 组长 sees no button and is refused
    client.force_login(approval_clerk)
    assert 'data-form="confirm"' not in page_of(client.get(detail_url()))
    response = client.post(confirm_url, {"agree": "on"})
    assert response.status_code == 403 and "只有工作组组长可以确认等级评定结果" in page_of(response)
    # the 组长 must tick the confirmation
    client.force_login(leader)
    assert 'data-form="confirm"' in page_of(client.get(detail_url()))
    response = client.post(confirm_url, {})
    assert response.status_code == 400 and "请勾选确认" in page_of(response)
    assert AnnualGrading.objects.get(year=2025).state == GradingState.DRAFT
    # when
    assert client.post(confirm_url, {"agree": "on"}).status_code == 302
    # then: locked, read-only for everyone, who/when shown
    client.force_login(approval_clerk)
    page = page_of(client.get(detail_url()))
    assert "已确认（锁定）" in page and f"组长 {leader.display_name} 于" in page
    assert "data-form=" not in page
    home = page_of(client.get(reverse("grading:grading-home")))
    assert f"{leader.display_name}（组长）" in home
    grade = grade_of(graded, graded.grades.first().facility)
    response = client.post(override_url(graded, grade), {"to_grade": "unqualified", "reason": "晚了"})
    assert response.status_code == 409 and "已确认并锁定" in page_of(response)


# --- filters ------------------------------------------------------------------------------------------


def test_r_grd_5_the_grades_filter(client, officer, graded, holders):
    # given: one holder moved to another town, one change by the work group
    other = TownFactory(code="TC", name="丙镇")
    type(holders[5]).objects.filter(pk=holders[5].pk).update(town=other)
    gradings.override(
        by=officer,
        grade=grade_of(graded, holders[4]),
        to_grade="unqualified",
        condition="u4",
        reason="拒不配合",
    )
    client.force_login(officer)

    def codes(query: str) -> set[str]:
        response = client.get(detail_url(query=query))
        return {g.facility.source_code for g in response.context["page"].object_list}

    assert codes("grade=excellent") == {holders[0].source_code}
    assert codes("grade=unqualified") == {holders[2].source_code, holders[4].source_code}
    assert codes("changed=overridden") == {holders[4].source_code}
    assert codes("changed=differs") == {holders[4].source_code}  # [1] beyond the cap: the rules' 合格
    assert codes(f"town={other.pk}") == {holders[5].source_code}
    assert codes(f"q={holders[7].source_code}") == {holders[7].source_code}
    assert codes("q=测试单位") == {h.source_code for h in holders}
    assert codes("condition=e2") == {holders[1].source_code}
    assert codes("condition=u4") == {holders[2].source_code}
    assert len(codes("grade=bogus")) == 12  # an invalid filter narrows nothing


# --- the facility -------------------------------------------------------------------------------------


def test_r_grd_5_a_facility_shows_its_grades_credit_list_and_facts(
    client, graded, holders, leader, legal_clerk, ecology_clerk
):
    gradings.confirm(by=leader, grading=graded)
    credit.record_rating(
        by=legal_clerk, facility=holders[0], rated_on=date(2026, 1, 5), level="good", source="市局信用评价"
    )
    positive.add(by=legal_clerk, facility=holders[0], reason="年度评定优秀")
    fact = holders[0].grading_facts.get()
    client.force_login(ecology_clerk)
    # the history page
    page = page_of(client.get(reverse("grading:facility-grades", args=[holders[0].pk])))
    assert 'data-year="2025"' in page and "优秀" in page and "获市生态环境局表彰" in page
    assert "市局信用评价" in page and "年度评定优秀" in page and f'id="grading-fact-{fact.pk}"' in page
    # the facility page's panel, where the evidence links point
    page = page_of(client.get(reverse("permits:facility-detail", args=[holders[0].pk])))
    assert "data-grading-panel" in page and f'id="grading-fact-{fact.pk}"' in page
    assert '2025 年度 <span class="badge green">优秀</span>' in page
    assert "环保良好（2026-01-05，市局信用评价）" in page
    assert '<dd data-on-positive-list><span class="badge green">在清单中</span>' in page


# --- query budgets ------------------------------------------------------------------------------------


@pytest.fixture
def reviewed(graded, officer, holders):
    """The draft with three changes by the work group (their authors are another query)."""
    for facility in holders[3:6]:
        gradings.override(
            by=officer,
            grade=grade_of(graded, facility),
            to_grade="unqualified",
            condition="u4",
            reason="理由",
        )
    return graded


def test_home_costs_fixed_queries(client, approval_clerk, reviewed, django_assert_num_queries):
    gradings.start_draft(year=2024, by=approval_clerk)
    client.force_login(approval_clerk)
    # Expect 4 queries: session, user with staff/section/town, the gradings with who drafted and
    # confirmed, the counts of every year.
    with django_assert_num_queries(4):
        response = client.get(reverse("grading:grading-home"))
    assert response.status_code == 200 and len(response.context["gradings"]) == 2


def test_detail_for_a_member_costs_fixed_queries(client, officer, reviewed, django_assert_num_queries):
    client.force_login(officer)
    # Expect 9 queries: session, user, the grading with its people, the member's post, the towns of
    # the filter, the count, the page's 12 grades with facility and town, their changes with who
    # made them, the counts per grade.
    with django_assert_num_queries(9):
        response = client.get(detail_url())
    assert page_of(response).count('data-form="override"') == 12
    assert page_of(response).count("data-override=") == 3


def test_detail_costs_the_same_with_more_rows(
    client, officer, approval_clerk, make_holders, reviewed, django_assert_num_queries
):
    # given: 20 holders more, drafted again
    make_holders(20, start=100)
    gradings.start_draft(year=2025, by=approval_clerk)
    gradings.draft(reviewed.pk)
    client.force_login(officer)
    with django_assert_num_queries(9):
        response = client.get(detail_url())
    assert page_of(response).count('<tr id="grade-') == 32


def test_facility_history_costs_fixed_queries(
    client, ecology_clerk, reviewed, holders, legal_clerk, django_assert_num_queries
):
    for day in (5, 6):
        credit.record_rating(
            by=legal_clerk, facility=holders[3], rated_on=date(2026, 1, day), level="good", source="市局"
        )
    client.force_login(ecology_clerk)
    # Expect 8 queries: session, user, the facility with its town, its grades with their year, their
    # changes with who made them, its credit ratings, its positive-list entries, its facts.
    with django_assert_num_queries(8):
        response = client.get(reverse("grading:facility-grades", args=[holders[3].pk]))
    assert response.status_code == 200 and page_of(response).count("data-credit=") == 2


def test_progress_costs_fixed_queries(client, approval_clerk, reviewed, django_assert_num_queries):
    client.force_login(approval_clerk)
    # Expect 3 queries: session, user, the grading.
    with django_assert_num_queries(3):
        response = client.get(reverse("grading:grading-progress", args=[2025]))
    assert response.json()["state"] == "draft"


def test_r_grd_2_making_a_holder_unqualified_names_the_condition(client, officer, graded, holders):
    client.force_login(officer)
    grade = grade_of(graded, holders[3])
    response = client.post(override_url(graded, grade), {"to_grade": "unqualified", "reason": "拒绝检查"})
    assert response.status_code == 400 and "须指明附件2 三所列的情形" in page_of(response)
    assert grade_of(graded, holders[3]).grade == rules.QUALIFIED


def test_the_years_grades_export_with_the_pages_filters(client, graded, holders, officer, town_a_liaison):
    # given: the 2025 grading drafted over 12 holders
    export = reverse("grading:grading-export", args=[2025])
    client.force_login(officer)
    # when / then: every holder, then only the 不合格 one with its reason in words
    assert len(sheet_rows(client.get(export))) == 1 + 12
    rows = sheet_rows(client.get(export, {"grade": "unqualified"}))
    assert column(rows, "单位名称") == [holders[2].name] and column(rows, "评定等级") == ["不合格"]
    reasons = [reason["text"] for reason in grade_of(graded, holders[2]).reasons]
    assert reasons and column(rows, "评定理由") == ["；".join(reasons)]
    # a year without a grading is 404; a town is refused as on the page
    assert client.get(reverse("grading:grading-export", args=[2024])).status_code == 404
    client.force_login(town_a_liaison)
    assert client.get(export).status_code == 403
