from django.urls import path

from grading.views import gradings, registers

app_name = "grading"

urlpatterns = [
    path("", gradings.grading_home, name="grading-home"),
    path("start/", gradings.grading_start, name="grading-start"),
    path("<int:year>/", gradings.grading_detail, name="grading-detail"),
    path("<int:year>/progress.json", gradings.grading_progress, name="grading-progress"),
    path("<int:year>/grades/<int:pk>/override/", gradings.grade_override, name="grade-override"),
    path("<int:year>/cap/", gradings.grading_cap, name="grading-cap"),
    path("<int:year>/confirm/", gradings.grading_confirm, name="grading-confirm"),
    path("<int:year>/results.pdf", gradings.grading_results_pdf, name="grading-results-pdf"),
    path("<int:year>/export.xlsx", gradings.grading_export, name="grading-export"),
    path("facilities/<int:pk>/", gradings.facility_grades, name="facility-grades"),
    path("positive-list/", registers.positive_list, name="positive-list"),
    path("positive-list/export.xlsx", registers.positive_export, name="positive-export"),
    path("positive-list/add/", registers.positive_add, name="positive-add"),
    path("positive-list/<int:pk>/remove/", registers.positive_remove, name="positive-remove"),
    path("positive-list/proposals/<int:pk>/", registers.proposal_decide, name="proposal-decide"),
    path("positive-list/settings/", registers.positive_settings, name="positive-settings"),
    path("credit/", registers.credit_list, name="credit-list"),
    path("credit/export.xlsx", registers.credit_export, name="credit-export"),
    path("credit/new/", registers.credit_record, name="credit-record"),
    path("work-group/", registers.work_group, name="work-group"),
    path("work-group/new/", registers.work_group_post_new, name="work-group-post-new"),
    path("work-group/<int:pk>/hand-over/", registers.work_group_hand_over, name="work-group-hand-over"),
    path("work-group/<int:pk>/retire/", registers.work_group_retire, name="work-group-retire"),
    path("facts/", registers.fact_list, name="fact-list"),
    path("facts/export.xlsx", registers.fact_export, name="fact-export"),
    path("facts/new/", registers.fact_new, name="fact-new"),
    path("facts/<int:pk>/withdraw/", registers.fact_withdraw, name="fact-withdraw"),
    path("facts/<int:pk>/file/", registers.fact_file, name="fact-file"),
]
