"""Demo summaries for ``seed_demo`` (R-SUM-1), after every other app's demo so they count its records,
written through the services: the month before last prepared by 审批科 and sent on the 2nd of the
next month to the 市生态环境局, and last month's prepared as the monthly job does, waiting to be sent.
Idempotent: a month that has a summary is left alone."""

from datetime import date

from bureau.models import User
from reports import rules, summary
from reports.models import Summary


def seed(*, today: date) -> list[str]:
    """Create what is missing; return what was created, in words."""
    clerk = User.objects.filter(username="approval").first()
    last = rules.previous_month(today)
    earlier = rules.previous_month(date(*last, 1))
    created = []
    if clerk is not None and not Summary.objects.filter(year=earlier[0], month=earlier[1]).exists():
        sent = summary.prepare(year=earlier[0], month=earlier[1], by=clerk, today=today)
        sent_on = min(date(*last, 2), today)
        summary.mark_sent(summary=sent, sent_on=sent_on, sent_to=rules.RECIPIENT, by=clerk, today=today)
        created.append(f"{sent.period_label}工作小结（已报送）")
    if not Summary.objects.filter(year=last[0], month=last[1]).exists():
        draft = summary.prepare(year=last[0], month=last[1], by=None, today=today)
        created.append(f"{draft.period_label}工作小结（待报送）")
    return created
