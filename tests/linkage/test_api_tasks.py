"""The 三监联动 task API (/api/v1/linkage/tasks/): who may take which step when (R-LNK-1…4), the closed
loop (R-LNK-6), deadlines in working days (R-LNK-7), the slip (R-LNK-5), scoping (R-ORG-3) and the
query budgets. Data is made through the services, as production makes it."""

import threading
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bureau.accounts.tokens import issue as issue_token
from bureau.api_pagination import BoundedCountPaginator
from bureau.errors import Conflict
from linkage.models import Assignment, LinkageTask, TaskStep
from linkage.queries import assignments_of, list_values, with_assignments
from linkage.services import tasks as services
from linkage.task_serializers import TaskListSerializer, task_row
from tests.factories.bureau import StaffFactory
from tests.factories.linkage import LinkageTaskFactory
from tests.factories.permits import FacilityFactory

TASKS = "/api/v1/linkage/tasks/"
TODAY = date(2026, 3, 2)  # a Monday; every test runs on it (see the ``today`` fixture)
pytestmark = [pytest.mark.django_db, pytest.mark.today(TODAY)]

APPROVAL, ECOLOGY, POLLUTION, LEGAL = "approval", "ecology", "pollution", "legal"
ENFORCEMENT, MONITORING, LEADERSHIP, TOWN = "enforcement", "monitoring", "leadership", "town"
SECTIONS = (APPROVAL, ECOLOGY, POLLUTION, LEGAL, ENFORCEMENT, MONITORING, LEADERSHIP, TOWN)


@pytest.fixture
def facility_b(town_b):
    """A facility of 乙镇; the town persona is 甲镇's liaison, who may not see it (R-ORG-3)."""
    return FacilityFactory(n=1, town=town_b, name="乙镇涂料化工有限公司")


def as_user(api_client, user):
    api_client.force_authenticate(user)
    return api_client


def start(personas, heads, initiator=MONITORING, receivers=(ENFORCEMENT, POLLUTION), **kwargs):
    return LinkageTaskFactory(
        by=personas[initiator], initiator=initiator, receivers=receivers, head=heads[initiator], **kwargs
    )


def receive(personas, heads, task, code):
    services.receive_task(
        by=personas[code],
        task=task,
        execution="已现场检查。",
        handler=personas[code],
        head=heads[code],
        executed_on=TODAY,
    )


def feed_back(personas, heads, task, code):
    services.feed_back_task(
        by=personas[code],
        task=task,
        result="已整改到位。",
        handler=personas[code],
        head=heads[code],
        fed_back_on=TODAY,
    )


def task_ready_for(action, personas, heads, facility) -> LinkageTask:
    """监测站 → 执法大队 + 污防科, about 乙镇's facility, advanced to the state ``action`` is taken in."""
    task = start(personas, heads, facility=facility)
    if action in ("feedback", "close", "return", "archive"):
        for code in (ENFORCEMENT, POLLUTION):
            receive(personas, heads, task, code)
    if action in ("close", "return", "archive"):
        for code in (ENFORCEMENT, POLLUTION):
            feed_back(personas, heads, task, code)
    if action == "archive":
        services.close_task(by=personas[MONITORING], task=task, closed_on=TODAY)
    task.refresh_from_db()  # the services moved the row, not this object
    return task


def body_for(action, user, head) -> dict:
    """A complete, well-typed body, so only who and when decide the answer."""
    signed = {"handler": user.pk, "head": head.pk}
    return {
        "receive": {"execution": "已接收并现场检查。", **signed, "executed_on": "2026-03-02"},
        "feedback": {"result": "企业已整改到位。", **signed, "fed_back_on": "2026-03-02"},
        "close": {"closed_on": "2026-03-02", "note": "问题已解决"},
        "return": {"reason": "整改证明不全，请补充。", "returned_on": "2026-03-02"},
        "archive": {"archived_on": "2026-03-02"},
    }[action]


