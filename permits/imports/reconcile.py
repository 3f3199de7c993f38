"""Comparing checked import rows with the registry: what each row would change (R-FAC-1, R-PER-1).

Reads only. ``Snapshot`` loads what the registry holds for a set of rows in a fixed number of queries,
and ``reconcile_row`` says what one row would do: 新增, 变更 (old → new per field), 无变化 or 不予导入
(with the reasons in Chinese). The services run it at preview time and again inside the apply
transaction, so confirming never writes over a change made since the preview.
"""

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Q
from django.utils import timezone

from permits import rules
from permits.imports.models import ImportRowKind
from permits.imports.parse import FACILITY_KEYS, OPTIONAL_KEYS, PERMIT_LEVELS
from permits.imports.template import LABELS
from permits.models import (
    Facility,
    ManagementLevel,
    Permit,
    PermitEvent,
    Registration,
    ReportFrequency,
)
from permits.queries import rule_event, with_state

CHUNK = 500


# Comparing with the registry --------------------------------------------------------------------------


def chunks(items: list, size: int = CHUNK) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class Snapshot:
    """What the registry holds for a set of rows, loaded in a fixed number of queries per 500 rows.

    With ``lock=True`` (inside the apply transaction) the existing facilities are locked in credit
    code order, so a concurrent edit waits for the import instead of slipping in between the check
    and the write (PostgreSQL; SQLite's write lock already serialises writers)."""

    def __init__(self, *, codes: set, numbers: set, receipts: set, lock: bool = False):
        """The snapshot of rows that name these credit codes, permit numbers and receipt numbers
        (empty values ignored)."""
        codes, numbers, receipts = (sorted(key for key in keys if key) for keys in (codes, numbers, receipts))
        facilities = Facility.objects.select_related("town").order_by("credit_code")
        if lock:
            facilities = facilities.select_for_update(of=("self",))
        # Every site of the units the rows name, by source code and by unit (R-FAC-1).
        self.facilities = {
            f.source_code: f for chunk in chunks(codes) for f in facilities.filter(credit_code__in=chunk)
        }
        self.sites: dict[str, list[Facility]] = defaultdict(list)
        for facility in sorted(self.facilities.values(), key=lambda f: f.site_number):
            self.sites[facility.credit_code].append(facility)
        self.permits = {
            p.number: p
            for chunk in chunks(numbers)
            for p in Permit.objects.select_related("facility").filter(number__in=chunk)
        }
        facility_ids = sorted(f.pk for f in self.facilities.values())
        self.with_permits = {
            pk
            for chunk in chunks(facility_ids)
            for pk in Permit.objects.filter(facility_id__in=chunk).values_list("facility_id", flat=True)
        }
        # What each facility's valid permits and registrations hold, which a new level must agree with
        # (R-FAC-3): (what, number, level).
        today = timezone.localdate()
        self.valid_levels: dict[int, set[tuple[str, str, str]]] = defaultdict(set)
        for chunk in chunks(facility_ids):
            valid = with_state(Permit.objects.filter(facility_id__in=chunk), today)
            for pk, number, level in valid.filter(state="valid").values_list(
                "facility_id", "number", "management_level"
            ):
                self.valid_levels[pk].add(("许可证", number, level))
            registered = Registration.objects.filter(facility_id__in=chunk).filter(
                Q(valid_until__isnull=True) | Q(valid_until__gte=today)
            )
            for pk, receipt in registered.values_list("facility_id", "receipt_no"):
                self.valid_levels[pk].add(("排污登记", receipt, ManagementLevel.REGISTERED))
        self.events: dict[int, list[rules.Event]] = defaultdict(list)
        for chunk in chunks(sorted(p.pk for p in self.permits.values())):
            for event in PermitEvent.objects.filter(permit_id__in=chunk).order_by("occurred_on", "id"):
                self.events[event.permit_id].append(rule_event(event))
        self.registrations = {
            r.receipt_no: r
            for chunk in chunks(receipts)
            for r in Registration.objects.select_related("facility").filter(receipt_no__in=chunk)
        }

    @classmethod
    def of_rows(cls, rows: list[dict[str, Any]], *, lock: bool = False) -> "Snapshot":
        """The snapshot of these rows' values."""
        return cls(
            codes={r.get("credit_code") for r in rows},
            numbers={r.get("permit_number") for r in rows},
            receipts={r.get("receipt_no") for r in rows},
            lock=lock,
        )


@dataclass
class Outcome:
    """What a row would do: its class, the changes ``[label, old, new]`` and the reasons to reject."""

    kind: str
    changes: list[list[str]] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    permit_action: str | None = None  # "issue" or "renew"
    records_registration: bool = False


