"""Step 4 of an import batch (``permits.imports.services`` has the path): write a confirmed batch.

``apply_batch`` writes every new and changed row in ONE transaction, acting as the confirming user with
the batch as the history source. It first compares the rows again with the registry as it is now: if
anything a row compared has changed since the preview, nothing is written and the batch returns to
待确认 with the fresh comparison, so an edit made meanwhile is never overwritten blindly.

The writes are those of the registry's services (``register_facility``, ``issue_permit``,
``record_registration``; ``record_permit_event`` for a renewal) made in bulk, city scale: each row is
checked in Python first with the services' own checks (``_Writer.plan``: the same refusals, the same
Chinese messages, the first refused row failing the batch), against what was loaded once for the whole
file (the snapshot, the units, the key industries); then every ``WRITE_CHUNK`` rows are written with
``bureau.bulk`` (``COPY`` and ``UPDATE … FROM (VALUES …)`` on PostgreSQL, ``bulk_create`` /
``bulk_update`` on SQLite) and their history rows copied by the database from the rows just written
(``bureau.history.copy_rows``: the confirming user, the same change reasons and types as a save,
R-RET-1). No savepoint per row, and a fixed number of queries per chunk whatever the rows hold.

Progress: parsing writes its counters to the batch row; this transaction cannot: on SQLite it holds the
database's only write lock, so no other connection could write a counter until it ends. Its progress
goes to a small JSON file beside the uploaded files (MEDIA_ROOT, which web and worker share), written
atomically every few hundred rows and read by ``permits.imports.queries.progress_of``.
"""

import json
import logging
import os
import time
from datetime import date
from typing import NamedTuple

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone

from bureau import background, bulk, history
from bureau.background import CLAIMED
from bureau.errors import Conflict
from bureau.models import Town
from permits import rules
from permits.imports import reports as report_import
from permits.imports.models import ImportBatch, ImportRow, ImportRowKind, ImportStatus
from permits.imports.parse import FACILITY_KEYS, OPTIONAL_KEYS, TownIndex
from permits.imports.queries import progress_path
from permits.imports.reconcile import CHUNK, Outcome, Snapshot, chunks, reconcile_row
from permits.imports.services import claim, fail_batch, time_limit_message
from permits.models import Facility, KeyIndustry, Permit, PermitEvent, PermitEventKind, Registration, Unit
from permits.services.facilities import (
    SITE_KEYS,
    _clean,
    assert_keeps_facilities,
    assert_may_change,
    check_new_site,
    site_of,
)
from permits.services.permits import check_registration, checked_new_permit, record_permit_event

logger = logging.getLogger(__name__)

# Rows checked, then written, at a time: the queries of an apply grow with the chunks, never with rows.
WRITE_CHUNK = 1000


class RowFailed(Exception):
    def __init__(self, row_number: int, message: str):
        super().__init__(message)
        self.row_number = row_number
        self.message = message


def apply_batch(*, batch_id: int) -> None:
    """Write a confirmed batch (导入中 → 已完成) in one transaction, or nothing at all.

    A row the services refuse rolls everything back and fails the batch naming the row (失败). Rows
    whose comparison no longer holds send the batch back to 待确认 instead (see ``_apply``). Running it
    again on a batch no longer 导入中 does nothing.

    A batch of execution reports is written one filing at a time instead (``reports.apply``): each
    filing is its own transaction, so a refused one is told on its row and the others stand.

    Returns what the claim found (see ``claim``): BUSY asks the task to retry later."""
    outcome = claim(batch_id, ImportStatus.APPLYING)
    if outcome != CLAIMED:
        return outcome
    batch = ImportBatch.objects.select_related("created_by").filter(pk=batch_id).first()
    if batch is not None and batch.is_report_import:
        with background.heartbeat(f"import-{batch_id}"):
            _apply_reports(batch)
        return outcome
    try:
        with background.heartbeat(f"import-{batch_id}"):
            _apply_comparing_again_on_a_race(batch_id)
    except SoftTimeLimitExceeded:
        fail_batch(batch_id, ImportStatus.APPLYING, time_limit_message("写入") + "整批已撤销。")
    except _NoLongerApplying:
        logger.warning("import batch %s was cancelled while it was applied: rolled back", batch_id)
    except RowFailed as exc:
        fail_batch(
            batch_id,
            ImportStatus.APPLYING,
            f"第 {exc.row_number} 行写入失败：{exc.message.rstrip('。')}。整批已撤销，没有写入任何数据；"
            "请修正后重新上传。",
        )
    except IntegrityError:
        logger.warning("import batch %s: the registry changed under the apply twice", batch_id, exc_info=True)
        fail_batch(batch_id, ImportStatus.APPLYING, RACE_MESSAGE)
    except Exception as exc:
        logger.exception("import batch %s: apply failed", batch_id)
        fail_batch(
            batch_id,
            ImportStatus.APPLYING,
            f"导入时发生意外错误（{exc.__class__.__name__}），整批已撤销，没有写入任何数据；请联系系统管理员。",
        )
    finally:
        progress_path(batch_id).unlink(missing_ok=True)
    return outcome