# The permission matrix (R-LNK-2…4) ----------------------------------------------------------------------
#
# Every cell: one action, taken by one section's clerk on the task 监测站 → 执法大队 + 污防科 (about a
# facility of 乙镇) in the state that action is taken in. Only a receiving department receives and
# feeds back; only the initiator (监测站) closes or returns; only 审批科 archives. 法制科, 局领导 and the
# towns never act. 审批科 and 局领导 see every task, the involved departments see theirs: they are told
# 403. Whoever cannot see the task (生态科 was not asked, 法制科, 甲镇) gets 404, as for a missing task.
#
#            approval  ecology  pollution  legal  enforcement  monitoring  leadership  town
MATRIX = {
    "receive": (403, 404, 200, 404, 200, 403, 403, 404),
    "feedback": (403, 404, 200, 404, 200, 403, 403, 404),
    "close": (403, 404, 403, 404, 403, 200, 403, 404),
    "return": (403, 404, 403, 404, 403, 200, 403, 404),
    "archive": (200, 404, 403, 404, 403, 403, 403, 404),
}
STATE_AFTER = {
    "receive": "open",
    "feedback": "open",
    "close": "closed",
    "return": "open",
    "archive": "archived",
}
CELLS = [
    pytest.param(action, section, expected, id=f"{action}-{section}-{expected}")
    for action, row in MATRIX.items()
    for section, expected in zip(SECTIONS, row, strict=True)
]


@pytest.mark.parametrize(("action", "section", "expected"), CELLS)
def test_r_lnk_2_3_4_every_step_by_every_section(
    api_client, personas, heads, facility_b, action, section, expected
):
    # given
    task = task_ready_for(action, personas, heads, facility_b)
    before = (task.state, TaskStep.objects.filter(task=task).count())
    user = personas[section]
    head = heads.get(section, user)

    # when
    response = as_user(api_client, user).post(
        f"{TASKS}{task.pk}/{action}/", body_for(action, user, head), format="json"
    )

    # then
    assert response.status_code == expected, response.json()
    task.refresh_from_db()
    if expected == 200:
        assert response.json()["state"] == task.state == STATE_AFTER[action]
        assert TaskStep.objects.filter(task=task, action=action, actor=user).count() == 1
        return
    assert (task.state, TaskStep.objects.filter(task=task).count()) == before  # nothing changed
    detail = response.json()["detail"]
    if expected == 404:
        assert detail == "未找到。"
    else:
        assert detail in {
            "receive": "本任务未发给{}，不能进行“接收与执行”。",
            "feedback": "本任务未发给{}，不能进行“结果反馈”。",
            "close": "只有发起部门（监测站）可以“问题销号”。",
            "return": "只有发起部门（监测站）可以“退回”。",
            "archive": "只有审批科可以归档整理三监联动任务。",
        }[action].format({APPROVAL: "审批科", MONITORING: "监测站", LEADERSHIP: "局领导"}.get(section, "?"))


def test_r_lnk_2_a_town_that_sees_the_task_is_still_told_403(api_client, personas, heads, town_a):
    # given: a task about a facility of the liaison's own town, which it may see (R-ORG-3)
    task = start(personas, heads, facility=FacilityFactory(n=2, town=town_a))
    town = personas[TOWN]

    # when
    response = as_user(api_client, town).post(
        f"{TASKS}{task.pk}/receive/", body_for("receive", town, town), format="json"
    )

    # then
    assert response.status_code == 403
    assert response.json() == {"detail": "本任务未发给街镇，不能进行“接收与执行”。"}


def test_r_lnk_1_only_the_five_linkage_departments_start_tasks(api_client, personas, heads, administrator):
    for code in (LEGAL, LEADERSHIP, TOWN):
        response = as_user(api_client, personas[code]).post(
            TASKS, {"receivers": [ENFORCEMENT], "description": "请查处。"}, format="json"
        )
        assert response.status_code == 403, code
        assert response.json() == {
            "detail": "只有审批科、生态科、污防科、环境监测站和执法大队可以发起三监联动任务。"
        }
    assert as_user(api_client, administrator).post(TASKS, {}, format="json").status_code == 403
    assert not LinkageTask.objects.exists()


# The happy path (R-LNK-1…6) -----------------------------------------------------------------------------


