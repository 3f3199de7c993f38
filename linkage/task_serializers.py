"""Serializers of the 三监联动 task API (/api/v1/linkage/tasks/).

Read serializers show what the task page and the transfer slip show (附件5: 部门、问题描述或接收与执行
情况或结果反馈、经办人、负责人、日期、备注), with the derived ``is_overdue`` (R-LNK-6, R-LNK-7). Write
serializers check shapes and types only, and every field is optional: who may take a step, in which
state, with which 经办人 and 负责人 and what must be filled in is ``linkage.services.tasks``' business,
which answers in Chinese per field (400), 403 or 409. So a department that may not take a step is told
so even when its body is also incomplete.
"""

from django.urls import reverse
from django.utils import timezone
from rest_framework import serializers

from bureau.api import KnownFieldsOnly, iso_date
from bureau.models import User
from linkage import queries, rules
from linkage.models import Assignment, AssignmentState, LinkageTask, SourceKind, TaskState, TaskStep
from permits.models import Facility

USER_ID_ERRORS = {
    "does_not_exist": "未找到编号为 {pk_value} 的用户。",
    "incorrect_type": "应填写用户编号（整数）。",
}


def _text(label: str, **kwargs) -> serializers.CharField:
    return serializers.CharField(required=False, allow_blank=True, default="", label=label, **kwargs)


def _person(label: str, help_text: str) -> serializers.PrimaryKeyRelatedField:
    return serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        label=label,
        help_text=help_text,
        error_messages=USER_ID_ERRORS,
    )


def _day(label: str) -> serializers.DateField:
    return serializers.DateField(required=False, label=label, help_text="默认今天")


class WithToday(KnownFieldsOnly):
    # Dates a step was taken on default to today. (A comment, not a docstring: a serializer's
    # docstring becomes the API's description.)

    date_fields: tuple[str, ...] = ()

    def validate(self, attrs):
        attrs = super().validate(attrs)
        for name in self.date_fields:
            attrs.setdefault(name, timezone.localdate())
        return attrs


# Reading --------------------------------------------------------------------------------------------------


class TaskSectionSerializer(serializers.Serializer):
    code = serializers.CharField(read_only=True, label="科室代码")
    name = serializers.CharField(read_only=True, label="科室名称")
    short_name = serializers.CharField(read_only=True, label="简称")


class TaskPersonSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True, label="用户编号")
    name = serializers.CharField(source="display_name", read_only=True, label="姓名")


class TaskFacilitySerializer(serializers.ModelSerializer):
    class Meta:
        model = Facility
        fields = ["id", "name", "source_code", "credit_code"]
        read_only_fields = fields


# States are plain strings in the schema: an enum would collide by name with the permits' ``state``
# (drf-spectacular names enums after the field; ENUM_NAME_OVERRIDES is a project setting).
ASSIGNMENT_STATES = "、".join(f"{value}（{label}）" for value, label in AssignmentState.choices)
TASK_STATES = "、".join(f"{value}（{label}）" for value, label in TaskState.choices)


class TaskAssignmentSummarySerializer(serializers.ModelSerializer):
    section = TaskSectionSerializer(read_only=True, label="接收部门")
    state = serializers.CharField(read_only=True, label="状态", help_text=ASSIGNMENT_STATES)
    state_display = serializers.CharField(source="get_state_display", read_only=True, label="状态名称")

    class Meta:
        model = Assignment
        fields = ["id", "section", "state", "state_display"]
        read_only_fields = fields


