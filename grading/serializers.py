"""Serializers of the grading API (``grading.api``): what the annual grading, the positive list and the
credit records look like as JSON, and the shapes of the bodies and query strings the API accepts.

Shapes and types only: what a change must satisfy (a written reason, the cap, who may act) is decided
by ``grading.services``, whose Chinese messages the API passes on. Output fields with codes carry a
``*_display`` beside them with the words the texts use (优秀、待工作组审核 …).
"""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from bureau.api import KnownFieldsOnly
from grading import rules
from grading.models import (
    AnnualGrading,
    CreditRecord,
    FacilityGrade,
    GradeOverride,
    PositiveListEntry,
    PositiveListProposal,
    ProposalState,
)
from permits.models import Facility

GRADE_HELP = "excellent 优秀、qualified 合格、unqualified 不合格"
YEAR_MESSAGES = {
    "required": "请填写评定年度 year，如 2025。",
    "invalid": "评定年度 year 应为整数，如 2025。",
    "min_value": "评定年度 year 应在 2000 至 2100 之间。",
    "max_value": "评定年度 year 应在 2000 至 2100 之间。",
    "max_string_length": "评定年度 year 过长。",
    "null": "请填写评定年度 year，如 2025。",
}
FACILITY_MESSAGES = {
    "required": "请选择单位 facility（单位编号）。",
    "null": "请选择单位 facility（单位编号）。",
    "does_not_exist": "单位 facility 不存在：{pk_value}。",
    "incorrect_type": "单位 facility 应为单位编号（整数）。",
}


def _name(user) -> str | None:
    return user.display_name if user else None


# --- output ----------------------------------------------------------------------------------------


class ProgressSerializer(serializers.Serializer):
    done = serializers.IntegerField(help_text="已评定单位数")
    total = serializers.IntegerField(help_text="待评定单位数（起草开始时为 0，读取事实后为参评单位数）")


class CapExceedanceSerializer(serializers.Serializer):
    reason = serializers.CharField(source="cap_exceeded_reason", help_text="工作组记录的超出优秀名额理由")
    by = serializers.SerializerMethodField(help_text="记录人")
    at = serializers.DateTimeField(source="cap_exceeded_at", help_text="记录时间")

    def get_by(self, grading) -> str | None:
        return _name(grading.cap_exceeded_by)


class GradingSerializer(serializers.ModelSerializer):
    state = serializers.CharField(
        read_only=True, help_text="drafting 起草中、draft 待工作组审核、failed 起草失败、confirmed 已确认"
    )
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    progress = serializers.SerializerMethodField(help_text="起草进度")

    class Meta:
        model = AnnualGrading
        fields = [
            "year",
            "state",
            "state_display",
            "holders",
            "cap",
            "progress",
            "drafted_at",
            "confirmed_at",
        ]
        read_only_fields = fields

    @extend_schema_field(ProgressSerializer)
    def get_progress(self, grading) -> dict:
        return {"done": grading.done, "total": grading.total}


class GradeCountsSerializer(serializers.Serializer):
    excellent = serializers.IntegerField(help_text="优秀")
    qualified = serializers.IntegerField(help_text="合格")
    unqualified = serializers.IntegerField(help_text="不合格")


class GradingDetailSerializer(GradingSerializer):
    # ``counts`` comes from the view's context (``gradings.counts``: one query).
    counts = serializers.SerializerMethodField(help_text="按评定等级（含工作组调整）统计的单位数")
    cap_exceedance = serializers.SerializerMethodField(
        help_text="工作组记录的超出优秀名额理由（R-GRD-4）；未记录为 null"
    )
    drafted_by = serializers.SerializerMethodField(help_text="起草人；每年 1 月系统自动起草时为 null")
    confirmed_by = serializers.SerializerMethodField(help_text="确认人（组长）")
    ranking = serializers.SerializerMethodField(help_text="优秀候选超过名额时的排序规则，依次比较")

    class Meta(GradingSerializer.Meta):
        fields = [
            *GradingSerializer.Meta.fields,
            "counts",
            "cap_exceedance",
            "drafted_by",
            "draft_count",
            "error",
            "confirmed_by",
            "ranking",
        ]
        read_only_fields = fields

    @extend_schema_field(GradeCountsSerializer)
    def get_counts(self, grading) -> dict:
        return self.context["counts"]

    @extend_schema_field(CapExceedanceSerializer(allow_null=True))
    def get_cap_exceedance(self, grading) -> dict | None:
        if not grading.cap_exceeded_reason:
            return None
        return CapExceedanceSerializer(grading).data

    def get_drafted_by(self, grading) -> str | None:
        return _name(grading.drafted_by)

    def get_confirmed_by(self, grading) -> str | None:
        return _name(grading.confirmed_by)

    def get_ranking(self, grading) -> list[str]:
        return list(rules.RANKING)