def test_r_lnk_1_to_6_monitoring_starts_enforcement_and_pollution_execute_and_approval_archives(
    api_client, personas, heads, facility_b
):
    # given: 监测站 starts a task to 执法大队 and 污防科
    monitoring = personas[MONITORING]
    response = as_user(api_client, monitoring).post(
        TASKS,
        {
            "receivers": [ENFORCEMENT, POLLUTION],
            "description": "执法监测发现颗粒物超标 2.3 倍。",
            "handler": monitoring.pk,
            "head": heads[MONITORING].pk,
            "started_on": "2026-02-27",
            "facility": facility_b.pk,
            "remarks": "监测报告 JC-2026-031",
            "deadline_workdays": 10,
            "source_kind": "monitoring_anomaly",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    task = response.json()
    assert task["number"] == "LD-2026-0001"
    assert task["initiator"]["code"] == MONITORING
    assert task["facility"]["name"] == "乙镇涂料化工有限公司"
    # D15: the source code tells two sites of one unit apart
    assert task["facility"] == {
        "id": facility_b.pk,
        "name": facility_b.name,
        "source_code": facility_b.source_code,
        "credit_code": facility_b.credit_code,
    }
    # R-LNK-7: ten working days from Friday 27 February; Saturday 28 February is a 调休 working day
    assert (task["deadline_workdays"], task["deadline_on"]) == (10, "2026-03-12")
    assert task["state"] == "open" and task["is_overdue"] is False
    assert [(a["section"]["code"], a["state"]) for a in task["assignments"]] == [
        (ENFORCEMENT, "pending"),
        (POLLUTION, "pending"),
    ]
    url = f"{TASKS}{task['id']}/"

    # when: both receive and feed back, 监测站 closes, 审批科 archives
    for code in (ENFORCEMENT, POLLUTION):
        client = as_user(api_client, personas[code])
        signed = {"handler": personas[code].pk, "head": heads[code].pk}
        answer = client.post(f"{url}receive/", {"execution": f"{code} 已现场核查。", **signed}, format="json")
        assert answer.status_code == 200, answer.json()
        answer = client.post(f"{url}feedback/", {"result": f"{code} 已整改。", **signed}, format="json")
        assert answer.status_code == 200, answer.json()
    assert answer.json()["state"] == "awaiting_close"
    answer = as_user(api_client, monitoring).post(f"{url}close/", {"note": "已销号"}, format="json")
    assert answer.json()["state"] == "closed"
    assert answer.json()["closed_by"] == {"id": monitoring.pk, "name": monitoring.display_name}
    answer = as_user(api_client, personas[APPROVAL]).post(f"{url}archive/", {}, format="json")

    # then
    assert answer.status_code == 200
    done = answer.json()
    assert (done["state"], done["archived_on"]) == ("archived", "2026-03-02")
    assert [
        (a["section"]["code"], a["state"], a["execution"], a["feedback"]) for a in done["assignments"]
    ] == [
        (ENFORCEMENT, "fed_back", "enforcement 已现场核查。", "enforcement 已整改。"),
        (POLLUTION, "fed_back", "pollution 已现场核查。", "pollution 已整改。"),
    ]
    assert [(s["action"], s["section"]["code"], s["actor"]["id"]) for s in done["steps"]] == [
        ("start", MONITORING, monitoring.pk),
        ("receive", ENFORCEMENT, personas[ENFORCEMENT].pk),
        ("feedback", ENFORCEMENT, personas[ENFORCEMENT].pk),
        ("receive", POLLUTION, personas[POLLUTION].pk),
        ("feedback", POLLUTION, personas[POLLUTION].pk),
        ("close", MONITORING, monitoring.pk),
        ("archive", APPROVAL, personas[APPROVAL].pk),
    ]
    slip = api_client.get(done["slip_url"])
    assert slip.status_code == 200
    assert slip["Content-Type"] == "application/pdf"
    assert slip.content.startswith(b"%PDF")
    assert slip["Content-Disposition"].startswith(
        'inline; filename="linkage-slip-LD-2026-0001.pdf"; filename*='
    )


def test_r_lnk_6_the_initiator_returns_the_task_and_every_department_feeds_back_again(
    api_client, personas, heads, facility_b
):
    task = task_ready_for("return", personas, heads, facility_b)

    response = as_user(api_client, personas[MONITORING]).post(
        f"{TASKS}{task.pk}/return/", {"reason": "整改证明不全。"}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["state"] == "open"
    assert {a["state"] for a in response.json()["assignments"]} == {"received"}
    assert response.json()["steps"][-1]["note"] == "整改证明不全。"


def test_r_lnk_6_returning_without_a_reason_is_a_400(api_client, personas, heads, facility_b):
    task = task_ready_for("return", personas, heads, facility_b)

    response = as_user(api_client, personas[MONITORING]).post(f"{TASKS}{task.pk}/return/", {}, format="json")

    assert response.status_code == 400
    assert response.json() == {"reason": ["退回时请说明理由。"]}


# Out of order (409) -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ready_for", "section", "action", "message"),
    [
        ("receive", MONITORING, "close", "尚有部门未反馈（执法大队、污防科），不能“问题销号”。"),
        ("feedback", MONITORING, "return", "尚有部门未反馈（执法大队、污防科），不能“退回”。"),
        ("receive", APPROVAL, "archive", "任务办理中，只有已销号的任务可以归档。"),
        ("close", APPROVAL, "archive", "任务待销号，只有已销号的任务可以归档。"),
        ("receive", ENFORCEMENT, "feedback", "请先接收任务并填写执行情况，再反馈结果。"),
        ("feedback", ENFORCEMENT, "receive", "本部门已接收该任务。"),
        ("close", ENFORCEMENT, "feedback", "任务待销号，不能再进行“结果反馈”。"),
        ("archive", MONITORING, "close", "任务已销号，不能再“问题销号”。"),
    ],
)
def test_r_lnk_6_a_step_out_of_order_is_a_409_in_chinese(
    api_client, personas, heads, facility_b, ready_for, section, action, message
):
    # given
    task = task_ready_for(ready_for, personas, heads, facility_b)
    steps = TaskStep.objects.filter(task=task).count()
    user = personas[section]

    # when
    response = as_user(api_client, user).post(
        f"{TASKS}{task.pk}/{action}/", body_for(action, user, heads[section]), format="json"
    )

    # then
    assert response.status_code == 409
    assert response.json() == {"detail": message}
    assert TaskStep.objects.filter(task=task).count() == steps


def test_r_lnk_2_a_second_receipt_by_the_same_department_is_a_409(api_client, personas, heads):
    # given: two clerks of the brigade open the same task
    task = start(personas, heads)
    colleague = StaffFactory(
        username="enforcement-2", section_code=ENFORCEMENT, certificate_no="31010720002"
    ).user
    url = f"{TASKS}{task.pk}/receive/"

    # when
    first = as_user(api_client, personas[ENFORCEMENT]).post(
        url, body_for("receive", personas[ENFORCEMENT], heads[ENFORCEMENT]), format="json"
    )
    second = as_user(api_client, colleague).post(
        url, body_for("receive", colleague, heads[ENFORCEMENT]), format="json"
    )

    # then
    assert first.status_code == 200
    assert second.status_code == 409
    assert second.json() == {"detail": "本部门已接收该任务。"}


@pytest.mark.django_db(transaction=True)
def test_r_lnk_2_two_clerks_receiving_at_the_same_moment_exactly_one_wins(personas, heads):
    # given: two clerks of the brigade press 接收 at once, on separate connections
    task = start(personas, heads)
    clerks = [
        personas[ENFORCEMENT],
        StaffFactory(username="enforcement-2", section_code=ENFORCEMENT, certificate_no="31010720002").user,
    ]
    go = threading.Barrier(2)
    outcomes: list[str] = []

    def press(clerk):
        try:
            go.wait()
            services.receive_task(
                by=clerk,
                task=task,
                execution=f"{clerk.username} 已接收。",
                handler=clerk,
                head=heads[ENFORCEMENT],
                executed_on=TODAY,
            )
            outcomes.append("won")
        except Conflict as exc:
            outcomes.append(str(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=press, args=(clerk,)) for clerk in clerks]

    # when
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # then
    # The loser is told either by the rule (SQLite serialises the two transactions, so it reads the
    # winner's state) or by the conditional update (PostgreSQL lets both read, one UPDATE matches).
    assert outcomes.count("won") == 1 and len(outcomes) == 2
    (lost,) = [outcome for outcome in outcomes if outcome != "won"]
    assert lost in ("本部门已接收该任务。", "该步骤刚刚已由他人办理，请刷新后查看。")
    assert TaskStep.objects.filter(task=task, action="receive").count() == 1


def test_r_lnk_2_the_conditional_update_refuses_a_step_decided_on_a_stale_read(personas, heads, monkeypatch):
    """Where the database lets both readers pass the rule check (PostgreSQL, READ COMMITTED), the
    ``UPDATE … WHERE state = 'pending'`` is what stops the second: replay that interleaving."""
    # given: the second clerk's check saw the assignments before the first clerk's receipt
    task = start(personas, heads)
    stale = {a.section.code: a for a in task.assignments.select_related("section")}
    receive(personas, heads, task, ENFORCEMENT)
    monkeypatch.setattr(services, "_assignments", lambda task: stale)
    colleague = StaffFactory(
        username="enforcement-2", section_code=ENFORCEMENT, certificate_no="31010720002"
    ).user

    # when / then
    with pytest.raises(Conflict, match="该步骤刚刚已由他人办理，请刷新后查看。"):
        services.receive_task(
            by=colleague,
            task=task,
            execution="重复接收",
            handler=colleague,
            head=heads[ENFORCEMENT],
            executed_on=TODAY,
        )
    assert Assignment.objects.get(task=task, section__code=ENFORCEMENT).execution == "已现场检查。"


# Creating: validation (400, per field, in Chinese) ---------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"receivers": []}, "receivers", "请至少选择一个接收部门。"),
        ({"receivers": [MONITORING]}, "receivers", "发起部门不能把任务发给自己。"),
        ({"receivers": [LEGAL]}, "receivers", "接收部门只能是审批科、生态科、污防科、环境监测站或执法大队。"),
        ({"receivers": [ENFORCEMENT, ENFORCEMENT]}, "receivers", "接收部门不能重复。"),
        ({"receivers": ENFORCEMENT}, "receivers", "期望为一个包含物件的列表，得到的类型是“str”。"),
        ({"description": "  "}, "description", "请填写问题描述。"),
        ({"handler": None}, "handler", "经办人应为监测站的工作人员。"),
        ({"handler": "officer"}, "handler", "应填写用户编号（整数）。"),
        ({"handler": 999_999}, "handler", "未找到编号为 999999 的用户。"),
        ({"head": "monitoring-clerk"}, "head", "负责人应为监测站的负责人（科长）。"),
        ({"started_on": "2026-03-03"}, "started_on", "发起日期不能晚于今天。"),
        ({"started_on": "2026/02/30"}, "started_on", "日期格式错误。请从这些格式中选择：YYYY-MM-DD。"),
        ({"facility": 999_999}, "facility", "未找到编号为 999999 的排污单位。"),
        ({"deadline_workdays": 0}, "deadline_workdays", "办理时限应为 1–250 个工作日。"),
        ({"deadline_workdays": "十五"}, "deadline_workdays", "请填写合法的整数值。"),
        ({"source_kind": "rumour"}, "source_kind", "未知的任务来源。"),
        ({"priority": "high"}, "priority", "没有名为“priority”的可写字段。"),
    ],
)
def test_r_lnk_1_creating_with_a_bad_field_answers_400_naming_it(
    api_client, personas, heads, changes, field, message
):
    # given: a complete body from 监测站, with one field spoilt
    monitoring = personas[MONITORING]
    body = {
        "receivers": [ENFORCEMENT],
        "description": "颗粒物超标。",
        "handler": monitoring.pk,
        "head": heads[MONITORING].pk,
        "started_on": "2026-03-02",
        **changes,
    }
    if body["head"] == "monitoring-clerk":
        body["head"] = monitoring.pk  # a clerk, not the head

    # when
    response = as_user(api_client, monitoring).post(TASKS, body, format="json")

    # then
    assert response.status_code == 400
    assert message in response.json()[field], response.json()
    assert not LinkageTask.objects.exists()


