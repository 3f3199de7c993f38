"""Pages of checklist inspections, findings, cases and interference records, mounted under
``/inspections/`` by ``config.urls``."""

from django.urls import path

from inspections.views import cases, checklists, findings, form, interference, lists, record

app_name = "inspections"
urlpatterns = [
    path("", lists.inspection_list, name="inspection-list"),
    path("new/", lists.inspection_new, name="inspection-new"),
    path("<int:pk>/", record.inspection_detail, name="inspection-detail"),
    path("<int:pk>/record.pdf", record.inspection_pdf, name="inspection-pdf"),
    path("<int:pk>/photos/<int:photo_pk>/", record.inspection_photo, name="inspection-photo"),
    path("<int:pk>/sign/", record.inspection_sign, name="inspection-sign"),
    path("<int:pk>/withdraw/", record.inspection_withdraw, name="inspection-withdraw"),
    path("<int:pk>/amend/", record.inspection_amend, name="inspection-amend"),
    path("<int:pk>/form/", form.inspection_form, name="inspection-form"),
    path("<int:pk>/form/details/", form.inspection_details, name="inspection-details"),
    path("findings/", findings.finding_list, name="finding-list"),
    path("findings/<int:pk>/task/", findings.finding_task, name="finding-task"),
    path("cases/", cases.case_list, name="case-list"),
    path("cases/new/", cases.case_new, name="case-new"),
    path("cases/<int:pk>/", cases.case_detail, name="case-detail"),
    path("cases/<int:pk>/submit/", cases.case_submit, name="case-submit"),
    path("cases/<int:pk>/reviewer/", cases.case_reviewer, name="case-reviewer"),
    path("cases/<int:pk>/review/", cases.case_review, name="case-review"),
    path("cases/<int:pk>/decide/", cases.case_decide, name="case-decide"),
    path("cases/<int:pk>/reopen/", cases.case_reopen, name="case-reopen"),
    path("interference/", interference.interference_list, name="interference-list"),
    path("interference/new/", interference.interference_new, name="interference-new"),
    path("checklists/", checklists.checklist_list, name="checklist-list"),
    path("checklists/versions/<int:pk>/", checklists.version_detail, name="checklist-version"),
    path("checklists/<int:pk>/revise/", checklists.version_revise, name="checklist-revise"),
    path("checklists/versions/<int:pk>/part/", checklists.part_save, name="checklist-part"),
    path("checklists/versions/<int:pk>/point/", checklists.point_save, name="checklist-point"),
    path("checklists/points/<int:pk>/remove/", checklists.point_remove, name="checklist-point-remove"),
    path("checklists/versions/<int:pk>/publish/", checklists.version_publish, name="checklist-publish"),
]
