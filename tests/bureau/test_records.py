"""R-RET-1 (003 第十二条): business records are never hard-deleted and keep who/when/what changed."""

import pytest
from django.contrib.auth.models import Group

from bureau import services
from bureau.models import CalendarDay, HardDeleteForbidden, Section, Staff, Town
from tests.factories.bureau import StaffFactory

pytestmark = pytest.mark.django_db


def test_r_ret_1_business_records_refuse_delete(approval_clerk, town_a):
    staff = approval_clerk.staff
    with pytest.raises(HardDeleteForbidden, match="不得删除"):
        staff.delete()
    with pytest.raises(HardDeleteForbidden):
        Town.objects.all().delete()
    with pytest.raises(HardDeleteForbidden):
        Section.objects.filter(code="approval").delete()
    with pytest.raises(HardDeleteForbidden):
        CalendarDay.objects.all().delete()
    assert Staff.objects.filter(pk=staff.pk).exists()


def test_r_ret_1_history_records_the_acting_user(administrator):
    # when
    staff = StaffFactory(username="newcomer", section_code="ecology", by=administrator)
    # then
    created = staff.history.get()
    assert created.history_type == "+"
    assert created.history_user == administrator


def test_r_ret_1_admin_edit_is_attributed(client, administrator, town_a):
    # given
    client.force_login(administrator)
    # when: the administrator renames the town through the admin
    response = client.post(
        f"/admin/bureau/town/{town_a.pk}/change/",
        {"code": "TA", "name": "甲镇（更名）", "kind": "town", "is_active": "on"},
    )
    # then
    assert response.status_code == 302
    latest, before = town_a.history.all()[:2]
    assert latest.history_user == administrator
    assert (before.name, latest.name) == ("甲镇", "甲镇（更名）")


def test_r_ret_1_admin_offers_no_delete(client, administrator, town_a):
    client.force_login(administrator)
    response = client.get(f"/admin/bureau/town/{town_a.pk}/delete/")
    assert response.status_code == 403
    changelist = client.get("/admin/bureau/town/").content.decode()
    assert "delete_selected" not in changelist


def test_r_org_1_each_section_is_a_permission_group():
    sections = services.ensure_sections()
    assert sorted(s.code for s in sections) == sorted(
        ["approval", "ecology", "pollution", "legal", "enforcement", "monitoring", "leadership", "town"]
    )
    assert Group.objects.filter(section__isnull=False).count() == 8
    assert services.ensure_sections() == sections  # idempotent


def test_r_org_1_permissions_come_from_the_section(approval_clerk, town_a_liaison):
    assert approval_clerk.has_perm("bureau.view_staff")
    assert not approval_clerk.has_perm("bureau.change_calendarday")
    assert not town_a_liaison.has_perm("bureau.view_staff")
    assert town_a_liaison.has_perm("bureau.view_calendarday")


def test_r_org_3_town_staff_see_only_their_own_town(town_a_liaison, approval_clerk, town_a, town_b):
    # R-ORG-3 has one mechanism, the Viewer (issue 7); guardian is kept for grants on one record.
    from bureau.access import Viewer

    assert list(Viewer.of(town_a_liaison).within_jurisdiction(Town.objects.all(), "pk")) == [town_a]
    assert list(Viewer.of(approval_clerk).within_jurisdiction(Town.objects.order_by("code"), "pk")) == [
        town_a,
        town_b,
    ]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"section_code": "town"}, "必须指定所属街镇"),
        ({"section_code": "approval", "role": "leader"}, "局领导"),
        ({"section_code": "leadership", "role": "handler"}, "局领导"),
    ],
)
def test_r_org_1_staff_must_fit_their_section(kwargs, message):
    with pytest.raises(Exception, match=message):
        services.create_staff(username="x", password="p", **kwargs)


def test_r_org_3_only_town_staff_have_a_town(town_a):
    with pytest.raises(Exception, match="只有街镇工作人员"):
        services.create_staff(username="x", password="p", section_code="approval", town=town_a)


def test_certificate_numbers_are_unique(officer):
    with pytest.raises(Exception, match="执法证号"):
        services.create_staff(
            username="y", password="p", section_code="enforcement", certificate_no="31010720001"
        )
