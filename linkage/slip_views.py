"""The transfer slip pages (R-LNK-5): a task's 线下转办单 and the blank one, as inline PDFs.

Every section that works with 三监联动 may print them: the five linkage departments, leadership and
the towns (a town sees only tasks about its own facilities, R-ORG-3), and the administrator. A task's
slip is scoped by ``linkage.queries.task_for_user``: 404 alike for a missing task and one not visible.
The slips have no navigation entry: they are linked from the task pages.
"""

from django.views.decorators.http import require_GET

from bureau.access import section_required
from bureau.documents.pdf import pdf_response
from linkage import queries, rules, slips

SLIP_SECTIONS = rules.PAGE_SECTIONS


@require_GET
@section_required(*SLIP_SECTIONS)
def task_slip(request, pk):
    """The slip of one task, its QR code linking to the task's page on this server."""
    task = queries.task_for_user(request.user, pk)
    pdf = slips.render_task_slip(task, base_url=request.build_absolute_uri("/"))
    return pdf_response(pdf, slips.slip_filenames(task))


@require_GET
@section_required(*SLIP_SECTIONS)
def blank_slip(request):
    """The blank slip, for a task that has to start on paper."""
    return pdf_response(slips.render_blank_slip(), slips.slip_filenames())
