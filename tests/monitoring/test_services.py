"""R-MON-1 services: the plan (every key holder, ceil(30%) of the simplified pool drawn verifiably),
dispatch by 生态科 only, 监测站's sampling, results and conclusion, and the one lead to 执法大队."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bureau import sampling
from bureau.errors import Conflict
from bureau.todo import todos_for
from linkage.models import LinkageTask, SourceKind
from monitoring import queries, services
from monitoring.models import Basis, MonitoringPlanState, MonitoringTask, TaskKind, TaskState
from tests.factories.permits import FacilityFactory
from tests.monitoring.conftest import TODAY, YEAR

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("work_calendar"), pytest.mark.today(TODAY)]
DUE = date(2026, 11, 30)


@pytest.fixture
def plan(registry, ecology_clerk):
    return services.make_plan(by=ecology_clerk, year=YEAR)


@pytest.fixture
def dispatched(plan, ecology_clerk):
    return services.dispatch_plan(by=ecology_clerk, plan=plan, due_on=DUE)


@pytest.fixture
def task(dispatched, registry, outlet):
    return MonitoringTask.objects.get(plan=dispatched, facility=registry["key"][0], kind=TaskKind.ENFORCEMENT)


@pytest.fixture
def sampled(task, monitoring_clerk, outlet):
    return services.record_sampling(
        by=monitoring_clerk,
        task=task,
        sampled_on=TODAY,
        outlet=outlet,
        staff=[monitoring_clerk],
        note="正常生产",
    )


def codes(tasks):
    return sorted(t.facility.source_code for t in tasks)


def test_r_mon_1_plan_has_every_key_holder_once_and_ceil_30_percent_of_simplified(plan, registry):
    tasks = MonitoringTask.objects.filter(plan=plan).select_related("facility")
    key = [t for t in tasks if t.basis == Basis.KEY_ALL]
    assert codes(key) == sorted(f.source_code for f in registry["key"])
    drawn = [t for t in tasks if t.basis == Basis.SIMPLIFIED_SAMPLE]
    assert len(drawn) == 3 == plan.simplified_sample  # 30% of the 9 drawable, rounded up
    assert set(codes(drawn)) <= {f.source_code for f in registry["simplified"]}  # never closed, never secret
    assert plan.simplified_count == 9 and plan.key_count == 2
    checks = {(t.facility_id, t.kind) for t in tasks if t.kind != TaskKind.ENFORCEMENT}
    assert checks == {
        (registry["key"][0].pk, "self_monitoring"),
        (registry["key"][1].pk, "self_monitoring"),
        (registry["key"][0].pk, "online_equipment"),
        (registry["registered"].pk, "online_equipment"),
    }
    assert {t.state for t in tasks} == {TaskState.PLANNED}


def test_r_mon_1_sample_is_reproducible_from_the_stored_seed_and_pool(plan):
    assert sampling.sha256(plan.pool_text) == plan.pool_hash
    assert sampling.commitment(plan.seed) == plan.commitment
    pool = sampling.parse_pool(plan.pool_text)
    again = {pick.unit for pick in sampling.draw(pool, plan.seed)}
    drawn = set(
        MonitoringTask.objects.filter(plan=plan, basis=Basis.SIMPLIFIED_SAMPLE).values_list(
            "facility__source_code", flat=True
        )
    )
    assert again == drawn == services.verify_plan(plan)


def test_r_mon_1_making_the_plan_again_keeps_its_seed_so_the_sample_cannot_be_redrawn(plan, ecology_clerk):
    drawn = set(
        MonitoringTask.objects.filter(plan=plan, basis=Basis.SIMPLIFIED_SAMPLE).values_list("pk", flat=True)
    )
    again = services.make_plan(by=ecology_clerk, year=YEAR)
    assert (again.seed, again.commitment) == (plan.seed, plan.commitment)
    live = MonitoringTask.objects.filter(plan=plan, basis=Basis.SIMPLIFIED_SAMPLE).exclude(
        state=TaskState.WITHDRAWN
    )
    assert set(live.values_list("pk", flat=True)) == drawn


def test_r_mon_1_making_the_plan_twice_creates_nothing_twice(plan, ecology_clerk):
    first = MonitoringTask.objects.count()
    again = services.make_plan(by=ecology_clerk, year=YEAR)
    assert again.pk == plan.pk
    live = MonitoringTask.objects.exclude(state=TaskState.WITHDRAWN)
    assert live.count() == first
    assert live.filter(basis=Basis.SIMPLIFIED_SAMPLE).count() == 3
    # A unit no longer drawn is withdrawn, not deleted (R-RET-1); none is there twice.
    assert (
        MonitoringTask.objects.count()
        == first + MonitoringTask.objects.filter(state=TaskState.WITHDRAWN).count()
    )
    pairs = list(MonitoringTask.objects.values_list("facility_id", "kind"))
    assert len(pairs) == len(set(pairs))


def test_r_mon_1_plan_refused_once_dispatched(dispatched, ecology_clerk):
    with pytest.raises(Conflict):
        services.make_plan(by=ecology_clerk, year=YEAR)


@pytest.mark.parametrize("who", ["monitoring_clerk", "officer", "approval_clerk", "leader"])
def test_r_mon_1_only_ecology_makes_and_dispatches(request, who, plan):
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        services.make_plan(by=user, year=YEAR)
    with pytest.raises(PermissionDenied):
        services.dispatch_plan(by=user, plan=plan, due_on=DUE)


def test_r_mon_1_dispatch_sends_the_tasks_to_the_station(dispatched, monitoring_clerk, ecology_clerk):
    assert dispatched.state == MonitoringPlanState.DISPATCHED
    tasks = MonitoringTask.objects.filter(plan=dispatched)
    assert {(t.state, t.due_on, t.dispatched_by_id) for t in tasks} == {
        (TaskState.DISPATCHED, DUE, ecology_clerk.pk)
    }
    assert [item.due_on for item in todos_for(monitoring_clerk)] == [DUE]
    with pytest.raises(Conflict):
        services.dispatch_plan(by=ecology_clerk, plan=dispatched, due_on=DUE)


@pytest.mark.parametrize(
    ("due_on", "message"), [(TODAY - timedelta(days=1), "不能早于今天"), (date(2027, 1, 5), "2026 年内")]
)
def test_dispatch_due_date(plan, ecology_clerk, due_on, message):
    with pytest.raises(ValidationError) as error:
        services.dispatch_plan(by=ecology_clerk, plan=plan, due_on=due_on)
    assert message in error.value.message_dict["due_on"][0]


def test_r_mon_1_sampling_validation(task, monitoring_clerk, officer, outlet, foreign_outlet):
    def sample(**changes):
        values = {"sampled_on": TODAY, "outlet": outlet, "staff": [monitoring_clerk], **changes}
        with pytest.raises(ValidationError) as error:
            services.record_sampling(by=monitoring_clerk, task=task, **values)
        return error.value.message_dict

    assert sample(sampled_on=TODAY + timedelta(days=1)) == {"sampled_on": ["采样日期不能晚于今天。"]}
    assert sample(outlet=foreign_outlet) == {"outlet": ["该排放口不属于本任务排污单位的许可证。"]}
    assert "环境监测站在岗人员" in sample(staff=[officer])["staff"][0]
    assert sample(staff=[]) == {"staff": ["请选择采样人员。"]}
    with pytest.raises(PermissionDenied):
        services.record_sampling(
            by=officer, task=task, sampled_on=TODAY, outlet=outlet, staff=[monitoring_clerk]
        )


def test_r_mon_1_result_against_the_permit_limit(sampled, monitoring_clerk):
    over = services.record_result(
        by=monitoring_clerk, task=sampled, pollutant="二氧化硫", measured=Decimal("80"), unit="mg/m3"
    )
    assert (over.limit, over.exceeded, over.times_over) == (Decimal("50"), True, Decimal("0.60"))
    assert over.emission_limit.pollutant == "二氧化硫"
    # A pollutant the permit sets no concentration for: recorded 无许可限值, not compared.
    for pollutant in ("颗粒物", "氮氧化物"):
        free = services.record_result(
            by=monitoring_clerk, task=sampled, pollutant=pollutant, measured=Decimal("999"), unit="mg/m³"
        )
        assert (free.limit, free.exceeded, free.times_over) == (None, False, None)


@pytest.mark.parametrize(
    ("values", "errors"),
    [
        ({"unit": "mg/L"}, {"unit"}),
        ({"measured": Decimal("-1")}, {"measured"}),
        ({"pollutant": " "}, {"pollutant"}),
    ],
)
def test_r_mon_1_result_validation(sampled, monitoring_clerk, values, errors):
    values = {"pollutant": "二氧化硫", "measured": Decimal("10"), "unit": "mg/m³", **values}
    with pytest.raises(ValidationError) as error:
        services.record_result(by=monitoring_clerk, task=sampled, **values)
    assert set(error.value.message_dict) == errors
    assert not sampled.results.exists()


def test_result_needs_the_sampling_first(task, monitoring_clerk):
    with pytest.raises(ValidationError) as error:
        services.record_result(
            by=monitoring_clerk, task=task, pollutant="二氧化硫", measured=Decimal("1"), unit="mg/m³"
        )
    assert "请先登记采样" in error.value.message_dict["pollutant"][0]


def test_r_mon_1_over_the_limit_starts_exactly_one_lead_with_the_figures(
    sampled, monitoring_clerk, ecology_clerk
):
    services.record_result(
        by=monitoring_clerk, task=sampled, pollutant="二氧化硫", measured=Decimal("125.5"), unit="mg/m³"
    )
    task = services.conclude(by=monitoring_clerk, task=sampled, conclusion="exceeded", text="")
    lead = LinkageTask.objects.get()
    assert task.linkage_task == lead and task.state == TaskState.CONCLUDED
    assert (lead.initiator.code, lead.source_kind, lead.source_key) == (
        "ecology",
        SourceKind.MONITORING_ANOMALY,
        task.source_key,
    )
    assert lead.started_by_system
    assert list(lead.assignments.values_list("section__code", flat=True)) == ["enforcement"]
    for figure in (
        "二氧化硫",
        "125.5 mg/m³",
        "许可排放浓度 50 mg/m³",
        "超标 1.51 倍",
        "DA001",
        "2026-06-15",
        task.number,
    ):
        assert figure in lead.description
    assert any(task.number in item.title and item.is_urgent for item in todos_for(ecology_clerk))
    with pytest.raises(PermissionDenied):
        services.acknowledge_result(by=monitoring_clerk, task=task)
    assert services.acknowledge_result(by=ecology_clerk, task=task)
    assert not any(task.number in item.title for item in todos_for(ecology_clerk))
    # Concluded again, or the lead asked for again: still one.
    with pytest.raises(Conflict):
        services.conclude(by=monitoring_clerk, task=task, conclusion="exceeded", text="")
    assert services.start_lead(task=task, today=TODAY) == lead
    assert LinkageTask.objects.count() == 1


def test_r_mon_1_anomaly_is_a_lead_and_compliant_is_not(dispatched, registry, monitoring_clerk):
    check = MonitoringTask.objects.get(
        plan=dispatched, facility=registry["registered"], kind=TaskKind.ONLINE_EQUIPMENT
    )
    services.conclude(
        by=monitoring_clerk, task=check, conclusion="anomaly", text="在线监测设备停运三天未报告"
    )
    other = MonitoringTask.objects.get(
        plan=dispatched, facility=registry["key"][1], kind=TaskKind.SELF_MONITORING
    )
    services.conclude(by=monitoring_clerk, task=other, conclusion="compliant")
    lead = LinkageTask.objects.get()
    assert "在线监测设备停运三天未报告" in lead.description
    assert MonitoringTask.objects.get(pk=other.pk).linkage_task is None


def test_r_mon_1_compliant_refused_when_a_result_is_over(sampled, monitoring_clerk):
    services.record_result(
        by=monitoring_clerk, task=sampled, pollutant="二氧化硫", measured=Decimal("51"), unit="mg/m³"
    )
    with pytest.raises(ValidationError):
        services.conclude(by=monitoring_clerk, task=sampled, conclusion="compliant")
    assert not LinkageTask.objects.exists()


def test_concluded_task_is_locked(sampled, monitoring_clerk, ecology_clerk, outlet):
    services.record_result(
        by=monitoring_clerk, task=sampled, pollutant="二氧化硫", measured=Decimal("5"), unit="mg/m³"
    )
    task = services.conclude(by=monitoring_clerk, task=sampled, conclusion="compliant")
    with pytest.raises(Conflict):
        services.record_result(
            by=monitoring_clerk, task=task, pollutant="氨", measured=Decimal("1"), unit="mg/m³"
        )
    with pytest.raises(Conflict):
        services.record_sampling(
            by=monitoring_clerk, task=task, sampled_on=TODAY, outlet=outlet, staff=[monitoring_clerk]
        )
    with pytest.raises(Conflict):
        services.withdraw_task(by=ecology_clerk, task=task, reason="重复")


def test_add_and_withdraw_task(registry, ecology_clerk, monitoring_clerk):
    task = services.add_task(
        by=ecology_clerk,
        facility=registry["simplified"][0],
        kind="enforcement",
        due_on=DUE,
        note="群众投诉异味",
    )
    assert (task.basis, task.state, task.plan) == (Basis.ADDED, TaskState.DISPATCHED, None)
    assert any(task.number in item.title for item in todos_for(monitoring_clerk))
    with pytest.raises(ValidationError):
        services.add_task(by=ecology_clerk, facility=registry["closed"], kind="enforcement", due_on=DUE)
    with pytest.raises(PermissionDenied):
        services.add_task(
            by=monitoring_clerk, facility=registry["simplified"][0], kind="enforcement", due_on=DUE
        )
    with pytest.raises(ValidationError):
        services.withdraw_task(by=ecology_clerk, task=task, reason=" ")
    services.withdraw_task(by=ecology_clerk, task=task, reason="单位已停产")
    assert MonitoringTask.objects.get(pk=task.pk).state == TaskState.WITHDRAWN
    assert not any(task.number in item.title for item in todos_for(monitoring_clerk))


def test_overdue_job_is_idempotent(dispatched, ecology_clerk):
    open_tasks = MonitoringTask.objects.filter(plan=dispatched).count()
    assert services.flag_overdue(today=DUE) == 0
    later = DUE + timedelta(days=1)
    assert services.flag_overdue(today=later) == open_tasks
    assert services.flag_overdue(today=later) == open_tasks
    overdue = [
        item for item in todos_for(ecology_clerk, today=later) if item.key.startswith(services.OVERDUE_TODO)
    ]
    assert len(overdue) == open_tasks


def test_plan_progress(sampled, monitoring_clerk, dispatched, registry, django_assert_num_queries, town_a):
    services.record_result(
        by=monitoring_clerk, task=sampled, pollutant="二氧化硫", measured=Decimal("5"), unit="mg/m³"
    )
    services.conclude(by=monitoring_clerk, task=sampled, conclusion="compliant")
    with django_assert_num_queries(1):
        progress = queries.plan_progress(YEAR)
    assert progress == {
        "key_owed": 2,
        "key_done": 1,
        "simplified_owed": 3,
        "simplified_done": 0,
        "checks_owed": 4,
        "checks_done": 0,
    }
    in_town_a = queries.plan_progress(YEAR, town_id=town_a.pk)
    assert (in_town_a["key_owed"], in_town_a["key_done"]) == (1, 1)
    assert queries.plan_progress(YEAR + 1) == dict.fromkeys(progress, 0)


def test_r_mon_1_lead_already_started_is_reused(sampled, monitoring_clerk):
    # given: a lead with this task's source key (a concurrent conclusion that won the race)
    services.record_result(
        by=monitoring_clerk, task=sampled, pollutant="二氧化硫", measured=Decimal("60"), unit="mg/m³"
    )
    first = services.start_lead(task=sampled, today=TODAY)
    MonitoringTask.objects.filter(pk=sampled.pk).update(linkage_task=None)
    # when: the conclusion starts the lead again
    task = services.conclude(by=monitoring_clerk, task=sampled, conclusion="exceeded")
    # then: the same one
    assert task.linkage_task == first and LinkageTask.objects.count() == 1


def test_r_mon_1_plan_without_simplified_holders_draws_nothing(town_a, ecology_clerk):
    FacilityFactory(n=1, town=town_a, management_level="key")
    plan = services.make_plan(by=ecology_clerk, year=YEAR)
    assert (plan.simplified_count, plan.simplified_sample) == (0, 0)
    assert services.verify_plan(plan) == set()
    assert MonitoringTask.objects.filter(plan=plan).count() == 2  # 执法监测 and 自行监测方案检查


def test_r_mon_1_a_seed_that_does_not_match_its_commitment_is_refused(plan):
    plan.seed = "0" * 64
    with pytest.raises(ValidationError) as error:
        services.verify_plan(plan)
    assert "承诺值" in error.value.messages[0]


@pytest.mark.parametrize("year", [YEAR - 1, YEAR + 2])
def test_plan_only_for_this_or_next_year(registry, ecology_clerk, year):
    with pytest.raises(ValidationError) as error:
        services.make_plan(by=ecology_clerk, year=year)
    assert "year" in error.value.message_dict


def test_the_plans_item_leaves_the_stations_list_with_its_last_task(
    dispatched, ecology_clerk, monitoring_clerk
):
    tasks = list(MonitoringTask.objects.filter(plan=dispatched))
    for task in tasks[:-1]:
        services.withdraw_task(by=ecology_clerk, task=task, reason="测试")
    assert [item.key for item in todos_for(monitoring_clerk)] == [
        f"{services.DISPATCHED_TODO}plan:{dispatched.pk}"
    ]
    services.withdraw_task(by=ecology_clerk, task=tasks[-1], reason="测试")
    assert not todos_for(monitoring_clerk).exists()


def test_r_mon_1_a_pollutant_typed_otherwise_is_still_compared_with_the_permit_limit(
    sampled, monitoring_clerk
):
    # 监测站 types the name with a stray space: it is still the permit's 二氧化硫, compared with its limit.
    result = services.record_result(
        by=monitoring_clerk, task=sampled, pollutant=" 二氧化 硫", measured=Decimal("80"), unit="mg/m³"
    )
    assert (result.pollutant, result.limit, result.exceeded) == ("二氧化硫", Decimal("50"), True)
