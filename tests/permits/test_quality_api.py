"""/api/v1/quality-checks/: 核发质量检查 with its findings, each a rectification item whose deadline
counts working days (R-PER-3, R-CAL-1), kept by 审批科 (R-ORG-2), read within a town's jurisdiction
(R-ORG-3). Data is made through the services."""

from datetime import date

import pytest
from django.core.management import call_command

from permits.models import QualityCheck, RectificationItem
from permits.services.quality import NOTHING_RECORDED
from tests.factories.permits import FacilityFactory, PermitFactory, QualityCheckFactory

TODAY = date(2026, 3, 2)  # every test runs on it: the API defaults to it and computes overdue flags on it
pytestmark = [pytest.mark.django_db, pytest.mark.today(TODAY)]

CHECKS = "/api/v1/quality-checks/"
MISSING = 999_999
KEPT_BY_APPROVAL = "该信息由行政审批服务科维护，您所在的科室只能查看，不能修改。"


def as_user(api_client, user):
    api_client.force_authenticate(user)
    return api_client


@pytest.fixture
def paint_works(town_a):
    facility = FacilityFactory(n=1, town=town_a, name="甲镇涂料有限公司")
    return facility, PermitFactory(facility=facility, number="P-PAINT")


def finding(**values):
    return {
        "category": "discharge_mismatch",
        "description": "实际排放口多于许可",
        "deadline_workdays": 5,
        "responsible_person": "王厂长",
        "responsible_phone": "13800000000",
        **values,
    }


def body(facility, /, **values):
    return {
        "facility": facility.pk,
        "checked_on": "2025-09-30",
        "method": "on_site",
        "selection": "targeted",
        "summary": "核查管理类别与排放口",
        "findings": [finding()],
        **values,
    }


# Recording a check ---------------------------------------------------------------------------------


def test_r_per_3_approval_posts_a_check_and_each_finding_becomes_an_item(
    api_client, approval_clerk, paint_works
):
    facility, permit = paint_works
    # when
    response = as_user(api_client, approval_clerk).post(
        CHECKS,
        body(
            facility,
            permit=permit.pk,
            findings=[
                finding(category="level_lowered", description="按简化管理申领", deadline_workdays=20),
                finding(responsible_phone=""),
            ],
        ),
        format="json",
    )
    # then
    assert response.status_code == 201, response.content
    check = QualityCheck.objects.get()
    data = response.json()
    assert {key: value for key, value in data.items() if key != "findings"} == {
        "id": check.pk,
        "facility": facility.pk,
        "facility_name": "甲镇涂料有限公司",
        "town": "甲镇",
        "permit": permit.pk,
        "permit_number": "P-PAINT",
        "checked_on": "2025-09-30",
        "checked_by_name": approval_clerk.display_name,
        "method": "on_site",
        "method_display": "现场核查",
        "selection": "targeted",
        "selection_display": "靶向核查",
        "summary": "核查管理类别与排放口",
    }
    # the findings in the order of their deadlines, as the ledger lists them
    items = list(check.items.all())
    assert data["findings"] == [
        {
            "id": items[0].pk,
            "category": "discharge_mismatch",
            "category_display": "实际排放与许可不符",
            "description": "实际排放口多于许可",
            "deadline_workdays": 5,
            "deadline_on": "2025-10-14",
            "deadline_provisional": False,
            "responsible_person": "王厂长",
            "responsible_phone": "",
            "closed_on": None,
            "is_overdue": True,
        },
        {
            "id": items[1].pk,
            "category": "level_lowered",
            "category_display": "违规降低管理级别",
            "description": "按简化管理申领",
            "deadline_workdays": 20,
            "deadline_on": "2025-11-04",
            "deadline_provisional": False,
            "responsible_person": "王厂长",
            "responsible_phone": "13800000000",
            "closed_on": None,
            "is_overdue": True,
        },
    ]
    assert check.checked_by == approval_clerk
    assert RectificationItem.objects.filter(facility=facility).count() == 2


def test_r_cal_1_five_working_days_from_2025_09_30_end_on_2025_10_14(api_client, approval_clerk, paint_works):
    facility, _ = paint_works
    response = as_user(api_client, approval_clerk).post(CHECKS, body(facility), format="json")
    assert response.json()["findings"][0]["deadline_on"] == "2025-10-14"
    assert RectificationItem.objects.get().deadline_on == date(2025, 10, 14)


