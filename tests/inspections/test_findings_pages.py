"""检查发现问题 (R-INS-7, R-INS-8): the list with its filters and budget, who reads it, and 发起三监联动
on a finding (R-LNK-1) for 执法大队."""

from datetime import date

import pytest
from django.urls import reverse

from inspections.models import Finding
from linkage.models import LinkageTask
from tests.factories.inspections import NONCOMPLIANT_RECTIFY, add_photo, signed, start

pytestmark = pytest.mark.today(date(2026, 6, 15))

LIST = reverse("inspections:finding-list")

ON_THE_SPOT = {
    "verdict": "noncompliant",
    "note": "自行监测记录缺页，现场补齐",
    "finding_kind": "self_monitoring",
    "disposition": "on_the_spot",
}
CASE = {
    "verdict": "noncompliant",
    "note": "废气排放口颗粒物超许可浓度",
    "finding_kind": "permit_violation",
    "disposition": "case",
}


def page_of(response) -> str:
    return response.content.decode()


def kinds(response) -> list[str]:
    return sorted(f.kind for f in response.context["page"].object_list)


@pytest.fixture
def record(facility, officers):
    """A signed record with three findings: on the ledger, fixed on the spot (with its photo), a case."""
    inspection = start(facility, officers)
    add_photo(inspection, officers[0], code="三.1")
    return signed(inspection, officers, 二_3=NONCOMPLIANT_RECTIFY, 三_1=ON_THE_SPOT, 二_5=CASE)


@pytest.mark.parametrize("persona", ["officer", "legal_clerk", "leader", "approval_clerk", "administrator"])
def test_r_ins_7_every_section_reads_the_findings(client, record, persona, request):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(LIST)
    assert response.status_code == 200
    assert kinds(response) == ["other_duties", "permit_violation", "self_monitoring"]
    page = page_of(response)
    assert "违反排污许可证行为" in page and "立整立改" in page and "data-ledger" in page


def test_cases_are_linked_only_for_those_who_read_cases(client, record, legal_clerk, approval_clerk):
    client.force_login(legal_clerk)
    assert "data-case" in page_of(client.get(LIST))
    client.force_login(approval_clerk)
    page = page_of(client.get(LIST))
    assert "data-case" not in page and "案件 AJ-2026-0001" in page


def test_r_org_3_towns_have_no_findings_list(client, record, town_a_liaison):
    client.force_login(town_a_liaison)
    assert client.get(LIST).status_code == 403


def test_r_ins_7_r_ins_8_filters(client, record, leader):
    client.force_login(leader)
    assert kinds(client.get(LIST, {"kind": "self_monitoring"})) == ["self_monitoring"]
    assert kinds(client.get(LIST, {"disposition": "rectification"})) == ["other_duties"]
    assert kinds(client.get(LIST, {"state": "closed"})) == ["self_monitoring"]
    assert kinds(client.get(LIST, {"q": record.number})) == [
        "other_duties",
        "permit_violation",
        "self_monitoring",
    ]
    assert kinds(client.get(LIST, {"date_from": "2026-06-16"})) == []


def test_finding_list_costs_fixed_queries(
    client, record, facility, officers, leader, django_assert_num_queries
):
    signed(start(facility, officers), officers, 二_3=NONCOMPLIANT_RECTIFY, 二_5=CASE)
    client.force_login(leader)
    # Expect 4 queries: session, user with staff, the page's count, the page of findings with their
    # inspection, facility, point, ledger item, case and task.
    with django_assert_num_queries(4):
        response = client.get(LIST)
    assert len(response.context["page"].object_list) == 5


# 发起三监联动 (R-LNK-1) -------------------------------------------------------------------------------


def task_url(finding):
    return reverse("inspections:finding-task", args=[finding.pk])


def test_r_lnk_1_the_brigade_starts_a_task_from_a_finding(client, record, officer, enforcement_head):
    finding = Finding.objects.get(answer__point__code="二.3")
    client.force_login(officer)
    response = client.get(task_url(finding))
    form = response.context["form"]
    assert (
        "危废贮存间未设置防渗漏措施" in form.initial["description"]
        and record.number in form.initial["description"]
    )
    response = client.post(
        task_url(finding),
        {
            "receivers": ["pollution"],
            "description": form.initial["description"],
            "handler": officer.pk,
            "head": enforcement_head.pk,
            "started_on": "2026-06-15",
            "deadline_workdays": 10,
        },
    )
    task = LinkageTask.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "linkage:task-detail", args=[task.pk]
    )
    finding.refresh_from_db()
    assert finding.linkage_task == task
    assert "data-task" in page_of(client.get(reverse("inspections:inspection-detail", args=[record.pk])))


def test_r_lnk_1_task_form_refusals_in_chinese(client, record, officer, enforcement_head):
    finding = Finding.objects.get(answer__point__code="二.3")
    client.force_login(officer)
    response = client.post(
        task_url(finding), {"description": "  ", "handler": officer.pk, "head": enforcement_head.pk}
    )
    page = page_of(response)
    assert response.status_code == 400
    assert "请至少选择一个接收部门。" in page and "请填写问题描述。" in page
    assert not LinkageTask.objects.exists()


@pytest.mark.parametrize("persona", ["legal_clerk", "leader", "administrator"])
def test_r_lnk_1_only_the_brigade_starts_tasks_from_findings(client, record, persona, request):
    finding = Finding.objects.get(answer__point__code="二.3")
    client.force_login(request.getfixturevalue(persona))
    assert client.get(task_url(finding)).status_code == 403
    assert client.post(task_url(finding), {"receivers": ["pollution"]}).status_code == 403
    assert not LinkageTask.objects.exists()
