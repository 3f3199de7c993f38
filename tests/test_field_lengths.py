"""Text fields are length-limited in the API and the forms exactly as in the model columns they write
(ASVS 5.1.3): a longer value is a 400 with the field named, never a database error (on PostgreSQL an
over-long value is a DataError, a 500). Model serializers and model forms are walked; serializers and
forms that are not tied to a model declare what they write in ``WRITES``."""

import importlib
import inspect
import pkgutil

import pytest
from django import forms
from django.apps import apps
from django.db import models
from rest_framework import serializers

from complaints import api as complaint_api
from complaints.models import Complaint, ComplaintReporter
from complaints.views import forms as complaint_forms
from grading import register_forms as grading_register_forms
from grading import serializers as grading_api
from grading.models import CreditRecord, GradingFact, PositiveListEntry, PositiveListProposal, WorkGroupPost
from grading.services import positive
from inspections import case_forms, draw_forms, plan_forms
from inspections import forms as inspection_forms
from inspections.api import case_serializers as case_api
from inspections.api import field as field_api
from inspections.api import serializers as inspection_api
from inspections.models import (
    Amendment,
    AnnualPlan,
    Answer,
    Case,
    Checklist,
    ChecklistPart,
    ChecklistPoint,
    ChecklistVersion,
    Inspection,
    InterferenceRecord,
    OfficerConflict,
    RandomDraw,
)
from inspections.views import checklists as checklist_forms
from inspections.views import form as inspection_page_forms
from linkage import task_serializers as task_api
from linkage.models import Assignment, LinkageTask
from meetings import annual_forms as meeting_annual_forms
from meetings import api as meeting_api
from meetings import views as meeting_forms
from meetings.models import AnnualMeeting, AnnualMeetingAttendance, DispatchMeeting, StudySession
from monitoring import forms as monitoring_forms
from monitoring.models import MonitoringResult, MonitoringTask
from permits.api import serializers as permit_api
from permits.models import Facility, Permit, PermitEvent, Unit
from reports.models import Summary, TypicalCase
from reports.views import summary as summary_forms
from reports.views import typical as typical_forms
from tests.factories.complaints import ComplaintFactory
from tests.factories.permits import FacilityFactory, credit_code

APPS = ["bureau", "permits", "linkage", "meetings", "complaints", "inspections", "monitoring", "grading", "reports"]

