"""工作组 (R-ORG-1; 003 附件1): membership by post. The administrator sets up posts, hands a post to a
successor (接任人员自然替补) and retires posts; everyone in the bureau reads the roster with its
vacancies and each post's holders over time."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from bureau.models import Section, SectionCode, Staff, User
from grading.models import Duty, WorkGroupPost
from grading.services import workgroup
from tests.factories.bureau import StaffFactory

pytestmark = [pytest.mark.django_db, pytest.mark.today(date(2026, 3, 10))]

PAGE = reverse("grading:work-group")
NEW = reverse("grading:work-group-post-new")


def text(response) -> str:
    return response.content.decode()


def hand_over_url(post):
    return reverse("grading:work-group-hand-over", args=[post.pk])


@pytest.fixture
def clerk_post(work_group, approval_clerk):
    return next(p for p in work_group if p.holder_id == approval_clerk.staff.pk)


@pytest.fixture
def successor(db):
    return StaffFactory(
        username="approval_successor", section_code=SectionCode.APPROVAL, full_name="接任者"
    ).user


def test_r_org_1_a_successor_inherits_the_membership(
    client, administrator, approval_clerk, clerk_post, successor
):
    assert workgroup.require_member(approval_clerk) == clerk_post
    # when the administrator hands the post to the successor
    client.force_login(administrator)
    response = client.post(
        hand_over_url(clerk_post), {"holder": successor.staff.pk, "reason": "原岗位人员调离"}
    )
    assert response.status_code == 302
    # then the successor is the member and the old holder no longer is
    assert workgroup.require_member(successor) == clerk_post
    with pytest.raises(PermissionDenied):
        workgroup.require_member(approval_clerk)
    # and the post's history shows both, each with their time
    page = text(client.get(PAGE))
    assert "接任者：2026-" in page and f"{approval_clerk.display_name}：" in page and "原岗位人员调离" in page


def test_r_org_1_a_successor_is_chosen_in_the_posts_section(
    client, administrator, clerk_post, legal_clerk, successor
):
    client.force_login(administrator)
    page = text(client.get(PAGE))
    form = page[page.index(hand_over_url(clerk_post)) :]
    form = form[: form.index("</form>")]
    assert "接任者" in form and legal_clerk.display_name not in form
    refused = client.post(hand_over_url(clerk_post), {"holder": legal_clerk.staff.pk})
    assert refused.status_code == 400 and "请从该岗位所在部门的在岗人员中选择接任人员。" in text(refused)
    clerk_post.refresh_from_db()
    assert clerk_post.holder.user.username == "approval"


def test_r_org_1_only_the_administrator_maintains_the_work_group(
    client, leader, approval_clerk, clerk_post, successor
):
    for user in (leader, approval_clerk):
        client.force_login(user)
        page = text(client.get(PAGE))
        assert (
            "分管副局长" in page
            and 'data-form="hand-over"' not in page
            and 'data-form="post-new"' not in page
        )
        refused = client.post(hand_over_url(clerk_post), {"holder": successor.staff.pk})
        assert refused.status_code == 403 and "工作组成员名单由系统管理员维护。" in text(refused)
        retire = client.post(reverse("grading:work-group-retire", args=[clerk_post.pk]), {"reason": "撤销"})
        assert retire.status_code == 403
        assert client.post(NEW, {"duty": "member", "title": "业务人员"}).status_code == 403
    clerk_post.refresh_from_db()
    assert clerk_post.holder.user == approval_clerk and clerk_post.is_active


def test_r_org_1_the_administrator_sets_up_a_post(client, administrator, monitoring_clerk):
    client.force_login(administrator)
    section = Section.objects.get(code=SectionCode.MONITORING)
    response = client.post(
        NEW,
        {
            "duty": Duty.MEMBER,
            "section": section.pk,
            "title": "监测业务人员",
            "holder": monitoring_clerk.staff.pk,
        },
    )
    assert response.status_code == 302
    post = WorkGroupPost.objects.get()
    assert (post.duty, post.section, post.holder) == (Duty.MEMBER, section, monitoring_clerk.staff)
    assert workgroup.require_member(monitoring_clerk) == post


def test_bad_posts_are_refused_in_chinese_and_nothing_is_written(
    client, administrator, approval_clerk, work_group
):
    client.force_login(administrator)
    before = WorkGroupPost.objects.count()
    empty = client.post(NEW, {})
    assert empty.status_code == 400
    assert (
        "请选择职务。" in text(empty)
        and "请选择所在部门。" in text(empty)
        and "请填写岗位名称。" in text(empty)
    )
    approval = Section.objects.get(code=SectionCode.APPROVAL)
    leader_here = client.post(NEW, {"duty": Duty.LEADER, "section": approval.pk, "title": "组长"})
    assert leader_here.status_code == 400 and "组长岗位应设在局领导。" in text(leader_here)
    deputy = client.post(
        NEW,
        {"duty": Duty.DEPUTY, "section": approval.pk, "title": "副科长", "holder": approval_clerk.staff.pk},
    )
    assert deputy.status_code == 400 and "副组长应由部门主要负责同志（负责人）担任。" in text(deputy)
    assert WorkGroupPost.objects.count() == before
    post = work_group[-1]
    no_reason = client.post(reverse("grading:work-group-retire", args=[post.pk]), {"reason": ""})
    assert no_reason.status_code == 400 and "请填写撤销岗位的理由。" in text(no_reason)
    post.refresh_from_db()
    assert post.is_active


def test_r_org_1_a_retired_post_is_kept_with_its_holders(client, administrator, officer, work_group):
    post = next(p for p in work_group if p.holder_id == officer.staff.pk)
    client.force_login(administrator)
    assert (
        client.post(reverse("grading:work-group-retire", args=[post.pk]), {"reason": "机构调整"}).status_code
        == 302
    )
    post.refresh_from_db()
    assert not post.is_active
    with pytest.raises(PermissionDenied):
        workgroup.require_member(officer)
    # a retired post takes no successor; the refusal is shown though its row has no form any more
    late = client.post(hand_over_url(post), {"holder": ""})
    assert late.status_code == 400 and '<div class="alert" role="alert">该岗位已撤销。</div>' in text(late)
    page = text(client.get(PAGE))
    retired = page[page.index("已撤销的岗位") :]
    assert f'data-post="{post.pk}"' in retired and f"{officer.display_name}：" in retired


def test_r_org_1_a_holder_who_left_the_section_is_flagged_for_a_successor(
    client, approval_clerk, clerk_post, officer
):
    # given the holder moved to 执法大队
    Staff.objects.filter(pk=approval_clerk.staff.pk).update(
        section=Section.objects.get(code=SectionCode.ENFORCEMENT)
    )
    with pytest.raises(PermissionDenied):
        workgroup.require_member(User.objects.get(pk=approval_clerk.pk))
    client.force_login(officer)
    row = text(client.get(PAGE))
    row = row[row.index(f'id="post-{clerk_post.pk}"') :]
    assert "人员已调离，待接任" in row[: row.index("</tr>")]


def test_the_work_group_page_costs_the_same_however_many_posts(
    client, administrator, leader, work_group, django_assert_num_queries
):
    client.force_login(leader)
    # Expect 5 queries: session, user with staff, the posts with section and holder, the vacancies,
    # the posts' history with holders and who (a reader gets no forms).
    with django_assert_num_queries(5):
        assert text(client.get(PAGE)).count('data-post="') == len(work_group)
    for n in range(3):
        workgroup.create_post(
            by=administrator,
            duty=Duty.MEMBER,
            section=Section.objects.get(code=SectionCode.MONITORING),
            title=f"业务人员{n}",
            holder=StaffFactory(section_code=SectionCode.MONITORING) if n else None,
        )
    with django_assert_num_queries(5):
        assert text(client.get(PAGE)).count('data-post="') == len(work_group) + 3
