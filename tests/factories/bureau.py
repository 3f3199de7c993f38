"""The organisation (towns, staff) and the work calendar, written through ``bureau.services`` as in
production."""

import factory
from django.utils import timezone

from bureau import calendar, services
from bureau.models import CalendarDay, Role, SectionCode, Staff, Town

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
    """Deadlines count working days (R-CAL-1): make sure the years around today are known even after
    chinese-calendar runs out, so tests on the real day keep working in later years."""
    today = timezone.localdate()
    for year in (today.year - 1, today.year, today.year + 1):
        if not calendar.package_knows(year) and not CalendarDay.objects.filter(date__year=year).exists():
            services.draft_calendar_year(year=year)
