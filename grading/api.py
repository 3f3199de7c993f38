"""The grading API under /api/v1/ (R-GRD-1…5, R-POS-1, R-CRD-1; 003 第四条、附件1、附件2; 002 十二、二十).

- ``gradings/``: the years graded; ``POST`` {"year"} asks for a draft (审批科, ``start_draft``), which a
  Celery task makes (202, the progress on the year's answer);
- ``gradings/<year>/``: state, counts per grade, progress, the cap and its recorded exceedance, who
  confirmed; ``…/grades/``: every holder's grade with reasons, the year's record and the work group's
  changes; ``…/grades/<id>/override/``, ``…/cap-exceedance/`` (work-group members), ``…/confirm/``
  (the 组长 alone);
- ``positive-list/``: the list on a day (or every entry), additions and removals, the proposals a
  confirmed grading made and 法制科's decision on each;
- ``credit-ratings/``: credit records, recorded by 法制科.

Every bureau section and the administrator read; towns and logins without a staff record get 403
(grading is the bureau's own work); anonymous requests 401. Each write is one call of a
``grading.services`` function, after the acting user's right is checked (so a section that may not act
is told so even when its body is wrong); the services' ``ValidationError``/``PermissionDenied``/
``Conflict`` come back as 400/403/409 in Chinese (``bureau.errors.api_exception_handler``). Lists are
paginated (50 a page) and cost a fixed number of queries whatever their length.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, Q
from django.urls import path, reverse
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from bureau.access import BUREAU_SECTIONS, InSections
from bureau.api import error_responses
from bureau.errors import Conflict
from grading import serializers as s
from grading import tasks
from grading.models import (
    AnnualGrading,
    CreditRecord,
    FacilityGrade,
    GradeOverride,
    PositiveListEntry,
    PositiveListProposal,
)
from grading.services import credit, gradings, positive, workgroup
from permits.queries import visible_facilities

READ_ONLY = error_responses(forbidden="街镇及没有人员档案的账号无权查看", not_found="不存在")
GRADING_ERRORS = error_responses(
    forbidden="无权进行此操作", not_found="该年度尚未起草等级评定", conflict="评定已确认锁定或尚未起草完成"
)
LIST_ERRORS = error_responses(
    forbidden="执法正面清单与信用评价由法制科管理", not_found="不存在", conflict="记录状态已变化"
)
# start_draft's own refusal, given before the body is read (as meetings' API does for convening).
NOT_DRAFTER = "等级评定由行政审批服务科起草。"


class BureauReaders(InSections):
    message = "等级评定、执法正面清单和信用评价仅供局内科室查看，街镇无权查看。"


class GradingAPIView(generics.GenericAPIView):
    """Base of the grading endpoints: the bureau's sections and the administrator read."""

    permission_classes = [BureauReaders]
    allowed_sections = BUREAU_SECTIONS

    def query(self, serializer_class) -> dict:
        """The query string through ``serializer_class`` (400 with the Chinese errors)."""
        query = serializer_class(data=self.request.query_params.dict())
        query.is_valid(raise_exception=True)
        return query.validated_data

    def body(self, serializer_class, **kwargs) -> dict:
        body = serializer_class(data=self.request.data, **kwargs)
        body.is_valid(raise_exception=True)
        return body.validated_data


def _grading(year: int) -> AnnualGrading:
    grading = (
        AnnualGrading.objects.select_related("drafted_by", "cap_exceeded_by", "confirmed_by")
        .filter(year=year)
        .first()
    )
    if grading is None:
        raise NotFound(f"{year} 年度尚未起草等级评定。")
    return grading


def _detail(grading: AnnualGrading) -> dict:
    return s.GradingDetailSerializer(grading, context={"counts": gradings.counts(grading)}).data


def _grade_rows(grading: AnnualGrading):
    """The grades of one year with their facility and the work group's changes (two queries a page)."""
    changes = GradeOverride.objects.select_related("by").order_by("at", "id")
    return (
        FacilityGrade.objects.filter(grading=grading)
        .select_related("facility")
        .prefetch_related(Prefetch("overrides", queryset=changes))
        .order_by("facility__source_code", "id")
    )


# --- the annual grading ----------------------------------------------------------------------------


