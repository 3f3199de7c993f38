"""Pages of the grading's registers, tabs of 等级评定:

- 执法正面清单 (R-POS-1, 002 十二): the units on the list and its history, the proposals of confirmed
  gradings, and for 法制科 listing, removing, deciding proposals and the proposal conditions;
- 信用评价 (R-CRD-1): every permit holder of the year with its latest rating, 法制科 records ratings;
- 工作组 (R-ORG-1, 003 附件1): the posts, who holds them and held them, vacancies; the administrator
  maintains them;
- 评定事实: the facts the sections record by hand for the grading (附件2 三、四).

Every bureau section reads them; towns are told 403 (grading spans every town). Writes go through
``grading.services``, which check the section again and answer in Chinese; ``submit_step`` turns their
refusals into 400/403/409 with the page as it was and what the user typed kept.
"""

from pathlib import PurePath

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from bureau.access import BUREAU_SECTIONS, section_required, staff_of
from bureau.documents import exports
from bureau.web import record_id, submit_step
from grading import register_queries as queries
from grading.models import (
    EntrySource,
    GradingFact,
    PositiveListEntry,
    PositiveListProposal,
    WorkGroupPost,
)
from grading.register_forms import (
    CreditFilterForm,
    CreditRecordForm,
    EntryFilterForm,
    FactFilterForm,
    FactForm,
    HandOverForm,
    PositiveAddForm,
    PositiveSettingsForm,
    PostForm,
    ProposalDecisionForm,
    ReasonForm,
)
from grading.services import credit, facts, positive, workgroup
from permits.models import CreditRating

PAGE_SIZE = 50
DECIDED_SHOWN = 20


def _object(model, pk, **related):
    """One record by its id, or 404 (a run of digits too long for an id included)."""
    if record_id(pk) is None:
        raise Http404
    return get_object_or_404(model.objects.select_related(*related.get("select", ())), pk=pk)


def _bound(bound: dict) -> dict:
    """The submitted form for the template: ``bound_kind`` (``add``, ``remove`` …), ``bound_pk`` (the
    row it belongs to, or None) and ``bound_form``, from ``{"<kind>[-<pk>]": form}``."""
    if not bound:
        return {"bound_kind": "", "bound_pk": None, "bound_form": None}
    key, form = next(iter(bound.items()))
    kind, _, pk = key.rpartition("-") if key[-1:].isdigit() else (key, "", "")
    return {"bound_kind": kind, "bound_pk": int(pk) if pk else None, "bound_form": form}


def _row_alert(key: str, form, alert: str) -> str:
    """A form of one row (``<kind>-<pk>``) that the service refused as a whole (the row is already
    removed, withdrawn, retired …) may no longer be shown on its row: its message goes to the top."""
    if form is not None and key[-1:].isdigit() and form.non_field_errors():
        return "；".join(form.non_field_errors())
    return alert


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


# --- 执法正面清单 ------------------------------------------------------------------------------------


def _remove_form(data=None):
    return ReasonForm(data, label="移出理由", required_message="请填写移出理由。")


def listed_entries(query):
    """The filter form of ``query``, whether it asks for the history, and the entries it lists: what
    the page lists and its Excel export holds (``grading.exports``)."""
    filters = EntryFilterForm(query)
    history = filters.is_valid() and filters.cleaned_data["view"] == "history"
    search = filters.cleaned_data.get("q", "") if filters.is_valid() else ""
    return filters, history, queries.positive_entries(removed=history, search=search)


def _positive_page(request, *, bound: dict | None = None, alert: str = "", status: int = 200):
    """The list page; ``bound`` holds the one form the user submitted, under its key (``add``,
    ``settings``, ``remove-<entry>``, ``decide-<proposal>``), so it comes back with its errors."""
    bound = bound or {}
    filters, history, entries = listed_entries(request.GET)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    may_keep = positive.may_keep(request.user)
    row = queries.proposal_settings()
    settings_form = bound.get("settings") or PositiveSettingsForm(
        initial={"require_no_penalty": row.require_no_penalty, "credit_levels": sorted(row.credit_level_set)}
    )
    level_labels = dict(CreditRating.choices)
    context = {
        "tab": "positive",
        "filters": filters,
        "history": history,
        "page": page,
        "pending": list(queries.pending_proposals()),
        "decided": list(queries.decided_proposals()[:DECIDED_SHOWN]),
        "may_keep": may_keep,
        "add_form": bound.get("add") or PositiveAddForm(),
        "settings_form": settings_form,
        "settings": row,
        "settings_levels": [level_labels[c] for c in sorted(row.credit_level_set) if c in level_labels],
        **_bound(bound),
        "automatic": EntrySource.AUTOMATIC,
        "alert": alert,
    }
    return render(request, "grading/positive_list.html", context, status=status)


