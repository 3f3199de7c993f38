"""What the registry's API views share: the documented error answers, the per-record write check
(R-ORG-2) and the base view set that fixes ``today`` once per request."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse
from rest_framework.generics import get_object_or_404
from rest_framework.permissions import SAFE_METHODS, BasePermission

from bureau.api import OneDayViewSet, error_responses
from permits.services.permits import assert_keeps

ERRORS = error_responses(
    forbidden="您所在的科室无权进行此操作（detail 说明由哪个科室维护）",
    not_found="不存在，或不在您的辖区内（两者答复相同）",
)
CONFLICT = {409: OpenApiResponse(OpenApiTypes.OBJECT, description="该问题已销号，操作与当前状态冲突")}


class KeepsRecord(BasePermission):
    """Writes only for the section that keeps the view's ``kept_record`` (R-ORG-2). Checked before the
    body is read, so a section that may not write is told so even when its body is also wrong."""

    def has_permission(self, request, view):
        if request.method not in SAFE_METHODS:
            assert_keeps(request.user, view.kept_record)  # PermissionDenied naming the keeping section
        return True


class RegistryViewSet(OneDayViewSet):
    """The registry's resources: one day per request and validated input (``OneDayViewSet``)."""

    def get_object(self):
        return self.object_by_id(self.kwargs["pk"])

    def object_by_id(self, pk):
        # Filters are for lists: a detail answers by id alone, 404 for missing and not-visible alike.
        return get_object_or_404(self.get_queryset(), pk=pk)
