"""Pages of the annual grading (R-GRD-1…5; 003 第四条, 附件1, 附件2): the years, one year's draft with
its filters, reasons and changes, the work group's review (a member changes a grade with a reason,
records the reason for exceeding the 优秀 cap; the 组长 confirms), the results as a PDF, and one
facility's grade history.

Every bureau section and the administrator read; towns are told 403 (the grading spans every town).
Who may act is decided by the services (审批科 drafts; work-group posts review; only the 组长
confirms); a refusal comes back in Chinese on the page, with nothing half-written.
"""

from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from bureau.access import BUREAU_SECTIONS, section_required
from bureau.documents import exports
from bureau.documents.pdf import pdf_response
from bureau.web import record_id, submit_step
from grading import documents, queries, rules, tasks
from grading.forms import CapForm, ConfirmForm, GradeFilterForm, OverrideForm, StartForm
from grading.models import Duty, FacilityGrade, GradingState
from grading.services import gradings
from grading.services.workgroup import member_post
from permits.models import Facility

PAGE_SIZE = 50
RECORD_LABELS = (
    ("findings", "检查发现问题"),
    ("overdue_rectifications", "逾期未整改"),
    ("late_reports", "执行报告逾期或未报"),
    ("linkage_tasks", "三监联动任务"),
)


def _year(year: int) -> int:
    if not 2000 <= year <= 2100:
        raise Http404("年度不正确。")
    return year


# --- the years ------------------------------------------------------------------------------------


def _home_page(request, *, form=None, alert: str = "", status: int = 200):
    may_draft = gradings.may_draft(request.user)
    context = {
        "gradings": queries.gradings_with_counts(),
        "may_draft": may_draft,
        "start_form": (form or StartForm()) if may_draft else None,
        "alert": alert,
        "grade_order": rules.GRADE_ORDER,
    }
    return render(request, "grading/home.html", context, status=status)


@section_required(*BUREAU_SECTIONS)
def grading_home(request):
    """The years graded with their state, counts per grade, cap and confirmation; 审批科's form to
    draft a year (R-GRD-1); a progress bar for a year being drafted. Four queries after the session's
    two."""
    return _home_page(request)


@require_POST
@section_required(*BUREAU_SECTIONS)
def grading_start(request):
    """「起草年度等级评定」 (审批科): the draft is made by the Celery task, the page follows it."""
    form = StartForm(request.POST)

    def call(data):
        # The task's ``delay`` is looked up now, so a test may play the worker.
        grading = gradings.start_draft(year=data["year"], by=request.user, queue=tasks.draft_grading.delay)
        return (
            f"已开始起草 {grading.year} 年度等级评定，完成后交工作组审核。",
            reverse("grading:grading-detail", args=[grading.year]),
        )

    def render_again(*, form, status, alert):
        return _home_page(request, form=form, alert=alert, status=status)

    return submit_step(request, form, call=call, render_again=render_again, labels={"year": "评定年度"})


@section_required(*BUREAU_SECTIONS)
def grading_progress(request, year):
    """The draft's progress as JSON: {state, done, total, percent, error} (one query)."""
    return JsonResponse(queries.progress_of(queries.grading_of_year(_year(year))))


# --- one year -------------------------------------------------------------------------------------


def _detail_page(
    request,
    grading,
    *,
    alert: str = "",
    status: int = 200,
    override: tuple[int, OverrideForm] | None = None,
    cap_form: CapForm | None = None,
    confirm_form: ConfirmForm | None = None,
):
    post = member_post(request.user) if grading.state == GradingState.DRAFT else None
    may_review = post is not None
    filters = GradeFilterForm(request.GET)
    page = Paginator(queries.grades(grading, filters.wanted()), PAGE_SIZE).get_page(request.GET.get("page"))
    counts = gradings.counts(grading)
    context = {
        "grading": grading,
        "counts": counts,
        "grade_order": rules.GRADE_ORDER,
        "cap_exceeded": counts[rules.EXCELLENT] > grading.cap,
        "ranking": rules.RANKING,
        "record_labels": RECORD_LABELS,
        "filters": filters,
        "page": page,
        "query": request.GET.urlencode(),
        "post": post,
        "may_review": may_review,
        "may_confirm": may_review and post.duty == Duty.LEADER,
        "may_redraft": gradings.may_draft(request.user)
        and grading.state in (GradingState.DRAFT, GradingState.FAILED),
        "override_pk": override[0] if override else None,
        "override_form": override[1] if override else None,
        "grade_choices": [(code, rules.GRADE_LABELS[code]) for code in rules.GRADE_ORDER],
        "unqualified_choices": [
            (code, f"{rules.ARTICLE[code]} {rules.CONDITIONS[code]}") for code in rules.UNQUALIFIED_CONDITIONS
        ],
        "cap_form": cap_form or CapForm(initial={"reason": grading.cap_exceeded_reason}),
        "confirm_form": confirm_form or ConfirmForm(),
        "progress": queries.progress_of(grading),
        "alert": alert,
    }
    return render(request, "grading/detail.html", context, status=status)


