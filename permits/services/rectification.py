"""The one rectification ledger (限期整改问题台账, R-PER-3, 000 二(二)3): opening an item from any source,
noting its progress, closing it with evidence.

Quality checks open their items here (``services.quality``); the apps above ``permits`` (inspection
findings, execution-report reviews) call ``open_rectification_item`` with their own ``source_key``, so
``permits`` never imports them and the ledger counts every problem towards zero in one place.
"""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from bureau import calendar, history
from bureau.errors import Conflict
from bureau.models import User
from permits.models import (
    Facility,
    FindingCategory,
    Permit,
    PermitEvent,
    QualityCheck,
    RectificationItem,
    RectificationProgress,
    RectificationSource,
)
from permits.services.permits import assert_keeps
from permits.uploads import check_upload

MAX_DEADLINE_WORKDAYS = 250

# Problems whose source decides when they are fixed: closed there, never from the ledger, so the two
# cannot disagree (an execution-report problem is closed by its section's re-review, R-REP-3).
CLOSED_AT_SOURCE = {
    RectificationSource.REPORT_REVIEW: "执行报告审核发现的问题在反馈意见单的复核中销号：请到来源链接的意见单页面办理。",
}


def _source_errors(
    *, facility: Facility, source_kind: str, source_key: str, quality_check: QualityCheck | None
) -> dict[str, str]:
    errors = {}
    if source_kind not in RectificationSource.values:
        errors["source_kind"] = (
            "问题来源应为 "
            + "、".join(f"{value}（{label}）" for value, label in RectificationSource.choices)
            + " 之一。"
        )
    elif source_kind == RectificationSource.QUALITY_CHECK:
        if quality_check is None:
            errors["quality_check"] = "来源为核发质量检查的问题须关联该次检查。"
        elif quality_check.facility_id != facility.pk:
            errors["quality_check"] = "该次质量检查不属于此排污单位。"
    elif quality_check is not None:
        errors["quality_check"] = "只有来源为核发质量检查的问题关联质量检查。"
    elif source_kind != RectificationSource.OTHER and not source_key.strip():
        errors["source_key"] = "请填写来源记录（如 inspections.finding:12），以便从台账找回问题的出处。"
    return errors


def _deadline(
    found_on: date, deadline_workdays: int | None, deadline_on: date | None
) -> calendar.WorkdayDate:
    """The deadline: ``deadline_workdays`` working days after ``found_on`` (R-CAL-1), provisional when
    counted across a year whose calendar is not confirmed; or a date the source set, never
    provisional; exactly one of the two."""
    if (deadline_workdays is None) == (deadline_on is None):
        raise ValidationError({"deadline_workdays": "请填写整改时限（工作日）或整改期限之一。"})
    if deadline_on is not None:
        if deadline_on < found_on:
            raise ValidationError({"deadline_on": "整改期限不能早于发现日期。"})
        return calendar.WorkdayDate(deadline_on, is_provisional=False)
    if not 1 <= deadline_workdays <= MAX_DEADLINE_WORKDAYS:
        raise ValidationError({"deadline_workdays": f"整改时限应为 1–{MAX_DEADLINE_WORKDAYS} 个工作日。"})
    return calendar.deadline(found_on, deadline_workdays)


@transaction.atomic
def open_rectification_item(
    *,
    by: User | None,
    facility: Facility,
    source_kind: str,
    source_key: str,
    source_label: str,
    category: str,
    category_label: str,
    description: str,
    found_on: date,
    responsible_person: str,
    responsible_phone: str = "",
    deadline_workdays: int | None = None,
    deadline_on: date | None = None,
    quality_check: QualityCheck | None = None,
    source_url: str = "",
) -> RectificationItem:
    """Put one problem of ``facility`` on the rectification ledger, open, with its deadline (R-PER-3).

    - ``source_kind`` is a ``RectificationSource``; ``source_key`` names the record that found the
      problem as ``<app>.<record>:<id>`` (required except for 其他), and ``source_label`` names that
      record in Chinese, after the kind (the ledger shows “执法检查发现 · JC-2026-015 第 3 项”), and
      ``source_url`` is that record's page, to which the ledger links the label. A
      quality check's items pass ``quality_check`` too, and only they may.
    - ``category`` is the source's own class of problem (for a quality check a ``FindingCategory``),
      ``category_label`` its Chinese name as the ledger shows it.
    - The deadline is ``deadline_workdays`` working days after ``found_on`` (1–250, R-CAL-1) or the
      date ``deadline_on`` the source set: exactly one of the two.

    It does not check who acts: the service that records the source does, before calling this (a
    quality check: 审批科, R-ORG-2; an inspection: its officers). ``by`` is recorded in history; None
    for a system job. ValidationError per field names what is wrong, in Chinese; nothing is written
    then. Call it once per problem, inside the transaction that records the source: it does not look
    for an item opened before.
    """
    errors = _source_errors(
        facility=facility, source_kind=source_kind, source_key=source_key, quality_check=quality_check
    )
    if source_kind == RectificationSource.QUALITY_CHECK and category not in FindingCategory.values:
        errors["category"] = "问题类别应为应发尽发、应登尽登、违规降低管理级别或实际排放与许可不符之一。"
    for name, value, message in (
        ("source_label", source_label, "请填写来源说明。"),
        ("category", category, "请填写问题类别。"),
        ("category_label", category_label, "请填写问题类别名称。"),
        ("description", description, "请填写问题描述。"),
        ("responsible_person", responsible_person, "请填写整改责任人。"),
    ):
        if not value.strip():
            errors.setdefault(name, message)
    if source_url and (not source_url.startswith("/") or source_url.startswith("//")):
        errors["source_url"] = "来源链接应为本系统内的地址（以“/”开头）。"
    if found_on > timezone.localdate():
        errors["found_on"] = "发现日期不能晚于今天。"
    if errors:
        raise ValidationError(errors)
    deadline = _deadline(found_on, deadline_workdays, deadline_on)
    item = RectificationItem(
        facility=facility,
        source_kind=source_kind,
        source_key=source_key.strip(),
        source_label=source_label.strip(),
        source_url=source_url.strip(),
        quality_check=quality_check,
        found_on=found_on,
        category=category.strip(),
        category_label=category_label.strip(),
        description=description.strip(),
        deadline_workdays=deadline_workdays,
        deadline_on=deadline.on,
        deadline_provisional=deadline.is_provisional,
        responsible_person=responsible_person.strip(),
        responsible_phone=responsible_phone.strip(),
    )
    return history.save_checked(
        item, by=by, reason=f"列入整改台账（来源：{RectificationSource(source_kind).label}）"
    )


