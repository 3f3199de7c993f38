"""The monitoring demo (``monitoring.demo``): the demo year's plan dispatched, tasks in each state, one
over-limit result with its lead to 执法大队; a second seed changes nothing."""

from datetime import date

import pytest
from django.core.management import call_command
from django.test import override_settings

from linkage.models import LinkageTask, SourceKind
from monitoring.models import MonitoringPlan, MonitoringTask, TaskState

pytestmark = pytest.mark.today(date(2026, 6, 15))


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_r_mon_1_demo_plan_with_tasks_in_each_state_and_a_lead(db):
    with override_settings(DEBUG=True):
        call_command("seed_demo")
    plan = MonitoringPlan.objects.get()
    assert (plan.year, plan.state) == (2026, "dispatched")
    states = set(MonitoringTask.objects.values_list("state", flat=True))
    assert {TaskState.DISPATCHED, TaskState.SAMPLED, TaskState.CONCLUDED, TaskState.WITHDRAWN} <= states
    over = MonitoringTask.objects.get(conclusion="exceeded")
    assert over.results.filter(exceeded=True).exists()
    lead = LinkageTask.objects.get(source_key=over.source_key)
    assert lead.source_kind == SourceKind.MONITORING_ANOMALY and over.linkage_task == lead
    before = MonitoringTask.objects.count(), LinkageTask.objects.count()
    with override_settings(DEBUG=True):
        call_command("seed_demo")
    assert (MonitoringTask.objects.count(), LinkageTask.objects.count()) == before