def test_r_org_3_a_facility_must_be_one_the_user_sees(api_client, personas, heads, town_a, town_b):
    # 乙镇's facility is not visible to a 甲镇 user; a bureau department sees every facility, so the
    # serializer is checked with the town's queryset directly.
    from linkage.task_serializers import TaskStartSerializer
    from permits.queries import visible_facilities

    facility = FacilityFactory(n=3, town=town_b)
    serializer = TaskStartSerializer(
        data={"facility": facility.pk}, facilities=visible_facilities(personas[TOWN]), context={}
    )
    assert not serializer.is_valid()
    assert serializer.errors["facility"] == [f"未找到编号为 {facility.pk} 的排污单位。"]


def test_r_lnk_5_a_slip_done_on_paper_is_entered_afterwards_with_its_dates(api_client, personas, heads):
    enforcement = personas[ENFORCEMENT]

    response = as_user(api_client, enforcement).post(
        TASKS,
        {
            "receivers": [ECOLOGY],
            "description": "现场检查发现未按规定开展自行监测。",
            "handler": enforcement.pk,
            "head": heads[ENFORCEMENT].pk,
            "started_on": "2026-02-09",
            "from_paper": True,
        },
        format="json",
    )

    assert response.status_code == 201
    assert (response.json()["from_paper"], response.json()["started_on"]) == (True, "2026-02-09")
    assert response.json()["steps"][0]["note"] == "据纸质转办单补录"


