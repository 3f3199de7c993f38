"""The 三监联动 task pages: queues per department, starting a task online and from paper, the task in
the 附件5 layout and the forms of each step, who may see and do what (R-LNK-1…7, R-ORG-3, R-CAL-1).

Data is made through the services, as in production.
"""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from bureau.calendar import WorkCalendar
from bureau.models import SectionCode
from linkage.models import Assignment, LinkageTask, TaskStep
from linkage.services import tasks as services
from linkage.task_views import steps
from permits.queries import facility_label
from tests.factories.bureau import StaffFactory
from tests.factories.linkage import LinkageTaskFactory
from tests.factories.permits import FacilityFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("work_calendar")]

LIST = reverse("linkage:task-list")
NEW = reverse("linkage:task-new")
PAPER = reverse("linkage:task-paper")


def detail_url(task):
    return reverse("linkage:task-detail", args=[task.pk])


def step_url(name, task):
    return reverse(f"linkage:task-{name}", args=[task.pk])


def page_of(response) -> str:
    return response.content.decode()


def listed(response) -> list[str]:
    return [row.task.number for row in response.context["rows"]]


def queue(response, key) -> list[str]:
    return [t.number for q in response.context["queues"] if q.key == key for t in q.tasks]


# Personas -------------------------------------------------------------------------------------------


@pytest.fixture
def second_officer(db):
    return StaffFactory(
        username="enforcement2", section_code=SectionCode.ENFORCEMENT, certificate_no="31010720002"
    ).user


@pytest.fixture
def facility_a(town_a):
    return FacilityFactory(n=1, town=town_a, name="甲镇精细化工有限公司")


@pytest.fixture
def facility_b(town_b):
    return FacilityFactory(n=2, town=town_b, name="乙镇电镀有限公司")


# Helpers: steps through the services ----------------------------------------------------------------


def start(by, head, receivers, *, description="自行监测数据异常，请现场核查", **kwargs):
    return LinkageTaskFactory(
        by=by,
        initiator=by.staff.section.code,
        receivers=receivers,
        head=head,
        description=description,
        **kwargs,
    )


def receive(task, by, head, text="已接收，安排现场检查"):
    return services.receive_task(
        by=by, task=task, execution=text, handler=by, head=head, executed_on=timezone.localdate()
    )


def feed_back(task, by, head, text="现场检查发现超标排放，已立案"):
    return services.feed_back_task(
        by=by, task=task, result=text, handler=by, head=head, fed_back_on=timezone.localdate()
    )


@pytest.fixture
def team(
    monitoring_clerk,
    monitoring_head,
    officer,
    enforcement_head,
    pollution_clerk,
    pollution_head,
    ecology_clerk,
    ecology_head,
    approval_clerk,
    approval_head,
):
    return {
        "monitoring": (monitoring_clerk, monitoring_head),
        "enforcement": (officer, enforcement_head),
        "pollution": (pollution_clerk, pollution_head),
        "ecology": (ecology_clerk, ecology_head),
        "approval": (approval_clerk, approval_head),
    }


@pytest.fixture
def board(team, facility_a, facility_b, today):
    """The monitoring station's tasks in every state, plus one the pollution section started."""
    monitoring, enforcement = team["monitoring"], team["enforcement"]
    fresh = start(*monitoring, ["enforcement"], facility=facility_a, description="新任务：待接收")
    doing = start(
        *monitoring, ["enforcement", "pollution"], facility=facility_b, description="执法大队办理中"
    )
    receive(doing, *enforcement)
    answered = start(*monitoring, ["enforcement", "pollution"], description="执法大队已反馈，污防科未接收")
    receive(answered, *enforcement)
    feed_back(answered, *enforcement)
    to_close = start(*monitoring, ["enforcement"], description="待销号")
    receive(to_close, *enforcement)
    feed_back(to_close, *enforcement)
    closed = start(*monitoring, ["enforcement"], description="已销号待归档")
    receive(closed, *enforcement)
    feed_back(closed, *enforcement)
    services.close_task(by=monitoring[0], task=closed, closed_on=today)
    late = start(*monitoring, ["enforcement"], started_on=today - timedelta(days=60), description="早已逾期")
    pollution_own = start(
        *team["pollution"], ["ecology"], facility=facility_a, description="污防科发给生态科"
    )
    return {
        "fresh": fresh,
        "doing": doing,
        "answered": answered,
        "to_close": to_close,
        "closed": closed,
        "late": late,
        "pollution_own": pollution_own,
    }


