"""三监联动: a department's queues as tabs and 全部任务 with its filters (R-LNK-6, R-LNK-7), one page
of tasks at a time, and the same listing as Excel."""

from dataclasses import dataclass

from django.shortcuts import render
from django.utils import timezone

from bureau.access import section_code, section_required
from bureau.calendar import WorkCalendar
from bureau.documents import exports
from bureau.models import SectionCode
from bureau.paging import page_of
from linkage import queries, rules
from linkage.task_forms import TaskFilterForm


@dataclass
class Listing:
    """The tab a department's task list shows and its tasks (a queue's list, or the filtered
    queryset of 全部任务)."""

    tab: str
    queues: list
    tasks: object
    filter_form: TaskFilterForm | None = None
    current: object = None


def listed_tasks(user, query, today) -> Listing:
    """The tasks the list shows for ``query`` (its tab and, on 全部任务, its filters): what the page
    lists and its Excel export holds (``linkage.exports``), scoped by ``linkage.queries``. ``tasks``
    is an unevaluated queryset: the page reads one page of it, the export streams it."""
    queues = queries.queues_for(user, today) if rules.may_start(section_code(user)) else []
    tab = query.get("tab") or ""
    keys = [q.key for q in queues] + ["all"]
    if tab not in keys:
        tab = next((q.key for q in queues if q.count), keys[0])
    if tab == "all":
        form = TaskFilterForm(query)
        tasks = queries.filtered_tasks(user, form.cleaned_data if form.is_valid() else None, today)
        return Listing(tab, queues, tasks, filter_form=form)
    current = next(q for q in queues if q.key == tab)
    return Listing(tab, queues, current.tasks, current=current)


@section_required(*rules.PAGE_SECTIONS)
def task_list(request):
    """三监联动: the department's queues as tabs, and every task it may see with filters (R-LNK-6).
    Every tab reads one page of its tasks; the tabs' counts come from one aggregate. Deadlines read
    in working days left and overdue tasks are flagged red (R-LNK-7)."""
    user, today = request.user, timezone.localdate()
    code = section_code(user)
    listing = listed_tasks(user, request.GET, today)
    context = {
        "queues": listing.queues,
        "tab": listing.tab,
        "today": today,
        "may_start": rules.may_start(code),
        "all_label": _all_label(user, code),
    }
    if listing.tab == "all":
        page = page_of(request, listing.tasks)
        context |= {
            "filter_form": listing.filter_form,
            "summary": queries.department_summary(today) if queries.sees_all_tasks(user) else None,
        }
    else:
        page = page_of(request, listing.tasks, count=listing.current.count)  # from the tabs' one aggregate
        context["current"] = listing.current
    context |= {"page": page, "rows": queries.rows_of(page.object_list, today, WorkCalendar())}
    return render(request, "linkage/task_list.html", context)


@section_required(*rules.PAGE_SECTIONS)
def task_export(request):
    """The tab's tasks as Excel, all pages (``linkage.exports``)."""
    return exports.respond(request, "linkage.tasks")


def _all_label(user, code: str | None) -> str:
    if queries.sees_all_tasks(user):
        return "全部任务"
    if code == SectionCode.TOWN:
        return "本辖区任务"
    return "本部门全部任务"
