"""The complaint list's Excel export (issue 13), registered from ``ComplaintsConfig.ready``: the rows
the list shows under its filters, the reporter masked for everyone, 法制科 and 局领导 included (R-CMP-1:
the identity never travels into exports, so an export logs no view)."""

from functools import partial

from bureau.access import in_sections
from bureau.documents.exports import EXPORT_CHUNK, Export, Rows, register
from complaints.rules import COMPLAINT_SECTIONS
from complaints.views.lists import complaint_filterset, masked_rows

COLUMNS = [
    ("投诉编号", 14),
    ("来源渠道", 10),
    ("受理日期", 12),
    ("被投诉单位", 32),
    ("反映内容", 48),
    ("举报人", 10),
    ("身份证号", 22),
    ("联系电话", 16),
    ("联系地址", 30),
    ("办理状态", 10),
    ("三监联动任务", 16),
    ("举报是否属实", 8),
    ("整改情况", 10),
    ("答复日期", 12),
    ("拟奖励金额（元）", 12),
    ("奖励决定", 10),
]


def complaint_rows(complaints):
    """One row per complaint; the reporter masked for everyone (R-CMP-1: never into exports)."""
    for row in masked_rows(complaints):
        complaint, reporter = row["complaint"], row["reporter"]
        yield [
            complaint.number,
            complaint.get_channel_display(),
            complaint.received_on,
            complaint.facility.name if complaint.facility_id else "",
            complaint.content,
            reporter.name,
            reporter.id_number,
            reporter.phone,
            reporter.address,
            complaint.get_state_display(),
            complaint.linkage_task.number if complaint.linkage_task_id else "",
            {True: "属实", False: "不属实"}.get(complaint.is_substantiated, ""),
            complaint.get_rectification_display(),
            complaint.answered_on,
            complaint.reward_amount,
            complaint.get_reward_decision_display(),
        ]


def complaint_source(user, query) -> Rows:
    complaints = complaint_filterset(user, query).qs
    return Rows(complaints.count(), complaint_rows(complaints.iterator(chunk_size=EXPORT_CHUNK)))


def register_exports() -> None:
    register(
        Export(
            "complaints.list",
            "信访投诉",
            COLUMNS,
            complaint_source,
            partial(in_sections, codes=COMPLAINT_SECTIONS),
        )
    )
