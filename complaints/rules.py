"""Pure rules of complaints (R-CMP-1; 002 十五、二十一): who sees a reporter, how a reporter is
masked, and what a valid ID number is. No Django, no database: tested by the dozen in microseconds.

Identity. The reporter is seen in full by 法制科 and 局领导 (section-wide) and by the complaint's own
handler in 执法大队 (a grant on that one complaint, ``complaints.see_reporter``); everyone else, the
administrator included, sees it masked: 张** / 138****5678 / 3101**********1234. Keeping the system
running needs no identity, and 002 十五 names no technical role.
"""

import re
from dataclasses import dataclass, replace
from decimal import Decimal

from bureau import sections

# Sections that work on complaints: their pages and navigation entry.
COMPLAINT_SECTIONS = frozenset({sections.ENFORCEMENT, sections.LEGAL, sections.LEADERSHIP})
# Sections that see the reporter's identity in full (R-CMP-1).
IDENTITY_SECTIONS = frozenset({sections.LEGAL, sections.LEADERSHIP})
REGISTERING_SECTIONS = frozenset({sections.ENFORCEMENT, sections.LEGAL})
HANDLING_SECTION = sections.ENFORCEMENT
DECIDING_SECTION = sections.LEADERSHIP
CORRECTING_SECTION = sections.LEGAL

# The grant one handler holds on one complaint (django-guardian): ``app_label.codename``.
SEE_REPORTER_PERMISSION = "complaints.see_reporter"

ANONYMOUS = "匿名"
MAX_REWARD = Decimal("1000000")


def may_see_reporter(section_code: str | None, *, is_handler: bool = False) -> bool:
    """Whether a person of ``section_code`` sees the reporter in full: 法制科 and 局领导 always, a
    member of 执法大队 when they are the complaint's handler (R-CMP-1: those who must contact the
    reporter)."""
    return section_code in IDENTITY_SECTIONS or (is_handler and section_code == HANDLING_SECTION)


@dataclass(frozen=True)
class ReporterView:
    """A reporter as one user may see them: in full or masked, 匿名 for an anonymous tip-off."""

    is_anonymous: bool
    name: str
    id_number: str
    phone: str
    address: str
    is_masked: bool = False

    @classmethod
    def of(cls, reporter) -> "ReporterView":
        """In full, from a ``ComplaintReporter`` or one of its historical records."""
        return cls(
            is_anonymous=reporter.is_anonymous,
            name=ANONYMOUS if reporter.is_anonymous else reporter.name,
            id_number=reporter.id_number,
            phone=reporter.phone,
            address=reporter.address,
        )


def _mask_name(name: str) -> str:
    # Always two stars: the mask does not tell how long the name is.
    return f"{name[0]}**" if name and name != ANONYMOUS else name


def _mask_phone(phone: str) -> str:
    digits = re.sub(r"\D", "", phone)
    if len(digits) >= 7:
        return f"{digits[:3]}****{digits[-4:]}"
    return "****" if phone else ""


def _mask_id_number(number: str) -> str:
    if len(number) >= 8:
        return f"{number[:4]}{'*' * (len(number) - 8)}{number[-4:]}"
    return "****" if number else ""


def _mask_address(address: str) -> str:
    # The district part stays (it says where to look), the street and house go.
    keep = 6 if len(address) > 8 else 2
    return f"{address[:keep]}****" if address else ""


def mask_reporter(view: ReporterView) -> ReporterView:
    """The one way a reporter is masked: 张** / 138****5678 / 3101**********1234 / 上海市徐汇区****."""
    return replace(
        view,
        name=_mask_name(view.name),
        id_number=_mask_id_number(view.id_number),
        phone=_mask_phone(view.phone),
        address=_mask_address(view.address),
        is_masked=True,
    )


ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECKS = "10X98765432"
PHONE = re.compile(r"^\+?[0-9][0-9\- ]{5,18}[0-9]$")


def id_number_is_valid(number: str) -> bool:
    """An 18-character 居民身份证号码 whose check character is right (GB 11643-1999)."""
    if not re.fullmatch(r"\d{17}[\dX]", number):
        return False
    total = sum(int(digit) * weight for digit, weight in zip(number[:17], ID_WEIGHTS, strict=True))
    return ID_CHECKS[total % 11] == number[17]
