"""The complaint list and its export, intake and correction (R-ORG-2), and the log of views of
reporters' identities for 局领导 (R-CMP-1)."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render

from bureau.access import section_code, section_required
from bureau.documents import exports
from bureau.web import submit_step
from complaints import queries
from complaints import rules as complaint_rules
from complaints import services as cmp
from complaints.views.forms import ComplaintForm, CorrectionForm

PAGE_SIZE = 50


# List, export --------------------------------------------------------------------------------------


def complaint_filterset(user, query) -> queries.ComplaintFilter:
    """The complaints ``user`` may read under the filters of ``query``: what the page lists and its
    Excel export holds (``complaints.exports``)."""
    filterset = queries.ComplaintFilter(query, queryset=queries.complaint_list(user))
    for name in ("channel", "state", "rectification"):
        field = filterset.form.fields[name]
        field.widget.choices = [("", "全部"), *((v, label) for v, label in field.choices if v != "")]
    return filterset


def masked_rows(complaints):
    # Masked for everyone: a list or an export never carries an identity (R-CMP-1).
    for complaint in complaints:
        yield {"complaint": complaint, "reporter": queries.masked_reporter(complaint.reporter)}


@section_required(*complaint_rules.COMPLAINT_SECTIONS)
def complaint_list(request):
    """信访投诉 list for every bureau section (R-ORG-2): filters by channel, state, rectification and
    facility, 50 a page, the reporter masked for everyone (the detail page shows it to those who may
    see it, and logs the view)."""
    filterset = complaint_filterset(request.user, request.GET)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "complaints/list.html",
        {
            "filter": filterset,
            "page": page,
            "rows": list(masked_rows(page.object_list)),
            "may_register": section_code(request.user) in complaint_rules.REGISTERING_SECTIONS,
            "sees_identity": queries.can_see_reporter(request.user),
            "may_read_access_log": queries.may_read_access_log(request.user),
        },
    )


@section_required(*complaint_rules.COMPLAINT_SECTIONS)
def complaint_export(request):
    """The filtered list as Excel, all pages, the reporter masked for everyone, 法制科 and 局领导
    included: the identity never travels into exports (R-CMP-1), so an export logs no view."""
    return exports.respond(request, "complaints.list")


# Intake --------------------------------------------------------------------------------------------


@section_required(*complaint_rules.REGISTERING_SECTIONS)
def complaint_new(request):
    """登记信访投诉 from any channel (R-CMP-1), for 执法大队 (R-ORG-2); the administrator, who may open
    every page, is refused here too: the service would refuse the form anyway."""
    if section_code(request.user) not in complaint_rules.REGISTERING_SECTIONS:
        raise PermissionDenied(cmp.ONLY_BRIGADE_REGISTERS)
    if request.method != "POST":
        return render(request, "complaints/form.html", {"form": ComplaintForm(user=request.user)})
    form = ComplaintForm(request.POST, user=request.user)

    def call(data):
        complaint = cmp.receive_complaint(
            by=request.user,
            channel=data["channel"],
            received_on=data["received_on"],
            content=data["content"],
            facility=data["facility"],
            reporter=form.reporter(),
        )
        return f"已登记信访投诉 {complaint.number}。", cmp.complaint_url(complaint)

    def render_again(*, form, status, alert):
        context = {"form": form or ComplaintForm(request.POST, user=request.user), "alert": alert}
        return render(request, "complaints/form.html", context, status=status)

    return submit_step(request, form, call=call, render_again=render_again)


# Correction (R-ORG-2) ----------------------------------------------------------------------------------


@section_required(*complaint_rules.COMPLAINT_SECTIONS)
def complaint_edit(request, pk):
    """更正投诉信息 (channel, date, facility, content), for 执法大队 (R-ORG-2); the history keeps the
    change and its reason."""
    complaint = queries.complaint_for_user(request.user, pk)
    if section_code(request.user) != complaint_rules.CORRECTING_SECTION:
        raise PermissionDenied(cmp.ONLY_BRIGADE_REGISTERS)
    initial = {
        "channel": complaint.channel,
        "received_on": complaint.received_on,
        "facility": complaint.facility,
        "content": complaint.content,
    }
    context = {"complaint": complaint, "editing": True}
    if request.method != "POST":
        form = CorrectionForm(user=request.user, initial=initial)
        return render(request, "complaints/form.html", {**context, "form": form})
    form = CorrectionForm(request.POST, user=request.user)

    def call(data):
        cmp.correct_complaint(by=request.user, complaint=complaint, **data)
        return "已更正投诉信息。"

    def render_again(*, form, status, alert):
        shown = form or CorrectionForm(request.POST, user=request.user)
        return render(
            request, "complaints/form.html", {**context, "form": shown, "alert": alert}, status=status
        )

    return submit_step(
        request, form, call=call, success_url=cmp.complaint_url(complaint), render_again=render_again
    )


# The log of views of reporters' identities (R-CMP-1) -------------------------------------------------

ACCESS_PAGE_SIZE = 100


@section_required(*complaint_rules.ACCESS_LOG_SECTIONS)
def reporter_access_list(request):
    """举报人信息查看记录 for 局领导: every view of a reporter's identity in full, newest first, who, when,
    which complaint and through which page or API; ``?complaint=`` narrows it to one complaint. The
    administrator, who may open every page, is refused: the log says who reported what to whom."""
    if not queries.may_read_access_log(request.user):
        raise PermissionDenied("举报人信息查看记录仅局领导可以查看。")
    complaint = None
    if request.GET.get("complaint"):
        complaint = queries.complaint_for_user(request.user, request.GET["complaint"])
    accesses = queries.reporter_accesses(request.user, complaint)
    page = Paginator(accesses, ACCESS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "complaints/access_log.html", {"page": page, "complaint": complaint})
