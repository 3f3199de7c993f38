"""Registry data for tests, made through the services as in production."""

from datetime import date
from itertools import count

from permits import rules
from permits.services import facilities, permits

_serial = count(1)


def credit_code(n: int | None = None) -> str:
    """A valid 统一社会信用代码 (GB 32100-2015 check character computed)."""
    n = next(_serial) if n is None else n
    first17 = f"91310107{n:08d}X"
    return first17 + rules.credit_code_check_character(first17)


def facility(town, *, by=None, level="key", industry=("2641", "涂料制造"), status="operating", **values):
    f, _ = facilities.register_facility(
        by=by,
        values={
            "credit_code": credit_code(),
            "name": values.pop("name", f"测试单位{next(_serial)}有限公司"),
            "town": town,
            "industry_code": industry[0],
            "industry_name": industry[1],
            "management_level": level,
            "status": status,
            **values,
        },
    )
    return f


def permit(facility, *, valid_until=date(2028, 6, 30), issued_on=date(2023, 7, 1), number=None, by=None):
    return permits.issue_permit(
        by=by,
        facility=facility,
        number=number or f"91310107TEST{next(_serial):06d}001P",
        management_level="key" if facility.management_level == "key" else "simplified",
        issued_on=issued_on,
        valid_from=issued_on,
        valid_until=valid_until,
        report_frequency="quarterly",
    )
