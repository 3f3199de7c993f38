"""The 三监联动 workflow as a pure function (R-LNK-1…4, R-LNK-6, R-LNK-7), tested without a database."""

from datetime import date

import pytest

from linkage import rules

ONE = {"enforcement": "pending"}
TWO = {"enforcement": "received", "pollution": "fed_back"}


def step(action, actor, task_state="open", assignments=None, initiator="monitoring"):
    return rules.step_error(
        action, actor=actor, initiator=initiator, task_state=task_state, assignments=assignments or ONE
    )


@pytest.mark.parametrize("initiator", ["approval", "ecology", "pollution", "monitoring", "enforcement"])
def test_r_lnk_1_the_three_sides_start_tasks(initiator):
    receivers = ["enforcement"] if initiator != "enforcement" else ["monitoring"]
    assert rules.start_error(initiator, receivers) is None
    assert rules.SIDES[initiator] in ("监管", "监测", "执法")


@pytest.mark.parametrize(
    ("initiator", "receivers", "message"),
    [
        ("legal", ["enforcement"], "只有审批科、生态科、污防科、环境监测站和执法大队可以发起"),
        ("town", ["enforcement"], "只有审批科"),
        ("leadership", ["enforcement"], "只有审批科"),
        ("monitoring", [], "请至少选择一个接收部门"),
        ("monitoring", ["enforcement", "enforcement"], "接收部门不能重复"),
        ("monitoring", ["legal"], "接收部门只能是"),
        ("monitoring", ["monitoring"], "不能把任务发给自己"),
    ],
)
def test_r_lnk_1_who_starts_and_to_whom(initiator, receivers, message):
    assert message in rules.start_error(initiator, receivers)


def test_r_lnk_2_only_a_receiving_department_receives():
    assert step("receive", "enforcement") is None
    error = step("receive", "pollution")
    assert (error.kind, error.message) == ("forbidden", "本任务未发给污防科，不能进行“接收与执行”。")


def test_r_lnk_2_receiving_twice_is_a_conflict():
    assert step("receive", "enforcement", assignments={"enforcement": "received"}).kind == "conflict"


def test_r_lnk_3_feedback_comes_after_receipt_and_once():
    assert step("feedback", "enforcement").message == "请先接收任务并填写执行情况，再反馈结果。"
    assert step("feedback", "enforcement", assignments={"enforcement": "received"}) is None
    assert step("feedback", "enforcement", assignments={"enforcement": "fed_back"}).kind == "conflict"


def test_r_lnk_3_a_department_not_asked_cannot_feed_back():
    assert step("feedback", "approval", assignments=TWO).kind == "forbidden"


def test_r_lnk_6_the_initiator_closes_when_all_have_fed_back():
    error = step("close", "monitoring", assignments=TWO)
    assert (error.kind, error.message) == ("conflict", "尚有部门未反馈（执法大队），不能“问题销号”。")
    assert step("close", "monitoring", task_state="awaiting_close") is None
    assert step("close", "enforcement", task_state="awaiting_close").kind == "forbidden"


def test_r_lnk_6_the_initiator_may_return_instead():
    assert step("return", "monitoring", task_state="awaiting_close") is None
    assert step("return", "approval", task_state="awaiting_close").kind == "forbidden"
    assert step("return", "monitoring", task_state="closed").kind == "conflict"


def test_r_lnk_4_only_approval_archives_and_only_closed_tasks():
    assert step("archive", "approval", task_state="closed") is None
    error = step("archive", "monitoring", task_state="closed")
    assert (error.kind, error.message) == ("forbidden", "只有审批科可以归档整理三监联动任务。")
    assert step("archive", "approval", task_state="awaiting_close").kind == "conflict"
    assert step("archive", "approval", task_state="archived").kind == "conflict"


@pytest.mark.parametrize("actor", ["legal", "leadership", "town", None])
@pytest.mark.parametrize("action", rules.ACTIONS)
def test_r_lnk_1_departments_outside_the_linkage_never_act(actor, action):
    for state in ("open", "awaiting_close", "closed"):
        assert step(action, actor, task_state=state).kind == "forbidden"