# Reading: scoping, filters, the slip ----------------------------------------------------------------------


def test_r_org_3_a_task_not_visible_is_404_like_a_missing_one(api_client, personas, heads, facility_b):
    task = start(personas, heads, facility=facility_b)
    for code in (ECOLOGY, LEGAL, TOWN):
        client = as_user(api_client, personas[code])
        for url in (f"{TASKS}{task.pk}/", f"{TASKS}{task.pk}/slip.pdf", f"{TASKS}999999/"):
            response = client.get(url)
            assert response.status_code == 404, (code, url)
            assert response.json() == {"detail": "未找到。"}
    for code in (APPROVAL, LEADERSHIP, MONITORING, ENFORCEMENT, POLLUTION):
        assert as_user(api_client, personas[code]).get(f"{TASKS}{task.pk}/").status_code == 200, code


def test_r_lnk_5_slip_answers_to_a_client_that_asks_for_a_pdf(api_client, personas, heads):
    task = start(personas, heads)
    client = as_user(api_client, personas[MONITORING])

    response = client.get(f"{TASKS}{task.pk}/slip.pdf", HTTP_ACCEPT="application/pdf")
    missing = client.get(f"{TASKS}999999/slip.pdf", HTTP_ACCEPT="application/pdf")

    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert missing.status_code == 404
    assert missing["Content-Type"] == "application/json"
    assert missing.json() == {"detail": "未找到。"}