# Navigation -----------------------------------------------------------------------------------------


def test_nav_entry_for_the_sections_that_see_tasks(client, personas):
    for code, user in personas.items():
        client.force_login(user)
        shows = 'data-nav="linkage"' in page_of(client.get(reverse("home")))
        assert shows == (code != SectionCode.LEGAL), code
    client.force_login(personas[SectionCode.LEGAL])
    assert client.get(LIST).status_code == 403


# Queues (R-LNK-6) -----------------------------------------------------------------------------------


def test_r_lnk_6_enforcement_queues(client, officer, board):
    client.force_login(officer)
    response = client.get(LIST)
    assert response.status_code == 200
    number = {key: task.number for key, task in board.items()}
    # Most urgent first: the overdue task before the fresh one.
    assert queue(response, "receive") == [number["late"], number["fresh"]]
    assert queue(response, "doing") == [number["doing"]]
    assert queue(response, "close") == [] and queue(response, "started") == []
    assert queue(response, "overdue") == [number["late"]]
    assert "archive" not in [q.key for q in response.context["queues"]]
    # The first queue with something in it opens: 待接收.
    assert response.context["tab"] == "receive"
    assert listed(response) == queue(response, "receive")
    assert number["pollution_own"] not in page_of(response)


def test_r_lnk_6_initiator_queues(client, monitoring_clerk, board):
    client.force_login(monitoring_clerk)
    response = client.get(LIST, {"tab": "started"})
    number = {key: task.number for key, task in board.items()}
    assert queue(response, "receive") == [] and queue(response, "doing") == []
    assert queue(response, "close") == [number["to_close"]]
    assert set(queue(response, "started")) == {
        number[k] for k in ("fresh", "doing", "answered", "to_close", "late")
    }
    assert queue(response, "overdue") == [number["late"]]
    assert set(listed(response)) == set(queue(response, "started"))
    page = page_of(response)
    assert 'data-tab="started" class="active"' in page
    assert "待执法大队接收" in page and "待监测站销号" in page


def test_r_lnk_6_a_second_receiver_still_owes_its_step(client, pollution_clerk, board):
    client.force_login(pollution_clerk)
    response = client.get(LIST)
    number = {key: task.number for key, task in board.items()}
    # Sent to 污防科 twice, received by it never; its own task to 生态科 is under 本部门发起.
    assert set(queue(response, "receive")) == {number["doing"], number["answered"]}
    assert queue(response, "started") == [number["pollution_own"]]
    assert number["fresh"] not in page_of(response)


def test_r_lnk_4_approval_has_the_archive_queue(client, approval_clerk, board):
    client.force_login(approval_clerk)
    response = client.get(LIST, {"tab": "archive"})
    assert queue(response, "archive") == [board["closed"].number]
    # 审批科 takes no part in these tasks: its other queues are empty, though it sees them all.
    assert all(not q.tasks for q in response.context["queues"] if q.key != "archive")
    assert listed(response) == [board["closed"].number]
    assert "待审批科归档" in page_of(response)


def test_r_lnk_6_leadership_sees_the_whole_list_and_the_department_summary(client, leader, board):
    client.force_login(leader)
    response = client.get(LIST)
    assert response.context["queues"] == [] and response.context["tab"] == "all"
    assert len(listed(response)) == len(board)
    summary = {row["code"]: row for row in response.context["summary"]}
    # 执法大队 owes receipt of fresh and late, feedback of doing; 污防科 receipt of doing and answered.
    assert summary["enforcement"]["open"] == 3 and summary["enforcement"]["overdue"] == 1
    assert summary["pollution"]["open"] == 2 and summary["ecology"]["open"] == 1
    assert summary["monitoring"]["to_close"] == 1 and summary["approval"]["to_archive"] == 1
    assert "发起任务" not in page_of(response)


