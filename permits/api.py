"""The registry API under /api/v1/: facilities, permits and their events, quality checks with their
findings, the rectification ledger.

Thin, as DESIGN.md asks: reads are scoped by ``permits.queries`` (R-ORG-3: a town's staff get 404 for
another town's records, exactly as for a missing id), write bodies are type-checked by a serializer,
and every write is one service call (R-FAC-1, R-ORG-2, R-PER-1, R-PER-3). The services raise Django's
``ValidationError``, ``PermissionDenied`` and ``bureau.errors.Conflict``, which
``bureau.errors.api_exception_handler`` answers as 400 per field, 403 and 409, in Chinese.
"""

from datetime import timedelta

import django_filters
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated
from rest_framework.response import Response

from bureau.access import in_sections
from permits import queries, rules
from permits.filters import FacilityFilter, RectificationFilter
from permits.models import (
    CheckMethod,
    CheckSelection,
    Facility,
    Permit,
    PermitState,
    QualityCheck,
    RectificationItem,
)
from permits.serializers import (
    CloseRectificationSerializer,
    FacilityChangeSerializer,
    FacilityRegistrationSerializer,
    FacilitySerializer,
    PermitEventRecordSerializer,
    PermitEventSerializer,
    PermitIssueSerializer,
    PermitSerializer,
    ProgressNoteSerializer,
    QualityCheckRecordSerializer,
    QualityCheckSerializer,
    RectificationProgressSerializer,
    RectificationSerializer,
)
from permits.services.facilities import register_facility, update_facility
from permits.services.permits import assert_keeps, issue_permit, record_permit_event
from permits.services.quality import close_rectification, note_rectification_progress, record_quality_check

# The sections that keep some part of a facility (R-ORG-2); every other section only reads it.
FACILITY_KEEPERS = frozenset(rules.FIELD_OWNERS.values())
FACILITY_READ_ONLY = (
    "排污单位信息由"
    + "、".join(name for code, name in rules.SECTION_NAMES.items() if code in FACILITY_KEEPERS)
    + "分别维护，您所在的科室只能查看，不能修改。"
)

ERRORS = {
    400: OpenApiResponse(OpenApiTypes.OBJECT, description="输入有误：按字段列出中文错误信息"),
    403: OpenApiResponse(
        OpenApiTypes.OBJECT, description="您所在的科室无权进行此操作（detail 说明由哪个科室维护）"
    ),
    404: OpenApiResponse(OpenApiTypes.OBJECT, description="不存在，或不在您的辖区内（两者答复相同）"),
}
CONFLICT = {409: OpenApiResponse(OpenApiTypes.OBJECT, description="该问题已销号，操作与当前状态冲突")}


class MayChangeFacilities(BasePermission):
    """Reads for every section (scoped by the queryset); writes only for a section that keeps a part
    of the facility (R-ORG-2). Which part is decided field by field in the service."""

    message = FACILITY_READ_ONLY

    def has_permission(self, request, view):
        return request.method in SAFE_METHODS or in_sections(request.user, FACILITY_KEEPERS)


class KeepsRecord(BasePermission):
    """Writes only for the section that keeps the view's ``kept_record`` (R-ORG-2). Checked before the
    body is read, so a section that may not write is told so even when its body is also wrong."""

    def has_permission(self, request, view):
        if request.method not in SAFE_METHODS:
            assert_keeps(request.user, view.kept_record)  # PermissionDenied naming the keeping section
        return True


class RegistryViewSet(viewsets.GenericViewSet):
    """Fixes ``today`` once per request, so a list, its filters and its derived values agree."""

    def initial(self, request, *args, **kwargs):
        self.today = timezone.localdate()
        super().initial(request, *args, **kwargs)

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "today": getattr(self, "today", None)}

    def valid_data(self, serializer_class, **kwargs) -> dict:
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context(), **kwargs)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def get_object(self):
        return self.object_by_id(self.kwargs["pk"])

    def object_by_id(self, pk):
        # Filters are for lists: a detail answers by id alone, 404 for missing and not-visible alike.
        return get_object_or_404(self.get_queryset(), pk=pk)


# Facilities --------------------------------------------------------------------------------------------


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
        return queries.visible_facilities(self.request.user).select_related("town")

    def get_object(self):
        return queries.facility_for_user(self.request.user, self.kwargs["pk"])

    @extend_schema(
        summary="登记排污单位（按统一社会信用代码新建或更新）",
        description=(
            "一个统一社会信用代码只对应一个排污单位（R-FAC-1）：代码已存在时更新该单位带来的字段并返回 200，"
            "否则新建并返回 201。各科室只能填写本科室维护的字段（R-ORG-2）。"
        ),
        request=FacilityRegistrationSerializer,
        responses={201: FacilitySerializer, 200: FacilitySerializer, 400: ERRORS[400], 403: ERRORS[403]},
    )
    def create(self, request):
        values = self.valid_data(FacilityRegistrationSerializer)
        code = rules.normalise_credit_code(values.get("credit_code", ""))
        # Only the answer's status depends on this look-up: the service decides create or update
        # under its row lock. register_facility does not say which it did.
        existed = Facility.objects.filter(credit_code=code).exists()
        facility, _ = register_facility(by=request.user, values=values, source="接口")
        answer = status.HTTP_200_OK if existed else status.HTTP_201_CREATED
        return Response(FacilitySerializer(facility).data, status=answer)

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