class _Row(NamedTuple):
    """A row of the batch, as ``_back_to_preview`` names it."""

    id: int
    row_number: int


class _Plan(NamedTuple):
    """What a row that the comparison still holds will write: its class, its unit, and what
    ``_Writer.plan`` reads of its outcome."""

    kind: str
    credit_code: str
    permit_action: str | None
    records_registration: bool


class _NoLongerApplying(Exception):
    """The batch was cancelled while this apply ran (its owner saw it stuck): roll everything back."""


RACE_MESSAGE = (
    "写入时，本文件要新建的排污单位或许可证已被他人同时登记，两次重新比对后仍然冲突。整批已撤销，"
    "没有写入任何数据；请稍后重新确认或重新上传。"
)


def _apply_comparing_again_on_a_race(batch_id: int) -> None:
    """``_apply``, and once more if it lost a race: the snapshot locks the sites and permits the file
    names, but not the ones it creates, so a colleague may register one of those between the snapshot
    and the bulk write, which the unique constraints then refuse. Everything is rolled back; the second
    pass compares again, finds that row no longer new, and sends the batch back to 待确认 (as for any
    change made after the preview). A second lost race fails the batch with ``RACE_MESSAGE``."""
    try:
        _apply(batch_id)
    except IntegrityError:
        logger.info("import batch %s: a row was registered meanwhile; comparing again", batch_id)
        _apply(batch_id)


def _apply(batch_id: int) -> None:
    with transaction.atomic():
        batch = (
            ImportBatch.objects.select_for_update(of=("self",))
            .select_related("confirmed_by")
            .filter(pk=batch_id, status=ImportStatus.APPLYING)
            .first()
        )
        if batch is None:
            return
        rows = batch.rows.exclude(kind=ImportRowKind.REJECTED).order_by("row_number")
        # The file is read in passes, a chunk of rows at a time, never all of its values at once (the
        # decoded values were most of a 100,000-row apply's memory, issue 15): the keys, to load and
        # lock the snapshot; every row compared again; then the rows to write, read once more.
        codes, numbers, receipts = (
            set(rows.order_by().values_list(f"values__{key}", flat=True).distinct())
            for key in ("credit_code", "permit_number", "receipt_no")
        )
        snap = Snapshot(codes=codes, numbers=numbers, receipts=receipts, lock=True)
        plans, stale = _compare_again(rows, snap)
        if stale:
            _back_to_preview(batch, stale)
            return
        writer = _Writer(
            by=batch.confirmed_by,
            source=batch.source_label,
            snap=snap,
            towns=TownIndex.load().towns,
            new_codes=[plan.credit_code for plan in plans.values() if plan.kind == ImportRowKind.NEW],
        )
        write_progress(batch.pk, done=0, total=len(plans))
        for done, part in enumerate(chunks(list(plans), WRITE_CHUNK), start=1):
            # The part's rows, by the range of their numbers (the rows of 无变化 among them are skipped).
            for row_number, values in rows.filter(row_number__range=(part[0], part[-1])).values_list(
                "row_number", "values"
            ):
                if (plan := plans.get(row_number)) is None:
                    continue
                try:
                    writer.plan(row_number, values, plan)
                except (ValidationError, PermissionDenied, Conflict) as exc:
                    raise RowFailed(row_number, _error_text(exc)) from exc
            writer.write()
            if settings.IMPORT_APPLY_ROW_DELAY_MS:  # test only: time to kill the worker mid-apply
                time.sleep(settings.IMPORT_APPLY_ROW_DELAY_MS * len(part) / 1000)
            write_progress(batch.pk, done=min(done * WRITE_CHUNK, len(plans)), total=len(plans))
        finished = ImportBatch.objects.filter(pk=batch.pk, status=ImportStatus.APPLYING).update(
            status=ImportStatus.DONE, applied_rows=len(plans), finished_at=timezone.now()
        )
        if not finished:
            raise _NoLongerApplying()


