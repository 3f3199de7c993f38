"""The officer's form on a phone (R-INS-6, R-INS-7, R-INS-8): the checklist point by point, grouped by
part, with the facility's registry data and last inspection's answer beside each point; photos; the
representative and the summary.

With its script (``static/js/inspection-form.js``) every change is kept in the browser and sent through
the API as the officer goes. Without it the page is plain forms: each point posts here and the details
post to ``inspection-details``, and the answer is the page again. Only the inspection's officers fill
it; anyone else who may see the inspection, and everyone once it is signed, is sent to its record.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from bureau.access import section_required
from bureau.errors import Conflict
from bureau.web import record_id, submit_step
from inspections import queries, rules
from inspections.models import ChecklistPoint, Conduct, Disposition, FindingKind, InspectionState, Verdict
from inspections.services.common import SIGNED, SIGNING, is_officer, require_officer
from inspections.services.inspections import save_answer, update_inspection_details

ANSWER_FIELDS = (
    "verdict",
    "note",
    "finding_kind",
    "disposition",
    "deadline_workdays",
    "responsible_person",
    "conduct",
)
# Only a 不符合 carries these; a plain form posts the class select with every verdict.
NONCOMPLIANT_ONLY = ("finding_kind", "disposition", "deadline_workdays", "responsible_person", "conduct")


class DetailsForm(forms.Form):
    representative_name = forms.CharField(label="企业现场负责人", max_length=50, required=False)
    representative_title = forms.CharField(label="职务", max_length=50, required=False)
    summary = forms.CharField(label="检查情况小结", required=False, widget=forms.Textarea(attrs={"rows": 4}))


def _shown(answer) -> dict:
    """What a point's controls show: the saved answer, or nothing yet."""
    return {field: getattr(answer, field, "") if answer else "" for field in ANSWER_FIELDS}


def _render(request, inspection, *, details_form=None, posted=None, status=200, alert=""):
    """The form page. ``posted`` is one point's refused answer, ``(point_id, values, errors)``, shown
    as typed with the errors beside it."""
    data = queries.permit_data(inspection.facility, timezone.localdate())
    points = []
    for part in inspection.part_list:
        for point in part.points.all():
            point.permit_lines = data.get(point.permit_data, []) if point.permit_data else []
            point.shown = _shown(point.answer)
            point.errors = []
            if posted and posted[0] == point.pk:
                point.shown, point.errors = posted[1], posted[2]
            points.append(point)
    locked = inspection.state != InspectionState.DRAFT
    context = {
        "inspection": inspection,
        "locked": locked,
        "locked_reason": SIGNED if inspection.is_signed else SIGNING if locked else "",
        "details_form": details_form
        or DetailsForm(
            initial={
                "representative_name": inspection.representative_name,
                "representative_title": inspection.representative_title,
                "summary": inspection.summary,
            }
        ),
        "verdicts": [c for c in Verdict.choices if c[0]],
        "dispositions": [c for c in Disposition.choices if c[0]],
        "finding_kinds": FindingKind.choices,
        "conducts": [c for c in Conduct.choices if c[0]],
        "max_deadline": rules.MAX_DEADLINE_WORKDAYS,
        "point_count": len(points),
        "answered_count": sum(1 for p in points if p.answer and p.answer.verdict),
        "alert": alert,
        "config": {
            "inspection": inspection.pk,
            "answersUrl": reverse("api-inspection-answers", args=[inspection.pk]),
            "photosUrl": reverse("api-inspection-photos", args=[inspection.pk]),
            "locked": locked,
        },
    }
    return render(request, "inspections/form.html", context, status=status)


@section_required()
def inspection_form(request, pk):
    """The form, for the inspection's officers while it is not signed; everyone else who may see the
    inspection goes to its record (404 for those who may not). A POST saves one point (no script)."""
    inspection = queries.inspection_detail(request.user, pk)
    if inspection.is_signed or not is_officer(request.user, inspection):
        return redirect("inspections:inspection-detail", inspection.pk)
    if request.method == "POST":
        return _save_point(request, inspection)
    return _render(request, inspection)


def _posted_answer(request) -> dict:
    values = {field: request.POST.get(field, "").strip() for field in ANSWER_FIELDS}
    values["note"] = request.POST.get("note", "")
    if values["verdict"] != rules.NONCOMPLIANT:
        values.update(dict.fromkeys(NONCOMPLIANT_ONLY, ""))
    elif values["disposition"] != Disposition.RECTIFICATION:
        values.update(deadline_workdays="", responsible_person="")
    return values


def _save_point(request, inspection):
    """One point's answer from the plain form: saved, back to the point; refused, the page again with
    what was typed and why."""
    point = ChecklistPoint.objects.filter(
        pk=record_id(request.POST.get("point")),
        version_id=inspection.checklist_version_id,
    ).first()
    if point is None:
        return _render(request, inspection, status=400, alert="该检查要点不属于本次检查所用的清单版本。")
    values = _posted_answer(request)
    days = values["deadline_workdays"]
    try:
        if days and not days.isdigit():
            raise ValidationError({"deadline_workdays": "整改时限应为整数（工作日）。"})
        save_answer(
            by=request.user,
            inspection=inspection,
            point=point,
            **{**values, "deadline_workdays": int(days) if days else None},
        )
    except ValidationError as error:
        errors = (
            [m for ms in error.message_dict.values() for m in ms]
            if hasattr(error, "error_dict")
            else error.messages
        )
        return _render(request, inspection, posted=(point.pk, values, errors), status=400, alert=errors[0])
    except (PermissionDenied, Conflict) as error:
        status = 403 if isinstance(error, PermissionDenied) else 409
        return _render(
            request, inspection, posted=(point.pk, values, [str(error)]), status=status, alert=str(error)
        )
    messages.success(request, f"已保存第 {point.code} 项。")
    return redirect(reverse("inspections:inspection-form", args=[inspection.pk]) + f"#point-{point.pk}")


@section_required()
@require_POST
def inspection_details(request, pk):
    """The representative's name and title and the summary (``update_inspection_details``)."""
    inspection = queries.inspection_for_user(request.user, pk)
    form = DetailsForm(request.POST)

    def call(data):
        update_inspection_details(by=request.user, inspection=inspection, **data)
        return "已保存企业现场负责人和检查情况小结。"

    def render_again(*, form, status, alert):
        if form is None:  # not an officer: the refusal alone, nothing of the form
            raise PermissionDenied(alert)
        return _render(
            request,
            queries.inspection_detail(request.user, pk),
            details_form=form,
            status=status,
            alert=alert,
        )

    return submit_step(
        request,
        form,
        call=call,
        check=lambda: require_officer(request.user, inspection),
        render_again=render_again,
        success_url=reverse("inspections:inspection-form", args=[inspection.pk]) + "#details",
    )