def test_r_per_3_a_check_that_found_nothing_needs_no_findings(api_client, approval_clerk, paint_works):
    facility, _ = paint_works
    response = as_user(api_client, approval_clerk).post(
        CHECKS,
        {"facility": facility.pk, "method": "off_site", "selection": "random", "summary": "未发现问题"},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["findings"] == [] and response.json()["permit"] is None
    assert response.json()["checked_on"] == TODAY.isoformat()  # defaults to today


def test_r_per_3_the_administrator_records_a_check(api_client, administrator, paint_works):
    facility, _ = paint_works
    response = as_user(api_client, administrator).post(CHECKS, body(facility), format="json")
    assert response.status_code == 201
    assert QualityCheck.objects.get().checked_by == administrator


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"findings": [], "summary": " "}, "findings", NOTHING_RECORDED),
        ({"method": "visit"}, "method", "检查方式应为 on_site（现场核查）或 off_site（非现场核查）。"),
        ({"selection": ""}, "selection", "选取方式应为 random（随机抽查）或 targeted（靶向核查）。"),
        ({"checked_on": "昨天"}, "checked_on", "日期格式错误"),
        ({"facility": MISSING}, "facility", f"未找到编号为 {MISSING} 的排污单位。"),
        ({"permit": MISSING}, "permit", f"未找到编号为 {MISSING} 的排污许可证。"),
        ({"findings": "无"}, "findings", "列表"),
        ({"inspector": "张三"}, "inspector", "没有名为“inspector”的可写字段。"),
        (
            {"findings": [finding(), finding(category="other")]},
            "findings[2].category",
            "问题类别应为应发尽发、应登尽登、违规降低管理级别或实际排放与许可不符之一。",
        ),
        ({"findings": [finding(deadline_workdays=0)]}, "findings[1].deadline_workdays", "1–250 个工作日"),
        (
            {"findings": [finding(deadline_workdays="五")]},
            "findings[1].deadline_workdays",
            "请填写合法的整数值。",
        ),
        (
            {"findings": [finding(), {**finding(), "deadline_workdays": None}]},
            "findings[2].deadline_workdays",
            "该字段不能为 null。",
        ),
        ({"findings": [{"category": "should_issue"}]}, "findings[1].deadline_workdays", "该字段是必填项。"),
        ({"findings": [finding(description=" ")]}, "findings[1].description", "请填写问题描述。"),
        (
            {"findings": [finding(responsible_person="")]},
            "findings[1].responsible_person",
            "请填写整改责任人。",
        ),
        (
            {"findings": [finding(responsible_person="王" * 51)]},
            "findings[1].responsible_person",
            "不能超过 50 个字符",
        ),
        ({"findings": [finding(severity="高")]}, "findings[1].severity", "没有名为“severity”的可写字段。"),
    ],
)
def test_r_per_3_bad_values_answer_400_on_the_field_in_chinese(
    api_client, approval_clerk, paint_works, values, field, message
):
    facility, _ = paint_works
    response = as_user(api_client, approval_clerk).post(CHECKS, body(facility, **values), format="json")
    assert response.status_code == 400
    assert message in " ".join(response.json().get(field, [])), response.json()
    assert not QualityCheck.objects.exists() and not RectificationItem.objects.exists()


def test_r_per_3_a_permit_of_another_facility_answers_400_on_permit(
    api_client, approval_clerk, paint_works, town_b
):
    facility, _ = paint_works
    other = PermitFactory(facility=FacilityFactory(n=2, town=town_b), number="P-OTHER")
    response = as_user(api_client, approval_clerk).post(
        CHECKS, body(facility, permit=other.pk), format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"permit": ["所选许可证不属于该排污单位。"]}


@pytest.mark.parametrize(
    "persona",
    [
        "ecology_clerk",
        "pollution_clerk",
        "legal_clerk",
        "officer",
        "monitoring_clerk",
        "leader",
        "town_a_liaison",
    ],
)
def test_r_org_2_only_the_approval_section_records_checks(request, api_client, paint_works, persona):
    facility, _ = paint_works
    # Refused before the body is read: a bad body gets the same 403.
    for payload in (body(facility), {"findings": "无"}):
        response = as_user(api_client, request.getfixturevalue(persona)).post(CHECKS, payload, format="json")
        assert response.status_code == 403
        assert response.json() == {"detail": KEPT_BY_APPROVAL}
    assert not QualityCheck.objects.exists()


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_checks_are_never_changed_or_deleted(api_client, administrator, paint_works, method):
    facility, _ = paint_works
    QualityCheckFactory(facility=facility, by=administrator, checked_on=date(2026, 2, 2))
    check = QualityCheck.objects.get()
    response = getattr(as_user(api_client, administrator), method)(f"{CHECKS}{check.pk}/", {}, format="json")
    assert response.status_code == 405
    assert QualityCheck.objects.filter(pk=check.pk).exists()


