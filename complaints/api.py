"""The complaints API under /api/v1/complaints/ (R-CMP-1, R-ORG-2): list, retrieve, create.

As on the pages, the list shows every reporter masked, and the detail shows the reporter through
``complaints.queries.reporter_for``: in full to the complaint's handler, 法制科 and 局领导 (each such
answer logged with ``log_reporter_views``), masked to everyone else. Reads are for every bureau
section, scoped by ``visible_complaints``; a town's staff get 403. Creating is 执法大队's, one call to
``receive_complaint``, whose Chinese errors ``bureau.errors.api_exception_handler`` answers as 400 per
field and 403.
"""

from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from bureau.access import BUREAU_SECTIONS, InSections, section_code
from complaints import queries, rules
from complaints import services as cmp
from complaints.models import AccessVia, Channel, Complaint
from permits.models import Facility
from permits.queries import visible_facilities


class ReporterSerializer(serializers.Serializer):
    # A ``ReporterView``: already masked unless the user may see the identity.
    is_anonymous = serializers.BooleanField(label="匿名举报")
    name = serializers.CharField(label="举报人（匿名时为“匿名”）")
    id_number = serializers.CharField(label="身份证号")
    phone = serializers.CharField(label="联系电话")
    address = serializers.CharField(label="联系地址")
    is_masked = serializers.BooleanField(label="已隐去部分内容")


class ComplaintSerializer(serializers.ModelSerializer):
    facility_name = serializers.CharField(
        source="facility.name", read_only=True, default=None, allow_null=True, label="被投诉单位"
    )
    linkage_task_number = serializers.CharField(
        source="linkage_task.number", read_only=True, default=None, allow_null=True, label="三监联动任务编号"
    )
    reporter = serializers.SerializerMethodField(label="举报人")

    class Meta:
        model = Complaint
        fields = [
            "id",
            "number",
            "channel",
            "received_on",
            "content",
            "facility",
            "facility_name",
            "state",
            "reporter",
            "linkage_task",
            "linkage_task_number",
            "is_substantiated",
            "rectification",
            "investigation",
            "answer",
            "answered_on",
            "reward_amount",
            "reward_decision",
            "closed_on",
        ]
        read_only_fields = fields

    @extend_schema_field(ReporterSerializer)
    def get_reporter(self, complaint):
        # In full only where the view said so (the detail, for those who may see it, logged).
        if self.context.get("show_identity"):
            shown = queries.reporter_for(self.context["request"].user, complaint.reporter, complaint)
        else:
            shown = queries.masked_reporter(complaint.reporter)
        return ReporterSerializer(shown).data


class ComplaintCreateSerializer(serializers.Serializer):
    # Shapes and types only; what a complaint must have is decided by ``receive_complaint``.
    channel = serializers.ChoiceField(choices=Channel.choices, label="来源渠道")
    received_on = serializers.DateField(label="受理日期")
    content = serializers.CharField(label="反映内容", allow_blank=True, max_length=10000)
    facility = serializers.PrimaryKeyRelatedField(
        queryset=Facility.objects.none(), required=False, allow_null=True, label="被投诉单位"
    )
    is_anonymous = serializers.BooleanField(required=False, default=False, label="匿名举报")
    reporter_name = serializers.CharField(required=False, allow_blank=True, default="", max_length=50)
    reporter_id_number = serializers.CharField(required=False, allow_blank=True, default="", max_length=18)
    reporter_phone = serializers.CharField(required=False, allow_blank=True, default="", max_length=30)
    reporter_address = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:
            self.fields["facility"].queryset = visible_facilities(user)


class ComplaintCorrectionSerializer(serializers.Serializer):
    # What 执法大队 may correct; a field left out keeps its value. The reason is required.
    channel = serializers.ChoiceField(choices=Channel.choices, required=False, label="来源渠道")
    received_on = serializers.DateField(required=False, label="受理日期")
    content = serializers.CharField(required=False, allow_blank=True, max_length=10000, label="反映内容")
    facility = serializers.PrimaryKeyRelatedField(
        queryset=Facility.objects.none(), required=False, allow_null=True, label="被投诉单位"
    )
    reason = serializers.CharField(allow_blank=True, max_length=500, label="更正原因")

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:
            self.fields["facility"].queryset = visible_facilities(user)