def _show(value: Any) -> str:
    if value in (None, ""):
        return "—"
    return value.isoformat() if isinstance(value, date) else str(value)


def _facility_changes(facility: Facility, values: dict[str, Any]) -> list[list[str]]:
    changes = []
    for key in FACILITY_KEYS:
        new = values[key]
        if key in OPTIONAL_KEYS and new == "":
            continue
        if key == "town":
            if facility.town_id != values["town_id"]:
                changes.append([LABELS[key], facility.town.name, new])
        elif key == "management_level":
            if facility.management_level != new:
                old_label = ManagementLevel(facility.management_level).label
                changes.append([LABELS[key], old_label, ManagementLevel(new).label])
        elif getattr(facility, key) != new:
            changes.append([LABELS[key], _show(getattr(facility, key)), _show(new)])
    return changes


def _permit_outcome(values: dict, facility: Facility | None, snap: Snapshot, outcome: Outcome) -> None:
    number = values["permit_number"]
    frequency_label = ReportFrequency(values["report_frequency"]).label
    permit = snap.permits.get(number)
    if permit is None:
        if date.fromisoformat(values["issued_on"]) > timezone.localdate():
            outcome.reasons.append(f"发证日期 {values['issued_on']} 晚于今天，许可证核发后才能登记。")
            return
        outcome.permit_action = "issue"
        if facility is not None:
            summary = f"{number}（{values['valid_from']} 至 {values['valid_until']}，{frequency_label}报告）"
            outcome.changes.append(["排污许可证", "—", summary])
        return
    if facility is None or permit.facility_id != facility.pk:
        outcome.reasons.append(
            f"许可证编号“{number}”在系统中属于另一个污染源（{permit.facility.name}，{permit.facility.source_code}）。"
        )
        return
    differs = []
    if permit.management_level != values["management_level"]:
        differs.append(
            f"管理类别（系统：{permit.get_management_level_display()}，"
            f"文件：{ManagementLevel(values['management_level']).label}）"
        )
    if permit.report_frequency != values["report_frequency"]:
        differs.append(
            f"执行报告频次（系统：{permit.get_report_frequency_display()}，文件：{frequency_label}）"
        )
    new_until, old_until = date.fromisoformat(values["valid_until"]), permit.valid_until
    if new_until == old_until:
        for key, old in (("issued_on", permit.issued_on), ("valid_from", permit.valid_from)):
            if values[key] != old.isoformat():
                differs.append(f"{LABELS[key]}（系统：{old.isoformat()}，文件：{values[key]}）")
    if differs:
        outcome.reasons.append(
            f"许可证 {number} 的{'、'.join(differs)}与系统记录不同：已登记许可证的内容须在许可证页面按“变更”"
            "等事项办理，导入不修改。"
        )
    elif new_until < old_until:
        outcome.reasons.append(
            f"许可证 {number} 的有效期至 {new_until.isoformat()} 早于系统记录的 {old_until.isoformat()}，请核对。"
        )
    elif new_until > old_until:
        decided_on = date.fromisoformat(values["issued_on"])
        error = rules.renewal_grant_error(snap.events[permit.pk], old_until, decided_on, new_until)
        if decided_on > timezone.localdate():
            error = f"发证日期 {decided_on.isoformat()} 晚于今天，事项发生后才能登记。"
        if error:
            outcome.reasons.append(
                f"许可证 {number} 的有效期至由 {old_until.isoformat()} 延至 {new_until.isoformat()}，"
                f"按“延续”登记时：{error}"
            )
        else:
            outcome.permit_action = "renew"
            outcome.changes.append(
                ["许可证有效期至", old_until.isoformat(), f"{new_until.isoformat()}（延续）"]
            )


def _registration_outcome(values: dict, facility: Facility | None, snap: Snapshot, outcome: Outcome) -> None:
    receipt = values["receipt_no"]
    registration = snap.registrations.get(receipt)
    if values["registered_on"] and date.fromisoformat(values["registered_on"]) > timezone.localdate():
        outcome.reasons.append(f"登记日期 {values['registered_on']} 晚于今天，登记后才能导入。")
        return
    if registration is None:
        outcome.records_registration = True
        if facility is not None:
            outcome.changes.append(["排污登记", "—", f"{receipt}（{values['registered_on']} 登记）"])
        return
    if facility is None or registration.facility_id != facility.pk:
        outcome.reasons.append(
            f"登记回执编号“{receipt}”在系统中属于另一个污染源（{registration.facility.name}，"
            f"{registration.facility.source_code}）。"
        )
        return
    pairs = [("registered_on", registration.registered_on)]
    if values["valid_until"]:
        pairs.append(("valid_until", registration.valid_until))
    for key, old in pairs:
        if values[key] != (old.isoformat() if old else ""):
            label = "登记有效期至" if key == "valid_until" else LABELS[key]
            outcome.changes.append([label, _show(old), values[key]])
            outcome.records_registration = True