def test_r_lnk_2_nothing_after_closing():
    assert step("receive", "enforcement", task_state="closed").kind == "conflict"
    assert step(
        "feedback", "enforcement", task_state="archived", assignments={"enforcement": "received"}
    ).kind == ("conflict")


def test_r_lnk_3_the_last_feedback_makes_the_task_wait_for_closing():
    assert rules.task_state_after("feedback", "open", {"a": "fed_back", "b": "received"}) == "open"
    assert rules.task_state_after("feedback", "open", {"a": "fed_back", "b": "fed_back"}) == "awaiting_close"
    assert rules.task_state_after("close", "awaiting_close", {}) == "closed"
    assert rules.task_state_after("return", "awaiting_close", {}) == "open"
    assert rules.task_state_after("archive", "closed", {}) == "archived"


@pytest.mark.parametrize(
    ("state", "today", "overdue"),
    [
        ("open", date(2025, 10, 14), False),
        ("open", date(2025, 10, 15), True),
        ("awaiting_close", date(2025, 10, 15), True),
        ("closed", date(2026, 1, 1), False),
        ("archived", date(2026, 1, 1), False),
    ],
)
def test_r_lnk_7_overdue_after_the_deadline_until_closed(state, today, overdue):
    assert rules.is_overdue(date(2025, 10, 14), today, state) is overdue


def test_r_lnk_1_numbers_read_ld_year_sequence():
    assert rules.task_number(2025, 1) == "LD-2025-0001"
    assert rules.task_number(2025, 12345) == "LD-2025-12345"


# Entering the rows of a slip done on paper (R-LNK-5; 附件5 说明（4）) -----------------------------------


@pytest.mark.parametrize("actor", ["monitoring", "approval", "enforcement"])
def test_r_lnk_5_initiator_approval_or_receiver_enters_paper_rows(actor):
    assert rules.paper_entry_error(actor, "monitoring", "enforcement", True) is None


@pytest.mark.parametrize("actor", ["pollution", "ecology", "leadership", "town", "legal", None])
def test_r_lnk_5_other_departments_may_not_enter_paper_rows(actor):
    error = rules.paper_entry_error(actor, "monitoring", "enforcement", True)
    assert error.kind == "forbidden"
    assert error.message == "只有发起部门（监测站）、审批科或接收部门（执法大队）可以补录纸质转办单。"


def test_r_lnk_5_a_receiver_enters_only_its_own_paper_row():
    assert rules.paper_entry_error("pollution", "monitoring", "enforcement", True).kind == "forbidden"
    assert rules.paper_entry_error("pollution", "monitoring", "pollution", True) is None


def test_r_lnk_5_an_online_task_has_no_paper_rows():
    error = rules.paper_entry_error("approval", "monitoring", "enforcement", False)
    assert error.kind == "conflict" and "在线办理" in error.message
    # who may not is told so first
    assert rules.paper_entry_error("pollution", "monitoring", "enforcement", False).kind == "forbidden"


def test_r_lnk_1_the_ecology_section_is_on_the_monitoring_side():
    assert {code for code, side in rules.SIDES.items() if side == "监测"} == {"ecology", "monitoring"}
    assert {code for code, side in rules.SIDES.items() if side == "监管"} == {"approval", "pollution"}


def test_r_lnk_1_an_unconfirmed_system_task_is_neither_closed_nor_archived():
    fed_back = {"enforcement": "fed_back"}

    def error(action, actor, state, awaiting):
        return rules.step_error(
            action,
            actor=actor,
            initiator="approval",
            task_state=state,
            assignments=fed_back,
            awaiting_confirmation=awaiting,
        )

    assert error("close", "approval", "awaiting_close", True).message == (
        "系统发起的任务须经发起部门负责人确认后方可销号。"
    )
    assert (
        error("archive", "approval", "closed", True).message
        == "系统发起的任务须经发起部门负责人确认后方可归档。"
    )
    assert error("close", "approval", "awaiting_close", False) is None
    assert error("archive", "approval", "closed", False) is None
    # returning the task for more work does not wait for the head
    assert error("return", "approval", "awaiting_close", True) is None
