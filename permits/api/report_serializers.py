"""Shapes of the execution-report API (R-REP-1…3): reports with their receipt state, the latest review
with its three parts, feedback notices with their problems, and the body of a recorded receipt."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from bureau.api import KnownFieldsOnly
from permits.reports import rules
from permits.reports.models import (
    ExecutionReport,
    FeedbackNotice,
    PartResult,
    PeriodType,
    ReviewPart,
    ReviewProblem,
    ReviewState,
)
from permits.reports.services.common import SECTION_NAMES

RECEIPT_STATE_HELP = "、".join(f"{code}（{name}）" for code, name in rules.RECEIPT_NAMES.items())


class ExecutionReportSerializer(serializers.ModelSerializer):
    permit_number = serializers.CharField(source="permit.number", read_only=True, label="许可证编号")
    facility_name = serializers.CharField(source="facility.name", read_only=True, label="排污单位名称")
    period = serializers.SerializerMethodField(
        label="报告期", help_text="月度 2026-03，季度 2026-Q1，年度 2026"
    )
    period_label = serializers.SerializerMethodField(label="报告期名称")
    version = serializers.IntegerField(source="version_count", read_only=True, label="版本数")
    # Annotations of ``queries.with_receipt_state``: text in the schema, their values in help_text.
    state = serializers.CharField(read_only=True, label="提交情况", help_text=RECEIPT_STATE_HELP)
    review_state = serializers.CharField(
        read_only=True,
        allow_null=True,
        label="最近一轮审核状态",
        help_text="、".join(f"{v}（{label}）" for v, label in ReviewState.choices) + "；未审核为 null",
    )

    class Meta:
        model = ExecutionReport
        fields = [
            "id",
            "permit",
            "permit_number",
            "facility",
            "facility_name",
            "period_type",
            "period",
            "period_label",
            "due_on",
            "due_provisional",
            "received_on",
            "version",
            "state",
            "requested_on",
            "review_state",
        ]
        read_only_fields = fields

    def get_period(self, report) -> str:
        return report.period.code

    def get_period_label(self, report) -> str:
        return report.period.label


class EmissionSerializer(serializers.Serializer):
    outlet = serializers.CharField(max_length=20, label="排放口编号", help_text="如 DA001")
    pollutant = serializers.CharField(max_length=50, label="污染物")
    concentration = serializers.DecimalField(
        max_digits=12, decimal_places=3, required=False, allow_null=True, label="实际排放浓度"
    )
    quantity = serializers.DecimalField(
        max_digits=14, decimal_places=4, required=False, allow_null=True, label="实际排放量（吨）"
    )


class ReceiptSerializer(KnownFieldsOnly):
    permit = serializers.IntegerField(label="许可证 id")
    period = serializers.CharField(
        max_length=20, label="报告期", help_text="月度 2026-03，季度 2026-Q1，年度 2026"
    )
    received_on = serializers.DateField(label="提交日期")
    platform_ref = serializers.CharField(
        max_length=60, required=False, allow_blank=True, label="平台报告编号"
    )
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, label="说明")
    emissions = EmissionSerializer(many=True, required=False, label="实际排放情况")

    def validate_period(self, value) -> rules.Period:
        try:
            return rules.parse_period(value)
        except ValueError as error:
            raise serializers.ValidationError(str(error)) from None


class PartResultSerializer(serializers.ModelSerializer):
    point_name = serializers.CharField(read_only=True, label="检查要点名称")
    result_display = serializers.CharField(source="get_result_display", read_only=True, label="检查结果名称")

    class Meta:
        model = PartResult
        fields = ["point", "point_name", "result", "result_display", "note"]
        read_only_fields = fields


class ProblemSerializer(serializers.ModelSerializer):
    section = serializers.CharField(source="part.section_code", read_only=True, label="科室代码")
    section_name = serializers.SerializerMethodField(label="科室")
    point_name = serializers.CharField(read_only=True, label="检查要点名称")
    problem_class_display = serializers.CharField(
        source="get_problem_class_display", read_only=True, label="问题性质名称"
    )

    class Meta:
        model = ReviewProblem
        fields = [
            "id",
            "section",
            "section_name",
            "point",
            "point_name",
            "description",
            "problem_class",
            "problem_class_display",
            "status",
            "figures",
            "notice",
            "decision_note",
            "decided_on",
        ]
        read_only_fields = fields

    def get_section_name(self, problem) -> str:
        return SECTION_NAMES[problem.part.section_code]


@extend_schema_field(OpenApiTypes.STR)
class UserNameField(serializers.Field):
    def to_representation(self, user):
        return user.display_name


class ReviewPartSerializer(serializers.ModelSerializer):
    section = serializers.CharField(source="section_code", read_only=True, label="科室代码")
    section_name = serializers.SerializerMethodField(label="科室")
    filled_by = UserNameField(read_only=True, allow_null=True, label="填写人")
    signed_by = UserNameField(read_only=True, allow_null=True, label="签核负责人")
    results = serializers.SerializerMethodField(
        label="检查要点结果", help_text="按 003 第五条所列检查要点的顺序"
    )
    problems = ProblemSerializer(many=True, read_only=True, label="问题")

    class Meta:
        model = ReviewPart
        fields = [
            "section",
            "section_name",
            "filled_by",
            "filled_at",
            "note",
            "signed_by",
            "signed_on",
            "results",
            "problems",
        ]
        read_only_fields = fields

    def get_section_name(self, part) -> str:
        return SECTION_NAMES[part.section_code]

    @extend_schema_field(PartResultSerializer(many=True))
    def get_results(self, part):
        order = {p.code: i for i, p in enumerate(rules.CHECK_POINTS[part.section_code])}
        results = sorted(part.results.all(), key=lambda r: order.get(r.point, len(order)))
        return PartResultSerializer(results, many=True).data


class ReportReviewSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    report = serializers.IntegerField(source="report_id", read_only=True, label="执行报告 id")
    version = serializers.IntegerField(source="version_id", read_only=True, label="审核版本 id")
    round = serializers.IntegerField(read_only=True, label="审核轮次")
    state = serializers.ChoiceField(choices=ReviewState.choices, read_only=True, label="状态")
    opened_on = serializers.DateField(read_only=True, label="开始日期")
    completed_on = serializers.DateField(read_only=True, allow_null=True, label="完成日期")
    answers = serializers.IntegerField(
        source="answers_id", read_only=True, allow_null=True, label="复核的反馈意见单 id"
    )
    parts = ReviewPartSerializer(many=True, read_only=True, label="三个科室的审核部分")


class FeedbackNoticeSerializer(serializers.ModelSerializer):
    facility = serializers.IntegerField(source="report.facility_id", read_only=True, label="排污单位 id")
    facility_name = serializers.CharField(source="report.facility.name", read_only=True, label="排污单位名称")
    permit_number = serializers.CharField(source="report.permit.number", read_only=True, label="许可证编号")
    period = serializers.SerializerMethodField(label="报告期")
    period_type = serializers.ChoiceField(
        source="report.period_type", choices=PeriodType.choices, read_only=True, label="报告类型"
    )
    problems = ProblemSerializer(many=True, read_only=True, label="问题")

    class Meta:
        model = FeedbackNotice
        fields = [
            "id",
            "number",
            "report",
            "facility",
            "facility_name",
            "permit_number",
            "period_type",
            "period",
            "issued_on",
            "time_limit_workdays",
            "due_on",
            "due_provisional",
            "contact",
            "state",
            "problems",
        ]
        read_only_fields = fields

    def get_period(self, notice) -> str:
        return notice.report.period.code