class GradingsView(GradingAPIView, generics.ListAPIView):
    serializer_class = s.GradingSerializer

    def get_queryset(self):
        return AnnualGrading.objects.order_by("-year")

    @extend_schema(
        tags=["等级评定"],
        summary="年度等级评定列表",
        description="已起草的各评定年度，新的在前。",
        responses={200: s.GradingSerializer(many=True), 403: READ_ONLY[403]},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=["等级评定"],
        summary="起草年度等级评定",
        description="审批科起草已结束年度的持证单位等级评定（R-GRD-1…4），由后台任务完成，进度见该年度详情的 "
        "progress。再次起草替换草稿（工作组的调整保留）；已确认的年度、尚未结束的年度不能起草，"
        "正在起草中的不能重复起草。",
        request=s.StartDraftInput,
        responses={
            202: s.GradingDetailSerializer,
            400: GRADING_ERRORS[400],
            403: GRADING_ERRORS[403],
            409: GRADING_ERRORS[409],
        },
    )
    def post(self, request):
        if not gradings.may_draft(request.user):
            raise PermissionDenied(NOT_DRAFTER)
        year = self.body(s.StartDraftInput)["year"]
        gradings.start_draft(year=year, by=request.user, queue=tasks.draft_grading.delay)
        return Response(
            _detail(_grading(year)),
            status=status.HTTP_202_ACCEPTED,
            headers={"Location": reverse("api-grading", args=[year])},
        )


class GradingView(GradingAPIView):
    @extend_schema(
        tags=["等级评定"],
        summary="年度等级评定详情",
        description="状态、参评单位数、优秀名额、各等级单位数（含工作组调整）、起草进度、工作组记录的超出名额理由、"
        "确认人和确认时间。",
        responses={200: s.GradingDetailSerializer, 403: READ_ONLY[403], 404: GRADING_ERRORS[404]},
    )
    def get(self, request, year: int):
        return Response(_detail(_grading(year)))


