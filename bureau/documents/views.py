"""My documents (我的文档): the background jobs a person asked for, their progress and their files.
Only the asker ever sees a job; anyone else gets the same 404 as for a job that does not exist."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from bureau.documents import jobs
from bureau.models import DocumentJobState


def _job(request, pk):
    job = jobs.job_for(request.user, pk)
    if job is None:
        raise Http404("没有找到该文档。")
    return job


@login_required
@require_safe
def document_list(request):
    return render(request, "bureau/document_list.html", {"documents": list(jobs.jobs_of(request.user))})


@login_required
@require_safe
def document_detail(request, pk):
    job = _job(request, pk)
    return render(
        request,
        "bureau/document_detail.html",
        {"job": job, "progress": jobs.progress_of(job), "keep_days": settings.DOCUMENT_KEEP_DAYS},
    )


@login_required
@require_safe
def document_progress(request, pk):
    response = JsonResponse(jobs.progress_of(_job(request, pk)))
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_safe
def document_download(request, pk):
    job = _job(request, pk)
    if job.state != DocumentJobState.DONE:
        raise Http404("文档尚未生成完成。")
    if not job.file:
        raise Http404("文档文件已清理，请重新生成。")
    try:
        handle = job.file.open("rb")
    except FileNotFoundError:
        raise Http404("文档文件已清理，请重新生成。") from None
    inline = job.content_type == "application/pdf"
    return FileResponse(
        handle, as_attachment=not inline, filename=job.filename, content_type=job.content_type
    )
