"""Shared fixtures: one named persona per section, created through the services.

A permission test then reads like a sentence: the approval clerk sees the organisation page, the
town liaison does not.
"""

from pathlib import Path

import pytest
from rest_framework.test import APIClient

from bureau.models import Role, SectionCode, User
from tests.factories import PASSWORD, StaffFactory, TownFactory


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
def approval_head(db):
    return _persona("approval_head", SectionCode.APPROVAL, role=Role.HEAD)


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


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def password():
    return PASSWORD
