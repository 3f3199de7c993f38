"""排污许可证 under /api/v1/permits/: permits with their derived state (R-PER-1), issuing, and their
events (R-PER-1, 003 第十条), kept by the approval section (R-ORG-2)."""

from datetime import timedelta

import django_filters
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from bureau.web import MAX_ID
from permits import queries, rules
from permits.api.common import ERRORS, KeepsRecord, RegistryViewSet
from permits.api.serializers import (
    PermitEventRecordSerializer,
    PermitEventSerializer,
    PermitIssueSerializer,
    PermitSerializer,
)
from permits.models import Permit, PermitState
from permits.services.permits import issue_permit, record_permit_event


class PermitFilter(django_filters.FilterSet):
    """Filters over ``queries.with_state``-annotated permits (the state is derived, R-PER-1)."""

    facility = django_filters.NumberFilter(field_name="facility_id", label="排污单位", min_value=1, max_value=MAX_ID)
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
