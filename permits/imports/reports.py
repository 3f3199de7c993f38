"""The execution-report kind of import (R-REP-1: "receipt is recorded by hand … or imported in bulk
from the platform's Excel export with the registry import's preview-then-confirm pattern").

``permits.imports.services`` calls the two steps of this kind; the batch, its rows, the preview pages
and the confirmation are the registry import's.

- ``parse_into(batch)`` reads the file (columns in ``report_template``), groups its rows into filings
  (the rows of one permit, period and platform reference, or without a reference one received date,
  are one filing with several emissions), and classes each filing against what is recorded:
  新增 (the report's first filing), 无变化 (already recorded: the same platform reference, or without
  one the same received date), 新版本 (a later filing of a report already received: 修改后的执行报告),
  or 不予导入 with the reasons in Chinese. One ``ImportRow`` per filing, numbered by its first row.
  It writes the batch and its rows only, and costs a fixed number of queries per 500 permits named
  (plus the registry import's progress counter every 200 rows and its bulk insert every 500 rows).
- ``apply(batch)`` records each previewed filing through ``record_receipt(by=None, source="import")``
  in its own transaction: one refused filing never half-writes and never undoes the others. Each
  filing is first compared again with what is recorded now: one recorded meanwhile (or by an earlier
  run of this apply) is skipped, so running the apply twice records nothing twice; one whose class
  changed since the preview is not written and is marked 预览后已变化, so confirming applies exactly
  what was previewed.
"""

import logging
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from permits.imports.models import ImportBatch, ImportRow, ImportRowKind, ImportStatus
from permits.imports.parse import ImportFileError, _text, parse_date
from permits.imports.reconcile import CHUNK, chunks
from permits.imports.report_template import LABELS, LAYOUT
from permits.imports.sheets import PROGRESS_EVERY, read_rows, update_if_status
from permits.models import Permit
from permits.queries import visible_facilities
from permits.reports import rules
from permits.reports.models import FeedbackNotice, NoticeState, ReceiptSource, ReportedEmission, ReportVersion
from permits.reports.services.due import owed_error
from permits.reports.services.receipts import Emission, record_receipt

logger = logging.getLogger(__name__)
TEXT_LIMITS = {
    "platform_ref": ReportVersion._meta.get_field("platform_ref").max_length,
    "pollutant": ReportedEmission._meta.get_field("pollutant").max_length,
}
PERIOD_TYPES = {
    **dict.fromkeys(("月度", "月", "月报", "月度报告", "月度执行报告"), rules.MONTH),
    **dict.fromkeys(("季度", "季", "季报", "季度报告", "季度执行报告"), rules.QUARTER),
    **dict.fromkeys(("年度", "年", "年报", "年度报告", "年度执行报告"), rules.YEAR),
}
EMISSION_KEYS = ("outlet", "pollutant", "concentration", "quantity")
NOT_FOUND = "系统中没有许可证编号“{number}”，或该许可证不在您可查看的范围内。"


# Reading one row (no database) ------------------------------------------------------------------------


@dataclass
class ReportRow:
    """One row of the file, checked on its own."""

    row_number: int
    permit_number: str
    name: str
    period: rules.Period | None
    period_text: str
    received_on: date | None
    platform_ref: str
    emission: dict[str, str] | None
    errors: list[str] = field(default_factory=list)


def _figure(value: Any, label: str, errors: list[str]) -> str | None:
    text = _text(value).replace(",", "")
    if not text:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        errors.append(f"{label}“{_text(value)}”不是数字。")
        return None
    if not number.is_finite():
        errors.append(f"{label}“{_text(value)}”不是数字。")
        return None
    if number < 0:
        errors.append(f"{label}不能为负数（{text}）。")
        return None
    return str(number)


