"""Public pages without login (R-PUB-1), mounted under ``/public/``: nothing confidential ever appears."""

from django.urls import path

from reports.views import public, public_disclosure

app_name = "public"
urlpatterns = [
    path("", public.index, name="index"),
    path("draws/", public.draw_list, name="draw-list"),
    # Before ``draws/<number>/``: the script's name is not a draw number.
    path("draws/sampling.py", public.sampling_script, name="sampling-script"),
    path("draws/<str:number>/", public.draw_detail, name="draw-detail"),
    path("draws/<str:number>/pool.txt", public.draw_pool, name="draw-pool"),
    path("permits/", public_disclosure.permit_list, name="permit-list"),
    path("penalties/", public_disclosure.penalty_list, name="penalty-list"),
    path("typical-cases/", public_disclosure.typical_case_list, name="typical-case-list"),
    path("typical-cases/<int:pk>/", public_disclosure.typical_case_detail, name="typical-case-detail"),
    path("rates/", public_disclosure.rates, name="rates"),
    path("api/permits/", public_disclosure.api_permits, name="api-permits"),
    path("api/penalties/", public_disclosure.api_penalties, name="api-penalties"),
    path("api/typical-cases/", public_disclosure.api_typical_cases, name="api-typical-cases"),
    path("api/rates/", public_disclosure.api_rates, name="api-rates"),
]
