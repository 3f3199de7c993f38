"""Registry data for page and export tests, made through the services as in production."""

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from bureau import calendar, services
from bureau.models import CalendarDay
from permits import rules
from permits.models import Facility, Permit, PermitEventKind
from permits.services.facilities import register_facility, update_facility
from permits.services.permits import (
    add_outlet,
    issue_permit,
    record_permit_event,
    record_registration,
    set_emission_limit,
)
from permits.services.quality import Finding, record_quality_check
from permits.services.rectification import note_rectification_progress


def credit_code(n: int) -> str:
    """A valid 统一社会信用代码 (GB 32100-2015 check character) for the ``n``-th test facility."""
    first17 = f"91310107{n:09d}"
    return first17 + rules.credit_code_check_character(first17)


def make_facility(n: int, *, town, **values) -> Facility:
    facility, _ = register_facility(
        by=None,
        values={
            "credit_code": credit_code(n),
            "name": f"测试化工有限公司{n:03d}",
            "town": town,
            "industry_code": "2641",
            "industry_name": "涂料制造",
            "management_level": "key",
            **values,
        },
    )
    return facility


def make_permit(
    facility: Facility, *, number: str, valid_until: date, issued_on: date | None = None, by=None
) -> Permit:
    issued_on = issued_on or min(
        valid_until - timedelta(days=365 * 5), timezone.localdate() - timedelta(days=400)
    )
    return issue_permit(
        by=by,
        facility=facility,
        number=number,
        management_level="key",
        issued_on=issued_on,
        valid_from=issued_on,
        valid_until=valid_until,
        report_frequency="quarterly",
    )


def cancel_permit(permit: Permit, *, on: date) -> None:
    record_permit_event(by=None, permit=permit, kind=PermitEventKind.CANCELLATION, occurred_on=on)


def ensure_calendar() -> None:
    """Rectification deadlines count working days (R-CAL-1): make sure the years around today are
    known even after chinese-calendar runs out, so these tests keep working in later years."""
    today = timezone.localdate()
    for year in (today.year - 1, today.year, today.year + 1):
        if not calendar.package_knows(year) and not CalendarDay.objects.filter(date__year=year).exists():
            services.draft_calendar_year(year=year)


def make_check(facility: Facility, *, by, checked_on: date, findings: int, workdays: int = 5, permit=None):
    """A quality check with ``findings`` rectification items, ``workdays`` working days each."""
    ensure_calendar()
    return record_quality_check(
        by=by,
        facility=facility,
        permit=permit,
        checked_on=checked_on,
        method="on_site",
        selection="random",
        summary="抽查许可证核发质量",
        findings=[
            Finding(
                category="discharge_mismatch" if i % 2 else "level_lowered",
                description=f"{facility.name} 问题{i + 1}：实际排放口与许可不一致",
                deadline_workdays=workdays,
                responsible_person="刘整改",
                responsible_phone="13800000000",
            )
            for i in range(findings)
        ],
    )


def build_rich_facility(*, town, by, n: int = 900):
    """A facility with three permits (events, outlets, limits), a registration, five quality checks
    with eleven findings each (55 items, some overdue), progress notes and a long change history."""
    today = timezone.localdate()
    facility = make_facility(n, town=town, name="富源涂料有限公司")
    permits = []
    for index, valid_until in enumerate(
        [today + timedelta(days=30), today + timedelta(days=800), today - timedelta(days=20)]
    ):
        permit = make_permit(facility, number=f"913101070000{n}{index}P", valid_until=valid_until, by=by)
        record_permit_event(
            by=by,
            permit=permit,
            kind=PermitEventKind.CHANGE,
            occurred_on=permit.issued_on + timedelta(days=30),
            document_no=f"普环许变〔2024〕{index}号",
            note="变更法定代表人",
        )
        for number in range(1, 4):
            outlet = add_outlet(
                by=by, permit=permit, code=f"DA00{number}", kind="gas", name=f"{number}号排气筒"
            )
            for pollutant in ("颗粒物", "二氧化硫", "氮氧化物"):
                set_emission_limit(
                    by=by,
                    outlet=outlet,
                    pollutant=pollutant,
                    concentration=Decimal("20.5"),
                    unit="mg/m³",
                    annual_quantity=Decimal("1.25"),
                )
        permits.append(permit)
    record_registration(
        by=by, facility=facility, receipt_no=f"REG{n}", registered_on=today - timedelta(days=100)
    )
    # Four checks two months ago whose items are overdue, one yesterday whose items are not.
    checks = [
        make_check(facility, by=by, checked_on=today - timedelta(days=60 - i), findings=11, permit=permits[0])
        for i in range(4)
    ]
    checks.append(make_check(facility, by=by, checked_on=today - timedelta(days=1), findings=11, workdays=20))
    for item in checks[0].items.all()[:5]:
        note_rectification_progress(by=by, item=item, noted_on=today, note="已制定整改方案")
    for i in range(55):
        update_facility(facility=facility, by=by, changes={"contact_phone": f"021-6000{i:04d}"})
    return facility
