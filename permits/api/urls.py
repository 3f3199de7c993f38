"""Routes of the registry API, included under /api/v1/ by ``config.urls``."""

from rest_framework.routers import DefaultRouter

from permits.api.facilities import FacilityViewSet
from permits.api.permits import PermitViewSet
from permits.api.quality import QualityCheckViewSet
from permits.api.rectifications import RectificationViewSet

router = DefaultRouter()
router.register("facilities", FacilityViewSet, basename="api-facility")
router.register("permits", PermitViewSet, basename="api-permit")
router.register("rectifications", RectificationViewSet, basename="api-rectification")
router.register("quality-checks", QualityCheckViewSet, basename="api-quality-check")
urlpatterns = router.urls