@pytest.fixture
def mixed_tasks(personas, heads, facility_b, town_a):
    """Four tasks: 监测站 → 执法大队 + 污防科 (乙镇, open, overdue); 执法大队 → 生态科 (甲镇, open);
    生态科 → 审批科 (awaiting close); 污防科 → 执法大队 (closed)."""
    facility_a = FacilityFactory(n=2, town=town_a)
    late = start(personas, heads, facility=facility_b, started_on=date(2026, 1, 5))
    to_ecology = start(personas, heads, ENFORCEMENT, [ECOLOGY], facility=facility_a)
    awaiting = start(personas, heads, ECOLOGY, [APPROVAL])
    receive(personas, heads, awaiting, APPROVAL)
    feed_back(personas, heads, awaiting, APPROVAL)
    closed = start(personas, heads, POLLUTION, [ENFORCEMENT])
    receive(personas, heads, closed, ENFORCEMENT)
    feed_back(personas, heads, closed, ENFORCEMENT)
    services.close_task(by=personas[POLLUTION], task=closed, closed_on=TODAY)
    return {
        "late": late,
        "to_ecology": to_ecology,
        "awaiting": awaiting,
        "closed": closed,
        "facility_a": facility_a,
    }


def numbers(response) -> set[str]:
    assert response.status_code == 200, response.json()
    return {row["number"] for row in response.json()["results"]}


