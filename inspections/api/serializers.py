"""Shapes of the inspections API: checklist versions with their parts and points (R-INS-1, R-INS-2),
inspections with their officers, answers, photo receipts, findings and amendments (R-INS-6…8), and
cases (R-INS-10).

Read serializers show what the record page and the PDF show. Write serializers check shapes and types
only: what an inspection, an amendment or a case step must have, and who may take it, is the
business of ``inspections.services``, which answers in Chinese per field (400), 403 or 409. Choice
fields are plain strings, their values named in ``help_text``: an enum would collide by name with
other apps' ``state`` and ``reason`` in the schema, and the services name the allowed values in
their Chinese messages.
"""

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from bureau.api import KnownFieldsOnly
from bureau.models import User
from complaints.models import Complaint
from inspections import queries
from inspections.models import (
    Amendment,
    AppliesTo,
    ChecklistPart,
    ChecklistPoint,
    ChecklistVersion,
    Conduct,
    Disposition,
    Finding,
    FindingKind,
    FindingState,
    Inspection,
    InspectionOfficer,
    InspectionState,
    PermitData,
    Photo,
    Reason,
    Verdict,
    VersionState,
)
from inspections.services.inspections import AMENDABLE
from linkage.models import LinkageTask
from permits.models import Facility, Permit, ReportLead


def choice_values(choices) -> str:
    return "、".join(f"{value or '空'}（{label}）" for value, label in choices)


def _id_errors(what: str) -> dict:
    return {
        "does_not_exist": f"未找到编号为 {{pk_value}} 的{what}，或您无权查看。",
        "incorrect_type": f"应填写{what}的编号（整数）。",
    }


# Reading: checklists --------------------------------------------------------------------------------------


class ChecklistPointSerializer(serializers.ModelSerializer):
    permit_data = serializers.CharField(
        read_only=True, label="对应许可信息", help_text=choice_values(PermitData.choices)
    )
    finding_kind = serializers.CharField(
        read_only=True, label="不符合时的违法类别（建议）", help_text=choice_values(FindingKind.choices)
    )

    class Meta:
        model = ChecklistPoint
        fields = ["id", "code", "order", "text", "legal_basis", "permit_data", "finding_kind"]
        read_only_fields = fields


class ChecklistPartSerializer(serializers.ModelSerializer):
    points = ChecklistPointSerializer(many=True, read_only=True, label="检查要点")

    class Meta:
        model = ChecklistPart
        fields = ["id", "order", "title", "points"]
        read_only_fields = fields


class ChecklistVersionSerializer(serializers.ModelSerializer):
    checklist = serializers.IntegerField(source="checklist_id", read_only=True, label="检查清单编号")
    code = serializers.CharField(source="checklist.code", read_only=True, label="清单代码")
    name = serializers.CharField(source="checklist.name", read_only=True, label="清单名称")
    applies_to = serializers.CharField(
        source="checklist.applies_to",
        read_only=True,
        label="适用对象",
        help_text=choice_values(AppliesTo.choices),
    )
    applies_to_display = serializers.CharField(
        source="checklist.get_applies_to_display", read_only=True, label="适用对象名称"
    )
    key_industry = serializers.SerializerMethodField(label="重点行业")
    source = serializers.CharField(source="checklist.source", read_only=True, label="依据")
    state = serializers.CharField(read_only=True, label="状态", help_text=choice_values(VersionState.choices))
    parts = ChecklistPartSerializer(many=True, read_only=True, label="部分")

    class Meta:
        model = ChecklistVersion
        fields = [
            "id",
            "checklist",
            "code",
            "name",
            "applies_to",
            "applies_to_display",
            "key_industry",
            "source",
            "number",
            "state",
            "note",
            "published_on",
            "parts",
        ]
        read_only_fields = fields

    @extend_schema_field(
        {
            "type": "object",
            "nullable": True,
            "properties": {"code": {"type": "string"}, "name": {"type": "string"}},
        }
    )
    def get_key_industry(self, version):
        industry = version.checklist.key_industry
        return {"code": industry.code, "name": industry.name} if industry else None


# Reading: inspections -------------------------------------------------------------------------------------


class InspectionPersonSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True, label="用户编号")
    name = serializers.CharField(source="display_name", read_only=True, label="姓名")


class InspectionOfficerSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(source="officer_id", read_only=True, label="用户编号")

    class Meta:
        model = InspectionOfficer
        fields = ["id", "name", "certificate_no", "order", "signed_at"]
        read_only_fields = fields


class InspectionSourceSerializer(serializers.Serializer):
    kind = serializers.CharField(read_only=True, label="来源类别", help_text=choice_values(Reason.choices))
    id = serializers.IntegerField(read_only=True, allow_null=True, label="来源记录编号")
    label = serializers.CharField(read_only=True, label="来源说明")