def _compare_again(rows, snap: Snapshot) -> tuple[dict[int, _Plan], list[tuple[_Row, Outcome]]]:
    """Compare the rows ``rows`` (the batch's, in file order) with the registry once more, a chunk at a
    time: what each row still to write will do, by row number, in order; and the rows whose
    comparison is no longer what the preview showed, with their fresh outcome.

    Row by row, without the file's repeats that ``reconcile_rows`` also finds: the preview stored
    each row with the site it resolved to (``reconcile_row`` writes it into the values), and rows of
    one site were rejected there, so the rows kept name distinct sites. Were two to meet anyway, the
    unique constraint refuses the write and the apply compares again (``_apply_comparing_again_on_a_race``)."""
    plans: dict[int, _Plan] = {}
    stale: list[tuple[_Row, Outcome]] = []
    for id_, row_number, kind, changes, values in rows.values_list(
        "id", "row_number", "kind", "changes", "values"
    ).iterator(chunk_size=2000):
        outcome = reconcile_row(values, snap)
        if (kind, changes) != (outcome.kind, outcome.changes):
            stale.append((_Row(id_, row_number), outcome))
        elif outcome.kind in (ImportRowKind.NEW, ImportRowKind.CHANGED):
            plans[row_number] = _Plan(
                outcome.kind, values["credit_code"], outcome.permit_action, outcome.records_registration
            )
    return plans, stale


def _apply_reports(batch: ImportBatch) -> None:
    if batch.status != ImportStatus.APPLYING:
        return
    try:
        report_import.apply(
            batch, on_progress=lambda done, total: write_progress(batch.pk, done=done, total=total)
        )
    except Exception as exc:
        logger.exception("import batch %s: apply failed", batch.pk)
        fail_batch(
            batch.pk,
            ImportStatus.APPLYING,
            f"导入时发生意外错误（{exc.__class__.__name__}）：已登记的报告保留，其余未登记；请联系系统管理员。",
        )
    finally:
        progress_path(batch.pk).unlink(missing_ok=True)


