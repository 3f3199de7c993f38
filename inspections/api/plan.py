"""``GET /api/v1/inspection-plan/?year=&month=``: what is owed in a month per facility, with the reason
and the window (R-INS-3, R-INS-4; 002 十一 按月细化). The items are those of the month's plan when it is
made, otherwise its preview (``plan_queries.month_items``); grouped per facility, 50 facilities a page.
Towns are refused as on the plan's pages, and so is a login without a staff record (403)."""

from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import ValidationError as BadQuery
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from bureau.access import Viewer
from bureau.api import error_responses
from inspections import plan_queries

ERRORS = error_responses(forbidden="没有人员档案的账号无权查看", not_found="分页页码不存在")


class MonthQuery(serializers.Serializer):
    year = serializers.IntegerField(
        min_value=2000,
        max_value=2100,
        error_messages={
            "required": "请提供年度 year，例如 2025。",
            "invalid": "年度 year 应为整数，例如 2025。",
            "min_value": "年度 year 应在 2000 至 2100 之间。",
            "max_value": "年度 year 应在 2000 至 2100 之间。",
            "max_string_length": "年度 year 过长。",
        },
    )
    month = serializers.IntegerField(
        min_value=1,
        max_value=12,
        error_messages={
            "required": "请提供月份 month（1–12）。",
            "invalid": "月份 month 应为 1 至 12 的整数。",
            "min_value": "月份 month 应为 1 至 12 的整数。",
            "max_value": "月份 month 应为 1 至 12 的整数。",
            "max_string_length": "月份 month 过长。",
        },
    )


ITEMS = inline_serializer(
    "InspectionPlanItem",
    many=True,
    fields={
        "kind": serializers.CharField(
            help_text="new_permit 新发证检查、periodic 例行检查、random_draw 双随机抽查"
        ),
        "kind_display": serializers.CharField(),
        "reason": serializers.CharField(
            help_text="依据，如“新发证（首次申请 2025-08-31），须于 2025-11-30 前完成首次检查”"
        ),
        "window_start": serializers.DateField(),
        "window_end": serializers.DateField(),
        "planned_month": serializers.DateField(help_text="计划月份（该月 1 日）"),
        "state": serializers.CharField(help_text="open 待检查、done 已完成、withdrawn 不再需要"),
        "done_on": serializers.DateField(allow_null=True),
        "alert": serializers.CharField(help_text="due_soon 临期、overdue 逾期，空为无"),
    },
)
FACILITY = inline_serializer(
    "InspectionPlanFacility",
    {
        "id": serializers.IntegerField(),
        "source_code": serializers.CharField(),
        "name": serializers.CharField(),
        "town": serializers.CharField(),
        "management_level": serializers.CharField(),
    },
)
PAGE = inline_serializer(
    "InspectionPlanMonth",
    {
        "year": serializers.IntegerField(),
        "month": serializers.IntegerField(),
        "month_plan": inline_serializer(
            "InspectionPlanMonthMade",
            {"made_at": serializers.DateTimeField(), "made_by": serializers.CharField(allow_null=True)},
            allow_null=True,
        ),
        "count": serializers.IntegerField(help_text="单位数"),
        "next": serializers.URLField(allow_null=True),
        "previous": serializers.URLField(allow_null=True),
        "results": inline_serializer(
            "InspectionPlanEntry", {"facility": FACILITY, "items": ITEMS}, many=True
        ),
    },
)


def _item(item) -> dict:
    return {
        "kind": item.kind,
        "kind_display": item.get_kind_display(),
        "reason": item.reason,
        "window_start": item.window_start,
        "window_end": item.window_end,
        "planned_month": item.planned_month,
        "state": item.state,
        "done_on": item.done_on,
        "alert": item.alert,
    }


class InspectionPlanView(APIView):
    @extend_schema(
        tags=["检查计划"],
        summary="月度应检事项（按单位）",
        description="某年某月按频次规则应检查的事项，按排污单位分组，含依据和期限（R-INS-3、R-INS-4，按月细化）。"
        "该月已编制月度计划的，列出月度计划中的事项（month_plan 给出编制时间和编制人，系统自动编制时 made_by 为空）；"
        "尚未编制的，列出计划月份不晚于该月、期限在该月初仍未届满的待检查事项，以及在该月内完成的事项（month_plan 为 null）。"
        "每页 50 家单位；街镇无权查看（与检查计划页面一致）。",
        parameters=[
            OpenApiParameter("year", int, description="年度，如 2025", required=True),
            OpenApiParameter("month", int, description="月份 1–12", required=True),
            OpenApiParameter("page", int, description="页码"),
        ],
        responses={200: PAGE, 400: ERRORS[400], 403: ERRORS[403], 404: ERRORS[404]},
    )
    def get(self, request):
        viewer = Viewer.of(request.user)
        if viewer.is_nobody:
            raise PermissionDenied("您的账号没有人员档案，无权查看检查计划。")
        if viewer.is_town:  # as on the plan's pages: who is inspected when stays in the bureau
            raise PermissionDenied(
                "检查计划由局内科室使用，街镇无权查看；本辖区单位已签署的检查记录可在单位页面查看。"
            )
        query = MonthQuery(data=request.query_params)
        if not query.is_valid():
            raise BadQuery(query.errors)
        year, month = query.validated_data["year"], query.validated_data["month"]
        made = plan_queries.month_plan(year, month)
        items = plan_queries.month_items(request.user, year, month, made)
        facility_ids = (
            items.order_by("facility__source_code").values_list("facility_id", flat=True).distinct()
        )
        paginator = PageNumberPagination()
        page_ids = paginator.paginate_queryset(facility_ids, request, view=self)
        grouped: dict[int, dict] = {}
        for item in items.filter(facility_id__in=list(page_ids)).order_by("window_end", "key"):
            facility = item.facility
            entry = grouped.setdefault(
                facility.pk,
                {
                    "facility": {
                        "id": facility.pk,
                        "source_code": facility.source_code,
                        "name": facility.name,
                        "town": facility.town.name,
                        "management_level": facility.management_level,
                    },
                    "items": [],
                },
            )
            entry["items"].append(_item(item))
        made_by = made.made_by if made else None
        return Response(
            {
                "year": year,
                "month": month,
                "month_plan": (
                    {
                        "made_at": made.made_at,
                        "made_by": made_by.get_full_name() or made_by.username if made_by else None,
                    }
                    if made
                    else None
                ),
                "count": paginator.page.paginator.count,
                "next": paginator.get_next_link(),
                "previous": paginator.get_previous_link(),
                "results": [grouped[pk] for pk in page_ids if pk in grouped],
            }
        )
