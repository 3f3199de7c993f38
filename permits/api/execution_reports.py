"""执行报告 under /api/v1/execution-reports/ and 排污许可执行报告问题反馈意见单 under
/api/v1/feedback-notices/ (R-REP-1…3).

Thin, as DESIGN.md asks: reads are scoped by ``permits.reports.queries`` (a town's staff get 404 for
another town's reports, exactly as for a missing id, R-ORG-3); the receipt state is derived in SQL so
that it filters in the database; a receipt is one call of ``services.receipts.record_receipt``,
审批科 only (its errors become 400/403 in Chinese through ``bureau.errors.api_exception_handler``).
"""

import django_filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import ValidationError as BadQuery
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from bureau.api import PDFRenderer
from bureau.models import Town
from bureau.web import MAX_ID
from permits import queries as registry_queries
from permits.api.common import ERRORS, RegistryViewSet
from permits.api.report_serializers import (
    ExecutionReportSerializer,
    FeedbackNoticeSerializer,
    ReceiptSerializer,
    ReportReviewSerializer,
)
from permits.models import ManagementLevel
from permits.reports import documents, queries, rules
from permits.reports.models import ExecutionReport, FeedbackNotice, NoticeState, PeriodType
from permits.reports.services import receipts
from permits.reports.services.common import require_approval

NOTICE_PDF = OpenApiResponse(
    OpenApiTypes.BINARY, description="排污许可执行报告问题反馈意见单 PDF（A4，嵌入中文字体）"
)


class ExecutionReportFilter(django_filters.FilterSet):
    """Filters over ``queries.with_receipt_state``-annotated reports (R-REP-1)."""

    period_type = django_filters.ChoiceFilter(choices=PeriodType.choices, label="报告类型")
    period = django_filters.CharFilter(
        method="by_period", label="报告期（月度 2026-03，季度 2026-Q1，年度 2026）"
    )
    permit = django_filters.NumberFilter(field_name="permit_id", label="排污许可证", min_value=1, max_value=MAX_ID)
    facility = django_filters.NumberFilter(field_name="facility_id", label="排污单位", min_value=1, max_value=MAX_ID)
    state = django_filters.ChoiceFilter(
        field_name="state", choices=list(rules.RECEIPT_NAMES.items()), label="提交情况"
    )
    town = django_filters.ModelChoiceFilter(
        field_name="facility__town", queryset=Town.objects.all(), label="街镇"
    )
    management_level = django_filters.ChoiceFilter(
        # The permit's level, as the board filters it (a registered unit owes no execution report).
        field_name="permit__management_level",
        choices=[c for c in ManagementLevel.choices if c[0] != "registered"],
        label="管理类别",
    )

    class Meta:
        model = ExecutionReport
        fields = ["period_type", "period", "permit", "facility", "state", "town", "management_level"]

    def by_period(self, queryset, name, value):
        try:
            period = rules.parse_period(value)
        except ValueError as error:
            raise BadQuery({"period": [str(error)]}) from None
        return queryset.filter(period_type=period.type, period_start=period.start)


class RecordsReceipts(BasePermission):
    """Receipts are recorded by 审批科 only (003 第三条、第五条); checked before the body is read."""

    def has_permission(self, request, view):
        if request.method not in SAFE_METHODS:
            require_approval(request.user)  # PermissionDenied with the Chinese reason
        return True


