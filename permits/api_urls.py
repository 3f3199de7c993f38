"""Routes of the registry API, included under /api/v1/ by ``config.urls``."""

from rest_framework.routers import DefaultRouter

from permits.api import FacilityViewSet, PermitViewSet, QualityCheckViewSet, RectificationViewSet

router = DefaultRouter()
router.register("facilities", FacilityViewSet, basename="api-facility")
router.register("permits", PermitViewSet, basename="api-permit")
router.register("rectifications", RectificationViewSet, basename="api-rectification")
router.register("quality-checks", QualityCheckViewSet, basename="api-quality-check")
urlpatterns = router.urls
