"""The 三监联动 task API under /api/v1/linkage/tasks/ (R-LNK-1…7).

Thin, as DESIGN.md asks: reads are scoped by ``linkage.queries`` (a task the user may not see answers
404, exactly as a missing one), bodies are type-checked by ``linkage.task_serializers``, and every
write is one service call of ``linkage.services.tasks``, which decides who may take which step when
(``linkage.rules.step_error``). The services raise Django's ``ValidationError``, ``PermissionDenied``
and ``bureau.errors.Conflict``, which ``bureau.errors.api_exception_handler`` answers as 400 per
field, 403 and 409, in Chinese.
"""

import django_filters
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from bureau import sections
from bureau.api import FileActionRoutes, OneDayViewSet, PDFRenderer, error_responses
from bureau.documents.pdf import pdf_response
from bureau.web import MAX_ID
from linkage import queries, rules, slips
from linkage.models import LinkageTask, TaskState
from linkage.services import tasks as services
from linkage.task_serializers import (
    TaskArchiveSerializer,
    TaskCloseSerializer,
    TaskFeedbackSerializer,
    TaskListSerializer,
    TaskPaperRowSerializer,
    TaskReceiveSerializer,
    TaskReturnSerializer,
    TaskSerializer,
    TaskStartSerializer,
    task_row,
)
from permits.queries import visible_facilities

ERRORS = error_responses(
    forbidden="这一步不归您所在的部门办理（detail 说明由谁办理）",
    not_found="任务不存在，或您无权查看（两者答复相同）",
    conflict="任务当前状态不能进行这一步，或刚刚已由他人办理（detail 说明原因）",
)
PDF = OpenApiResponse(OpenApiTypes.BINARY, description="线下转办单 PDF（A4，附件5 格式）")


class TaskFilter(django_filters.FilterSet):
    """Filters of the task list (R-LNK-6: open and overdue tasks per department)."""

    department = django_filters.ChoiceFilter(
        choices=[(code, sections.SHORT_NAMES[code]) for code in rules.SIDES],
        method="by_department",
        label="部门（发起或接收）",
    )
    state = django_filters.ChoiceFilter(field_name="state", choices=TaskState.choices, label="状态")
    overdue = django_filters.BooleanFilter(method="by_overdue", label="已逾期")
    facility = django_filters.NumberFilter(
        field_name="facility_id", label="排污单位", min_value=1, max_value=MAX_ID
    )

    class Meta:
        model = LinkageTask
        fields = ["department", "state", "overdue", "facility"]

    def by_department(self, queryset, name, value):
        return queries.involving(queryset, value)

    def by_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        today = timezone.localdate()
        if value:
            return queries.overdue(queryset, today)
        return queryset.exclude(pk__in=queries.overdue(LinkageTask.objects.all(), today))


