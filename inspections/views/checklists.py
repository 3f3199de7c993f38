"""检查清单 administration (R-INS-1, R-INS-2), for the system administrator: the checklists with their
versions and how many inspections used each, a version's parts and points, and for a draft the
editing of parts and points and its publication, each through ``services.checklists``. A published or
retired version shows no form at all: it is never changed, so an inspection keeps what it was done
with."""

from django import forms
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from bureau import access
from bureau.web import submit_step
from inspections import queries
from inspections.models import AppliesTo, Checklist, ChecklistPart, ChecklistPoint, FindingKind, PermitData
from inspections.services import checklists as checklist_services
from permits.models import KeyIndustry

# Forms: they parse; the services decide --------------------------------------------------------------


class ChecklistForm(forms.Form):
    """A new checklist: what it applies to (permit holders, registered units, one key industry)."""

    code = forms.SlugField(
        label="代码", max_length=40, help_text="英文字母、数字或连字符，如 key-industry-336。"
    )
    name = forms.CharField(label="名称", max_length=100, required=False)
    applies_to = forms.ChoiceField(label="适用对象", choices=AppliesTo.choices)
    key_industry = forms.ModelChoiceField(
        label="重点行业", queryset=KeyIndustry.objects.none(), required=False, empty_label="（不适用）"
    )
    source = forms.CharField(label="依据", max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_checklist_%s")
        super().__init__(*args, **kwargs)
        self.fields["key_industry"].queryset = KeyIndustry.objects.filter(is_active=True).order_by("code")


class RevisionForm(forms.Form):
    note = forms.CharField(label="修订说明", max_length=300, required=False)


class PublishForm(forms.Form):
    """A button's form: nothing to fill, the CSRF token is the point."""


class PartForm(forms.Form):
    """A part's title; which part (none: a new one) comes as ``part`` beside the form's fields."""

    title = forms.CharField(label="部分名称", max_length=100, required=False)


class PointForm(forms.Form):
    """A point; which point (none: a new one) comes as ``point`` beside the form's fields."""

    part = forms.TypedChoiceField(label="所属部分", coerce=int)
    code = forms.CharField(label="编号", max_length=10, required=False, help_text="如 二.7")
    text = forms.CharField(label="检查要点", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    legal_basis = forms.CharField(label="法律依据", max_length=300, required=False)
    permit_data = forms.ChoiceField(label="对应许可信息", choices=PermitData.choices, required=False)
    finding_kind = forms.ChoiceField(
        label="不符合时的违法类别（建议）", choices=[("", "不建议"), *FindingKind.choices], required=False
    )

    def __init__(self, *args, parts: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.parts = {part.pk: part for part in parts}
        self.fields["part"].choices = [(part.pk, f"{part.order}. {part.title}") for part in parts]

    def clean_part(self):
        return self.parts[self.cleaned_data["part"]]


administrator_required = access.administrator_required(checklist_services.ADMIN_ONLY)


def version_url(version) -> str:
    return reverse("inspections:checklist-version", args=[version.pk])


# The list ----------------------------------------------------------------------------------------------


def _render_list(request, *, bound: dict | None = None, status: int = 200, alert: str = ""):
    checklists = queries.checklist_overview()
    bound = bound or {}
    for checklist in checklists:
        versions = list(checklist.versions.all())
        checklist.version_list = versions
        checklist.has_draft = any(v.is_draft for v in versions)
        checklist.revision_form = None if checklist.has_draft else bound.get(checklist.pk) or RevisionForm()
    context = {
        "checklists": checklists,
        "create_form": bound.get("create") or ChecklistForm(),
        "alert": alert,
    }
    return render(request, "inspections/checklist_list.html", context, status=status)


@administrator_required
def checklist_list(request):
    """Every checklist with its versions (current, drafts, retired), how many inspections used each,
    and for a checklist without a draft the form that starts one (新建修订草稿); a POST here creates a
    checklist (for a key industry, say) with an empty first draft."""
    if request.method != "POST":
        return _render_list(request)

    def call(data):
        draft = checklist_services.create_checklist(by=request.user, **data)
        return f"已新建检查清单“{draft.checklist.name}”，请在草稿中添加部分和检查要点后发布。", version_url(
            draft
        )

    def render_again(*, form, status, alert):
        return _render_list(request, bound={"create": form} if form else None, status=status, alert=alert)

    return submit_step(request, ChecklistForm(request.POST), call=call, render_again=render_again)


@administrator_required
@require_POST
def version_revise(request, pk):
    """新建修订草稿: a copy of the latest version to edit (``services.checklists.start_revision``)."""
    checklist = get_object_or_404(Checklist, pk=pk)

    def call(data):
        draft = checklist_services.start_revision(by=request.user, checklist=checklist, note=data["note"])
        return f"已新建{checklist.name}第 {draft.number} 版修订草稿。", version_url(draft)

    def render_again(*, form, status, alert):
        return _render_list(request, bound={checklist.pk: form} if form else None, status=status, alert=alert)

    return submit_step(request, RevisionForm(request.POST), call=call, render_again=render_again)


# One version -------------------------------------------------------------------------------------------


def _forms(parts, bound: dict) -> None:
    """Put on each part and point of a draft the forms that edit it; a bound form that came back wins
    (keys: ``part:<pk>``, ``point:<pk>``, ``new-point:<part pk>``, ``new-part``, ``publish``)."""
    for part in parts:
        part.form = bound.get(f"part:{part.pk}") or PartForm(
            initial={"title": part.title}, auto_id=f"id_part{part.pk}_%s"
        )
        part.new_point_form = bound.get(f"new-point:{part.pk}") or PointForm(
            parts=parts, initial={"part": part.pk}, auto_id=f"id_new{part.pk}_%s"
        )
        for point in part.points.all():
            point.form = bound.get(f"point:{point.pk}") or PointForm(
                parts=parts,
                auto_id=f"id_point{point.pk}_%s",
                initial={
                    "part": part.pk,
                    "code": point.code,
                    "text": point.text,
                    "legal_basis": point.legal_basis,
                    "permit_data": point.permit_data,
                    "finding_kind": point.finding_kind,
                },
            )


def _render_version(request, pk, *, bound: dict | None = None, status: int = 200, alert: str = ""):
    version = queries.checklist_version(pk)
    parts = queries.checklist_parts(version.pk)
    bound = bound or {}
    edit_forms = {}
    if version.is_draft:
        _forms(parts, bound)
        edit_forms = {
            "new_part": bound.get("new-part") or PartForm(auto_id="id_newpart_%s"),
            "publish": bound.get("publish") or PublishForm(),
        }
    context = {
        "version": version,
        "parts": parts,
        "point_count": sum(len(part.points.all()) for part in parts),
        "forms": edit_forms,
        "alert": alert,
    }
    return render(request, "inspections/checklist_version.html", context, status=status)


@administrator_required
def version_detail(request, pk):
    """One version: its parts and points; for a draft, the forms that edit them and publish it."""
    return _render_version(request, pk)


def _draft_step(request, pk, form, *, key: str, call):
    version = queries.checklist_version(pk)

    def render_again(*, form, status, alert):
        return _render_version(request, pk, bound={key: form} if form else None, status=status, alert=alert)

    return submit_step(
        request,
        form,
        call=lambda data: call(version, data),
        success_url=version_url(version) + f"#{key.replace(':', '-')}",
        render_again=render_again,
    )


def _part_of(version, pk) -> ChecklistPart | None:
    return ChecklistPart.objects.filter(version=version, pk=pk).select_related("version").first()


@administrator_required
@require_POST
def part_save(request, pk):
    """Add a part at the end of a draft (no ``part``) or rename one."""
    form = PartForm(request.POST)
    part_pk = request.POST.get("part", "")
    key = f"part:{part_pk}" if part_pk.isdigit() else "new-part"

    def call(version, data):
        part = None
        if part_pk:
            part = _part_of(version, part_pk) if part_pk.isdigit() else None
            if part is None:
                raise ValidationError({"title": "该部分不属于此版本。"})
        saved = checklist_services.save_part(by=request.user, version=version, title=data["title"], part=part)
        return f"已保存部分“{saved.title}”。"

    return _draft_step(request, pk, form, key=key, call=call)


@administrator_required
@require_POST
def point_save(request, pk):
    """Add a point to a draft's part (no ``point``) or change one, its part included."""
    version = queries.checklist_version(pk)
    parts = queries.checklist_parts(version.pk)
    form = PointForm(request.POST, parts=parts)
    point_pk, part_pk = request.POST.get("point", ""), request.POST.get("part", "")
    key = f"point:{point_pk}" if point_pk.isdigit() else f"new-point:{part_pk}"

    def call(version, data):
        point = None
        if point_pk:
            point = (
                ChecklistPoint.objects.filter(version=version, pk=point_pk).first()
                if point_pk.isdigit()
                else None
            )
            if point is None:
                raise ValidationError({"code": "该要点不属于此版本。"})
        fields = {name: data[name] for name in ("code", "text", "legal_basis", "permit_data", "finding_kind")}
        saved = checklist_services.save_point(by=request.user, part=data["part"], point=point, **fields)
        return f"已保存第 {saved.code} 项。"

    return _draft_step(request, pk, form, key=key, call=call)


@administrator_required
@require_POST
def point_remove(request, pk):
    """Take a point out of a draft; a published or retired version's points stay (409)."""
    point = get_object_or_404(ChecklistPoint.objects.select_related("version"), pk=pk)
    form = PublishForm(request.POST)

    def call(version, data):
        checklist_services.remove_point(by=request.user, point=point)
        return f"已从草稿中删除第 {point.code} 项。"

    return _draft_step(request, point.version_id, form, key=f"remove:{point.pk}", call=call)


@administrator_required
@require_POST
def version_publish(request, pk):
    """发布: the draft becomes the checklist's current version; the one before is retired."""

    def call(version, data):
        done = checklist_services.publish(by=request.user, version=version)
        return f"已发布{done.checklist.name}第 {done.number} 版，此后新开始的现场检查使用该版本。"

    return _draft_step(request, pk, PublishForm(request.POST), key="publish", call=call)
