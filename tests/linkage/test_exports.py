"""Excel exports of 三监联动 tasks (each tab) and 异常情况报告 (issue 13): the page's rows under its
filters, a town's export holds its town only (R-ORG-3), 法制科 gets the page's 403."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from linkage.services import tasks as services
from permits.services.anomalies import close_anomaly_report
from tests.factories.bureau import StaffFactory
from tests.factories.linkage import LinkageTaskFactory, anomaly_report
from tests.factories.permits import FacilityFactory
from tests.workbooks import column, sheet_rows

pytestmark = pytest.mark.django_db

LIST = reverse("linkage:task-list")
EXPORT = reverse("linkage:task-export")
ANOMALIES = reverse("linkage:anomaly-list")
ANOMALY_EXPORT = reverse("linkage:anomaly-export")


@pytest.fixture
def tasks(town_a, town_b, officer, enforcement_head):
    """Three tasks sent to 执法大队: two about 甲镇 (one already received), one about 乙镇."""
    a1 = LinkageTaskFactory(facility=FacilityFactory(n=1, town=town_a, name="甲镇涂料厂"))
    a2 = LinkageTaskFactory(facility=FacilityFactory(n=2, town=town_a, name="甲镇汽修店"))
    b1 = LinkageTaskFactory(facility=FacilityFactory(n=3, town=town_b, name="乙镇造纸厂"))
    services.receive_task(
        by=officer,
        task=a2,
        execution="已接收",
        handler=officer,
        head=enforcement_head,
        executed_on=timezone.localdate(),
    )
    return a1, a2, b1


def _listed(page: str) -> set[str]:
    return set(re.findall(r'class="mono">([^<]+)</a>', page))


def test_each_tab_exports_exactly_the_tasks_it_lists(client, officer, tasks):
    client.force_login(officer)
    for tab in ("receive", "doing", "all"):
        # given the tab as the department sees it
        page = client.get(LIST, {"tab": tab}).content.decode()
        # when the link on the page is followed
        link = re.search(r'href="([^"]+)" data-export', page).group(1).replace("&amp;", "&")
        rows = sheet_rows(client.get(link))
        # then the workbook holds the tab's tasks, no more
        assert f"tab={tab}" in link
        assert set(column(rows, "任务编号")) == _listed(page) != set()
    _, received, _ = tasks
    assert column(sheet_rows(client.get(EXPORT, {"tab": "doing"})), "任务编号") == [received.number]


def test_the_all_tab_export_keeps_the_filters(client, leader, tasks):
    a1, _, _ = tasks
    client.force_login(leader)
    rows = sheet_rows(client.get(EXPORT, {"tab": "all", "facility": "涂料"}))
    assert column(rows, "任务编号") == [a1.number]
    assert column(rows, "排污单位") == ["甲镇涂料厂"]


def test_r_org_3_a_towns_export_holds_its_town_only(client, town_b_liaison, tasks):
    _, _, b1 = tasks
    client.force_login(town_b_liaison)
    assert column(sheet_rows(client.get(EXPORT, {"tab": "all"})), "任务编号") == [b1.number]
    # another town's facility as the filter finds nothing of it
    assert sheet_rows(client.get(EXPORT, {"tab": "all", "facility": "甲镇"}))[1:] == []


def test_a_section_without_the_page_gets_its_403_for_the_export(client, legal_clerk, tasks):
    client.force_login(legal_clerk)
    assert client.get(LIST).status_code == 403
    assert client.get(EXPORT, {"tab": "all"}).status_code == 403
    assert client.get(ANOMALY_EXPORT).status_code == 403


def test_anomaly_export_holds_the_tabs_reports_and_a_town_its_own(
    client, ecology_clerk, town_a_liaison, town_a, town_b
):
    # given an open report in each town, and one closed in 甲镇
    by = StaffFactory(section_code="ecology").user
    a = anomaly_report(by=by, facility=FacilityFactory(n=1, town=town_a, name="甲镇涂料厂"))
    b = anomaly_report(by=by, facility=FacilityFactory(n=2, town=town_b, name="乙镇造纸厂"))
    closed = anomaly_report(by=by, facility=FacilityFactory(n=3, town=town_a, name="甲镇汽修店"))
    close_anomaly_report(
        by=by, report=closed, closed_on=timezone.localdate(closed.reported_at), outcome="已恢复传输"
    )
    client.force_login(ecology_clerk)
    # when the open tab is exported
    rows = sheet_rows(client.get(ANOMALY_EXPORT, {"state": "open"}))
    # then its reports, with the time as the page shows it
    assert sorted(column(rows, "报告编号")) == sorted([a.number, b.number])
    assert (
        rows[1][rows[0].index("报告时间")].strftime("%Y-%m-%d %H:%M")
        in client.get(ANOMALIES).content.decode()
    )
    closed_rows = sheet_rows(client.get(ANOMALY_EXPORT, {"state": "closed"}))
    assert column(closed_rows, "处理结果") == ["已恢复传输"]
    # and 甲镇's liaison gets 甲镇's reports only
    client.force_login(town_a_liaison)
    assert sorted(column(sheet_rows(client.get(ANOMALY_EXPORT, {"state": "all"})), "排污单位")) == [
        "甲镇汽修店",
        "甲镇涂料厂",
    ]
