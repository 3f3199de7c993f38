"""Registry data for the API tests, made through the services as production makes it.

``by=None`` is a system source (an import, a job): it may set every section's fields at once, which
keeps the setup of a test short. Tests that are about who may write pass a persona instead.
"""

from datetime import date, timedelta

from bureau.models import Town
from permits.models import Facility, Permit
from permits.rules import credit_code_check_character
from permits.services.facilities import register_facility
from permits.services.permits import issue_permit, record_permit_event
from permits.services.quality import Finding, record_quality_check

# Every test runs on this day (see the ``today`` fixture): states, expiry and overdue flags are
# derived from it, and the work calendar knows its year.
TODAY = date(2026, 3, 2)


def credit_code(n: int) -> str:
    """A valid 统一社会信用代码 (GB 32100-2015) numbered ``n``."""
    first17 = f"91310000{n:09d}"
    return first17 + credit_code_check_character(first17)


def make_facility(
    n: int,
    town: Town,
    *,
    by=None,
    name: str | None = None,
    industry_code: str = "1310",
    industry_name: str = "谷物磨制",
    management_level: str = "key",
    **values,
) -> Facility:
    facility, _ = register_facility(
        by=by,
        values={
            "credit_code": credit_code(n),
            "name": name or f"测试单位{n:03d}有限公司",
            "town": town,
            "industry_code": industry_code,
            "industry_name": industry_name,
            "management_level": management_level,
            **values,
        },
        source="测试",
    )
    return facility


def make_permit(
    facility: Facility,
    number: str,
    *,
    by=None,
    issued_on: date = date(2024, 1, 10),
    valid_until: date = date(2029, 1, 9),
    management_level: str = "key",
    report_frequency: str = "quarterly",
) -> Permit:
    return issue_permit(
        by=by,
        facility=facility,
        number=number,
        management_level=management_level,
        issued_on=issued_on,
        valid_from=issued_on,
        valid_until=valid_until,
        report_frequency=report_frequency,
        document_no=f"发证〔{issued_on:%Y}〕{number}",
    )


def end_permit(permit: Permit, kind: str, occurred_on: date, *, by=None):
    return record_permit_event(by=by, permit=permit, kind=kind, occurred_on=occurred_on)


def expiring_valid_until() -> date:
    """Inside the 90-day warning window of R-PER-2."""
    return TODAY + timedelta(days=30)


def make_rectifications(
    facility: Facility,
    *,
    by,
    checked_on: date,
    count: int = 1,
    category: str = "should_issue",
    deadline_workdays: int = 5,
    responsible_person: str = "王整改",
):
    """One quality check of ``facility`` with ``count`` findings; returns its rectification items."""
    check = record_quality_check(
        by=by,
        facility=facility,
        permit=None,
        checked_on=checked_on,
        method="on_site",
        selection="random",
        summary="检查发现问题",
        findings=[
            Finding(
                category=category,
                description=f"问题{i + 1}",
                deadline_workdays=deadline_workdays,
                responsible_person=responsible_person,
                responsible_phone="13900000000",
            )
            for i in range(count)
        ],
    )
    return list(check.items.order_by("id"))
