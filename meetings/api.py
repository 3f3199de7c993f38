"""The dispatch meeting API under /api/v1/meetings/ and /api/v1/study-sessions/ (R-MTG-1…3).

Every bureau section reads meetings (with their decisions; a single meeting also with its agenda
built from the data, R-MTG-2); 审批科 calls extra meetings. Study sessions are read by every bureau
section and recorded by the hosting section or 审批科. Towns are answered 403. Writes are one call of
``meetings.services`` each; its ``ValidationError``/``PermissionDenied`` come back as 400/403 in Chinese
(``bureau.errors.api_exception_handler``).
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from bureau.access import BUREAU_SECTIONS, InSections
from bureau.api import OneDayViewSet, error_responses
from meetings import queries
from meetings import rules as meeting_rules
from meetings import services as meetings
from meetings.models import DispatchMeeting, MeetingDecision, StudySession

ERRORS = error_responses(forbidden="您所在的科室无权进行此操作（调度会由审批科召集）", not_found="不存在")


class DecisionSerializer(serializers.ModelSerializer):
    owner = serializers.SerializerMethodField(help_text="责任人姓名")

    class Meta:
        model = MeetingDecision
        fields = ["id", "text", "owner", "owner_id", "due_on", "done_on"]

    def get_owner(self, decision) -> str | None:
        return decision.owner.display_name if decision.owner else None


class MeetingSerializer(serializers.ModelSerializer):
    title = serializers.CharField(read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    convener = serializers.CharField(source="convener.name", read_only=True)
    decisions = DecisionSerializer(many=True, read_only=True)
    is_late = serializers.BooleanField(read_only=True, help_text="季度调度会安排或召开在当月10日以后")

    class Meta:
        model = DispatchMeeting
        fields = [
            "id",
            "title",
            "kind",
            "kind_display",
            "year",
            "quarter_month",
            "topic",
            "scheduled_on",
            "held_on",
            "is_late",
            "late_reason",
            "status",
            "status_display",
            "convener",
            "location",
            "attendees",
            "minutes",
            "decisions",
        ]


class MeetingDetailSerializer(MeetingSerializer):
    agenda = serializers.SerializerMethodField(help_text="会议议程：按上次调度会以来的数据生成；召开后固定")

    class Meta(MeetingSerializer.Meta):
        fields = [*MeetingSerializer.Meta.fields, "agenda"]

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_agenda(self, meeting) -> dict:
        return queries.meeting_agenda(meeting, today=self.context["today"])


class ExtraMeetingSerializer(serializers.Serializer):
    scheduled_on = serializers.DateField(label="拟召开日期")
    topic = serializers.CharField(label="会议事由", max_length=200)
    location = serializers.CharField(label="会议地点", max_length=200, required=False, default="")
    attendees = serializers.CharField(label="参会人员", max_length=500, required=False, default="")


class StudySessionSerializer(serializers.ModelSerializer):
    host = serializers.CharField(source="host.code", read_only=True)
    host_name = serializers.CharField(source="host.short_name", read_only=True)

    class Meta:
        model = StudySession
        fields = ["id", "held_on", "host", "host_name", "topic", "speaker", "meeting_id"]


class StudySessionRecordSerializer(serializers.Serializer):
    held_on = serializers.DateField(label="举办日期")
    host = serializers.ChoiceField(label="主持部门", choices=meeting_rules.STUDY_HOST_ROTATION)
    topic = serializers.CharField(label="学习主题", max_length=200)
    speaker = serializers.CharField(label="主讲人", max_length=100, required=False, default="")
    meeting = serializers.PrimaryKeyRelatedField(
        label="所在调度会",
        queryset=DispatchMeeting.objects.all(),
        required=False,
        allow_null=True,
        default=None,
    )


class BureauViewSet(OneDayViewSet):
    """Bureau sections only; one day per request."""

    permission_classes = [InSections]
    allowed_sections = BUREAU_SECTIONS


@extend_schema(tags=["调度会"])
@extend_schema_view(
    list=extend_schema(summary="调度会列表（含议定事项）"),
    retrieve=extend_schema(
        summary="调度会详情（含议程与议定事项）", responses={200: MeetingDetailSerializer, 404: ERRORS[404]}
    ),
)
class MeetingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, BureauViewSet):
    queryset = DispatchMeeting.objects.none()  # the schema's model; requests use get_queryset
    serializer_class = MeetingSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return DispatchMeeting.objects.none()
        return queries.meeting_rows(self.request.user).prefetch_related("decisions__owner")

    def get_object(self):
        return queries.meeting_for_user(self.request.user, self.kwargs["pk"])

    def get_serializer_class(self):
        return MeetingDetailSerializer if self.action == "retrieve" else MeetingSerializer

    @extend_schema(
        summary="召集临时调度会",
        description="只有审批科可以召集（003 第四条）；季度调度会由系统在 2、5、8、11 月第一个工作日自动创建。",
        request=ExtraMeetingSerializer,
        responses={201: MeetingSerializer, 400: ERRORS[400], 403: ERRORS[403]},
    )
    def create(self, request):
        # Permission first, so a section that may not convene is told so even when its body is wrong.
        meetings.check_convener(request.user)
        body = ExtraMeetingSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        meeting = meetings.call_extra_meeting(by=request.user, **body.validated_data)
        return Response(MeetingSerializer(meeting).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["调度会"])
@extend_schema_view(list=extend_schema(summary="业务学习交流列表"))
class StudySessionViewSet(mixins.ListModelMixin, BureauViewSet):
    queryset = StudySession.objects.none()
    serializer_class = StudySessionSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return StudySession.objects.none()
        return StudySession.objects.select_related("host").order_by("-held_on", "-id")

    @extend_schema(
        summary="记录业务学习交流",
        description="主持部门记录本部门主持的学习交流，审批科可以记录各部门的（R-MTG-3）。",
        request=StudySessionRecordSerializer,
        responses={201: StudySessionSerializer, 400: ERRORS[400], 403: ERRORS[403]},
    )
    def create(self, request):
        body = StudySessionRecordSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        session = meetings.record_study_session(by=request.user, **body.validated_data)
        return Response(StudySessionSerializer(session).data, status=status.HTTP_201_CREATED)


router = SimpleRouter()
router.register("meetings", MeetingViewSet, basename="api-meeting")
router.register("study-sessions", StudySessionViewSet, basename="api-study-session")
urlpatterns = router.urls
