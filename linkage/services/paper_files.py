"""Files kept with a slip done on paper (R-LNK-5): the scan and the records of online contact."""

import hashlib

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from bureau import access, history
from bureau.errors import Conflict
from bureau.models import User
from linkage import rules
from linkage.models import AttachmentKind, LinkageTask, TaskAttachment
from linkage.services.steps import _fresh, _log

ATTACHMENT_FIELDS = {AttachmentKind.SLIP_SCAN: "slip_scan", AttachmentKind.ONLINE_CONTACT: "contact_record"}


@transaction.atomic
def attach_paper_file(*, by: User, task: LinkageTask, kind: str, upload) -> TaskAttachment:
    """Keep one more file with a slip done on paper (R-LNK-5): a later scan or a record of online
    contact, added by the initiating department, 审批科 or a receiving department. Checked by content
    and size like those of the entry; refused with a Chinese message otherwise."""
    task = _fresh(task)
    actor = access.section_code(by)
    receivers = set(task.assignments.values_list("section__code", flat=True))
    if actor not in {task.initiator.code, rules.ARCHIVING_SECTION, *receivers}:
        raise PermissionDenied("只有发起部门、审批科或接收部门可以为纸质转办单补充材料。")
    if not task.from_paper:
        raise Conflict("本任务为在线办理的任务，无纸质转办单材料可补充。")
    if kind not in AttachmentKind.values or upload is None:
        raise ValidationError({"file": "请选择材料类别和文件。"})
    errors = {}
    checked = _checked_attachments([(kind, upload)], errors)
    if errors:
        raise ValidationError({"file": next(iter(errors.values()))})
    ((kind, upload, content_type),) = checked
    attachment = _keep_attachment(task, kind, upload, content_type, by=by)
    _log(
        task,
        "attach",
        by=by,
        section=by.staff.section,
        on=timezone.localdate(),
        note=f"补充{attachment.get_kind_display()}：{attachment.original_name}",
    )
    return attachment


def _checked_attachments(attachments, errors: dict) -> list[tuple[str, object, str]]:
    """Each file with the type its content shows; a refusal goes into ``errors`` under its field."""
    checked = []
    for kind, upload in attachments:
        upload.seek(0)
        head = upload.read(8192)
        upload.seek(0)
        content_type = rules.sniff_file_type(head)
        error = rules.attachment_error(kind, content_type, upload.size)
        if error:
            errors[ATTACHMENT_FIELDS[kind]] = error
        else:
            checked.append((kind, upload, content_type))
    return checked


def _keep_attachment(task: LinkageTask, kind: str, upload, content_type: str, *, by: User) -> TaskAttachment:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    attachment = TaskAttachment(
        task=task,
        kind=kind,
        original_name=(upload.name or "")[-255:],
        content_type=content_type,
        extension=rules.EXTENSIONS[content_type],
        size=upload.size,
        digest=digest.hexdigest(),
        uploaded_by=by,
    )
    attachment.file.save("upload", upload, save=False)
    return history.save(attachment, by=by, reason=f"据纸质转办单补录：{attachment.get_kind_display()}")
