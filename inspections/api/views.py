"""Checklists, inspections and cases under /api/v1/ (R-INS-1, R-INS-2, R-INS-6…8, R-INS-10).

Thin, as DESIGN.md asks. Reads are scoped by ``inspections.queries``: every section of the bureau reads
inspections, a town those of its own facilities, and an inspection the user may not see answers 404,
exactly as a missing one (R-ORG-3). Cases are read by 执法大队, 法制科 and 局领导 only; any other section
is told 403, as ``complaints.api`` tells a town. Every write is one call of ``inspections.services``,
whose ``ValidationError``, ``PermissionDenied`` and ``Conflict`` ``bureau.errors.api_exception_handler``
answers as 400 per field, 403 and 409, in Chinese. A signed inspection is never edited (R-INS-6): the
API has no PUT, PATCH or DELETE on it (405), and a correction is an amendment. The answers and photos
the officer's form writes through are ``inspections.api.field``.
"""

import django_filters
import django_filters.rest_framework
from django.core.exceptions import ValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as BadQuery
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from bureau.access import InSections
from bureau.api import FileActionRoutes, OneDayViewSet, PDFRenderer, error_responses
from bureau.documents.pdf import pdf_response
from bureau.web import MAX_ID
from inspections import documents, queries, rules
from inspections.api.case_serializers import (
    CaseDecideSerializer,
    CaseOpenSerializer,
    CaseReviewerSerializer,
    CaseReviewSerializer,
    CaseSerializer,
    CaseSubmitSerializer,
)
from inspections.api.serializers import (
    AmendmentCreateSerializer,
    AmendmentSerializer,
    ChecklistVersionSerializer,
    InspectionListSerializer,
    InspectionSerializer,
    InspectionStartSerializer,
)
from inspections.models import (
    Amendment,
    Case,
    ChecklistPoint,
    ChecklistVersion,
    Inspection,
    InspectionState,
    Reason,
    VersionState,
)
from inspections.services import cases as case_services
from inspections.services import inspections as services
from inspections.services.common import require_section
from permits.queries import visible_facilities

ERRORS = error_responses(
    forbidden="您无权进行这一步（detail 说明由谁办理）",
    not_found="不存在，或您无权查看（两者答复相同）",
    conflict="当前状态不能进行这一步，如检查记录已签署（detail 说明原因）",
)
PDF = OpenApiResponse(OpenApiTypes.BINARY, description="现场检查记录 PDF（A4，嵌入中文字体）")
NO_LIST = {"filter_backends": [], "pagination_class": None}


# Checklists -----------------------------------------------------------------------------------------------


@extend_schema(tags=["现场检查"])
@extend_schema_view(
    list=extend_schema(
        summary="检查清单列表",
        description="默认列出现行（已发布）的检查清单版本，各含部分和检查要点（要点编号、内容、法律依据、对应许可信息、"
        "不符合时建议的违法类别）、适用对象、重点行业和版本号（R-INS-1、R-INS-2）。state 可取 draft、published、retired。",
        parameters=[
            OpenApiParameter(
                "state",
                str,
                description="版本状态：draft（草稿）、published（现行，默认）、retired（已停用）",
            )
        ],
    ),
    retrieve=extend_schema(
        summary="检查清单版本详情",
        description="任一版本（含已停用的）：过去的检查所用的版本保持原样。",
        responses={200: ChecklistVersionSerializer, 404: ERRORS[404]},
    ),
)
class ChecklistViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, OneDayViewSet):
    queryset = ChecklistVersion.objects.none()
    serializer_class = ChecklistVersionSerializer
    filter_backends = []
    lookup_value_converter = "int"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ChecklistVersion.objects.none()
        versions = queries.checklist_versions()
        if self.action != "list":
            return versions
        state = self.request.query_params.get("state", VersionState.PUBLISHED)
        if state not in VersionState.values:
            raise BadQuery({"state": ["版本状态应为 draft（草稿）、published（现行）或 retired（已停用）。"]})
        return versions.filter(state=state).order_by("checklist__applies_to", "checklist__code", "-number")


# Inspections ----------------------------------------------------------------------------------------------


