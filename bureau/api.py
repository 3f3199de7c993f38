"""API of the platform: the working-day calculator (R-CAL-1), the serializer base every app's API
writes through, and what the apps' PDF actions share (the renderer, routes without a trailing slash)."""

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from bureau.calendar import WorkCalendar


def error_responses(*, forbidden: str, not_found: str, conflict: str | None = None) -> dict:
    """The documented error answers of an endpoint, as ``bureau.errors`` gives them: 400 with Chinese
    messages by field, 403 and 404 (and 409 when ``conflict`` is given) with a Chinese ``detail``."""
    responses = {
        400: OpenApiResponse(OpenApiTypes.OBJECT, description="输入有误：按字段列出中文错误信息"),
        403: OpenApiResponse(OpenApiTypes.OBJECT, description=forbidden),
        404: OpenApiResponse(OpenApiTypes.OBJECT, description=not_found),
    }
    if conflict:
        responses[409] = OpenApiResponse(OpenApiTypes.OBJECT, description=conflict)
    return responses


class PDFRenderer(BaseRenderer):
    """Lets a client ask for ``Accept: application/pdf`` without a 406. A PDF action (a slip, a notice)
    answers with the PDF itself; an error on the way (404) is still answered as JSON, and says so."""

    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes):
            return data
        response = (renderer_context or {}).get("response")
        if response is not None:
            response["Content-Type"] = "application/json"
        return JSONRenderer().render(data)


class FileActionRoutes:
    """Router mixin: a file-like action (``slip.pdf``, ``notice.pdf``) gets no trailing slash."""

    def _get_dynamic_route(self, route, action):
        route = super()._get_dynamic_route(route, action)
        if "." in action.url_path:
            route = route._replace(url=route.url.replace("{trailing_slash}", ""))
        return route


def iso_date(value) -> str | None:
    """A date as DRF's ``DateField`` writes it (ISO 8601; None for none), for serializers that write
    their rows out by hand."""
    if not value:
        return None
    return value if isinstance(value, str) else value.isoformat()


class KnownFieldsOnly(serializers.Serializer):
    # Refuses fields it does not know, so a typo or a read-only field is a 400, never silently
    # dropped. (A comment, not a docstring: docstrings of serializers become the API's descriptions.)

    unknown_field_message = "没有名为“{name}”的可写字段。"

    def validate(self, attrs):
        unknown = sorted(set(getattr(self, "initial_data", {})) - set(self.fields))
        if unknown:
            raise serializers.ValidationError(
                {name: [self.unknown_field_message.format(name=name)] for name in unknown}
            )
        return attrs


class OneDayViewSet(viewsets.GenericViewSet):
    """Fixes ``today`` once per request and hands it to the serializers, so a list, its filters and
    every derived value (overdue, days left) agree even across midnight."""

    def initial(self, request, *args, **kwargs):
        self.today = timezone.localdate()
        super().initial(request, *args, **kwargs)

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "today": getattr(self, "today", None)}

    def valid_data(self, serializer_class, **kwargs) -> dict:
        """The request's body through ``serializer_class``, validated (400 with the Chinese errors)."""
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context(), **kwargs)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data


class WorkdaysQuery(serializers.Serializer):
    start = serializers.DateField(
        input_formats=["%Y-%m-%d"],
        error_messages={
            "required": "请提供起始日期 start，格式 YYYY-MM-DD。",
            "invalid": "起始日期 start 格式错误，应为 YYYY-MM-DD，例如 2025-09-30。",
        },
    )
    days = serializers.IntegerField(
        min_value=0,
        max_value=3650,
        error_messages={
            "required": "请提供工作日数 days。",
            "invalid": "工作日数 days 应为整数。",
            "min_value": "工作日数 days 不能小于 0。",
            "max_value": "工作日数 days 不能大于 3650。",
            "max_string_length": "工作日数 days 过长。",
        },
    )


class WorkdaysView(APIView):
    """The date ``days`` working days after ``start`` (``start`` itself not counted)."""

    @extend_schema(
        summary="按工作日推算期限",
        parameters=[
            OpenApiParameter("start", str, description="起始日期 YYYY-MM-DD", required=True),
            OpenApiParameter("days", int, description="工作日数（0–3650）", required=True),
        ],
        responses=inline_serializer(
            "Workdays",
            {
                "start": serializers.DateField(),
                "days": serializers.IntegerField(),
                "date": serializers.DateField(),
                "date_provisional": serializers.BooleanField(
                    help_text="跨越尚未确认工作日历的年度，暂按双休日推算"
                ),
            },
        ),
    )
    def get(self, request):
        query = WorkdaysQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        start, days = query.validated_data["start"], query.validated_data["days"]
        end = WorkCalendar().deadline(start, days)
        return Response(
            {
                "start": start.isoformat(),
                "days": days,
                "date": end.on.isoformat(),
                "date_provisional": end.is_provisional,
            }
        )
