"""The inspection plan's pages (R-INS-3, R-INS-4; 002 十一): who reads, who computes, adopts, makes the
month's plan and edits the settings; towns are refused (R-ORG-3); each page has a fixed query budget."""

from datetime import date

import pytest
from django.urls import reverse

from inspections.models import AnnualPlan, MonthPlan, PlanItem
from inspections.services import planning
from tests.factories.permits import FacilityFactory, PermitFactory

pytestmark = pytest.mark.today(date(2025, 3, 10))

YEAR = reverse("inspections:plan-year", args=[2025])
MONTH = reverse("inspections:plan-month", args=[2025, 12])
ITEMS = reverse("inspections:plan-items")
SETTINGS = reverse("inspections:plan-settings")


@pytest.fixture
def board(facility, town_b, approval_clerk):
    """Three key facilities in town A (one from the conftest), two simplified in town B, one of them
    newly permitted in May; the year's plan computed."""
    for n in (2, 3):
        FacilityFactory(n=n, town=facility.town, by=approval_clerk)
    for n in (4, 5):
        simplified = FacilityFactory(n=n, town=town_b, by=approval_clerk, management_level="simplified")
        PermitFactory(facility=simplified, by=approval_clerk, issued_on=date(2025, 5, 20 + n))
    planning.sync_plan(year=2025)
    return facility


def text(response) -> str:
    return response.content.decode()


def test_plan_home_shows_this_year(client, leader):
    client.force_login(leader)
    response = client.get(reverse("inspections:plan-home"))
    assert response.status_code == 200 and "<h1>2025 年度检查计划</h1>" in text(response)


def test_no_plan_yet_legal_may_generate_it(client, facility, legal_clerk, officer):
    client.force_login(officer)
    page = text(client.get(YEAR))
    assert "2025 年度检查计划尚未生成" in page and "data-recompute" not in page
    assert client.post(reverse("inspections:plan-recompute", args=[2025])).status_code == 403
    assert not AnnualPlan.objects.exists()
    client.force_login(legal_clerk)
    assert "生成年度检查计划" in text(client.get(YEAR))
    response = client.post(reverse("inspections:plan-recompute", args=[2025]), follow=True)
    assert "已按规则计算 2025 年度检查计划：纳入 1 家单位。" in text(response)
    assert AnnualPlan.objects.get().facility_count == 1


def test_r_ins_3_year_page_totals_and_adoption_by_legal(client, board, legal_clerk, officer):
    # given: 执法大队 reads but may not adopt
    client.force_login(officer)
    assert "纳入年度执法计划</button>" not in text(client.get(YEAR))
    adopt = reverse("inspections:plan-adopt", args=[2025])
    assert client.post(adopt, {"document_no": "X"}).status_code == 403
    # when: 法制科 adopts with its 文号
    client.force_login(legal_clerk)
    page = text(client.get(YEAR))
    assert '<tr data-level="key"><td>重点管理</td><td class="n">6</td>' in page
    assert '<tr data-level="simplified"><td>简化管理</td><td class="n">4</td>' in page
    response = client.post(adopt, {"document_no": "区环执〔2025〕3号", "note": "局务会通过"}, follow=True)
    # then
    page = text(response)
    assert "已纳入年度执法计划" in page and "文号：区环执〔2025〕3号" in page
    again = client.post(adopt, {"document_no": "又一次"})
    assert again.status_code == 400 and "纳入年度执法计划。" in text(again)


@pytest.mark.parametrize("name", ["town_a_liaison", "town_b_liaison"])
def test_r_org_3_towns_are_refused_every_plan_page(client, board, name, request):
    client.force_login(request.getfixturevalue(name))
    facility_page = reverse("inspections:plan-facility", args=[board.pk])
    for url in (YEAR, MONTH, ITEMS, SETTINGS, facility_page):
        assert client.get(url).status_code == 403, url


def test_anonymous_is_sent_to_login(client, board):
    assert client.get(MONTH)["Location"].startswith("/login/?next=")


def test_r_ins_3_month_preview_then_made_by_enforcement(client, board, officer):
    # given
    client.force_login(officer)
    page = text(client.get(MONTH))
    assert "预览，尚未编制" in page and "data-make" in page
    due = PlanItem.objects.filter(planned_month__lte=date(2025, 12, 1), window_end__gte=date(2025, 12, 1))
    assert due.count() == 5 and page.count("data-item=") == 5
    assert f"facility={board.source_code}" in page and "reason=routine_plan" in page
    # when
    response = client.post(reverse("inspections:plan-month-make", args=[2025, 12]), follow=True)
    # then
    made = MonthPlan.objects.get()
    page = text(response)
    assert f"已编制 2025 年 12 月检查计划，共 {made.item_count} 项。" in page
    assert "编制人：" in page and "预览，尚未编制" not in page
    assert page.count("data-item=") == made.item_count


def test_month_plan_of_a_past_month_is_refused_on_the_page(client, board, officer):
    client.force_login(officer)
    response = client.post(reverse("inspections:plan-month-make", args=[2025, 1]))
    assert response.status_code == 400
    assert "2025 年 1 月已过，不能再编制该月的检查计划。" in text(response)
    assert not MonthPlan.objects.exists()