@extend_schema(tags=["信访投诉"])
@extend_schema_view(
    list=extend_schema(
        summary="信访投诉列表",
        description="各科室均可查看。可按 channel、state、rectification、facility 筛选，q 搜索编号、内容或被投诉单位。列表中的举报人信息一律隐去（R-CMP-1）。",
    ),
    retrieve=extend_schema(
        summary="信访投诉详情",
        description="举报人信息仅本投诉承办人、法制科和局领导可见完整内容，每次查看均记入举报人信息查看记录；其他人员看到的举报人信息已全部隐去（R-CMP-1）。",
        responses={200: ComplaintSerializer, 404: OpenApiResponse(description="不存在或无权查看")},
    ),
    create=extend_schema(
        summary="登记信访投诉",
        description="仅执法大队可登记（R-ORG-2）；匿名举报不保存姓名和身份证号。",
        request=ComplaintCreateSerializer,
        responses={
            201: ComplaintSerializer,
            400: OpenApiResponse(description="输入有误：按字段列出中文错误信息"),
            403: OpenApiResponse(description="无权登记"),
        },
    ),
    partial_update=extend_schema(
        summary="更正信访投诉",
        description="仅执法大队可更正（R-ORG-2）：来源渠道、受理日期、反映内容、被投诉单位，须说明更正原因；已办结的不能更正。举报人信息不在此更正。",
        request=ComplaintCorrectionSerializer,
        responses={
            200: ComplaintSerializer,
            400: OpenApiResponse(description="输入有误：按字段列出中文错误信息"),
            403: OpenApiResponse(description="无权更正"),
            404: OpenApiResponse(description="不存在或无权查看"),
            409: OpenApiResponse(description="已办结"),
        },
    ),
)
class ComplaintViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    queryset = Complaint.objects.none()
    serializer_class = ComplaintSerializer
    filterset_class = queries.ComplaintFilter
    permission_classes = [IsAuthenticated, InSections]
    allowed_sections = BUREAU_SECTIONS
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Complaint.objects.none()
        return queries.complaint_list(self.request.user)

    def get_object(self):
        return queries.complaint_for_user(self.request.user, self.kwargs["pk"])

    def retrieve(self, request, *args, **kwargs):
        complaint = self.get_object()
        show_identity = queries.can_see_reporter(request.user, complaint)
        if show_identity:
            cmp.log_reporter_views(
                user=request.user, complaints=[complaint], via=AccessVia.API, path=request.path
            )
        context = {**self.get_serializer_context(), "show_identity": show_identity}
        return Response(ComplaintSerializer(complaint, context=context).data)

    def create(self, request, *args, **kwargs):
        body = ComplaintCreateSerializer(data=request.data, user=request.user)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        complaint = cmp.receive_complaint(
            by=request.user,
            channel=data["channel"],
            received_on=data["received_on"],
            content=data["content"],
            facility=data.get("facility"),
            reporter=cmp.ReporterInput(
                is_anonymous=data["is_anonymous"],
                name=data["reporter_name"],
                id_number=data["reporter_id_number"],
                phone=data["reporter_phone"],
                address=data["reporter_address"],
            ),
        )
        shown = ComplaintSerializer(
            queries.complaint_for_user(request.user, complaint.pk), context={"request": request}
        )
        return Response(shown.data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        complaint = self.get_object()
        if section_code(request.user) != rules.CORRECTING_SECTION:
            raise PermissionDenied(cmp.ONLY_BRIGADE_REGISTERS)
        body = ComplaintCorrectionSerializer(data=request.data, user=request.user)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        cmp.correct_complaint(
            by=request.user,
            complaint=complaint,
            channel=data.get("channel", complaint.channel),
            received_on=data.get("received_on", complaint.received_on),
            content=data.get("content", complaint.content),
            facility=data["facility"] if "facility" in data else complaint.facility,
            reason=data["reason"],
        )
        shown = ComplaintSerializer(
            queries.complaint_for_user(request.user, complaint.pk), context=self.get_serializer_context()
        )
        return Response(shown.data)


router = SimpleRouter()
router.register("complaints", ComplaintViewSet, basename="api-complaint")
urlpatterns = router.urls
