"""The 三监联动 workflow as pure functions (R-LNK-1…4, R-LNK-6, R-LNK-7; 003 第八条, 附件4、附件5).

A task is started by a department of the regulation (审批科, 生态科, 污防科), monitoring (监测站) or
enforcement (执法大队) side and sent to one or more of them. Each receiving department receives it and
records what it did, then feeds the result back. When all have fed back the initiator closes the task
(问题销号) or returns it with a reason; 审批科 archives closed tasks (归档整理).

``step_error`` is the one place that says who may take which step when; services and pages ask it.
"""

from dataclasses import dataclass
from datetime import date

from bureau import sections

SIDES = {
    "approval": "监管",
    "ecology": "监测",  # 生态科 leads the monitoring side (R-LNK-1, 003 第三条)
    "pollution": "监管",
    "monitoring": "监测",
    "enforcement": "执法",
}
LINKAGE_SECTIONS = frozenset(SIDES)
# Who sees anything of 三监联动: the five departments, leadership (everything, read-only) and the towns
# (tasks about their own facilities, R-ORG-3). 法制科 takes no part.
PAGE_SECTIONS = LINKAGE_SECTIONS | {sections.LEADERSHIP, sections.TOWN}
# The departments in the order of the 附件5 slip, used wherever they are listed.
DEPARTMENT_ORDER = ("approval", "ecology", "pollution", "monitoring", "enforcement")
ARCHIVING_SECTION = "approval"

OPEN, AWAITING_CLOSE, CLOSED, ARCHIVED = "open", "awaiting_close", "closed", "archived"
PENDING, RECEIVED, FED_BACK = "pending", "received", "fed_back"
# A task still under way: its steps are owed and its deadline counts (R-LNK-6, R-LNK-7).
ACTIVE = (OPEN, AWAITING_CLOSE)

RECEIVE, FEEDBACK, CLOSE, RETURN, ARCHIVE = "receive", "feedback", "close", "return", "archive"
CONFIRM = "confirm"
ACTIONS = (RECEIVE, FEEDBACK, CLOSE, RETURN, ARCHIVE)
ACTION_LABELS = {
    "start": "发起任务",
    CONFIRM: "负责人确认",
    "attach": "补充转办单材料",
    RECEIVE: "接收与执行",
    FEEDBACK: "结果反馈",
    CLOSE: "问题销号",
    RETURN: "退回",
    ARCHIVE: "归档整理",
}
TASK_STATE_LABELS = {OPEN: "办理中", AWAITING_CLOSE: "待销号", CLOSED: "已销号", ARCHIVED: "已归档"}


@dataclass(frozen=True)
class StepError:
    """``forbidden``: the step is not this department's (403); ``conflict``: not now (409)."""

    kind: str
    message: str


# 生态科 leads the monitoring side (003 第三条: 及时将监测任务分解到环境监测站并定期跟踪、接收反馈结果):
# every task addressed to 监测站 is followed by 生态科 (R-LNK-2).
MONITORING_LEAD, MONITORING_STATION = "ecology", "monitoring"
# The sections at whose request 生态科 may dispatch a monitoring task to 监测站.
REQUESTING_SECTIONS = ("approval", "pollution", "enforcement")


def followed_sections(code: str | None) -> set[str]:
    """The departments whose tasks ``code`` follows besides its own: 监测站's for 生态科 (R-LNK-2)."""
    return {MONITORING_STATION} if code == MONITORING_LEAD else set()


def request_error(initiator: str | None, receivers: list[str], requested_by: str | None) -> str | None:
    """Why a task cannot be dispatched at ``requested_by``'s request, or None (R-LNK-2, 003 第三条):
    only 生态科 dispatches on behalf of another section, only to 监测站, and never at its own or
    监测站's request."""
    if not requested_by:
        return None
    if initiator != MONITORING_LEAD:
        return "只有生态科可以代其他部门向环境监测站派发监测任务。"
    if list(receivers) != [MONITORING_STATION]:
        return "代其他部门派发的监测任务只能发给环境监测站。"
    if requested_by not in REQUESTING_SECTIONS:
        return "提出需求部门应为审批科、污防科或执法大队。"
    return None


NOT_AN_INITIATOR = "只有审批科、生态科、污防科、环境监测站和执法大队可以发起三监联动任务。"


