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
    _verified_and_refused(today, facilities, officer, head)


def _verified_and_refused(today: date, facilities, officer, head) -> None:
    """A referral from above, verified and closed with the unit refusing to rectify: what the annual
    grading reads as 不合格 (R-GRD-2, ``complaints.queries.verified_refusals``)."""
    referral = complaints.receive_complaint(
        by=officer,
        channel="assigned",
        received_on=today - timedelta(days=30),
        content="市局交办：群众反映该厂废气处理设施长期停运。",
        facility=facilities[3] if len(facilities) > 3 else None,
        reporter=complaints.ReporterInput(name="李秀英", phone="13611112222"),
    )
    complaints.assign_complaint_handler(by=head, complaint=referral, handler=officer)
    complaints.answer_complaint(
        by=officer,
        complaint=referral,
        investigation="现场检查时废气处理设施未运行，企业称检修。",
        is_substantiated=True,
        answer="经查属实，已责令限期整改并依法查处。",
        answered_on=today - timedelta(days=20),
    )
    complaints.close_complaint(
        by=officer,
        complaint=referral,
        closed_on=today - timedelta(days=6),
        rectification="refused" if referral.facility_id else "rectified",
    )