# Serializers and forms that are not tied to a model, field by field, and the column the service stores
# the value in as typed. (Fields whose value only goes into a text column, a history reason — cut to fit
# by bureau.history — or a composed sentence the service cuts itself are not listed.)
WRITES = {
    (permit_api.FacilityChangeSerializer, "name"): (Facility, "name"),
    (permit_api.FacilityChangeSerializer, "address"): (Facility, "address"),
    (permit_api.FacilityChangeSerializer, "industry_name"): (Facility, "industry_name"),
    (permit_api.FacilityChangeSerializer, "contact_person"): (Facility, "contact_person"),
    (permit_api.FacilityChangeSerializer, "contact_phone"): (Facility, "contact_phone"),
    (permit_api.FacilityChangeSerializer, "eia_document_no"): (Facility, "eia_document_no"),
    (permit_api.FacilityRegistrationSerializer, "name"): (Facility, "name"),
    (permit_api.FacilityRegistrationSerializer, "unit_name"): (Unit, "name"),
    (permit_api.PermitIssueSerializer, "number"): (Permit, "number"),
    (permit_api.PermitIssueSerializer, "document_no"): (PermitEvent, "document_no"),
    (permit_api.PermitEventRecordSerializer, "document_no"): (PermitEvent, "document_no"),
    (permit_api.PermitEventRecordSerializer, "note"): (PermitEvent, "note"),
    (permit_api.PermitEventRecordSerializer, "notice_no"): (PermitEvent, "notice_no"),
    (task_api.TaskStartSerializer, "remarks"): (LinkageTask, "remarks"),
    (task_api.TaskReceiveSerializer, "remarks"): (Assignment, "execution_remarks"),
    (task_api.TaskFeedbackSerializer, "remarks"): (Assignment, "feedback_remarks"),
    (task_api.TaskPaperRowSerializer, "execution_remarks"): (Assignment, "execution_remarks"),
    (task_api.TaskPaperRowSerializer, "feedback_remarks"): (Assignment, "feedback_remarks"),
    # complaints
    (complaint_api.ComplaintCreateSerializer, "reporter_name"): (ComplaintReporter, "name"),
    (complaint_api.ComplaintCreateSerializer, "reporter_id_number"): (ComplaintReporter, "id_number"),
    (complaint_api.ComplaintCreateSerializer, "reporter_phone"): (ComplaintReporter, "phone"),
    (complaint_api.ComplaintCreateSerializer, "reporter_address"): (ComplaintReporter, "address"),
    (complaint_forms.ComplaintForm, "reporter_name"): (ComplaintReporter, "name"),
    (complaint_forms.ComplaintForm, "reporter_id_number"): (ComplaintReporter, "id_number"),
    (complaint_forms.ComplaintForm, "reporter_phone"): (ComplaintReporter, "phone"),
    (complaint_forms.ComplaintForm, "reporter_address"): (ComplaintReporter, "address"),
    (complaint_forms.ReporterForm, "reporter_name"): (ComplaintReporter, "name"),
    (complaint_forms.ReporterForm, "reporter_id_number"): (ComplaintReporter, "id_number"),
    (complaint_forms.ReporterForm, "reporter_phone"): (ComplaintReporter, "phone"),
    (complaint_forms.ReporterForm, "reporter_address"): (ComplaintReporter, "address"),
    (complaint_forms.TaskForm, "remarks"): (LinkageTask, "remarks"),
    # grading
    (grading_api.PositiveAddInput, "reason"): (PositiveListEntry, "reason"),
    (grading_api.ReasonInput, "reason"): (PositiveListEntry, "removal_reason"),
    (grading_api.DecideInput, "note"): (PositiveListProposal, "decision_note"),
    (grading_api.CreditInput, "source"): (CreditRecord, "source"),
    (grading_api.CreditInput, "note"): (CreditRecord, "note"),
    (grading_register_forms.PositiveAddForm, "reason"): (PositiveListEntry, "reason"),
    (grading_register_forms.ReasonForm, "reason"): (PositiveListEntry, "removal_reason"),
    (grading_register_forms.ProposalDecisionForm, "note"): (PositiveListProposal, "decision_note"),
    (grading_register_forms.CreditRecordForm, "source"): (CreditRecord, "source"),
    (grading_register_forms.CreditRecordForm, "note"): (CreditRecord, "note"),
    (grading_register_forms.PostForm, "title"): (WorkGroupPost, "title"),
    (grading_register_forms.FactForm, "evidence"): (GradingFact, "evidence"),
    # inspections
    (inspection_api.InspectionStartSerializer, "source_reference"): (Inspection, "source_reference"),
    (inspection_api.AmendmentCreateSerializer, "field"): (Amendment, "field"),
    (field_api.AnswerInputSerializer, "responsible_person"): (Answer, "responsible_person"),
    (case_api.CaseOpenSerializer, "summary"): (Case, "summary"),
    (case_api.CaseDecideSerializer, "decision_no"): (Case, "decision_no"),
    (case_api.CaseDecideSerializer, "police_office"): (Case, "police_office"),
    (inspection_forms.InspectionStartForm, "source_reference"): (Inspection, "source_reference"),
    (inspection_forms.FindingTaskForm, "remarks"): (LinkageTask, "remarks"),
    (inspection_page_forms.DetailsForm, "representative_name"): (Inspection, "representative_name"),
    (inspection_page_forms.DetailsForm, "representative_title"): (Inspection, "representative_title"),
    (checklist_forms.ChecklistForm, "code"): (Checklist, "code"),
    (checklist_forms.ChecklistForm, "name"): (Checklist, "name"),
    (checklist_forms.ChecklistForm, "source"): (Checklist, "source"),
    (checklist_forms.RevisionForm, "note"): (ChecklistVersion, "note"),
    (checklist_forms.PartForm, "title"): (ChecklistPart, "title"),
    (checklist_forms.PointForm, "code"): (ChecklistPoint, "code"),
    (checklist_forms.PointForm, "legal_basis"): (ChecklistPoint, "legal_basis"),
    (case_forms.OpenCaseForm, "summary"): (Case, "summary"),
    (case_forms.DecisionForm, "decision_no"): (Case, "decision_no"),
    (case_forms.DecisionForm, "police_office"): (Case, "police_office"),
    (case_forms.InterferenceForm, "interferer"): (InterferenceRecord, "interferer"),
    (case_forms.InterferenceForm, "method"): (InterferenceRecord, "method"),
    (plan_forms.AdoptForm, "document_no"): (AnnualPlan, "document_no"),
    (plan_forms.AdoptForm, "note"): (AnnualPlan, "note"),
    (draw_forms.DrawForm, "title"): (RandomDraw, "title"),
    (draw_forms.CancelDrawForm, "reason"): (RandomDraw, "cancel_reason"),
    (draw_forms.ConflictForm, "reason"): (OfficerConflict, "reason"),
    # meetings
    (meeting_api.ExtraMeetingSerializer, "topic"): (DispatchMeeting, "topic"),
    (meeting_api.ExtraMeetingSerializer, "location"): (DispatchMeeting, "location"),
    (meeting_api.ExtraMeetingSerializer, "attendees"): (DispatchMeeting, "attendees"),
    (meeting_api.StudySessionRecordSerializer, "topic"): (StudySession, "topic"),
    (meeting_api.StudySessionRecordSerializer, "speaker"): (StudySession, "speaker"),
    (meeting_forms.ExtraMeetingForm, "topic"): (DispatchMeeting, "topic"),
    (meeting_forms.ExtraMeetingForm, "location"): (DispatchMeeting, "location"),
    (meeting_forms.ExtraMeetingForm, "attendees"): (DispatchMeeting, "attendees"),
    (meeting_forms.ScheduleForm, "location"): (DispatchMeeting, "location"),
    (meeting_forms.MinutesForm, "location"): (DispatchMeeting, "location"),
    (meeting_forms.MinutesForm, "attendees"): (DispatchMeeting, "attendees"),
    (meeting_forms.StudyForm, "topic"): (StudySession, "topic"),
    (meeting_forms.StudyForm, "speaker"): (StudySession, "speaker"),
    (meeting_annual_forms.PlanForm, "location"): (AnnualMeeting, "location"),
    (meeting_annual_forms.PlanForm, "notice_number"): (AnnualMeeting, "notice_number"),
    (meeting_annual_forms.AttendanceForm, "principal"): (AnnualMeetingAttendance, "principal"),
    (meeting_annual_forms.AttendanceForm, "absence_reason"): (AnnualMeetingAttendance, "absence_reason"),
    # reports (no write API)
    (typical_forms.TypicalCaseForm, "title"): (TypicalCase, "title"),
    (typical_forms.WithdrawForm, "reason"): (TypicalCase, "withdraw_reason"),
    (summary_forms.SendForm, "sent_to"): (Summary, "sent_to"),
    # monitoring (no write API)
    (monitoring_forms.ResultForm, "pollutant"): (MonitoringResult, "pollutant"),
    (monitoring_forms.ResultForm, "unit"): (MonitoringResult, "unit"),
    (monitoring_forms.WithdrawForm, "reason"): (MonitoringTask, "withdrawn_reason"),
}