class InspectionFilter(django_filters.FilterSet):
    facility = django_filters.NumberFilter(
        field_name="facility_id", label="排污单位", min_value=1, max_value=MAX_ID
    )
    state = django_filters.ChoiceFilter(choices=InspectionState.choices, label="状态")
    reason = django_filters.ChoiceFilter(choices=Reason.choices, label="检查事由")
    inspected_from = django_filters.DateFilter(
        field_name="inspected_on", lookup_expr="gte", label="检查日期起"
    )
    inspected_to = django_filters.DateFilter(field_name="inspected_on", lookup_expr="lte", label="检查日期止")
    # The REST flavour reads mine=1 as true (the plain one only true/false).
    mine = django_filters.rest_framework.BooleanFilter(method="by_me", label="我参加的检查（mine=1）")

    class Meta:
        model = Inspection
        fields = ["facility", "state", "reason", "inspected_from", "inspected_to", "mine"]

    def by_me(self, queryset, name, value):
        return queryset.filter(officers__officer=self.request.user) if value else queryset


@extend_schema(tags=["现场检查"])
@extend_schema_view(
    list=extend_schema(
        summary="现场检查列表",
        description="局内各科室均可查看；街镇只能看到本辖区排污单位的检查（R-ORG-3）。可按排污单位、状态、检查事由、"
        "检查日期（inspected_from、inspected_to）筛选，mine=1 只列出您作为检查人员参加的检查。",
    ),
    retrieve=extend_schema(
        summary="现场检查详情",
        description="含检查人员（执法证号、签名时间）、逐项检查结论、现场照片回执（SHA-256、拍摄和接收时间、位置）、"
        "发现的问题及其处理、签署后的更正记录和检查记录的 SHA-256（R-INS-6）。",
        responses={200: InspectionSerializer, 404: ERRORS[404]},
    ),
    create=extend_schema(
        summary="登记现场检查",
        description="仅执法大队（R-INS-6）：至少两名持证执法人员（用户编号），检查事由及其来源（投诉、联动任务、执行报告线索、"
        "新发许可证、被复查的检查的编号，或抽查批次、计划、专项行动的名称与文号）。检查日期不能晚于今天。"
        "登记后为填写中，检查人员各自获得填写和签名的权限。",
        request=InspectionStartSerializer,
        responses={201: InspectionSerializer, 400: ERRORS[400], 403: ERRORS[403]},
    ),
)
class InspectionViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, OneDayViewSet
):
    queryset = Inspection.objects.none()
    serializer_class = InspectionListSerializer
    filterset_class = InspectionFilter
    lookup_value_converter = "int"
    # A signed record is never edited (R-INS-6): no PUT, PATCH or DELETE, whatever the state.
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Inspection.objects.none()
        # The count of findings groups the rows, which drops the model's ordering: restate it.
        return queries.inspection_list_with_sources(self.request.user).order_by("-inspected_on", "-id")

    def get_object(self) -> Inspection:
        return queries.inspection_for_user(self.request.user, self.kwargs["pk"])

    def _answer(self, inspection: Inspection, answer=status.HTTP_200_OK) -> Response:
        fresh = queries.inspection_detail(self.request.user, inspection.pk)
        return Response(
            InspectionSerializer(fresh, context=self.get_serializer_context()).data, status=answer
        )

    def retrieve(self, request, pk=None):
        inspection = queries.inspection_detail(request.user, pk)
        return Response(InspectionSerializer(inspection, context=self.get_serializer_context()).data)

    def create(self, request):
        # Who may start is told before the body is read (the service checks it again).
        require_section(request.user, rules.INSPECTING_SECTION, services.ONLY_ENFORCEMENT)
        data = self.valid_data(
            InspectionStartSerializer,
            facilities=visible_facilities(request.user),
            inspections=queries.visible_inspections(request.user),
        )
        inspection = services.start_inspection(by=request.user, **data)
        return self._answer(inspection, status.HTTP_201_CREATED)

    @extend_schema(
        summary="签名",
        description="本次检查的执法人员各自签名（R-INS-6）。第一位签名时检查记录须完整（逐项结论；不符合项的说明、"
        "违法类别和处理方式；立整立改项的现场照片；企业现场负责人），否则返回 400 并在 sign 中逐条列出；签名后记录锁定。"
        "最后一位签名后检查记录生效：计算记录的 SHA-256，不符合项成为发现的问题并按处理方式列入整改台账或立案。"
        "非本次检查的执法人员 403；已签名或已签署 409。",
        request=None,
        responses={200: InspectionSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], **NO_LIST)
    def sign(self, request, pk=None):
        inspection = services.sign_inspection(by=request.user, inspection=self.get_object())
        return self._answer(inspection)

    @extend_schema(
        summary="撤回签名",
        description="尚有检查人员未签名时，已签名的检查人员可撤回全部签名，检查记录退回填写中以便修改。"
        "已签署完毕的记录不能撤回（409），只能登记更正。",
        request=None,
        responses={200: InspectionSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], **NO_LIST)
    def withdraw(self, request, pk=None):
        inspection = services.withdraw_signature(by=request.user, inspection=self.get_object())
        return self._answer(inspection)

    @extend_schema(
        methods=["get"],
        summary="更正记录",
        description="已签署检查记录的更正（R-INS-6）：更正事项、原记载、更正为、理由、更正人和时间。",
        responses={200: AmendmentSerializer(many=True), 404: ERRORS[404]},
    )
    @extend_schema(
        methods=["post"],
        summary="登记更正",
        description="已签署的检查记录不再修改，更正另行登记（R-INS-6）：本次检查的执法人员或执法大队负责人，"
        "写明更正事项（verdict 检查结论、note 情况说明须指明检查要点 point，可填要点编号如 二.5 或要点 id；"
        "representative_name 企业现场负责人；summary 检查情况小结；other 其他，并填写原记载 before）、更正为和理由。"
        "未签署的检查 409（请直接修改）。",
        request=AmendmentCreateSerializer,
        responses={201: AmendmentSerializer, **ERRORS},
    )
    @action(detail=True, methods=["get", "post"], **NO_LIST)
    def amendments(self, request, pk=None):
        inspection = self.get_object()
        if request.method == "GET":
            amendments = Amendment.objects.filter(inspection=inspection).select_related("point", "author")
            return Response(AmendmentSerializer(amendments, many=True).data)
        data = self.valid_data(AmendmentCreateSerializer)
        amendment = services.add_amendment(
            by=request.user,
            inspection=inspection,
            field=data["field"],
            point=self._point(inspection, data["point"].strip()),
            after=data["after"],
            reason=data["reason"],
            before=data["before"],
        )
        return Response(AmendmentSerializer(amendment).data, status=status.HTTP_201_CREATED)

    @staticmethod
    def _point(inspection: Inspection, key: str) -> ChecklistPoint | None:
        # By its code (二.5) or its id, within the version the inspection used.
        if not key:
            return None
        points = ChecklistPoint.objects.filter(version=inspection.checklist_version_id)
        point = points.filter(pk=int(key)).first() if key.isdigit() else points.filter(code=key).first()
        if point is None:
            raise ValidationError({"point": f"本次检查所用的清单版本中没有检查要点“{key}”。"})
        return point

    @extend_schema(
        operation_id="v1_inspections_record_retrieve",
        summary="打印现场检查记录",
        description="现场检查记录 PDF，与页面上打印的相同：逐项结论和说明、照片缩略图及其 SHA-256、发现的问题及处理、"
        "更正记录、检查记录的 SHA-256。未签署的记录标明“草稿 · 未签署”，不含哈希。",
        responses={(200, "application/pdf"): PDF, 404: ERRORS[404]},
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="record.pdf",
        url_name="record-pdf",
        renderer_classes=[JSONRenderer, PDFRenderer],
        **NO_LIST,
    )
    def record(self, request, pk=None):
        inspection = queries.inspection_detail(request.user, pk)
        return pdf_response(documents.record_pdf(inspection), documents.pdf_filenames(inspection))


