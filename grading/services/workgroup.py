"""The work group of 附件1 (R-ORG-1): posts, and who holds them. Membership is by post: whoever holds
an active post, while still in the post's section, is the member; a successor put into the post takes
over every right of it at once (接任人员自然替补). Only the administrator maintains the posts."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F

from bureau import history, sections
from bureau.access import staff_of
from bureau.models import Role, Section, Staff, User
from grading.models import Duty, WorkGroupPost

NOT_ADMINISTRATOR = "工作组成员名单由系统管理员维护。"
NOT_MEMBER = "只有排污许可证后管理工作组成员可以审核等级评定。"
NOT_LEADER = "只有工作组组长可以确认等级评定结果。"
# 附件1: 组长 is a bureau leader, 副组长 the heads of sections, members come from the six sections.
MEMBER_SECTIONS = (
    sections.APPROVAL,
    sections.ECOLOGY,
    sections.POLLUTION,
    sections.LEGAL,
    sections.ENFORCEMENT,
    sections.MONITORING,
)


def member_post(user) -> WorkGroupPost | None:
    """The active post ``user`` holds while still in its section, or None. One query."""
    staff = staff_of(user)
    if staff is None or not user.is_active:
        return None
    return (
        WorkGroupPost.objects.filter(is_active=True, holder=staff, section_id=staff.section_id)
        .select_related("section")
        .first()
    )


def require_member(user) -> WorkGroupPost:
    post = member_post(user)
    if post is None:
        raise PermissionDenied(NOT_MEMBER)
    return post


def require_leader(user) -> WorkGroupPost:
    post = member_post(user)
    if post is None or post.duty != Duty.LEADER:
        raise PermissionDenied(NOT_LEADER)
    return post


def holder_error(duty: str, section: Section, staff: Staff | None) -> str | None:
    """Why ``staff`` cannot hold a ``duty`` post of ``section``, or None."""
    if duty == Duty.LEADER and section.code != sections.LEADERSHIP:
        return "组长岗位应设在局领导。"
    if duty != Duty.LEADER and section.code not in MEMBER_SECTIONS:
        return "副组长和成员岗位应设在审批科、生态科、污防科、法制科、执法大队或监测站。"
    if staff is None:
        return None
    if not staff.user.is_active:
        return f"{staff.user.display_name}的账号已停用，不能担任工作组岗位。"
    if staff.section_id != section.pk:
        return f"{staff.user.display_name}不在{section.short_name}，不能担任该部门的岗位。"
    if duty == Duty.LEADER and staff.role != Role.LEADER:
        return "组长应由局领导担任。"
    if duty == Duty.DEPUTY and staff.role != Role.HEAD:
        return "副组长应由部门主要负责同志（负责人）担任。"
    return None


def _require_admin(by: User) -> None:
    if not by.is_superuser:
        raise PermissionDenied(NOT_ADMINISTRATOR)


def _check_holder_free(post: WorkGroupPost | None, staff: Staff | None) -> None:
    if staff is None:
        return
    taken = WorkGroupPost.objects.filter(is_active=True, holder=staff)
    if post is not None and post.pk:
        taken = taken.exclude(pk=post.pk)
    if taken.exists():
        raise ValidationError({"holder": f"{staff.user.display_name}已在工作组中担任其他岗位。"})


@transaction.atomic
def create_post(
    *, by: User, duty: str, section: Section, title: str, holder: Staff | None = None, order: int = 0
) -> WorkGroupPost:
    _require_admin(by)
    if duty not in Duty.values:
        raise ValidationError({"duty": "请选择职务：组长、副组长或成员。"})
    if not title.strip():
        raise ValidationError({"title": "请填写岗位名称。"})
    error = holder_error(duty, section, holder)
    if error:
        raise ValidationError({"holder": error})
    if duty == Duty.LEADER and WorkGroupPost.objects.filter(duty=Duty.LEADER, is_active=True).exists():
        raise ValidationError({"duty": "工作组已设组长岗位；更换组长请在该岗位上登记接任人员。"})
    _check_holder_free(None, holder)
    post = WorkGroupPost(duty=duty, section=section, title=title.strip(), holder=holder, order=order)
    return history.save_checked(post, by=by, reason="设立工作组岗位")


@transaction.atomic
def hand_over(*, by: User, post: WorkGroupPost, to: Staff | None, reason: str = "") -> WorkGroupPost:
    """Put ``to`` into ``post`` (a successor, 接任人员自然替补), or leave it vacant with None. The
    history of the post keeps who held it when."""
    _require_admin(by)
    post = WorkGroupPost.objects.select_for_update().get(pk=post.pk)
    if not post.is_active:
        raise ValidationError("该岗位已撤销。")
    error = holder_error(post.duty, post.section, to)
    if error:
        raise ValidationError({"holder": error})
    _check_holder_free(post, to)
    before = post.holder.user.display_name if post.holder_id else "空缺"
    after = to.user.display_name if to else "空缺"
    post.holder = to
    return history.save_checked(
        post,
        by=by,
        reason=f"岗位人员由{before}改为{after}" + (f"：{reason.strip()}" if reason.strip() else ""),
    )


@transaction.atomic
def retire_post(*, by: User, post: WorkGroupPost, reason: str) -> WorkGroupPost:
    """Abolish a post (kept, never deleted)."""
    _require_admin(by)
    if not reason.strip():
        raise ValidationError({"reason": "请填写撤销岗位的理由。"})
    post = WorkGroupPost.objects.select_for_update().get(pk=post.pk)
    post.is_active = False
    return history.save_checked(post, by=by, reason=f"撤销岗位：{reason.strip()}")


def roster():
    """The active posts with their holders, 组长 first, in one query."""
    return (
        WorkGroupPost.objects.filter(is_active=True)
        .select_related("section", "holder__user", "holder__section")
        .order_by("order", "id")
    )


def member_posts():
    """The posts held now: a holder still in the post's section with an active login."""
    return roster().filter(
        holder__isnull=False, holder__section_id=F("section_id"), holder__user__is_active=True
    )


def vacancies() -> list[WorkGroupPost]:
    """Posts with nobody, or with a holder who left the section or whose login is disabled: the
    administrator is to put a successor in."""
    return [
        p
        for p in roster()
        if p.holder is None or p.holder.section_id != p.section_id or not p.holder.user.is_active
    ]