def test_month_plan_not_made_by_approval(client, board, approval_clerk):
    client.force_login(approval_clerk)
    page = text(client.get(MONTH))
    assert "data-make" not in page and "data-inspect" not in page
    assert client.post(reverse("inspections:plan-month-make", args=[2025, 12])).status_code == 403


def test_new_permit_rows_link_to_inspection_with_the_permit(client, board, officer):
    client.force_login(officer)
    page = text(client.get(ITEMS, {"kind": "new_permit"}))
    assert page.count("data-item=") == 2
    assert "reason=new_permit" in page and "permit=91310107TEST" in page


@pytest.mark.today(date(2025, 7, 2))
def test_items_filtered_by_alert_from_the_daily_to_do(client, board, leader, work_calendar):
    planning.flag_due(today=date(2025, 7, 2))
    client.force_login(leader)
    page = text(client.get(ITEMS, {"alert": "overdue"}))
    overdue = PlanItem.objects.filter(alert="overdue").count()
    assert overdue == 3 and page.count('data-alert="overdue"') == overdue


def test_r_ins_4_facility_explained_with_every_figure(client, board, pollution_clerk):
    client.force_login(pollution_clerk)
    page = text(client.get(reverse("inspections:plan-facility", args=[board.pk]), {"year": "2025"}))
    for words in ("基准频次（次/年）", "例行检查年度上限", "年度应检次数", "2 次", "每半年至少检查一次"):
        assert words in page
    assert "年度计划中的事项" in page and page.count("待检查") == 2


def test_r_ins_4_settings_edited_by_legal_with_chinese_errors(client, legal_clerk, officer):
    # given: other sections read
    client.force_login(officer)
    page = text(client.get(SETTINGS))
    assert "正面清单系数" in page and "保存设置" not in page and "disabled" in page
    assert client.post(SETTINGS, {"routine_cap": 5}).status_code == 403
    # when: 法制科 gives a share below 20%
    client.force_login(legal_clerk)
    values = {
        "positive_list_factor": "0.5",
        "violation_factor": "2",
        "complaint_factor": "1.5",
        "high_risk_factor": "1.5",
        "poor_credit_factor": "2",
        "routine_cap": "5",
        "registered_share": "10",
        "due_soon_workdays": "10",
        "draw_exclude_recent_days": "180",
        "draw_exclude_positive_list": "on",
    }
    refused = client.post(SETTINGS, values)
    # then
    assert refused.status_code == 400
    assert "登记管理单位年度抽查比例不能低于 20%（003 第六条）。" in text(refused)
    wrong_way = client.post(SETTINGS, values | {"registered_share": "25", "violation_factor": "0.5"})
    assert "违法记录系数应在 1–10 之间：该因素只能增加检查频次（R-INS-4）。" in text(wrong_way)
    assert client.post(SETTINGS, values | {"registered_share": "25"}).status_code == 302
    assert (planning.plan_settings().registered_share, planning.plan_settings().routine_cap) == (25, 5)


def test_query_budgets(client, board, officer, legal_clerk, django_assert_num_queries):
    planning.make_month_plan(year=2025, month=12, by=officer)
    client.force_login(legal_clerk)
    # Expect 7 queries: session, user with staff, the plan with who adopted it, totals by level, totals
    # by month, the month plans made, the registered units inspected.
    with django_assert_num_queries(7):
        assert client.get(YEAR).status_code == 200
    client.force_login(officer)
    # Expect 6 queries: session, user with staff, the month plan, the towns of the filter, the page's
    # count, the page of items with facility, town, plan and draw (December owes no new-permit check,
    # so no permits are looked up).
    with django_assert_num_queries(6):
        assert client.get(MONTH).status_code == 200
    # Expect 6 queries: session, user with staff, the towns of the filter, the count, the page, permits.
    with django_assert_num_queries(6):
        assert client.get(ITEMS).status_code == 200
    # Expect 12 queries: session, user with staff, the facility, the settings, the facts (facilities,
    # new permits, penalties, findings, complaints, inspections, and the positive list, which grading
    # keeps and registers with bureau.positive_list), its stored items.
    with django_assert_num_queries(12):
        assert client.get(reverse("inspections:plan-facility", args=[board.pk])).status_code == 200


def test_month_plan_filters_by_town_level_and_kind(client, board, town_b, leader):
    client.force_login(leader)
    in_town_b = text(client.get(MONTH, {"town": town_b.pk}))
    assert in_town_b.count("data-item=") == 2 and "甲镇" not in in_town_b.split("<tbody>")[1]
    key_only = text(client.get(MONTH, {"level": "key", "kind": "periodic", "state": "open"}))
    assert key_only.count("data-item=") == 3
    assert text(client.get(MONTH, {"kind": "new_permit"})).count("data-item=") == 0


def test_r_ins_4_the_facility_page_links_its_explained_frequency_for_the_bureau_only(
    client, board, pollution_clerk, town_a_liaison
):
    link = reverse("inspections:plan-facility", args=[board.pk])
    client.force_login(pollution_clerk)
    assert link in text(client.get(reverse("permits:facility-detail", args=[board.pk])))
    client.force_login(town_a_liaison)
    page = client.get(reverse("permits:facility-detail", args=[board.pk]))
    assert page.status_code == 200 and link not in text(page)