class TaskAssignmentSerializer(TaskAssignmentSummarySerializer):
    execution_handler = TaskPersonSerializer(read_only=True, allow_null=True, label="执行经办人")
    execution_head = TaskPersonSerializer(read_only=True, allow_null=True, label="执行负责人")
    feedback_handler = TaskPersonSerializer(read_only=True, allow_null=True, label="反馈经办人")
    feedback_head = TaskPersonSerializer(read_only=True, allow_null=True, label="反馈负责人")

    class Meta(TaskAssignmentSummarySerializer.Meta):
        fields = [
            *TaskAssignmentSummarySerializer.Meta.fields,
            "received_on",
            "execution",
            "execution_handler",
            "execution_head",
            "executed_on",
            "execution_remarks",
            "feedback",
            "feedback_handler",
            "feedback_head",
            "fed_back_on",
            "feedback_remarks",
        ]
        read_only_fields = fields


class TaskStepSerializer(serializers.ModelSerializer):
    action_display = serializers.SerializerMethodField(label="操作名称")
    section = TaskSectionSerializer(read_only=True, allow_null=True, label="操作部门")
    actor = TaskPersonSerializer(read_only=True, allow_null=True, label="操作人", help_text="系统任务为空")

    class Meta:
        model = TaskStep
        fields = ["id", "action", "action_display", "section", "actor", "at", "on", "note"]
        read_only_fields = fields

    def get_action_display(self, step) -> str:
        return rules.ACTION_LABELS.get(step.action, step.action)


# get_FOO_display() without its per-call normalisation of the choices (it was a fifth of a list page).
TASK_STATE_LABELS = {value: str(label) for value, label in TaskState.choices}
SOURCE_KIND_LABELS = {value: str(label) for value, label in SourceKind.choices}
ASSIGNMENT_STATE_LABELS = {value: str(label) for value, label in AssignmentState.choices}


class TaskListSerializer(serializers.ModelSerializer):
    initiator = TaskSectionSerializer(read_only=True, label="发起部门")
    facility = TaskFacilitySerializer(read_only=True, allow_null=True, label="排污单位")
    state = serializers.CharField(read_only=True, label="状态", help_text=TASK_STATES)
    state_display = serializers.CharField(source="get_state_display", read_only=True, label="状态名称")
    source_kind_display = serializers.CharField(
        source="get_source_kind_display", read_only=True, label="任务来源名称"
    )
    is_overdue = serializers.SerializerMethodField(
        label="已逾期", help_text="按工作日计的办理期限已过且未销号"
    )
    waiting_for = serializers.SerializerMethodField(
        label="当前待办", help_text="轮到谁办理哪一步，如“待执法大队接收”，与任务页面所示相同"
    )
    assignments = TaskAssignmentSummarySerializer(many=True, read_only=True, label="接收部门")

    class Meta:
        model = LinkageTask
        fields = [
            "id",
            "number",
            "initiator",
            "facility",
            "description",
            "started_on",
            "deadline_workdays",
            "deadline_on",
            "deadline_provisional",
            "is_overdue",
            "waiting_for",
            "state",
            "state_display",
            "source_kind",
            "source_kind_display",
            "from_paper",
            "assignments",
        ]
        read_only_fields = fields

    def get_is_overdue(self, task) -> bool:
        return rules.is_overdue(task.deadline_on, self.context["today"], task.state)

    def get_waiting_for(self, task) -> str:
        return queries.waiting_for(task)