def may_start(section_code: str | None) -> bool:
    """Whether a section may start a task (R-LNK-1): the five linkage departments, nobody else
    (not leadership, not 法制科, not a town, and not the administrator, who acts for no department)."""
    return section_code in LINKAGE_SECTIONS


def start_error(initiator: str | None, receivers: list[str]) -> str | None:
    """Why a task cannot be started by ``initiator`` to ``receivers`` (R-LNK-1, R-LNK-2), or None."""
    if not may_start(initiator):
        return NOT_AN_INITIATOR
    if not receivers:
        return "请至少选择一个接收部门。"
    if len(set(receivers)) != len(receivers):
        return "接收部门不能重复。"
    wrong = [r for r in receivers if r not in LINKAGE_SECTIONS]
    if wrong:
        return "接收部门只能是审批科、生态科、污防科、环境监测站或执法大队。"
    if initiator in receivers:
        return "发起部门不能把任务发给自己。"
    return None


UNCONFIRMED_CLOSE = "系统发起的任务须经发起部门负责人确认后方可销号。"
UNCONFIRMED_ARCHIVE = "系统发起的任务须经发起部门负责人确认后方可归档。"


def step_error(
    action: str,
    *,
    actor: str | None,
    initiator: str,
    task_state: str,
    assignments: dict[str, str],
    awaiting_confirmation: bool = False,
) -> StepError | None:
    """Whether department ``actor`` may take ``action`` now, given the task's state and its
    assignments ``{section: state}``. None means yes. ``awaiting_confirmation``: the system started
    the task from a lead and the initiating section's head has not confirmed it yet; it is neither
    销号 nor 归档 until then, so no task is closed under a signature nobody gave (R-LNK-1)."""
    label = ACTION_LABELS.get(action, action)
    if action in (RECEIVE, FEEDBACK):
        if actor not in assignments:
            return StepError(
                "forbidden",
                f"本任务未发给{sections.SHORT_NAMES.get(actor, '您所在的部门')}，不能进行“{label}”。",
            )
        if task_state != OPEN:
            return StepError("conflict", f"任务{TASK_STATE_LABELS[task_state]}，不能再进行“{label}”。")
        current = assignments[actor]
        if action == RECEIVE and current != PENDING:
            return StepError("conflict", "本部门已接收该任务。")
        if action == FEEDBACK and current == PENDING:
            return StepError("conflict", "请先接收任务并填写执行情况，再反馈结果。")
        if action == FEEDBACK and current == FED_BACK:
            return StepError("conflict", "本部门已反馈结果。")
        return None
    if action in (CLOSE, RETURN):
        if actor != initiator:
            return StepError("forbidden", f"只有发起部门（{sections.SHORT_NAMES[initiator]}）可以“{label}”。")
        if task_state == OPEN:
            waiting = [sections.SHORT_NAMES[s] for s, st in assignments.items() if st != FED_BACK]
            return StepError("conflict", f"尚有部门未反馈（{'、'.join(waiting)}），不能“{label}”。")
        if task_state != AWAITING_CLOSE:
            return StepError("conflict", f"任务{TASK_STATE_LABELS[task_state]}，不能再“{label}”。")
        if action == CLOSE and awaiting_confirmation:
            return StepError("conflict", UNCONFIRMED_CLOSE)
        return None
    if action == ARCHIVE:
        if actor != ARCHIVING_SECTION:
            return StepError("forbidden", "只有审批科可以归档整理三监联动任务。")
        if task_state != CLOSED:
            return StepError("conflict", f"任务{TASK_STATE_LABELS[task_state]}，只有已销号的任务可以归档。")
        if awaiting_confirmation:
            return StepError("conflict", UNCONFIRMED_ARCHIVE)
        return None
    return StepError("conflict", "未知的操作。")


def paper_entry_error(actor: str | None, initiator: str, receiver: str, from_paper: bool) -> StepError | None:
    """Whether department ``actor`` may enter, after the fact, the rows of ``receiver`` (任务接收与执行、
    任务反馈) of a slip done on paper (R-LNK-5). The slip went round on paper and was signed there, so
    one clerk may enter it all: a person of the initiating department (003 附件5 说明（4）: the
    departments that started a task keep its slip), of 审批科 (who archives the slips at the dispatch
    meeting) or of the receiving department itself. The signatories stay the receiving department's
    own (the service checks them). A task done online is never entered this way: its receivers act
    online for themselves. None means yes."""
    if actor not in (initiator, ARCHIVING_SECTION, receiver):
        return StepError(
            "forbidden",
            f"只有发起部门（{sections.SHORT_NAMES.get(initiator, initiator)}）、审批科或接收部门"
            f"（{sections.SHORT_NAMES.get(receiver, receiver)}）可以补录纸质转办单。",
        )
    if not from_paper:
        return StepError(
            "conflict",
            "本任务为在线办理的任务，不是据纸质转办单补录的任务；接收与执行、结果反馈应由"
            f"{sections.SHORT_NAMES.get(receiver, '接收部门')}在线办理。",
        )
    return None


