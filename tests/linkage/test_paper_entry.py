"""Entering a whole slip done on paper afterwards (R-LNK-5; 003 附件5 and its 说明（4）): one clerk of the
initiating department, of 审批科 (who archives the slips) or of the receiving department enters the
receiving departments' rows with the paper's dates and signatories; the steps say so and name who
entered them. Data is made through the services, as production makes it."""

import io
import re
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from pypdf import PdfReader

from bureau.errors import Conflict
from bureau.models import SectionCode
from linkage import slips
from linkage.models import Assignment, LinkageTask, TaskStep
from linkage.queries import task_for_user
from linkage.services import tasks as services
from tests.factories.linkage import LinkageTaskFactory

TODAY = date(2026, 3, 2)
pytestmark = [pytest.mark.django_db, pytest.mark.today(TODAY)]

PAPER_DAY = date(2026, 2, 10)
APPROVAL, ECOLOGY, POLLUTION = SectionCode.APPROVAL, SectionCode.ECOLOGY, SectionCode.POLLUTION
ENFORCEMENT, MONITORING, LEADERSHIP = SectionCode.ENFORCEMENT, SectionCode.MONITORING, SectionCode.LEADERSHIP
TASKS = "/api/v1/linkage/tasks/"


def start(personas, heads, receivers=(ENFORCEMENT, POLLUTION), *, from_paper=True):
    return LinkageTaskFactory(
        by=personas[MONITORING],
        initiator=MONITORING,
        receivers=receivers,
        head=heads[MONITORING],
        started_on=PAPER_DAY,
        from_paper=from_paper,
    )


def enter(personas, heads, task, code, *, by=APPROVAL, executed_on, fed_back_on=None, **kwargs):
    values = {
        "execution": f"{code} 已据转办单现场核查",
        "execution_handler": personas[code],
        "execution_head": heads[code],
        "executed_on": executed_on,
        "execution_remarks": "纸质单第 1 页",
    }
    if fed_back_on:
        values |= {
            "feedback": f"{code} 已督促整改完毕",
            "feedback_handler": personas[code],
            "feedback_head": heads[code],
            "fed_back_on": fed_back_on,
        }
    return services.enter_paper_rows(by=personas[by], task=task, section_code=code, **(values | kwargs))


def note_of(user) -> str:
    return f"据纸质转办单补录（录入人：{user.display_name}）"


# The service ------------------------------------------------------------------------------------------


def test_r_lnk_5_the_approval_clerk_enters_a_whole_paper_slip(personas, heads):
    clerk = personas[APPROVAL]
    task = start(personas, heads)

    enter(personas, heads, task, ENFORCEMENT, executed_on=date(2026, 2, 11), fed_back_on=date(2026, 2, 20))
    task.refresh_from_db()
    assert task.state == "open"
    enter(personas, heads, task, POLLUTION, executed_on=date(2026, 2, 12), fed_back_on=date(2026, 2, 24))
    task.refresh_from_db()
    assert task.state == "awaiting_close"
    services.close_task(by=personas[MONITORING], task=task, closed_on=date(2026, 2, 26), note="纸质单已销号")
    services.archive_task(by=clerk, task=task, archived_on=TODAY)

    task = LinkageTask.objects.get(pk=task.pk)
    assert (task.state, task.closed_on, task.closed_by) == (
        "archived",
        date(2026, 2, 26),
        personas[MONITORING],
    )
    enforcement = Assignment.objects.get(task=task, section__code=ENFORCEMENT)
    assert (enforcement.executed_on, enforcement.fed_back_on) == (date(2026, 2, 11), date(2026, 2, 20))
    assert (enforcement.execution_handler, enforcement.feedback_head) == (
        personas[ENFORCEMENT],
        heads[ENFORCEMENT],
    )
    assert enforcement.execution_remarks == "纸质单第 1 页"
    steps = [(s.action, s.section.code, s.on, s.actor, s.note) for s in TaskStep.objects.filter(task=task)]
    assert steps == [
        ("start", MONITORING, PAPER_DAY, personas[MONITORING], "据纸质转办单补录"),
        ("receive", ENFORCEMENT, date(2026, 2, 11), clerk, note_of(clerk)),
        ("feedback", ENFORCEMENT, date(2026, 2, 20), clerk, note_of(clerk)),
        ("receive", POLLUTION, date(2026, 2, 12), clerk, note_of(clerk)),
        ("feedback", POLLUTION, date(2026, 2, 24), clerk, note_of(clerk)),
        ("close", MONITORING, date(2026, 2, 26), personas[MONITORING], "纸质单已销号"),
        ("archive", APPROVAL, TODAY, clerk, ""),
    ]
    # The history says who entered the row, and from paper.
    assert enforcement.history.first().history_user == clerk
    assert "据纸质转办单补录" in enforcement.history.first().history_change_reason


