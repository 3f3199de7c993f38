"""Pages of enforcement monitoring (R-MON-1; 003 第三条、第七条) for the bureau's sections: the plans of
the years and one year's plan (生态科 makes and dispatches it), the tasks (监测站's queue first), one
task with 监测站's sampling, results and conclusion forms and 生态科's follow-up. Towns are refused
(403). Every write goes through ``monitoring.services``."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from bureau import sections
from bureau.access import section_code, section_required
from bureau.documents import exports
from bureau.sections import BUREAU_SECTIONS
from bureau.web import submit_step
from monitoring import queries, services
from monitoring.forms import (
    AddTaskForm,
    ConclusionForm,
    DispatchForm,
    PlanForm,
    ResultForm,
    SamplingForm,
    TaskFilterForm,
    WithdrawForm,
)
from monitoring.models import MonitoringPlanState, TaskState

PAGE_SIZE = 50
STATE_BADGES = {
    TaskState.PLANNED: "grey",
    TaskState.DISPATCHED: "orange",
    TaskState.SAMPLED: "blue",
    TaskState.CONCLUDED: "green",
    TaskState.WITHDRAWN: "grey",
}
LABELS = {"year": "年度", "due_on": "完成期限", "facility": "排污单位", "reason": "撤回原因"}


def _is(user, code: str) -> bool:
    return section_code(user) == code


# Plans -------------------------------------------------------------------------------------------------


@section_required(*BUREAU_SECTIONS)
def plan_list(request):
    """年度执法监测计划: each year's counts; 生态科 makes a year's plan here."""
    return _plan_list_page(request)


def _plan_list_page(request, *, form=None, status=200, alert=""):
    context = {
        "plans": list(queries.plan_list()),
        "form": form or PlanForm(),
        "may_make": _is(request.user, sections.ECOLOGY),
        "alert": alert,
    }
    return render(request, "monitoring/plan_list.html", context, status=status)


@require_POST
@section_required(sections.ECOLOGY)
def plan_make(request):
    """编制（或重新编制）a year's draft plan (生态科)."""
    form = PlanForm(request.POST)

    def call(data):
        plan = services.make_plan(by=request.user, year=data["year"])
        url = reverse("monitoring:plan-detail", args=[plan.year])
        return f"已编制 {plan.year} 年度执法监测计划。", url

    def render_again(*, form=None, status=400, alert=""):
        return _plan_list_page(request, form=form, status=status, alert=alert)

    return submit_step(request, form, call=call, render_again=render_again, labels=LABELS)


@section_required(*BUREAU_SECTIONS)
def plan_detail(request, year: int):
    """One year's plan: owed and done per part, the simplified draw's fingerprint and commitment (the
    seed once dispatched), and 生态科's buttons while it is a draft."""
    return _plan_page(request, year)


def _plan_page(request, year, *, form=None, status=200, alert=""):
    plan = queries.plan_of_year(year)
    if plan is None:
        raise Http404
    is_draft = plan.state == MonitoringPlanState.DRAFT
    context = {
        "plan": plan,
        "is_draft": is_draft,
        "may_edit": is_draft and _is(request.user, sections.ECOLOGY),
        "form": form or DispatchForm(),
        "alert": alert,
        "tasks_url": reverse("monitoring:task-list") + f"?year={plan.year}",
    }
    return render(request, "monitoring/plan_detail.html", context, status=status)


@require_POST
@section_required(sections.ECOLOGY)
def plan_dispatch(request, year: int):
    """下达监测站 (生态科)."""
    plan = queries.plan_of_year(year)
    if plan is None:
        raise Http404
    form = DispatchForm(request.POST)

    def call(data):
        services.dispatch_plan(by=request.user, plan=plan, due_on=data["due_on"])
        return f"已将 {plan.year} 年度执法监测计划下达监测站。"

    def render_again(*, form=None, status=400, alert=""):
        return _plan_page(request, year, form=form, status=status, alert=alert)

    url = reverse("monitoring:plan-detail", args=[year])
    return submit_step(request, form, call=call, render_again=render_again, success_url=url, labels=LABELS)


# Tasks -------------------------------------------------------------------------------------------------


def listed_tasks(user, query, today):
    """The filter form of ``query`` and the tasks ``user`` may see under it: what the page lists and
    its Excel export holds (``monitoring.exports``)."""
    form = TaskFilterForm(query or None)
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    tasks = queries.filter_tasks(
        queries.task_list(user),
        state=data.get("state", ""),
        kind=data.get("kind", ""),
        basis=data.get("basis", ""),
        town=data.get("town"),
        year=data.get("year"),
        overdue=data.get("overdue", False),
        today=today,
    )
    return form, tasks


@section_required(*BUREAU_SECTIONS)
def task_list(request):
    """执法监测任务, filtered by state, kind, basis, town, year and overdue; 监测站's open queue first."""
    today = timezone.localdate()
    form, tasks = listed_tasks(request.user, request.GET, today)
    page = Paginator(tasks, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "today": today,
        "badges": STATE_BADGES,
        "may_add": _is(request.user, sections.ECOLOGY),
        "open_states": [TaskState.DISPATCHED, TaskState.SAMPLED],
    }
    return render(request, "monitoring/task_list.html", context)


@section_required(*BUREAU_SECTIONS)
def task_export(request):
    """The filtered tasks as Excel, all pages (``monitoring.exports``)."""
    return exports.respond(request, "monitoring.tasks")


