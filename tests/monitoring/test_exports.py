"""The 执法监测任务 list's Excel export (issue 13): the page's rows under its filters; towns, which do
not see the page, get its 403 for the export too."""

from datetime import date

import pytest
from django.urls import reverse

from monitoring import services
from tests.monitoring.conftest import TODAY, YEAR
from tests.workbooks import column, sheet_rows

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("work_calendar"), pytest.mark.today(TODAY)]

TASKS = reverse("monitoring:task-list")
EXPORT = reverse("monitoring:task-export")


@pytest.fixture
def dispatched(registry, ecology_clerk):
    plan = services.make_plan(by=ecology_clerk, year=YEAR)
    return services.dispatch_plan(by=ecology_clerk, plan=plan, due_on=date(2026, 11, 30))


def test_the_export_holds_the_filtered_tasks_of_the_page(client, dispatched, ecology_clerk, town_a):
    client.force_login(ecology_clerk)
    # given the list filtered to one town's enforcement monitoring
    wanted = {"town": town_a.pk, "kind": "enforcement"}
    listed = [task.number for task in client.get(TASKS, wanted).context["page"].object_list]
    # when exported with the same filters
    rows = sheet_rows(client.get(EXPORT, wanted | {"page": "1"}))
    # then the same tasks, in the same order, with the town and the type in Chinese
    assert column(rows, "任务编号") == listed != []
    assert set(column(rows, "所属街镇")) == {"甲镇"}
    assert set(column(rows, "任务类型")) == {"执法监测"}
    assert {cell.date() for cell in column(rows, "完成期限")} == {date(2026, 11, 30)}


def test_r_org_3_towns_get_the_pages_403_for_the_export(client, dispatched, town_a_liaison):
    client.force_login(town_a_liaison)
    assert client.get(TASKS).status_code == 403
    assert client.get(EXPORT).status_code == 403