def parse_report_row(row_number: int, raw: dict[str, Any]) -> ReportRow:
    """Check one row on its own: a permit number; a period that ``rules.parse_period`` reads and that
    agrees with the report type when one is given; a received date (or datetime); and, when the row
    reports an emission, its outlet, pollutant and at least one non-negative figure."""
    errors: list[str] = []
    permit_number = _text(raw.get("permit_number")).upper()
    if not permit_number:
        errors.append(f"缺少“{LABELS['permit_number']}”。")

    type_text = _text(raw.get("period_type"))
    period_type = PERIOD_TYPES.get(type_text)
    if type_text and period_type is None:
        errors.append(f"报告类型“{type_text}”应为月度、季度或年度。")
    period_text = _text(raw.get("period"))
    period = None
    if not period_text:
        errors.append(f"缺少“{LABELS['period']}”。")
    else:
        try:
            period = rules.parse_period(period_text, period_type)
        except ValueError as exc:
            errors.append(str(exc))

    value = raw.get("received")
    received_on = None
    if value in (None, "") or not str(value).strip():
        errors.append(f"缺少“{LABELS['received']}”。")
    elif (received_on := parse_date(value)) is None:
        errors.append(f"提交时间“{_text(value)}”不是有效日期，应如 2026-04-10。")

    emission = None
    if any(_text(raw.get(key)) for key in EMISSION_KEYS):
        outlet, pollutant = _text(raw.get("outlet")).upper(), _text(raw.get("pollutant"))
        figure_errors: list[str] = []
        concentration = _figure(raw.get("concentration"), LABELS["concentration"], figure_errors)
        quantity = _figure(raw.get("quantity"), LABELS["quantity"], figure_errors)
        errors += figure_errors
        if not outlet:
            errors.append(f"填写了实际排放数据，但缺少“{LABELS['outlet']}”。")
        if not pollutant:
            errors.append(f"填写了实际排放数据，但缺少“{LABELS['pollutant']}”。")
        if concentration is None and quantity is None and not figure_errors:
            errors.append(f"{outlet or '该排放口'} {pollutant} 未填写实际排放浓度或实际排放量。")
        emission = {
            "outlet": outlet,
            "pollutant": pollutant,
            "concentration": concentration,
            "quantity": quantity,
        }
    platform_ref = _text(raw.get("platform_ref"))
    # A value longer than its column is this row's error, never a database error when the batch is applied.
    for key, text in (("platform_ref", platform_ref), ("pollutant", emission["pollutant"] if emission else "")):
        if len(text) > (limit := TEXT_LIMITS[key]):
            errors.append(f"“{LABELS[key]}”超过 {limit} 个字。")
    return ReportRow(
        row_number=row_number,
        permit_number=permit_number,
        name=_text(raw.get("name")),
        period=period,
        period_text=period_text,
        received_on=received_on,
        platform_ref=platform_ref,
        emission=emission,
        errors=errors,
    )


# Grouping rows into filings (no database) -------------------------------------------------------------


@dataclass
class Filing:
    """The rows of one filing: one permit, one period, one platform reference (or, without one, one
    received date). ``errors`` are the rows' own, each named by its row when the filing has several."""

    rows: list[ReportRow]
    errors: list[str] = field(default_factory=list)

    @property
    def first(self) -> ReportRow:
        return self.rows[0]

    @property
    def row_number(self) -> int:
        return self.first.row_number

    def values(self) -> dict[str, Any]:
        first = self.first
        return {
            "permit_number": first.permit_number,
            "name": first.name,
            "period_type": first.period.type if first.period else "",
            "period_start": first.period.start.isoformat() if first.period else "",
            "period_label": first.period.label if first.period else first.period_text,
            "received_on": first.received_on.isoformat() if first.received_on else "",
            "platform_ref": first.platform_ref,
            "rows": [r.row_number for r in self.rows],
            "emissions": [r.emission | {"row": r.row_number} for r in self.rows if r.emission],
        }


def group_filings(rows: list[ReportRow]) -> list[Filing]:
    """The file's filings in order of their first row. Rows that cannot be read on their own stay
    filings of one row, so that their reasons are told against their row."""
    filings: list[Filing] = []
    by_key: dict[tuple, Filing] = {}
    for row in rows:
        if row.errors and not (row.permit_number and row.period):
            filings.append(Filing([row], list(row.errors)))
            continue
        key = (row.permit_number, row.period, row.platform_ref or row.received_on)
        if key in by_key:
            by_key[key].rows.append(row)
        else:
            by_key[key] = Filing([row])
            filings.append(by_key[key])
    for filing in filings:
        if len(filing.rows) > 1 or not filing.errors:
            _check_filing(filing)
    return filings