def task_state_after(action: str, task_state: str, assignments_after: dict[str, str]) -> str:
    """The task's state once ``action`` is done and the assignments are as given."""
    if action == FEEDBACK and all(state == FED_BACK for state in assignments_after.values()):
        return AWAITING_CLOSE
    return {CLOSE: CLOSED, RETURN: OPEN, ARCHIVE: ARCHIVED}.get(action, task_state)


def assignment_state_after(action: str) -> str:
    return {RECEIVE: RECEIVED, FEEDBACK: FED_BACK}[action]


def is_overdue(deadline_on: date, today: date, task_state: str) -> bool:
    """A task is overdue once its deadline has passed while it is not closed (R-LNK-6, R-LNK-7)."""
    return task_state in ACTIVE and today > deadline_on


def task_number(year: int, sequence: int) -> str:
    return f"LD-{year}-{sequence:04d}"


def owing(task_state: str, initiator: str, assignments: dict[str, str]) -> list[str]:
    """The departments that owe the next step of a task (R-LNK-6): the receivers that have not fed
    back (``assignments`` maps each receiving department to its assignment's state), or the initiator
    once all have (it closes or returns the task). Nobody once the task is closed."""
    if task_state == AWAITING_CLOSE:
        return [initiator]
    if task_state == OPEN:
        return [code for code, state in assignments.items() if state != FED_BACK]
    return []


# Files kept with a paper slip (R-LNK-5; 附件5 说明（5）: 应留存好邮件、微信等在线联络的记录) -------------

ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
SLIP_SCAN, ONLINE_CONTACT = "slip_scan", "online_contact"
PDF, PNG, JPEG, EML = "application/pdf", "image/png", "image/jpeg", "message/rfc822"
EXTENSIONS = {PDF: ".pdf", PNG: ".png", JPEG: ".jpg", EML: ".eml"}
# A scan is a PDF or a picture; a record of online contact may also be a saved e-mail.
ACCEPTED = {SLIP_SCAN: (PDF, PNG, JPEG), ONLINE_CONTACT: (PDF, PNG, JPEG, EML)}
ATTACHMENT_LABELS = {SLIP_SCAN: "纸质转办单扫描件", ONLINE_CONTACT: "在线联络记录"}


def sniff_file_type(head: bytes) -> str | None:
    """What a file is by its first bytes (never by its name): PDF, PNG, JPEG or an e-mail message
    (RFC 5322 header lines, with a From and a Date or Subject); None for anything else."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    text = head.decode("utf-8", errors="replace").replace("\r\n", "\n")
    if "\n\n" not in text:
        text = text.rsplit("\n", 1)[0]  # the last line may be cut off where the head ends
    lines = [line.lower() for line in text.split("\n\n", 1)[0].split("\n") if line and not line[0].isspace()]
    if lines and all(":" in line and " " not in line.split(":", 1)[0] for line in lines):
        names = {line.split(":", 1)[0] + ":" for line in lines}
        if "from:" in names and names & {"date:", "subject:"}:
            return EML
    return None


def attachment_error(kind: str, content_type: str | None, size: int) -> str | None:
    """Why a file cannot be kept as ``kind``, in Chinese, or None (R-LNK-5)."""
    label = ATTACHMENT_LABELS[kind]
    if size == 0:
        return f"{label}是空文件，请重新选择。"
    if size > ATTACHMENT_MAX_BYTES:
        return f"{label}超过 10 MB，请压缩后再上传。"
    if content_type not in ACCEPTED[kind]:
        allowed = "PDF 或图片（JPG、PNG）" if kind == SLIP_SCAN else "PDF、图片（JPG、PNG）或邮件（.eml）"
        return f"{label}只接受{allowed}；所选文件的内容不是这些类型（按文件内容判断，与文件名无关）。"
    return None
