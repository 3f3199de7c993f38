"""Pages of checklist inspections, findings, cases and interference records, mounted under
``/inspections/`` by ``config.urls``."""

from django.urls import path

from inspections.views import cases, checklists, draws, findings, form, interference, lists, plan, record

app_name = "inspections"
urlpatterns = [
    path("", lists.inspection_list, name="inspection-list"),
    path("export.xlsx", lists.inspection_export, name="inspection-export"),
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
    path("findings/export.xlsx", findings.finding_export, name="finding-export"),
    path("findings/<int:pk>/task/", findings.finding_task, name="finding-task"),
    path("cases/", cases.case_list, name="case-list"),
    path("cases/export.xlsx", cases.case_export, name="case-export"),
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
    # The inspection plan (R-INS-3, R-INS-4).
    path("plan/", plan.plan_home, name="plan-home"),
    path("plan/settings/", plan.plan_settings, name="plan-settings"),
    path("plan/items/", plan.plan_items, name="plan-items"),
    path("plan/items/export.xlsx", plan.plan_items_export, name="plan-items-export"),
    path("plan/facilities/<int:pk>/", plan.plan_facility, name="plan-facility"),
    path("plan/<int:year>/", plan.plan_year, name="plan-year"),
    path("plan/<int:year>/recompute/", plan.plan_recompute, name="plan-recompute"),
    path("plan/<int:year>/adopt/", plan.plan_adopt, name="plan-adopt"),
    path("plan/<int:year>/<int:month>/", plan.plan_month, name="plan-month"),
    path("plan/<int:year>/<int:month>/make/", plan.plan_month_make, name="plan-month-make"),
    # 双随机一公开 (R-INS-5) and officers' conflicts.
    path("draws/", draws.draw_list, name="draw-list"),
    path("draws/export.xlsx", draws.draw_export, name="draw-export"),
    path("draws/new/", draws.draw_new, name="draw-new"),
    path("draws/<int:pk>/", draws.draw_detail, name="draw-detail"),
    path("draws/<int:pk>/run/", draws.draw_run, name="draw-run"),
    path("draws/<int:pk>/cancel/", draws.draw_cancel, name="draw-cancel"),
    path("draws/<int:pk>/pool.txt", draws.draw_pool, name="draw-pool"),
    path("conflicts/", draws.conflict_list, name="conflict-list"),
    path("conflicts/new/", draws.conflict_new, name="conflict-new"),
    path("conflicts/<int:pk>/end/", draws.conflict_end, name="conflict-end"),
]