def _check_filing(filing: Filing) -> None:
    several = len(filing.rows) > 1
    filing.errors = [f"第 {r.row_number} 行：{e}" if several else e for r in filing.rows for e in r.errors]
    dates = {r.received_on for r in filing.rows if r.received_on}
    if len(dates) > 1:
        filing.errors.append(
            f"报告编号“{filing.first.platform_ref}”的各行提交时间不一致（"
            + "、".join(sorted(f"{d:%Y-%m-%d}" for d in dates))
            + "），无法判断是哪一次提交。"
        )
    seen: dict[tuple[str, str], int] = {}
    for row in filing.rows:
        if not row.emission or not row.emission["outlet"] or not row.emission["pollutant"]:
            continue
        pair = (row.emission["outlet"], row.emission["pollutant"])
        if pair in seen:
            filing.errors.append(
                f"第 {row.row_number} 行：{pair[0]} {pair[1]} 与第 {seen[pair]} 行重复，同一份报告每个排放口的每种污染物只能有一行。"
            )
        else:
            seen[pair] = row.row_number


# Comparing with what is recorded ----------------------------------------------------------------------


@dataclass
class Recorded:
    """What is recorded of the permits a set of filings names: the permits the uploader may see (with
    their events and outlets, for what they owe and where they emit), every version of their reports
    by (permit id, period type, period start), and their notices still awaiting an answer."""

    permits: dict[str, Permit]
    versions: dict[tuple[int, str, date], list[tuple[str, date, int]]]
    open_notices: dict[tuple[int, str, date], str]

    @classmethod
    def load(cls, user, numbers: list[str]) -> "Recorded":
        """Five queries for every 500 permit numbers."""
        permits: dict[str, Permit] = {}
        versions: dict = defaultdict(list)
        open_notices: dict = {}
        for chunk in chunks(sorted(set(numbers)), CHUNK):
            wanted = set(chunk)
            found = (
                Permit.objects.filter(number__in=chunk, facility__in=visible_facilities(user))
                .select_related("facility")
                .prefetch_related("events", "outlets")
            )
            permits.update({p.number: p for p in found})
            ids = [p.pk for p in permits.values() if p.number in wanted]
            rows = ReportVersion.objects.filter(report__permit_id__in=ids)
            for permit_id, type, start, ref, received, number in rows.values_list(
                "report__permit_id",
                "report__period_type",
                "report__period_start",
                "platform_ref",
                "received_on",
                "number",
            ):
                versions[(permit_id, type, start)].append((ref, received, number))
            for permit_id, type, start, number in FeedbackNotice.objects.filter(
                report__permit_id__in=ids, state=NoticeState.ISSUED
            ).values_list("report__permit_id", "report__period_type", "report__period_start", "number"):
                open_notices[(permit_id, type, start)] = number
        return cls(permits, dict(versions), open_notices)


@dataclass
class Outcome:
    kind: str
    changes: list = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)


def _same_filing(ref: str, received_on: date, recorded: tuple[str, date, int]) -> bool:
    """The same filing: the same platform reference when both have one, else the same received date."""
    recorded_ref, recorded_on, _ = recorded
    if ref and recorded_ref:
        return ref == recorded_ref
    return received_on == recorded_on


