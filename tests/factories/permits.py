"""The registry: facilities, permits and their events, registrations, quality checks with their
rectification items, written through ``permits.services`` as in production.

``by=None`` is a system source (an import, a job): it may set every section's fields at once, which
keeps the setup of a test short. Tests that are about who may write pass a persona instead.
"""

from contextlib import contextmanager
from datetime import date, timedelta
from decimal import Decimal
from unittest import mock

import factory
from django.utils import timezone

from bureau.models import SectionCode
from permits import rules
from permits.models import Facility, Permit, PermitEvent, PermitEventKind, QualityCheck, Registration
from permits.services.facilities import register_facility, update_facility
from permits.services.permits import (
    add_outlet,
    issue_permit,
    record_permit_event,
    record_registration,
    set_emission_limit,
)
from permits.services.quality import Finding, record_quality_check
from permits.services.rectification import note_rectification_progress
from tests.factories.bureau import StaffFactory, TownFactory, ensure_calendar


def credit_code(n: int) -> str:
    """A valid 统一社会信用代码 (GB 32100-2015 check character) for the ``n``-th test facility."""
    first17 = f"91310107{n:09d}"
    return first17 + rules.credit_code_check_character(first17)


class FacilityFactory(factory.django.DjangoModelFactory):
    """A facility registered through ``register_facility``. ``n`` numbers it: its credit code is
    ``credit_code(n)`` and its name 测试单位{n}有限公司; left out, a number no test picks is used. It is
    site 001 of the unit of that code, which the service creates; ``site_number="002"`` gives the same
    unit a further site (R-FAC-1)."""

    class Meta:
        model = Facility

    class Params:
        n = factory.Sequence(lambda i: 100_000 + i)

    credit_code = factory.LazyAttribute(lambda o: credit_code(o.n))
    name = factory.LazyAttribute(lambda o: f"测试单位{o.n:03d}有限公司")
    town = factory.SubFactory(TownFactory)
    industry_code = "2641"
    industry_name = "涂料制造"
    management_level = "key"

    @classmethod
    def _create(cls, model_class, *args, by=None, source="手工录入", **values):
        facility, _, _ = register_facility(by=by, values=values, source=source)
        return facility


