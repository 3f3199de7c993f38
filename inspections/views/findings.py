"""检查发现问题 (R-INS-7, R-INS-8): every finding the user may see with its class, disposition, state,
inspection and point, ledger item, case and linkage task; and 发起三监联动 on one finding another
department must act on (R-LNK-1), for 执法大队."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse

from bureau.access import BUREAU_SECTIONS, Viewer, section_code, section_required
from bureau.documents import exports
from bureau.models import Staff
from bureau.web import record_id, submit_step
from inspections import queries, rules
from inspections.forms import FindingFilterForm, FindingTaskForm
from inspections.services import findings as finding_services

PAGE_SIZE = 50
ONLY_ENFORCEMENT = "只有执法大队可以就检查发现的问题发起三监联动任务。"


def listed_findings(user, query):
    """The filter form of ``query`` and the findings ``user`` may see under it, newest first: what the
    page lists and its Excel export holds (``inspections.exports``)."""
    form = FindingFilterForm(query)
    return form, form.filter(queries.finding_list(user)).order_by("-found_on", "-id")


@section_required(*BUREAU_SECTIONS)
def finding_list(request):
    """检查发现问题, filtered by class, disposition, state, facility and date; 50 a page in a fixed
    number of queries."""
    user = request.user
    form, rows = listed_findings(user, request.GET)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    viewer = Viewer.of(user)
    return render(
        request,
        "inspections/findings.html",
        {
            "form": form,
            "page": page,
            "may_read_cases": viewer.in_sections(rules.CASE_SECTIONS),
            "may_start_task": viewer.section_code == rules.INSPECTING_SECTION,
        },
    )


@section_required(*BUREAU_SECTIONS)
def finding_export(request):
    """The filtered findings as Excel, all pages (``inspections.exports``)."""
    return exports.respond(request, "inspections.findings")


def _brigade_staff(user) -> list[Staff]:
    """执法大队's active staff, the 经办人 and 负责人 the task may name (one query)."""
    return list(
        Staff.objects.filter(section__code=rules.INSPECTING_SECTION, user__is_active=True)
        .select_related("user")
        .order_by("user__username")
    )


def _finding_for(user, pk):
    finding = (
        queries.finding_list(user).select_related("inspection__facility").filter(pk=record_id(pk)).first()
        if record_id(pk)
        else None
    )
    if finding is None:
        raise Http404("未找到该检查发现问题。")
    return finding


def _description(finding) -> str:
    return (
        f"现场检查 {finding.inspection.number}（{finding.found_on:%Y-%m-%d}）发现{finding.facility.name}"
        f"第 {finding.answer.point.code} 项“{finding.answer.point.text}”不符合（{finding.get_kind_display()}）："
        f"{finding.description}"
    )


@section_required(rules.INSPECTING_SECTION)
def finding_task(request, pk):
    """发起三监联动 on a finding (R-LNK-1): receivers, description pre-filled from the finding, handler
    and head of 执法大队; on success the task's page."""
    user = request.user
    if section_code(user) != rules.INSPECTING_SECTION:
        raise PermissionDenied(ONLY_ENFORCEMENT)
    finding = _finding_for(user, pk)
    staff = _brigade_staff(user)
    context = {"finding": finding}
    if request.method != "POST":
        form = FindingTaskForm(staff=staff, user=user, initial={"description": _description(finding)})
        return render(request, "inspections/finding_task.html", {**context, "form": form})
    form = FindingTaskForm(request.POST, staff=staff, user=user)

    def call(data):
        task = finding_services.start_task_from_finding(by=user, finding=finding, **data)
        return f"已发起三监联动任务 {task.number}。", reverse("linkage:task-detail", args=[task.pk])

    def render_again(*, form, status, alert):
        shown = form or FindingTaskForm(request.POST, staff=staff, user=user)
        return render(
            request,
            "inspections/finding_task.html",
            {**context, "form": shown, "alert": alert},
            status=status,
        )

    return submit_step(request, form, call=call, render_again=render_again)