class InspectionListSerializer(serializers.ModelSerializer):
    facility_name = serializers.CharField(source="facility.name", read_only=True, label="排污单位名称")
    facility_source_code = serializers.CharField(
        source="facility.source_code", read_only=True, label="污染源编码"
    )
    officers = InspectionOfficerSerializer(many=True, read_only=True, label="检查人员")
    reason = serializers.CharField(read_only=True, label="检查事由", help_text=choice_values(Reason.choices))
    reason_display = serializers.CharField(source="get_reason_display", read_only=True, label="检查事由名称")
    source = serializers.SerializerMethodField(label="事由来源")
    state = serializers.CharField(
        read_only=True, label="状态", help_text=choice_values(InspectionState.choices)
    )
    state_display = serializers.CharField(source="get_state_display", read_only=True, label="状态名称")
    checklist_name = serializers.CharField(
        source="checklist_version.checklist.name", read_only=True, label="检查清单"
    )
    checklist_version_number = serializers.IntegerField(
        source="checklist_version.number", read_only=True, label="清单版本号"
    )
    representative = serializers.SerializerMethodField(label="企业现场负责人")

    class Meta:
        model = Inspection
        fields = [
            "id",
            "number",
            "facility",
            "facility_name",
            "facility_source_code",
            "inspected_on",
            "officers",
            "reason",
            "reason_display",
            "source",
            "state",
            "state_display",
            "checklist_version",
            "checklist_name",
            "checklist_version_number",
            "representative",
            "signed_at",
            "record_hash",
        ]
        read_only_fields = fields

    @extend_schema_field(InspectionSourceSerializer)
    def get_source(self, inspection):
        return queries.reason_source(inspection)

    @extend_schema_field(
        {"type": "object", "properties": {"name": {"type": "string"}, "title": {"type": "string"}}}
    )
    def get_representative(self, inspection):
        return {"name": inspection.representative_name, "title": inspection.representative_title}


class RecordAnswerSerializer(serializers.Serializer):
    # One per point of the version, in the checklist's order; an unanswered point has an empty verdict.
    point = serializers.IntegerField(source="id", read_only=True, label="检查要点编号")
    code = serializers.CharField(read_only=True, label="要点编号")
    part = serializers.CharField(source="part.title", read_only=True, label="部分")
    text = serializers.CharField(read_only=True, label="检查要点")
    verdict = serializers.CharField(
        source="answer.verdict",
        default="",
        read_only=True,
        label="检查结论",
        help_text=choice_values(Verdict.choices),
    )
    verdict_display = serializers.CharField(
        source="answer.get_verdict_display", default="未填", read_only=True, label="检查结论名称"
    )
    note = serializers.CharField(source="answer.note", default="", read_only=True, label="情况说明")
    finding_kind = serializers.CharField(
        source="answer.finding_kind",
        default="",
        read_only=True,
        label="违法类别",
        help_text=choice_values(FindingKind.choices),
    )
    disposition = serializers.CharField(
        source="answer.disposition",
        default="",
        read_only=True,
        label="处理方式",
        help_text=choice_values(Disposition.choices),
    )
    deadline_workdays = serializers.IntegerField(
        source="answer.deadline_workdays",
        default=None,
        read_only=True,
        allow_null=True,
        label="整改时限（工作日）",
    )
    responsible_person = serializers.CharField(
        source="answer.responsible_person", default="", read_only=True, label="整改责任人"
    )
    conduct = serializers.CharField(
        source="answer.conduct",
        default="",
        read_only=True,
        label="恶意偷排等行为",
        help_text=choice_values(Conduct.choices),
    )
    updated_at = serializers.DateTimeField(
        source="answer.updated_at", default=None, read_only=True, allow_null=True, label="保存时间"
    )


class RecordPhotoSerializer(serializers.ModelSerializer):
    point_code = serializers.CharField(source="point.code", default=None, read_only=True, label="要点编号")

    class Meta:
        model = Photo
        fields = [
            "id",
            "client_id",
            "point",
            "point_code",
            "sha256",
            "content_type",
            "size",
            "taken_at",
            "taken_at_source",
            "received_at",
            "latitude",
            "longitude",
            "accuracy_m",
        ]
        read_only_fields = fields


class FindingSummarySerializer(serializers.ModelSerializer):
    point_code = serializers.CharField(source="answer.point.code", read_only=True, label="要点编号")
    kind = serializers.CharField(
        read_only=True, label="违法类别", help_text=choice_values(FindingKind.choices)
    )
    disposition = serializers.CharField(
        read_only=True, label="处理方式", help_text=choice_values(Disposition.choices)
    )
    conduct = serializers.CharField(
        read_only=True, label="恶意偷排等行为", help_text=choice_values(Conduct.choices)
    )
    state = serializers.CharField(read_only=True, label="状态", help_text=choice_values(FindingState.choices))
    rectification_deadline_on = serializers.DateField(
        source="rectification.deadline_on", default=None, read_only=True, label="整改期限"
    )
    case_number = serializers.CharField(source="case.number", default=None, read_only=True, label="案件编号")
    linkage_task_number = serializers.CharField(
        source="linkage_task.number", default=None, read_only=True, label="三监联动任务编号"
    )

    class Meta:
        model = Finding
        fields = [
            "id",
            "point_code",
            "found_on",
            "kind",
            "description",
            "disposition",
            "conduct",
            "state",
            "rectification",
            "rectification_deadline_on",
            "case",
            "case_number",
            "linkage_task",
            "linkage_task_number",
            "closed_on",
            "closing_note",
        ]
        read_only_fields = fields