def _years_later(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@contextmanager
def recorded_on(day: date):
    """A record dated after the test's today (a permit issued on 31 May in a test pinned to 10 March, to
    see what the later months show) is set up as if entered on its own day: the services refuse a future
    issue date (issue 14), so for the call they see ``day`` as today."""
    if day <= timezone.localdate():
        yield
        return
    with mock.patch.object(timezone, "localdate", lambda *args, **kwargs: day):
        yield


class PermitFactory(factory.django.DjangoModelFactory):
    """A five-year permit issued through ``issue_permit``, with its first-application event.

    Give ``issued_on`` or ``valid_until`` and the other follows (five years less a day); give
    neither and it runs from 2024-01-10 to 2029-01-09. It is valid from its issue unless
    ``valid_from`` says otherwise. Its level follows the facility's; a registered unit is asked for a
    simplified one, which ``issue_permit`` refuses (R-FAC-3): set the facility's level first. Its
    document number is 发证〔year〕number.
    """

    class Meta:
        model = Permit

    facility = factory.SubFactory(FacilityFactory)
    number = factory.Sequence(lambda i: f"91310107TEST{i:06d}001P")
    management_level = factory.LazyAttribute(
        lambda o: "key" if o.facility.management_level == "key" else "simplified"
    )
    issued_on = None
    valid_from = None
    valid_until = None
    report_frequency = "quarterly"
    document_no = None

    @classmethod
    def _create(cls, model_class, *args, by=None, issued_on, valid_from, valid_until, document_no, **values):
        if issued_on is None and valid_until is None:
            issued_on = date(2024, 1, 10)
        if valid_until is None:
            valid_until = _years_later(issued_on, 5) - timedelta(days=1)
        if issued_on is None:
            issued_on = _years_later(valid_until + timedelta(days=1), -5)
        if document_no is None:
            document_no = f"发证〔{issued_on:%Y}〕{values['number']}"
        with recorded_on(issued_on):
            return issue_permit(
                by=by,
                issued_on=issued_on,
                valid_from=valid_from or issued_on,
                valid_until=valid_until,
                document_no=document_no,
                **values,
            )


class PermitEventFactory(factory.django.DjangoModelFactory):
    """An event of a permit (变更, 延续, 注销, 撤销, 吊销 …) recorded through ``record_permit_event``."""

    class Meta:
        model = PermitEvent

    permit = factory.SubFactory(PermitFactory)
    kind = PermitEventKind.CHANGE
    occurred_on = factory.LazyFunction(lambda: timezone.localdate())  # looked up per call: the pinned day applies

    @classmethod
    def _create(cls, model_class, *args, by=None, **values):
        return record_permit_event(by=by, **values)


class RegistrationFactory(factory.django.DjangoModelFactory):
    """The 排污登记 of a registered unit, recorded through ``record_registration``."""

    class Meta:
        model = Registration

    facility = factory.SubFactory(FacilityFactory, management_level="registered")
    receipt_no = factory.Sequence(lambda i: f"REG-TEST-{i:06d}")
    registered_on = date(2024, 1, 10)

    @classmethod
    def _create(cls, model_class, *args, by=None, **values):
        return record_registration(by=by, **values)


class QualityCheckFactory(factory.django.DjangoModelFactory):
    """A 核发质量检查 recorded through ``record_quality_check``, with ``findings`` findings (问题1,
    问题2 …), each a rectification item due ``deadline_workdays`` working days after the check.
    The findings take their categories from ``categories`` in turn."""

    class Meta:
        model = QualityCheck

    by = factory.LazyFunction(lambda: StaffFactory(section_code=SectionCode.APPROVAL).user)
    facility = factory.SubFactory(FacilityFactory)
    permit = None
    checked_on = factory.LazyFunction(lambda: timezone.localdate())  # looked up per call: the pinned day applies
    method = "on_site"
    selection = "random"
    summary = "检查发现问题"
    findings = 1
    categories = ("level_lowered", "discharge_mismatch")
    deadline_workdays = 5
    responsible_person = "王整改"
    responsible_phone = "13900000000"

    @classmethod
    def _create(
        cls,
        model_class,
        *args,
        findings,
        categories,
        deadline_workdays,
        responsible_person,
        responsible_phone,
        **values,
    ):
        ensure_calendar()
        return record_quality_check(
            findings=[
                Finding(
                    category=categories[i % len(categories)],
                    description=f"问题{i + 1}",
                    deadline_workdays=deadline_workdays,
                    responsible_person=responsible_person,
                    responsible_phone=responsible_phone,
                )
                for i in range(findings)
            ],
            **values,
        )


def build_rich_facility(*, town, by, n: int = 900) -> Facility:
    """A facility with three permits (events, outlets, limits), a registration, five quality checks
    with eleven findings each (55 items, some overdue), progress notes and a long change history."""
    today = timezone.localdate()
    facility = FacilityFactory(n=n, town=town, name="富源涂料有限公司")
    permits = []
    for index, valid_until in enumerate(
        [today + timedelta(days=30), today + timedelta(days=800), today - timedelta(days=20)]
    ):
        permit = PermitFactory(
            facility=facility, number=f"913101070000{n}{index}P", valid_until=valid_until, by=by
        )
        PermitEventFactory(
            by=by,
            permit=permit,
            kind=PermitEventKind.CHANGE,
            occurred_on=permit.issued_on + timedelta(days=30),
            document_no=f"普环许变〔2024〕{index}号",
            note="变更法定代表人",
        )
        for number in range(1, 4):
            outlet = add_outlet(
                by=by, permit=permit, code=f"DA00{number}", kind="gas", name=f"{number}号排气筒"
            )
            for pollutant in ("颗粒物", "二氧化硫", "氮氧化物"):
                set_emission_limit(
                    by=by,
                    outlet=outlet,
                    pollutant=pollutant,
                    concentration=Decimal("20.5"),
                    unit="mg/m³",
                    annual_quantity=Decimal("1.25"),
                )
        permits.append(permit)
    # Its 排污登记 from before it needed a permit: expired, so it does not hold the level (R-FAC-3).
    RegistrationFactory(
        by=by,
        facility=facility,
        receipt_no=f"REG{n}",
        registered_on=today - timedelta(days=2400),
        valid_until=today - timedelta(days=1900),
    )
    # Four checks two months ago whose items are overdue, one yesterday whose items are not.
    checks = [
        QualityCheckFactory(
            by=by,
            facility=facility,
            checked_on=today - timedelta(days=60 - i),
            findings=11,
            permit=permits[0],
        )
        for i in range(4)
    ]
    checks.append(
        QualityCheckFactory(
            by=by, facility=facility, checked_on=today - timedelta(days=1), findings=11, deadline_workdays=20
        )
    )
    for item in checks[0].items.all()[:5]:
        note_rectification_progress(by=by, item=item, noted_on=today, note="已制定整改方案")
    for i in range(55):
        update_facility(facility=facility, by=by, changes={"contact_phone": f"021-6000{i:04d}"})
    return facility
