"""Excel exports of 现场检查 (each tab), 检查发现问题 and 案件 (issue 13): the page's rows under its
filters, towns get the pages' 403, sections without cases get 403 for the cases' export."""

from datetime import date

import pytest
from django.urls import reverse

from inspections.services import draws, planning
from inspections.services.interference import record_interference
from tests.factories.inspections import NONCOMPLIANT_RECTIFY, signed, start
from tests.factories.permits import FacilityFactory
from tests.inspections import test_interference
from tests.workbooks import column, sheet_rows

pytestmark = pytest.mark.today(date(2026, 6, 15))

INSPECTIONS = reverse("inspections:inspection-list")
FINDINGS = reverse("inspections:finding-list")
CASES = reverse("inspections:case-list")
CASE_ANSWER = {
    "verdict": "noncompliant",
    "note": "废气排放口颗粒物超许可浓度",
    "finding_kind": "permit_violation",
    "disposition": "case",
}


@pytest.fixture
def interference_record(officers, officer, facility):
    inspection = signed(start(facility, officers), officers, 二_5=CASE_ANSWER)
    return record_interference(
        by=officer,
        occurred_on=date(2026, 6, 14),
        interferer=test_interference.INTERFERER,
        method="打电话说情",
        detail="要求对该单位从轻处理",
        inspection=inspection,
        case=inspection.findings.get().case,
    )


def export_of(url: str) -> str:
    return url + "export.xlsx"


@pytest.fixture
def board(facility, officers, town_b, approval_clerk):
    """Today's draft; one signed last month with a case and a ledger finding; one in 乙镇."""
    draft = start(facility, officers)
    done = signed(
        start(facility, officers, on=date(2026, 5, 20)), officers, 二_3=NONCOMPLIANT_RECTIFY, 二_5=CASE_ANSWER
    )
    elsewhere = start(FacilityFactory(n=2, town=town_b, by=approval_clerk), officers, on=date(2026, 6, 1))
    return {"draft": draft, "done": done, "elsewhere": elsewhere}


def test_each_tab_and_filter_exports_the_pages_inspections(client, board, officer, town_b):
    client.force_login(officer)
    for wanted in ({"tab": "today"}, {"tab": "all", "town": town_b.pk}, {"tab": "all", "state": "signed"}):
        listed = [i.number for i in client.get(INSPECTIONS, wanted).context["page"].object_list]
        rows = sheet_rows(client.get(export_of(INSPECTIONS), wanted))
        assert column(rows, "检查编号") == listed != []
    rows = sheet_rows(client.get(export_of(INSPECTIONS), {"tab": "all", "state": "signed"}))
    assert column(rows, "状态") == ["已签署"] and column(rows, "发现问题数") == [2]
    assert column(rows, "检查人员") == ["、".join(o.name for o in board["done"].officers.order_by("order"))]


def test_findings_export_keeps_the_filters(client, board, leader):
    client.force_login(leader)
    rows = sheet_rows(client.get(export_of(FINDINGS), {"disposition": "rectification"}))
    assert column(rows, "处理方式") == ["限期整改"] and column(rows, "检查编号") == [board["done"].number]
    assert column(rows, "整改期限")[0] is not None
    assert len(sheet_rows(client.get(export_of(FINDINGS)))) == 3


def test_cases_export_holds_the_cases_for_those_who_read_them(client, board, legal_clerk, approval_clerk):
    client.force_login(legal_clerk)
    rows = sheet_rows(client.get(export_of(CASES), {"state": "investigating"}))
    listed = [c.number for c in client.get(CASES, {"state": "investigating"}).context["page"].object_list]
    assert column(rows, "案件编号") == listed != [] and column(rows, "排污单位") == [
        board["done"].facility.name
    ]
    # 审批科 reads no case: the export answers as the page does
    client.force_login(approval_clerk)
    assert client.get(CASES).status_code == client.get(export_of(CASES)).status_code == 403


@pytest.mark.parametrize("url", [INSPECTIONS, FINDINGS, CASES])
def test_r_org_3_towns_get_the_pages_403_for_the_export(client, board, town_a_liaison, url):
    client.force_login(town_a_liaison)
    assert client.get(url).status_code == client.get(export_of(url)).status_code == 403


@pytest.mark.today(date(2025, 3, 10))
def test_plan_items_export_holds_the_filtered_items(client, facility, town_b, approval_clerk, leader):
    # given the year's plan over one town-A facility and one town-B facility
    FacilityFactory(n=4, town=town_b, by=approval_clerk)
    planning.sync_plan(year=2025)
    client.force_login(leader)
    items = reverse("inspections:plan-items")
    wanted = {"town": town_b.pk}
    listed = [row["item"].facility.name for row in client.get(items, wanted).context["rows"]]
    # when the filtered items are exported
    rows = sheet_rows(client.get(export_of(items), wanted))
    # then the same items, in the page's order
    assert column(rows, "排污单位") == listed != [] and set(column(rows, "街镇")) == {"乙镇"}
    assert len(sheet_rows(client.get(export_of(items)))) > len(rows)


@pytest.mark.today(date(2026, 3, 2))
def test_draws_export_holds_every_draw_of_the_list(
    client, officer, crew, town_a, approval_clerk, legal_clerk
):
    for n in range(1, 4):
        FacilityFactory(n=n, town=town_a, by=approval_clerk)
    draws.create_draw(
        by=officer,
        title="重点排污单位双随机抽查",
        levels=["key"],
        officers=crew,
        inspect_from=date(2026, 3, 9),
        inspect_until=date(2026, 4, 9),
        sample_size=2,
        exclude_recent_days=0,
        exclude_positive_list=False,
    )
    client.force_login(legal_clerk)
    draws_page = reverse("inspections:draw-list")
    listed = [d.number for d in client.get(draws_page).context["page"].object_list]
    rows = sheet_rows(client.get(reverse("inspections:draw-export")))
    assert column(rows, "抽查编号") == listed != []
    assert column(rows, "管理类别") == ["重点管理"] and column(rows, "街镇") == ["全部"]


def test_r_ins_11_interference_records_leave_only_for_their_pages_audience(
    client, interference_record, leader, officer, administrator
):
    export = reverse("inspections:interference-export")
    client.force_login(leader)
    rows = sheet_rows(client.get(export))
    assert column(rows, "干预人") == [test_interference.INTERFERER]
    assert column(rows, "涉及案件") == [interference_record.case.number]
    # everyone else, the administrator included, gets the 404 of a page that does not exist
    for user in (officer, administrator):
        client.force_login(user)
        assert client.get(export).status_code == 404
    client.logout()
    assert client.get(export).status_code == 404


def test_officers_conflicts_export_for_the_brigade_and_leadership_only(
    client, officer, officer2, facility, leader, legal_clerk
):
    draws.declare_conflict(by=officer, officer=officer2, facility=facility, reason="亲属任职")
    export = reverse("inspections:conflict-export")
    client.force_login(leader)
    rows = sheet_rows(client.get(export))
    assert column(rows, "回避对象") == [facility.name] and column(rows, "状态") == ["有效"]
    client.force_login(legal_clerk)
    assert (
        client.get(reverse("inspections:conflict-list")).status_code == client.get(export).status_code == 403
    )