def test_r_lnk_6_all_list_filters(client, approval_clerk, board, facility_a):
    client.force_login(approval_clerk)

    def numbers(**params):
        return set(listed(client.get(LIST, {"tab": "all", **params})))

    number = {key: task.number for key, task in board.items()}
    assert numbers(department="ecology") == {number["pollution_own"]}
    assert numbers(department="pollution") == {number["doing"], number["answered"], number["pollution_own"]}
    assert numbers(state="awaiting_close") == {number["to_close"]}
    assert numbers(overdue="on") == {number["late"]}
    assert numbers(facility=facility_a.credit_code) == {number["fresh"], number["pollution_own"]}
    # a suggestion chosen in the search field reads 「污染源编码 名称」, as the browser sends it
    chosen = facility_label(facility_a)
    assert chosen.startswith(facility_a.source_code)
    assert numbers(facility=chosen) == {number["fresh"], number["pollution_own"]}
    assert numbers(facility="乙镇电镀") == {number["doing"]}
    assert numbers(department="monitoring", state="closed") == {number["closed"]}


def test_r_lnk_7_deadline_in_working_days_and_red_flag(client, officer, board, today):
    client.force_login(officer)
    response = client.get(LIST, {"tab": "receive"})
    rows = {row.task.number: row for row in response.context["rows"]}
    fresh, late = board["fresh"], board["late"]
    left = WorkCalendar().count_workdays(today, fresh.deadline_on)
    assert left > 0 and rows[fresh.number].deadline.text == f"剩余 {left} 个工作日"
    overdue_by = -WorkCalendar().count_workdays(today, late.deadline_on)
    assert rows[late.number].deadline.is_overdue
    assert rows[late.number].deadline.text == (f"已逾期 {overdue_by} 个工作日" if overdue_by else "已逾期")
    page = page_of(response)
    assert f'<tr data-task="{late.pk}" class="overdue">' in page
    assert f'<tr data-task="{fresh.pk}">' in page
    assert "{#" not in page and "{%" not in page
    table = page.split("<tbody>", 1)[1]
    assert table.count('<span class="badge red">已逾期</span>') == 1


# Who sees what (R-LNK-6, R-ORG-3) ---------------------------------------------------------------------


def test_r_lnk_6_two_departments_see_only_their_tasks(client, officer, ecology_clerk, board):
    client.force_login(ecology_clerk)
    response = client.get(LIST, {"tab": "all"})
    assert listed(response) == [board["pollution_own"].number]
    assert client.get(detail_url(board["fresh"])).status_code == 404
    client.force_login(officer)
    assert board["pollution_own"].number not in listed(client.get(LIST, {"tab": "all"}))
    assert client.get(detail_url(board["pollution_own"])).status_code == 404
    assert client.get(detail_url(board["fresh"])).status_code == 200


def test_r_org_3_town_sees_only_tasks_about_its_facilities(client, town_a_liaison, town_b_liaison, board):
    client.force_login(town_a_liaison)
    response = client.get(LIST)
    assert response.context["tab"] == "all" and response.context["all_label"] == "本辖区任务"
    assert set(listed(response)) == {board["fresh"].number, board["pollution_own"].number}
    detail = client.get(detail_url(board["fresh"]))
    assert detail.status_code == 200 and detail.context["forms"] == {}
    assert client.get(detail_url(board["doing"])).status_code == 404
    assert client.get(NEW).status_code == 403
    client.force_login(town_b_liaison)
    assert listed(client.get(LIST)) == [board["doing"].number]
    assert client.get(detail_url(board["fresh"])).status_code == 404
    assert client.get(reverse("linkage:task-detail", args=[999999])).status_code == 404


# Query budgets --------------------------------------------------------------------------------------


def _calendar_years(deadlines, today) -> int:
    """Years the work calendar reads to count working days between today and each deadline."""
    years = set()
    for deadline in deadlines:
        low, high = sorted((today, deadline))
        if high > low:
            years |= set(range((low + timedelta(days=1)).year, high.year + 1))
    return len(years)


@pytest.fixture
def many(team, town_a, today):
    """32 tasks of the monitoring station to 执法大队 and 污防科, on 32 facilities, half received."""
    monitoring, enforcement = team["monitoring"], team["enforcement"]
    tasks = []
    for n in range(32):
        facility = FacilityFactory(n=100 + n, town=town_a)
        started = today - timedelta(days=40) if n % 4 == 0 else today
        task = start(*monitoring, ["enforcement", "pollution"], facility=facility, started_on=started)
        if n % 2:
            receive(task, *enforcement)
        tasks.append(task)
    return tasks


