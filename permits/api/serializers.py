"""Serializers of the registry API (/api/v1/).

Read serializers show what a page shows, derived values included (a permit's ``state``, a
rectification's ``is_overdue``) and Chinese labels beside codes (a rectification's source and category). Write serializers check shapes and types only: whether a value is
allowed in the domain is the services' business (R-FAC-1, R-ORG-2, R-PER-1, R-PER-3), and they answer
in Chinese, per field. Every write field is optional here for the same reason: what a new facility
must have, and what a second source may bring, is decided by ``register_facility``.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.settings import api_settings

from bureau.api import KnownFieldsOnly, iso_date
from permits.models import (
    Facility,
    FindingCategory,
    ManagementLevel,
    Permit,
    PermitEvent,
    PermitState,
    QualityCheck,
    RectificationItem,
    RectificationProgress,
    RectificationSource,
    Unit,
)
from permits.services.quality import Finding


def _text(label: str, **kwargs) -> serializers.CharField:
    return serializers.CharField(required=False, allow_blank=True, label=label, **kwargs)


def _column(model, name: str, label: str, **kwargs) -> serializers.CharField:
    """Free text stored as typed in ``model.name``: as long as that column allows, no longer (a longer
    value is a 400 here, never a database error)."""
    return _text(label, max_length=model._meta.get_field(name).max_length, **kwargs)


# Facilities (R-FAC-1, R-ORG-2, R-ORG-3) ---------------------------------------------------------------


class FacilitySerializer(serializers.ModelSerializer):
    town = serializers.CharField(source="town.name", read_only=True, label="所属街镇")
    unit_name = serializers.CharField(source="unit.name", read_only=True, label="单位名称（法人）")
    is_key_industry = serializers.BooleanField(read_only=True, label="重点行业（R-FAC-2）")

    class Meta:
        model = Facility
        fields = [
            "id",
            "source_code",
            "credit_code",
            "site_number",
            "unit_name",
            "name",
            "address",
            "town",
            "industry_code",
            "industry_name",
            "management_level",
            "is_key_industry",
            "risk_level",
            "credit_rating",
            "status",
            "contact_person",
            "contact_phone",
            "is_key_regulated",
            "has_auto_monitoring",
            "in_environmental_statistics",
            "credit_rated_on",
            "eia_document_no",
        ]
        read_only_fields = fields

    def to_representation(self, facility):
        # What DRF's field-by-field representation gives (tests/permits/test_api.py compares the two),
        # written out: a list page is 50 of these, and the generic path cost more than its SQL (issue 15).
        values = {name: getattr(facility, name) for name in FACILITY_COLUMNS}
        return facility_row({**values, "town_name": facility.town.name, "unit_name": facility.unit.name})


# The columns a facility's representation reads, besides its town's and unit's names.
FACILITY_COLUMNS = (
    "id", "source_code", "credit_code", "site_number", "name", "address", "industry_code", "industry_name",
    "management_level", "key_industry_id", "risk_level", "credit_rating", "status", "contact_person",
    "contact_phone", "is_key_regulated", "has_auto_monitoring", "in_environmental_statistics",
    "credit_rated_on", "eia_document_no",
)  # fmt: skip


def facility_row(values: dict) -> dict:
    """``FacilitySerializer``'s representation from ``FACILITY_COLUMNS`` plus ``town_name`` and
    ``unit_name`` (as ``.values()`` reads them, or as ``to_representation`` collects them)."""
    return {
        "id": values["id"],
        "source_code": values["source_code"],
        "credit_code": values["credit_code"],
        "site_number": values["site_number"],
        "unit_name": values["unit_name"],
        "name": values["name"],
        "address": values["address"],
        "town": values["town_name"],
        "industry_code": values["industry_code"],
        "industry_name": values["industry_name"],
        "management_level": values["management_level"],
        "is_key_industry": values["key_industry_id"] is not None,
        "risk_level": values["risk_level"],
        "credit_rating": values["credit_rating"],
        "status": values["status"],
        "contact_person": values["contact_person"],
        "contact_phone": values["contact_phone"],
        "is_key_regulated": values["is_key_regulated"],
        "has_auto_monitoring": values["has_auto_monitoring"],
        "in_environmental_statistics": values["in_environmental_statistics"],
        "credit_rated_on": iso_date(values["credit_rated_on"]),
        "eia_document_no": values["eia_document_no"],
    }


class FacilityChangeSerializer(KnownFieldsOnly):
    """修改排污单位：只提交要修改的字段；各科室只能修改本科室维护的字段（R-ORG-2）。"""

    name = _column(Facility, "name", "单位名称")
    address = _column(Facility, "address", "生产经营场所地址")
    town = _text("所属街镇", help_text="街镇（园区）的名称或代码")
    industry_code = _text(
        "行业类别代码", help_text="国民经济行业分类代码，2–4 位数字；可带门类字母（C2641），保存为数字"
    )
    industry_name = _column(Facility, "industry_name", "行业类别")
    management_level = _text(
        "管理类别", help_text="key（重点管理）、simplified（简化管理）或 registered（登记管理）"
    )
    contact_person = _column(Facility, "contact_person", "联系人")
    contact_phone = _column(Facility, "contact_phone", "联系电话")
    eia_document_no = _column(Facility, "eia_document_no", "环评批复文号")
    status = _text("生产状态", help_text="operating（在产）、halted（停产）或 closed（关闭）")
    is_key_regulated = serializers.BooleanField(required=False, label="环境监管重点单位")
    risk_level = _text("环境风险等级", help_text="general、moderate、major，空为未评估")
    has_auto_monitoring = serializers.BooleanField(required=False, label="安装自动监控")
    in_environmental_statistics = serializers.BooleanField(required=False, label="纳入环境统计")
    credit_rating = _text("环境信用评价", help_text="excellent、good、warning、dishonest，空为未评价")
    credit_rated_on = serializers.DateField(required=False, allow_null=True, label="信用评价日期")


class FacilityRegistrationSerializer(FacilityChangeSerializer):
    """按污染源登记排污单位：污染源编码已存在时更新所带字段，不会新建第二个（R-FAC-1）。污染源由
    污染源编码，或统一社会信用代码（加污染源序号），或许可证编号（前 21 位为污染源编码）指明。"""

    source_code = _text("污染源编码", help_text="21 位：统一社会信用代码 + 3 位污染源序号")
    credit_code = _text("统一社会信用代码", help_text="18 位，按 GB 32100-2015 校验")
    site_number = _text(
        "污染源序号", help_text="3 位，如 001；留空时：新单位为 001，已有单位只有一个污染源时即为该污染源"
    )
    permit_number = _text("许可证编号", help_text="只用来指明污染源：前 21 位为污染源编码")
    unit_name = _column(Unit, "name", "单位名称（法人）", help_text="新单位的名称；留空时与污染源名称相同")


# Permits and their events (R-PER-1) -------------------------------------------------------------------


class PermitSerializer(serializers.ModelSerializer):
    state = serializers.ChoiceField(
        choices=PermitState.choices, read_only=True, label="状态", help_text="由事项和有效期推算，不可填写"
    )

    class Meta:
        model = Permit
        fields = [
            "id",
            "facility",
            "number",
            "issued_on",
            "valid_from",
            "valid_until",
            "state",
            "report_frequency",
            "management_level",
        ]
        read_only_fields = fields


class PermitIssueSerializer(KnownFieldsOnly):
    """登记核发的排污许可证，同时记录首次申请（或重新申请）事项。"""

    facility = serializers.PrimaryKeyRelatedField(
        queryset=Facility.objects.none(),
        label="排污单位",
        error_messages={
            "does_not_exist": "未找到编号为 {pk_value} 的排污单位。",
            "incorrect_type": "排污单位应填写其编号（整数）。",
        },
    )
    number = serializers.CharField(label="许可证编号", allow_blank=True, max_length=Permit._meta.get_field("number").max_length)
    management_level = serializers.CharField(
        label="管理类别",
        help_text=f"{ManagementLevel.KEY}（重点管理）或 {ManagementLevel.SIMPLIFIED}（简化管理）",
    )
    issued_on = serializers.DateField(label="发证日期")
    valid_from = serializers.DateField(label="有效期起")
    valid_until = serializers.DateField(label="有效期至")
    report_frequency = serializers.CharField(
        label="执行报告频次", help_text="monthly（月度）、quarterly（季度）或 annual（年度）"
    )
    application = serializers.CharField(
        required=False,
        label="申请类型",
        help_text="first_application（首次申请，默认）或 reapplication（重新申请）",
    )
    document_no = _column(PermitEvent, "document_no", "文号")

    def __init__(self, *args, facilities=None, **kwargs):
        super().__init__(*args, **kwargs)
        if facilities is not None:
            # Only facilities the user may see can be named (R-ORG-3).
            self.fields["facility"].queryset = facilities


class PermitEventSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True, label="事项名称")
    recorded_by_name = serializers.SerializerMethodField(label="登记人")

    class Meta:
        model = PermitEvent
        fields = [
            "id",
            "kind",
            "kind_display",
            "occurred_on",
            "document_no",
            "note",
            "renewal_application",
            "renewal_granted",
            "previous_valid_until",
            "new_valid_until",
            "is_bureau_initiated",
            "notice_no",
            "notice_on",
            "recorded_by_name",
            "recorded_at",
        ]
        read_only_fields = fields

    def get_recorded_by_name(self, event) -> str | None:
        # None: recorded by a system job, not by a person.
        return event.recorded_by.display_name if event.recorded_by_id else None


class PermitEventRecordSerializer(KnownFieldsOnly):
    """登记许可证事项（R-PER-1）；不可能发生的事项返回 400，原因在 kind 下。"""

    kind = serializers.CharField(
        label="事项",
        help_text="change（变更）、renewal（延续申请）、renewal_decision（延续决定）、cancellation（注销）、"
        "withdrawal（撤销）、revocation（吊销）、replacement（遗失补办）",
    )
    occurred_on = serializers.DateField(label="日期")
    document_no = _column(PermitEvent, "document_no", "文号")
    note = _column(PermitEvent, "note", "备注")
    renewal_granted = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        label="准予延续",
        help_text="仅“延续决定”填写：true 准予，false 不予",
    )
    new_valid_until = serializers.DateField(
        required=False,
        allow_null=True,
        label="延续后有效期至",
        help_text="“延续决定”准予延续时填写；对“延续”填写即表示已获批（如全国平台的延续后许可证）",
    )
    is_bureau_initiated = serializers.BooleanField(required=False, default=False, label="审批科依职权变更")
    notice_no = _column(PermitEvent, "notice_no", "告知书文号")
    notice_on = serializers.DateField(required=False, allow_null=True, default=None, label="告知日期")


# Rectification ledger (R-PER-3) -----------------------------------------------------------------------


class RectificationSerializer(serializers.ModelSerializer):
    facility_name = serializers.CharField(source="facility.name", read_only=True, label="排污单位名称")
    town = serializers.CharField(source="facility.town.name", read_only=True, label="所属街镇")
    # Text, not an enum, in the schema: a linkage task's source_kind has choices of its own, and two
    # enums of one field name would each need a name in the settings' ENUM_NAME_OVERRIDES.
    source_kind = serializers.CharField(
        read_only=True,
        label="问题来源",
        help_text="、".join(f"{value}（{label}）" for value, label in RectificationSource.choices),
    )
    source_kind_display = serializers.CharField(
        source="get_source_kind_display", read_only=True, label="问题来源名称"
    )
    category_display = serializers.CharField(source="category_label", read_only=True, label="问题类别名称")
    is_overdue = serializers.SerializerMethodField(label="已逾期")

    class Meta:
        model = RectificationItem
        fields = [
            "id",
            "source_kind",
            "source_kind_display",
            "source_key",
            "source_label",
            "source_url",
            "quality_check",
            "found_on",
            "facility",
            "facility_name",
            "town",
            "category",
            "category_display",
            "description",
            "deadline_workdays",
            "deadline_on",
            "deadline_provisional",
            "responsible_person",
            "responsible_phone",
            "closed_on",
            "closing_evidence",
            "is_overdue",
        ]
        read_only_fields = fields

    def get_is_overdue(self, item) -> bool:
        return item.is_overdue_on(self.context["today"])


class RectificationProgressSerializer(serializers.ModelSerializer):
    recorded_by_name = serializers.CharField(
        source="recorded_by.display_name", read_only=True, label="登记人"
    )

    class Meta:
        model = RectificationProgress
        fields = ["id", "item", "noted_on", "note", "recorded_by_name"]
        read_only_fields = fields


class ProgressNoteSerializer(KnownFieldsOnly):
    """登记整改进展。"""

    noted_on = serializers.DateField(required=False, label="日期", help_text="默认今天")
    note = _text("进展情况")

    def validate(self, attrs):
        attrs = super().validate(attrs)
        attrs.setdefault("noted_on", self.context["today"])
        return attrs


@extend_schema_field(OpenApiTypes.BINARY)
class UploadField(serializers.FileField):
    """An uploaded file, documented as the binary part of a multipart body."""


class CloseRectificationSerializer(KnownFieldsOnly):
    """问题销号：须填写整改完成证明，可附证明材料（multipart 上传）。"""

    closed_on = serializers.DateField(required=False, label="销号日期", help_text="默认今天")
    closing_evidence = _text("整改完成证明")
    closing_file = UploadField(required=False, label="证明材料")

    def validate(self, attrs):
        attrs = super().validate(attrs)
        attrs.setdefault("closed_on", self.context["today"])
        return attrs


# Quality checks (R-PER-3) -----------------------------------------------------------------------------


class QualityFindingSerializer(serializers.ModelSerializer):
    # A finding of a quality check is always one of its categories and counts working days.
    category = serializers.ChoiceField(choices=FindingCategory.choices, read_only=True, label="问题类别")
    category_display = serializers.CharField(source="category_label", read_only=True, label="问题类别名称")
    deadline_workdays = serializers.IntegerField(read_only=True, label="整改时限（工作日）")
    is_overdue = serializers.SerializerMethodField(label="已逾期")

    class Meta:
        model = RectificationItem
        fields = [
            "id",
            "category",
            "category_display",
            "description",
            "deadline_workdays",
            "deadline_on",
            "deadline_provisional",
            "responsible_person",
            "responsible_phone",
            "closed_on",
            "is_overdue",
        ]
        read_only_fields = fields

    def get_is_overdue(self, item) -> bool:
        return item.is_overdue_on(self.context["today"])


class QualityCheckSerializer(serializers.ModelSerializer):
    facility_name = serializers.CharField(source="facility.name", read_only=True, label="排污单位名称")
    town = serializers.CharField(source="facility.town.name", read_only=True, label="所属街镇")
    permit_number = serializers.CharField(
        source="permit.number", read_only=True, allow_null=True, label="许可证编号"
    )
    checked_by_name = serializers.CharField(source="checked_by.display_name", read_only=True, label="检查人")
    method_display = serializers.CharField(source="get_method_display", read_only=True, label="检查方式名称")
    selection_display = serializers.CharField(
        source="get_selection_display", read_only=True, label="选取方式名称"
    )
    findings = QualityFindingSerializer(
        source="items", many=True, read_only=True, label="发现的问题（各为一项限期整改问题，按整改期限排列）"
    )

    class Meta:
        model = QualityCheck
        fields = [
            "id",
            "facility",
            "facility_name",
            "town",
            "permit",
            "permit_number",
            "checked_on",
            "checked_by_name",
            "method",
            "method_display",
            "selection",
            "selection_display",
            "summary",
            "findings",
        ]
        read_only_fields = fields


class FindingRecordSerializer(serializers.Serializer):
    # One finding of a check. Unknown keys are refused here as at the top level (a nested serializer
    # has no ``initial_data`` of its own, so ``KnownFieldsOnly`` cannot see them).

    category = _text(
        "问题类别",
        help_text="should_issue（应发尽发）、should_register（应登尽登）、level_lowered（违规降低管理级别）"
        "或 discharge_mismatch（实际排放与许可不符）",
    )
    description = _text("问题描述")
    deadline_workdays = serializers.IntegerField(
        label="整改时限（工作日）", help_text="1–250 个工作日，从检查日期次日起计算，节假日不计（R-CAL-1）"
    )
    responsible_person = _text("整改责任人", max_length=50)
    responsible_phone = _text("责任人电话", max_length=30)

    def run_validation(self, data=serializers.empty):
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                message = KnownFieldsOnly.unknown_field_message
                raise serializers.ValidationError({name: [message.format(name=name)] for name in unknown})
        return super().run_validation(data)


def _flat_finding_errors(detail):
    """``{"findings": {1: {"category": [...]}}}`` → ``{"findings[2].category": [...]}``: the same keys
    as the service's own errors (counted from 1), so a client reads every finding error one way. DRF
    keys a list's errors by position from 0; an error about the list itself stays on ``findings``."""
    if not isinstance(detail, dict) or "findings" not in detail:
        return detail
    flat = {key: value for key, value in detail.items() if key != "findings"}
    nested = detail["findings"]
    rows = nested.items() if isinstance(nested, dict) else enumerate(nested)
    for position, row in rows:
        if isinstance(position, int) and isinstance(row, dict):
            for field, messages in row.items():
                key = f"findings[{position + 1}]"
                flat[key if field == api_settings.NON_FIELD_ERRORS_KEY else f"{key}.{field}"] = messages
        elif isinstance(row, list):
            flat.setdefault("findings", []).extend(row)
        elif row:
            flat.setdefault("findings", []).append(row)
    return flat