def _error_text(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "".join(exc.messages)
    return str(exc) or exc.__class__.__name__


class _Writer:
    """The writes of one batch: ``plan`` checks a row as the services would and keeps what it writes;
    ``write`` writes what was planned, in bulk with its history rows, and forgets it."""

    def __init__(self, *, by, source: str, snap: Snapshot, towns: dict[int, Town], new_codes: list[str]):
        self.by, self.source, self.snap, self.towns = by, source, snap, towns
        self.key_industries = {k.code: k for k in KeyIndustry.objects.filter(is_active=True)}
        # The units of the new sites' credit codes, locked as ``register_facility`` locks one.
        codes = sorted(set(new_codes))
        units = Unit.objects.select_for_update().order_by("credit_code")
        self.units = {
            u.credit_code: u for chunk in chunks(codes) for u in units.filter(credit_code__in=chunk)
        }
        self.facility_checks = bulk.FieldChecks(Facility, exclude=["key_industry", "unit", "town"])
        self.registration_checks = history.field_checks(Registration)
        self.sites: dict[str, list[str]] = {
            credit: [f.site_number for f in facilities] for credit, facilities in snap.sites.items()
        }
        self._reset()

    def _reset(self) -> None:
        self.new_units: list[Unit] = []
        self.new_facilities: list[Facility] = []
        self.changed_facilities: list[Facility] = []
        self.new_permits: list[Permit] = []
        self.new_events: list[PermitEvent] = []
        self.new_registrations: list[Registration] = []
        self.changed_registrations: list[Registration] = []
        self.renewals: list[tuple[int, dict, Permit]] = []

    def _key_industry(self, industry_code: str) -> KeyIndustry | None:
        match = rules.key_industry_code(industry_code, self.key_industries)
        return self.key_industries.get(match) if match else None

    def plan(self, row_number: int, values: dict, outcome: _Plan) -> None:
        """Check one row as ``register_facility``, ``issue_permit`` and ``record_registration`` would,
        in that order, raising what they raise; keep its writes for ``write``."""
        facility = self._plan_facility(values)
        day = date.fromisoformat
        if outcome.permit_action == "issue":
            permit, event = checked_new_permit(
                by=self.by,
                facility=facility,
                number=values["permit_number"],
                management_level=values["management_level"],
                issued_on=day(values["issued_on"]),
                valid_from=day(values["valid_from"]),
                valid_until=day(values["valid_until"]),
                report_frequency=values["report_frequency"],
                application=PermitEventKind.REAPPLICATION
                if facility.pk in self.snap.with_permits
                else PermitEventKind.FIRST_APPLICATION,
                is_taken=lambda number: number in self.snap.permits,
            )
            self.new_permits.append(permit)
            self.new_events.append(event)
        elif outcome.permit_action == "renew":
            # A renewal (rare in a platform file) goes through ``record_permit_event``: an application
            # and its decision, and the to-do they open and close (R-PER-2).
            self.renewals.append((row_number, values, self.snap.permits[values["permit_number"]]))
        if outcome.records_registration:
            self._plan_registration(values, facility)

    def _plan_facility(self, values: dict) -> Facility:
        """``register_facility`` for one row, against the snapshot (which holds and locks every site of
        the file's units) instead of a query per row."""
        by = self.by
        assert_keeps_facilities(by)
        fields = {key: values[key] for key in ("credit_code", "site_number", *FACILITY_KEYS) if key != "town"}
        fields = {k: v for k, v in fields.items() if not (k in OPTIONAL_KEYS and v == "")}
        fields["town"] = self.towns[values["town_id"]]
        ref = site_of(fields)
        fields = _clean({k: v for k, v in fields.items() if k not in SITE_KEYS})
        sites = sorted(self.sites.get(ref.credit_code, []))
        site_number = rules.unit_site_number(ref.site_number, sites)
        if site_number is None:
            raise ValidationError({"site_number": rules.several_sites_error(ref.credit_code, sites)})
        code = rules.source_code(ref.credit_code, site_number)
        facility = self.snap.facilities.get(code)
        if facility is None:
            check_new_site(by, fields)
            unit = self.units.get(ref.credit_code)
            if unit is None:
                unit = Unit(credit_code=ref.credit_code, name=fields["name"])
                self.units[ref.credit_code] = unit
                self.new_units.append(unit)
            facility = Facility(
                unit=unit, credit_code=unit.credit_code, site_number=site_number, source_code=code, **fields
            )
            facility.key_industry = self._key_industry(facility.industry_code)
            self._check_facility(facility)
            self.snap.facilities[code] = facility
            self.sites.setdefault(ref.credit_code, []).append(site_number)
            self.new_facilities.append(facility)
            return facility
        changes = {k: (getattr(facility, k), v) for k, v in fields.items() if getattr(facility, k) != v}
        if not changes:
            return facility
        if by is not None:
            assert_may_change(by, changes)
        if "management_level" in changes:
            self._assert_levels_agree(facility, changes["management_level"][1])
        for name, (_, new) in changes.items():
            setattr(facility, name, new)
        if "industry_code" in changes:
            facility.key_industry = self._key_industry(facility.industry_code)
        self._check_facility(facility)
        self.changed_facilities.append(facility)
        return facility

    def _check_facility(self, facility: Facility) -> None:
        # What ``register_facility`` checks before its save (its ``full_clean``), each value checked
        # once per file. The town comes from the towns loaded for this apply, so it is not looked up
        # again row by row.
        self.facility_checks.check(facility)

    def _assert_levels_agree(self, facility: Facility, level: str) -> None:
        """``assert_levels_agree`` from the snapshot: the levels of the facility's valid permits and
        registrations, as loaded (and locked) for the whole file."""
        held = {held_level for _, _, held_level in self.snap.valid_levels.get(facility.pk, ())}
        for held_level in sorted(held):
            if error := rules.level_mismatch_error(held_level, level):
                raise ValidationError({"management_level": error})

    def _plan_registration(self, values: dict, facility: Facility) -> None:
        """``record_registration`` for one row. An empty 有效期至 keeps the registration's validity rather
        than clearing it."""
        day = date.fromisoformat
        receipt = values["receipt_no"]
        existing = self.snap.registrations.get(receipt)
        valid_until = day(values["valid_until"]) if values["valid_until"] else None
        valid_until = valid_until or (existing.valid_until if existing else None)
        registered_on = day(values["registered_on"])
        check_registration(
            by=self.by,
            facility=facility,
            receipt_no=receipt,
            registered_on=registered_on,
            valid_until=valid_until,
        )
        if existing is not None:
            if existing.facility_id != facility.pk:
                raise ValidationError({"receipt_no": f"登记回执编号“{receipt}”已属于其他单位。"})
            existing.registered_on, existing.valid_until = registered_on, valid_until
            self.registration_checks.check(existing)
            self.changed_registrations.append(existing)
            return
        registration = Registration(
            facility=facility,
            receipt_no=receipt.strip(),
            registered_on=registered_on,
            valid_until=valid_until,
        )
        self.registration_checks.check(registration)
        self.new_registrations.append(registration)

    def write(self) -> None:
        """Write what was planned since the last call, each record with its history row (who, why, the
        values after; ``+`` created, ``~`` changed), parents before children."""
        created, updated = f"新建（来源：{self.source}）", f"更新（来源：{self.source}）"
        self._create(Unit, self.new_units, created)
        self._create(Facility, self.new_facilities, created)
        now = timezone.now()
        for facility in self.changed_facilities:
            facility.updated_at = now
        self._update(
            Facility, self.changed_facilities, [*FIELDS_WRITTEN, "key_industry", "updated_at"], updated
        )
        self._create(Permit, self.new_permits, None)
        self._create(PermitEvent, self.new_events, None)
        self._create(Registration, self.new_registrations, None)
        self._update(Registration, self.changed_registrations, ["registered_on", "valid_until"], "更新登记")
        for row_number, values, permit in self.renewals:
            try:
                record_permit_event(
                    by=self.by,
                    permit=permit,
                    kind=PermitEventKind.RENEWAL,
                    occurred_on=date.fromisoformat(values["issued_on"]),
                    new_valid_until=date.fromisoformat(values["valid_until"]),
                    note=self.source,
                )
            except (ValidationError, PermissionDenied, Conflict) as exc:
                raise RowFailed(row_number, _error_text(exc)) from exc
        self._reset()

    def _create(self, model, objs: list, reason: str | None) -> None:
        if not objs:
            return
        bulk.create(model, objs)
        self._history(model, objs, reason, update=False)

    def _update(self, model, objs: list, fields: list[str], reason: str) -> None:
        if not objs:
            return
        bulk.update(model, objs, fields)
        self._history(model, objs, reason, update=True)

    def _history(self, model, objs: list, reason: str | None, *, update: bool) -> None:
        history.copy_rows(
            model, [obj.pk for obj in objs], by=self.by, reason=reason or "", created=not update
        )


# The facility fields an import row may change (``FACILITY_KEYS``, the town by its id).
FIELDS_WRITTEN = [key for key in FACILITY_KEYS if key != "town"] + ["town"]


def _back_to_preview(batch: ImportBatch, stale: list[tuple[_Row, Outcome]]) -> None:
    """The registry changed after the preview: keep the fresh comparison, write nothing, and ask the
    user to confirm again what they now see."""
    fresh = [
        ImportRow(id=row.id, kind=o.kind, changes=o.changes, reasons=o.reasons, is_stale=True)
        for row, o in stale
    ]
    ImportRow.objects.bulk_update(fresh, ["kind", "changes", "reasons", "is_stale"], batch_size=CHUNK)
    counts = dict(batch.rows.order_by().values("kind").annotate(n=Count("id")).values_list("kind", "n"))
    numbers = "、".join(str(r.row_number) for r, _ in stale[:10]) + ("等" if len(stale) > 10 else "")
    when = timezone.localtime()
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=ImportStatus.READY,
        confirmed_by=None,
        confirmed_at=None,
        notice=(
            f"{when:%Y-%m-%d %H:%M} 确认导入时发现 {len(stale)} 行（第 {numbers} 行）涉及的数据在预览之后已被修改。"
            "为避免覆盖他人的修改，本次没有写入任何数据；已按系统中的最新数据重新比对，"
            "这些行标有“预览后已变化”。请核对后再次确认。"
        ),
        **{f"{kind}_count": counts.get(kind, 0) for kind in ImportRowKind.values},
    )


# Progress ---------------------------------------------------------------------------------------------


def write_progress(batch_id: int, *, done: int, total: int) -> None:
    """Apply progress, outside the database (see the module docstring); replaced atomically."""
    path = progress_path(batch_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps({"done": done, "total": total}))
    os.replace(temporary, path)