def test_r_lnk_5_initiator_or_receiver_enters_and_feedback_comes_later(personas, heads):
    task = start(personas, heads)
    enter(personas, heads, task, ENFORCEMENT, by=MONITORING, executed_on=date(2026, 2, 11))
    row = Assignment.objects.get(task=task, section__code=ENFORCEMENT)
    assert row.state == "received" and row.feedback == ""
    # The second half of the row, later, by the receiving department itself.
    enter(
        personas,
        heads,
        task,
        ENFORCEMENT,
        by=ENFORCEMENT,
        executed_on=None,
        execution="",
        execution_handler=None,
        execution_head=None,
        execution_remarks="",
        feedback="已立案查处",
        feedback_handler=personas[ENFORCEMENT],
        feedback_head=heads[ENFORCEMENT],
        fed_back_on=date(2026, 2, 25),
    )
    row.refresh_from_db()
    assert (row.state, row.fed_back_on) == ("fed_back", date(2026, 2, 25))
    actors = list(TaskStep.objects.filter(task=task).exclude(action="start").values_list("actor", flat=True))
    assert actors == [personas[MONITORING].pk, personas[ENFORCEMENT].pk]


def test_r_lnk_5_refused_for_a_task_done_online(personas, heads):
    task = start(personas, heads, from_paper=False)
    with pytest.raises(Conflict) as caught:
        enter(personas, heads, task, ENFORCEMENT, executed_on=date(2026, 2, 11))
    assert "在线办理" in str(caught.value)
    assert Assignment.objects.get(task=task, section__code=ENFORCEMENT).state == "pending"


def test_r_lnk_5_refused_for_a_department_not_in_the_slip(personas, heads):
    task = start(personas, heads, receivers=(ENFORCEMENT,))
    with pytest.raises(PermissionDenied) as caught:
        enter(personas, heads, task, ENFORCEMENT, by=ECOLOGY, executed_on=date(2026, 2, 11))
    assert str(caught.value) == "只有发起部门（监测站）、审批科或接收部门（执法大队）可以补录纸质转办单。"
    # A receiving department enters only its own row.
    task2 = start(personas, heads)
    with pytest.raises(PermissionDenied):
        enter(personas, heads, task2, ENFORCEMENT, by=POLLUTION, executed_on=date(2026, 2, 11))


def test_r_lnk_5_signatories_are_the_receiving_departments(personas, heads):
    task = start(personas, heads)
    with pytest.raises(ValidationError) as caught:
        enter(
            personas,
            heads,
            task,
            ENFORCEMENT,
            executed_on=date(2026, 2, 11),
            execution_handler=personas[APPROVAL],
            execution_head=personas[ENFORCEMENT],  # staff, but not the head
        )
    assert caught.value.message_dict == {
        "execution_handler": ["经办人应为执法大队的工作人员。"],
        "execution_head": ["负责人应为执法大队的负责人（科长）。"],
    }
    with pytest.raises(ValidationError) as caught:
        enter(
            personas,
            heads,
            task,
            ENFORCEMENT,
            executed_on=date(2026, 2, 11),
            fed_back_on=date(2026, 2, 20),
            feedback_head=heads[MONITORING],
        )
    assert caught.value.message_dict == {"feedback_head": ["负责人应为执法大队的工作人员。"]}
    assert Assignment.objects.get(task=task, section__code=ENFORCEMENT).state == "pending"