class QualityCheckRecordSerializer(KnownFieldsOnly):
    """登记核发质量检查（R-PER-3）：每项发现的问题列入限期整改台账，整改期限按工作日计算；未发现问题的，
    须在检查结论中写明。某一项问题的错误以 findings[序号].字段 为键（序号从 1 起）。"""

    facility = serializers.PrimaryKeyRelatedField(
        queryset=Facility.objects.none(),
        label="排污单位",
        error_messages={
            "does_not_exist": "未找到编号为 {pk_value} 的排污单位。",
            "incorrect_type": "排污单位应填写其编号（整数）。",
        },
    )
    permit = serializers.PrimaryKeyRelatedField(
        queryset=Permit.objects.none(),
        required=False,
        allow_null=True,
        label="排污许可证",
        help_text="可不填（如应发未发、应登未登）；填写时须为该单位的许可证",
        error_messages={
            "does_not_exist": "未找到编号为 {pk_value} 的排污许可证。",
            "incorrect_type": "排污许可证应填写其编号（整数）。",
        },
    )
    checked_on = serializers.DateField(required=False, label="检查日期", help_text="默认今天")
    method = _text("检查方式", help_text="on_site（现场核查）或 off_site（非现场核查）")
    selection = _text("选取方式", help_text="random（随机抽查）或 targeted（靶向核查）")
    summary = _text("检查结论", help_text="未发现问题的，请写明“未发现问题”")
    findings = FindingRecordSerializer(many=True, required=False, label="发现的问题")

    def __init__(self, *args, facilities=None, permits=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Only records the user may see can be named (R-ORG-3).
        if facilities is not None:
            self.fields["facility"].queryset = facilities
        if permits is not None:
            self.fields["permit"].queryset = permits

    def to_internal_value(self, data):
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError as exc:
            raise serializers.ValidationError(_flat_finding_errors(exc.detail)) from None

    def validate(self, attrs):
        attrs = super().validate(attrs)
        attrs.setdefault("permit", None)
        attrs.setdefault("checked_on", self.context["today"])
        for name in ("method", "selection", "summary"):
            attrs.setdefault(name, "")
        attrs["findings"] = [
            Finding(
                category=row.get("category", ""),
                description=row.get("description", ""),
                deadline_workdays=row["deadline_workdays"],
                responsible_person=row.get("responsible_person", ""),
                responsible_phone=row.get("responsible_phone", ""),
            )
            for row in attrs.get("findings", [])
        ]
        return attrs
