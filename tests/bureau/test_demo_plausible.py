"""The demo a clerk is shown is plausible on the day it is shown: nothing that already happened is
dated after today, and study sessions (R-MTG-3) fall on working days of the work calendar (R-CAL-1)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import models
from django.test import override_settings
from django.utils import timezone

from bureau.calendar import WorkCalendar

pytestmark = pytest.mark.django_db

BUSINESS_APPS = (
    "bureau",
    "permits",
    "linkage",
    "complaints",
    "inspections",
    "monitoring",
    "grading",
    "meetings",
    "reports",
)
# Dates that lie ahead by nature: deadlines, validity, schedules and plans. Every other date field of a
# business record says when something happened, so it is never after today.
FUTURE_BY_NATURE = {
    "deadline_on",  # rectification items, linkage tasks
    "due_on",  # to-do items, meeting decisions
    "valid_from",  # a permit's validity may start after the decision (延续)
    "valid_until",  # permits, registrations
    "new_valid_until",  # a permit event's new validity
    "scheduled_on",  # a dispatch meeting may be planned ahead (R-MTG-1)
    "window_start",  # an inspection plan's items: the window an inspection is owed in (R-INS-3)
    "window_end",
    "planned_month",
    "inspect_from",  # a random draw's inspection period (R-INS-5)
    "inspect_until",
}
# Tables that are not events: the work calendar's days.
NOT_EVENTS = {"bureau.calendarday"}


def past_event_fields():
    for model in apps.get_models():
        label = model._meta.label_lower
        if (
            model._meta.app_label not in BUSINESS_APPS
            or label in NOT_EVENTS
            or label.split(".")[1].startswith("historical")
        ):
            continue
        for field in model._meta.concrete_fields:
            if (
                isinstance(field, models.DateField | models.DateTimeField)
                and field.name not in FUTURE_BY_NATURE
            ):
                yield model, field


def real_today() -> date:
    """The real day, which the pinned ``today`` does not move: what auto-stamped times are made on."""
    return datetime.now(ZoneInfo(settings.TIME_ZONE)).date()


def as_date(value) -> date:
    return timezone.localtime(value).date() if isinstance(value, datetime) else value


# Days the demo is shown on: early in a year (this year's events are few, last year's many), the day
# after a long holiday, and the real day.
DAYS = [
    pytest.param(date(2026, 1, 5), marks=pytest.mark.today(date(2026, 1, 5)), id="2026-01-05"),
    pytest.param(date(2025, 10, 9), marks=pytest.mark.today(date(2025, 10, 9)), id="2025-10-09"),
    pytest.param(None, id="today"),  # the real day, as make run shows it: auto-stamped times too
]


@pytest.fixture
def demo(today, day):
    assert today == (day or real_today())
    with override_settings(DEBUG=True):
        call_command("seed_demo")
    return today


@pytest.mark.parametrize("day", DAYS)
def test_r_mtg_3_the_demo_is_plausible_on_the_day_it_is_shown(demo):
    """Seeding costs seconds, so one seed answers both questions."""
    assert_no_past_event_after(demo)
    assert_study_sessions_on_working_days(demo)
    assert_the_secret_unit_stays_off_public_pages()


def assert_the_secret_unit_stays_off_public_pages() -> None:
    """The demo has a unit involving state secrets (003 第十九条), so a visitor can check R-PUB-1."""
    from django.test import Client

    from permits.models import Facility

    secret = Facility.objects.get(is_confidential=True)
    assert secret.permits.exists()
    client = Client()
    for url in ("/public/permits/", f"/public/permits/?q={secret.name}", "/public/api/permits/?page=1"):
        response = client.get(url)
        assert response.status_code == 200 and secret.credit_code not in response.content.decode(), url
    assert client.get("/public/api/permits/").json()["count"] > 0  # the others are there


def assert_no_past_event_after(demo: date) -> None:
    late = []
    checked = 0
    for model, field in past_event_fields():
        if isinstance(field, models.DateTimeField) and demo != real_today():
            continue  # stamped with the real time of seeding (auto_now_add and the like), not the demo's day
        for pk, value in model.objects.exclude(**{field.name: None}).values_list("pk", field.name):
            checked += 1
            if as_date(value) > demo:
                late.append(f"{model._meta.label}.{field.name} #{pk} = {value}")
    assert checked > 100  # the demo has records, and their dates were read
    assert late == [], "\n".join(late)


def assert_study_sessions_on_working_days(demo: date) -> None:
    from meetings.models import StudySession

    calendar = WorkCalendar()
    sessions = list(StudySession.objects.values_list("held_on", "topic"))
    if demo.month >= 8:  # the demo records this year's sessions; early in a year there are none yet
        assert sessions
    assert [(day, topic) for day, topic in sessions if not calendar.is_workday(day)] == []