def test_r_lnk_6_queue_page_costs_fixed_queries(client, officer, many, today, django_assert_num_queries):
    client.force_login(officer)
    pending = [
        t for t in many if Assignment.objects.get(task=t, section__code="enforcement").state == "pending"
    ]
    assert pending
    # Expect 6 queries: session, user with staff/section/town, the tabs' counts (one aggregate), the
    # tab's page of tasks with initiator and facility, their assignments with section (one
    # prefetch), and the work calendar of every year the deadlines span (one query).
    with django_assert_num_queries(6):
        response = client.get(LIST, {"tab": "receive"})
    assert len(response.context["rows"]) == 16
    assert page_of(response).count("<tr data-task=") == 16


def test_r_lnk_6_all_list_costs_fixed_queries(client, leader, many, today, django_assert_num_queries):
    client.force_login(leader)
    # Expect 8 queries: session, user with staff/section/town, count of the filtered tasks, the page
    # of tasks with initiator and facility, their assignments with section, the work calendar of
    # every year spanned (one query), the steps owed per department, the tasks to close or archive
    # per initiator.
    with django_assert_num_queries(8):
        response = client.get(LIST, {"tab": "all", "department": "enforcement"})
    assert len(response.context["rows"]) == 32


def test_r_lnk_2_detail_costs_fixed_queries(client, team, many, today, django_assert_num_queries):
    # given: a task sent to four departments that all executed and fed back, was returned, and fed
    # back again by three of them: 13 steps, and 执法大队 still owes its feedback
    monitoring = team["monitoring"]
    task = start(*monitoring, ["enforcement", "pollution", "ecology", "approval"], facility=many[0].facility)
    for code in ("enforcement", "pollution", "ecology", "approval"):
        receive(task, *team[code])
        feed_back(task, *team[code])
    services.return_task(by=monitoring[0], task=task, reason="整改证明材料不全", returned_on=today)
    for code in ("pollution", "ecology", "approval"):
        feed_back(task, *team[code], text="补充整改照片")
    officer = team["enforcement"][0]
    client.force_login(officer)
    years = _calendar_years([task.deadline_on], today)
    # Expect 6 + years queries: session, user with staff/section/town, the task with initiator,
    # facility and town, signatories, closer and archiver, its assignments with section and
    # signatories, its steps with actor and section, the department's staff for the feedback form,
    # and the work calendar per year spanned.
    with django_assert_num_queries(6 + years):
        response = client.get(detail_url(task))
    assert list(response.context["forms"]) == ["feedback"]
    assert len(response.context["steps"]) == 13
    assert page_of(response).count('<li data-step="') == 13


# Starting a task (R-LNK-1, R-LNK-2, R-LNK-7) --------------------------------------------------------


def _start_data(user, head, **values):
    return {
        "receivers": ["enforcement"],
        "facility": "",
        "description": "在线监测数据连续三日超标",
        "handler": user.pk,
        "head": head.pk,
        "started_on": timezone.localdate().isoformat(),
        "deadline_workdays": 15,
        "source_kind": "monitoring_anomaly",
        "remarks": "附监测报告",
        **values,
    }


def test_r_lnk_1_new_page_offers_the_other_departments_and_own_staff(client, team):
    monitoring, head = team["monitoring"]
    client.force_login(monitoring)
    response = client.get(NEW)
    assert response.status_code == 200
    form = response.context["form"]
    assert [code for code, _ in form.fields["receivers"].choices] == [
        "approval",
        "ecology",
        "pollution",
        "enforcement",
    ]
    assert [pk for pk, _ in form.fields["head"].choices] == [head.pk]
    assert monitoring.pk in [pk for pk, _ in form.fields["handler"].choices]
    assert team["enforcement"][0].pk not in [pk for pk, _ in form.fields["handler"].choices]
    assert form["handler"].value() == monitoring.pk and form["deadline_workdays"].value() == 15
    assert form["source_kind"].value() == "manual"
    page = page_of(response)
    assert "发起部门：<strong>环境监测站</strong> · 监测方" in page
    assert "{#" not in page and "{%" not in page


