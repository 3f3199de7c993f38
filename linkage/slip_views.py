"""The transfer slip pages (R-LNK-5): a task's 线下转办单 and the blank one, as inline PDFs.

Every section that works with 三监联动 may print them: the five linkage departments, leadership and
the towns (a town sees only tasks about its own facilities, R-ORG-3), and the administrator. A task's
slip is scoped by ``linkage.queries.task_for_user``: 404 alike for a missing task and one not visible.
The slips have no navigation entry: they are linked from the task pages.
"""

from django.http import FileResponse, Http404
from django.views.decorators.http import require_GET

from bureau.access import section_required
from bureau.documents.pdf import pdf_response
from linkage import queries, rules, slips

SLIP_SECTIONS = rules.PAGE_SECTIONS


@require_GET
@section_required(*SLIP_SECTIONS)
def task_slip(request, pk):
    """The slip of one task, its QR code linking to the task's page at the configured SITE_URL."""
    task = queries.task_for_user(request.user, pk)
    pdf = slips.render_task_slip(task)
    return pdf_response(pdf, slips.slip_filenames(task))


@require_GET
@section_required(*SLIP_SECTIONS)
def blank_slip(request):
    """The blank slip, for a task that has to start on paper."""
    return pdf_response(slips.render_blank_slip(), slips.slip_filenames())


@require_GET
@section_required(*SLIP_SECTIONS)
def task_file(request, pk, file_pk):
    """A file kept with a paper slip (R-LNK-5): the scan or a record of online contact, to those who
    may see the task; 404 alike for a missing file and one of a task not visible."""
    task = queries.task_for_user(request.user, pk)
    attachment = task.attachments.filter(pk=file_pk).first()
    if attachment is None:
        raise Http404("未找到该附件。")
    inline = attachment.content_type != rules.EML
    name = f"{task.number}-{attachment.get_kind_display()}-{attachment.pk}{attachment.extension}"
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=not inline,
        filename=name,
        content_type=attachment.content_type,
    )
