"""What the demo's parts share: its people, its working days, a checklist's points in order."""

from dataclasses import dataclass
from datetime import date, timedelta

from bureau.calendar import WorkCalendar
from bureau.models import User
from inspections.models import ChecklistPoint, Inspection


@dataclass(frozen=True)
class People:
    chen: User
    zhou: User
    brigade_head: User
    legal: User
    legal_head: User

    @property
    def officers(self) -> list[User]:
        return [self.chen, self.zhou]


def _people() -> People:
    users = {
        u.username: u
        for u in User.objects.filter(
            username__in=["enforcement", "enforcement2", "enforcement_head", "legal", "legal_head"]
        )
    }
    return People(
        users["enforcement"],
        users["enforcement2"],
        users["enforcement_head"],
        users["legal"],
        users["legal_head"],
    )


def _workday(day: date, calendar: WorkCalendar) -> date:
    """The last working day on or before ``day`` (R-CAL-1): officers inspect on working days."""
    while not calendar.is_workday(day):
        day -= timedelta(days=1)
    return day


def _points(inspection: Inspection) -> list[ChecklistPoint]:
    return list(
        ChecklistPoint.objects.filter(version=inspection.checklist_version_id).order_by(
            "part__order", "order"
        )
    )
