"""The organisation (towns, staff) and the work calendar, written through ``bureau.services`` as in
production."""

import factory

from bureau import services
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
    """Deadlines count working days (R-CAL-1): the years around today that chinese-calendar knows
    count by it with nothing in the table; a year it does not know is not confirmed, so its deadlines
    are provisional (weekends alone), as in production. Nothing needs entering: no year blocks work."""
