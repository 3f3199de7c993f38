"""What the report services share: who may do what (R-REP-2), and the messages that say so."""

from django.core.exceptions import PermissionDenied

from bureau import sections
from bureau.access import section_code, staff_of
from bureau.models import Role, SectionCode, User
from permits.reports import rules

# The three reviewing sections as the bureau names them for short (审批科, 生态科, 污防科).
SECTION_NAMES = {code: sections.SHORT_NAMES[code] for code in rules.REVIEW_SECTIONS}
APPROVAL_ONLY = "执行报告的登记、催报、审核发起和反馈意见单由审批科办理（003 第三条、第五条）。"


def may_approve(user: User) -> bool:
    """Whether ``user`` is of 审批科 (or the administrator), which records receipts, reminds, opens
    reviews and issues notices (003 第三条、第五条); the pages ask it to offer the forms."""
    return user.is_superuser or section_code(user) == SectionCode.APPROVAL


def require_approval(by: User) -> None:
    """PermissionDenied unless ``may_approve(by)``."""
    if not may_approve(by):
        raise PermissionDenied(APPROVAL_ONLY)


def require_section(by: User, code: str, *, head: bool = False) -> None:
    """PermissionDenied unless ``by`` belongs to section ``code`` (its head, when ``head``): each section
    fills, and its head signs off, only its own part (R-REP-2). The administrator fills for nobody."""
    staff = staff_of(by)
    name = SECTION_NAMES.get(code, code)
    if staff is None or staff.section.code != code:
        raise PermissionDenied(f"这是{name}的审核部分，只能由{name}{'负责人签核' if head else '填写'}。")
    if head and staff.role != Role.HEAD:
        raise PermissionDenied(f"审核部分须由{name}负责人签核，经办人只能填写。")


def is_review_section(code: str | None) -> bool:
    return code in rules.REVIEW_SECTIONS