def test_r_lnk_1_start_a_task_online(client, team, facility_a, today):
    monitoring, head = team["monitoring"]
    client.force_login(monitoring)
    data = _start_data(
        monitoring, head, receivers=["enforcement", "pollution"], facility=facility_a.credit_code
    )
    response = client.post(NEW, data, follow=True)
    task = LinkageTask.objects.get()
    assert response.redirect_chain[-1][0] == detail_url(task)
    assert task.initiator.code == "monitoring" and task.facility == facility_a and not task.from_paper
    assert task.source_kind == "monitoring_anomaly" and task.remarks == "附监测报告"
    assert task.deadline_on == WorkCalendar().add_workdays(today, 15)
    assert [a.section.code for a in task.assignments.order_by("id")] == ["enforcement", "pollution"]
    page = page_of(response)
    assert f"已发起任务 {task.number}，已发送至执法大队、污防科" in page
    assert "在线监测数据连续三日超标" in page


def test_r_lnk_1_facility_by_name(client, team, facility_b):
    monitoring, head = team["monitoring"]
    client.force_login(monitoring)
    client.post(NEW, _start_data(monitoring, head, facility="乙镇电镀有限公司"))
    assert LinkageTask.objects.get().facility == facility_b


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"receivers": []}, "receivers", "请至少选择一个接收部门。"),
        ({"receivers": ["monitoring"]}, "receivers", "接收部门不能是本部门或其他科室。"),
        ({"description": "  "}, "description", "请填写问题描述。"),
        (
            {"facility": "913101070000000000"},
            "facility",
            "未找到排污单位“913101070000000000”：请输入名称或代码的一部分并从提示中选择，"
            "或填写完整的统一社会信用代码、污染源编码或单位全称。",
        ),
        ({"deadline_workdays": 0}, "deadline_workdays", "确保该值大于或等于1。"),
        ({"started_on": "2999-01-01"}, "started_on", "日期不能晚于今天。"),
    ],
)
def test_r_lnk_1_start_errors_in_chinese_with_input_kept(client, team, values, field, message):
    monitoring, head = team["monitoring"]
    client.force_login(monitoring)
    response = client.post(NEW, _start_data(monitoring, head, **{"description": "保留我写的内容", **values}))
    assert response.status_code == 400
    assert message in response.context["form"].errors[field]
    page = page_of(response)
    assert message in page and "未保存：请按下方标红的提示修改后再提交" in page
    if "description" not in values:
        assert "保留我写的内容" in page
    assert not LinkageTask.objects.exists()


def test_r_lnk_1_head_must_be_a_head_of_the_department(client, team):
    monitoring, _ = team["monitoring"]
    client.force_login(monitoring)
    response = client.post(NEW, _start_data(monitoring, monitoring))
    assert response.status_code == 400
    assert "负责人应为本部门的负责人（科长）。" in page_of(response)
    response = client.post(NEW, _start_data(monitoring, team["enforcement"][1]))
    assert "负责人应为本部门的负责人（科长）。" in page_of(response)
    assert not LinkageTask.objects.exists()


def test_r_lnk_1_only_linkage_departments_start_tasks(client, leader, legal_clerk, administrator):
    for user in (leader, legal_clerk):
        client.force_login(user)
        assert client.get(NEW).status_code == 403
        assert client.get(PAPER).status_code == 403
    client.force_login(administrator)
    response = client.get(NEW)
    assert response.status_code == 403
    assert "只有审批科、生态科、污防科、环境监测站和执法大队可以发起三监联动任务。" in page_of(response)


# Paper slips (R-LNK-5) ------------------------------------------------------------------------------