# Reading checks (R-ORG-3) --------------------------------------------------------------------------


@pytest.fixture
def two_towns(town_a, town_b, approval_clerk):
    """One check with two findings in each town."""
    a = FacilityFactory(n=1, town=town_a, name="甲镇涂料有限公司")
    b = FacilityFactory(n=2, town=town_b, name="乙镇造纸有限公司")
    return {
        "a": QualityCheckFactory(facility=a, by=approval_clerk, checked_on=date(2026, 2, 2), findings=2),
        "b": QualityCheckFactory(facility=b, by=approval_clerk, checked_on=date(2026, 2, 3), findings=2),
    }


def test_r_per_3_checks_are_listed_newest_first_with_their_findings(api_client, leader, two_towns):
    response = as_user(api_client, leader).get(CHECKS)
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [row["id"] for row in rows] == [two_towns["b"].pk, two_towns["a"].pk]
    assert [len(row["findings"]) for row in rows] == [2, 2]
    assert rows[1]["facility_name"] == "甲镇涂料有限公司" and rows[1]["permit_number"] is None


def test_checks_filter_by_facility(api_client, approval_clerk, two_towns):
    facility = two_towns["a"].facility_id
    response = as_user(api_client, approval_clerk).get(CHECKS, {"facility": facility})
    assert [row["id"] for row in response.json()["results"]] == [two_towns["a"].pk]


def test_r_org_3_a_town_reads_only_its_own_checks(api_client, town_a_liaison, two_towns):
    client = as_user(api_client, town_a_liaison)
    listed = client.get(CHECKS)
    assert [row["id"] for row in listed.json()["results"]] == [two_towns["a"].pk]
    assert client.get(f"{CHECKS}{two_towns['a'].pk}/").status_code == 200
    foreign = client.get(f"{CHECKS}{two_towns['b'].pk}/")
    missing = client.get(f"{CHECKS}{MISSING}/")
    assert foreign.status_code == missing.status_code == 404
    assert foreign.json() == missing.json() == {"detail": "未找到。"}


def test_check_list_costs_three_queries(
    api_client, approval_clerk, town_a, town_b, django_assert_num_queries
):
    # given: 55 checks of 11 facilities in two towns, with a permit and 2 findings each
    for f in range(11):
        facility = FacilityFactory(n=500 + f, town=town_a if f % 2 else town_b)
        permit = PermitFactory(facility=facility, number=f"P-{f:03d}")
        for day in range(5):
            as_user(api_client, approval_clerk).post(
                CHECKS,
                body(
                    facility, permit=permit.pk, checked_on=f"2026-02-{day + 2:02d}", findings=[finding()] * 2
                ),
                format="json",
            )
    assert QualityCheck.objects.count() == 55
    client = as_user(api_client, approval_clerk)
    # Expect 3 queries: the count; the page of checks joined with facility, town, permit and checker;
    # their findings (one prefetch).
    with django_assert_num_queries(3):
        response = client.get(CHECKS)
    rows = response.json()["results"]
    assert len(rows) == 50 and {row["town"] for row in rows} == {"甲镇", "乙镇"}
    assert all(row["permit_number"] and len(row["findings"]) == 2 for row in rows)


def test_check_detail_costs_two_queries(api_client, town_a_liaison, two_towns, django_assert_num_queries):
    client = as_user(api_client, town_a_liaison)
    # Expect 2 queries: the check joined with facility, town, permit and checker, scoped to the
    # town; its findings.
    with django_assert_num_queries(2):
        response = client.get(f"{CHECKS}{two_towns['a'].pk}/")
    assert len(response.json()["findings"]) == 2


def test_openapi_schema_documents_quality_checks(tmp_path):
    target = tmp_path / "schema.yml"
    call_command("spectacular", "--fail-on-warn", "--urlconf", "permits.api.urls", "--file", str(target))
    schema = target.read_text(encoding="utf-8")
    assert "/quality-checks/:" in schema and "/quality-checks/{id}/:" in schema
    assert "summary: 登记核发质量检查" in schema