class ReasonSerializer(serializers.Serializer):
    code = serializers.CharField(
        help_text="u1–u5 附件2 三（不合格情形）、e1–e3 附件2 四（优秀条件）；rank 名额内、cap 超出名额、"
        "none 无情形、overridden 不合格优先于优秀条件"
    )
    text = serializers.CharField(help_text="理由原文")
    url = serializers.CharField(help_text="证据链接（站内地址），可为空")


class RecordSerializer(serializers.Serializer):
    findings = serializers.IntegerField(help_text="年度检查发现问题数")
    overdue_rectifications = serializers.IntegerField(help_text="逾期未整改问题数")
    late_reports = serializers.IntegerField(help_text="执行报告逾期或未报数")
    linkage_tasks = serializers.IntegerField(help_text="涉及该单位的三监联动任务数")


class OverrideSerializer(serializers.ModelSerializer):
    from_grade = serializers.CharField(help_text=f"原等级：{GRADE_HELP}")
    to_grade = serializers.CharField(help_text=f"调整为：{GRADE_HELP}")
    by = serializers.SerializerMethodField(help_text="调整人姓名")

    class Meta:
        model = GradeOverride
        fields = ["from_grade", "to_grade", "condition", "reason", "by", "post", "at"]
        read_only_fields = fields

    def get_by(self, change) -> str:
        return change.by.display_name


def _codes(value: str) -> list[str]:
    return [c for c in value.split(",") if c]


class FacilityGradeSerializer(serializers.ModelSerializer):
    facility_name = serializers.CharField(source="facility.name", read_only=True)
    source_code = serializers.CharField(source="facility.source_code", read_only=True)
    grade = serializers.CharField(read_only=True, help_text=f"评定等级（含工作组调整）：{GRADE_HELP}")
    grade_display = serializers.CharField(source="get_grade_display", read_only=True)
    rule_grade = serializers.CharField(read_only=True, help_text=f"规则评定等级：{GRADE_HELP}")
    rule_grade_display = serializers.CharField(source="get_rule_grade_display", read_only=True)
    reasons = ReasonSerializer(many=True, read_only=True)
    unqualified_conditions = serializers.SerializerMethodField(help_text="满足的不合格情形代码 u1–u5")
    excellent_conditions = serializers.SerializerMethodField(help_text="满足的优秀条件代码 e1–e3")
    record = RecordSerializer(read_only=True)
    overrides = OverrideSerializer(many=True, read_only=True)

    class Meta:
        model = FacilityGrade
        fields = [
            "id",
            "facility",
            "facility_name",
            "source_code",
            "grade",
            "grade_display",
            "rule_grade",
            "rule_grade_display",
            "reasons",
            "unqualified_conditions",
            "excellent_conditions",
            "rank",
            "record",
            "is_overridden",
            "overrides",
        ]
        read_only_fields = fields

    def get_unqualified_conditions(self, grade) -> list[str]:
        return _codes(grade.unqualified_conditions)

    def get_excellent_conditions(self, grade) -> list[str]:
        return _codes(grade.excellent_conditions)


