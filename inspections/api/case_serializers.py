"""Serializers of the cases API (R-INS-10): reading a case with its findings, officers, review and
decision, and the bodies of its steps."""

from rest_framework import serializers

from bureau.api import KnownFieldsOnly
from bureau.models import User
from inspections.api.serializers import (
    FindingSummarySerializer,
    InspectionPersonSerializer,
    choice_values,
    related_field,
)
from inspections.models import (
    Case,
    CaseDecision,
    CaseOfficer,
    CaseState,
    Conduct,
    Finding,
    NoPenaltyGround,
)
from permits.models import Facility

# Cases ----------------------------------------------------------------------------------------------------


class CaseOfficerSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(source="officer_id", read_only=True, label="用户编号")

    class Meta:
        model = CaseOfficer
        fields = ["id", "name", "certificate_no"]
        read_only_fields = fields


class CaseFindingSerializer(FindingSummarySerializer):
    inspection_number = serializers.CharField(source="inspection.number", read_only=True, label="检查编号")

    class Meta(FindingSummarySerializer.Meta):
        # Its ledger item and task are on the inspection's record; the case is this one.
        fields = [
            "id",
            "inspection",
            "inspection_number",
            "point_code",
            "found_on",
            "kind",
            "description",
            "disposition",
            "conduct",
            "state",
            "closed_on",
            "closing_note",
        ]
        read_only_fields = fields


class CaseFacilitySerializer(serializers.ModelSerializer):
    class Meta:
        model = Facility
        fields = ["id", "name", "source_code"]
        read_only_fields = fields


class CaseSerializer(serializers.ModelSerializer):
    # Read from ``queries.case_detail`` or the list's prefetches: officers and findings are loaded.
    facility = CaseFacilitySerializer(read_only=True, label="排污单位")
    state = serializers.CharField(read_only=True, label="状态", help_text=choice_values(CaseState.choices))
    state_display = serializers.CharField(source="get_state_display", read_only=True, label="状态名称")
    officers = CaseOfficerSerializer(source="officer_list", many=True, read_only=True, label="承办人员")
    findings = CaseFindingSerializer(source="finding_list", many=True, read_only=True, label="所依据的问题")
    reviewer = InspectionPersonSerializer(read_only=True, allow_null=True, label="法制审核人")
    proposed_decision = serializers.CharField(
        read_only=True, label="拟处理意见", help_text=choice_values(CaseDecision.choices)
    )
    decision = serializers.CharField(
        read_only=True, label="处理决定", help_text=choice_values(CaseDecision.choices)
    )
    decision_display = serializers.CharField(
        source="get_decision_display", read_only=True, label="处理决定名称"
    )
    no_penalty_ground = serializers.CharField(
        read_only=True, label="不予处罚情形", help_text=choice_values(NoPenaltyGround.choices)
    )
    conduct = serializers.CharField(
        read_only=True, label="恶意偷排等行为", help_text=choice_values(Conduct.choices)
    )
    permit_number = serializers.CharField(
        source="permit.number", default=None, allow_null=True, read_only=True, label="吊销的许可证"
    )

    class Meta:
        model = Case
        fields = [
            "id",
            "number",
            "facility",
            "opened_on",
            "summary",
            "conduct",
            "state",
            "state_display",
            "officers",
            "findings",
            "submitted_on",
            "proposed_decision",
            "proposal",
            "reviewer",
            "review_opinion",
            "reviewed_on",
            "review_rounds",
            "decision",
            "decision_display",
            "decided_on",
            "decision_no",
            "penalty_amount",
            "revokes_permit",
            "permit_number",
            "no_penalty_ground",
            "legal_basis",
            "corrected_on",
            "police_office",
            "transferred_on",
        ]
        read_only_fields = fields


class CaseOpenSerializer(KnownFieldsOnly):
    facility = related_field(Facility.objects.none(), "排污单位")
    findings = related_field(Finding.objects.none(), "检查发现的问题", many=True)
    opened_on = serializers.DateField(label="立案日期")
    summary = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=300, label="案由"
    )
    officers = related_field(
        User.objects.select_related("staff__section"),
        "承办人员",
        many=True,
        required=False,
        help_text="不填时为问题所在检查的执法人员",
    )
    conduct = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=20,
        label="恶意偷排等行为",
        help_text=choice_values(Conduct.choices)
        + "。标记即将该单位及时移出执法正面清单（R-POS-1）；不填时沿用所选问题的标记",
    )

    def __init__(self, *args, facilities=None, findings=None, **kwargs):
        super().__init__(*args, **kwargs)
        if facilities is not None:
            self.fields["facility"].queryset = facilities
        if findings is not None:
            self.fields["findings"].child_relation.queryset = findings


class CaseSubmitSerializer(KnownFieldsOnly):
    proposed_decision = serializers.CharField(
        label="拟处理意见", help_text=choice_values(CaseDecision.choices)
    )
    proposal = serializers.CharField(allow_blank=True, max_length=20000, label="调查终结报告及拟处理意见")
    submitted_on = serializers.DateField(label="提请法制审核日期")


class CaseReviewerSerializer(KnownFieldsOnly):
    reviewer = related_field(User.objects.select_related("staff__section"), "法制审核人")


class CaseReviewSerializer(KnownFieldsOnly):
    approved = serializers.BooleanField(label="审核通过", help_text="false 为退回补充调查")
    review_opinion = serializers.CharField(allow_blank=True, max_length=20000, label="法制审核意见")
    reviewed_on = serializers.DateField(label="法制审核日期")


class CaseDecideSerializer(KnownFieldsOnly):
    decision = serializers.CharField(label="处理决定", help_text=choice_values(CaseDecision.choices))
    decided_on = serializers.DateField(label="决定日期")
    decision_no = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=100, label="决定书文号"
    )
    penalty_amount = serializers.DecimalField(
        max_digits=14, decimal_places=2, required=False, allow_null=True, default=None, label="罚款金额（元）"
    )
    revokes_permit = serializers.BooleanField(required=False, default=False, label="吊销排污许可证")
    no_penalty_ground = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        label="不予处罚情形",
        help_text=choice_values(NoPenaltyGround.choices),
    )
    legal_basis = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=2000, label="法律依据"
    )
    first_violation = serializers.BooleanField(required=False, default=False, label="初次违法")
    slight_harm = serializers.BooleanField(required=False, default=False, label="危害后果轻微")
    corrected_on = serializers.DateField(required=False, allow_null=True, default=None, label="改正日期")
    police_office = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=100, label="接收的公安机关"
    )
    conduct = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=20,
        label="恶意偷排等行为",
        help_text=choice_values(Conduct.choices)
        + "。标记即将该单位及时移出执法正面清单（R-POS-1）；不填时保留立案时的标记",
    )