def test_r_lnk_5_paper_dates_are_checked(personas, heads):
    task = start(personas, heads)
    with pytest.raises(ValidationError) as caught:
        enter(personas, heads, task, ENFORCEMENT, executed_on=date(2026, 2, 9))
    assert "日期不能早于任务发起日期 2026-02-10" in caught.value.message_dict["executed_on"][0]
    with pytest.raises(ValidationError) as caught:
        enter(personas, heads, task, ENFORCEMENT, executed_on=date(2026, 3, 3))
    assert caught.value.message_dict == {"executed_on": ["日期不能晚于今天。"]}
    with pytest.raises(ValidationError) as caught:
        enter(
            personas, heads, task, ENFORCEMENT, executed_on=date(2026, 2, 20), fed_back_on=date(2026, 2, 19)
        )
    assert caught.value.message_dict == {"fed_back_on": ["结果反馈日期不能早于接收与执行日期 2026-02-20。"]}
    with pytest.raises(ValidationError) as caught:
        enter(personas, heads, task, ENFORCEMENT, executed_on=None, execution="")
    assert set(caught.value.message_dict) == {"execution", "executed_on"}


def test_r_lnk_5_a_row_entered_is_not_entered_twice_and_close_keeps_date_order(personas, heads):
    task = start(personas, heads, receivers=(ENFORCEMENT,))
    enter(personas, heads, task, ENFORCEMENT, executed_on=date(2026, 2, 11), fed_back_on=date(2026, 2, 20))
    with pytest.raises(Conflict):
        enter(
            personas, heads, task, ENFORCEMENT, executed_on=date(2026, 2, 11), fed_back_on=date(2026, 2, 20)
        )
    with pytest.raises(ValidationError) as caught:
        services.close_task(by=personas[MONITORING], task=task, closed_on=date(2026, 2, 19))
    assert caught.value.message_dict == {"closed_on": ["销号日期不能早于最后一次结果反馈的日期 2026-02-20。"]}


