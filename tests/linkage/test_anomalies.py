"""R-ANM-1 (003 第九条): a holder's anomaly report, entered by staff, goes at once onto 生态科's and
污防科's to-do lists, can start a linkage task that names it, is closed with its outcome (which
completes the to-dos) and is listed on the facility page. Only 生态科 and 污防科 enter and close."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from bureau.errors import Conflict
from bureau.todo import todos_for
from linkage.models import LinkageTask
from permits.models import AnomalyReport
from permits.services.anomalies import close_anomaly_report
from tests.factories.linkage import anomaly_report
from tests.factories.permits import FacilityFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("work_calendar"),
    pytest.mark.today(date(2025, 10, 20)),
]
SHANGHAI = ZoneInfo("Asia/Shanghai")
AT = datetime(2025, 10, 20, 9, 30, tzinfo=SHANGHAI)
NEW = reverse("linkage:anomaly-new")
LIST = reverse("linkage:anomaly-list")


@pytest.fixture
def facility(town_a):
    return FacilityFactory(n=7, town=town_a, name="甲镇涂料有限公司")


@pytest.fixture
def report(facility, ecology_clerk):
    return anomaly_report(by=ecology_clerk, facility=facility, reported_at=AT)


def _form(facility, **values):
    return {
        "facility": facility.credit_code,
        "kind": "facility_abnormal",
        "description": "RTO 焚烧炉停炉检修",
        "started_at": "2025-10-20T06:00",
        "measures": "相关生产线已停产",
        "channel": "letter",
        "reporter": "安环部 王经理 021-59000000",
        "reported_at": "2025-10-20T08:00",
        **values,
    }


def test_r_anm_1_kinds_follow_003_article_9():
    from permits.models import AnomalyKind

    assert AnomalyKind.labels[:4] == [
        "污染防治设施不正常运行",
        "污染物排放异常",
        "在线监测监控设备异常",
        "自行监测无法完成",
    ]


def test_r_anm_1_a_report_goes_at_once_to_ecology_and_pollution(
    client, facility, pollution_clerk, ecology_clerk, officer
):
    # given: 污防科's clerk takes a letter from the holder
    client.force_login(pollution_clerk)
    # when
    response = client.post(NEW, _form(facility), follow=True)
    # then
    report = AnomalyReport.objects.get()
    assert (report.number, report.kind, report.channel, report.recorded_by) == (
        "异常-2025-0001",
        "facility_abnormal",
        "letter",
        pollution_clerk,
    )
    assert report.started_at == datetime(2025, 10, 20, 6, 0, tzinfo=SHANGHAI)
    assert f"已登记异常情况报告 {report.number}，已列入生态科、污防科待办。" in response.content.decode()
    title = f"异常情况报告 {report.number}：甲镇涂料有限公司污染防治设施不正常运行，请跟踪处理"
    assert [t.title for t in todos_for(ecology_clerk)] == [title]
    assert [t.title for t in todos_for(pollution_clerk)] == [title]
    assert list(todos_for(officer)) == []
    assert report.history.get().history_user == pollution_clerk


def test_r_anm_1_the_form_refuses_in_chinese_and_keeps_the_input(client, facility, ecology_clerk):
    client.force_login(ecology_clerk)
    response = client.post(NEW, _form(facility, measures="", started_at="2025-10-20T09:00"))
    assert response.status_code == 400
    page = response.content.decode()
    assert "请填写单位已采取的措施" in page and "RTO 焚烧炉停炉检修" in page
    response = client.post(NEW, _form(facility, started_at="2025-10-20T09:00"))
    assert "异常开始时间不能晚于报告时间。" in response.content.decode()
    assert AnomalyReport.objects.count() == 0


def test_r_anm_1_only_ecology_and_pollution_enter_and_close(
    client, facility, officer, approval_clerk, report, leader
):
    for user in (officer, approval_clerk, leader):
        client.force_login(user)
        assert client.get(NEW).status_code == 403
        assert (
            client.post(
                reverse("linkage:anomaly-close", args=[report.pk]),
                {"closed_on": "2025-10-20", "outcome": "已恢复"},
            ).status_code
            == 403
        )
        assert client.get(reverse("linkage:anomaly-detail", args=[report.pk])).status_code == 200
    with pytest.raises(PermissionDenied, match="由生态科、污防科登记和办结"):
        anomaly_report(by=officer, facility=facility)
    with pytest.raises(PermissionDenied):
        close_anomaly_report(by=officer, report=report, closed_on=date(2025, 10, 20), outcome="已恢复")


def test_r_anm_1_a_town_sees_only_its_own_facilities_reports(client, report, town_a_liaison, town_b_liaison):
    client.force_login(town_b_liaison)
    assert client.get(reverse("linkage:anomaly-detail", args=[report.pk])).status_code == 404
    client.force_login(town_a_liaison)
    assert client.get(reverse("linkage:anomaly-detail", args=[report.pk])).status_code == 200


def test_r_anm_1_a_linkage_task_started_from_a_report_names_it(client, report, pollution_clerk, heads):
    # given
    client.force_login(pollution_clerk)
    detail = reverse("linkage:anomaly-detail", args=[report.pk])
    assert "据此发起三监联动任务" in client.get(detail).content.decode()
    form = client.get(reverse("linkage:task-new"), {"anomaly": report.pk})
    assert "据异常情况报告" in form.content.decode() and report.number in form.content.decode()
    # when
    response = client.post(
        reverse("linkage:task-new"),
        {
            "anomaly": report.pk,
            "receivers": ["monitoring"],
            "description": "请对在线监测设备开展比对监测",
            "handler": pollution_clerk.pk,
            "head": heads["pollution"].pk,
            "started_on": "2025-10-20",
            "deadline_workdays": 10,
            "remarks": "",
        },
        follow=True,
    )
    # then
    task = LinkageTask.objects.get()
    assert (task.source_kind, task.source_key, task.facility) == (
        "holder_anomaly",
        report.source_key,
        report.facility,
    )
    assert task.source_label == f"异常情况报告 {report.number}（在线监测监控设备异常）"
    assert f'<a href="{detail}" data-source>{task.source_label}</a>' in response.content.decode()
    report.refresh_from_db()
    assert report.linkage_task_number == task.number


def test_d13_r_anm_1_a_second_task_is_not_started_from_the_same_report(
    client, report, pollution_clerk, heads
):
    # given: a task has been started from the report
    started = {
        "anomaly": report.pk,
        "receivers": ["monitoring"],
        "description": "请对在线监测设备开展比对监测",
        "handler": pollution_clerk.pk,
        "head": heads["pollution"].pk,
        "started_on": "2025-10-20",
        "deadline_workdays": 10,
        "remarks": "",
    }
    client.force_login(pollution_clerk)
    client.post(reverse("linkage:task-new"), started)
    first = LinkageTask.objects.get()
    detail = reverse("linkage:anomaly-detail", args=[report.pk])
    page = client.get(detail).content.decode()
    assert "据此发起三监联动任务" not in page
    # D15: the site is named by its source code
    assert f'<small class="mono">{report.facility.source_code}</small>' in page
    # when: a second one is tried
    response = client.post(reverse("linkage:task-new"), {**started, "receivers": ["enforcement"]})
    # then: refused, naming the task, and the report still names the first task
    assert response.status_code == 409
    assert f"异常情况报告 {report.number} 已发起三监联动任务 {first.number}，不能重复发起" in (
        response.content.decode()
    )
    assert LinkageTask.objects.count() == 1
    report.refresh_from_db()
    assert report.linkage_task_number == first.number


def test_r_anm_1_closing_with_the_outcome_completes_both_to_dos(
    client, report, ecology_clerk, pollution_clerk
):
    client.force_login(ecology_clerk)
    url = reverse("linkage:anomaly-close", args=[report.pk])
    assert client.post(url, {"closed_on": "2025-10-20", "outcome": ""}).status_code == 400
    response = client.post(
        url, {"closed_on": "2025-10-20", "outcome": "设备已修复，数据恢复传输"}, follow=True
    )
    assert f"异常情况报告 {report.number} 已办结。" in response.content.decode()
    report.refresh_from_db()
    assert (report.closed_on, report.outcome, report.closed_by) == (
        date(2025, 10, 20),
        "设备已修复，数据恢复传输",
        ecology_clerk,
    )
    assert list(todos_for(ecology_clerk)) == [] and list(todos_for(pollution_clerk)) == []
    with pytest.raises(Conflict, match="已于 2025-10-20 办结"):
        close_anomaly_report(by=pollution_clerk, report=report, closed_on=date(2025, 10, 20), outcome="再次")
    with pytest.raises(ValidationError):
        anomaly_report(by=ecology_clerk, facility=report.facility, measures=" ")


def test_r_anm_1_listed_on_the_facility_page(client, report, approval_clerk):
    client.force_login(approval_clerk)
    page = client.get(reverse("permits:facility-detail", args=[report.facility_id])).content.decode()
    assert 'id="anomalies"' in page
    assert f'<a href="/linkage/anomalies/{report.pk}/">{report.number}</a>' in page
    assert "在线监测监控设备异常" in page


def test_r_anm_1_list_page_costs_fixed_queries(client, facility, ecology_clerk, django_assert_num_queries):
    for hour in range(12):
        anomaly_report(
            by=ecology_clerk, facility=FacilityFactory(town=facility.town), reported_at=AT.replace(hour=hour)
        )
    client.force_login(ecology_clerk)
    # Expect 4 queries: session, user with staff/section/town, count of the open reports, the page of
    # reports with facility, recorder and closer.
    with django_assert_num_queries(4):
        response = client.get(LIST)
    assert response.content.decode().count("<tr data-anomaly=") == 12


def test_r_anm_1_detail_page_costs_fixed_queries(client, report, ecology_clerk, django_assert_num_queries):
    client.force_login(ecology_clerk)
    # Expect 3 queries: session, user with staff/section/town, the report with facility, recorder, closer.
    with django_assert_num_queries(3):
        response = client.get(reverse("linkage:anomaly-detail", args=[report.pk]))
    assert report.number in response.content.decode()


def test_r_anm_1_the_linkage_list_links_the_anomaly_reports(client, officer):
    client.force_login(officer)
    page = client.get(reverse("linkage:task-list")).content.decode()
    assert f'href="{LIST}" data-anomalies' in page


def test_r_anm_1_r_lnk_6_a_report_waits_for_its_task_to_be_closed(client, report, pollution_clerk, heads):
    # given: a task started from the report, still under way
    client.force_login(pollution_clerk)
    client.post(
        reverse("linkage:task-new"),
        {
            "anomaly": report.pk,
            "receivers": ["monitoring"],
            "description": "请对在线监测设备开展比对监测",
            "handler": pollution_clerk.pk,
            "head": heads["pollution"].pk,
            "started_on": "2025-10-20",
            "deadline_workdays": 10,
            "remarks": "",
        },
    )
    task = LinkageTask.objects.get()
    # when: the report is closed on its page
    response = client.post(
        reverse("linkage:anomaly-close", args=[report.pk]), {"closed_on": "2025-10-20", "outcome": "已修复"}
    )
    # then: refused, naming the task; the report and both to-dos stay open
    assert response.status_code == 409
    assert f"三监联动任务 {task.number} 尚未销号" in response.content.decode()
    report.refresh_from_db()
    assert report.closed_on is None and report.outcome == ""
