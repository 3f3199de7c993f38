"""R-LNK-3, R-LNK-6: the last two departments feeding back at the same moment never leave a task
stuck. Before the fix, each feedback decided "everyone has fed back" from its own snapshot, so the
task stayed 办理中 with every department 已反馈, 销号 was refused with an empty list, and no reminder
fired (24 of 30 races on PostgreSQL).

SQLite serialises writers and cannot race, so the test runs only on PostgreSQL (the CI run with
DATABASE_URL set); on SQLite it is deselected (tests/conftest.py), and .ci/run checks it ran.
"""

import threading
from datetime import date

import pytest
from django.db import connection

from linkage.models import LinkageTask, TaskState
from linkage.services.tasks import close_task, feed_back_task, receive_task
from tests.factories.linkage import LinkageTaskFactory

DAY = date(2025, 9, 30)
RACES = 20
RECEIVERS = ("enforcement", "pollution")

pytestmark = [
    pytest.mark.today(date(2025, 10, 20)),
    pytest.mark.postgresql,
]


def _received_task(personas, heads):
    task = LinkageTaskFactory(
        by=personas["monitoring"],
        initiator="monitoring",
        receivers=RECEIVERS,
        head=heads["monitoring"],
        started_on=DAY,
    )
    for code in RECEIVERS:
        receive_task(
            by=personas[code],
            task=task,
            execution="已现场检查",
            handler=personas[code],
            head=heads[code],
            executed_on=date(2025, 10, 9),
        )
    return task


@pytest.mark.django_db(transaction=True)
def test_r_lnk_3_the_last_two_feedbacks_racing_leave_every_task_closable(personas, heads):
    # given: twenty tasks, each received by two departments that have not fed back yet
    tasks = [_received_task(personas, heads) for _ in range(RACES)]
    errors = []

    def feed_back(code, task, barrier):
        try:
            barrier.wait()
            feed_back_task(
                by=personas[code],
                task=task,
                result="已查处",
                handler=personas[code],
                head=heads[code],
                fed_back_on=date(2025, 10, 10),
            )
        except Exception as exc:  # noqa: BLE001 - the assertion below shows what went wrong
            errors.append(repr(exc))
        finally:
            connection.close()

    # when: for each task, both departments feed back at the same moment
    for task in tasks:
        barrier = threading.Barrier(len(RECEIVERS))
        threads = [threading.Thread(target=feed_back, args=(code, task, barrier)) for code in RECEIVERS]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    # then: every feedback was kept, every task waits for 销号, and every one can be closed
    assert errors == []
    states = list(LinkageTask.objects.filter(pk__in=[t.pk for t in tasks]).values_list("state", flat=True))
    assert states == [TaskState.AWAITING_CLOSE] * RACES
    for task in tasks:
        close_task(by=personas["monitoring"], task=task, closed_on=date(2025, 10, 11))
    assert set(LinkageTask.objects.values_list("state", flat=True)) == {TaskState.CLOSED}
