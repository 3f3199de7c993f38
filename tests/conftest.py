"""Shared fixtures: one named persona per section and the head (科长) of each section, created
through the services, and the day a test runs on.

A permission test then reads like a sentence: the approval clerk sees the organisation page, the
town liaison does not; the enforcement head co-signs the brigade's receipt.
"""

from importlib import import_module
from pathlib import Path

import pytest
from django.apps import apps
from django.utils import timezone
from rest_framework.test import APIClient

from bureau.models import Role, SectionCode, User
from tests.factories.bureau import PASSWORD, StaffFactory, TownFactory, ensure_calendar


def pytest_collection_modifyitems(config, items):
    """Tests marked ``postgresql`` (real concurrency, which SQLite serialises away) run only when the
    suite runs on PostgreSQL; tests marked ``once`` (costly, and asking nothing of the database that
    differs between the two) run only on the embedded default. Either way the others are deselected,
    not skipped, and .ci/run checks that each run ran its own."""
    from django.db import connection

    other = "once" if connection.vendor == "postgresql" else "postgresql"
    kept, dropped = [], []
    for item in items:
        (dropped if item.get_closest_marker(other) else kept).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


@pytest.fixture(scope="session")
def django_db_modify_db_settings():
    """SQLite's test database is a file (a real Celery worker must share it); a previous run's WAL
    side files would not match the new database, so they go before it is created."""
    from django.conf import settings

    name = settings.DATABASES["default"].get("TEST", {}).get("NAME")
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3") and name:
        for suffix in ("-wal", "-shm"):
            Path(name + suffix).unlink(missing_ok=True)


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts from an empty cache: a count an API list kept (bureau.api_pagination) names
    rows by id, and ids come back after a test's rollback."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Personas are created in most tests; PBKDF2's deliberate slowness only costs time here."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def town_a(db):
    return TownFactory(code="TA", name="甲镇")


@pytest.fixture
def town_b(db):
    return TownFactory(code="TB", name="乙镇")


def _persona(username, section, **kwargs):
    return StaffFactory(username=username, section_code=section, **kwargs).user


@pytest.fixture
def approval_clerk(db):
    return _persona("approval", SectionCode.APPROVAL)


@pytest.fixture
def ecology_clerk(db):
    return _persona("ecology", SectionCode.ECOLOGY)


@pytest.fixture
def pollution_clerk(db):
    return _persona("pollution", SectionCode.POLLUTION)


@pytest.fixture
def legal_clerk(db):
    return _persona("legal", SectionCode.LEGAL)


@pytest.fixture
def officer(db):
    return _persona("enforcement", SectionCode.ENFORCEMENT, certificate_no="31010720001")


@pytest.fixture
def monitoring_clerk(db):
    return _persona("monitoring", SectionCode.MONITORING)


@pytest.fixture
def leader(db):
    return _persona("leadership", SectionCode.LEADERSHIP, role=Role.LEADER)


@pytest.fixture
def town_a_liaison(town_a):
    return _persona("town_a", SectionCode.TOWN, town=town_a)


@pytest.fixture
def town_b_liaison(town_b):
    return _persona("town_b", SectionCode.TOWN, town=town_b)


@pytest.fixture
def administrator(db):
    return User.objects.create_superuser("root", "root@example.invalid", PASSWORD)


@pytest.fixture
def personas(
    approval_clerk,
    ecology_clerk,
    pollution_clerk,
    legal_clerk,
    officer,
    monitoring_clerk,
    leader,
    town_a_liaison,
):
    """Every section's persona by section code."""
    return {
        SectionCode.APPROVAL: approval_clerk,
        SectionCode.ECOLOGY: ecology_clerk,
        SectionCode.POLLUTION: pollution_clerk,
        SectionCode.LEGAL: legal_clerk,
        SectionCode.ENFORCEMENT: officer,
        SectionCode.MONITORING: monitoring_clerk,
        SectionCode.LEADERSHIP: leader,
        SectionCode.TOWN: town_a_liaison,
    }


# The heads (负责人, role HEAD) of the six sections that have one. Their short names are what a slip or
# a page prints in the 负责人 column.


