"""Public pages without login (R-PUB-1), mounted under ``/public/``: nothing confidential ever appears."""

from django.urls import path

from reports.views import public

app_name = "public"
urlpatterns = [
    path("", public.index, name="index"),
    path("draws/", public.draw_list, name="draw-list"),
    # Before ``draws/<number>/``: the script's name is not a draw number.
    path("draws/sampling.py", public.sampling_script, name="sampling-script"),
    path("draws/<str:number>/", public.draw_detail, name="draw-detail"),
    path("draws/<str:number>/pool.txt", public.draw_pool, name="draw-pool"),
]
