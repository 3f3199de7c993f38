"""Pure rules of complaints (R-CMP-1; 002 十五、二十一): who sees a reporter, how a reporter is
masked, and what a valid ID number is. No Django, no database: tested by the dozen in microseconds.

Identity. The reporter is seen in full by 法制科 and 局领导 (section-wide) and by the complaint's own
handler in 执法大队 (a grant on that one complaint, ``complaints.see_reporter``): those who must
contact the reporter (R-CMP-1; 002 十五「对举报人信息严格保密」). Everyone else, the administrator
included, sees the mask: neither R-CMP-1 nor R-ORG-1 gives the administrator a reason to know who
reported, and keeping the system running needs no identity.

The mask identifies nobody. It is a function of *which* fields were filled in, never of what they
say: a named reporter shows as 实名（已隐去）, an anonymous one as 匿名, and every filled-in ID number,
phone number and address as （已隐去）. No character of the name (not even the surname), no digit of
the phone or ID number and nothing of the address survives: a surname plus seven phone digits plus a
street, as the earlier mask showed, is enough to find a neighbour who complained. Whether a reporter
left a way to be answered is all a masked reader may learn.

Who registers and corrects (R-ORG-2, 003 第八条: 执法大队 maintains penalties and complaints): 执法大队
registers complaints and corrects them; every other bureau section reads them, with the reporter masked.
Correcting the reporter is for the one person of 执法大队 who sees them, the complaint's handler.
"""

import re
from dataclasses import dataclass, replace
from decimal import Decimal

from bureau import sections

# Sections that read complaints: every section of the bureau (R-ORG-2: another section reads that part
# of the registry); towns do not.
COMPLAINT_SECTIONS = sections.BUREAU_SECTIONS
# Sections that see the reporter's identity in full (R-CMP-1).
IDENTITY_SECTIONS = frozenset({sections.LEGAL, sections.LEADERSHIP})
# 执法大队 maintains complaints (R-ORG-2): it registers them and corrects them.
HANDLING_SECTION = sections.ENFORCEMENT
REGISTERING_SECTIONS = frozenset({HANDLING_SECTION})
CORRECTING_SECTION = HANDLING_SECTION
DECIDING_SECTION = sections.LEADERSHIP
# Who reads the log of views of reporters' identities (R-CMP-1: every view is logged).
ACCESS_LOG_SECTIONS = frozenset({sections.LEADERSHIP})

# The grant one handler holds on one complaint (django-guardian): ``app_label.codename``.
SEE_REPORTER_PERMISSION = "complaints.see_reporter"

ANONYMOUS = "匿名"
NAMED = "实名（已隐去）"
HIDDEN = "（已隐去）"
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


def _hidden(value: str) -> str:
    return HIDDEN if value else ""


def mask_reporter(view: ReporterView) -> ReporterView:
    """The one way a reporter is masked (R-CMP-1): 匿名 or 实名（已隐去）, and （已隐去） for every
    ID number, phone and address that was filled in. The result depends only on which fields are
    filled in, so it identifies nobody (see the module docstring)."""
    return replace(
        view,
        name=ANONYMOUS if view.is_anonymous else NAMED,
        id_number=_hidden(view.id_number),
        phone=_hidden(view.phone),
        address=_hidden(view.address),
        is_masked=True,
    )


def identity_in(text: str, view: ReporterView) -> list[str]:
    """The parts of the reporter's identity (name, ID number, phone, address) that ``text`` contains,
    by label: a task description or a slip must hold none of them (R-CMP-1). The phone is compared
    on digits alone, so 138-1234-5678 is found in 13812345678."""
    found = []
    if not view.is_anonymous and len(view.name) >= 2 and view.name in text:
        found.append("举报人姓名")
    if view.id_number and view.id_number in text.upper():
        found.append("身份证号")
    digits = re.sub(r"\D", "", view.phone)
    if len(digits) >= 7 and digits in re.sub(r"\D", "", text):
        found.append("联系电话")
    if len(view.address) >= 6 and view.address in text:
        found.append("联系地址")
    return found


# What became of a verified problem, recorded at closing (R-CMP-1) and read by the grading (R-GRD-2:
# 拒不整改 makes a holder 不合格).
RECTIFIED = "rectified"
RECTIFYING = "rectifying"
REFUSED = "refused"
RECTIFICATION_LABELS = {RECTIFIED: "已整改", RECTIFYING: "整改中", REFUSED: "拒不整改"}
# A problem still being rectified at closing may later be recorded as rectified or refused; a final
# outcome stays.
RECTIFICATION_FOLLOW_UPS = {RECTIFYING: frozenset({RECTIFIED, REFUSED})}


def rectification_problem(*, is_substantiated: bool | None, outcome: str) -> str:
    """Why ``outcome`` cannot be recorded at closing, or "" (R-CMP-1, R-GRD-2): a verified (属实)
    complaint needs one of 已整改、整改中、拒不整改; one found not true has nothing to rectify."""
    if is_substantiated:
        if outcome not in RECTIFICATION_LABELS:
            return "举报经核实属实，办结时请选择整改情况：已整改、整改中或拒不整改。"
        return ""
    if outcome:
        return "举报经核实不属实，无需记录整改情况。"
    return ""


ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECKS = "10X98765432"
PHONE = re.compile(r"^\+?[0-9][0-9\- ]{5,18}[0-9]$")


def id_number_is_valid(number: str) -> bool:
    """An 18-character 居民身份证号码 whose check character is right (GB 11643-1999)."""
    if not re.fullmatch(r"\d{17}[\dX]", number):
        return False
    total = sum(int(digit) * weight for digit, weight in zip(number[:17], ID_WEIGHTS, strict=True))
    return ID_CHECKS[total % 11] == number[17]