def test_r_lnk_5_the_slip_of_a_paper_task_shows_the_rows_entered(personas, heads):
    task = start(personas, heads)
    enter(personas, heads, task, ENFORCEMENT, executed_on=date(2026, 2, 11), fed_back_on=date(2026, 2, 20))
    enter(personas, heads, task, POLLUTION, executed_on=date(2026, 2, 12))

    pdf = slips.render_task_slip(task_for_user(personas[APPROVAL], task.pk))
    text = re.sub(r"\s+", "", "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages))

    assert "据纸质转办单补录" in text
    for expected in (
        "enforcement已据转办单现场核查",
        "enforcement已督促整改完毕",
        "pollution已据转办单现场核查",
    ):
        assert expected in text
    for day in ("2026-02-10", "2026-02-11", "2026-02-20", "2026-02-12"):
        assert day in text
    assert heads[ENFORCEMENT].display_name in text


# The task page ----------------------------------------------------------------------------------------


def detail_url(task):
    return reverse("linkage:task-detail", args=[task.pk])


def row_url(task):
    return reverse("linkage:task-paper-row", args=[task.pk])


def row_data(personas, heads, code, **values):
    return {
        "section": code,
        "execution": "纸质单：已现场检查",
        "execution_handler": personas[code].pk,
        "execution_head": heads[code].pk,
        "executed_on": "2026-02-11",
        "execution_remarks": "",
        "feedback": "纸质单：已整改",
        "feedback_handler": personas[code].pk,
        "feedback_head": heads[code].pk,
        "fed_back_on": "2026-02-20",
        "feedback_remarks": "",
        **values,
    }


def test_r_lnk_5_page_offers_a_form_per_open_row_and_enters_it(client, personas, heads):
    task = start(personas, heads)
    client.force_login(personas[APPROVAL])
    page = client.get(detail_url(task)).content.decode()
    assert "补录纸质转办单：执法大队 的接收与执行、结果反馈" in page
    assert "补录纸质转办单：污防科 的接收与执行、结果反馈" in page
    assert f'action="{row_url(task)}"' in page

    response = client.post(row_url(task), row_data(personas, heads, ENFORCEMENT))

    assert response.status_code == 302 and response["Location"].endswith("#blocks")
    row = Assignment.objects.get(task=task, section__code=ENFORCEMENT)
    assert (row.state, row.executed_on, row.fed_back_on) == ("fed_back", date(2026, 2, 11), date(2026, 2, 20))
    page = client.get(detail_url(task)).content.decode()
    assert "补录纸质转办单：执法大队" not in page and "补录纸质转办单：污防科" in page
    assert note_of(personas[APPROVAL]) in page
    # Leadership reads the task but enters nothing.
    client.force_login(personas[LEADERSHIP])
    assert "补录纸质转办单：" not in client.get(detail_url(task)).content.decode()


def test_r_lnk_5_page_errors_in_chinese_with_input_kept(client, personas, heads):
    task = start(personas, heads)
    client.force_login(personas[APPROVAL])

    response = client.post(
        row_url(task),
        row_data(
            personas, heads, ENFORCEMENT, execution="", executed_on="2026-02-09", feedback="纸质单写明已罚款"
        ),
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "请按纸质转办单填写接收与执行情况。" in page
    assert "日期不能早于任务发起日期（2026-02-10）。" in page
    assert "纸质单写明已罚款" in page
    # Signatories off the receiving department: the service says so.
    response = client.post(
        row_url(task), row_data(personas, heads, POLLUTION, feedback_head=heads[APPROVAL].pk)
    )
    assert response.status_code == 400 and "负责人应为污防科的负责人（科长）。" in response.content.decode()
    assert Assignment.objects.filter(task=task, state="pending").count() == 2


def test_r_lnk_5_page_refuses_with_403_and_409(client, personas, heads):
    paper = start(personas, heads)
    client.force_login(personas[LEADERSHIP])
    response = client.post(row_url(paper), row_data(personas, heads, ENFORCEMENT))
    assert response.status_code == 403 and "可以补录纸质转办单" in response.content.decode()

    online = start(personas, heads, from_paper=False)
    client.force_login(personas[APPROVAL])
    response = client.post(row_url(online), row_data(personas, heads, ENFORCEMENT))
    assert response.status_code == 409 and "在线办理" in response.content.decode()
    assert not Assignment.objects.exclude(state="pending").exists()


# The API ----------------------------------------------------------------------------------------------


def api_body(personas, heads, code, **values):
    return {
        "section": code,
        "execution": "纸质单：已现场检查",
        "execution_handler": personas[code].pk,
        "execution_head": heads[code].pk,
        "executed_on": "2026-02-11",
        "feedback": "纸质单：已整改",
        "feedback_handler": personas[code].pk,
        "feedback_head": heads[code].pk,
        "fed_back_on": "2026-02-20",
        **values,
    }


def test_r_lnk_5_api_enters_a_paper_row(api_client, personas, heads):
    task = start(personas, heads, receivers=(ENFORCEMENT,))
    api_client.force_authenticate(personas[APPROVAL])

    response = api_client.post(
        f"{TASKS}{task.pk}/paper-row/", api_body(personas, heads, ENFORCEMENT), format="json"
    )

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["state"] == "awaiting_close"
    assert [s["note"] for s in body["steps"][1:]] == [note_of(personas[APPROVAL])] * 2


def test_r_lnk_5_api_refuses_403_and_400(api_client, personas, heads):
    task = start(personas, heads, receivers=(ENFORCEMENT,))
    api_client.force_authenticate(personas[LEADERSHIP])
    response = api_client.post(
        f"{TASKS}{task.pk}/paper-row/", api_body(personas, heads, ENFORCEMENT), format="json"
    )
    assert response.status_code == 403
    assert (
        response.json()["detail"]
        == "只有发起部门（监测站）、审批科或接收部门（执法大队）可以补录纸质转办单。"
    )

    api_client.force_authenticate(personas[MONITORING])
    response = api_client.post(
        f"{TASKS}{task.pk}/paper-row/",
        api_body(personas, heads, ENFORCEMENT, execution_handler=personas[MONITORING].pk),
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["execution_handler"] == ["经办人应为执法大队的工作人员。"]
