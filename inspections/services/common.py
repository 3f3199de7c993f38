"""Who acts, as every inspection service asks it: an officer of one inspection (a django-guardian
grant given when the inspection is started), 执法大队, a section's head."""

from django.core.exceptions import PermissionDenied
from guardian.core import ObjectPermissionChecker

from bureau.access import section_code, staff_of
from bureau.errors import Conflict
from bureau.models import Role
from inspections import rules
from inspections.models import Inspection, InspectionState

NOT_AN_OFFICER = "只有本次检查的执法人员可以填写、签名或上传照片。"
SIGNED = "检查记录已签署，不得修改；如需更正，请登记更正记录（注明理由）。"
SIGNING = "已有检查人员签名，检查记录已锁定；如需修改，请先由已签名人员撤回签名。"


def is_officer(user, inspection: Inspection) -> bool:
    """Whether ``user`` is one of ``inspection``'s officers: the grant each of them holds on it, while
    they are still an active member of 执法大队 (a right follows the post, R-ORG-1: someone moved to
    another section no longer fills or signs). The administrator holds no section and is nobody's
    officer."""
    if not getattr(user, "is_authenticated", False) or user.is_superuser or not user.is_active:
        return False
    if section_code(user) != rules.INSPECTING_SECTION:
        return False
    return ObjectPermissionChecker(user).has_perm(rules.CONDUCT_PERMISSION.split(".")[1], inspection)


def require_officer(user, inspection: Inspection) -> None:
    """PermissionDenied in Chinese unless ``user`` is one of ``inspection``'s officers."""
    if not is_officer(user, inspection):
        raise PermissionDenied(NOT_AN_OFFICER)


def require_draft(inspection: Inspection) -> None:
    """Conflict unless the record may still change (R-INS-6)."""
    if inspection.state == InspectionState.SIGNED:
        raise Conflict(SIGNED)
    if inspection.state == InspectionState.SIGNING:
        raise Conflict(SIGNING)


def require_section(user, code: str, message: str) -> None:
    """PermissionDenied with ``message`` unless ``user`` belongs to the section ``code``."""
    if user is None or section_code(user) != code:
        raise PermissionDenied(message)


def is_head(user, code: str) -> bool:
    """Whether ``user`` is a head (负责人) of the section ``code``."""
    staff = staff_of(user)
    return staff is not None and staff.section.code == code and staff.role == Role.HEAD


def locked(inspection: Inspection) -> Inspection:
    """The inspection row locked until the transaction ends: answers, photos and signatures of one
    inspection are taken one at a time, so a signature never misses an answer saved at that moment."""
    return Inspection.objects.select_for_update().get(pk=inspection.pk)


def officer_facts(officers) -> list[rules.OfficerFacts]:
    """What R-INS-6 asks of each officer, read from their staff record."""
    facts = []
    for user in officers:
        staff = staff_of(user)
        facts.append(
            rules.OfficerFacts(
                name=user.display_name,
                section_code=staff.section.code if staff else None,
                certificate_no=staff.certificate_no if staff else "",
                is_active=user.is_active,
            )
        )
    return facts