def classify(values: dict, recorded: Recorded, *, today: date, also: list | None = None) -> Outcome:
    """The class of one readable filing against what is recorded (R-REP-1, R-REP-3). ``also`` holds
    the filings of the same report earlier in the file, as if recorded, so that two filings of one
    report in one file are its first version and the next."""
    permit = recorded.permits.get(values["permit_number"])
    if permit is None:
        return Outcome(ImportRowKind.REJECTED, reasons=[NOT_FOUND.format(number=values["permit_number"])])
    period = rules.Period.starting(values["period_type"], date.fromisoformat(values["period_start"]))
    received_on = date.fromisoformat(values["received_on"])
    reasons = []
    if error := owed_error(permit, period):
        reasons.append(error)
    if received_on > today:
        reasons.append(f"提交日期（{received_on:%Y-%m-%d}）不能晚于今天。")
    elif received_on <= period.end:
        reasons.append(f"提交日期（{received_on:%Y-%m-%d}）应在报告期（{period.label}）结束之后。")
    outlets = {o.code.upper() for o in permit.outlets.all()}
    for emission in values["emissions"]:
        if emission["outlet"] not in outlets:
            reasons.append(
                f"第 {emission['row']} 行：许可证 {permit.number} 没有排放口“{emission['outlet']}”。"
            )
    if reasons:
        return Outcome(ImportRowKind.REJECTED, reasons=reasons)

    key = (permit.pk, period.type, period.start)
    versions = recorded.versions.get(key, []) + (also or [])
    ref = values["platform_ref"]
    for version in versions:
        if _same_filing(ref, received_on, version):
            number = f"第 {version[2]} 版" if version[2] else "文件中前面的行"
            return Outcome(ImportRowKind.UNCHANGED, changes=[["已登记", number, ""]])
    if notice := recorded.open_notices.get(key):
        return Outcome(
            ImportRowKind.REJECTED,
            reasons=[f"该报告有待答复的反馈意见单 {notice}，请在意见单页面登记排污单位的答复。"],
        )
    if not versions:
        return Outcome(ImportRowKind.NEW)
    latest = max(versions, key=lambda v: v[1])
    return Outcome(
        ImportRowKind.CHANGED,
        changes=[
            [
                "版本",
                f"已有 {len(versions)} 版，最近 {latest[1]:%Y-%m-%d}",
                f"第 {len(versions) + 1} 版 修改后的执行报告（{received_on:%Y-%m-%d}）",
            ]
        ],
    )


def _filing_order(values: dict) -> tuple:
    return (values["permit_number"], values["period_type"], values["period_start"], values["received_on"])


def classify_all(filings: list[Filing], user, *, today: date) -> list[Outcome]:
    """Every filing's class, in the file's order; filings of one report are classed in order of their
    received dates, each seeing the ones before it."""
    readable = [f for f in filings if not f.errors]
    recorded = Recorded.load(user, [f.first.permit_number for f in readable])
    outcomes: dict[int, Outcome] = {}
    earlier: dict[tuple, list] = defaultdict(list)
    for filing in sorted(readable, key=lambda f: (_filing_order(f.values()), f.row_number)):
        values = filing.values()
        outcome = classify(values, recorded, today=today, also=earlier[_filing_order(values)[:3]])
        if outcome.kind in (ImportRowKind.NEW, ImportRowKind.CHANGED):
            earlier[_filing_order(values)[:3]].append(
                (values["platform_ref"], date.fromisoformat(values["received_on"]), 0)
            )
        outcomes[filing.row_number] = outcome
    return [
        Outcome(ImportRowKind.REJECTED, reasons=f.errors) if f.errors else outcomes[f.row_number]
        for f in filings
    ]


# The two steps ----------------------------------------------------------------------------------------


def parse_into(batch: ImportBatch) -> None:
    """Read, group and class the batch's file (解析中 → 待确认); ImportFileError for a file that cannot
    be read. Writes the batch's rows and counters only."""
    ImportRow.objects.filter(batch=batch).delete()  # a re-delivered task starts over
    rows = read_rows(batch, LAYOUT, parse_report_row)
    if rows is None:
        return  # cancelled meanwhile
    if not rows:
        raise ImportFileError(
            "文件中没有数据行：列名行下面应每行一份执行报告（或其一个排放口、一种污染物）。"
        )
    filings = group_filings(rows)
    outcomes = classify_all(filings, batch.created_by, today=timezone.localdate())
    counts: Counter = Counter(o.kind for o in outcomes)
    import_rows = [
        ImportRow(
            batch=batch,
            row_number=filing.row_number,
            kind=outcome.kind,
            credit_code=filing.first.permit_number[:60],
            name=filing.first.name[:300],
            values=filing.values(),
            changes=outcome.changes,
            reasons=outcome.reasons,
        )
        for filing, outcome in zip(filings, outcomes, strict=True)
    ]
    for chunk in chunks(import_rows):
        ImportRow.objects.bulk_create(chunk)
    update_if_status(
        batch.pk,
        ImportStatus.PARSING,
        status=ImportStatus.READY,
        total_rows=len(rows),
        processed_rows=len(rows),
        **{f"{kind}_count": counts[kind] for kind in ImportRowKind.values},
    )


