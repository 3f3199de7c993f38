"""Shared set-up of the execution-report tests: a monthly key permit with one outlet and its limits,
received reports of it, and a review carried through to its notice by the three sections."""

from datetime import date
from decimal import Decimal

import pytest

from bureau import history
from permits.models import EmissionLimit, Outlet
from permits.reports import rules
from permits.reports.services import notices, receipts, reviews
from tests.factories.permits import FacilityFactory, PermitFactory

MARCH = rules.Period(rules.MONTH, 2026, 3)


@pytest.fixture
def monthly_permit(town_a, work_calendar):
    facility = FacilityFactory(
        town=town_a, management_level="key", contact_person="张联系", contact_phone="13800000000"
    )
    permit = PermitFactory(facility=facility, issued_on=date(2025, 6, 1), report_frequency="monthly")
    outlet = history.save(Outlet(permit=permit, code="DA001", kind="gas", name="废气排口"), by=None)
    history.save(
        EmissionLimit(
            outlet=outlet,
            pollutant="颗粒物",
            concentration=Decimal("20"),
            unit="mg/m³",
            annual_quantity=Decimal("2.5"),
        ),
        by=None,
    )
    return permit


@pytest.fixture
def march_report(monthly_permit, approval_clerk):
    """March 2026 received on 10 April with a particulate figure over the limit (25 > 20 mg/m³)."""
    version = receipts.record_receipt(
        by=approval_clerk,
        permit=monthly_permit,
        period=MARCH,
        received_on=date(2026, 4, 10),
        today=date(2026, 4, 20),
        platform_ref="ZXBG-2026-0001",
        emissions=[receipts.Emission("DA001", "颗粒物", concentration=Decimal("25"))],
    )
    return version.report


def fill_fine(part, by, *, except_point=None):
    results = {
        p.code: (rules.FINE, "") for p in rules.CHECK_POINTS[part.section_code] if p.code != except_point
    }
    return reviews.fill_part(by=by, part=part, results=results)


@pytest.fixture
def signed_review(march_report, approval_clerk, ecology_clerk, pollution_clerk, heads):
    """A review of March in which 审批科 finds a procedural problem, 生态科 adopts the exceedance as
    substantive (which settles 污防科's copy); all three heads sign."""
    review = reviews.open_review(by=approval_clerk, report=march_report, today=date(2026, 4, 21))
    parts = {p.section_code: p for p in review.parts.all()}
    fill_fine(parts["approval"], approval_clerk, except_point="basic_information")
    reviews.add_problem(
        by=approval_clerk,
        part=parts["approval"],
        point="basic_information",
        description="法定代表人漏填",
        problem_class=rules.PROCEDURAL,
    )
    fill_fine(parts["ecology"], ecology_clerk, except_point="actual_emissions")
    proposal = parts["ecology"].problems.get()
    reviews.decide_proposal(by=ecology_clerk, problem=proposal, adopt=True)
    fill_fine(
        parts["pollution"], pollution_clerk
    )  # its copy of the exceedance is settled by 生态科's adoption
    for code, head in (
        ("approval", heads["approval"]),
        ("ecology", heads["ecology"]),
        ("pollution", heads["pollution"]),
    ):
        reviews.sign_part(by=head, part=parts[code], today=date(2026, 4, 22))
    review.refresh_from_db()
    return review


@pytest.fixture
def issued_notice(signed_review, approval_clerk):
    return notices.issue_notice(
        by=approval_clerk,
        review=signed_review,
        issued_on=date(2026, 4, 23),
        today=date(2026, 4, 23),
        contact="王审批 021-00000000",
    )
