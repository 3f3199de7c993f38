"""Reads of 三监联动 shared by pages, API and PDFs, scoped to what the user may see."""

from datetime import date

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from bureau.access import Viewer
from bureau.models import SectionCode
from linkage.models import Assignment, LinkageTask, TaskStep

# Sections that see every task: 审批科 archives them, 局领导 reads everything.
SEE_ALL = frozenset({SectionCode.APPROVAL, SectionCode.LEADERSHIP})


def visible_tasks(user) -> QuerySet[LinkageTask]:
    """Tasks ``user`` may see: all for 审批科, leadership and the administrator; for another linkage
    department those it started or received; for a town those about its facilities (R-ORG-3)."""
    viewer = Viewer.of(user)
    tasks = LinkageTask.objects.all()
    if viewer.is_superuser or viewer.section_code in SEE_ALL:
        return tasks
    if viewer.is_nobody or viewer.is_town:
        return viewer.within_jurisdiction(tasks, "facility__town_id")
    received = Assignment.objects.filter(task=OuterRef("pk"), section_id=viewer.section_id)
    return tasks.filter(Q(initiator_id=viewer.section_id) | Exists(received))


def task_for_user(user, pk) -> LinkageTask:
    """One task with what its page, slip and API show; 404 alike for missing and not visible."""
    try:
        return (
            visible_tasks(user)
            .select_related("initiator", "facility__town", "handler", "head", "closed_by", "archived_by")
            .prefetch_related(
                Prefetch(
                    "assignments",
                    Assignment.objects.select_related(
                        "section", "execution_handler", "execution_head", "feedback_handler", "feedback_head"
                    ).order_by("id"),
                ),
                Prefetch("steps", TaskStep.objects.select_related("actor", "section").order_by("at", "id")),
            )
            .get(pk=pk)
        )
    except (LinkageTask.DoesNotExist, ValueError, TypeError):
        raise Http404("未找到该三监联动任务。") from None


def overdue(tasks: QuerySet[LinkageTask], today: date) -> QuerySet[LinkageTask]:
    """Tasks past their deadline and not yet closed (R-LNK-6): the SQL twin of ``rules.is_overdue``."""
    return tasks.filter(state__in=["open", "awaiting_close"], deadline_on__lt=today)