def site_number_of(values: dict[str, Any], snap: Snapshot) -> str | None:
    """The site a checked row names (R-FAC-1, ``rules.unit_site_number`` over the unit's sites in the
    registry); None when a known unit has several sites and the row names none of them."""
    sites = [f.site_number for f in snap.sites.get(values["credit_code"], [])]
    return rules.unit_site_number(values["site_number"], sites)


def _level_outcome(values: dict, facility: Facility, snap: Snapshot, outcome: Outcome) -> None:
    """R-FAC-3: a new level must agree with the facility's valid permits and registrations other than
    the row's own."""
    if facility.management_level == values["management_level"]:
        return
    own = {values.get("permit_number"), values.get("receipt_no")} - {None, ""}
    for what, number, level in sorted(snap.valid_levels[facility.pk]):
        if number not in own and (error := rules.level_mismatch_error(level, values["management_level"])):
            outcome.reasons.append(
                f"{error.rstrip('。')}：系统中的{what} {number} 仍有效，请先办理该{what}的相应事项。"
            )


def reconcile_row(values: dict[str, Any], snap: Snapshot) -> Outcome:
    """Compare one checked row with the registry (R-FAC-1: the source code names the facility; the
    row's site number is resolved by ``site_number_of`` and written back into ``values``).

    新增 when no facility has the code; 变更 when a facility field, the permit (a new one, or a later
    validity that is a 延续, R-PER-1) or the registration differs; 无变化 otherwise. A permit or
    receipt number that belongs to another facility, or a permit whose content differs other than by
    renewal, rejects the row: the import never rewrites a permit behind its events.
    """
    outcome = Outcome(kind=ImportRowKind.UNCHANGED)
    site_number = site_number_of(values, snap)
    if site_number is None:
        sites = [f.site_number for f in snap.sites[values["credit_code"]]]
        outcome.kind = ImportRowKind.REJECTED
        outcome.reasons.append(rules.several_sites_error(values["credit_code"], sites))
        return outcome
    values["site_number"] = site_number
    values["source_code"] = rules.source_code(values["credit_code"], site_number)
    facility = snap.facilities.get(values["source_code"])
    if facility is not None:
        outcome.changes = _facility_changes(facility, values)
        _level_outcome(values, facility, snap, outcome)
    if values["management_level"] in PERMIT_LEVELS:
        _permit_outcome(values, facility, snap, outcome)
    else:
        _registration_outcome(values, facility, snap, outcome)
    if outcome.reasons:
        outcome.kind, outcome.changes = ImportRowKind.REJECTED, []
    elif facility is None:
        outcome.kind, outcome.changes = ImportRowKind.NEW, []
    elif outcome.changes:
        outcome.kind = ImportRowKind.CHANGED
    return outcome


def reconcile_rows(rows: list[tuple[int, dict[str, Any]]], snap: Snapshot) -> list[Outcome]:
    """``reconcile_row`` for each ``(row number, values)`` of one file, then the file's repeats: a site
    may appear on one row only (R-FAC-1). Repeats are decided on the site each row resolves to, so a
    row with a credit code alone and a row with that unit's only site number are one site. Every row
    of a repeated site is rejected, naming the others: the file cannot say which is right, and none is
    silently dropped."""
    bare = {number for number, values in rows if not values.get("site_number")}
    outcomes = [reconcile_row(values, snap) for _, values in rows]
    by_site: dict[str, list[int]] = defaultdict(list)
    for index, (_, values) in enumerate(rows):
        if values.get("source_code") and values.get("site_number"):
            by_site[values["source_code"]].append(index)
    for code, indexes in by_site.items():
        if len(indexes) < 2:
            continue
        for index in indexes:
            number = rows[index][0]
            others = "、".join(str(rows[i][0]) for i in indexes if i != index)
            how = f"（本行未填污染源序号，认定为序号 {code[18:]}）" if number in bare else ""
            outcome = outcomes[index]
            outcome.reasons.append(f"污染源“{code}”与第 {others} 行重复{how}：同一污染源在文件中只能有一行。")
            outcome.kind, outcome.changes = ImportRowKind.REJECTED, []
            outcome.permit_action, outcome.records_registration = None, False
    return outcomes
