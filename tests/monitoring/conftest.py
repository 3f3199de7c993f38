"""Fixtures of the monitoring tests: a small registry (two key-managed holders, eleven simplified ones
of which one is closed and one involves state secrets, a registered unit with automatic monitoring),
a permit with outlet DA001 and its SO2 limit, and 监测站's second member."""

from datetime import date
from decimal import Decimal

import pytest

from bureau.models import SectionCode
from permits.services.permits import add_outlet, set_emission_limit
from tests.factories.bureau import StaffFactory
from tests.factories.permits import FacilityFactory, PermitFactory

YEAR = 2026
TODAY = date(2026, 6, 15)


@pytest.fixture
def monitoring_clerk2(db):
    return StaffFactory(
        username="monitoring2", section_code=SectionCode.MONITORING, full_name="吴监测二"
    ).user


@pytest.fixture
def registry(town_a, town_b):
    """Facilities by role: ``key`` (2), ``simplified`` (9 drawable), ``closed``, ``secret``, ``registered``."""
    key = [
        FacilityFactory(n=1, town=town_a, management_level="key", has_auto_monitoring=True),
        FacilityFactory(n=2, town=town_b, management_level="key"),
    ]
    simplified = [
        FacilityFactory(n=10 + i, town=town_a if i % 2 else town_b, management_level="simplified")
        for i in range(9)
    ]
    closed = FacilityFactory(n=30, town=town_a, management_level="simplified", status="closed")
    secret = FacilityFactory(n=31, town=town_a, management_level="simplified", is_confidential=True)
    registered = FacilityFactory(n=40, town=town_b, management_level="registered", has_auto_monitoring=True)
    return {
        "key": key,
        "simplified": simplified,
        "closed": closed,
        "secret": secret,
        "registered": registered,
    }


@pytest.fixture
def outlet(registry):
    """DA001 of the first key holder's permit, with SO2 ≤ 50 mg/m³ and 颗粒物 as a yearly quantity only."""
    permit = PermitFactory(facility=registry["key"][0], issued_on=date(2024, 1, 10))
    outlet = add_outlet(by=None, permit=permit, code="DA001", kind="gas", name="1号排气筒")
    set_emission_limit(
        by=None,
        outlet=outlet,
        pollutant="二氧化硫",
        concentration=Decimal("50"),
        unit="mg/m³",
        annual_quantity=None,
    )
    set_emission_limit(
        by=None,
        outlet=outlet,
        pollutant="颗粒物",
        concentration=None,
        unit="mg/m³",
        annual_quantity=Decimal("2.5"),
    )
    return outlet


@pytest.fixture
def foreign_outlet(registry):
    permit = PermitFactory(facility=registry["key"][1], issued_on=date(2024, 1, 10))
    return add_outlet(by=None, permit=permit, code="DA009", kind="gas")
