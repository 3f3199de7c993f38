"""Routes of the registry API, included under /api/v1/ by ``config.urls``."""

from rest_framework.routers import DefaultRouter

from bureau.api import FileActionRoutes
from permits.api.execution_reports import ExecutionReportViewSet, FeedbackNoticeViewSet
from permits.api.facilities import FacilityViewSet
from permits.api.permits import PermitViewSet
from permits.api.quality import QualityCheckViewSet
from permits.api.rectifications import RectificationViewSet


class RegistryRouter(FileActionRoutes, DefaultRouter):
    """The default routes; a file-like action (``notice.pdf``) gets no trailing slash. No ``.json``
    suffix routes (issue 14: they work or do not exist): the other routers of /api/v1/ have none, and
    the actions here did not take the ``format`` argument, so ``/facilities.json`` answered a POST
    with 500. The client asks for JSON with ``Accept``."""

    include_format_suffixes = False


router = RegistryRouter()
router.register("facilities", FacilityViewSet, basename="api-facility")
router.register("permits", PermitViewSet, basename="api-permit")
router.register("rectifications", RectificationViewSet, basename="api-rectification")
router.register("quality-checks", QualityCheckViewSet, basename="api-quality-check")
router.register("execution-reports", ExecutionReportViewSet, basename="api-execution-report")
router.register("feedback-notices", FeedbackNoticeViewSet, basename="api-feedback-notice")
urlpatterns = router.urls