def _positive_submit(request, key: str, form, call, *, anchor: str):
    def render_again(*, form, status, alert):
        bound = {key: form} if form is not None else None
        return _positive_page(request, bound=bound, alert=_row_alert(key, form, alert), status=status)

    return submit_step(
        request,
        form,
        check=lambda: _require(positive.may_keep(request.user), positive.NOT_KEEPER),
        call=call,
        render_again=render_again,
        success_url=reverse("grading:positive-list") + anchor,
    )


@section_required(*BUREAU_SECTIONS)
def positive_list(request):
    """执法正面清单: the units on it (or, under 历史, those taken off it with why and by what), the
    proposals of confirmed gradings, and 法制科's forms."""
    return _positive_page(request)


@section_required(*BUREAU_SECTIONS)
def positive_export(request):
    """The list (or its history) as Excel, all pages (``grading.exports``)."""
    return exports.respond(request, "grading.positive")


@section_required(*BUREAU_SECTIONS)
def credit_export(request):
    """The filtered holders with their credit records as Excel, all pages (``grading.exports``)."""
    return exports.respond(request, "grading.credit")


@section_required(*BUREAU_SECTIONS)
def fact_export(request):
    """The filtered facts as Excel, all pages (``grading.exports``)."""
    return exports.respond(request, "grading.facts")


@require_POST
@section_required(*BUREAU_SECTIONS)
def positive_add(request):
    """法制科 lists a unit with its reason; a 不合格 unit is refused with the service's message (R-POS-1)."""
    form = PositiveAddForm(request.POST)

    def call(data):
        entry = positive.add(by=request.user, facility=data["facility"], reason=data["reason"])
        return f"已将{entry.facility.name}列入执法正面清单。"

    return _positive_submit(request, "add", form, call, anchor="")


@require_POST
@section_required(*BUREAU_SECTIONS)
def positive_remove(request, pk):
    """法制科 takes one entry's unit off the list with a reason."""
    entry = _object(PositiveListEntry, pk, select=("facility",))
    form = _remove_form(request.POST)

    def call(data):
        positive.remove(by=request.user, facility=entry.facility, reason=data["reason"])
        return f"已将{entry.facility.name}移出执法正面清单。"

    if entry.removed_on is not None and positive.may_keep(request.user):
        return _positive_page(request, alert="该单位已移出执法正面清单。", status=409)
    return _positive_submit(request, f"remove-{entry.pk}", form, call, anchor="")


@require_POST
@section_required(*BUREAU_SECTIONS)
def proposal_decide(request, pk):
    """法制科 accepts or rejects one proposal (a rejection needs a note); deciding twice is a conflict."""
    proposal = _object(PositiveListProposal, pk, select=("facility",))
    form = ProposalDecisionForm(request.POST)

    def call(data):
        accept = data["decision"] == "accept"
        positive.decide(by=request.user, proposal=proposal, accept=accept, note=data["note"])
        verb = "采纳" if accept else "不予采纳"
        return f"已{verb}：{proposal.get_kind_display()} {proposal.facility.name}。"

    return _positive_submit(request, f"decide-{proposal.pk}", form, call, anchor="#proposals")


@section_required(*BUREAU_SECTIONS)
def positive_settings(request):
    """The bureau's conditions for proposing a unit (besides 优秀): 法制科 edits them; a GET shows the list."""
    if request.method != "POST":
        return redirect(reverse("grading:positive-list") + "#settings")
    form = PositiveSettingsForm(request.POST)

    def call(data):
        positive.update_settings(
            by=request.user,
            require_no_penalty=data["require_no_penalty"],
            credit_levels=list(data["credit_levels"]),
        )
        return "已保存执法正面清单的建议条件。"

    return _positive_submit(request, "settings", form, call, anchor="#settings")


# --- 信用评价 ------------------------------------------------------------------------------------------


def listed_holders(query, year: int):
    """The filter form of ``query`` and the permit holders of ``year`` it lists with their credit
    records: what the page lists and its Excel export holds (``grading.exports``)."""
    filters = CreditFilterForm(query)
    data = filters.cleaned_data if filters.is_valid() else {}
    holders = queries.credit_holders(
        year,
        rating=data.get("rating", ""),
        town_id=data["town"].pk if data.get("town") else None,
        search=data.get("q", ""),
    )
    return filters, holders


def _credit_page(request, *, form=None, alert: str = "", status: int = 200):
    year = timezone.localdate().year
    filters, holders = listed_holders(request.GET, year)
    page = Paginator(holders, PAGE_SIZE).get_page(request.GET.get("page"))
    may_record = credit.may_record(request.user)
    if form is None and may_record:
        form = CreditRecordForm(initial={"facility": request.GET.get("facility", "")[:200]})
    context = {
        "tab": "credit",
        "year": year,
        "filters": filters,
        "page": page,
        "may_record": may_record,
        "form": form,
        "alert": alert,
    }
    return render(request, "grading/credit.html", context, status=status)


