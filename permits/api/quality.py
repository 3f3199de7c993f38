"""核发质量检查 under /api/v1/quality-checks/: checks with their findings, each a rectification item
(R-PER-3, 002 五, 001 一), recorded by the approval section (R-ORG-2)."""

import django_filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from bureau.web import MAX_ID
from permits import queries
from permits.api.common import ERRORS, KeepsRecord, RegistryViewSet
from permits.api.serializers import QualityCheckRecordSerializer, QualityCheckSerializer
from permits.models import CheckMethod, CheckSelection, QualityCheck
from permits.services.quality import record_quality_check


class QualityCheckFilter(django_filters.FilterSet):
    facility = django_filters.NumberFilter(field_name="facility_id", label="排污单位", min_value=1, max_value=MAX_ID)
    permit = django_filters.NumberFilter(field_name="permit_id", label="排污许可证", min_value=1, max_value=MAX_ID)
    method = django_filters.ChoiceFilter(choices=CheckMethod.choices, label="检查方式")
    selection = django_filters.ChoiceFilter(choices=CheckSelection.choices, label="选取方式")

    class Meta:
        model = QualityCheck
        fields = ["facility", "permit", "method", "selection"]


@extend_schema(tags=["核发质量检查"])
@extend_schema_view(
    list=extend_schema(
        summary="核发质量检查列表",
        description="每次检查连同发现的问题（各为一项限期整改问题）；街镇（园区）用户只看到本辖区的单位（R-ORG-3）。",
    ),
    retrieve=extend_schema(
        summary="核发质量检查详情", responses={200: QualityCheckSerializer, 404: ERRORS[404]}
    ),
)
class QualityCheckViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, RegistryViewSet):
    queryset = QualityCheck.objects.none()
    serializer_class = QualityCheckSerializer
    filterset_class = QualityCheckFilter
    permission_classes = [IsAuthenticated, KeepsRecord]
    kept_record = "quality_check"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return QualityCheck.objects.none()
        return queries.visible_quality_checks(self.request.user)

    @extend_schema(
        summary="登记核发质量检查",
        description=(
            "由行政审批服务科登记（R-PER-3）。每项发现的问题列入限期整改台账，整改期限按工作日计算"
            "（R-CAL-1）；未发现问题的，须在检查结论 summary 中写明。某一项问题的错误以 findings[序号].字段 "
            "为键（序号从 1 起）。"
        ),
        request=QualityCheckRecordSerializer,
        responses={201: QualityCheckSerializer, 400: ERRORS[400], 403: ERRORS[403]},
    )
    def create(self, request):
        data = self.valid_data(
            QualityCheckRecordSerializer,
            facilities=queries.visible_facilities(request.user),
            permits=queries.visible_permits(request.user),
        )
        check = record_quality_check(by=request.user, **data)
        return Response(self.get_serializer(self.object_by_id(check.pk)).data, status=status.HTTP_201_CREATED)
