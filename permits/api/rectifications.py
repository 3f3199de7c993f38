"""限期整改问题台账 under /api/v1/rectifications/: the ledger of every source with derived overdue flags,
progress notes and 销号 (R-PER-3), kept by the approval section (R-ORG-2). Items are opened by the
services of their sources, not here."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from permits import queries
from permits.api.common import CONFLICT, ERRORS, KeepsRecord, RegistryViewSet
from permits.api.serializers import (
    CloseRectificationSerializer,
    ProgressNoteSerializer,
    RectificationProgressSerializer,
    RectificationSerializer,
)
from permits.filters import RectificationFilter
from permits.models import RectificationItem
from permits.services.rectification import close_rectification, note_rectification_progress


@extend_schema(tags=["限期整改问题台账"])
@extend_schema_view(
    list=extend_schema(
        summary="限期整改问题台账",
        description=(
            "各来源的问题（核发质量检查、许可证整改要求、执法检查发现、执行报告审核、其他）都在同一台账中，"
            "source_kind 为来源，source_key 指回来源记录，可按二者筛选；是否逾期按整改期限和今天推算（R-PER-3）。"
        ),
    ),
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