def _head(section, full_name):
    return _persona(f"{section}_head", section, role=Role.HEAD, full_name=full_name)


@pytest.fixture
def approval_head(db):
    return _head(SectionCode.APPROVAL, "审科长")


@pytest.fixture
def ecology_head(db):
    return _head(SectionCode.ECOLOGY, "生科长")


@pytest.fixture
def pollution_head(db):
    return _head(SectionCode.POLLUTION, "污科长")


@pytest.fixture
def legal_head(db):
    return _head(SectionCode.LEGAL, "法科长")


@pytest.fixture
def enforcement_head(db):
    return _head(SectionCode.ENFORCEMENT, "执科长")


@pytest.fixture
def monitoring_head(db):
    return _head(SectionCode.MONITORING, "监科长")


@pytest.fixture
def heads(approval_head, ecology_head, pollution_head, legal_head, enforcement_head, monitoring_head):
    """Every section's head by section code (局领导 and the towns have none)."""
    return {
        SectionCode.APPROVAL: approval_head,
        SectionCode.ECOLOGY: ecology_head,
        SectionCode.POLLUTION: pollution_head,
        SectionCode.LEGAL: legal_head,
        SectionCode.ENFORCEMENT: enforcement_head,
        SectionCode.MONITORING: monitoring_head,
    }


@pytest.fixture(autouse=True)
def today(request, monkeypatch):
    """The day the test runs on.

    A test marked ``@pytest.mark.today(date(...))`` (usually a whole module, through ``pytestmark``)
    runs on that day: ``django.utils.timezone.localdate()`` answers it, so states, deadlines and
    overdue flags derived from today do not move with the calendar. Unmarked, it is the real day.
    """
    marker = request.node.get_closest_marker("today")
    if marker is None:
        return timezone.localdate()
    (day,) = marker.args
    real_localdate = timezone.localdate

    def localdate(value=None, timezone=None):
        return day if value is None else real_localdate(value, timezone)

    monkeypatch.setattr("django.utils.timezone.localdate", localdate)
    return day


@pytest.fixture
def work_calendar(db):
    """The work calendar knows last year, this year and next year, for tests that count working days
    (R-CAL-1) from the real day."""
    ensure_calendar()


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture(autouse=True)
def standard_checklists(request):
    """The checklists of seed 003 come from a data migration (R-INS-1, R-INS-2); a live-server test
    empties the database after it, data migrations included, so every test that uses the database
    gets them back first (idempotent: three queries when they are there). pytest orders the
    live-server tests among the others (it groups tests by the browser's session fixture), so any test
    may run after such a flush."""
    marker = request.node.get_closest_marker("django_db")
    transactional = marker is not None and marker.kwargs.get("transaction", False)
    if "live_server" in request.fixturenames or "transactional_db" in request.fixturenames or transactional:
        request.getfixturevalue("transactional_db")
    elif "db" in request.fixturenames or marker is not None:
        request.getfixturevalue("db")
    else:
        return
    import_module("inspections.migrations.0002_standard_checklists").seed(apps, None)
    # The key industries (R-FAC-2) come from data migrations too; after a flush they come back the
    # same way (one query when they are there).
    if not apps.get_model("permits", "KeyIndustry").objects.exists():
        import_module("permits.migrations.0002_key_industries").seed(apps, None)
        import_module("permits.migrations.0015_key_industries_per_design").adjust(apps, None)


@pytest.fixture
def broker_down(monkeypatch):
    """The broker is down: the Celery app points at a closed port for the test (and is restored after
    it), so queueing fails at once as it does when Redis is stopped."""
    from config.celery import app

    saved = (app.conf.broker_url, app.conf.broker_transport_options, app._pool)
    # Celery reads CELERY_BROKER_URL from the environment before its configuration.
    monkeypatch.setenv("CELERY_BROKER_URL", "redis://127.0.0.1:1/0")
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    app.conf.broker_transport_options = {"socket_connect_timeout": 1}
    app._pool = None
    app.amqp._producer_pool = None
    yield
    app.conf.broker_url, app.conf.broker_transport_options, app._pool = saved
    app.amqp._producer_pool = None