# Cases ----------------------------------------------------------------------------------------------------


@extend_schema(tags=["案件"])
@extend_schema_view(
    list=extend_schema(
        summary="案件列表",
        description="执法大队、法制科和局领导可查看（其他科室和街镇 403）。含排污单位、状态、所依据的问题、承办人员、"
        "法制审核人及审核意见、处理决定（R-INS-10）。可按 state、facility 筛选。",
    ),
    retrieve=extend_schema(
        summary="案件详情", responses={200: CaseSerializer, 403: ERRORS[403], 404: ERRORS[404]}
    ),
    create=extend_schema(
        summary="立案",
        description="执法大队就已签署检查记录中尚未立案的问题立案：排污单位、问题编号、立案日期、案由（不填按问题类别生成）、"
        "承办人员（不填为检查人员，至少两名持证人员）。",
        request=CaseOpenSerializer,
        responses={201: CaseSerializer, 400: ERRORS[400], 403: ERRORS[403]},
    ),
)
class CaseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, OneDayViewSet):
    queryset = Case.objects.none()
    serializer_class = CaseSerializer
    permission_classes = [IsAuthenticated, InSections]
    allowed_sections = rules.CASE_SECTIONS
    filterset_fields = {"state": ["exact"], "facility": ["exact"]}
    lookup_value_converter = "int"
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Case.objects.none()
        return queries.case_list_with_parts(self.request.user).order_by("-opened_on", "-id")

    def get_object(self) -> Case:
        return queries.case_for_user(self.request.user, self.kwargs["pk"])

    def _brigade_only(self) -> None:
        # Steps that are 执法大队's: who may take them is told before the body is read (the service
        # checks it again).
        require_section(self.request.user, rules.INSPECTING_SECTION, case_services.ONLY_ENFORCEMENT)

    def _answer(self, case: Case, answer=status.HTTP_200_OK) -> Response:
        fresh = queries.case_detail(self.request.user, case.pk)
        return Response(CaseSerializer(fresh, context=self.get_serializer_context()).data, status=answer)

    def retrieve(self, request, pk=None):
        return Response(CaseSerializer(queries.case_detail(request.user, pk)).data)

    def create(self, request):
        self._brigade_only()
        data = self.valid_data(
            CaseOpenSerializer,
            facilities=visible_facilities(request.user),
            findings=queries.visible_findings(request.user).select_related("inspection"),
        )
        case = case_services.open_case(
            by=request.user,
            facility=data["facility"],
            findings=data["findings"],
            opened_on=data["opened_on"],
            summary=data["summary"],
            officers=data.get("officers") or None,
            conduct=data["conduct"],
        )
        return self._answer(case, status.HTTP_201_CREATED)

    @extend_schema(
        summary="提请法制审核",
        description="执法大队提交调查终结报告及拟处理意见（penalty 行政处罚、no_penalty 不予行政处罚、transfer 移送公安机关）。"
        "只有调查取证中的案件可以提请（否则 409）。",
        request=CaseSubmitSerializer,
        responses={200: CaseSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], **NO_LIST)
    def submit(self, request, pk=None):
        case = self.get_object()
        self._brigade_only()
        data = self.valid_data(CaseSubmitSerializer)
        case = case_services.submit_case(by=request.user, case=case, **data)
        return self._answer(case)

    @extend_schema(
        summary="指定法制审核人",
        description="法制科负责人指定该案件的法制审核人（法制科在岗人员），只有审核人可以登记审核意见；另行指定时前一位审核人的权限收回。",
        request=CaseReviewerSerializer,
        responses={200: CaseSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], **NO_LIST)
    def reviewer(self, request, pk=None):
        data = self.valid_data(CaseReviewerSerializer)
        case = case_services.assign_reviewer(
            by=request.user, case=self.get_object(), reviewer=data["reviewer"]
        )
        return self._answer(case)

    @extend_schema(
        summary="登记法制审核意见",
        description="只有该案件的法制审核人（403）：approved 为 true 时审核通过、待作出决定，为 false 时退回补充调查。",
        request=CaseReviewSerializer,
        responses={200: CaseSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], **NO_LIST)
    def review(self, request, pk=None):
        data = self.valid_data(CaseReviewSerializer)
        case = case_services.record_review(
            by=request.user,
            case=self.get_object(),
            approved=data["approved"],
            opinion=data["review_opinion"],
            reviewed_on=data["reviewed_on"],
        )
        return self._answer(case)

    @extend_schema(
        summary="作出决定",
        description="执法大队按法制审核通过的拟处理意见作出决定（R-INS-10）：行政处罚须有决定书文号和罚款金额或吊销许可证"
        "（记入处罚记录，吊销记入许可证）；不予处罚须为指导意见（十四）所列情形、初次违法、危害轻微并及时改正，写明法律依据；"
        "移送公安机关须写明接收的公安机关，决定日期即移送日期。",
        request=CaseDecideSerializer,
        responses={200: CaseSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], **NO_LIST)
    def decide(self, request, pk=None):
        case = self.get_object()
        self._brigade_only()
        data = self.valid_data(CaseDecideSerializer)
        case = case_services.decide_case(by=request.user, case=case, **data)
        return self._answer(case)


class InspectionsRouter(FileActionRoutes, SimpleRouter):
    """Path-converter routes; a file-like action (``record.pdf``) gets no trailing slash."""


router = InspectionsRouter(use_regex_path=False)
router.register("checklists", ChecklistViewSet, basename="api-checklist")
router.register("inspections", InspectionViewSet, basename="api-inspection")
router.register("cases", CaseViewSet, basename="api-case")
