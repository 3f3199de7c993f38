"""The registries through which higher apps plug into the platform without ``bureau`` (or ``meetings``)
importing them: navigation entries, to-do kinds, demo data, meeting-agenda sections (DESIGN.md,
Layout; STYLE.md, Between apps)."""

from datetime import date

import pytest
from django.urls import reverse

from bureau import agenda, navigation, todo
from bureau.demo import run_demo_seeds
from bureau.models import SectionCode
from bureau.services import section
from meetings.agenda import build_agenda
from meetings.models import DispatchMeeting, MeetingKind
from meetings.services import call_extra_meeting

pytestmark = pytest.mark.django_db


def test_every_app_registered_its_navigation_entries_at_start_up():
    keys = {entry.key for entry in navigation._REGISTRY.values()}
    assert {"facilities", "ledger", "imports", "linkage", "meetings", "complaints"} <= keys


def test_the_agenda_is_assembled_from_the_apps_contributions_in_order():
    assert [c.name for c in agenda.contributions()][:2] == ["permits", "linkage"]
    assert list(agenda.titles()) == [
        "approval",
        "monitoring",
        "pollution",
        "enforcement",
        "linkage",
        "registry",
    ]


def test_a_new_app_adds_an_agenda_section_without_meetings_changing(approval_clerk, monkeypatch):
    # given: an app registers its part of the agenda (as inspections will)
    calls = []

    def build(period):
        calls.append(period)
        return [{"key": "inspections", "reporters": "执法大队", "figures": [], "tables": [], "notes": []}]

    monkeypatch.setattr(agenda, "_REGISTRY", dict(agenda._REGISTRY))
    agenda.register(
        agenda.AgendaContribution("inspections", 30, {"inspections": "清单式执法检查情况"}, build)
    )
    meeting = call_extra_meeting(by=approval_clerk, scheduled_on=date(2026, 3, 2), topic="专题调度")
    # when
    built = build_agenda(meeting, as_of=date(2026, 3, 2))
    # then: numbered after the others in its order (the sections' registry updates come last), built
    # for the meeting's period
    assert [item["heading"] for item in built["items"]][-2:] == [
        "六、清单式执法检查情况",
        "七、各部门固定污染源信息库更新情况",
    ]
    assert calls[0].as_of == date(2026, 3, 2) and calls[0].contains(date(2026, 3, 2))
    assert meeting.kind == MeetingKind.EXTRA and DispatchMeeting.objects.count() == 1


def test_a_to_do_item_shows_the_kind_its_app_registered(client, approval_clerk):
    todo.add_todo(
        key="permit-expiry:1:20261231", title="许可证 P-1 将于 2026-12-31 到期", section=section("approval")
    )
    todo.add_todo(key="k1", title="未登记类别的事项", section=section(SectionCode.APPROVAL))
    client.force_login(approval_clerk)
    page = client.get(reverse("home")).content.decode()
    assert '<span class="badge kind" data-todo-kind>许可证到期</span>' in page
    assert page.count("data-todo-kind") == 1
    assert todo.kind_label("meeting-decision:7") == "调度会议定事项"
    assert todo.kind_label("calendar-missing-2027") == "工作日历"


def test_seed_demo_asks_every_installed_app_that_has_a_demo_in_the_order_of_the_layers(monkeypatch):
    # given: each app's seed records that it ran
    ran = []
    apps = ("bureau", "permits", "linkage", "complaints", "inspections", "grading", "meetings", "reports")
    for name in apps:
        module = __import__(f"{name}.demo", fromlist=["seed"])
        monkeypatch.setattr(module, "seed", lambda *, today, name=name: ran.append(name) or [name])
    # when
    created = run_demo_seeds(today=date(2026, 3, 2))
    # then: INSTALLED_APPS order, which is the order of the layers
    assert ran == created == list(apps)