@extend_schema(tags=["三监联动任务"])
@extend_schema_view(
    list=extend_schema(
        summary="三监联动任务列表",
        description="只列出您可以查看的任务：审批科、局领导看全部；其他联动部门看本部门发起或接收的；"
        "街镇看涉及本辖区排污单位的（R-ORG-3）。可按部门、状态、是否逾期（按工作日计，R-LNK-7）和排污单位筛选。",
    ),
    retrieve=extend_schema(
        summary="三监联动任务详情",
        description="含各接收部门的接收与执行、结果反馈，以及每一步的办理记录（谁、何时）。",
        responses={200: TaskSerializer, 404: ERRORS[404]},
    ),
)
class TaskViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, OneDayViewSet):
    queryset = LinkageTask.objects.none()  # the schema's model; requests use get_queryset
    serializer_class = TaskListSerializer
    filterset_class = TaskFilter
    lookup_value_converter = "int"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return LinkageTask.objects.none()
        return queries.with_assignments(queries.visible_tasks(self.request.user))

    def get_object(self) -> LinkageTask:
        return queries.task_for_user(self.request.user, self.kwargs["pk"])

    def list(self, request):
        # The page as plain values, its departments in one more query, each row written as
        # TaskListSerializer writes a task (issue 15).
        tasks = self.filter_queryset(queries.visible_tasks(request.user))
        page = self.paginate_queryset(queries.list_values(tasks))
        assignments = queries.assignments_of([task["id"] for task in page])
        rows = [task_row(task, assignments.get(task["id"], []), self.today) for task in page]
        return self.get_paginated_response(rows)

    def retrieve(self, request, pk=None):
        return Response(TaskSerializer(self.get_object(), context=self.get_serializer_context()).data)

    def _valid(self, serializer_class, **kwargs) -> dict:
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context(), **kwargs)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def _answer(self, task: LinkageTask, answer=status.HTTP_200_OK) -> Response:
        fresh = queries.task_for_user(self.request.user, task.pk)
        return Response(TaskSerializer(fresh, context=self.get_serializer_context()).data, status=answer)

    @extend_schema(
        summary="发起三监联动任务",
        description="以您所在的部门为发起部门（R-LNK-1），发给一个或多个接收部门（R-LNK-2）；办理期限按工作日"
        "计算（R-LNK-7）。补录纸质转办单时 from_paper 为 true，日期按纸质单填写（R-LNK-5）。",
        request=TaskStartSerializer,
        responses={201: TaskSerializer, 400: ERRORS[400], 403: ERRORS[403]},
    )
    def create(self, request):
        initiator = services.initiator_of(request.user)
        data = self._valid(TaskStartSerializer, facilities=visible_facilities(request.user))
        task = services.start_linkage_task(by=request.user, initiator=initiator, **data)
        return self._answer(task, status.HTTP_201_CREATED)

    @extend_schema(
        summary="接收与执行",
        description="只有接收部门可以办理，每个部门一次（R-LNK-2）。经办人、负责人应为本部门人员。",
        request=TaskReceiveSerializer,
        responses={200: TaskSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def receive(self, request, pk=None):
        task = self.get_object()
        services.receive_task(by=request.user, task=task, **self._valid(TaskReceiveSerializer))
        return self._answer(task)

    @extend_schema(
        summary="结果反馈",
        description="接收部门接收并执行后，把结果反馈给发起部门（R-LNK-3）；各部门均已反馈后任务待销号。",
        request=TaskFeedbackSerializer,
        responses={200: TaskSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def feedback(self, request, pk=None):
        task = self.get_object()
        data = self._valid(TaskFeedbackSerializer)
        services.feed_back_task(by=request.user, task=task, **data)
        return self._answer(task)

    @extend_schema(
        summary="问题销号",
        description="各接收部门均已反馈后，由发起部门销号（R-LNK-6）。",
        request=TaskCloseSerializer,
        responses={200: TaskSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def close(self, request, pk=None):
        task = self.get_object()
        services.close_task(by=request.user, task=task, **self._valid(TaskCloseSerializer))
        return self._answer(task)

    @extend_schema(
        summary="退回任务",
        description="各接收部门均已反馈后，发起部门可说明理由退回，各接收部门重新反馈。",
        request=TaskReturnSerializer,
        responses={200: TaskSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="return", filter_backends=[], pagination_class=None)
    def return_task(self, request, pk=None):
        task = self.get_object()
        services.return_task(by=request.user, task=task, **self._valid(TaskReturnSerializer))
        return self._answer(task)

    @extend_schema(
        summary="归档整理",
        description="审批科对已销号的任务归档整理（R-LNK-4）。",
        request=TaskArchiveSerializer,
        responses={200: TaskSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def archive(self, request, pk=None):
        task = self.get_object()
        services.archive_task(by=request.user, task=task, **self._valid(TaskArchiveSerializer))
        return self._answer(task)

    @extend_schema(
        summary="补录纸质转办单的接收与执行、结果反馈",
        description="据纸质转办单补录一个接收部门（section）的接收与执行和结果反馈，日期按纸质单填写（R-LNK-5）。"
        "只适用于据纸质转办单补录的任务（否则 409）；发起部门、审批科（转办单由其归档整理，附件5 说明（4））"
        "或该接收部门可以补录（否则 403）；经办人、负责人应为接收部门人员。办理记录注明录入人；"
        "各部门均已反馈后任务待销号。",
        request=TaskPaperRowSerializer,
        responses={200: TaskSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="paper-row", filter_backends=[], pagination_class=None)
    def paper_row(self, request, pk=None):
        task = self.get_object()
        data = self._valid(TaskPaperRowSerializer)
        services.enter_paper_rows(by=request.user, task=task, section_code=data.pop("section"), **data)
        return self._answer(task)

    @extend_schema(
        operation_id="v1_linkage_tasks_slip_retrieve",
        summary="打印线下转办单",
        description="按 003 附件5 的格式生成该任务的线下转办单 PDF（R-LNK-5），含任务编号和任务页面的二维码。",
        responses={(200, "application/pdf"): PDF, 404: ERRORS[404]},
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="slip.pdf",
        url_name="slip",
        renderer_classes=[JSONRenderer, PDFRenderer],
        filter_backends=[],
        pagination_class=None,
    )
    def slip(self, request, pk=None):
        task = self.get_object()
        pdf = slips.render_task_slip(task)
        return pdf_response(pdf, slips.slip_filenames(task))


class TaskRouter(FileActionRoutes, SimpleRouter):
    """Path-converter routes; a file-like action (``slip.pdf``) gets no trailing slash."""


router = TaskRouter(use_regex_path=False)
router.register("linkage/tasks", TaskViewSet, basename="api-linkage-task")
urlpatterns = router.urls
