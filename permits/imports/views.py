"""Pages of the facility import (数据导入): upload, template download, preview with progress,
confirmation and cancellation. Only the approval section and the administrator reach them (R-ORG-2:
审批科 keeps permit and registration data); the navigation entry (PermitsConfig.ready) uses the same set.

Views parse, check and call ``services`` (handing them the Celery tasks to queue) and ``queries``; the
long steps run in Celery and the preview page follows them through the ``progress`` JSON endpoint
(static/js/import-progress.js).
"""

import io
from math import ceil

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from bureau.access import section_required
from bureau.background import QueueUnavailable
from bureau.errors import Conflict
from bureau.models import Town
from permits.imports import queries, report_template, services, tasks
from permits.imports.models import ImportBatch, ImportKind, ImportRowKind
from permits.imports.services import IMPORT_SECTIONS, REPORT_IMPORT_SECTIONS
from permits.imports.template import COLUMNS, build_template
from permits.models import ManagementLevel

PAGE_SIZE = 100


class UploadForm(forms.Form):
    # Optional: a form posted without it (as before there were two kinds) imports the registry.
    kind = forms.ChoiceField(
        label="导入内容",
        choices=ImportKind.choices,
        initial=ImportKind.REGISTRY,
        required=False,
        widget=forms.RadioSelect,
    )
    file = forms.FileField(
        label="导入文件（.xlsx）",
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
    )


@section_required(*IMPORT_SECTIONS)
def upload(request):
    """The import page: what is imported (``?kind=execution_reports`` chooses the execution reports'
    receipts), what the file must hold, the templates, the upload form and recent batches."""
    chosen = request.GET.get("kind")
    initial = {"kind": chosen if chosen in ImportKind.values else ImportKind.REGISTRY}
    form = UploadForm(request.POST or None, request.FILES or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                batch = services.start_import(
                    by=request.user,
                    upload=form.cleaned_data["file"],
                    queue_parse=tasks.parse_import_batch.delay,
                    kind=form.cleaned_data["kind"] or ImportKind.REGISTRY,
                )
            except ValidationError as exc:
                for message in exc.message_dict.get("file", exc.messages):
                    form.add_error("file", message)
            except QueueUnavailable as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, f"已上传“{batch.original_name}”，正在解析，完成后显示预览。")
                return redirect("imports:detail", batch.pk)
        # 503: the file was fine but the background queue is down (the form says so and what to do).
        status = 503 if form.non_field_errors() else 400
    batches = queries.recent_batches()
    return render(
        request,
        "permits/import_upload.html",
        {
            "form": form,
            "columns": COLUMNS,
            "report_columns": report_template.COLUMNS,
            "batches": batches,
            "report_kind": ImportKind.EXECUTION_REPORTS,
        },
        status=status,
    )


@require_GET
@section_required(*IMPORT_SECTIONS)
def template(request):
    """The template workbook: headers, an example row, and a 说明 sheet explaining each column."""
    towns = list(Town.objects.filter(is_active=True).values_list("name", flat=True))
    return FileResponse(
        io.BytesIO(build_template(town_names=towns)),
        as_attachment=True,
        filename="排污单位导入模板.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@require_GET
@section_required(*REPORT_IMPORT_SECTIONS)
def report_template_download(request):
    """The execution-report template workbook (R-REP-1): the platform export's columns, example rows
    of one filing with two pollutants, and a 说明 sheet."""
    return FileResponse(
        io.BytesIO(report_template.build_template()),
        as_attachment=True,
        filename="执行报告导入模板.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def _batch_for(request, pk) -> ImportBatch:
    """The batch, if the user may import its kind (the pages' decorator admits any import section)."""
    batch = queries.batch_by_id(pk)
    services.assert_may_import(request.user, batch.kind)
    return batch


def _labelled(rows: list) -> list:
    for row in rows:
        level = row.values.get("management_level")
        row.level_label = ManagementLevel(level).label if level in ManagementLevel.values else "—"
    return rows


def _detail_context(batch: ImportBatch, kind: str | None, page_number: str | None) -> dict:
    context = {
        "batch": batch,
        "kinds": [(k, batch.row_kind_label(k), batch.count_of(k)) for k in queries.KIND_ORDER],
        "rows_template": "permits/_import_report_rows.html"
        if batch.is_report_import
        else "permits/_import_rows.html",
        "progress": queries.progress_of(batch) if batch.is_running else None,
        "stuck": services.is_stuck(batch),
        "stale_minutes": max(1, settings.JOB_STALE_SECONDS // 60),
        "to_write": batch.new_count + batch.changed_count,
    }
    if kind in ImportRowKind.values:
        pages = max(1, ceil(batch.count_of(kind) / PAGE_SIZE))
        try:
            number = min(max(1, int(page_number or 1)), pages)
        except ValueError:
            number = 1
        context.update(
            kind=kind,
            kind_label=batch.row_kind_label(kind),
            kind_count=batch.count_of(kind),
            rows=_labelled(
                queries.rows_of_kind(batch, kind, offset=(number - 1) * PAGE_SIZE, limit=PAGE_SIZE)
            ),
            page={"number": number, "pages": pages},
        )
    elif batch.has_preview:
        context["sections"] = [
            (k, batch.row_kind_label(k), batch.count_of(k), _labelled(rows))
            for k, rows in queries.preview_rows(batch, per_kind=queries.PREVIEW_PER_KIND).items()
        ]
        context["per_kind"] = queries.PREVIEW_PER_KIND
    return context


@require_GET
@section_required(*IMPORT_SECTIONS)
def detail(request, pk):
    """The batch: progress while it is parsed or applied, then the preview by class (``?kind=`` for
    every row of one class, a page at a time), then the outcome."""
    batch = _batch_for(request, pk)
    context = _detail_context(batch, request.GET.get("kind"), request.GET.get("page"))
    context["may_cancel"] = services.may_cancel(batch, request.user)
    return render(request, "permits/import_detail.html", context)


@never_cache
@require_GET
@section_required(*IMPORT_SECTIONS)
def progress(request, pk):
    """The batch's state for the progress bar (polled every second by the preview page)."""
    return JsonResponse(queries.progress_of(_batch_for(request, pk)))


def _conflict(request, batch: ImportBatch, message: str, status: int = 409):
    context = _detail_context(queries.batch_by_id(batch.pk), None, None) | {"conflict": message}
    return render(request, "permits/import_detail.html", context, status=status)


@require_POST
@section_required(*IMPORT_SECTIONS)
def confirm(request, pk):
    batch = _batch_for(request, pk)
    try:
        services.confirm_batch(batch=batch, by=request.user, queue_apply=tasks.apply_import_batch.delay)
    except Conflict as exc:
        return _conflict(request, batch, str(exc))
    except QueueUnavailable as exc:
        return _conflict(request, batch, exc.message, status=503)
    messages.success(request, "已确认导入，正在写入；全部成功后才会生效。")
    return redirect("imports:detail", batch.pk)


@require_POST
@section_required(*IMPORT_SECTIONS)
def cancel(request, pk):
    batch = _batch_for(request, pk)
    try:
        services.cancel_batch(batch=batch, by=request.user)
    except Conflict as exc:
        return _conflict(request, batch, str(exc))
    messages.success(request, "已取消该批次，没有写入任何数据。")
    return redirect("imports:detail", batch.pk)