@transaction.atomic
def note_rectification_progress(
    *, by: User, item: RectificationItem, noted_on: date, note: str
) -> RectificationProgress:
    """Add a progress note to an open item; the approval section keeps the ledger (R-ORG-2)."""
    assert_keeps(by, "rectification")
    if not note.strip():
        raise ValidationError({"note": "请填写进展情况。"})
    item = RectificationItem.objects.select_for_update().get(pk=item.pk)
    if item.closed_on is not None:
        raise Conflict("该问题已销号，不能再登记进展。")
    progress = RectificationProgress(item=item, noted_on=noted_on, note=note.strip(), recorded_by=by)
    history.record(progress, by=by)
    progress.save()
    return progress


@transaction.atomic
def close_rectification(
    *, by: User, item: RectificationItem, closed_on: date, evidence: str, evidence_file=None
) -> RectificationItem:
    """问题销号: close an item with its evidence, whatever its source. Exactly one of two simultaneous
    closes succeeds; the other gets ``Conflict``. Not before the problem was found."""
    assert_keeps(by, "rectification")
    if item.source_kind in CLOSED_AT_SOURCE:
        raise ValidationError({"closing_evidence": CLOSED_AT_SOURCE[item.source_kind]})
    return close_item_from_source(by=by, item=item, closed_on=closed_on, evidence=evidence, evidence_file=evidence_file)


@transaction.atomic
def close_item_from_source(
    *, by: User | None, item: RectificationItem, closed_on: date, evidence: str, evidence_file=None
) -> RectificationItem:
    """Close an item as the service of the record that found the problem decides it (an execution-report
    re-review closes its problem's item): that service has checked who acts. Otherwise as
    ``close_rectification``."""
    if not evidence.strip():
        raise ValidationError({"closing_evidence": "销号须填写整改完成证明。"})
    item = RectificationItem.objects.select_for_update().get(pk=item.pk)
    if item.closed_on is not None:
        raise Conflict(f"该问题已于 {item.closed_on:%Y-%m-%d} 销号。")
    if closed_on > timezone.localdate():
        raise ValidationError({"closed_on": "销号日期不能晚于今天。"})
    if closed_on < item.found_on:
        found = "检查日期" if item.source_kind == RectificationSource.QUALITY_CHECK else "发现日期"
        raise ValidationError({"closed_on": f"销号日期不能早于{found}。"})
    item.closed_on, item.closing_evidence, item.closed_by = closed_on, evidence.strip(), by
    if evidence_file is not None:
        check_upload(evidence_file, field="closing_file", label="证明材料")
        item.closing_file = evidence_file
    history.record(item, by=by)
    item.save()
    return item


@dataclass(frozen=True)
class Requirement:
    """One 整改要求 a permit carries: what to put right, by a fixed calendar date, and who answers for it."""

    description: str
    deadline_on: date
    responsible_person: str
    responsible_phone: str = ""


PERMIT_REQUIREMENT = "permit_requirement"


@transaction.atomic
def record_permit_requirements(
    *, by: User | None, permit: Permit, event: PermitEvent | None, requirements: list[Requirement]
) -> list[RectificationItem]:
    """Put each 整改要求 of ``permit`` (issued with it, or with ``event``: a 变更, a 延续决定 …) on the
    one rectification ledger with its fixed calendar deadline (R-PER-3, 000 二(二)3). Only 审批科
    records them (R-ORG-2). Errors of the ``n``-th requirement (from 1) are keyed
    ``requirements[n].<field>``; nothing is written then."""
    assert_keeps(by, "permit")
    found_on = event.occurred_on if event is not None else permit.issued_on
    source_key = f"permits.permit_event:{event.pk}" if event is not None else f"permits.permit:{permit.pk}"
    label = f"许可证 {permit.number}"
    if event is not None:
        label += f" {event.get_kind_display()}（{event.occurred_on:%Y-%m-%d}）"
    items = []
    for index, requirement in enumerate(requirements, 1):
        try:
            items.append(
                open_rectification_item(
                    by=by,
                    facility=permit.facility,
                    source_kind=RectificationSource.PERMIT,
                    source_key=source_key,
                    source_label=label,
                    source_url=reverse("permits:facility-detail", args=[permit.facility_id]) + "#events",
                    category=PERMIT_REQUIREMENT,
                    category_label="许可证整改要求",
                    description=requirement.description,
                    found_on=found_on,
                    deadline_on=requirement.deadline_on,
                    responsible_person=requirement.responsible_person,
                    responsible_phone=requirement.responsible_phone,
                )
            )
        except ValidationError as exc:
            raise ValidationError(
                {f"requirements[{index}].{name}": m for name, m in exc.message_dict.items()}
            ) from None
    return items
