"""典型案例 for 法制科 (R-PUB-1; 002 十六): the list of typical cases published and withdrawn, marking a
decided case as typical with a public title and summary, and withdrawing one with a reason. Other
sections get 403; the writes go through ``reports.typical``."""

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from bureau import sections
from bureau.access import section_required
from bureau.web import record_id, submit_step
from inspections.models import Case
from reports import typical as typical_services
from reports.models import TypicalCase

PAGE_SIZE = 50
ELIGIBLE_SHOWN = 20
LIST = "reports:typical-case-list"


class TypicalCaseForm(forms.Form):
    case = forms.CharField(
        label="案件编号", max_length=20, help_text="已作出处理决定的案件，如 AJ-2026-0007。"
    )
    title = forms.CharField(label="公开标题", max_length=typical_services.TITLE_MAX)
    summary = forms.CharField(
        label="案情简介（公开文本）",
        max_length=typical_services.SUMMARY_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="将原样公开：请勿写入举报人、执法人员等个人信息和内部审核意见。",
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(label="撤回原因", max_length=typical_services.REASON_MAX)


def _require_legal(request) -> None:
    if not typical_services.may_mark_typical(request.user):
        raise PermissionDenied(typical_services.ONLY_LEGAL)


@section_required(sections.LEGAL, sections.LEADERSHIP)
def typical_case_list(request):
    """典型案例, published and withdrawn, newest first: three queries besides the session (count, the
    page with cases, units, publishers and withdrawers). Leadership and the administrator read it (局领导
    see everything, read-only); only 法制科 writes."""
    page = Paginator(typical_services.typical_cases(), PAGE_SIZE).get_page(request.GET.get("page"))
    may_mark = typical_services.may_mark_typical(request.user)
    return render(request, "reports/typical_list.html", {"page": page, "may_mark": may_mark})


@section_required(sections.LEGAL)
@require_http_methods(["GET", "HEAD", "POST"])
def typical_case_add(request):
    """公开典型案例: pick a decided case (``?case=<id>`` fills its number in) and write the public text."""
    _require_legal(request)
    eligible = list(typical_services.eligible_cases()[:ELIGIBLE_SHOWN])
    initial = {}
    chosen = record_id(request.GET.get("case"))
    if chosen:
        number = Case.objects.filter(pk=chosen).values_list("number", flat=True).first()
        initial = {"case": number or ""}

    def render_again(*, form=None, status=200, alert=""):
        context = {"form": form or TypicalCaseForm(initial=initial), "eligible": eligible, "alert": alert}
        return render(request, "reports/typical_add.html", context, status=status)

    if request.method != "POST":
        return render_again()

    def call(data):
        case = Case.objects.filter(number=data["case"].strip()).first()
        if case is None:
            raise ValidationError({"case": f"没有编号为“{data['case'][:20]}”的案件。"})
        typical_services.publish_typical_case(
            by=request.user, case=case, title=data["title"], summary=data["summary"]
        )
        return f"已将案件 {case.number} 作为典型案例公开。"

    return submit_step(
        request,
        TypicalCaseForm(request.POST),
        call=call,
        render_again=render_again,
        success_url=reverse(LIST),
    )


@section_required(sections.LEGAL)
@require_http_methods(["GET", "HEAD", "POST"])
def typical_case_withdraw(request, pk):
    """撤回典型案例 with a reason; it leaves the public pages and stays on 法制科's list."""
    _require_legal(request)
    try:
        typical = typical_services.typical_case_for_user(request.user, record_id(pk))
    except TypicalCase.DoesNotExist:
        raise Http404("未找到该典型案例。") from None

    def render_again(*, form=None, status=200, alert=""):
        context = {"form": form or WithdrawForm(), "typical": typical, "alert": alert}
        return render(request, "reports/typical_withdraw.html", context, status=status)

    if request.method != "POST":
        return render_again()

    def call(data):
        typical_services.withdraw_typical_case(by=request.user, typical=typical, reason=data["reason"])
        return f"已撤回典型案例“{typical.title}”。"

    return submit_step(
        request, WithdrawForm(request.POST), call=call, render_again=render_again, success_url=reverse(LIST)
    )