class GradesView(GradingAPIView, generics.ListAPIView):
    serializer_class = s.FacilityGradeSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return FacilityGrade.objects.none()
        grading = _grading(self.kwargs["year"])
        query = self.query(s.GradesQuery)
        rows = _grade_rows(grading)
        if query.get("grade"):
            rows = rows.filter(grade=query["grade"])
        if query.get("overridden") is not None:
            rows = rows.filter(is_overridden=query["overridden"])
        return rows

    @extend_schema(
        tags=["等级评定"],
        summary="单位评定等级列表",
        description="每家持证单位的评定等级（含工作组调整）、规则评定等级、理由（附件2 条款原文及证据链接）、"
        "优秀候选排序、年度记录和工作组调整记录，按污染源编码排序。",
        parameters=[
            OpenApiParameter(
                "grade", str, enum=["excellent", "qualified", "unqualified"], description="评定等级"
            ),
            OpenApiParameter("overridden", bool, description="true 只看经工作组调整的，false 只看未调整的"),
        ],
        responses={
            200: s.FacilityGradeSerializer(many=True),
            400: READ_ONLY[400],
            403: READ_ONLY[403],
            404: GRADING_ERRORS[404],
        },
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class OverrideView(GradingAPIView):
    @extend_schema(
        tags=["等级评定"],
        summary="工作组调整一家单位的评定等级",
        description="工作组成员（按岗位）调整评定等级，须写明理由，记录调整人、岗位和时间（R-GRD-5）；存在不合格情形的"
        "单位不能调高；调为优秀不得超过名额，除非工作组已记录超出理由（R-GRD-4）；已确认的评定不能调整。",
        request=s.OverrideInput,
        responses={
            200: s.FacilityGradeSerializer,
            400: GRADING_ERRORS[400],
            403: GRADING_ERRORS[403],
            404: GRADING_ERRORS[404],
            409: GRADING_ERRORS[409],
        },
    )
    def post(self, request, year: int, pk: int):
        grading = _grading(year)
        grade = FacilityGrade.objects.filter(grading=grading, pk=pk).first()
        if grade is None:
            raise NotFound(f"{year} 年度等级评定中没有编号为 {pk} 的单位评定。")
        workgroup.require_member(request.user)
        data = self.body(s.OverrideInput)
        try:
            gradings.override(
                by=request.user,
                grade=grade,
                to_grade=data["grade"],
                reason=data["reason"],
                condition=data["condition"],
            )
        except ValidationError as error:
            # The body names the new grade ``grade``; the service calls it ``to_grade``.
            if hasattr(error, "error_dict") and "to_grade" in error.error_dict:
                error.error_dict["grade"] = error.error_dict.pop("to_grade")
            raise
        return Response(s.FacilityGradeSerializer(_grade_rows(grading).get(pk=pk)).data)


class CapExceedanceView(GradingAPIView):
    @extend_schema(
        tags=["等级评定"],
        summary="记录超出优秀名额的理由",
        description="优秀单位一般不超过上年度持证单位总数的 10%（向下取整）；确需超出的，由工作组成员记录理由，"
        "显示在评定结果上（R-GRD-4）。理由留空为撤回（已超出名额时不能撤回）。",
        request=s.CapReasonInput,
        responses={
            200: s.GradingDetailSerializer,
            400: GRADING_ERRORS[400],
            403: GRADING_ERRORS[403],
            404: GRADING_ERRORS[404],
            409: GRADING_ERRORS[409],
        },
    )
    def post(self, request, year: int):
        grading = _grading(year)
        workgroup.require_member(request.user)
        reason = self.body(s.CapReasonInput)["reason"]
        gradings.record_cap_exceedance(by=request.user, grading=grading, reason=reason)
        return Response(_detail(_grading(year)))


class ConfirmView(GradingAPIView):
    @extend_schema(
        tags=["等级评定"],
        summary="组长确认等级评定结果",
        description="只有工作组组长可以确认（R-GRD-5）；确认后评定锁定，不能再调整或重新起草，并向法制科提出"
        "执法正面清单调整建议（R-POS-1）。优秀超过名额而未记录理由的不能确认。",
        request=None,
        responses={
            200: s.GradingDetailSerializer,
            400: GRADING_ERRORS[400],
            403: GRADING_ERRORS[403],
            404: GRADING_ERRORS[404],
            409: GRADING_ERRORS[409],
        },
    )
    def post(self, request, year: int):
        grading = _grading(year)
        gradings.confirm(by=request.user, grading=grading)
        return Response(_detail(_grading(year)))


# --- the positive list -----------------------------------------------------------------------------


def _entries():
    return PositiveListEntry.objects.select_related("facility", "listed_by", "removed_by")


class PositiveListView(GradingAPIView, generics.ListAPIView):
    serializer_class = s.PositiveEntrySerializer

    def get_queryset(self):
        query = self.query(s.PositiveListQuery)
        entries = _entries().order_by("-listed_on", "-id")
        if query.get("all"):
            return entries
        on = query.get("on") or timezone.localdate()
        return entries.filter(listed_on__lte=on).filter(Q(removed_on__isnull=True) | Q(removed_on__gt=on))

    @extend_schema(
        tags=["执法正面清单"],
        summary="执法正面清单",
        description="某日在清单中的单位（默认今天），含列入日期、理由和依据；all=true 列出全部记录（含已移出的，"
        "及移出日期、理由和依据）。",
        parameters=[
            OpenApiParameter("on", str, description="日期 YYYY-MM-DD，默认今天"),
            OpenApiParameter("all", bool, description="true 列出全部记录（含已移出）"),
        ],
        responses={200: s.PositiveEntrySerializer(many=True), 400: READ_ONLY[400], 403: READ_ONLY[403]},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=["执法正面清单"],
        summary="列入执法正面清单",
        description="法制科列入符合条件的单位，须写明理由；最近一次确认的评定为不合格的单位不得列入（R-POS-1）。",
        request=s.PositiveAddInput,
        responses={201: s.PositiveEntrySerializer, 400: LIST_ERRORS[400], 403: LIST_ERRORS[403]},
    )
    def post(self, request):
        if not positive.may_keep(request.user):
            raise PermissionDenied(positive.NOT_KEEPER)
        data = self.body(s.PositiveAddInput, facilities=visible_facilities(request.user))
        entry = positive.add(by=request.user, facility=data["facility"], reason=data["reason"])
        return Response(s.PositiveEntrySerializer(entry).data, status=status.HTTP_201_CREATED)


class PositiveRemoveView(GradingAPIView):
    @extend_schema(
        tags=["执法正面清单"],
        summary="移出执法正面清单",
        description="法制科将单位移出清单，须写明理由；已移出的记录不能再次移出。",
        request=s.ReasonInput,
        responses={
            200: s.PositiveEntrySerializer,
            400: LIST_ERRORS[400],
            403: LIST_ERRORS[403],
            404: LIST_ERRORS[404],
            409: LIST_ERRORS[409],
        },
    )
    def post(self, request, pk: int):
        entry = _entries().filter(pk=pk).first()
        if entry is None:
            raise NotFound("执法正面清单中没有这条记录。")
        if not positive.may_keep(request.user):
            raise PermissionDenied(positive.NOT_KEEPER)
        if entry.removed_on is not None:
            raise Conflict(f"该记录已于 {entry.removed_on:%Y-%m-%d} 移出执法正面清单。")
        reason = self.body(s.ReasonInput)["reason"]
        positive.remove(by=request.user, facility=entry.facility, reason=reason)
        return Response(s.PositiveEntrySerializer(_entries().get(pk=pk)).data)


def _proposals():
    return PositiveListProposal.objects.select_related("facility", "grading", "decided_by")


class ProposalsView(GradingAPIView, generics.ListAPIView):
    serializer_class = s.ProposalSerializer

    def get_queryset(self):
        query = self.query(s.ProposalsQuery)
        rows = _proposals().order_by("state", "-created_at", "id")
        if query.get("state"):
            rows = rows.filter(state=query["state"])
        return rows

    @extend_schema(
        tags=["执法正面清单"],
        summary="执法正面清单调整建议",
        description="确认的年度等级评定提出的列入（优秀且符合本局条件）和移出（不合格）建议，待决定的在前。",
        parameters=[
            OpenApiParameter(
                "state",
                str,
                enum=["pending", "accepted", "rejected"],
                description="pending 待决定、accepted 已采纳、rejected 不予采纳",
            )
        ],
        responses={200: s.ProposalSerializer(many=True), 400: READ_ONLY[400], 403: READ_ONLY[403]},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class ProposalDecideView(GradingAPIView):
    @extend_schema(
        tags=["执法正面清单"],
        summary="决定一条清单调整建议",
        description="法制科采纳或不予采纳；采纳当日调整清单，不予采纳须写明理由（R-POS-1）。",
        request=s.DecideInput,
        responses={
            200: s.ProposalSerializer,
            400: LIST_ERRORS[400],
            403: LIST_ERRORS[403],
            404: LIST_ERRORS[404],
            409: LIST_ERRORS[409],
        },
    )
    def post(self, request, pk: int):
        proposal = PositiveListProposal.objects.filter(pk=pk).first()
        if proposal is None:
            raise NotFound("没有这条清单调整建议。")
        if not positive.may_keep(request.user):
            raise PermissionDenied(positive.NOT_KEEPER)
        data = self.body(s.DecideInput)
        positive.decide(by=request.user, proposal=proposal, accept=data["accept"], note=data["note"])
        return Response(s.ProposalSerializer(_proposals().get(pk=pk)).data)


# --- credit ----------------------------------------------------------------------------------------


class CreditRatingsView(GradingAPIView, generics.ListAPIView):
    serializer_class = s.CreditRecordSerializer

    def get_queryset(self):
        query = self.query(s.CreditQuery)
        rows = CreditRecord.objects.select_related("facility", "recorded_by").order_by("-rated_on", "-id")
        if query.get("facility"):
            rows = rows.filter(facility_id=query["facility"])
        return rows

    @extend_schema(
        tags=["信用评价"],
        summary="信用评价记录",
        description="法制科记录的持证单位信用评价（R-CRD-1），新的在前；单位的现行信用等级为评价日期最近的一条。",
        parameters=[OpenApiParameter("facility", int, description="单位编号")],
        responses={200: s.CreditRecordSerializer(many=True), 400: READ_ONLY[400], 403: READ_ONLY[403]},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=["信用评价"],
        summary="记录信用评价",
        description="仅法制科可记录（R-CRD-1、R-ORG-2）：评价日期、信用等级、评价来源；最新一条写入单位的信用等级，"
        "供检查频次规则使用（R-INS-4）。",
        request=s.CreditInput,
        responses={201: s.CreditRecordSerializer, 400: LIST_ERRORS[400], 403: LIST_ERRORS[403]},
    )
    def post(self, request):
        if not credit.may_record(request.user):
            raise PermissionDenied(credit.NOT_KEEPER)
        data = self.body(s.CreditInput, facilities=visible_facilities(request.user))
        record = credit.record_rating(by=request.user, **data)
        return Response(s.CreditRecordSerializer(record).data, status=status.HTTP_201_CREATED)


urlpatterns = [
    path("gradings/", GradingsView.as_view(), name="api-gradings"),
    path("gradings/<int:year>/", GradingView.as_view(), name="api-grading"),
    path("gradings/<int:year>/grades/", GradesView.as_view(), name="api-grading-grades"),
    path(
        "gradings/<int:year>/grades/<int:pk>/override/", OverrideView.as_view(), name="api-grading-override"
    ),
    path("gradings/<int:year>/cap-exceedance/", CapExceedanceView.as_view(), name="api-grading-cap"),
    path("gradings/<int:year>/confirm/", ConfirmView.as_view(), name="api-grading-confirm"),
    path("positive-list/", PositiveListView.as_view(), name="api-positive-list"),
    path("positive-list/<int:pk>/remove/", PositiveRemoveView.as_view(), name="api-positive-remove"),
    path("positive-list/proposals/", ProposalsView.as_view(), name="api-positive-proposals"),
    path(
        "positive-list/proposals/<int:pk>/decide/",
        ProposalDecideView.as_view(),
        name="api-positive-decide",
    ),
    path("credit-ratings/", CreditRatingsView.as_view(), name="api-credit-ratings"),
]
