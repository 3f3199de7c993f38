"""seed_demo: every section, towns, one user per section; refuses in production; idempotent."""

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from bureau.models import Section, Staff, Town, User

pytestmark = pytest.mark.django_db

EXPECTED_USERS = {
    "admin",
    "approval",
    "ecology",
    "pollution",
    "legal",
    "enforcement",
    "enforcement2",
    "monitoring",
    "leadership",
    "town1",
    "town2",
    "town3",
    "town4",
    "approval_head",
    "ecology_head",
    "pollution_head",
    "legal_head",
    "enforcement_head",
    "monitoring_head",
}


def snapshot():
    return {
        model.__name__: model.objects.count()
        for model in (
            User,
            Staff,
            Town,
            Section,
            Staff.history.model,
            Town.history.model,
            User.groups.through,
        )
    }


@override_settings(DEBUG=True, DEMO_PASSWORD="Demo-pass-1")
def test_seed_demo_creates_the_bureau_and_twice_changes_nothing():
    # when
    call_command("seed_demo")
    first = snapshot()
    call_command("seed_demo")
    # then
    assert snapshot() == first
    assert set(User.objects.values_list("username", flat=True)) == EXPECTED_USERS
    assert Town.objects.count() >= 3
    assert {s.user.username: s.section.code for s in Staff.objects.select_related("user", "section")}[
        "town2"
    ] == "town"
    assert Staff.objects.get(user__username="enforcement2").certificate_no
    assert User.objects.get(username="admin").is_superuser
    assert User.objects.get(username="monitoring").check_password("Demo-pass-1")
    assert Staff.objects.get(user__username="monitoring_head").role == "head"


@override_settings(DEBUG=False)
def test_seed_demo_refuses_in_production():
    with pytest.raises(CommandError, match="DEBUG 已关闭"):
        call_command("seed_demo")
    assert not User.objects.exists()


@override_settings(DEBUG=False)
def test_seed_demo_runs_in_production_when_forced():
    call_command("seed_demo", "--force")
    assert User.objects.filter(username="town1").exists()


@override_settings(DEBUG=False)
def test_make_run_skips_the_demo_in_production(capsys):
    call_command("seed_demo", "--skip-in-production")
    assert "不载入演示数据" in capsys.readouterr().out
    assert not User.objects.exists()