def _project_classes():
    classes = set()
    for app in APPS:
        package = importlib.import_module(app)
        names = [app] + [
            info.name
            for info in pkgutil.walk_packages(package.__path__, app + ".")
            if ".migrations" not in info.name and ".management" not in info.name
        ]
        for name in names:
            for _, cls in inspect.getmembers(importlib.import_module(name), inspect.isclass):
                if cls.__module__.split(".")[0] in APPS and issubclass(
                    cls, serializers.ModelSerializer | forms.ModelForm
                ):
                    classes.add(cls)
    return sorted(classes, key=lambda c: f"{c.__module__}.{c.__name__}")


def _model_bound_text_fields():
    """(class, field name, its max_length, the model column's) for every writable text field of a
    model serializer or model form that maps onto a CharField of its model."""
    for cls in _project_classes():
        if issubclass(cls, forms.ModelForm):
            model, fields = cls._meta.model, cls.base_fields
        else:
            model, fields = cls.Meta.model, cls().get_fields()
        for name, field in fields.items():
            if getattr(field, "read_only", False) or isinstance(field, serializers.ChoiceField):
                continue
            if not isinstance(field, forms.CharField | serializers.CharField):
                continue
            source = getattr(field, "source", None) or name
            try:
                column = model._meta.get_field(source)
            except Exception:  # noqa: BLE001 - a field the form or serializer computes itself
                continue
            if isinstance(column, models.CharField) and not column.choices:
                yield cls, name, field.max_length, column.max_length


def test_model_serializers_and_forms_limit_text_as_their_columns_do():
    walked = list(_model_bound_text_fields())
    mismatches = [
        f"{cls.__module__}.{cls.__name__}.{name}: {length} ≠ {column}"
        for cls, name, length, column in walked
        if length != column
    ]

    assert len(walked) >= 8  # the walk found the project's writable model-bound text fields
    assert mismatches == []