def task_row(task: dict, assignments: list[dict], today) -> dict:
    """A row of the task list as ``TaskListSerializer`` writes a task (tests/linkage/test_api_tasks.py
    compares the two field by field), from ``queries.list_values`` and ``queries.assignments_of``: a
    list page is 50 tasks with their departments, and model instances through the generic path cost
    several times the page's SQL (issue 15)."""
    return {
        "id": task["id"],
        "number": task["number"],
        "initiator": {
            "code": task["initiator_code"],
            "name": task["initiator_name"],
            "short_name": task["initiator_short_name"],
        },
        "facility": None
        if task["facility_id"] is None
        else {
            "id": task["facility_id"],
            "name": task["facility_name"],
            "source_code": task["facility_source_code"],
            "credit_code": task["facility_credit_code"],
        },
        "description": task["description"],
        "started_on": iso_date(task["started_on"]),
        "deadline_workdays": task["deadline_workdays"],
        "deadline_on": iso_date(task["deadline_on"]),
        "deadline_provisional": task["deadline_provisional"],
        "is_overdue": rules.is_overdue(task["deadline_on"], today, task["state"]),
        "waiting_for": queries.waiting_text(
            task["state"],
            lambda: task["initiator_short_name"],
            lambda: ((a["section_short_name"], a["state"]) for a in assignments),
        ),
        "state": task["state"],
        "state_display": TASK_STATE_LABELS.get(task["state"], task["state"]),
        "source_kind": task["source_kind"],
        "source_kind_display": SOURCE_KIND_LABELS.get(task["source_kind"], task["source_kind"]),
        "from_paper": task["from_paper"],
        "assignments": [
            {
                "id": assignment["id"],
                "section": {
                    "code": assignment["section_code"],
                    "name": assignment["section_name"],
                    "short_name": assignment["section_short_name"],
                },
                "state": assignment["state"],
                "state_display": ASSIGNMENT_STATE_LABELS.get(assignment["state"], assignment["state"]),
            }
            for assignment in assignments
        ],
    }


class TaskSerializer(TaskListSerializer):
    # A task the system started carries no 经办人 or 负责人 until its head confirms it (R-LNK-1).
    handler = TaskPersonSerializer(read_only=True, allow_null=True, label="经办人")
    head = TaskPersonSerializer(read_only=True, allow_null=True, label="负责人")
    requested_by = serializers.CharField(
        source="requested_by.code", read_only=True, allow_null=True, default=None, label="提出需求部门"
    )
    closed_by = TaskPersonSerializer(read_only=True, allow_null=True, label="销号人")
    archived_by = TaskPersonSerializer(read_only=True, allow_null=True, label="归档人")
    assignments = TaskAssignmentSerializer(many=True, read_only=True, label="接收部门")
    steps = TaskStepSerializer(many=True, read_only=True, label="办理记录")
    slip_url = serializers.SerializerMethodField(label="线下转办单（PDF）")

    class Meta(TaskListSerializer.Meta):
        fields = [
            *TaskListSerializer.Meta.fields,
            "handler",
            "head",
            "started_by_system",
            "head_confirmed_on",
            "requested_by",
            "remarks",
            "source_url",
            "source_label",
            "closed_on",
            "closed_by",
            "archived_on",
            "archived_by",
            "created_at",
            "steps",
            "slip_url",
        ]
        read_only_fields = fields

    def get_slip_url(self, task) -> str:
        return reverse("api-linkage-task-slip", args=[task.pk])


# Writing --------------------------------------------------------------------------------------------------


class TaskStartSerializer(WithToday):
    """发起三监联动任务（R-LNK-1）：以本人所在部门为发起部门，发给一个或多个接收部门（R-LNK-2）。"""

    date_fields = ("started_on",)

    receivers = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        default=list,
        label="接收部门",
        help_text="科室代码：approval（审批科）、ecology（生态科）、pollution（污防科）、"
        "monitoring（监测站）、enforcement（执法大队）",
    )
    description = _text("问题描述", help_text="问题缘由和需要联动的内容")
    handler = _person("经办人", "发起部门的工作人员（用户编号）")
    head = _person("负责人", "发起部门的负责人（用户编号）")
    started_on = _day("发起日期")
    facility = serializers.PrimaryKeyRelatedField(
        queryset=Facility.objects.none(),
        required=False,
        allow_null=True,
        default=None,
        label="排污单位",
        error_messages={
            "does_not_exist": "未找到编号为 {pk_value} 的排污单位。",
            "incorrect_type": "排污单位应填写其编号（整数）。",
        },
    )
    remarks = _text("备注", max_length=LinkageTask._meta.get_field("remarks").max_length)
    deadline_workdays = serializers.IntegerField(
        required=False, label="办理时限（工作日）", help_text="默认 15 个工作日"
    )
    source_kind = serializers.CharField(
        required=False,
        label="任务来源",
        help_text="report_review、inspection、monitoring_anomaly、complaint、expired_permit、"
        "town_report 或 manual（默认）",
    )
    from_paper = serializers.BooleanField(
        required=False,
        default=False,
        label="据纸质转办单补录",
        help_text="补录线下纸质转办单时为 true，日期按纸质单填写",
    )

    def __init__(self, *args, facilities=None, **kwargs):
        super().__init__(*args, **kwargs)
        if facilities is not None:
            # Only a facility the user may see can be named (R-ORG-3).
            self.fields["facility"].queryset = facilities


