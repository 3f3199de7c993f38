"""Credit ratings of permit holders, recorded by 法制科 (R-CRD-1; 000 四2, 002 二十; R-ORG-2).

Each rating is a ``CreditRecord`` (date, level, source). The latest by date is written onto the
facility (``credit_rating``, ``credit_rated_on``, through ``permits``' service, which keeps that part
of the registry for 法制科), so the facility page shows it and the frequency rules read it (R-INS-4).
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from bureau import history, sections, todo
from bureau.models import Section, User
from grading.models import CreditRecord
from grading.services import positive
from permits.models import CreditRating, Facility
from permits.services.facilities import update_facility

NOT_KEEPER = "信用评价由社区联络科（法制科）记录。"


def may_record(user) -> bool:
    """法制科 keeps credit as it keeps the positive list (R-ORG-2): the same right."""
    return positive.may_keep(user)


@transaction.atomic
def record_rating(
    *,
    by: User,
    facility: Facility,
    rated_on: date | None,
    level: str,
    source: str,
    note: str = "",
    today: date | None = None,
) -> CreditRecord:
    if not may_record(by):
        raise PermissionDenied(NOT_KEEPER)
    today = today or timezone.localdate()
    errors = {}
    if level not in CreditRating.values or not level:
        errors["level"] = "请选择信用等级：环保诚信、环保良好、环保警示或环保不良。"
    if rated_on is None:
        errors["rated_on"] = "请填写评价日期。"
    elif rated_on > today:
        errors["rated_on"] = "评价日期不能晚于今天。"
    if not (source or "").strip():
        errors["source"] = "请填写评价来源（评价机关及文件）。"
    if errors:
        raise ValidationError(errors)
    facility = Facility.objects.select_for_update().get(pk=facility.pk)
    record = CreditRecord(
        facility=facility,
        rated_on=rated_on,
        level=level,
        source=source.strip(),
        note=(note or "").strip(),
        recorded_by=by,
    )
    history.save_checked(record, by=by, reason="记录信用评价")
    latest = CreditRecord.objects.filter(facility=facility).order_by("-rated_on", "-id").first()
    if (facility.credit_rating, facility.credit_rated_on) != (latest.level, latest.rated_on):
        update_facility(
            facility=facility,
            by=by,
            changes={"credit_rating": latest.level, "credit_rated_on": latest.rated_on},
        )
    _ask_about_the_list(facility, latest, today=today)
    return record


def _ask_about_the_list(facility: Facility, latest: CreditRecord, *, today: date) -> None:
    """A unit on the positive list whose latest rating no longer meets the list's credit condition
    (002 二十: the list and credit go together): 法制科 is asked to decide on it."""
    levels = positive.settings_row().credit_level_set
    if not levels or latest.level in levels or facility.pk not in positive.members(today, [facility.pk]):
        return
    todo.add_todo(
        key=f"{positive.CREDIT_TODO}{facility.pk}",
        title=f"{facility.name}信用评价为“{latest.get_level_display()}”，仍在执法正面清单中，请决定是否移出",
        url=reverse("grading:positive-list"),
        section=Section.objects.get(code=sections.LEGAL),
    )
