"""R-MON-1 pages per role: 生态科 makes and dispatches the plan, 监测站 records sampling, results and the
conclusion, 生态科 follows the lead; towns are refused; every list and detail page has a fixed cost."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from linkage.models import LinkageTask
from monitoring import services
from monitoring.models import MonitoringPlan, MonitoringTask, TaskKind, TaskState
from tests.monitoring.conftest import TODAY, YEAR

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("work_calendar"), pytest.mark.today(TODAY)]
PLANS = reverse("monitoring:plan-list")
TASKS = reverse("monitoring:task-list")
PLAN = reverse("monitoring:plan-detail", args=[YEAR])


@pytest.fixture
def dispatched(registry, ecology_clerk):
    plan = services.make_plan(by=ecology_clerk, year=YEAR)
    return services.dispatch_plan(by=ecology_clerk, plan=plan, due_on=date(2026, 11, 30))


@pytest.fixture
def task(dispatched, registry, outlet):
    return MonitoringTask.objects.get(plan=dispatched, facility=registry["key"][0], kind=TaskKind.ENFORCEMENT)


def detail(task):
    return reverse("monitoring:task-detail", args=[task.pk])


def test_r_mon_1_ecology_makes_and_dispatches_the_plan(client, registry, ecology_clerk):
    client.force_login(ecology_clerk)
    assert 'data-form="plan-make"' in client.get(PLANS).content.decode()
    response = client.post(reverse("monitoring:plan-make"), {"year": YEAR})
    assert response.status_code == 302 and response.url == PLAN
    plan = MonitoringPlan.objects.get()
    page = client.get(PLAN).content.decode()
    assert plan.commitment in page and plan.pool_hash in page
    assert plan.seed not in page  # the seed is shown once the plan is dispatched
    assert (
        client.post(reverse("monitoring:plan-dispatch", args=[YEAR]), {"due_on": "2026-01-01"}).status_code
        == 400
    )
    response = client.post(reverse("monitoring:plan-dispatch", args=[YEAR]), {"due_on": "2026-11-30"})
    assert response.status_code == 302
    page = client.get(PLAN).content.decode()
    assert plan.seed in page and 'data-form="plan-dispatch"' not in page
    # Made again once dispatched: refused with the reason, nothing changed.
    response = client.post(reverse("monitoring:plan-make"), {"year": YEAR})
    assert response.status_code == 409 and "已下达" in response.content.decode()


@pytest.mark.parametrize("who", ["monitoring_clerk", "officer", "leader"])
def test_r_mon_1_others_read_the_plan_but_do_not_make_it(request, client, dispatched, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(PLAN).status_code == 200
    assert 'data-form="plan-make"' not in client.get(PLANS).content.decode()
    assert client.post(reverse("monitoring:plan-make"), {"year": YEAR}).status_code == 403
    dispatch = reverse("monitoring:plan-dispatch", args=[YEAR])
    assert client.post(dispatch, {"due_on": "2026-11-30"}).status_code == 403
    assert client.get(reverse("monitoring:task-new")).status_code == 403


def test_r_org_3_towns_do_not_see_monitoring(client, task, town_a_liaison):
    client.force_login(town_a_liaison)
    for url in (PLANS, PLAN, TASKS, detail(task)):
        assert client.get(url).status_code == 403


def test_anonymous_is_sent_to_log_in(client, task):
    assert client.get(detail(task)).status_code == 302


def test_task_list_filters_and_costs_fixed_queries(
    client, dispatched, ecology_clerk, town_a, django_assert_num_queries
):
    client.force_login(ecology_clerk)
    # Expect 5 queries: session, user with staff, the towns of the filter, the page's count, the page
    # of tasks with facility, town and lead.
    with django_assert_num_queries(5):
        response = client.get(TASKS)
    assert len(response.context["page"].object_list) == MonitoringTask.objects.count() == 9
    # Expect 6 queries: the same, and the chosen town looked up by the filter form.
    with django_assert_num_queries(6):
        response = client.get(TASKS, {"town": town_a.pk, "kind": "enforcement", "state": "dispatched"})
    rows = response.context["page"].object_list
    assert rows and {(t.facility.town_id, t.kind) for t in rows} == {(town_a.pk, "enforcement")}
    assert not client.get(TASKS, {"overdue": "on"}).context["page"].object_list


def test_station_sees_its_open_queue_first(client, dispatched, registry, monitoring_clerk, ecology_clerk):
    first = MonitoringTask.objects.order_by("sequence").first()
    services.withdraw_task(by=ecology_clerk, task=first, reason="单位已停产")
    client.force_login(monitoring_clerk)
    rows = list(client.get(TASKS).context["page"].object_list)
    assert rows[-1].pk == first.pk and all(t.state == TaskState.DISPATCHED for t in rows[:-1])


def test_plan_pages_cost_fixed_queries(client, dispatched, leader, django_assert_num_queries):
    client.force_login(leader)
    # Expect 3 queries: session, user with staff, the plans with their counts.
    with django_assert_num_queries(3):
        assert client.get(PLANS).status_code == 200
    # Expect 3 queries: session, user with staff, the plan with its counts and people.
    with django_assert_num_queries(3):
        assert client.get(PLAN).status_code == 200


def test_r_mon_1_station_records_and_concludes_and_ecology_follows_the_lead(
    client, task, outlet, monitoring_clerk, ecology_clerk, django_assert_num_queries
):
    client.force_login(monitoring_clerk)
    # Expect 7 queries: session, user with staff, the task with facility/town/outlet/plan/people, its
    # results, its staff, the facility's outlets and 监测站's members for the sampling form.
    with django_assert_num_queries(7):
        page = client.get(detail(task))
    assert 'data-form="sampling"' in page.content.decode()
    response = client.post(
        reverse("monitoring:task-sampling", args=[task.pk]),
        {"sampled_on": "2026-06-16", "outlet": outlet.pk, "staff": [monitoring_clerk.pk]},
    )
    assert response.status_code == 400 and "采样日期不能晚于今天" in response.content.decode()
    response = client.post(
        reverse("monitoring:task-sampling", args=[task.pk]),
        {"sampled_on": "2026-06-15", "outlet": outlet.pk, "staff": [monitoring_clerk.pk], "note": "正常生产"},
    )
    assert response.status_code == 302
    result_url = reverse("monitoring:task-result", args=[task.pk])
    response = client.post(result_url, {"pollutant": "二氧化硫", "measured": "80", "unit": "mg/L"})
    assert response.status_code == 400 and "不一致" in response.content.decode()
    assert (
        client.post(result_url, {"pollutant": "二氧化硫", "measured": "80", "unit": "mg/m³"}).status_code
        == 302
    )
    assert client.post(result_url, {"pollutant": "氨", "measured": "3", "unit": "mg/m³"}).status_code == 302
    page = client.get(detail(task)).content.decode()
    assert "超标 0.60 倍" in page and services.NO_LIMIT in page
    response = client.post(reverse("monitoring:task-conclude", args=[task.pk]), {"conclusion": ""})
    assert response.status_code == 400 and "请选择结论" in response.content.decode()
    response = client.post(reverse("monitoring:task-conclude", args=[task.pk]), {"conclusion": "compliant"})
    assert response.status_code == 400 and "结论不能为达标" in response.content.decode()
    response = client.post(reverse("monitoring:task-conclude", args=[task.pk]), {"conclusion": "exceeded"})
    lead = LinkageTask.objects.get()
    assert response.status_code == 302
    # 生态科 follows it: the lead's number and link.
    client.force_login(ecology_clerk)
    with django_assert_num_queries(5):  # session, user, the task, its results, its staff
        page = client.get(detail(task)).content.decode()
    assert lead.number in page and reverse("linkage:task-detail", args=[lead.pk]) in page
    assert 'data-form="conclude"' not in page


def test_only_the_station_posts_results(client, task, outlet, officer, ecology_clerk):
    for user in (officer, ecology_clerk):
        client.force_login(user)
        url = reverse("monitoring:task-sampling", args=[task.pk])
        assert client.post(url, {"sampled_on": "2026-06-15", "outlet": outlet.pk}).status_code == 403
    assert MonitoringTask.objects.get(pk=task.pk).sampled_on is None


def test_ecology_adds_a_task(client, registry, ecology_clerk):
    client.force_login(ecology_clerk)
    url = reverse("monitoring:task-new")
    assert client.get(url).status_code == 200
    facility = registry["simplified"][0]
    response = client.post(url, {"facility": "X", "kind": "enforcement", "due_on": "2026-07-01"})
    assert response.status_code == 400 and "请选择排污单位" in response.content.decode()
    response = client.post(
        url, {"facility": facility.source_code, "kind": "enforcement", "due_on": "2026-07-01"}
    )
    task = MonitoringTask.objects.get()
    assert response.status_code == 302 and response.url == detail(task)
    assert task.facility == facility


def test_results_recorded_as_decimal(client, task, outlet, monitoring_clerk):
    services.record_sampling(
        by=monitoring_clerk, task=task, sampled_on=TODAY, outlet=outlet, staff=[monitoring_clerk]
    )
    client.force_login(monitoring_clerk)
    client.post(
        reverse("monitoring:task-result", args=[task.pk]),
        {"pollutant": "二氧化硫", "measured": "12.345", "unit": "mg/m³"},
    )
    assert task.results.get().measured == Decimal("12.345")