def _error_text(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "".join(exc.messages)
    return str(exc) or exc.__class__.__name__


def _record(row: ImportRow, batch: ImportBatch, *, today: date) -> str:
    """Record one previewed filing in its own transaction: ``written``, ``recorded`` (already there:
    nothing written), ``stale`` (its class changed since the preview: nothing written, the row keeps
    the fresh reason) or ``stopped`` (the batch is no longer being applied). ValidationError from the
    service rolls back this filing only. The batch row is locked first, so two deliveries of the
    apply task take the filings one at a time and the second finds each one recorded."""
    values = row.values
    with transaction.atomic():
        if (
            not ImportBatch.objects.select_for_update()
            .filter(pk=batch.pk, status=ImportStatus.APPLYING)
            .exists()
        ):
            return "stopped"
        recorded = Recorded.load(batch.created_by, [values["permit_number"]])
        outcome = classify(values, recorded, today=today)
        if outcome.kind == ImportRowKind.UNCHANGED:
            return "recorded"
        if outcome.kind != row.kind:
            reason = (
                "；".join(outcome.reasons)
                or f"预览为“{batch.row_kind_label(row.kind)}”，现为“{batch.row_kind_label(outcome.kind)}”"
            )
            ImportRow.objects.filter(pk=row.pk).update(is_stale=True, reasons=[f"未写入：{reason}"])
            return "stale"
        period = rules.Period.starting(values["period_type"], date.fromisoformat(values["period_start"]))
        record_receipt(
            # The one who confirmed the preview, recorded on the version and in its history.
            by=batch.confirmed_by,
            permit=recorded.permits[values["permit_number"]],
            period=period,
            received_on=date.fromisoformat(values["received_on"]),
            today=today,
            platform_ref=values["platform_ref"],
            note=batch.source_label,
            source=ReceiptSource.IMPORT,
            emissions=[
                Emission(
                    e["outlet"],
                    e["pollutant"],
                    Decimal(e["concentration"]) if e["concentration"] is not None else None,
                    Decimal(e["quantity"]) if e["quantity"] is not None else None,
                )
                for e in values["emissions"]
            ],
        )
    return "written"


def apply(batch: ImportBatch, *, on_progress) -> None:
    """Record every 新增 and 新版本 filing of a confirmed batch, each in its own transaction, in order
    of their received dates (so that a report's versions are numbered as they were filed); then the
    batch is 已完成 with the number written and, when some were not, a notice naming them."""
    today = timezone.localdate()
    rows = sorted(
        batch.rows.filter(kind__in=[ImportRowKind.NEW, ImportRowKind.CHANGED]),
        key=lambda r: (r.values["received_on"], r.row_number),
    )
    outcomes: Counter = Counter()
    failed: list[str] = []
    on_progress(0, len(rows))
    for index, row in enumerate(rows, 1):
        try:
            outcome = _record(row, batch, today=today)
        except (ValidationError, PermissionDenied) as exc:
            outcome = "failed"
            ImportRow.objects.filter(pk=row.pk).update(is_stale=True, reasons=[f"未写入：{_error_text(exc)}"])
        except Exception as exc:
            logger.exception("import batch %s: row %s failed", batch.pk, row.row_number)
            outcome = "failed"
            ImportRow.objects.filter(pk=row.pk).update(
                is_stale=True,
                reasons=[f"未写入：发生意外错误（{exc.__class__.__name__}），请联系系统管理员。"],
            )
        if outcome == "stopped":
            return
        outcomes[outcome] += 1
        if outcome in ("stale", "failed"):
            failed.append(str(row.row_number))
        if index % PROGRESS_EVERY == 0:
            on_progress(index, len(rows))
    notice = ""
    if failed:
        numbers = "、".join(failed[:10]) + ("等" if len(failed) > 10 else "")
        notice = (
            f"{len(failed)} 份报告（第 {numbers} 行）没有登记：预览之后系统中的记录已变化或登记被拒绝，原因见各行"
            "（标有“预览后已变化”）。其余报告已逐份登记，不受影响。"
        )
    if outcomes["recorded"]:
        notice += f"{outcomes['recorded']} 份报告在确认前已登记，未重复登记。"
    ImportBatch.objects.filter(pk=batch.pk, status=ImportStatus.APPLYING).update(
        status=ImportStatus.DONE,
        applied_rows=outcomes["written"],
        finished_at=timezone.now(),
        notice=notice,
    )