class AmendmentSerializer(serializers.ModelSerializer):
    point_code = serializers.CharField(source="point.code", default=None, read_only=True, label="要点编号")
    author = InspectionPersonSerializer(read_only=True, label="更正人")

    class Meta:
        model = Amendment
        fields = ["id", "field", "point", "point_code", "before", "after", "reason", "author", "created_at"]
        read_only_fields = fields


class InspectionSerializer(InspectionListSerializer):
    # Read from ``queries.inspection_detail``: the officers, parts, photos, findings and amendments
    # are already loaded on it.
    officers = InspectionOfficerSerializer(source="officer_list", many=True, read_only=True, label="检查人员")
    facility_address = serializers.CharField(
        source="facility.address", read_only=True, label="生产经营场所地址"
    )
    answers = serializers.SerializerMethodField(label="检查结论（逐项）")
    photos = RecordPhotoSerializer(source="photo_list", many=True, read_only=True, label="现场照片回执")
    findings = FindingSummarySerializer(source="finding_list", many=True, read_only=True, label="发现的问题")
    amendments = AmendmentSerializer(source="amendment_list", many=True, read_only=True, label="更正记录")
    record_pdf = serializers.SerializerMethodField(label="现场检查记录（PDF）")

    class Meta(InspectionListSerializer.Meta):
        fields = [
            *InspectionListSerializer.Meta.fields,
            "facility_address",
            "summary",
            "created_at",
            "answers",
            "photos",
            "findings",
            "amendments",
            "record_pdf",
        ]
        read_only_fields = fields

    @extend_schema_field(RecordAnswerSerializer(many=True))
    def get_answers(self, inspection):
        points = [point for part in inspection.part_list for point in part.points.all()]
        return RecordAnswerSerializer(points, many=True).data

    def get_record_pdf(self, inspection) -> str:
        request = self.context.get("request")
        path = reverse("api-inspection-record-pdf", args=[inspection.pk])
        return request.build_absolute_uri(path) if request else path


# Writing: inspections -------------------------------------------------------------------------------------


def related_field(queryset, what: str, **kwargs) -> serializers.PrimaryKeyRelatedField:
    return serializers.PrimaryKeyRelatedField(
        queryset=queryset, error_messages=_id_errors(what), label=what, **kwargs
    )


def _optional(queryset, what: str) -> serializers.PrimaryKeyRelatedField:
    return related_field(queryset, what, required=False, allow_null=True, default=None)


class InspectionStartSerializer(KnownFieldsOnly):
    facility = related_field(Facility.objects.none(), "排污单位")
    inspected_on = serializers.DateField(label="检查日期")
    officers = related_field(
        User.objects.select_related("staff__section"),
        "执法人员",
        many=True,
        help_text="执法人员的用户编号，至少两名，均须为执法大队持证人员（R-INS-6）",
    )
    reason = serializers.CharField(label="检查事由", help_text=choice_values(Reason.choices))
    source_reference = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=200,
        label="来源说明",
        help_text="双随机抽查、年度计划检查、专项行动时填写批次、计划或行动的名称与文号",
    )
    complaint = _optional(Complaint.objects.all(), "信访投诉")
    linkage_task = _optional(LinkageTask.objects.all(), "三监联动任务")
    report_lead = _optional(ReportLead.objects.all(), "执行报告线索")
    permit = _optional(Permit.objects.all(), "许可证")
    follow_up_of = _optional(Inspection.objects.none(), "被复查的检查")
    checklist_version = _optional(ChecklistVersion.objects.all(), "检查清单版本")

    def __init__(self, *args, facilities=None, inspections=None, **kwargs):
        super().__init__(*args, **kwargs)
        if facilities is not None:
            self.fields["facility"].queryset = facilities
        if inspections is not None:
            self.fields["follow_up_of"].queryset = inspections


class AmendmentCreateSerializer(KnownFieldsOnly):
    field = serializers.CharField(
        max_length=50,
        label="更正事项",
        help_text="、".join(f"{key}（{label}）" for key, label in AMENDABLE.items()),
    )
    point = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        label="检查要点",
        help_text="更正检查结论或情况说明时填写：要点编号（如 二.5）或检查要点的 id",
    )
    after = serializers.CharField(
        allow_blank=True, max_length=4000, label="更正为", help_text="不超过 4000 字"
    )
    reason = serializers.CharField(
        allow_blank=True, max_length=2000, label="更正理由", help_text="不超过 2000 字"
    )
    before = serializers.CharField(
        required=False,
        max_length=2000,
        allow_blank=True,
        default="",
        label="原记载",
        help_text="仅更正事项为 other（其他）时填写；其余事项的原记载取自签署的检查记录",
    )

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if attrs["before"].strip() and attrs["field"] != "other":
            raise serializers.ValidationError(
                {"before": ["只有更正事项为“其他”时才填写原记载；其余事项的原记载取自签署的检查记录。"]}
            )
        return attrs