@section_required(sections.ECOLOGY)
def task_new(request):
    """临时增派 (生态科): one task to 监测站 outside the plan."""

    def render_again(*, form=None, status=200, alert=""):
        context = {"form": form or AddTaskForm(), "alert": alert}
        return render(request, "monitoring/task_new.html", context, status=status)

    if request.method != "POST":
        return render_again()
    form = AddTaskForm(request.POST)

    def call(data):
        task = services.add_task(
            by=request.user,
            facility=queries.facility_by_code(data["facility"]),
            kind=data["kind"],
            due_on=data["due_on"],
            note=data["note"],
        )
        return f"已向监测站增派任务 {task.number}。", services.task_url(task)

    return submit_step(request, form, call=call, render_again=render_again, labels=LABELS)


def _task_or_404(request, pk):
    task = queries.task_detail(request.user, pk)
    if task is None:
        raise Http404
    return task


def _task_page(request, task, *, status=200, alert="", **forms):
    is_station = _is(request.user, sections.MONITORING)
    is_open = task.state in (TaskState.DISPATCHED, TaskState.SAMPLED)
    context = {
        "task": task,
        "results": list(task.results.all()),
        "staff": list(task.staff.all()),
        "badges": STATE_BADGES,
        "is_station": is_station,
        "is_ecology": _is(request.user, sections.ECOLOGY),
        "is_open": is_open,
        "alert": alert,
        "today": timezone.localdate(),
        "no_limit": services.NO_LIMIT,
    }
    if is_station and is_open:
        context["sampling_form"] = forms.get("sampling_form") or _sampling_form(task)
        context["result_form"] = forms.get("result_form") or ResultForm()
        # The permit's pollutants at the sampled outlet, offered as the pollutant's list (R-MON-1).
        context["limited_pollutants"] = queries.limited_pollutants(task)
        context["conclusion_form"] = forms.get("conclusion_form") or ConclusionForm()
    if context["is_ecology"] and is_open:
        context["withdraw_form"] = forms.get("withdraw_form") or WithdrawForm()
    return render(request, "monitoring/task_detail.html", context, status=status)


def _sampling_form(task, data=None):
    initial = {
        "sampled_on": task.sampled_on or timezone.localdate(),
        "outlet": task.outlet_id,
        "staff": [u.pk for u in task.staff.all()],
        "note": task.sampling_note,
    }
    return SamplingForm(
        data,
        initial=initial,
        outlets=queries.outlets_of(task.facility_id),
        people=queries.station_staff(),
    )


@section_required(*BUREAU_SECTIONS)
def task_detail(request, pk: int):
    """One task: the sampling, results and conclusion (监测站's forms while open); for 生态科 the
    follow-up, with the lead's linkage task once started."""
    return _task_page(request, _task_or_404(request, pk))


def _step(request, pk, form_name, form, call):
    task = _task_or_404(request, pk)

    def render_again(*, form=None, status=400, alert=""):
        fresh = _task_or_404(request, pk)
        return _task_page(request, fresh, status=status, alert=alert, **({form_name: form} if form else {}))

    return submit_step(
        request,
        form,
        call=lambda data: call(task, data),
        render_again=render_again,
        success_url=services.task_url(task),
        labels=LABELS,
    )


@require_POST
@section_required(sections.MONITORING)
def task_sampling(request, pk: int):
    task = _task_or_404(request, pk)
    form = _sampling_form(task, request.POST)

    def call(task, data):
        outlets = {o.pk: o for o in queries.outlets_of(task.facility_id)}
        people = {u.pk: u for u in queries.station_staff()}
        services.record_sampling(
            by=request.user,
            task=task,
            sampled_on=data["sampled_on"],
            outlet=outlets.get(data["outlet"]),
            staff=[people[pk] for pk in data["staff"] if pk in people],
            note=data["note"],
        )
        return "已登记采样情况。"

    return _step(request, pk, "sampling_form", form, call)


@require_POST
@section_required(sections.MONITORING)
def task_result(request, pk: int):
    form = ResultForm(request.POST)

    def call(task, data):
        result = services.record_result(
            by=request.user,
            task=task,
            pollutant=data["pollutant"],
            measured=data["measured"],
            unit=data["unit"],
        )
        return f"已录入{result.pollutant}的监测结果。"

    return _step(request, pk, "result_form", form, call)


@require_POST
@section_required(sections.MONITORING)
def task_conclude(request, pk: int):
    form = ConclusionForm(request.POST)

    def call(task, data):
        task = services.conclude(by=request.user, task=task, conclusion=data["conclusion"], text=data["text"])
        if task.linkage_task_id:
            return f"已出具结论，并移交执法大队（三监联动任务 {task.linkage_task.number}）。"
        return "已出具结论。"

    return _step(request, pk, "conclusion_form", form, call)


@require_POST
@section_required(sections.ECOLOGY)
def task_withdraw(request, pk: int):
    """撤回 (生态科)."""
    form = WithdrawForm(request.POST)

    def call(task, data):
        services.withdraw_task(by=request.user, task=task, reason=data["reason"])
        return "已撤回任务。"

    return _step(request, pk, "withdraw_form", form, call)


@require_POST
@section_required(sections.ECOLOGY)
def task_acknowledge(request, pk: int):
    """生态科 has taken note of the conclusion: its to-do item goes."""
    form = WithdrawForm(request.POST)  # no field is needed; any form will do for submit_step

    def call(task, data):
        services.acknowledge_result(by=request.user, task=task)
        return "已知悉，已移出待办。"

    return _step(request, pk, "withdraw_form", form, call)
