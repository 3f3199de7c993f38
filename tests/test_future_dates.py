"""A decision, closing, issue or check date in the future is refused everywhere, with a Chinese message
naming the date (as tasks and complaints already do): each service is called with tomorrow, and
refuses on that date's field; today is accepted where the test makes the record."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from inspections.services.draws import declare_conflict
from permits.models import RectificationSource
from permits.services import rectification
from permits.services.penalties import record_penalty
from permits.services.permits import issue_permit, record_registration
from permits.services.quality import Finding, record_quality_check
from tests.factories.permits import FacilityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def facility(town_a):
    return FacilityFactory(n=1, town=town_a, management_level="key")


@pytest.fixture
def registered(town_a):
    return FacilityFactory(n=2, town=town_a, management_level="registered")


def _item(facility, found_on):
    return rectification.open_rectification_item(
        by=None,
        facility=facility,
        source_kind=RectificationSource.INSPECTION,
        source_key="inspections.finding:1",
        source_label="JC-2026-001 第 1 项",
        category="unlicensed_discharge",
        category_label="无证排污",
        description="废气处理设施未运行即生产",
        found_on=found_on,
        deadline_workdays=5,
        responsible_person="王厂长",
    )


def _issue(ctx, day):
    issue_permit(
        by=None,
        facility=ctx["facility"],
        number="沪环许〔2026〕1号",
        management_level="key",
        issued_on=day,
        valid_from=day,
        valid_until=day + timedelta(days=1800),
        report_frequency="quarterly",
    )


def _register(ctx, day):
    record_registration(by=None, facility=ctx["registered"], receipt_no="R-2026-1", registered_on=day)


def _penalty(ctx, day):
    record_penalty(
        by=ctx["officer"], facility=ctx["facility"], decision_no="普环罚〔2026〕1号", decided_on=day,
        violation="未按证排污", amount=Decimal("1000"),
    )


def _quality_check(ctx, day):
    record_quality_check(
        by=ctx["approval_clerk"], facility=ctx["facility"], permit=None, checked_on=day, method="off_site", selection="random",
        findings=[Finding("discharge_mismatch", "实际排放与许可不符", 10, "王厂长")],
    )


def _open_item(ctx, day):
    _item(ctx["facility"], day)


def _close_item(ctx, day):
    item = _item(ctx["facility"], ctx["today"])
    rectification.close_rectification(by=None, item=item, closed_on=day, evidence="已整改")


def _conflict(ctx, day):
    declare_conflict(
        by=ctx["officer"], officer=ctx["officer"], reason="亲属在该单位任职", facility=ctx["facility"],
        declared_on=day,
    )


@pytest.mark.parametrize(
    "call, field",
    [
        (_issue, "issued_on"),
        (_register, "registered_on"),
        (_penalty, "decided_on"),
        (_quality_check, "checked_on"),
        (_open_item, "found_on"),
        (_close_item, "closed_on"),
        (_conflict, "declared_on"),
    ],
)
def test_a_date_in_the_future_is_refused(facility, registered, officer, approval_clerk, call, field):
    today = timezone.localdate()
    ctx = {
        "facility": facility, "registered": registered, "officer": officer, "approval_clerk": approval_clerk,
        "today": today,
    }

    with pytest.raises(ValidationError) as refused:
        call(ctx, today + timedelta(days=1))

    assert "不能晚于今天" in " ".join(refused.value.message_dict.get(field, [])), refused.value.message_dict

    # and today itself is accepted
    call(ctx, today)