# Permits and their events --------------------------------------------------------------------------------


class PermitFilter(django_filters.FilterSet):
    """Filters over ``queries.with_state``-annotated permits (the state is derived, R-PER-1)."""

    facility = django_filters.NumberFilter(field_name="facility_id", label="排污单位")
    state = django_filters.ChoiceFilter(field_name="state", choices=PermitState.choices, label="状态")
    expiring = django_filters.BooleanFilter(method="by_expiring", label="90 天内到期")

    class Meta:
        model = Permit
        fields = ["facility", "state", "expiring"]

    def by_expiring(self, queryset, name, value):
        """Valid permits that end within the warning window of R-PER-2 (``rules.EXPIRY_WARNING_DAYS``)."""
        if value is None:
            return queryset
        today = timezone.localdate()
        soon = {"state": "valid", "valid_until__lte": today + timedelta(days=rules.EXPIRY_WARNING_DAYS)}
        return queryset.filter(**soon) if value else queryset.exclude(**soon)


@extend_schema(tags=["排污许可证"])
@extend_schema_view(
    list=extend_schema(summary="排污许可证列表", description="状态由许可证事项和有效期推算（R-PER-1）。"),
    retrieve=extend_schema(summary="排污许可证详情", responses={200: PermitSerializer, 404: ERRORS[404]}),
)
class PermitViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, RegistryViewSet):
    queryset = Permit.objects.none()
    serializer_class = PermitSerializer
    filterset_class = PermitFilter
    permission_classes = [IsAuthenticated, KeepsRecord]
    kept_record = "permit"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Permit.objects.none()
        return queries.with_state(queries.visible_permits(self.request.user), self.today)

    def visible_permit(self, pk) -> Permit:
        return get_object_or_404(queries.visible_permits(self.request.user), pk=pk)

    @extend_schema(
        summary="登记核发的排污许可证",
        description="由行政审批服务科登记，同时记录首次申请（或重新申请）事项。",
        request=PermitIssueSerializer,
        responses={201: PermitSerializer, 400: ERRORS[400], 403: ERRORS[403]},
    )
    def create(self, request):
        data = self.valid_data(PermitIssueSerializer, facilities=queries.visible_facilities(request.user))
        permit = issue_permit(by=request.user, **data)
        return Response(PermitSerializer(self.object_by_id(permit.pk)).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="许可证事项列表",
        description="首次申请、变更、延续、注销等事项，按日期排列（R-PER-1）。",
        responses={200: PermitEventSerializer(many=True), 404: ERRORS[404]},
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def events(self, request, pk=None):
        permit = self.visible_permit(pk)
        events = permit.events.select_related("recorded_by")
        return Response(PermitEventSerializer(events, many=True).data)

    @extend_schema(
        summary="登记许可证事项",
        description="不可能发生的事项（如对已吊销的许可证办理延续）返回 400，原因在 kind 字段下（R-PER-1）。",
        request=PermitEventRecordSerializer,
        responses={201: PermitEventSerializer, **ERRORS},
    )
    @events.mapping.post
    def record_event(self, request, pk=None):
        permit = self.visible_permit(pk)
        data = self.valid_data(PermitEventRecordSerializer)
        event = record_permit_event(by=request.user, permit=permit, **data)
        return Response(PermitEventSerializer(event).data, status=status.HTTP_201_CREATED)


# Quality checks -----------------------------------------------------------------------------------------


class QualityCheckFilter(django_filters.FilterSet):
    facility = django_filters.NumberFilter(field_name="facility_id", label="排污单位")
    permit = django_filters.NumberFilter(field_name="permit_id", label="排污许可证")
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


# Rectification ledger ------------------------------------------------------------------------------------


@extend_schema(tags=["限期整改问题台账"])
@extend_schema_view(
    list=extend_schema(summary="限期整改问题台账", description="是否逾期按整改期限和今天推算（R-PER-3）。"),
    retrieve=extend_schema(
        summary="整改问题详情", responses={200: RectificationSerializer, 404: ERRORS[404]}
    ),
)
class RectificationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, RegistryViewSet):
    queryset = RectificationItem.objects.none()
    serializer_class = RectificationSerializer
    filterset_class = RectificationFilter
    permission_classes = [IsAuthenticated, KeepsRecord]
    kept_record = "rectification"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return RectificationItem.objects.none()
        return queries.visible_rectifications(self.request.user).select_related("facility__town")

    @extend_schema(
        summary="登记整改进展",
        request=ProgressNoteSerializer,
        responses={201: RectificationProgressSerializer, **ERRORS, **CONFLICT},
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def progress(self, request, pk=None):
        item = self.get_object()
        data = self.valid_data(ProgressNoteSerializer)
        progress = note_rectification_progress(
            by=request.user, item=item, noted_on=data["noted_on"], note=data.get("note", "")
        )
        return Response(RectificationProgressSerializer(progress).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="整改问题销号",
        description="须填写整改完成证明；已销号的问题再次销号返回 409。",
        request=CloseRectificationSerializer,
        responses={200: RectificationSerializer, **ERRORS, **CONFLICT},
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def close(self, request, pk=None):
        item = self.get_object()
        data = self.valid_data(CloseRectificationSerializer)
        close_rectification(
            by=request.user,
            item=item,
            closed_on=data["closed_on"],
            evidence=data.get("closing_evidence", ""),
            evidence_file=data.get("closing_file"),
        )
        return Response(self.get_serializer(self.get_object()).data)
