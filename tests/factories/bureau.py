"""The organisation (towns, staff) and the work calendar, written through ``bureau.services`` as in
production."""

import factory
from django.utils import timezone

from bureau import calendar, services
from bureau.models import Role, SectionCode, Staff, Town

PASSWORD = "Test@2025-pass"


class TownFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Town

    code = factory.Sequence(lambda n: f"TT{n:03d}")
    name = factory.Sequence(lambda n: f"测试{n}镇")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return services.create_town(**kwargs)


class StaffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Staff

    username = factory.Sequence(lambda n: f"user{n}")
    section_code = SectionCode.APPROVAL
    role = Role.HANDLER
    full_name = factory.Sequence(lambda n: f"测试人员{n}")
    town = None
    certificate_no = ""

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return services.create_staff(password=PASSWORD, **kwargs)


def ensure_calendar() -> None:
    """Deadlines count working days (R-CAL-1): the years around today that chinese-calendar knows are
    in the table and confirmed, as the administrator would have them. A year the package does not
    know stays unconfirmed, so its deadlines are provisional (weekends alone), as in production."""
    today = timezone.localdate()
    for year in (today.year - 1, today.year, today.year + 1):
        if calendar.package_knows(year) and not calendar.is_confirmed(year):
            services.seed_calendar_year(year=year)
            services.confirm_calendar_year(year=year, by=None, source="chinese-calendar")
