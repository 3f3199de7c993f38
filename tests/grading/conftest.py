"""Shared fixtures of the grading tests: the work group of 附件1 and holders of a year."""

from datetime import date

import pytest

from bureau.models import SectionCode
from grading.models import Duty, WorkGroupPost
from tests.factories.permits import FacilityFactory, PermitFactory


@pytest.fixture
def work_group(db, heads, leader, approval_clerk, legal_clerk, officer):
    """组长 (a leader), 副组长 (the heads of 审批科、生态科、污防科), members from 审批科、法制科、执法大队:
    a dict duty → list of users, the leader first."""
    leader_staff = leader.staff
    posts = [
        WorkGroupPost.objects.create(
            duty=Duty.LEADER, section=leader_staff.section, title="分管副局长", holder=leader_staff, order=0
        )
    ]
    for order, code in enumerate([SectionCode.APPROVAL, SectionCode.ECOLOGY, SectionCode.POLLUTION], start=1):
        staff = heads[code].staff
        posts.append(
            WorkGroupPost.objects.create(
                duty=Duty.DEPUTY, section=staff.section, title="科长", holder=staff, order=order
            )
        )
    for order, user in enumerate([approval_clerk, legal_clerk, officer], start=10):
        posts.append(
            WorkGroupPost.objects.create(
                duty=Duty.MEMBER, section=user.staff.section, title="业务人员", holder=user.staff, order=order
            )
        )
    return posts


@pytest.fixture
def make_holders(db, town_a):
    """``make_holders(n, year=2025)``: n key-managed facilities, each with a permit in force in ``year``."""

    def make(n: int, *, year: int = 2025, start: int = 0):
        made = []
        for i in range(n):
            facility = FacilityFactory(town=town_a, n=500_000 + start + i)
            PermitFactory(facility=facility, issued_on=date(year - 1, 3, 1))
            made.append(facility)
        return made

    return make
