"""Demo complaints for ``seed_demo``, written through the services."""

from datetime import date, timedelta

from django.db import transaction

from bureau.models import User
from complaints import services as complaints
from complaints.models import Complaint
from permits.models import Facility


@transaction.atomic
def seed(*, today: date) -> list[str]:
    """``seed_demo``'s entry (bureau.demo): once, when there is no complaint yet."""
    if Complaint.objects.exists():
        return []
    facilities = list(Facility.objects.exclude(management_level="registered").order_by("id")[:10])
    _complaints(today, facilities)
    return ["信访投诉"]


def _complaints(today: date, facilities) -> None:
    """Complaints from several channels, one of them investigated through a linkage task."""
    officer = User.objects.get(username="enforcement")
    head = User.objects.get(username="enforcement_head")
    hotline = complaints.receive_complaint(
        by=officer,
        channel="12369",
        received_on=today - timedelta(days=12),
        content="夜间厂区排放刺激性气味，影响周边居民休息。",
        facility=facilities[2] if facilities else None,
        reporter=complaints.ReporterInput(name="张建国", phone="13812345678", address="真南路 500 弄 3 号"),
    )
    # 大队长 names the officer as its handler: he then sees the reporter in full (R-CMP-1).
    complaints.assign_complaint_handler(by=head, complaint=hotline, handler=officer)
    complaints.start_task_from_complaint(
        by=officer,
        complaint=hotline,
        receivers=["monitoring"],
        handler=officer,
        head=head,
        started_on=today - timedelta(days=11),
    )
    complaints.receive_complaint(
        by=officer,
        channel="web",
        received_on=today - timedelta(days=4),
        content="河道排口疑似偷排废水。",
        reporter=complaints.ReporterInput(is_anonymous=True, phone="13900001111"),
    )