def _declared(cls, name):
    field = cls.base_fields[name] if issubclass(cls, forms.BaseForm) else cls().fields[name]
    return field.max_length


@pytest.mark.parametrize("cls, name", list(WRITES), ids=lambda v: getattr(v, "__name__", v))
def test_plain_serializers_and_forms_limit_text_as_the_columns_they_write(cls, name):
    model, column = WRITES[(cls, name)]

    assert _declared(cls, name) == model._meta.get_field(column).max_length


def test_every_model_is_a_known_app():
    assert {m._meta.app_label for m in apps.get_models() if m.__module__.split(".")[0] in APPS} <= set(APPS)


@pytest.mark.django_db
def test_an_over_long_value_through_the_api_is_a_400_naming_the_field(api_client, approval_clerk, town_a):
    # given a registration whose name is one character longer than the column
    api_client.force_authenticate(approval_clerk)
    too_long = "长" * (Facility._meta.get_field("name").max_length + 1)

    # when it is posted (on PostgreSQL, written as is, this would be a DataError)
    response = api_client.post(
        "/api/v1/facilities/",
        {"credit_code": credit_code(3), "name": too_long, "town": town_a.name, "industry_code": "2641",
         "industry_name": "涂料制造", "management_level": "key"},
        format="json",
    )

    # then it is refused on that field
    assert response.status_code == 400
    assert "name" in response.json()
    assert not Facility.objects.exists()


# One over-long value per app with a write API, posted as a client would. Run with DATABASE_URL set to
# PostgreSQL to see the difference: there a value written as is would be a DataError, a 500.


def _over(model, column) -> str:
    return "长" * (model._meta.get_field(column).max_length + 1)


@pytest.mark.django_db
def test_complaints_an_over_long_reporter_name_is_a_400_on_the_field(api_client, officer):
    api_client.force_authenticate(officer)
    response = api_client.post(
        "/api/v1/complaints/",
        {"channel": "12369", "received_on": "2026-01-05", "content": "夜间偷排。",
         "reporter_name": _over(ComplaintReporter, "name"), "reporter_phone": "13900000000"},
        format="json",
    )

    assert response.status_code == 400
    assert list(response.json()) == ["reporter_name"]
    assert not Complaint.objects.exists()


@pytest.mark.django_db
def test_complaints_a_long_correction_reason_is_kept_whole_in_the_history(api_client, officer):
    # given a complaint and a reason as long as the API allows (500), longer than simple-history's
    # default reason column (100; SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD makes it a text)
    complaint = ComplaintFactory(by=officer)
    api_client.force_authenticate(officer)

    # when the correction is sent
    response = api_client.patch(
        f"/api/v1/complaints/{complaint.pk}/", {"content": "更正后的内容。", "reason": "因" * 500}, format="json"
    )

    # then it is saved (on PostgreSQL a 100-character column was a DataError) and nothing of why is lost
    assert response.status_code == 200, response.content
    assert complaint.history.first().history_change_reason == "更正投诉信息：" + "因" * 500


@pytest.mark.django_db
def test_grading_an_over_long_positive_list_reason_is_a_400_on_the_field(api_client, legal_clerk, town_a):
    facility = FacilityFactory(n=1, town=town_a)
    listed = FacilityFactory(n=2, town=town_a)
    entry = positive.add(by=legal_clerk, facility=listed, reason="符合条件")
    api_client.force_authenticate(legal_clerk)

    added = api_client.post(
        "/api/v1/positive-list/",
        {"facility": facility.pk, "reason": _over(PositiveListEntry, "reason")},
        format="json",
    )
    removed = api_client.post(
        f"/api/v1/positive-list/{entry.pk}/remove/",
        {"reason": _over(PositiveListEntry, "removal_reason")},
        format="json",
    )

    assert (added.status_code, list(added.json())) == (400, ["reason"])
    # once cut silently to 300 characters; now refused like the form refuses it
    assert (removed.status_code, list(removed.json())) == (400, ["reason"])
    assert list(PositiveListEntry.objects.values_list("facility", "removed_on")) == [(listed.pk, None)]


@pytest.mark.django_db
def test_meetings_an_over_long_topic_is_a_400_on_the_field(api_client, approval_clerk):
    api_client.force_authenticate(approval_clerk)
    response = api_client.post(
        "/api/v1/meetings/",
        {"scheduled_on": "2026-02-16", "topic": _over(DispatchMeeting, "topic")},
        format="json",
    )

    assert (response.status_code, list(response.json())) == (400, ["topic"])
    assert not DispatchMeeting.objects.exists()