class PositiveEntrySerializer(serializers.ModelSerializer):
    facility_name = serializers.CharField(source="facility.name", read_only=True)
    source_code = serializers.CharField(source="facility.source_code", read_only=True)
    source = serializers.CharField(read_only=True, help_text="proposal 评定结果建议、manual 法制科决定")
    source_display = serializers.CharField(source="get_source_display", read_only=True)
    listed_by = serializers.SerializerMethodField(help_text="列入人")
    removal_source = serializers.CharField(
        read_only=True, help_text="proposal 评定结果建议、manual 法制科决定、automatic 系统及时移出；在册为空"
    )
    removed_by = serializers.SerializerMethodField(help_text="移出人；系统及时移出时为 null")

    class Meta:
        model = PositiveListEntry
        fields = [
            "id",
            "facility",
            "facility_name",
            "source_code",
            "listed_on",
            "reason",
            "source",
            "source_display",
            "listed_by",
            "removed_on",
            "removal_reason",
            "removal_source",
            "removal_url",
            "removed_by",
        ]
        read_only_fields = fields

    def get_listed_by(self, entry) -> str:
        return entry.listed_by.display_name

    def get_removed_by(self, entry) -> str | None:
        return _name(entry.removed_by)


class ProposalSerializer(serializers.ModelSerializer):
    facility_name = serializers.CharField(source="facility.name", read_only=True)
    source_code = serializers.CharField(source="facility.source_code", read_only=True)
    kind = serializers.CharField(read_only=True, help_text="add 建议列入、remove 建议移出")
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    year = serializers.IntegerField(source="grading.year", read_only=True, help_text="依据的评定年度")
    state = serializers.CharField(
        read_only=True, help_text="pending 待法制科决定、accepted 已采纳、rejected 不予采纳"
    )
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    decided_by = serializers.SerializerMethodField(help_text="决定人")

    class Meta:
        model = PositiveListProposal
        fields = [
            "id",
            "facility",
            "facility_name",
            "source_code",
            "kind",
            "kind_display",
            "year",
            "reason",
            "state",
            "state_display",
            "created_at",
            "decided_by",
            "decided_at",
            "decision_note",
            "entry",
        ]
        read_only_fields = fields

    def get_decided_by(self, proposal) -> str | None:
        return _name(proposal.decided_by)


class CreditRecordSerializer(serializers.ModelSerializer):
    facility_name = serializers.CharField(source="facility.name", read_only=True)
    source_code = serializers.CharField(source="facility.source_code", read_only=True)
    level = serializers.CharField(
        read_only=True, help_text="excellent 环保诚信、good 环保良好、warning 环保警示、dishonest 环保不良"
    )
    level_display = serializers.CharField(source="get_level_display", read_only=True)
    recorded_by = serializers.SerializerMethodField(help_text="记录人")

    class Meta:
        model = CreditRecord
        fields = [
            "id",
            "facility",
            "facility_name",
            "source_code",
            "rated_on",
            "level",
            "level_display",
            "source",
            "note",
            "recorded_by",
            "recorded_at",
        ]
        read_only_fields = fields

    def get_recorded_by(self, record) -> str:
        return record.recorded_by.display_name


# --- input: bodies ---------------------------------------------------------------------------------


class StartDraftInput(KnownFieldsOnly):
    year = serializers.IntegerField(
        min_value=2000, max_value=2100, error_messages=YEAR_MESSAGES, help_text="评定年度（已结束的年度）"
    )


class OverrideInput(KnownFieldsOnly):
    grade = serializers.ChoiceField(
        choices=[(g, rules.GRADE_LABELS[g]) for g in rules.GRADE_ORDER],
        help_text=f"调整为：{GRADE_HELP}",
        error_messages={
            "required": "请选择调整后的评定等级 grade：excellent、qualified 或 unqualified。",
            "invalid_choice": "评定等级“{input}”有误，应为 excellent（优秀）、qualified（合格）或 unqualified（不合格）。",
            "null": "请选择调整后的评定等级 grade：excellent、qualified 或 unqualified。",
        },
    )
    # Blank passes here so the service says what a missing reason means (R-GRD-5).
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=1000,
        help_text="书面调整理由（必填，不超过 1000 字）",
        trim_whitespace=True,
    )
    condition = serializers.ChoiceField(
        choices=[("", "无")] + [(c, rules.CONDITIONS[c]) for c in rules.UNQUALIFIED_CONDITIONS],
        required=False,
        default="",
        help_text="调为 unqualified 时必填：附件2 三所列情形 u1–u5",
        error_messages={"invalid_choice": "不合格情形“{input}”有误，应为 u1–u5 之一。"},
    )


