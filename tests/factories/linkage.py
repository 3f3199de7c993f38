"""三监联动 tasks, started through ``linkage.services.tasks.start_linkage_task`` as in production."""

import factory
from django.utils import timezone

from bureau.models import Role, SectionCode
from linkage.models import LinkageTask
from linkage.services.tasks import start_linkage_task
from tests.factories.bureau import StaffFactory


class LinkageTaskFactory(factory.django.DjangoModelFactory):
    """A task started by ``by`` (its handler too) and co-signed by ``head``, both of the initiating
    department; left out, a clerk and a head of that department are made for it."""

    class Meta:
        model = LinkageTask

    initiator = SectionCode.MONITORING
    receivers = (SectionCode.ENFORCEMENT,)
    by = factory.LazyAttribute(lambda o: StaffFactory(section_code=o.initiator).user)
    handler = factory.SelfAttribute("by")
    head = factory.LazyAttribute(lambda o: StaffFactory(section_code=o.initiator, role=Role.HEAD).user)
    description = "执法监测发现颗粒物排放浓度超标，请查处并督促整改。"
    started_on = factory.LazyFunction(
        lambda: timezone.localdate()
    )  # looked up per call: the pinned day applies

    @classmethod
    def _create(cls, model_class, *args, receivers, **values):
        return start_linkage_task(receivers=list(receivers), **values)


def anomaly_report(*, by, facility, kind="online_equipment", reported_at=None, **values):
    """A holder's anomaly report entered through ``record_anomaly_report`` as in production."""
    from datetime import timedelta

    from permits.services.anomalies import record_anomaly_report

    reported_at = reported_at or timezone.now().replace(microsecond=0)
    defaults = {
        "description": "在线监测设备数据传输中断",
        "started_at": reported_at - timedelta(hours=3),
        "measures": "已联系运维单位抢修，改为手工监测",
        "channel": "phone",
        "reporter": "环保专员 李工 13800000000",
    }
    return record_anomaly_report(
        by=by, facility=facility, kind=kind, reported_at=reported_at, **(defaults | values)
    )
