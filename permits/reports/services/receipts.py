"""Receipts and reminders (R-REP-1): a report filed on the national platform is recorded here by hand
or by the import, as a new version each time (R-REP-3); a report may be asked for before it exists
(已催报); the actual emissions it reports are compared with the permit's limits when it is reviewed."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from bureau import history
from bureau.models import User
from permits.models import Outlet, Permit
from permits.reports import rules
from permits.reports.models import (
    ExecutionReport,
    FeedbackNotice,
    ReceiptSource,
    ReportedEmission,
    ReportVersion,
    VersionKind,
)
from permits.reports.services.common import require_approval
from permits.reports.services.due import get_or_make_report, refresh_late_todo
from permits.uploads import check_upload


@dataclass(frozen=True)
class Emission:
    """One reported emission as a form or an import row gives it: the outlet's code (DA001) and the
    pollutant as the permit names them, and the figures (either may be missing)."""

    outlet: str
    pollutant: str
    concentration: Decimal | None = None
    quantity: Decimal | None = None


def _receipt_errors(report_period: rules.Period, received_on: date | None, today: date) -> dict[str, str]:
    if received_on is None:
        return {"received_on": "请填写提交日期。"}
    if received_on > today:
        return {"received_on": f"提交日期（{received_on:%Y-%m-%d}）不能晚于今天。"}
    if received_on <= report_period.end:
        return {"received_on": f"提交日期应在报告期（{report_period.label}）结束之后。"}
    return {}


def _emission_rows(permit: Permit, emissions: list[Emission]) -> list[tuple[Outlet, Emission]]:
    """Each emission with its outlet of ``permit``; ValidationError naming every row that names an
    outlet the permit does not have, repeats a row, or carries a negative figure."""
    outlets = {o.code.upper(): o for o in permit.outlets.all()}
    rows, errors, seen = [], [], set()
    for number, emission in enumerate(emissions, start=1):
        outlet = outlets.get(emission.outlet.strip().upper())
        pollutant = emission.pollutant.strip()
        if outlet is None:
            errors.append(f"第{number}行：许可证 {permit.number} 没有排放口“{emission.outlet}”。")
            continue
        if not pollutant:
            errors.append(f"第{number}行：请填写污染物。")
            continue
        if (outlet.pk, pollutant) in seen:
            errors.append(f"第{number}行：{outlet.code} {pollutant} 重复。")
            continue
        if emission.concentration is None and emission.quantity is None:
            errors.append(f"第{number}行：{outlet.code} {pollutant} 未填写浓度或排放量。")
            continue
        if any(v is not None and v < 0 for v in (emission.concentration, emission.quantity)):
            errors.append(f"第{number}行：{outlet.code} {pollutant} 的数值不能为负。")
            continue
        seen.add((outlet.pk, pollutant))
        rows.append((outlet, Emission(outlet.code, pollutant, emission.concentration, emission.quantity)))
    if errors:
        raise ValidationError({"emissions": errors})
    return rows


def add_version(
    *,
    by: User | None,
    report: ExecutionReport,
    kind: str,
    received_on: date,
    platform_ref: str,
    file,
    note: str,
    source: str,
    emissions: list[Emission],
    answers_notice: FeedbackNotice | None = None,
) -> ReportVersion:
    """A new version of ``report`` (R-REP-3: never an edit) with the emissions it reports, and the
    report's first receipt date if it had none. For ``record_receipt`` and ``notices.record_answer``,
    which check who acts and lock the report first."""
    rows = _emission_rows(report.permit, emissions)
    if file:
        check_upload(file, field="file", label="报告文件")
    number = report.version_count + 1
    version = ReportVersion(
        report=report,
        number=number,
        kind=kind,
        received_on=received_on,
        platform_ref=platform_ref.strip(),
        file=file or "",
        note=note.strip(),
        source=source,
        answers_notice=answers_notice,
        recorded_by=by,
    )
    history.save_checked(version, by=by, reason=f"登记{report.period.label}执行报告第{number}版")
    for outlet, emission in rows:
        history.save(
            ReportedEmission(
                version=version,
                outlet=outlet,
                pollutant=emission.pollutant,
                concentration=emission.concentration,
                quantity=emission.quantity,
            ),
            by=by,
            reason="登记实际排放情况",
        )
    report.version_count = number
    if report.received_on is None:
        report.received_on = received_on
    history.save(report, by=by, reason=f"收到第{number}版", update_fields=["version_count", "received_on"])
    return version


@transaction.atomic
def record_receipt(
    *,
    by: User | None,
    permit: Permit,
    period: rules.Period,
    received_on: date,
    today: date,
    platform_ref: str = "",
    file=None,
    note: str = "",
    emissions: list[Emission] = (),
    source: str = ReceiptSource.HAND,
) -> ReportVersion:
    """R-REP-1: record that ``permit``'s report of ``period`` was filed on the platform on
    ``received_on``: the first filing is version 1 and sets the report's received date (on time or
    late by it); a later filing outside a notice is a new version (修改后的执行报告), never an edit
    (R-REP-3). 审批科 by hand; ``by=None`` with ``source=import`` when the confirmed import applies a
    row it previewed (the batch names who confirmed). Refused, with nothing written: a period the
    permit does not owe, a date in the future or before the period ended, a file of the wrong type or
    too large, an emission at an outlet the permit does not have."""
    if by is not None:
        require_approval(by)
    if source not in ReceiptSource.values:
        raise ValidationError({"source": "登记方式应为手工登记或平台导出导入。"})
    if errors := _receipt_errors(period, received_on, today):
        raise ValidationError(errors)
    report = get_or_make_report(permit, period, by=by)
    report.permit = permit  # the locked row comes without its permit; the version's checks read it
    open_notice = report.notices.filter(state="issued").first()
    if open_notice is not None:
        raise ValidationError(
            {
                "received_on": f"该报告有待答复的反馈意见单 {open_notice.number}，请在意见单页面登记排污单位的答复。"
            }
        )
    kind = VersionKind.REPORT if report.version_count == 0 else VersionKind.CORRECTED
    version = add_version(
        by=by,
        report=report,
        kind=kind,
        received_on=received_on,
        platform_ref=platform_ref,
        file=file,
        note=note,
        source=source,
        emissions=list(emissions),
    )
    refresh_late_todo(period, today=today)
    return version


@transaction.atomic
def request_report(
    *, by: User, permit: Permit, period: rules.Period, requested_on: date, note: str = "", today: date
) -> ExecutionReport:
    """催报 (R-REP-1): ask the facility for a report it owes, before or after its due date, as long as it
    has not been received; the report is made if it is not there yet. 审批科 only."""
    require_approval(by)
    if requested_on > today:
        raise ValidationError({"requested_on": "催报日期不能晚于今天。"})
    if period.end >= today:
        raise ValidationError({"period": f"{period.label}尚未结束，报告还不能提交，无需催报。"})
    report = get_or_make_report(permit, period, by=by)
    if report.received_on is not None:
        raise ValidationError(
            {"period": f"{period.label}执行报告已于 {report.received_on:%Y-%m-%d} 收到，无需催报。"}
        )
    report.requested_on, report.requested_by, report.request_note = requested_on, by, note.strip()[:200]
    history.save(report, by=by, reason="催报")
    return report
