"""信访投诉/举报, taken in through ``complaints.services.receive_complaint`` as in production."""

from datetime import timedelta

import factory
from django.utils import timezone

from bureau.models import SectionCode
from complaints.models import Complaint
from complaints.services import ReporterInput, receive_complaint
from tests.factories.bureau import StaffFactory


class ComplaintFactory(factory.django.DjangoModelFactory):
    """A complaint received by ``by`` (left out, a new clerk of 执法大队) by the 12369 hotline three days ago."""

    class Meta:
        model = Complaint

    by = factory.LazyFunction(lambda: StaffFactory(section_code=SectionCode.ENFORCEMENT).user)
    channel = "12369"
    received_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=3))
    content = "夜间偷排黑水，气味刺鼻。"
    reporter = factory.LazyFunction(lambda: ReporterInput(name="李举报", phone="13900000000"))
    facility = None

    @classmethod
    def _create(cls, model_class, *args, **values):
        return receive_complaint(**values)