class TaskReceiveSerializer(WithToday):
    """接收与执行（R-LNK-2）：本部门接收任务并填写执行情况。"""

    date_fields = ("executed_on",)

    execution = _text("接收与执行情况")
    handler = _person("经办人", "本部门的工作人员（用户编号）")
    head = _person("负责人", "本部门的负责人（用户编号）")
    executed_on = _day("执行日期")
    remarks = _text("备注", max_length=Assignment._meta.get_field("execution_remarks").max_length)


class TaskFeedbackSerializer(WithToday):
    """结果反馈（R-LNK-3）：本部门把执行结果反馈给发起部门。"""

    date_fields = ("fed_back_on",)

    result = _text("结果反馈")
    handler = _person("经办人", "本部门的工作人员（用户编号）")
    head = _person("负责人", "本部门的负责人（用户编号）")
    fed_back_on = _day("反馈日期")
    remarks = _text("备注", max_length=Assignment._meta.get_field("feedback_remarks").max_length)


class TaskCloseSerializer(WithToday):
    """问题销号（R-LNK-6）：各接收部门均已反馈后，由发起部门销号。"""

    date_fields = ("closed_on",)

    closed_on = _day("销号日期")
    note = _text("说明")


class TaskReturnSerializer(WithToday):
    """退回：发起部门对反馈结果不满意时说明理由退回，各接收部门重新反馈。"""

    date_fields = ("returned_on",)

    reason = _text("退回理由")
    returned_on = _day("退回日期")


class TaskArchiveSerializer(WithToday):
    """归档整理（R-LNK-4）：审批科对已销号的任务归档。"""

    date_fields = ("archived_on",)

    archived_on = _day("归档日期")


class TaskPaperRowSerializer(KnownFieldsOnly):
    """补录纸质转办单（R-LNK-5）：按纸质转办单补录一个接收部门的接收与执行和结果反馈，日期按纸质单填写。
    发起部门、审批科或该接收部门可以补录；经办人、负责人为接收部门人员。"""

    section = _text(
        "接收部门",
        help_text="接收部门的科室代码：approval、ecology、pollution、monitoring 或 enforcement",
    )
    execution = _text("接收与执行情况", help_text="该部门尚未接收时必填；已接收时不填")
    execution_handler = _person("经办人（接收与执行）", "接收部门的工作人员（用户编号）")
    execution_head = _person("负责人（接收与执行）", "接收部门的负责人（用户编号）")
    executed_on = serializers.DateField(
        required=False, allow_null=True, default=None, label="接收与执行日期", help_text="纸质转办单上的日期"
    )
    execution_remarks = _text(
        "备注（接收与执行）", max_length=Assignment._meta.get_field("execution_remarks").max_length
    )
    feedback = _text("结果反馈", help_text="纸质转办单上尚无结果反馈时可不填")
    feedback_handler = _person("经办人（结果反馈）", "接收部门的工作人员（用户编号）")
    feedback_head = _person("负责人（结果反馈）", "接收部门的负责人（用户编号）")
    fed_back_on = serializers.DateField(
        required=False, allow_null=True, default=None, label="结果反馈日期", help_text="纸质转办单上的日期"
    )
    feedback_remarks = _text(
        "备注（结果反馈）", max_length=Assignment._meta.get_field("feedback_remarks").max_length
    )
