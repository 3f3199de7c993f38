"""排污单位 under /api/v1/facilities/: list and detail for every section (a town its own, R-ORG-3),
registration by source code, credit code + site number or permit number (R-FAC-1) and changes by the
section that keeps each field (R-ORG-2)."""

from django.db.models import F
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated
from rest_framework.response import Response

from bureau.access import in_sections
from permits import queries, rules
from permits.api.common import ERRORS, RegistryViewSet
from permits.api.serializers import (
    FACILITY_COLUMNS,
    FacilityChangeSerializer,
    FacilityRegistrationSerializer,
    FacilitySerializer,
    facility_row,
)
from permits.filters import FacilityFilter
from permits.models import Facility
from permits.services.facilities import register_facility, update_facility

# The sections that keep some part of a facility (R-ORG-2); every other section only reads it.
FACILITY_KEEPERS = frozenset(rules.FIELD_OWNERS.values())
FACILITY_READ_ONLY = (
    "排污单位信息由"
    + "、".join(name for code, name in rules.SECTION_NAMES.items() if code in FACILITY_KEEPERS)
    + "分别维护，您所在的科室只能查看，不能修改。"
)


class MayChangeFacilities(BasePermission):
    """Reads for every section (scoped by the queryset); writes only for a section that keeps a part
    of the facility (R-ORG-2). Which part is decided field by field in the service."""

    message = FACILITY_READ_ONLY

    def has_permission(self, request, view):
        return request.method in SAFE_METHODS or in_sections(request.user, FACILITY_KEEPERS)


@extend_schema(tags=["排污单位"])
@extend_schema_view(
    list=extend_schema(
        summary="排污单位列表",
        description="街镇（园区）用户只看到本辖区的单位（R-ORG-3）。",
    ),
    retrieve=extend_schema(summary="排污单位详情", responses={200: FacilitySerializer, 404: ERRORS[404]}),
)
class FacilityViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, RegistryViewSet):
    queryset = Facility.objects.none()  # the schema's model; requests use get_queryset
    serializer_class = FacilitySerializer
    filterset_class = FacilityFilter
    permission_classes = [IsAuthenticated, MayChangeFacilities]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Facility.objects.none()
        return queries.visible_facilities(self.request.user).select_related("town", "unit")

    def get_object(self):
        return queries.facility_for_user(self.request.user, self.kwargs["pk"])

    def list(self, request):
        # The page as plain values (no model instances), written as FacilitySerializer writes a
        # facility (issue 15: the instances and the generic serializer cost more than the SQL).
        facilities = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(
            facilities.values(*FACILITY_COLUMNS, town_name=F("town__name"), unit_name=F("unit__name"))
        )
        return self.get_paginated_response([facility_row(values) for values in page])

    @extend_schema(
        summary="登记排污单位（按污染源编码新建或更新）",
        description=(
            "排污单位是单位的一个污染源（厂区），以污染源编码（统一社会信用代码 + 3 位序号）认定（R-FAC-1）。"
            "可填写污染源编码；或统一社会信用代码加污染源序号；或许可证编号（前 21 位即污染源编码）。"
            "同一单位的另一序号是另一个污染源。编码已存在时更新带来的字段并返回 200，否则新建并返回 201。"
            "各科室只能填写本科室维护的字段（R-ORG-2）。"
        ),
        request=FacilityRegistrationSerializer,
        responses={201: FacilitySerializer, 200: FacilitySerializer, 400: ERRORS[400], 403: ERRORS[403]},
    )
    def create(self, request):
        values = self.valid_data(FacilityRegistrationSerializer)
        registered = register_facility(by=request.user, values=values, source="接口")
        answer = status.HTTP_201_CREATED if registered.created else status.HTTP_200_OK
        return Response(FacilitySerializer(registered.facility).data, status=answer)

    @extend_schema(
        summary="修改排污单位信息",
        description="只能修改本科室维护的字段（R-ORG-2）；修改其他科室的字段返回 403，并说明由哪个科室维护。",
        request=FacilityChangeSerializer,
        responses={200: FacilitySerializer, **ERRORS},
    )
    def partial_update(self, request, pk=None):
        facility = self.get_object()
        changes = self.valid_data(FacilityChangeSerializer, partial=True)
        facility = update_facility(facility=facility, by=request.user, changes=changes)
        return Response(FacilitySerializer(facility).data)