def test_r_lnk_6_list_filters_by_department_state_overdue_and_facility(api_client, personas, mixed_tasks):
    t = {name: task.number for name, task in mixed_tasks.items() if name != "facility_a"}
    client = as_user(api_client, personas[APPROVAL])  # 审批科 sees every task

    assert numbers(client.get(TASKS)) == set(t.values())
    assert numbers(client.get(TASKS, {"department": ENFORCEMENT})) == {
        t["late"],
        t["to_ecology"],
        t["closed"],
    }
    assert numbers(client.get(TASKS, {"department": ECOLOGY})) == {t["to_ecology"], t["awaiting"]}
    assert numbers(client.get(TASKS, {"state": "awaiting_close"})) == {t["awaiting"]}
    assert numbers(client.get(TASKS, {"overdue": "true"})) == {t["late"]}
    assert numbers(client.get(TASKS, {"overdue": "false"})) == set(t.values()) - {t["late"]}
    assert numbers(client.get(TASKS, {"facility": mixed_tasks["facility_a"].pk})) == {t["to_ecology"]}
    assert numbers(client.get(TASKS, {"department": MONITORING, "overdue": "true"})) == {t["late"]}
    rows = {row["number"]: row for row in client.get(TASKS).json()["results"]}
    assert rows[t["late"]]["is_overdue"] is True  # 15 working days from 5 January (R-LNK-7)
    assert rows[t["late"]]["deadline_on"] == "2026-01-26"

    bad = client.get(TASKS, {"department": "legal"})
    assert bad.status_code == 400
    assert "department" in bad.json()


def test_r_org_3_each_section_lists_only_the_tasks_it_may_see(api_client, personas, mixed_tasks):
    t = {name: task.number for name, task in mixed_tasks.items() if name != "facility_a"}
    expected = {
        APPROVAL: set(t.values()),
        LEADERSHIP: set(t.values()),
        ECOLOGY: {t["to_ecology"], t["awaiting"]},
        POLLUTION: {t["late"], t["closed"]},
        ENFORCEMENT: {t["late"], t["to_ecology"], t["closed"]},
        MONITORING: {t["late"]},
        LEGAL: set(),
        TOWN: {t["to_ecology"]},  # 甲镇's facility only
    }
    for code, seen in expected.items():
        assert numbers(as_user(api_client, personas[code]).get(TASKS)) == seen, code


# Query budgets --------------------------------------------------------------------------------------------


def test_task_list_costs_three_queries(api_client, personas, heads, facility_b, django_assert_num_queries):
    # given: 35 tasks the brigade is involved in, with two or three departments each
    for n in range(35):
        if n % 2:
            start(personas, heads, receivers=(ENFORCEMENT, POLLUTION, ECOLOGY), facility=facility_b)
        else:
            start(personas, heads, ENFORCEMENT, [APPROVAL, MONITORING])
    client = as_user(api_client, personas[ENFORCEMENT])

    # Expect 3 queries: the count for the paginator; the page of tasks joined with their initiators
    # and facilities; the page's assignments joined with their sections.
    with django_assert_num_queries(3):
        response = client.get(TASKS)
    assert response.json()["count"] == 35
    assert sum(len(row["assignments"]) for row in response.json()["results"]) == 17 * 3 + 18 * 2

    # Filters are subqueries of the same two queries.
    with django_assert_num_queries(3):
        response = client.get(TASKS, {"department": POLLUTION, "overdue": "false", "state": "open"})
    assert response.json()["count"] == 17


@pytest.mark.parametrize("rows", [3, 30])
def test_task_list_costs_three_queries_with_3_or_30_tasks(
    api_client, personas, heads, facility_b, rows, django_assert_num_queries
):
    for _ in range(rows):
        start(personas, heads, receivers=(ENFORCEMENT, POLLUTION), facility=facility_b)
    client = as_user(api_client, personas[ENFORCEMENT])
    # Expect 3 queries however many rows: the count (of at most EXACT_UP_TO + 1 rows); the page of
    # tasks; the page's assignments.
    with django_assert_num_queries(3):
        response = client.get(TASKS)
    assert response.json()["count"] == rows