def test_r_lnk_5_paper_slip_entered_afterwards(client, team, today):
    monitoring, head = team["monitoring"]
    client.force_login(monitoring)
    page = page_of(client.get(PAPER))
    assert "转办单日期" in page
    assert "可由发起部门、审批科" in page and "按纸质转办单逐个接收部门补录" in page
    paper_day = today - timedelta(days=20)
    scan = SimpleUploadedFile(
        "转办单.pdf", b"%PDF-1.4 scan of the signed slip", content_type="application/pdf"
    )
    response = client.post(
        PAPER,
        _start_data(monitoring, head, started_on=paper_day.isoformat()) | {"slip_scan": scan},
        follow=True,
    )
    task = LinkageTask.objects.get()
    assert task.from_paper and task.started_on == paper_day
    assert task.deadline_on == WorkCalendar().add_workdays(paper_day, 15)
    assert f"已补录任务 {task.number}" in page_of(response)
    assert "据纸质转办单补录" in page_of(response)
    assert TaskStep.objects.get(task=task).note == "据纸质转办单补录"
    # The receiving department completes its rows itself, with the paper's dates.
    officer, enforcement_head = team["enforcement"]
    client.force_login(officer)
    detail = page_of(client.get(detail_url(task)))
    assert "请按纸质转办单上的日期填写本部门的接收与执行情况和结果反馈" in detail
    executed = paper_day + timedelta(days=1)
    client.post(
        step_url("receive", task),
        {
            "execution": "纸质单据已签收",
            "handler": officer.pk,
            "head": enforcement_head.pk,
            "executed_on": executed,
        },
    )
    assert Assignment.objects.get(task=task).executed_on == executed


def test_r_lnk_5_paper_date_not_in_the_future(client, team, today):
    monitoring, head = team["monitoring"]
    client.force_login(monitoring)
    response = client.post(
        PAPER, _start_data(monitoring, head, started_on=(today + timedelta(days=1)).isoformat())
    )
    assert response.status_code == 400 and "日期不能晚于今天。" in page_of(response)


# The task page (R-LNK-2, R-LNK-3, R-LNK-5) -----------------------------------------------------------


def test_r_lnk_5_detail_shows_the_three_blocks_of_the_slip(client, team, facility_a):
    monitoring, head = team["monitoring"]
    task = start(
        monitoring,
        head,
        ["enforcement", "pollution"],
        facility=facility_a,
        remarks="附照片",
        source_url="/permits/x/",
    )
    receive(task, *team["enforcement"], text="已派员现场检查")
    client.force_login(monitoring)
    response = client.get(detail_url(task))
    page = page_of(response)
    for heading in ("任务发起", "任务接收与执行", "任务反馈", "归档整理"):
        assert f"<h3>{heading}" in page
    for column in ("部门", "问题描述", "接收与执行情况", "结果反馈", "经办人", "负责人", "日期", "备注"):
        assert f"<th>{column}</th>" in page
    assert page.count('<tr data-assignment="enforcement"') == 2
    assert page.count('<tr data-assignment="pollution"') == 2
    assert "已派员现场检查" in page and "附照片" in page and facility_a.name in page
    assert 'href="/permits/x/" data-source' in page
    assert f'href="/linkage/tasks/{task.pk}/slip.pdf"' in page and "打印转办单" in page
    assert "据纸质转办单补录" not in page
    assert "{#" not in page and "{%" not in page  # no template comment leaks onto the page
    steps = [(e["label"], e["step"].actor) for e in response.context["steps"]]
    assert steps == [("发起任务", monitoring), ("接收与执行", team["enforcement"][0])]


