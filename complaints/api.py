"""The complaints API under /api/v1/complaints/ (R-CMP-1): list, retrieve, create.

The reporter is shown through ``complaints.queries.reporter_for``, as on the pages: in full to the
complaint's handler, 法制科 and 局领导, masked to everyone else. Reads are scoped by
``visible_complaints`` (404 alike for missing and not visible); a town's staff get 403. Creating is one call to ``receive_complaint``, whose
Chinese errors ``bureau.errors.api_exception_handler`` answers as 400 per field and 403.
"""

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from bureau.access import BUREAU_SECTIONS, InSections
from complaints import queries
from complaints import services as cmp
from complaints.models import Channel, Complaint
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
        source="facility.name", read_only=True, default=None, label="被投诉单位"
    )
    linkage_task_number = serializers.CharField(
        source="linkage_task.number", read_only=True, default=None, label="三监联动任务编号"
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
        return ReporterSerializer(queries.reporter_for(self.context["request"].user, complaint.reporter, complaint)).data


class ComplaintCreateSerializer(serializers.Serializer):
    # Shapes and types only; what a complaint must have is decided by ``receive_complaint``.
    channel = serializers.ChoiceField(choices=Channel.choices, label="来源渠道")
    received_on = serializers.DateField(label="受理日期")
    content = serializers.CharField(label="反映内容", allow_blank=True)
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


@extend_schema(tags=["信访投诉"])
@extend_schema_view(
    list=extend_schema(
        summary="信访投诉列表",
        description="可按 channel、state、facility 筛选，q 搜索编号、内容或被投诉单位。举报人信息仅本投诉承办人、法制科和局领导可见完整内容，其他人员为隐去部分内容的信息（R-CMP-1）。",
    ),
    retrieve=extend_schema(
        summary="信访投诉详情",
        responses={200: ComplaintSerializer, 404: OpenApiResponse(description="不存在或无权查看")},
    ),
    create=extend_schema(
        summary="登记信访投诉",
        description="执法大队和法制科可登记；匿名举报不保存姓名和身份证号。",
        request=ComplaintCreateSerializer,
        responses={
            201: ComplaintSerializer,
            400: OpenApiResponse(description="输入有误：按字段列出中文错误信息"),
            403: OpenApiResponse(description="无权登记"),
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

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Complaint.objects.none()
        return queries.complaint_list(self.request.user)

    def get_object(self):
        return queries.complaint_for_user(self.request.user, self.kwargs["pk"])

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


router = SimpleRouter()
router.register("complaints", ComplaintViewSet, basename="api-complaint")
urlpatterns = router.urls
