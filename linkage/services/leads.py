"""Leads from the rest of the product become linkage tasks through ``start_linkage_task``.

Today: the permit expiry check's unlicensed-discharge leads (R-PER-2, 004 三(一)) go to 执法大队,
started by 审批科, which keeps the permits. Execution reports, inspections and monitoring use the
same service with their own ``source_kind``.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from bureau.models import Role, Staff
from linkage.models import LinkageTask, SourceKind
from linkage.services.tasks import start_linkage_task
from permits import queries as permit_queries
from permits.models import UnlicensedDischargeLead
from permits.services import expiry


def duty_signatories(section_code: str):
    """The handler and head who sign a task a system job starts for ``section_code``: its first head
    as both head and, where it has no handler, handler."""
    staff = list(
        Staff.objects.filter(section__code=section_code, user__is_active=True)
        .select_related("user")
        .order_by("id")
    )
    head = next((s.user for s in staff if s.role == Role.HEAD), None)
    handler = next((s.user for s in staff if s.role == Role.HANDLER), head)
    if head is None:
        raise ValidationError(
            f"{section_code} 科室没有负责人，无法自动发起三监联动任务。请在系统管理中指定负责人。"
        )
    return handler, head


@transaction.atomic
def hand_over_unlicensed_lead(*, lead: UnlicensedDischargeLead, today: date) -> LinkageTask:
    """Turn an open unlicensed-discharge lead into a task from 审批科 to 执法大队. Idempotent: a lead
    already handed over returns its task."""
    lead = expiry.lock_open_lead(lead.pk)
    existing = LinkageTask.objects.filter(source_key=lead.source_key).first()
    if existing is not None:
        return existing
    handler, head = duty_signatories("approval")
    task = start_linkage_task(
        by=None,
        initiator="approval",
        receivers=["enforcement"],
        description=(
            f"{lead.facility.name}（{lead.facility.credit_code}）{lead.summary}，单位仍在生产，涉嫌无证排污，"
            "请现场核查并依法处理。"
        ),
        handler=handler,
        head=head,
        started_on=today,
        facility=lead.facility,
        source_kind=SourceKind.EXPIRED_PERMIT,
        source_key=lead.source_key,
        source_url=reverse("permits:facility-detail", args=[lead.facility_id]),
    )
    expiry.mark_lead_handed_over(lead=lead, on=today, task_number=task.number)
    return task


def hand_over_open_leads(*, today: date) -> list[str]:
    """Daily: every open lead becomes a task; returns the task numbers started."""
    numbers = []
    for lead in permit_queries.open_unlicensed_leads():
        numbers.append(hand_over_unlicensed_lead(lead=lead, today=today).number)
    return numbers
