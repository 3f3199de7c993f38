"""Checklist versions (R-INS-1, R-INS-2): the administrator works on a draft (a copy of the current
version), then publishes it; the version before is retired, and published or retired versions never
change again, so an inspection always shows the points it was done with.

A draft is a working copy, not yet a record anything rests on: removing a point or a part from a draft
is the one delete this app allows, and the history keeps it (R-RET-1)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone

from bureau import history
from bureau.errors import Conflict
from bureau.models import User
from inspections.models import (
    AppliesTo,
    Checklist,
    ChecklistPart,
    ChecklistPoint,
    ChecklistVersion,
    FindingKind,
    PermitData,
    VersionState,
)

ADMIN_ONLY = "检查清单由系统管理员维护。"
FROZEN = "已发布或已停用的版本不得修改；请新建修订草稿。"


def _require_admin(by: User) -> None:
    if by is None or not by.is_superuser:
        raise PermissionDenied(ADMIN_ONLY)


def _draft(version: ChecklistVersion) -> ChecklistVersion:
    version = ChecklistVersion.objects.select_for_update().get(pk=version.pk)
    if version.state != VersionState.DRAFT:
        raise Conflict(FROZEN)
    return version


@transaction.atomic
def create_checklist(
    *, by: User, code: str, name: str, applies_to: str, key_industry=None, source: str = ""
) -> ChecklistVersion:
    """A new checklist with an empty first draft."""
    _require_admin(by)
    errors = {}
    if applies_to not in AppliesTo.values:
        errors["applies_to"] = "适用对象应为持证单位、排污登记单位或重点行业持证单位之一。"
    elif (applies_to == AppliesTo.KEY_INDUSTRY) != (key_industry is not None):
        errors["key_industry"] = "适用对象为重点行业时须选择行业，其他情况不选。"
    if not name.strip():
        errors["name"] = "请填写清单名称。"
    if Checklist.objects.filter(code=code.strip()).exists():
        errors["code"] = f"代码“{code}”已被使用。"
    if errors:
        raise ValidationError(errors)
    checklist = history.save_checked(
        Checklist(
            code=code.strip(),
            name=name.strip(),
            applies_to=applies_to,
            key_industry=key_industry,
            source=source.strip(),
        ),
        by=by,
    )
    return history.save(ChecklistVersion(checklist=checklist, number=1, note="初始版本"), by=by)


@transaction.atomic
def start_revision(*, by: User, checklist: Checklist, note: str = "") -> ChecklistVersion:
    """A draft copying the current version (or the latest), to edit; one draft at a time."""
    _require_admin(by)
    if checklist.versions.filter(state=VersionState.DRAFT).exists():
        raise Conflict("该清单已有修订草稿，请继续编辑该草稿。")
    base = checklist.versions.order_by("-number").first()
    draft = history.save(
        ChecklistVersion(checklist=checklist, number=(base.number + 1) if base else 1, note=note.strip()),
        by=by,
    )
    if base is not None:
        for part in base.parts.prefetch_related("points"):
            copy = history.save(ChecklistPart(version=draft, order=part.order, title=part.title), by=by)
            for point in part.points.all():
                history.save(
                    ChecklistPoint(
                        part=copy,
                        version=draft,
                        order=point.order,
                        code=point.code,
                        text=point.text,
                        legal_basis=point.legal_basis,
                        permit_data=point.permit_data,
                        finding_kind=point.finding_kind,
                    ),
                    by=by,
                )
    return draft


@transaction.atomic
def save_part(
    *, by: User, version: ChecklistVersion, title: str, part: ChecklistPart | None = None
) -> ChecklistPart:
    """Add a part at the end of a draft, or rename one."""
    _require_admin(by)
    version = _draft(version)
    if not title.strip():
        raise ValidationError({"title": "请填写部分名称。"})
    if part is None:
        last = version.parts.aggregate(m=models.Max("order"))["m"] or 0
        part = ChecklistPart(version=version, order=last + 1)
    elif part.version_id != version.pk:
        raise ValidationError({"part": "该部分不属于此草稿。"})
    part.title = title.strip()
    return history.save_checked(part, by=by)


@transaction.atomic
def save_point(
    *,
    by: User,
    part: ChecklistPart,
    code: str,
    text: str,
    legal_basis: str = "",
    permit_data: str = "",
    finding_kind: str = "",
    point: ChecklistPoint | None = None,
) -> ChecklistPoint:
    """Add a point to a draft's part, or change one."""
    _require_admin(by)
    version = _draft(part.version)
    errors = {}
    if not code.strip():
        errors["code"] = "请填写要点编号（如 二.7）。"
    elif version.points.filter(code=code.strip()).exclude(pk=getattr(point, "pk", None)).exists():
        errors["code"] = f"编号“{code}”在本版本中已被使用。"
    if not text.strip():
        errors["text"] = "请填写检查要点。"
    if permit_data not in PermitData.values:
        errors["permit_data"] = "对应许可信息的取值不正确。"
    if finding_kind and finding_kind not in FindingKind.values:
        errors["finding_kind"] = "违法类别的取值不正确。"
    if point is not None and point.version_id != version.pk:
        errors["point"] = "该要点不属于此草稿。"
    if errors:
        raise ValidationError(errors)
    if point is None:
        last = part.points.aggregate(m=models.Max("order"))["m"] or 0
        point = ChecklistPoint(part=part, version=version, order=last + 1)
    point.part = part
    point.code, point.text, point.legal_basis = code.strip(), text.strip(), legal_basis.strip()
    point.permit_data, point.finding_kind = permit_data, finding_kind
    return history.save_checked(point, by=by)


@transaction.atomic
def remove_point(*, by: User, point: ChecklistPoint) -> None:
    """Take a point out of a draft (see the module's note on deletes)."""
    _require_admin(by)
    _draft(point.version)
    history.record(point, by=by, reason="从修订草稿中删除")
    models.Model.delete(point)


@transaction.atomic
def publish(*, by: User, version: ChecklistVersion) -> ChecklistVersion:
    """Make a draft the checklist's current version; the one before is retired. A version with a part
    without points, or no points at all, is refused."""
    _require_admin(by)
    version = _draft(version)
    parts = list(version.parts.annotate(n=models.Count("points")))
    if not parts or any(p.n == 0 for p in parts):
        raise ValidationError({"version": "每个部分至少要有一个检查要点，才能发布。"})
    for current in version.checklist.versions.filter(state=VersionState.PUBLISHED):
        current.state = VersionState.RETIRED
        history.save(current, by=by, reason=f"被第 {version.number} 版取代")
    version.state, version.published_on, version.published_by = (
        VersionState.PUBLISHED,
        timezone.localdate(),
        by,
    )
    return history.save(version, by=by, reason="发布")