@section_required(*BUREAU_SECTIONS)
def credit_list(request):
    """信用评价: every permit holder of this year with its latest rating and its records, 50 a page."""
    return _credit_page(request)


@require_POST
@section_required(*BUREAU_SECTIONS)
def credit_record(request):
    """法制科 records a rating (R-CRD-1); the latest by date becomes the facility's."""
    form = CreditRecordForm(request.POST)

    def call(data):
        record = credit.record_rating(
            by=request.user,
            facility=data["facility"],
            rated_on=data["rated_on"],
            level=data["level"],
            source=data["source"],
            note=data["note"],
        )
        return f"已记录{record.facility.name}的信用评价：{record.get_level_display()}（{record.rated_on:%Y-%m-%d}）。"

    def render_again(*, form, status, alert):
        return _credit_page(request, form=form, alert=alert, status=status)

    return submit_step(
        request,
        form,
        check=lambda: _require(credit.may_record(request.user), credit.NOT_KEEPER),
        call=call,
        render_again=render_again,
        success_url=reverse("grading:credit-list"),
    )


# --- 工作组 ------------------------------------------------------------------------------------------


def _vacancy_note(post: WorkGroupPost) -> str:
    if post.holder is None:
        return "岗位空缺，待接任"
    return "人员已调离，待接任"


def _work_group_page(request, *, bound: dict | None = None, alert: str = "", status: int = 200):
    bound = bound or {}
    is_admin = request.user.is_superuser
    all_posts = queries.posts()
    vacant = {post.pk: _vacancy_note(post) for post in workgroup.vacancies()}
    tenures = queries.post_tenures()
    staff = queries.staff_by_section() if is_admin else {}
    rows = []
    for post in all_posts:
        row = {"post": post, "warning": vacant.get(post.pk, ""), "tenures": tenures.get(post.pk, [])}
        if is_admin and post.is_active:
            key = f"hand-over-{post.pk}"
            row["hand_over"] = bound.get(key) or HandOverForm(
                candidates=staff.get(post.section_id, []),
                initial={"holder": post.holder_id},
                auto_id=f"id_post{post.pk}_%s",
            )
            row["retire"] = bound.get(f"retire-{post.pk}") or ReasonForm(
                label="撤销理由", auto_id=f"id_retire{post.pk}_%s"
            )
        rows.append(row)
    context = {
        "tab": "work-group",
        "rows": [r for r in rows if r["post"].is_active],
        "retired": [r for r in rows if not r["post"].is_active],
        "is_admin": is_admin,
        "post_form": bound.get("new") or (PostForm(staff_by_section=staff) if is_admin else None),
        **_bound(bound),
        "alert": alert,
    }
    return render(request, "grading/work_group.html", context, status=status)


def _work_group_submit(request, key: str, form, call, *, anchor: str = ""):
    def render_again(*, form, status, alert):
        bound = {key: form} if form is not None else None
        return _work_group_page(request, bound=bound, alert=_row_alert(key, form, alert), status=status)

    return submit_step(
        request,
        form,
        check=lambda: _require(request.user.is_superuser, workgroup.NOT_ADMINISTRATOR),
        call=call,
        render_again=render_again,
        success_url=reverse("grading:work-group") + anchor,
    )


@section_required(*BUREAU_SECTIONS)
def work_group(request):
    """工作组 (附件1): the roster with vacancies, each post's holders over time; the administrator's forms."""
    return _work_group_page(request)


@require_POST
@section_required(*BUREAU_SECTIONS)
def work_group_post_new(request):
    """The administrator sets up a post (组长 in 局领导, 副组长 and 成员 in the six sections)."""
    form = PostForm(request.POST, staff_by_section=queries.staff_by_section())

    def call(data):
        post = workgroup.create_post(
            by=request.user,
            duty=data["duty"],
            section=data["section"],
            title=data["title"],
            holder=data["holder"],
            order=data["order"] or 0,
        )
        return f"已设立工作组岗位：{post}。", reverse("grading:work-group") + f"#post-{post.pk}"

    return _work_group_submit(request, "new", form, call)


@require_POST
@section_required(*BUREAU_SECTIONS)
def work_group_hand_over(request, pk):
    """The administrator puts a successor into a post (接任人员自然替补), or leaves it vacant."""
    post = _object(WorkGroupPost, pk, select=("section", "holder__user"))
    candidates = queries.staff_by_section().get(post.section_id, []) if request.user.is_superuser else []
    form = HandOverForm(request.POST, candidates=candidates, auto_id=f"id_post{post.pk}_%s")

    def call(data):
        done = workgroup.hand_over(by=request.user, post=post, to=data["holder"], reason=data["reason"])
        who = done.holder.user.display_name if done.holder else "空缺"
        return f"{done}：现任人员为{who}。"

    return _work_group_submit(request, f"hand-over-{post.pk}", form, call, anchor=f"#post-{post.pk}")


