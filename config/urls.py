from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from bureau.accounts.token_views import ObtainTokenView
from bureau.accounts.views import LoginView
from bureau.api import WorkdaysView
from config.health import healthz

admin.site.site_header = "排污许可证后管理系统 · 系统管理"
admin.site.site_title = "排污许可证后管理系统"
admin.site.index_title = "系统管理"

api_v1 = [
    path("auth/token/", ObtainTokenView.as_view(), name="api-token"),
    path("calendar/workdays/", WorkdaysView.as_view(), name="api-workdays"),
    path("", include("permits.api.urls")),
    path("", include("linkage.api_tasks")),
    path("", include("meetings.api")),
    path("", include("complaints.api")),
    path("", include("inspections.api.urls")),
    path("", include("grading.api")),
]

urlpatterns = [
    path("", include("bureau.urls")),
    path("", include("permits.urls")),
    path("imports/", include("permits.imports.urls")),
    path("linkage/", include("linkage.urls")),
    path("meetings/", include("meetings.urls")),
    path("complaints/", include("complaints.urls")),
    path("inspections/", include("inspections.urls")),
    path("monitoring/", include("monitoring.urls")),
    path("grading/", include("grading.urls")),
    path("reports/", include("reports.urls")),
    path("public/", include("reports.public_urls")),
    path("healthz", healthz, name="healthz"),
    path("login/", LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("bureau.accounts.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    # The API's documentation is for the bureau's staff and integrators: the schema answers logged-in
    # users and token holders (SPECTACULAR_SETTINGS["SERVE_PERMISSIONS"]); the pages send others to
    # the login page. Swagger UI loads its assets from drf-spectacular-sidecar, never a CDN. Redoc is
    # left out: its bundle fetches its footer logo from cdn.redoc.ly.
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", login_required(SpectacularSwaggerSplitView.as_view(url_name="api-schema")), name="api-docs"),
]

# Error pages in Chinese (templates/400.html, 403.html, 404.html, 413.html, 500.html) for browsers, JSON
# with a Chinese "detail" under /api/ (bureau.errors); a failed CSRF check gets its own Chinese page
# through settings.CSRF_FAILURE_VIEW.
handler400 = "bureau.errors.bad_request"
handler403 = "bureau.errors.permission_denied"
handler404 = "bureau.errors.page_not_found"
handler500 = "bureau.errors.server_error"