def test_r_lnk_2_receive_and_execute(client, team):
    task = start(*team["monitoring"], ["enforcement"])
    officer, head = team["enforcement"]
    client.force_login(officer)
    assert list(client.get(detail_url(task)).context["forms"]) == ["receive"]
    response = client.post(
        step_url("receive", task),
        {
            "execution": "已安排现场检查",
            "handler": officer.pk,
            "head": head.pk,
            "executed_on": timezone.localdate(),
            "remarks": "无",
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == detail_url(task) + "#feedback"
    assignment = Assignment.objects.get(task=task)
    assert assignment.state == "received" and assignment.execution_head == head
    assert f"已接收任务 {task.number}" in page_of(response)
    assert list(response.context["forms"]) == ["feedback"]


def test_r_lnk_2_receive_errors_in_chinese_with_input_kept(client, team, today):
    task = start(*team["monitoring"], ["enforcement"], started_on=today - timedelta(days=3))
    officer, head = team["enforcement"]
    client.force_login(officer)
    response = client.post(
        step_url("receive", task),
        {
            "execution": "",
            "handler": officer.pk,
            "head": head.pk,
            "executed_on": today,
            "remarks": "记得带相机",
        },
    )
    assert response.status_code == 400
    assert "请填写接收与执行情况。" in page_of(response) and "记得带相机" in page_of(response)
    response = client.post(
        step_url("receive", task),
        {
            "execution": "已接收",
            "handler": officer.pk,
            "head": officer.pk,
            "executed_on": today - timedelta(days=4),
        },
    )
    assert response.status_code == 400
    errors = response.context["forms"]["receive"].errors
    assert errors["head"] == ["负责人应为本部门的负责人（科长）。"]
    assert errors["executed_on"] == [f"日期不能早于任务发起日期（{task.started_on:%Y-%m-%d}）。"]
    assert Assignment.objects.get(task=task).state == "pending"


def test_r_lnk_3_feedback_then_initiator_closes(client, team, today):
    task = start(*team["monitoring"], ["enforcement"])
    officer, head = team["enforcement"]
    receive(task, officer, head)
    client.force_login(officer)
    response = client.post(
        step_url("feedback", task),
        {"result": "", "handler": officer.pk, "head": head.pk, "fed_back_on": today},
    )
    assert response.status_code == 400 and "请填写结果反馈。" in page_of(response)
    response = client.post(
        step_url("feedback", task),
        {"result": "已立案查处", "handler": officer.pk, "head": head.pk, "fed_back_on": today},
        follow=True,
    )
    assert "已向监测站反馈任务" in page_of(response)
    task.refresh_from_db()
    assert task.state == "awaiting_close"
    monitoring = team["monitoring"][0]
    client.force_login(monitoring)
    assert list(client.get(detail_url(task)).context["forms"]) == ["close", "return"]
    response = client.post(step_url("close", task), {"closed_on": today, "note": "问题已整改"}, follow=True)
    task.refresh_from_db()
    assert task.state == "closed" and task.closed_by == monitoring
    assert f"任务 {task.number} 已销号" in page_of(response)


def test_r_lnk_6_initiator_returns_with_a_reason(client, team, today):
    task = start(*team["monitoring"], ["enforcement"])
    receive(task, *team["enforcement"])
    feed_back(task, *team["enforcement"])
    client.force_login(team["monitoring"][0])
    response = client.post(step_url("return", task), {"reason": "", "returned_on": today})
    assert response.status_code == 400 and "退回时请说明理由。" in page_of(response)
    response = client.post(
        step_url("return", task), {"reason": "缺少整改照片", "returned_on": today}, follow=True
    )
    task.refresh_from_db()
    assert task.state == "open" and Assignment.objects.get(task=task).state == "received"
    assert "已退回" in page_of(response) and "缺少整改照片" in page_of(response)


def test_r_lnk_4_approval_archives(client, team, approval_clerk, today):
    task = start(*team["monitoring"], ["enforcement"])
    receive(task, *team["enforcement"])
    feed_back(task, *team["enforcement"])
    services.close_task(by=team["monitoring"][0], task=task, closed_on=today)
    client.force_login(team["monitoring"][0])
    assert client.get(detail_url(task)).context["forms"] == {}
    client.force_login(approval_clerk)
    assert list(client.get(detail_url(task)).context["forms"]) == ["archive"]
    response = client.post(step_url("archive", task), {"archived_on": today}, follow=True)
    task.refresh_from_db()
    assert task.state == "archived" and task.archived_by == approval_clerk
    assert f"任务 {task.number} 已归档。" in page_of(response)
    assert f"{today:%Y-%m-%d} 由 {approval_clerk.display_name} 归档" in page_of(response)


# The wrong department (403) and the wrong moment (409) ----------------------------------------------


def test_r_lnk_2_forged_post_by_a_department_not_asked_is_403(client, team, approval_clerk, today):
    task = start(*team["monitoring"], ["enforcement"])
    client.force_login(approval_clerk)  # 审批科 sees every task, but this one was not sent to it
    response = client.post(
        step_url("feedback", task),
        {"result": "冒充反馈", "handler": approval_clerk.pk, "head": approval_clerk.pk, "fed_back_on": today},
    )
    assert response.status_code == 403
    assert "本任务未发给审批科，不能进行“结果反馈”。" in page_of(response)
    assert Assignment.objects.get(task=task).state == "pending"


def test_r_lnk_4_monitoring_cannot_archive_403(client, team, today):
    task = start(*team["monitoring"], ["enforcement"])
    receive(task, *team["enforcement"])
    feed_back(task, *team["enforcement"])
    services.close_task(by=team["monitoring"][0], task=task, closed_on=today)
    client.force_login(team["monitoring"][0])
    response = client.post(step_url("archive", task), {"archived_on": today})
    assert response.status_code == 403
    assert "只有审批科可以归档整理三监联动任务。" in page_of(response)
    task.refresh_from_db()
    assert task.state == "closed"


def test_r_lnk_6_receiver_cannot_close_403(client, team, today):
    task = start(*team["monitoring"], ["enforcement"])
    client.force_login(team["enforcement"][0])
    response = client.post(step_url("close", task), {"closed_on": today})
    assert response.status_code == 403
    assert "只有发起部门（监测站）可以“问题销号”。" in page_of(response)


def test_r_lnk_3_feedback_before_receipt_is_409(client, team, today):
    task = start(*team["monitoring"], ["enforcement"])
    officer, head = team["enforcement"]
    client.force_login(officer)
    response = client.post(
        step_url("feedback", task),
        {"result": "跳过接收直接反馈", "handler": officer.pk, "head": head.pk, "fed_back_on": today},
    )
    assert response.status_code == 409
    page = page_of(response)
    assert "请先接收任务并填写执行情况，再反馈结果。" in page
    assert "跳过接收直接反馈" in page  # the user's text is shown back, not lost


def test_r_lnk_6_close_before_every_feedback_is_409(client, team, today):
    task = start(*team["monitoring"], ["enforcement", "pollution"])
    receive(task, *team["enforcement"])
    feed_back(task, *team["enforcement"])
    client.force_login(team["monitoring"][0])
    response = client.post(step_url("close", task), {"closed_on": today})
    assert response.status_code == 409
    assert "尚有部门未反馈（污防科），不能“问题销号”。" in page_of(response)


def test_r_lnk_2_second_receipt_of_the_same_department_is_409(client, team, second_officer, today):
    task = start(*team["monitoring"], ["enforcement"])
    receive(task, *team["enforcement"])
    client.force_login(second_officer)
    response = client.post(
        step_url("receive", task),
        {
            "execution": "我也接收",
            "handler": second_officer.pk,
            "head": team["enforcement"][1].pk,
            "executed_on": today,
        },
    )
    assert response.status_code == 409
    assert "本部门已接收该任务。" in page_of(response) and "我也接收" in page_of(response)
    assert TaskStep.objects.filter(task=task, action="receive").count() == 1


def test_r_lnk_2_someone_else_takes_the_step_in_between_is_409(
    client, team, second_officer, monkeypatch, today
):
    # given: the page was checked, and while this request runs a colleague's receipt commits first
    task = start(*team["monitoring"], ["enforcement"])
    officer, head = team["enforcement"]
    real = services.receive_task

    def colleague_first(**kwargs):
        real(
            by=second_officer,
            task=task,
            execution="同事先接收",
            handler=second_officer,
            head=head,
            executed_on=today,
        )
        return real(**kwargs)

    monkeypatch.setattr(steps.task_services, "receive_task", colleague_first)
    client.force_login(officer)
    # when
    response = client.post(
        step_url("receive", task),
        {"execution": "我来接收", "handler": officer.pk, "head": head.pk, "executed_on": today},
    )
    # then: one receipt, the colleague's, and the user is told and keeps what they wrote
    assert response.status_code == 409
    page = page_of(response)
    assert "本部门已接收该任务。" in page and "我来接收" in page
    assert Assignment.objects.get(task=task).execution == "同事先接收"
    assert list(response.context["forms"]) == ["feedback"]


def test_r_org_3_town_cannot_post_steps(client, team, town_a_liaison, facility_a, today):
    task = start(*team["monitoring"], ["enforcement"], facility=facility_a)
    client.force_login(town_a_liaison)
    response = client.post(step_url("receive", task), {"execution": "x", "executed_on": today})
    assert response.status_code == 403
    assert "本任务未发给街镇，不能进行“接收与执行”。" in page_of(response)


def test_steps_only_take_post(client, team):
    task = start(*team["monitoring"], ["enforcement"])
    client.force_login(team["enforcement"][0])
    assert client.get(step_url("receive", task)).status_code == 405
