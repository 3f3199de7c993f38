"""One inspection's record (R-INS-6): header, every point with its answer, photos and amendments, the
findings (R-INS-7, R-INS-8), and the steps of its officers: sign, withdraw a signature, and after
signing only 登记更正. Photos are served here to those who may read the inspection, never from
/media/; the PDF comes from ``inspections.documents``."""

from django import forms
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from bureau.access import ALL_SECTIONS, BUREAU_SECTIONS, Viewer, section_required
from bureau.documents.pdf import pdf_response
from bureau.web import submit_step
from inspections import queries, rules
from inspections.documents import pdf_filenames, record_pdf
from inspections.forms import AmendmentForm
from inspections.models import ChecklistPoint, InspectionState, Verdict
from inspections.services import inspections as inspection_services
from inspections.services.common import is_head, is_officer

NOT_YET = "尚不能签名，请先补齐以下内容："


def _points(inspection) -> list:
    return [point for part in inspection.part_list for point in part.points.all()]


def _actions(user, inspection) -> dict:
    """What ``user`` may do to the record now (the services remain the authority)."""
    officer = is_officer(user, inspection)
    me = next((o for o in inspection.officer_list if o.officer_id == user.pk), None)
    state = inspection.state
    viewer = Viewer.of(user)
    return {
        "is_officer": officer,
        "may_fill": officer and state == InspectionState.DRAFT,
        "may_sign": officer and state != InspectionState.SIGNED and me is not None and me.signed_at is None,
        "may_withdraw": officer
        and state == InspectionState.SIGNING
        and me is not None
        and me.signed_at is not None,
        "may_amend": state == InspectionState.SIGNED and (officer or is_head(user, rules.INSPECTING_SECTION)),
        "may_record_interference": not viewer.is_superuser and viewer.section_code in BUREAU_SECTIONS,
        "may_read_cases": viewer.in_sections(rules.CASE_SECTIONS),
        # A town reads records from its facilities' pages; the list of inspections is the bureau's.
        "may_list": viewer.is_bureau,
        "may_start_task": viewer.section_code == rules.INSPECTING_SECTION,
    }


def _held_config(inspection) -> dict:
    """What ``inspection-record.js`` needs to find, send and list what an officer's browser still holds
    for the inspection: its addresses, its state, and the points' codes and verdicts to name them."""
    return {
        "inspection": inspection.pk,
        "number": inspection.number,
        "draft": inspection.state == InspectionState.DRAFT,
        "signed": inspection.state == InspectionState.SIGNED,
        "answersUrl": reverse("api-inspection-answers", args=[inspection.pk]),
        "photosUrl": reverse("api-inspection-photos", args=[inspection.pk]),
        "codes": {point.pk: point.code for point in _points(inspection)},
        "verdicts": {value: label for value, label in Verdict.choices if value},
    }


def _render(request, pk, *, amend_form=None, gaps=None, status=200, alert=""):
    user = request.user
    inspection = queries.inspection_detail(user, pk)
    actions = _actions(user, inspection)
    if actions["may_amend"] and amend_form is None:
        amend_form = AmendmentForm(points=_points(inspection))
    context = {
        "inspection": inspection,
        "actions": actions,
        "amend_form": amend_form if actions["may_amend"] else None,
        "gaps": gaps or [],
        "alert": alert,
        "held_config": _held_config(inspection) if actions["is_officer"] else None,
    }
    return render(request, "inspections/detail.html", context, status=status)


@section_required(*ALL_SECTIONS)
def inspection_detail(request, pk):
    """现场检查记录: what every section reads, a town for its own facilities (R-ORG-3); 404 alike for
    missing and not visible."""
    return _render(request, pk)


def _step(request, pk, *, call, form=None):
    """Take one step of the record through ``submit_step``: success back to the page; the gaps of a
    refused signature listed (400); a refusal (403) or a record that moved on (409) in Chinese."""
    inspection = queries.inspection_for_user(request.user, pk)
    form = form or forms.Form(request.POST)
    amending = isinstance(form, AmendmentForm)

    def render_again(*, form, status, alert):
        if amending:
            return _render(request, pk, amend_form=form, status=status, alert=alert)
        gaps = list(form.non_field_errors()) if form is not None and status == 400 else []
        return _render(request, pk, gaps=gaps, status=status, alert=NOT_YET if gaps else alert)

    return submit_step(
        request,
        form,
        call=lambda data: call(inspection, data),
        success_url=reverse("inspections:inspection-detail", args=[inspection.pk]),
        render_again=render_again,
    )


@section_required(*BUREAU_SECTIONS)
@require_POST
def inspection_sign(request, pk):
    """签名 by one of the officers (R-INS-6); the last signature makes the record and its findings."""

    def call(inspection, data):
        done = inspection_services.sign_inspection(by=request.user, inspection=inspection)
        if done.state == InspectionState.SIGNED:
            return f"全部检查人员已签名，检查记录 {done.number} 生效；记录哈希 {done.record_hash[:16]}…"
        return "已签名，待其他检查人员签名。"

    return _step(request, pk, call=call)


@section_required(*BUREAU_SECTIONS)
@require_POST
def inspection_withdraw(request, pk):
    """撤回签名 before the last signature: the record returns to 填写中."""

    def call(inspection, data):
        inspection_services.withdraw_signature(by=request.user, inspection=inspection)
        return "已撤回签名，检查记录退回填写中。"

    return _step(request, pk, call=call)


@section_required(*BUREAU_SECTIONS)
@require_POST
def inspection_amend(request, pk):
    """登记更正 of a signed record (R-INS-6), by its officers or a head of 执法大队."""
    inspection = queries.inspection_for_user(request.user, pk)
    points = ChecklistPoint.objects.filter(version=inspection.checklist_version_id).order_by(
        "part__order", "order"
    )
    form = AmendmentForm(request.POST, points=list(points))

    def call(inspection, data):
        inspection_services.add_amendment(
            by=request.user,
            inspection=inspection,
            field=data["field"],
            point=data["point"],
            before=data["before"],
            after=data["after"],
            reason=data["reason"],
        )
        return "已登记更正；原检查记录保持不变。"

    return _step(request, pk, call=call, form=form)


@section_required(*ALL_SECTIONS)
def inspection_photo(request, pk, photo_pk):
    """One photo of the inspection, to those who may read it (never a public /media/ address), as
    stored: its type from the receipt, never sniffed, shown inline."""
    inspection = queries.inspection_for_user(request.user, pk)
    photo = inspection.photos.filter(pk=photo_pk).first()
    if photo is None or not photo.file:
        raise Http404("未找到该照片。")
    response = FileResponse(photo.file.open("rb"), content_type=photo.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = "inline"
    response["Cache-Control"] = "private, max-age=3600"
    return response


@section_required(*ALL_SECTIONS)
def inspection_pdf(request, pk):
    """现场检查记录 as a PDF (``inspections.documents``): every point, note, photo and hash."""
    inspection = queries.inspection_detail(request.user, pk)
    return pdf_response(record_pdf(inspection), pdf_filenames(inspection))
