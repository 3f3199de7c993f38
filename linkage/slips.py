"""The offline transfer slip 排污许可“三监联动”线下转办单 (R-LNK-5; 003 第八条, 附件5).

Everything happens online; the slip prints when online work is impossible, in the layout of 附件5:
three blocks 任务发起 / 任务接收与执行 / 任务反馈 with the columns 部门、问题描述（接收与执行情况、结果反馈）、
经办人、负责人、日期、备注, one row per receiving department, 归档整理 by 审批科 at the bottom and the
five notes of 附件5 under the table. A task's slip carries its number and a QR code of its page; the
blank slip has three empty rows per block for handwriting. A4, one page for up to three receiving
departments. PDFs are made by ``bureau.documents.pdf.render_pdf`` only (embedded CJK font, no network).
"""

from dataclasses import dataclass
from datetime import date

import segno
from django.conf import settings
from django.urls import reverse

from bureau import sections
from bureau.documents.pdf import render_pdf
from linkage import rules
from linkage.models import LinkageTask

TEMPLATE = "linkage/slip.html"
TITLE = "排污许可“三监联动”线下转办单"
PAPER_MARK = "据纸质转办单补录"
BLANK_ROWS = 3
ARCHIVING_SECTION_NAME = sections.short_name(rules.ARCHIVING_SECTION)
# 附件5 说明 (1)–(5), word for word.
NOTES = (
    "（1）任务发起指的是监管、监测或执法部门工作需要时发起的联动任务，问题描述中主要记录问题缘由，需要联动的内容。",
    "（2）任务接收与执行指的是接收方处理任务的情况，任务接收与执行的部门可能有多个。",
    "（3）任务反馈指的是接收与执行部门反馈给任务发起部门的任务执行情况，一般应由任务执行部门填写。",
    "（4）转办单由任务发起的各部门暂存，召开调度会时统一交由审批科归档整理。",
    "（5）线下转办单可采用纸质版或电子稿形式发起任务，采用电子稿时可自行编辑，应留存好邮件、微信等在线联络的记录。",
)


@dataclass(frozen=True)
class SlipRow:
    """One row of a block: 部门 | text | 经办人 | 负责人 | 日期 | 备注 (empty strings print as blanks)."""

    department: str = ""
    text: str = ""
    handler: str = ""
    head: str = ""
    on: str = ""
    remarks: str = ""


def task_path(task: LinkageTask) -> str:
    """The absolute path of the task's page, /linkage/tasks/<pk>/."""
    return reverse("linkage:task-detail", args=[task.pk])


def qr_data_uri(text: str) -> str:
    """A QR code of ``text`` as an SVG data URI: drawn as vectors, fetched from nowhere."""
    return segno.make(text, error="m").svg_data_uri(scale=1, border=0)


def _name(user) -> str:
    return user.display_name if user is not None else ""


def _day(value: date | None) -> str:
    return f"{value:%Y-%m-%d}" if value else ""


def task_url(task: LinkageTask) -> str:
    """The task's absolute address from the configured site address (``settings.SITE_URL``), the
    same whichever host the slip was printed through."""
    return settings.SITE_URL.rstrip("/") + task_path(task)


def task_slip_context(task: LinkageTask) -> dict:
    """What the slip of ``task`` shows; its QR code is the task's absolute address (``task_url``)."""
    link = task_url(task)
    assignments = list(task.assignments.all())
    first = [
        SlipRow(
            department=task.initiator.name + ("（系统发起）" if task.started_by_system else ""),
            text=task.description
            + (
                f"（应{task.requested_by.short_name}要求，由{task.initiator.short_name}派发）"
                if task.requested_by_id
                else ""
            ),
            handler=_name(task.handler),
            head=_name(task.head),
            on=_day(task.started_on),
            remarks=task.remarks,
        )
    ]
    received = [
        SlipRow(
            department=a.section.name,
            text=a.execution,
            handler=_name(a.execution_handler),
            head=_name(a.execution_head),
            on=_day(a.executed_on),
            remarks=a.execution_remarks,
        )
        for a in assignments
    ]
    fed_back = [
        SlipRow(
            department=a.section.name,
            text=a.feedback,
            handler=_name(a.feedback_handler),
            head=_name(a.feedback_head),
            on=_day(a.fed_back_on),
            remarks=a.feedback_remarks,
        )
        for a in assignments
    ]
    archive = SlipRow(
        department=ARCHIVING_SECTION_NAME,
        text="已归档" if task.archived_on else "",
        handler=_name(task.archived_by),
        on=_day(task.archived_on),
    )
    return {
        "title": TITLE,
        "task": task,
        "number": task.number,
        "document_number": task.number,
        "document_number_label": "任务编号",
        "facility_name": task.facility.name if task.facility_id else "",
        "deadline": f"{task.deadline_workdays} 个工作日（至 {_day(task.deadline_on)}）"
        + ("（暂定：工作日历尚未确认，暂按双休日推算）" if task.deadline_provisional else ""),
        "from_paper": task.from_paper,
        "paper_mark": PAPER_MARK,
        "link": link,
        "task_path": task_path(task),
        "qr": qr_data_uri(link),
        "blocks": _blocks(first, received, fed_back),
        "archive": archive,
        "notes": NOTES,
    }


def blank_slip_context() -> dict:
    """The blank slip: one empty row to start the task, three for receipt and for feedback."""
    return {
        "title": TITLE,
        "task": None,
        "blocks": _blocks([SlipRow()], [SlipRow()] * BLANK_ROWS, [SlipRow()] * BLANK_ROWS),
        "archive": SlipRow(department=ARCHIVING_SECTION_NAME),
        "notes": NOTES,
    }


def _blocks(first, received, fed_back) -> list[dict]:
    # The label is printed one character per line, as 附件5 does in its narrow first column.
    return [
        {"label": ["任务", "发起"], "text_heading": "问题描述", "rows": first},
        {"label": list("任务接收与执行"), "text_heading": "接收与执行情况", "rows": received},
        {"label": list("任务反馈"), "text_heading": "结果反馈", "rows": fed_back},
    ]


def render_task_slip(task: LinkageTask) -> bytes:
    """The transfer slip of ``task`` as PDF bytes (R-LNK-5). ``task`` comes from
    ``linkage.queries.task_for_user``, which loads what the slip shows in a fixed number of queries."""
    return render_pdf(TEMPLATE, task_slip_context(task))


def render_blank_slip() -> bytes:
    """The blank transfer slip, for a task started on paper (R-LNK-5)."""
    return render_pdf(TEMPLATE, blank_slip_context())


def slip_filenames(task: LinkageTask | None = None) -> tuple[str, str]:
    """The slip's Chinese file name and an ASCII one for clients that cannot read the first."""
    if task is None:
        return "三监联动线下转办单（空白）.pdf", "linkage-slip-blank.pdf"
    return f"三监联动线下转办单-{task.number}.pdf", f"linkage-slip-{task.number}.pdf"