@section_required(*BUREAU_SECTIONS)
def grading_detail(request, year):
    """A year's grading: state, holders, cap (and the recorded reason for exceeding it), counts, the
    ranking explained; the grades with filters, 50 a page, each with its reasons and evidence links,
    rank, the year's record and the work group's changes; the review forms for work-group members
    while it is a draft; locked once confirmed."""
    return _detail_page(request, queries.grading_of_year(_year(year)))


def _back(grading, request, anchor: str = "") -> str:
    url = reverse("grading:grading-detail", args=[grading.year])
    query = request.GET.urlencode()
    return url + (f"?{query}" if query else "") + anchor


@require_POST
@section_required(*BUREAU_SECTIONS)
def grade_override(request, year, pk):
    """A work-group member changes one grade with a written reason (R-GRD-5); the filters and page
    the member was on come back with the answer."""
    grading = queries.grading_of_year(_year(year))
    if record_id(pk) is None:
        raise Http404
    grade = get_object_or_404(FacilityGrade.objects.select_related("facility"), pk=pk, grading=grading)
    form = OverrideForm(request.POST)

    def call(data):
        gradings.override(
            by=request.user,
            grade=grade,
            to_grade=data["to_grade"],
            reason=data["reason"],
            condition=data.get("condition", ""),
        )
        label = rules.GRADE_LABELS[data["to_grade"]]
        return f"已将{grade.facility.name}的评定等级调整为“{label}”。", _back(
            grading, request, f"#grade-{pk}"
        )

    def render_again(*, form, status, alert):
        return _detail_page(
            request, grading, alert=alert, status=status, override=(pk, form) if form else None
        )

    return submit_step(request, form, call=call, render_again=render_again)


@require_POST
@section_required(*BUREAU_SECTIONS)
def grading_cap(request, year):
    """The work group records (or, left empty, withdraws) its reason for more 优秀 than places
    (R-GRD-4)."""
    grading = queries.grading_of_year(_year(year))
    form = CapForm(request.POST)

    def call(data):
        gradings.record_cap_exceedance(by=request.user, grading=grading, reason=data["reason"])
        if data["reason"].strip():
            return "已记录超出优秀名额的理由。", _back(grading, request, "#cap")
        return "已撤回超出优秀名额的理由。", _back(grading, request, "#cap")

    def render_again(*, form, status, alert):
        return _detail_page(request, grading, alert=alert, status=status, cap_form=form)

    return submit_step(request, form, call=call, render_again=render_again)


@require_POST
@section_required(*BUREAU_SECTIONS)
def grading_confirm(request, year):
    """The 组长 confirms, after ticking the confirmation (R-GRD-5): the grading is locked and proposes
    changes to the positive list."""
    grading = queries.grading_of_year(_year(year))
    form = ConfirmForm(request.POST)

    def call(data):
        gradings.confirm(by=request.user, grading=grading)
        return f"{grading.year} 年度等级评定结果已确认并锁定。", _back(grading, request)

    def render_again(*, form, status, alert):
        return _detail_page(request, grading, alert=alert, status=status, confirm_form=form)

    return submit_step(request, form, call=call, render_again=render_again)


@section_required(*BUREAU_SECTIONS)
def grading_export(request, year):
    """The year's graded holders as Excel under the page's filters, all pages (``grading.exports``); the
    year travels with the filters, so a background job reads the same grading."""
    queries.grading_of_year(_year(year))  # 404 before anything is written
    request.GET = request.GET.copy()
    request.GET["year"] = str(year)
    return exports.respond(request, "grading.grades")


@section_required(*BUREAU_SECTIONS)
def grading_results_pdf(request, year):
    """The results as a PDF (草稿 until the 组长 confirms); a long list is made in the background and
    the button leads to its progress page."""
    grading = documents.printable_grading(_year(year))
    counts = gradings.counts(grading)
    if documents.is_long(counts):
        job = documents.start_results(grading=grading, rows=documents.listed_rows(counts), by=request.user)
        return redirect("document-detail", pk=job.pk)
    return pdf_response(documents.results_pdf(grading, counts), documents.pdf_filenames(grading))


# --- one facility ---------------------------------------------------------------------------------


@section_required(*BUREAU_SECTIONS)
def facility_grades(request, pk):
    """A facility's grade history: each year's grade and rule grade with reasons, record and changes;
    its credit ratings, positive-list entries and the facts recorded about it."""
    if record_id(pk) is None:
        raise Http404
    facility = get_object_or_404(Facility.objects.select_related("town"), pk=pk)
    context = {
        "facility": facility,
        "record_labels": RECORD_LABELS,
        **queries.facility_history(facility),
    }
    return render(request, "grading/facility.html", context)