@extend_schema(tags=["执行报告"])
@extend_schema_view(
    list=extend_schema(
        summary="执行报告列表",
        description=(
            "每份许可证按其执行报告频次应交的月度、季度、年度执行报告（R-REP-1）。state 为提交情况，按截止日期、"
            "首次提交日期和今天推算：not_due（未到期）、on_time（按时提交）、late（逾期提交）、missing（逾期未报），"
            "可据以筛选；period 写作 2026-03、2026-Q1 或 2026，格式有误时返回 400。街镇用户只能看到本辖区的报告。"
        ),
    ),
    retrieve=extend_schema(
        summary="执行报告详情", responses={200: ExecutionReportSerializer, 404: ERRORS[404]}
    ),
)
class ExecutionReportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, RegistryViewSet):
    queryset = ExecutionReport.objects.none()
    serializer_class = ExecutionReportSerializer
    filterset_class = ExecutionReportFilter
    permission_classes = [IsAuthenticated, RecordsReceipts]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ExecutionReport.objects.none()
        reports = queries.visible_reports(self.request.user).select_related("permit", "facility")
        return queries.with_receipt_state(reports, self.today)

    @extend_schema(
        summary="登记收到执行报告",
        description=(
            "登记排污单位在全国排污许可证管理信息平台提交的执行报告（R-REP-1）：首次提交为第1版，之后为新版本，"
            "从不修改旧版本（R-REP-3）。仅审批科；许可证不应交该报告期的报告、提交日期晚于今天或早于报告期结束、"
            "排放口不属于该许可证时返回 400，并按字段说明原因。"
        ),
        request=ReceiptSerializer,
        responses={201: ExecutionReportSerializer, **ERRORS},
    )
    def create(self, request):
        data = self.valid_data(ReceiptSerializer)
        permit = registry_queries.visible_permits(request.user).filter(pk=data["permit"]).first()
        if permit is None:
            raise BadQuery({"permit": ["未找到该许可证，或不在您的辖区内。"]})
        version = receipts.record_receipt(
            by=request.user,
            permit=permit,
            period=data["period"],
            received_on=data["received_on"],
            today=self.today,
            platform_ref=data.get("platform_ref", ""),
            note=data.get("note", ""),
            emissions=[receipts.Emission(**row) for row in data.get("emissions", [])],
        )
        report = self.object_by_id(version.report_id)
        return Response(self.get_serializer(report).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="执行报告的最近一轮审核",
        description=(
            "最近一轮完整审核（不含对答复的复核；复核结论体现在问题的状态、复核意见和复核日期上）及其三个科室部分（审批科、生态科、污防科，R-REP-2）：每部分的填写人、签核负责人、"
            "签核日期、各检查要点结果和问题（问题性质、状态、比对数据、所在反馈意见单）。尚未审核时返回 404。"
        ),
        responses={200: ReportReviewSerializer, 404: ERRORS[404]},
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def review(self, request, pk=None):
        report = queries.report_for_user(request.user, pk)
        review = queries.latest_review_of(report)
        if review is None:
            raise NotFound("该执行报告尚未审核。")
        return Response(ReportReviewSerializer(review).data)


class FeedbackNoticeFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(choices=NoticeState.choices, label="状态")
    report = django_filters.NumberFilter(field_name="report_id", label="执行报告", min_value=1, max_value=MAX_ID)
    facility = django_filters.NumberFilter(field_name="report__facility_id", label="排污单位", min_value=1, max_value=MAX_ID)
    town = django_filters.ModelChoiceFilter(
        field_name="report__facility__town", queryset=Town.objects.all(), label="街镇"
    )

    class Meta:
        model = FeedbackNotice
        fields = ["state", "report", "facility", "town"]


@extend_schema(tags=["执行报告"])
@extend_schema_view(
    list=extend_schema(
        summary="排污许可执行报告问题反馈意见单列表",
        description=(
            "一次审核的全部问题一次性告知排污单位的反馈意见单（R-REP-3），含约定的整改时限（工作日）、整改期限"
            "（due_provisional 为真时工作日历尚未确认，期限暂定）和各问题。街镇用户只能看到本辖区的意见单。"
        ),
    ),
    retrieve=extend_schema(
        summary="反馈意见单详情", responses={200: FeedbackNoticeSerializer, 404: ERRORS[404]}
    ),
)
class FeedbackNoticeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, RegistryViewSet):
    queryset = FeedbackNotice.objects.none()
    serializer_class = FeedbackNoticeSerializer
    filterset_class = FeedbackNoticeFilter
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return FeedbackNotice.objects.none()
        return queries.notices_with_problems(queries.visible_notices(self.request.user))

    @extend_schema(
        operation_id="v1_feedback_notices_pdf_retrieve",
        summary="打印反馈意见单",
        description="生成该反馈意见单的 PDF（R-REP-3），与页面上打印的相同，文件名为中文。",
        responses={(200, "application/pdf"): NOTICE_PDF, 404: ERRORS[404]},
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="notice.pdf",
        url_name="pdf",
        renderer_classes=[JSONRenderer, PDFRenderer],
        filter_backends=[],
        pagination_class=None,
    )
    def pdf(self, request, pk=None):
        return documents.notice_response(queries.notice_for_user(request.user, pk))