@require_POST
@section_required(*BUREAU_SECTIONS)
def work_group_retire(request, pk):
    """The administrator abolishes a post with a reason (it stays on record)."""
    post = _object(WorkGroupPost, pk, select=("section",))
    form = ReasonForm(
        request.POST,
        label="撤销理由",
        required_message="请填写撤销岗位的理由。",
        auto_id=f"id_retire{post.pk}_%s",
    )

    def call(data):
        if not post.is_active:
            return f"{post}已撤销。"
        workgroup.retire_post(by=request.user, post=post, reason=data["reason"])
        return f"已撤销工作组岗位：{post}。"

    return _work_group_submit(request, f"retire-{post.pk}", form, call)


# --- 评定事实 ----------------------------------------------------------------------------------------


def listed_facts(query):
    """The filter form of ``query`` and the facts it lists, withdrawn ones included: what the page
    lists and its Excel export holds (``grading.exports``)."""
    filters = FactFilterForm(query)
    data = filters.cleaned_data if filters.is_valid() else {}
    rows = queries.facts(
        year=data.get("year"),
        kind=data.get("kind", ""),
        section_id=data["section"].pk if data.get("section") else None,
    )
    return filters, rows


def _fact_page(request, *, form=None, bound: dict | None = None, alert: str = "", status: int = 200):
    bound = bound or {}
    filters, rows = listed_facts(request.GET)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    may_record = facts.may_record(request.user)
    staff = staff_of(request.user)
    context = {
        "tab": "facts",
        "filters": filters,
        "page": page,
        "may_record": may_record,
        "form": form or (FactForm() if may_record else None),
        "own_section_id": staff.section_id if staff and may_record else None,
        **_bound(bound),
        "alert": alert,
    }
    return render(request, "grading/facts.html", context, status=status)


@section_required(*BUREAU_SECTIONS)
def fact_list(request):
    """评定事实: facts recorded by hand (withdrawn ones greyed), filters year, kind, section; 50 a page."""
    return _fact_page(request)


@require_POST
@section_required(*BUREAU_SECTIONS)
def fact_new(request):
    """A section of FACT_RECORDERS records a fact with its evidence (the file is checked by content)."""
    form = FactForm(request.POST, request.FILES)

    def call(data):
        fact = facts.record_fact(
            by=request.user,
            facility=data["facility"],
            kind=data["kind"],
            occurred_on=data["occurred_on"],
            description=data["description"],
            evidence=data["evidence"],
            evidence_file=data["evidence_file"],
        )
        return f"已记录：{fact.facility.name} {fact.get_kind_display()}。"

    def render_again(*, form, status, alert):
        return _fact_page(request, form=form, alert=alert, status=status)

    return submit_step(
        request,
        form,
        check=lambda: _require(
            facts.may_record(request.user),
            "等级评定事实由审批科、生态科、污防科、法制科、执法大队或监测站记录。",
        ),
        call=call,
        render_again=render_again,
        success_url=reverse("grading:fact-list"),
    )


@require_POST
@section_required(*BUREAU_SECTIONS)
def fact_withdraw(request, pk):
    """The section that recorded a fact withdraws it with a reason; it stays on the list, greyed."""
    fact = _object(GradingFact, pk, select=("facility",))
    form = ReasonForm(request.POST, label="撤回理由", required_message="请填写撤回理由。")
    key = f"withdraw-{fact.pk}"

    def call(data):
        facts.withdraw_fact(by=request.user, fact=fact, reason=data["reason"])
        return f"已撤回：{fact.facility.name} {fact.get_kind_display()}。"

    def render_again(*, form, status, alert):
        bound = {key: form} if form is not None else None
        return _fact_page(request, bound=bound, alert=_row_alert(key, form, alert), status=status)

    return submit_step(
        request,
        form,
        call=call,
        render_again=render_again,
        success_url=reverse("grading:fact-list") + f"#fact-{fact.pk}",
    )


@section_required(*BUREAU_SECTIONS)
def fact_file(request, pk):
    """A fact's evidence file, to the bureau's sections (not through a public media URL)."""
    fact = _object(GradingFact, pk)
    if not fact.evidence_file:
        raise Http404("该事实没有上传证明文件。")
    return FileResponse(
        fact.evidence_file.open("rb"), as_attachment=True, filename=PurePath(fact.evidence_file.name).name
    )
