"""典型案例 (R-PUB-1; 002 十六): 法制科 marks a decided case as typical with a public title and summary,
and withdraws it with a reason. Units involving state secrets (003 第十九条) are never published.

The writes (``publish_typical_case``, ``withdraw_typical_case``) are atomic, refused in Chinese, and
recorded with who and why (``bureau.history``); the reads of 法制科's pages live here too.
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from bureau import history, sections
from bureau.access import Viewer
from bureau.errors import Conflict
from bureau.models import User
from inspections.models import Case, CaseState
from reports.models import TypicalCase

TYPICAL_SECTIONS = frozenset({sections.LEGAL})
ONLY_LEGAL = "典型案例由法制科公开和撤回。"
NOT_DECIDED = "只有已作出处理决定的案件才能作为典型案例公开。"
CONFIDENTIAL = (
    "该案件的当事单位涉及国家秘密，依照《排污许可证后管理实施方案》第十九条不得公开，不能作为典型案例。"
)
ALREADY = "该案件已作为典型案例公开；如需修改，请先撤回再重新公开。"
ALREADY_WITHDRAWN = "该典型案例已于此前撤回。"
TITLE_MAX, SUMMARY_MAX, REASON_MAX = 100, 2000, 200


def may_mark_typical(user) -> bool:
    """Whether ``user`` belongs to 法制科 (clerk or head). The administrator publishes for nobody."""
    viewer = Viewer.of(user)
    return not viewer.is_superuser and viewer.section_code in TYPICAL_SECTIONS


def _require_legal(by) -> None:
    if not may_mark_typical(by):
        raise PermissionDenied(ONLY_LEGAL)


def _text(value: str, *, field: str, label: str, limit: int, errors: dict) -> str:
    text = (value or "").strip()
    if not text:
        errors[field] = f"请填写{label}。"
    elif len(text) > limit:
        errors[field] = f"{label}不能超过 {limit} 个字（现有 {len(text)} 个字）。"
    return text


@transaction.atomic
def publish_typical_case(
    *, by: User, case: Case, title: str, summary: str, published_on: date | None = None
) -> TypicalCase:
    """Publish ``case`` as a typical case (002 十六) with the public ``title`` and ``summary`` 法制科
    wrote: only a decided case, never one of a unit involving state secrets (003 第十九条), and one in
    force per case. Records who published it. Only 法制科 (PermissionDenied otherwise)."""
    _require_legal(by)
    case = Case.objects.select_for_update().select_related("facility").get(pk=case.pk)
    errors: dict[str, str] = {}
    if case.facility.is_confidential:
        errors["case"] = CONFIDENTIAL
    elif case.state != CaseState.DECIDED:
        errors["case"] = NOT_DECIDED
    elif TypicalCase.objects.filter(case=case, withdrawn_at__isnull=True).exists():
        errors["case"] = ALREADY
    title = _text(title, field="title", label="标题", limit=TITLE_MAX, errors=errors)
    summary = _text(summary, field="summary", label="案情简介", limit=SUMMARY_MAX, errors=errors)
    if published_on is not None and published_on > timezone.localdate():
        errors["published_on"] = "公开日期不能晚于今天。"
    if errors:
        raise ValidationError(errors)
    typical = TypicalCase(
        case=case,
        title=title,
        summary=summary,
        published_on=published_on or timezone.localdate(),
        published_by=by,
    )
    return history.save_checked(
        typical, by=by, reason=f"公开典型案例（案件 {case.number}）", duplicate=ALREADY
    )


@transaction.atomic
def withdraw_typical_case(*, by: User, typical: TypicalCase, reason: str) -> TypicalCase:
    """Withdraw a typical case from the public pages with ``reason``; it stays on record with who
    withdrew it and when. A second withdrawal is a Conflict. Only 法制科 (PermissionDenied otherwise)."""
    _require_legal(by)
    errors: dict[str, str] = {}
    reason = _text(reason, field="reason", label="撤回原因", limit=REASON_MAX, errors=errors)
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    taken = TypicalCase.objects.filter(pk=typical.pk, withdrawn_at__isnull=True).update(
        withdrawn_at=now, withdrawn_by=by, withdraw_reason=reason
    )
    if not taken:
        raise Conflict(ALREADY_WITHDRAWN)
    return history.snapshot(typical, by=by, reason=f"撤回典型案例：{reason}")


def typical_cases() -> QuerySet[TypicalCase]:
    """Every typical case, published and withdrawn, newest first, with what 法制科's list shows."""
    return TypicalCase.objects.select_related("case__facility", "published_by", "withdrawn_by").order_by(
        "-published_on", "-id"
    )


def typical_case_for_user(user, pk) -> TypicalCase:
    """The typical case for 法制科's pages (PermissionDenied for anyone else; DoesNotExist as 404)."""
    _require_legal(user)
    return TypicalCase.objects.select_related("case__facility").get(pk=pk)


def eligible_cases() -> QuerySet[Case]:
    """Decided cases of units that may be published and not typical now, newest decision first."""
    in_force = TypicalCase.objects.filter(case=OuterRef("pk"), withdrawn_at__isnull=True)
    return (
        Case.objects.filter(state=CaseState.DECIDED, facility__is_confidential=False)
        .exclude(Exists(in_force))
        .select_related("facility")
        .order_by("-decided_on", "-id")
    )