def test_task_list_with_a_token_costs_four_queries(api_client, personas, heads, facility_b):
    # given: 55 tasks and a token that has been used (its last use is written at most once a minute)
    for _ in range(55):
        start(personas, heads, receivers=(ENFORCEMENT, POLLUTION), facility=facility_b)
    _, key = issue_token(personas[ENFORCEMENT])
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert api_client.get(TASKS).status_code == 200

    # Expect 4 queries: the token joined with its user, the user's staff record, section and town (the
    # scoping reads them); the count; the page of tasks; the page's assignments.
    with CaptureQueriesContext(connection) as queries:
        response = api_client.get(TASKS)
    assert len(queries) == 4, [q["sql"] for q in queries]
    assert response.json()["count"] == 55
    assert len(response.json()["results"]) == 50


def test_a_long_task_list_is_counted_once_then_read_from_the_cache(
    api_client, personas, heads, facility_b, monkeypatch, django_assert_num_queries
):
    # given: lists longer than 20 rows are counted in full once, then the count is kept
    monkeypatch.setattr(BoundedCountPaginator, "exact_up_to", 20)
    for _ in range(25):
        start(personas, heads, receivers=(ENFORCEMENT, POLLUTION), facility=facility_b)
    client = as_user(api_client, personas[ENFORCEMENT])

    # Expect 4 queries: the count of at most 21 rows, which finds the list long; the full count; the
    # page; its assignments.
    with django_assert_num_queries(4):
        assert client.get(TASKS).json()["count"] == 25
    # Expect 2 queries: the page and its assignments; the count is the kept one.
    with django_assert_num_queries(2):
        assert client.get(TASKS).json()["count"] == 25
    # Another department's list is another query, counted afresh (3 tasks: a short list).
    start(personas, heads, ECOLOGY, [APPROVAL])
    assert as_user(api_client, personas[ECOLOGY]).get(TASKS).json()["count"] == 1


def test_the_task_list_writes_each_row_as_drf_would(personas, heads, mixed_tasks):
    # given: tasks open and overdue, awaiting close, closed; with and without a facility
    today = TODAY
    values = {task["id"]: task for task in list_values(LinkageTask.objects.all())}
    assignments = assignments_of(list(values))
    for task in with_assignments(LinkageTask.objects.all()):
        # then: the row written from values is DRF's own, field for field and in the same order
        generic = TaskListSerializer(task, context={"today": today}).data
        fast = task_row(values[task.pk], assignments.get(task.pk, []), today)
        assert list(fast.items()) == list(generic.items())
        assert generic["assignments"] == fast["assignments"]


def test_task_detail_costs_three_queries(api_client, personas, heads, facility_b, django_assert_num_queries):
    # given: an archived task with three departments and nine steps
    task = start(personas, heads, receivers=(ENFORCEMENT, POLLUTION, ECOLOGY), facility=facility_b)
    for code in (ENFORCEMENT, POLLUTION, ECOLOGY):
        receive(personas, heads, task, code)
        feed_back(personas, heads, task, code)
    services.close_task(by=personas[MONITORING], task=task, closed_on=TODAY)
    services.archive_task(by=personas[APPROVAL], task=task, archived_on=TODAY)
    client = as_user(api_client, personas[MONITORING])

    # Expect 3 queries: the task joined with its initiator, facility and town, handler, head, closer
    # and archiver; its assignments joined with their sections and four signatories; its steps
    # joined with their actors and sections.
    with django_assert_num_queries(3):
        response = client.get(f"{TASKS}{task.pk}/")
    assert len(response.json()["assignments"]) == 3
    assert len(response.json()["steps"]) == 9
    assert response.json()["archived_by"]["id"] == personas[APPROVAL].pk


def test_r_lnk_6_the_api_and_the_page_say_whose_turn_it_is_in_the_same_words(
    api_client, client, personas, heads
):
    # given: pollution has received, enforcement has not
    task = start(personas, heads)
    receive(personas, heads, task, POLLUTION)
    # when
    row = as_user(api_client, personas[MONITORING]).get(TASKS).json()["results"][0]
    client.force_login(personas[MONITORING])
    page = client.get("/linkage/", {"tab": "all"}).content.decode()
    # then
    assert row["waiting_for"] == "待执法大队接收；待污防科反馈"
    assert row["waiting_for"] in page
    detail = api_client.get(f"{TASKS}{task.pk}/").json()
    assert detail["waiting_for"] == row["waiting_for"]