class ReasonInput(KnownFieldsOnly):
    reason = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=300, help_text="移出理由（不超过 300 字）"
    )


class CapReasonInput(KnownFieldsOnly):
    reason = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=2000, help_text="超出优秀名额的理由（不超过 2000 字）"
    )


class PositiveAddInput(KnownFieldsOnly):
    facility = serializers.PrimaryKeyRelatedField(
        queryset=Facility.objects.none(), error_messages=FACILITY_MESSAGES, help_text="单位编号"
    )
    reason = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=300, help_text="列入理由（必填，不超过 300 字）"
    )

    def __init__(self, *args, facilities=None, **kwargs):
        super().__init__(*args, **kwargs)
        if facilities is not None:
            self.fields["facility"].queryset = facilities


class DecideInput(KnownFieldsOnly):
    accept = serializers.BooleanField(
        help_text="true 采纳、false 不予采纳",
        error_messages={
            "required": "请说明是否采纳：accept 为 true 或 false。",
            "invalid": "accept 应为 true（采纳）或 false（不予采纳）。",
            "null": "请说明是否采纳：accept 为 true 或 false。",
        },
    )
    note = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=300, help_text="决定意见；不予采纳时必填"
    )


class CreditInput(KnownFieldsOnly):
    facility = serializers.PrimaryKeyRelatedField(
        queryset=Facility.objects.none(), error_messages=FACILITY_MESSAGES, help_text="单位编号"
    )
    # Missing or blank values reach the service, which names each in Chinese.
    rated_on = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        input_formats=["%Y-%m-%d"],
        help_text="评价日期 YYYY-MM-DD",
        error_messages={"invalid": "评价日期 rated_on 格式错误，应为 YYYY-MM-DD，例如 2025-06-30。"},
    )
    level = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="excellent 环保诚信、good 环保良好、warning 环保警示、dishonest 环保不良",
    )
    source = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=200, help_text="评价来源（评价机关及文件）"
    )
    note = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=300, help_text="备注"
    )

    def __init__(self, *args, facilities=None, **kwargs):
        super().__init__(*args, **kwargs)
        if facilities is not None:
            self.fields["facility"].queryset = facilities


# --- input: query strings --------------------------------------------------------------------------


def _boolean_query(name: str, help_text: str) -> serializers.BooleanField:
    return serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text=help_text,
        error_messages={"invalid": f"{name} 应为 true 或 false。"},
    )


class GradesQuery(serializers.Serializer):
    grade = serializers.ChoiceField(
        choices=list(rules.GRADE_ORDER),
        required=False,
        error_messages={
            "invalid_choice": "评定等级 grade“{input}”有误，应为 excellent、qualified 或 unqualified。"
        },
    )
    overridden = _boolean_query("overridden", "true 只看经工作组调整的，false 只看未调整的")


class PositiveListQuery(serializers.Serializer):
    on = serializers.DateField(
        required=False,
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": "日期 on 格式错误，应为 YYYY-MM-DD，例如 2025-06-30。"},
    )
    all = _boolean_query("all", "true 列出全部记录（含已移出）")


class ProposalsQuery(serializers.Serializer):
    state = serializers.ChoiceField(
        choices=ProposalState.values,
        required=False,
        error_messages={"invalid_choice": "状态 state“{input}”有误，应为 pending、accepted 或 rejected。"},
    )


class CreditQuery(serializers.Serializer):
    facility = serializers.IntegerField(
        required=False,
        min_value=1,
        error_messages={
            "invalid": "单位 facility 应为单位编号（整数）。",
            "min_value": "单位 facility 应为单位编号（正整数）。",
            "max_string_length": "单位 facility 过长。",
        },
    )
