"""Fixtures of the inspections tests: a second officer with a certificate (R-INS-6 needs two), a
facility with a valid permit in town A."""

from datetime import date

import pytest

from bureau.models import SectionCode
from tests.factories.bureau import StaffFactory
from tests.factories.permits import FacilityFactory, PermitFactory


@pytest.fixture
def officer2(db):
    return StaffFactory(
        username="enforcement2",
        section_code=SectionCode.ENFORCEMENT,
        certificate_no="31010720002",
        full_name="周执法",
    ).user


@pytest.fixture
def officers(officer, officer2):
    return [officer, officer2]


@pytest.fixture
def facility(town_a, approval_clerk):
    facility = FacilityFactory(n=1, town=town_a, by=approval_clerk)
    PermitFactory(facility=facility, by=approval_clerk, issued_on=date(2024, 1, 10))
    return facility


@pytest.fixture
def officer3(db):
    return StaffFactory(
        username="enforcement3",
        section_code=SectionCode.ENFORCEMENT,
        certificate_no="31010720003",
        full_name="吴执法",
    ).user


@pytest.fixture
def crew(officer, officer2, officer3):
    """Three officers: a draw's pool of officers (R-INS-5) with room for avoidance."""
    return [officer, officer2, officer3]
