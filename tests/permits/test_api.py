"""The registry API (/api/v1/): facilities (R-FAC-1, R-ORG-2, R-ORG-3), permits and their events
(R-PER-1), the rectification ledger (R-PER-3). Data is made through the services."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.serializers import ModelSerializer

from bureau.accounts.tokens import issue as issue_token
from bureau.api_pagination import BoundedCountPaginator
from bureau.models import SectionCode
from permits.api.serializers import FacilitySerializer
from permits.models import Facility, Permit, RectificationItem
from permits.rules import FIELD_OWNERS, SECTION_NAMES
from permits.services.facilities import register_facility
from permits.services.permits import record_permit_event
from permits.services.rectification import close_rectification
from tests.factories.permits import (
    FacilityFactory,
    PermitEventFactory,
    PermitFactory,
    QualityCheckFactory,
    credit_code,
)

# Every test runs on this day: states, expiry and overdue flags are derived from it, and the work
# calendar knows its year.
TODAY = date(2026, 3, 2)
EXPIRING = TODAY + timedelta(days=30)  # inside the 90-day warning window of R-PER-2
pytestmark = [pytest.mark.django_db, pytest.mark.today(TODAY)]

FACILITIES = "/api/v1/facilities/"
PERMITS = "/api/v1/permits/"
RECTIFICATIONS = "/api/v1/rectifications/"
MISSING = 999_999
READ_ONLY_MESSAGE = "分别维护，您所在的科室只能查看，不能修改。"
PERMIT_KEPT_BY_APPROVAL = "该信息由行政审批服务科维护，您所在的科室只能查看，不能修改。"


def as_user(api_client, user):
    api_client.force_authenticate(user)
    return api_client


def names(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["name"] for row in response.json()["results"]}


# Facilities: fields ------------------------------------------------------------------------------------


@pytest.fixture
def paint_works(town_a):
    """A facility with every field filled, in a key industry (涂料制造, 264)."""
    return FacilityFactory(
        n=1,
        town=town_a,
        name="甲化工涂料有限公司",
        address="甲镇工业路 1 号",
        industry_code="2641",
        industry_name="涂料制造",
        management_level="key",
        contact_person="张三",
        contact_phone="13800000000",
        eia_document_no="环审〔2020〕8号",
        status="operating",
        is_key_regulated=True,
        risk_level="moderate",
        has_auto_monitoring=True,
        in_environmental_statistics=True,
        credit_rating="good",
        credit_rated_on=date(2025, 12, 30),
    )


def paint_works_json(facility):
    return {
        "id": facility.pk,
        "source_code": credit_code(1) + "001",
        "credit_code": credit_code(1),
        "site_number": "001",
        "unit_name": "甲化工涂料有限公司",
        "name": "甲化工涂料有限公司",
        "address": "甲镇工业路 1 号",
        "town": "甲镇",
        "industry_code": "2641",
        "industry_name": "涂料制造",
        "management_level": "key",
        "is_key_industry": True,
        "risk_level": "moderate",
        "credit_rating": "good",
        "status": "operating",
        "contact_person": "张三",
        "contact_phone": "13800000000",
        "is_key_regulated": True,
        "has_auto_monitoring": True,
        "in_environmental_statistics": True,
        "credit_rated_on": "2025-12-30",
        "eia_document_no": "环审〔2020〕8号",
    }


def test_facility_list_shows_every_field(api_client, approval_clerk, paint_works):
    response = as_user(api_client, approval_clerk).get(FACILITIES)
    assert response.status_code == 200
    assert response.json()["count"] == 1
    assert response.json()["results"] == [paint_works_json(paint_works)]


def test_facility_detail_shows_every_field(api_client, leader, paint_works):
    response = as_user(api_client, leader).get(f"{FACILITIES}{paint_works.pk}/")
    assert response.status_code == 200
    assert response.json() == paint_works_json(paint_works)


def test_facility_outside_key_industries_is_not_flagged(api_client, approval_clerk, town_a):
    mill = FacilityFactory(n=2, town=town_a, industry_code="1310", industry_name="谷物磨制")
    response = as_user(api_client, approval_clerk).get(f"{FACILITIES}{mill.pk}/")
    assert response.json()["is_key_industry"] is False


def test_api_requires_authentication(api_client, paint_works):
    response = api_client.get(FACILITIES)
    assert response.status_code == 401
    assert "身份认证信息未提供" in response.json()["detail"]


@pytest.mark.parametrize("method", ["put", "delete"])
def test_facilities_are_never_replaced_or_deleted(api_client, administrator, paint_works, method):
    response = getattr(as_user(api_client, administrator), method)(f"{FACILITIES}{paint_works.pk}/", {})
    assert response.status_code == 405
    assert Facility.objects.filter(pk=paint_works.pk).exists()


# Facilities: filters -----------------------------------------------------------------------------------


@pytest.fixture
def registry(town_a, town_b):
    """Six facilities whose permits cover every derived state."""
    valid = FacilityFactory(n=11, town=town_a, name="甲涂料厂", industry_code="2641", management_level="key")
    expiring = FacilityFactory(
        n=12, town=town_b, name="乙造纸厂", industry_code="2221", management_level="simplified"
    )
    expired = FacilityFactory(
        n=13, town=town_b, name="丙电镀厂", industry_code="3360", management_level="simplified"
    )
    revoked = FacilityFactory(
        n=14, town=town_a, name="丁钢铁厂", industry_code="3120", management_level="key"
    )
    cancelled = FacilityFactory(
        n=15, town=town_a, name="戊电厂", industry_code="4411", management_level="key"
    )
    unpermitted = FacilityFactory(
        n=16, town=town_a, name="己面粉厂", industry_code="1310", management_level="registered"
    )
    PermitFactory(facility=valid, number="P-VALID")
    PermitFactory(facility=expiring, number="P-EXPIRING", issued_on=date(2021, 4, 2), valid_until=EXPIRING)
    PermitFactory(
        facility=expired, number="P-EXPIRED", issued_on=date(2020, 12, 31), valid_until=date(2025, 12, 30)
    )
    PermitEventFactory(
        permit=PermitFactory(facility=revoked, number="P-REVOKED"),
        kind="revocation",
        occurred_on=date(2026, 1, 15),
    )
    PermitEventFactory(
        permit=PermitFactory(facility=cancelled, number="P-CANCELLED"),
        kind="cancellation",
        occurred_on=date(2026, 2, 1),
    )
    return {
        "valid": valid,
        "expiring": expiring,
        "expired": expired,
        "revoked": revoked,
        "cancelled": cancelled,
        "unpermitted": unpermitted,
    }


ALL_SIX = {"甲涂料厂", "乙造纸厂", "丙电镀厂", "丁钢铁厂", "戊电厂", "己面粉厂"}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ALL_SIX),
        ({"q": "造纸"}, {"乙造纸厂"}),
        ({"q": credit_code(13)[:18].lower()}, {"丙电镀厂"}),
        ({"q": "  "}, ALL_SIX),
        ({"management_level": "key"}, {"甲涂料厂", "丁钢铁厂", "戊电厂"}),
        ({"management_level": "registered"}, {"己面粉厂"}),
        ({"industry": "26"}, {"甲涂料厂"}),
        ({"industry": "44"}, {"戊电厂"}),
        ({"is_key_industry": "true"}, {"甲涂料厂", "乙造纸厂", "丙电镀厂", "丁钢铁厂", "戊电厂"}),
        ({"is_key_industry": "false"}, {"己面粉厂"}),
        ({"permit_state": "valid"}, {"甲涂料厂", "乙造纸厂"}),
        ({"permit_state": "expired"}, {"丙电镀厂"}),
        ({"permit_state": "revoked"}, {"丁钢铁厂"}),
        ({"permit_state": "cancelled"}, {"戊电厂"}),
        ({"expiring": "true"}, {"乙造纸厂"}),
        ({"expiring": "false"}, ALL_SIX - {"乙造纸厂"}),
        ({"management_level": "key", "permit_state": "valid"}, {"甲涂料厂"}),
    ],
)
def test_facility_filters(api_client, approval_clerk, registry, params, expected):
    response = as_user(api_client, approval_clerk).get(FACILITIES, params)
    assert names(response) == expected


def test_facility_filter_by_town(api_client, approval_clerk, registry, town_b):
    response = as_user(api_client, approval_clerk).get(FACILITIES, {"town": town_b.pk})
    assert names(response) == {"乙造纸厂", "丙电镀厂"}


def test_facility_filter_with_a_bad_value_answers_400_in_chinese(api_client, approval_clerk, registry):
    response = as_user(api_client, approval_clerk).get(FACILITIES, {"management_level": "big"})
    assert response.status_code == 400
    assert "选择一个有效的选项" in response.json()["management_level"][0]


@pytest.mark.parametrize(
    "url, params",
    [
        ("/api/v1/feedback-notices/", {"report": "9" * 25}),
        ("/api/v1/execution-reports/", {"facility": "9" * 25}),
        ("/api/v1/quality-checks/", {"permit": "-1"}),
        ("/api/v1/permits/", {"facility": "0"}),
    ],
)
def test_an_id_filter_that_names_no_record_answers_400_not_500(api_client, approval_clerk, url, params):
    """A number past the id column's range overflowed SQLite's driver (500; found by schemathesis)."""
    response = as_user(api_client, approval_clerk).get(url, params)
    assert response.status_code == 400
    assert list(response.json()) == list(params)


# R-FAC-1: one facility per credit code -----------------------------------------------------------------


def new_facility_body(**overrides):
    return {
        "credit_code": credit_code(21),
        "name": "庚印染有限公司",
        "address": "甲镇纺织路 9 号",
        "town": "甲镇",
        "industry_code": "1713",
        "industry_name": "棉印染精加工",
        "management_level": "simplified",
        "contact_person": "赵六",
        **overrides,
    }


def test_r_fac_1_post_creates_a_facility_with_201(api_client, approval_clerk, town_a):
    response = as_user(api_client, approval_clerk).post(FACILITIES, new_facility_body(), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["credit_code"] == credit_code(21)
    assert body["town"] == "甲镇"
    assert body["management_level"] == "simplified"
    facility = Facility.objects.get(pk=body["id"])
    assert facility.name == "庚印染有限公司"
    assert facility.history.get().history_change_reason == "新建（来源：接口）"
    assert facility.history.get().history_user == approval_clerk


def test_r_fac_1_second_post_with_the_same_code_updates_the_facility(api_client, approval_clerk, town_a):
    # given
    client = as_user(api_client, approval_clerk)
    first = client.post(FACILITIES, new_facility_body(), format="json")
    # when a second source brings the same code, written with a space and in lower case
    code = credit_code(21)
    second = client.post(
        FACILITIES,
        {"credit_code": f" {code[:9]} {code[9:].lower()}", "contact_person": "钱七"},
        format="json",
    )
    # then
    assert first.status_code == 201
    assert second.status_code == 200, second.content
    assert second.json()["id"] == first.json()["id"]
    assert second.json()["contact_person"] == "钱七"
    assert second.json()["name"] == "庚印染有限公司"
    assert Facility.objects.filter(credit_code=code).count() == 1
    assert Facility.objects.count() == 1
    history = Facility.history.filter(credit_code=code).order_by("history_date")
    assert history.count() == 2
    assert [h.history_change_reason for h in history] == ["新建（来源：接口）", "更新（来源：接口）"]


def test_r_fac_1_post_answers_201_or_200_from_the_service_without_counting_facilities(
    api_client, approval_clerk, town_a
):
    # The status is what register_facility did under its row lock; counting the table before and
    # after would be racy (another request's new site) and cost two full counts.
    client = as_user(api_client, approval_clerk)
    with CaptureQueriesContext(connection) as created:
        first = client.post(FACILITIES, new_facility_body(), format="json")
    with CaptureQueriesContext(connection) as updated:
        second = client.post(FACILITIES, {"credit_code": credit_code(21), "contact_person": "钱七"}, format="json")
    assert (first.status_code, second.status_code) == (201, 200)
    sql = [q["sql"] for q in [*created, *updated]]
    assert [q for q in sql if "COUNT(*)" in q and '"permits_facility"' in q] == []


def test_r_fac_1_the_town_may_be_named_by_its_code(api_client, approval_clerk, town_b):
    response = as_user(api_client, approval_clerk).post(
        FACILITIES, new_facility_body(town="TB"), format="json"
    )
    assert response.status_code == 201
    assert response.json()["town"] == "乙镇"


@pytest.mark.parametrize(
    ("code", "message"),
    [
        (credit_code(21)[:17] + ("0" if credit_code(21)[17] != "0" else "1"), "统一社会信用代码校验位错误"),
        ("91310000MA1", "统一社会信用代码应为 18 位，现为 11 位。"),
        ("", "请填写污染源编码，或统一社会信用代码（及污染源序号）。"),
    ],
)
def test_r_fac_1_a_bad_credit_code_answers_400_on_the_field(
    api_client, approval_clerk, town_a, code, message
):
    response = as_user(api_client, approval_clerk).post(
        FACILITIES, new_facility_body(credit_code=code), format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["credit_code"]
    assert message in response.json()["credit_code"][0]
    assert not Facility.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"town": "不存在镇"}, "town", "没有名为“不存在镇”的街镇（园区）。"),
        ({"management_level": "big"}, "management_level", "管理类别应为 key（重点管理）"),
        ({"industry_code": "26A"}, "industry_code", "行业类别代码“26A”应为 2–4 位数字"),
        ({"status": "sleeping"}, "status", "生产状态应为 operating（在产）"),
        ({"name": ""}, "name", "此项为必填项。"),
        ({"name": None}, "name", "该字段不能为 null。"),
        ({"is_key_regulated": "也许"}, "is_key_regulated", "必须是有效的布尔值"),
        ({"credit_rated_on": "2026-13-01"}, "credit_rated_on", "日期格式错误"),
        ({"is_key_industry": True}, "is_key_industry", "没有名为“is_key_industry”的可写字段。"),
        ({"id": 5}, "id", "没有名为“id”的可写字段。"),
    ],
)
def test_facility_post_with_bad_values_answers_400_naming_the_field(
    api_client, administrator, town_a, overrides, field, message
):
    response = as_user(api_client, administrator).post(
        FACILITIES, new_facility_body(**overrides), format="json"
    )
    assert response.status_code == 400
    assert message in response.json()[field][0]
    assert not Facility.objects.exists()


def test_r_fac_1_a_new_facility_needs_its_required_fields(api_client, approval_clerk, town_a):
    response = as_user(api_client, approval_clerk).post(
        FACILITIES, {"credit_code": credit_code(21)}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {
        name: ["新建排污单位时此项为必填项。"]
        for name in ("name", "town", "industry_code", "industry_name", "management_level")
    }


def test_patching_the_credit_code_answers_400(api_client, approval_clerk, paint_works):
    response = as_user(api_client, approval_clerk).patch(
        f"{FACILITIES}{paint_works.pk}/", {"credit_code": credit_code(99)}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"credit_code": ["没有名为“credit_code”的可写字段。"]}


def test_patching_with_a_bad_town_answers_400_on_town(api_client, approval_clerk, paint_works):
    response = as_user(api_client, approval_clerk).patch(
        f"{FACILITIES}{paint_works.pk}/", {"town": "不存在镇"}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"town": ["没有名为“不存在镇”的街镇（园区）。"]}


# R-ORG-2: each section changes only its own part -------------------------------------------------------

KEEPING_SECTIONS = {
    SectionCode.APPROVAL: "approval_clerk",
    SectionCode.ECOLOGY: "ecology_clerk",
    SectionCode.POLLUTION: "pollution_clerk",
    SectionCode.LEGAL: "legal_clerk",
}
# A new value for every field, and how the API shows it afterwards.
NEW_VALUES = {
    "name": ("新名称有限公司", "新名称有限公司"),
    "address": ("乙镇新路 2 号", "乙镇新路 2 号"),
    "town": ("乙镇", "乙镇"),
    "industry_code": ("2221", "2221"),
    "industry_name": ("机制纸及纸板制造", "机制纸及纸板制造"),
    "management_level": ("simplified", "simplified"),
    "contact_person": ("李四", "李四"),
    "contact_phone": ("021-12345678", "021-12345678"),
    "eia_document_no": ("环审〔2026〕1号", "环审〔2026〕1号"),
    "status": ("halted", "halted"),
    "is_key_regulated": (True, True),
    "risk_level": ("major", "major"),
    "has_auto_monitoring": (True, True),
    "in_environmental_statistics": (True, True),
    "credit_rating": ("warning", "warning"),
    "credit_rated_on": ("2026-02-27", "2026-02-27"),
}
FIELD_LABELS = {f.name: str(f.verbose_name) for f in Facility._meta.fields}


def test_every_owned_field_has_a_new_value_in_the_matrix():
    assert set(NEW_VALUES) == set(FIELD_OWNERS)
    assert set(KEEPING_SECTIONS) == set(FIELD_OWNERS.values())


@pytest.mark.parametrize("field", sorted(FIELD_OWNERS))
@pytest.mark.parametrize("section", sorted(KEEPING_SECTIONS))
def test_r_org_2_a_section_changes_its_own_fields_and_only_reads_the_others(
    request, api_client, town_a, town_b, section, field
):
    # given
    clerk = request.getfixturevalue(KEEPING_SECTIONS[section])
    facility = FacilityFactory(n=31, town=town_a)
    before = as_user(api_client, clerk).get(f"{FACILITIES}{facility.pk}/").json()
    sent, shown = NEW_VALUES[field]
    # when
    response = api_client.patch(f"{FACILITIES}{facility.pk}/", {field: sent}, format="json")
    # then
    owner = FIELD_OWNERS[field]
    if owner == section:
        assert response.status_code == 200, response.content
        assert response.json()[field] == shown
        # Nothing else changes, except that a new industry code re-derives the key-industry flag.
        unchanged = {field, "is_key_industry"} if field == "industry_code" else {field}
        assert {k: v for k, v in response.json().items() if k not in unchanged} == {
            k: v for k, v in before.items() if k not in unchanged
        }
        latest = facility.history.latest()
        assert latest.history_user == clerk
        assert latest.history_change_reason == "更新（来源：页面或接口修改）"
    else:
        assert response.status_code == 403
        assert response.json() == {
            "detail": f"“{FIELD_LABELS[field]}”由{SECTION_NAMES[owner]}维护，您所在的科室只能查看，不能修改。"
        }
        assert api_client.get(f"{FACILITIES}{facility.pk}/").json() == before
        assert facility.history.count() == 1


def test_r_org_2_a_change_touching_another_sections_field_changes_nothing(
    api_client, pollution_clerk, town_a
):
    facility = FacilityFactory(n=32, town=town_a)
    response = as_user(api_client, pollution_clerk).patch(
        f"{FACILITIES}{facility.pk}/", {"risk_level": "major", "name": "改名"}, format="json"
    )
    assert response.status_code == 403
    assert "“单位名称”由行政审批服务科维护" in response.json()["detail"]
    facility.refresh_from_db()
    assert (facility.risk_level, facility.name) == ("", "测试单位032有限公司")


def test_r_org_2_industry_code_change_reflags_the_key_industry(api_client, approval_clerk, town_a):
    facility = FacilityFactory(n=33, town=town_a, industry_code="1310", industry_name="谷物磨制")
    response = as_user(api_client, approval_clerk).patch(
        f"{FACILITIES}{facility.pk}/", {"industry_code": "7724"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["is_key_industry"] is True


def test_r_org_2_a_section_posting_another_sections_fields_gets_403(api_client, legal_clerk, town_a):
    response = as_user(api_client, legal_clerk).post(FACILITIES, new_facility_body(), format="json")
    assert response.status_code == 403
    assert "由行政审批服务科维护，您所在的科室只能查看，不能修改。" in response.json()["detail"]
    assert not Facility.objects.exists()


def test_r_org_2_a_second_source_may_bring_the_fields_its_section_keeps(api_client, ecology_clerk, town_a):
    facility = FacilityFactory(n=34, town=town_a)
    response = as_user(api_client, ecology_clerk).post(
        FACILITIES, {"credit_code": credit_code(34), "in_environmental_statistics": True}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["id"] == facility.pk
    assert response.json()["in_environmental_statistics"] is True


@pytest.mark.parametrize("persona", ["town_a_liaison", "monitoring_clerk", "leader", "officer"])
def test_r_org_2_sections_that_keep_no_facility_part_cannot_write(request, api_client, town_a, persona):
    # given
    user = request.getfixturevalue(persona)
    facility = FacilityFactory(n=35, town=town_a)
    client = as_user(api_client, user)
    # when
    patch = client.patch(f"{FACILITIES}{facility.pk}/", {"contact_person": "某人"}, format="json")
    # a no-op POST of an existing code must not become a way to read another town's facility either
    post = client.post(FACILITIES, {"credit_code": credit_code(35)}, format="json")
    # then
    for response in (patch, post):
        assert response.status_code == 403
        assert response.json()["detail"] == (
            "排污单位信息由行政审批服务科、生态建设科、污染防治科（辐射安全管理科）、社区联络科（法制科）分别维护，"
            "您所在的科室只能查看，不能修改。"
        )
    assert facility.history.count() == 1


def test_r_org_2_the_administrator_may_change_any_field(api_client, administrator, town_a):
    facility = FacilityFactory(n=36, town=town_a)
    response = as_user(api_client, administrator).patch(
        f"{FACILITIES}{facility.pk}/", {"name": "管理员改名", "credit_rating": "excellent"}, format="json"
    )
    assert response.status_code == 200
    assert (response.json()["name"], response.json()["credit_rating"]) == ("管理员改名", "excellent")


# R-ORG-3: a town sees only its own jurisdiction --------------------------------------------------------


def test_r_org_3_a_town_lists_only_its_own_facilities(api_client, town_a_liaison, town_b_liaison, registry):
    assert names(as_user(api_client, town_a_liaison).get(FACILITIES)) == {
        "甲涂料厂",
        "丁钢铁厂",
        "戊电厂",
        "己面粉厂",
    }
    assert names(as_user(api_client, town_b_liaison).get(FACILITIES)) == {"乙造纸厂", "丙电镀厂"}
    # even when it asks for the other town by name
    assert names(as_user(api_client, town_b_liaison).get(FACILITIES, {"q": "甲涂料"})) == set()


def test_r_org_3_another_towns_facility_answers_404_like_a_missing_one(api_client, town_a_liaison, registry):
    client = as_user(api_client, town_a_liaison)
    own = client.get(f"{FACILITIES}{registry['valid'].pk}/")
    other = client.get(f"{FACILITIES}{registry['expired'].pk}/")
    missing = client.get(f"{FACILITIES}{MISSING}/")
    assert own.status_code == 200
    assert other.status_code == missing.status_code == 404
    assert other.json() == missing.json() == {"detail": "未找到。"}


def test_r_org_3_the_bureau_sections_see_every_town(api_client, officer, registry):
    assert names(as_user(api_client, officer).get(FACILITIES)) == ALL_SIX


# Facilities: query budgets -----------------------------------------------------------------------------


@pytest.fixture
def fifty_five_facilities(town_a, town_b):
    return [
        FacilityFactory(n=100 + i, town=town_a if i % 2 else town_b, industry_code="2641") for i in range(55)
    ]


def test_facility_list_costs_two_queries(
    api_client, approval_clerk, fifty_five_facilities, django_assert_num_queries
):
    client = as_user(api_client, approval_clerk)
    # Expect 2 queries: the count for the paginator; the page of facilities joined with their towns.
    with django_assert_num_queries(2):
        response = client.get(FACILITIES)
    assert response.json()["count"] == 55
    assert len(response.json()["results"]) == 50


def test_facility_list_of_a_town_costs_two_queries(
    api_client, town_a_liaison, fifty_five_facilities, django_assert_num_queries
):
    client = as_user(api_client, town_a_liaison)
    # Expect 2 queries: the count of the town's facilities; the page joined with the town.
    with django_assert_num_queries(2):
        response = client.get(FACILITIES)
    assert response.json()["count"] == 27


def test_facility_detail_costs_one_query(
    api_client, approval_clerk, fifty_five_facilities, django_assert_num_queries
):
    client = as_user(api_client, approval_clerk)
    facility = fifty_five_facilities[7]
    # Expect 1 query: the facility joined with its town and key industry.
    with django_assert_num_queries(1):
        response = client.get(f"{FACILITIES}{facility.pk}/")
    assert response.json()["id"] == facility.pk


@pytest.mark.parametrize("rows", [3, 30])
def test_facility_list_costs_two_queries_with_3_or_30_facilities(
    api_client, approval_clerk, town_a, rows, django_assert_num_queries
):
    for i in range(rows):
        FacilityFactory(n=300 + i, town=town_a)
    client = as_user(api_client, approval_clerk)
    # Expect 2 queries however many rows: the count (of at most EXACT_UP_TO + 1 rows); the page.
    with django_assert_num_queries(2):
        response = client.get(FACILITIES)
    assert response.json()["count"] == rows


def test_facility_list_with_a_token_costs_three_queries(api_client, approval_clerk, fifty_five_facilities):
    # given: a token that has been used (its last use is written at most once a minute)
    _, key = issue_token(approval_clerk)
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert api_client.get(FACILITIES).status_code == 200

    # Expect 3 queries: the token joined with its user, the user's staff record, section and town (the
    # scoping reads them); the count; the page of facilities joined with their towns and units.
    with CaptureQueriesContext(connection) as queries:
        response = api_client.get(FACILITIES)
    assert len(queries) == 3, [q["sql"] for q in queries]
    assert response.json()["count"] == 55


def test_a_long_facility_list_is_counted_once_then_read_from_the_cache(
    api_client, approval_clerk, town_a, town_a_liaison, fifty_five_facilities, monkeypatch, django_assert_num_queries
):
    # given: lists longer than 20 rows are counted in full once, then the count is kept
    monkeypatch.setattr(BoundedCountPaginator, "exact_up_to", 20)
    client = as_user(api_client, approval_clerk)

    # Expect 3 queries: the count of at most 21 rows, which finds the list long; the full count; the page.
    with django_assert_num_queries(3):
        assert client.get(FACILITIES).json()["count"] == 55
    FacilityFactory(n=900, town=town_a)
    # Expect 1 query: the page; the count is the kept one, without the facility just added.
    with django_assert_num_queries(1):
        response = client.get(FACILITIES, {"page": 2})
    assert response.json()["count"] == 55
    assert len(response.json()["results"]) == 6  # the page itself is read afresh

    # A town's list is another query with a count of its own, as is a filter: 甲镇's 27 and the new one.
    assert as_user(api_client, town_a_liaison).get(FACILITIES).json()["count"] == 28
    assert as_user(api_client, approval_clerk).get(FACILITIES, {"town": town_a.pk}).json()["count"] == 28


def test_a_short_list_is_counted_afresh_on_every_request(api_client, approval_clerk, town_a):
    client = as_user(api_client, approval_clerk)
    FacilityFactory(n=1, town=town_a)
    assert client.get(FACILITIES).json()["count"] == 1
    FacilityFactory(n=2, town=town_a)
    assert client.get(FACILITIES).json()["count"] == 2


def test_the_facility_list_writes_each_row_as_drf_would(api_client, approval_clerk, paint_works, town_b):
    # given: one facility with every field filled, one with the optional ones empty
    bare = FacilityFactory(n=2, town=town_b, industry_code="1311")
    listed = {row["id"]: row for row in as_user(api_client, approval_clerk).get(FACILITIES).json()["results"]}
    for facility in Facility.objects.filter(pk__in=[paint_works.pk, bare.pk]).select_related("town", "unit"):
        # then: the list's row and the written-out detail are DRF's own, field for field and in order
        generic = ModelSerializer.to_representation(FacilitySerializer(), facility)
        fast = FacilitySerializer().to_representation(facility)
        assert list(fast.items()) == list(generic.items())
        assert list(listed[facility.pk].items()) == list(generic.items())


# Permits -----------------------------------------------------------------------------------------------


def test_r_per_1_permit_list_and_detail_show_every_field(api_client, approval_clerk, registry):
    client = as_user(api_client, approval_clerk)
    permit = Permit.objects.get(number="P-VALID")
    expected = {
        "id": permit.pk,
        "facility": registry["valid"].pk,
        "number": "P-VALID",
        "issued_on": "2024-01-10",
        "valid_from": "2024-01-10",
        "valid_until": "2029-01-09",
        "state": "valid",
        "report_frequency": "quarterly",
        "management_level": "key",
    }
    listed = client.get(PERMITS, {"facility": registry["valid"].pk})
    assert listed.json()["results"] == [expected]
    assert client.get(f"{PERMITS}{permit.pk}/").json() == expected


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, {"P-VALID", "P-EXPIRING", "P-EXPIRED", "P-REVOKED", "P-CANCELLED"}),
        ({"state": "valid"}, {"P-VALID", "P-EXPIRING"}),
        ({"state": "expired"}, {"P-EXPIRED"}),
        ({"state": "revoked"}, {"P-REVOKED"}),
        ({"state": "cancelled"}, {"P-CANCELLED"}),
        ({"expiring": "true"}, {"P-EXPIRING"}),
        ({"expiring": "false"}, {"P-VALID", "P-EXPIRED", "P-REVOKED", "P-CANCELLED"}),
    ],
)
def test_r_per_1_permit_filters_by_derived_state(api_client, approval_clerk, registry, params, expected):
    response = as_user(api_client, approval_clerk).get(PERMITS, params)
    assert response.status_code == 200
    assert {row["number"] for row in response.json()["results"]} == expected


def test_r_per_1_permit_detail_shows_the_derived_state(api_client, approval_clerk, registry):
    client = as_user(api_client, approval_clerk)
    states = {
        number: client.get(f"{PERMITS}{Permit.objects.get(number=number).pk}/").json()["state"]
        for number in ("P-VALID", "P-EXPIRING", "P-EXPIRED", "P-REVOKED", "P-CANCELLED")
    }
    assert states == {
        "P-VALID": "valid",
        "P-EXPIRING": "valid",
        "P-EXPIRED": "expired",
        "P-REVOKED": "revoked",
        "P-CANCELLED": "cancelled",
    }


def test_permit_filter_by_facility(api_client, approval_clerk, registry):
    response = as_user(api_client, approval_clerk).get(PERMITS, {"facility": registry["expired"].pk})
    assert [row["number"] for row in response.json()["results"]] == ["P-EXPIRED"]


def permit_body(holder, **overrides):
    return {
        "facility": holder.pk,
        "number": "91310000NEW001P",
        "management_level": "simplified",
        "issued_on": "2026-02-20",
        "valid_from": "2026-02-20",
        "valid_until": "2031-02-19",
        "report_frequency": "annual",
        **overrides,
    }


def test_r_per_1_the_approval_section_issues_a_permit(api_client, approval_clerk, registry):
    # given: the unit has become one of simplified management, which its permit must match (R-FAC-3)
    register_facility(
        by=None, values={"source_code": registry["unpermitted"].source_code, "management_level": "simplified"}
    )
    # when
    response = as_user(api_client, approval_clerk).post(
        PERMITS, permit_body(registry["unpermitted"], document_no="发证〔2026〕1号"), format="json"
    )
    # then
    assert response.status_code == 201, response.content
    assert response.json()["state"] == "valid"
    assert response.json()["number"] == "91310000NEW001P"
    events = as_user(api_client, approval_clerk).get(f"{PERMITS}{response.json()['id']}/events/").json()
    assert [(e["kind"], e["document_no"], e["recorded_by_name"]) for e in events] == [
        ("first_application", "发证〔2026〕1号", approval_clerk.display_name)
    ]


def test_r_fac_3_a_permit_of_another_level_than_its_facility_answers_400_naming_both(
    api_client, approval_clerk, registry
):
    response = as_user(api_client, approval_clerk).post(
        PERMITS, permit_body(registry["valid"], management_level="simplified"), format="json"
    )
    assert response.status_code == 400
    assert response.json() == {
        "management_level": ["许可证管理类别（简化管理）与排污单位管理类别（重点管理）不一致。"]
    }
    assert not Permit.objects.filter(number="91310000NEW001P").exists()


@pytest.mark.parametrize(
    "persona", ["ecology_clerk", "pollution_clerk", "officer", "leader", "town_a_liaison"]
)
def test_r_org_2_only_the_approval_section_issues_permits(request, api_client, registry, persona):
    user = request.getfixturevalue(persona)
    response = as_user(api_client, user).post(PERMITS, permit_body(registry["unpermitted"]), format="json")
    assert response.status_code == 403
    assert response.json() == {"detail": PERMIT_KEPT_BY_APPROVAL}
    assert not Permit.objects.filter(number="91310000NEW001P").exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"valid_until": "2026-01-01"}, "valid_until", "有效期至应晚于有效期起。"),
        ({"issued_on": "2026-03-01"}, "issued_on", "发证日期不应晚于有效期起。"),
        ({"number": "P-VALID"}, "number", "许可证编号“P-VALID”已存在。"),
        ({"number": ""}, "number", "请填写许可证编号。"),
        ({"management_level": "registered"}, "management_level", "登记管理的单位办理排污登记"),
        ({"report_frequency": "weekly"}, "report_frequency", "执行报告频次应为 monthly（月度）"),
        ({"facility": MISSING}, "facility", f"未找到编号为 {MISSING} 的排污单位。"),
        ({"facility": "甲"}, "facility", "排污单位应填写其编号（整数）。"),
        ({"valid_from": "明天"}, "valid_from", "日期格式错误"),
        ({"state": "valid"}, "state", "没有名为“state”的可写字段。"),
    ],
)
def test_permit_post_with_bad_values_answers_400_naming_the_field(
    api_client, approval_clerk, registry, overrides, field, message
):
    response = as_user(api_client, approval_clerk).post(
        PERMITS, permit_body(registry["unpermitted"], **overrides), format="json"
    )
    assert response.status_code == 400
    assert message in response.json()[field][0]
    assert Permit.objects.count() == 5


def test_r_org_3_a_town_sees_only_its_own_permits(api_client, town_b_liaison, registry):
    client = as_user(api_client, town_b_liaison)
    listed = client.get(PERMITS)
    assert {row["number"] for row in listed.json()["results"]} == {"P-EXPIRING", "P-EXPIRED"}
    other = Permit.objects.get(number="P-VALID")
    for suffix in ("", "events/"):
        answer = client.get(f"{PERMITS}{other.pk}/{suffix}")
        missing = client.get(f"{PERMITS}{MISSING}/{suffix}")
        assert answer.status_code == missing.status_code == 404
        assert answer.json() == missing.json() == {"detail": "未找到。"}


def test_r_org_3_the_approval_section_cannot_issue_for_an_unknown_facility(
    api_client, approval_clerk, registry
):
    response = as_user(api_client, approval_clerk).post(
        PERMITS, permit_body(registry["unpermitted"], facility=0)
    )
    assert response.status_code == 400
    assert response.json() == {"facility": ["未找到编号为 0 的排污单位。"]}


# Permit events (R-PER-1) -------------------------------------------------------------------------------


def test_r_per_1_events_list_shows_every_field_in_date_order(api_client, approval_clerk, officer, registry):
    # given
    permit = Permit.objects.get(number="P-VALID")
    record_permit_event(
        by=approval_clerk,
        permit=permit,
        kind="change",
        occurred_on=date(2025, 5, 6),
        document_no="变更〔2025〕3号",
        note="法定代表人变更",
    )
    # when
    response = as_user(api_client, officer).get(f"{PERMITS}{permit.pk}/events/")
    # then
    assert response.status_code == 200
    rows = response.json()
    assert {key for row in rows for key in row} == {
        "id",
        "kind",
        "kind_display",
        "occurred_on",
        "document_no",
        "note",
        "renewal_application",
        "renewal_granted",
        "previous_valid_until",
        "new_valid_until",
        "is_bureau_initiated",
        "notice_no",
        "notice_on",
        "recorded_by_name",
        "recorded_at",
    }
    shown = ("kind", "kind_display", "occurred_on", "document_no", "note", "new_valid_until", "recorded_by_name")
    assert [{k: v for k, v in row.items() if k in shown} for row in rows] == [
        {
            "kind": "first_application",
            "kind_display": "首次申请",
            "occurred_on": "2024-01-10",
            "document_no": "发证〔2024〕P-VALID",
            "note": "",
            "new_valid_until": None,
            "recorded_by_name": None,  # issued by a system source in the fixture
        },
        {
            "kind": "change",
            "kind_display": "变更",
            "occurred_on": "2025-05-06",
            "document_no": "变更〔2025〕3号",
            "note": "法定代表人变更",
            "new_valid_until": None,
            "recorded_by_name": approval_clerk.display_name,
        },
    ]


def test_r_per_1_a_renewed_validity_records_the_application_and_its_decision(api_client, approval_clerk, registry):
    # given
    permit = Permit.objects.get(number="P-EXPIRING")
    client = as_user(api_client, approval_clerk)
    # when
    response = client.post(
        f"{PERMITS}{permit.pk}/events/",
        {
            "kind": "renewal",
            "occurred_on": "2026-02-25",
            "new_valid_until": "2031-04-01",
            "document_no": "延续〔2026〕2号",
        },
        format="json",
    )
    # then
    assert response.status_code == 201, response.content
    assert (response.json()["kind_display"], response.json()["renewal_granted"]) == ("延续决定", True)
    assert response.json()["new_valid_until"] == "2031-04-01"
    assert [e["kind"] for e in client.get(f"{PERMITS}{permit.pk}/events/").json()][-2:] == [
        "renewal",
        "renewal_decision",
    ]
    assert response.json()["recorded_by_name"] == approval_clerk.display_name
    detail = client.get(f"{PERMITS}{permit.pk}/").json()
    assert (detail["valid_until"], detail["state"]) == ("2031-04-01", "valid")
    assert client.get(PERMITS, {"expiring": "true"}).json()["count"] == 0


def test_r_per_1_a_revocation_makes_the_permit_revoked(api_client, approval_clerk, registry):
    permit = Permit.objects.get(number="P-VALID")
    client = as_user(api_client, approval_clerk)
    response = client.post(
        f"{PERMITS}{permit.pk}/events/", {"kind": "revocation", "occurred_on": "2026-02-26"}, format="json"
    )
    assert response.status_code == 201
    assert client.get(f"{PERMITS}{permit.pk}/").json()["state"] == "revoked"


def test_r_per_1_renewing_a_revoked_permit_answers_400_on_kind(api_client, approval_clerk, registry):
    # given a permit revoked on 2026-01-15
    permit = Permit.objects.get(number="P-REVOKED")
    # when
    response = as_user(api_client, approval_clerk).post(
        f"{PERMITS}{permit.pk}/events/",
        {"kind": "renewal", "occurred_on": "2026-02-20", "new_valid_until": "2034-01-09"},
        format="json",
    )
    # then
    assert response.status_code == 400
    assert response.json() == {
        "kind": ["该许可证已吊销，不能再办理“延续申请”；如需排污应依法申请取得新的排污许可证。"]
    }
    assert permit.events.count() == 2


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        (
            {"kind": "renewal", "occurred_on": "2026-02-20"},
            "kind",
            "已于 2025-12-30 有效期届满，不能再申请延续",
        ),
        (
            {"kind": "first_application", "occurred_on": "2026-02-20"},
            "kind",
            "“首次申请”应作为新的许可证登记",
        ),
        ({"kind": "change", "occurred_on": "2020-01-01"}, "kind", "请按时间顺序登记"),
        ({"kind": "merge", "occurred_on": "2026-02-20"}, "kind", "未知的许可证事项。"),
        (
            {"kind": "change", "occurred_on": "2026-02-20", "new_valid_until": "2031-01-01"},
            "new_valid_until",
            "只有“延续决定”",
        ),
        ({"kind": "change"}, "occurred_on", "该字段是必填项。"),
        ({"kind": "change", "occurred_on": "2026/02/20"}, "occurred_on", "日期格式错误"),
    ],
)
def test_r_per_1_impossible_events_answer_400_in_chinese(
    api_client, approval_clerk, registry, body, field, message
):
    permit = Permit.objects.get(number="P-EXPIRED")
    response = as_user(api_client, approval_clerk).post(f"{PERMITS}{permit.pk}/events/", body, format="json")
    assert response.status_code == 400
    assert message in response.json()[field][0]


@pytest.mark.parametrize("persona", ["pollution_clerk", "legal_clerk", "monitoring_clerk", "town_a_liaison"])
def test_r_org_2_only_the_approval_section_records_permit_events(request, api_client, registry, persona):
    permit = Permit.objects.get(number="P-VALID")
    response = as_user(api_client, request.getfixturevalue(persona)).post(
        f"{PERMITS}{permit.pk}/events/", {"kind": "change", "occurred_on": "2026-02-20"}, format="json"
    )
    assert response.status_code == 403
    assert response.json() == {"detail": PERMIT_KEPT_BY_APPROVAL}
    assert permit.events.count() == 1


# Permits: query budgets --------------------------------------------------------------------------------


def test_permit_list_costs_two_queries(api_client, approval_clerk, town_a, django_assert_num_queries):
    # given 55 permits over 11 facilities, some of them ended
    for f in range(11):
        facility = FacilityFactory(n=200 + f, town=town_a)
        for p in range(5):
            permit = PermitFactory(facility=facility, number=f"P-{f:02d}-{p}")
            if p == 0:
                PermitEventFactory(permit=permit, kind="cancellation", occurred_on=date(2026, 1, 5))
    client = as_user(api_client, approval_clerk)
    # Expect 2 queries: the count; the page of permits with the state derived in the same SELECT.
    with django_assert_num_queries(2):
        response = client.get(PERMITS)
    assert response.json()["count"] == 55
    assert sum(row["state"] == "cancelled" for row in response.json()["results"]) >= 9


def test_events_list_costs_two_queries(api_client, approval_clerk, town_a, django_assert_num_queries):
    # given a permit with 55 events, recorded by a clerk
    permit = PermitFactory(facility=FacilityFactory(n=300, town=town_a), number="P-BUSY", by=approval_clerk)
    for day in range(1, 55):
        record_permit_event(
            by=approval_clerk,
            permit=permit,
            kind="change",
            occurred_on=date(2024, 1, 10) + timedelta(days=day),
        )
    client = as_user(api_client, approval_clerk)
    # Expect 2 queries: the permit, scoped to what the user may see; its events joined with who recorded them.
    with django_assert_num_queries(2):
        response = client.get(f"{PERMITS}{permit.pk}/events/")
    assert len(response.json()) == 55
    assert {row["recorded_by_name"] for row in response.json()} == {approval_clerk.display_name}


# Rectification ledger (R-PER-3) ------------------------------------------------------------------------


@pytest.fixture
def ledger(approval_clerk, town_a, town_b):
    """Overdue, open and closed items in two towns."""
    mill = FacilityFactory(n=41, town=town_a, name="甲面粉厂")
    dyer = FacilityFactory(n=42, town=town_b, name="乙印染厂")
    overdue = QualityCheckFactory(
        facility=mill, by=approval_clerk, checked_on=date(2026, 2, 2), categories=["should_issue"]
    ).items.get()
    open_ = QualityCheckFactory(
        facility=dyer,
        by=approval_clerk,
        checked_on=date(2026, 2, 27),
        deadline_workdays=20,
        categories=["level_lowered"],
    ).items.get()
    closed = QualityCheckFactory(
        facility=dyer, by=approval_clerk, checked_on=date(2026, 2, 3), categories=["discharge_mismatch"]
    ).items.get()
    close_rectification(
        by=approval_clerk, item=closed, closed_on=date(2026, 2, 10), evidence="已整改并提交监测报告"
    )
    return {"overdue": overdue, "open": open_, "closed": closed, "mill": mill, "dyer": dyer}


def test_r_per_3_rectification_list_and_detail_show_every_field(api_client, approval_clerk, ledger):
    item = ledger["overdue"]
    expected = {
        "id": item.pk,
        "source_kind": "quality_check",
        "source_kind_display": "核发质量检查",
        "source_key": f"permits.quality_check:{item.quality_check_id}",
        "source_label": "2026-02-02 现场核查",
        "source_url": f"/facilities/{ledger['mill'].pk}/#check-{item.quality_check_id}",
        "quality_check": item.quality_check_id,
        "found_on": "2026-02-02",
        "facility": ledger["mill"].pk,
        "facility_name": "甲面粉厂",
        "town": "甲镇",
        "category": "should_issue",
        "category_display": "应发未发（应发尽发）",
        "description": "问题1",
        "deadline_workdays": 5,
        "deadline_on": "2026-02-09",
        "deadline_provisional": False,
        "responsible_person": "王整改",
        "responsible_phone": "13900000000",
        "closed_on": None,
        "closing_evidence": "",
        "is_overdue": True,
    }
    client = as_user(api_client, approval_clerk)
    assert client.get(RECTIFICATIONS, {"facility": ledger["mill"].pk}).json()["results"] == [expected]
    assert client.get(f"{RECTIFICATIONS}{item.pk}/").json() == expected


def test_r_per_3_closed_and_open_items_are_not_overdue(api_client, approval_clerk, ledger):
    client = as_user(api_client, approval_clerk)
    closed = client.get(f"{RECTIFICATIONS}{ledger['closed'].pk}/").json()
    open_ = client.get(f"{RECTIFICATIONS}{ledger['open'].pk}/").json()
    assert (closed["is_overdue"], closed["closed_on"], closed["closing_evidence"]) == (
        False,
        "2026-02-10",
        "已整改并提交监测报告",
    )
    assert (open_["is_overdue"], open_["closed_on"]) == (False, None)
    assert open_["deadline_on"] > TODAY.isoformat()


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, {"overdue", "open", "closed"}),
        ({"status": "open"}, {"overdue", "open"}),
        ({"status": "overdue"}, {"overdue"}),
        ({"status": "closed"}, {"closed"}),
        ({"category": "level_lowered"}, {"open"}),
        ({"category": "should_issue"}, {"overdue"}),
    ],
)
def test_r_per_3_rectification_filters(api_client, approval_clerk, ledger, params, expected):
    response = as_user(api_client, approval_clerk).get(RECTIFICATIONS, params)
    assert response.status_code == 200
    by_id = {item.pk: key for key, item in ledger.items() if isinstance(item, RectificationItem)}
    assert {by_id[row["id"]] for row in response.json()["results"]} == expected


def test_r_per_3_rectification_filters_by_town_and_facility(api_client, approval_clerk, ledger, town_b):
    client = as_user(api_client, approval_clerk)
    by_town = client.get(RECTIFICATIONS, {"town": town_b.pk}).json()["results"]
    by_facility = client.get(RECTIFICATIONS, {"facility": ledger["mill"].pk}).json()["results"]
    assert {row["id"] for row in by_town} == {ledger["open"].pk, ledger["closed"].pk}
    assert [row["id"] for row in by_facility] == [ledger["overdue"].pk]


def test_r_per_3_progress_is_noted(api_client, approval_clerk, ledger):
    item = ledger["overdue"]
    response = as_user(api_client, approval_clerk).post(
        f"{RECTIFICATIONS}{item.pk}/progress/", {"note": "  已完成设备采购  "}, format="json"
    )
    assert response.status_code == 201, response.content
    assert {k: v for k, v in response.json().items() if k != "id"} == {
        "item": item.pk,
        "noted_on": TODAY.isoformat(),
        "note": "已完成设备采购",
        "recorded_by_name": approval_clerk.display_name,
    }
    assert item.progress.get().note == "已完成设备采购"


def test_r_per_3_progress_needs_a_note(api_client, approval_clerk, ledger):
    response = as_user(api_client, approval_clerk).post(
        f"{RECTIFICATIONS}{ledger['open'].pk}/progress/", {"noted_on": "2026-03-01"}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"note": ["请填写进展情况。"]}


def test_r_per_3_an_item_is_closed_once_then_409(api_client, approval_clerk, ledger):
    # given
    item = ledger["overdue"]
    client = as_user(api_client, approval_clerk)
    url = f"{RECTIFICATIONS}{item.pk}/close/"
    # when
    first = client.post(
        url, {"closed_on": "2026-02-28", "closing_evidence": "已取得排污许可证"}, format="json"
    )
    second = client.post(url, {"closing_evidence": "再次销号"}, format="json")
    progress = client.post(f"{RECTIFICATIONS}{item.pk}/progress/", {"note": "补充"}, format="json")
    # then
    assert first.status_code == 200, first.content
    assert (first.json()["closed_on"], first.json()["is_overdue"]) == ("2026-02-28", False)
    assert first.json()["closing_evidence"] == "已取得排污许可证"
    assert second.status_code == 409
    assert second.json() == {"detail": "该问题已于 2026-02-28 销号。"}
    assert progress.status_code == 409
    assert progress.json() == {"detail": "该问题已销号，不能再登记进展。"}
    assert client.get(RECTIFICATIONS, {"status": "open"}).json()["count"] == 1


def test_r_per_3_closing_defaults_to_today(api_client, approval_clerk, ledger):
    response = as_user(api_client, approval_clerk).post(
        f"{RECTIFICATIONS}{ledger['open'].pk}/close/", {"closing_evidence": "已恢复重点管理"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["closed_on"] == TODAY.isoformat()


def test_r_per_3_closing_evidence_may_come_with_a_file(
    api_client, approval_clerk, ledger, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    item = ledger["open"]
    upload = SimpleUploadedFile("监测报告.pdf", b"%PDF-1.4 report", content_type="application/pdf")
    response = as_user(api_client, approval_clerk).post(
        f"{RECTIFICATIONS}{item.pk}/close/", {"closing_evidence": "见监测报告", "closing_file": upload}
    )
    assert response.status_code == 200, response.content
    item.refresh_from_db()
    assert item.closing_file.name.startswith("rectifications/2026/")
    assert item.closing_file.read() == b"%PDF-1.4 report"


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"closing_evidence": "  "}, "closing_evidence", "销号须填写整改完成证明。"),
        ({}, "closing_evidence", "销号须填写整改完成证明。"),
        (
            {"closing_evidence": "已整改", "closed_on": "2026-01-01"},
            "closed_on",
            "销号日期不能早于检查日期。",
        ),
        ({"closing_evidence": "已整改", "closed_on": "昨天"}, "closed_on", "日期格式错误"),
        ({"closing_evidence": "已整改", "status": "closed"}, "status", "没有名为“status”的可写字段。"),
    ],
)
def test_r_per_3_closing_with_bad_values_answers_400(
    api_client, approval_clerk, ledger, body, field, message
):
    item = ledger["overdue"]
    response = as_user(api_client, approval_clerk).post(
        f"{RECTIFICATIONS}{item.pk}/close/", body, format="json"
    )
    assert response.status_code == 400
    assert message in response.json()[field][0]
    item.refresh_from_db()
    assert item.closed_on is None


@pytest.mark.parametrize("action", ["progress", "close"])
@pytest.mark.parametrize("persona", ["ecology_clerk", "officer", "leader", "town_a_liaison"])
def test_r_org_2_only_the_approval_section_keeps_the_ledger(request, api_client, ledger, persona, action):
    item = ledger["overdue"]
    response = as_user(api_client, request.getfixturevalue(persona)).post(
        f"{RECTIFICATIONS}{item.pk}/{action}/", {"note": "进展", "closing_evidence": "证明"}, format="json"
    )
    assert response.status_code == 403
    assert response.json() == {"detail": PERMIT_KEPT_BY_APPROVAL}
    item.refresh_from_db()
    assert item.closed_on is None and not item.progress.exists()


def test_r_org_3_a_town_sees_only_its_own_rectifications(api_client, town_a_liaison, ledger):
    client = as_user(api_client, town_a_liaison)
    listed = client.get(RECTIFICATIONS)
    assert [row["id"] for row in listed.json()["results"]] == [ledger["overdue"].pk]
    other = client.get(f"{RECTIFICATIONS}{ledger['open'].pk}/")
    missing = client.get(f"{RECTIFICATIONS}{MISSING}/")
    assert other.status_code == missing.status_code == 404
    assert other.json() == missing.json() == {"detail": "未找到。"}


def test_a_missing_rectification_answers_404_to_its_actions(api_client, approval_clerk, ledger):
    response = as_user(api_client, approval_clerk).post(
        f"{RECTIFICATIONS}{MISSING}/close/", {"closing_evidence": "证明"}, format="json"
    )
    assert response.status_code == 404
    assert response.json() == {"detail": "未找到。"}


def test_rectification_list_costs_two_queries(
    api_client, approval_clerk, town_a, town_b, django_assert_num_queries
):
    # given 55 items over 11 facilities in two towns
    for f in range(11):
        facility = FacilityFactory(n=400 + f, town=town_a if f % 2 else town_b)
        QualityCheckFactory(facility=facility, by=approval_clerk, checked_on=date(2026, 2, 2), findings=5)
    client = as_user(api_client, approval_clerk)
    # Expect 2 queries: the count; the page of items joined with their facilities and towns.
    with django_assert_num_queries(2):
        response = client.get(RECTIFICATIONS)
    assert response.json()["count"] == 55
    assert {row["town"] for row in response.json()["results"]} == {"甲镇", "乙镇"}
    assert all(row["is_overdue"] for row in response.json()["results"])


# OpenAPI ----------------------------------------------------------------------------------------------


def test_openapi_schema_of_the_registry_generates_without_warnings(tmp_path):
    # Only this API's routes: another app's warning is that app's test to fail.
    target = tmp_path / "schema.yml"
    call_command("spectacular", "--fail-on-warn", "--urlconf", "permits.api.urls", "--file", str(target))
    schema = target.read_text(encoding="utf-8")
    for path in (
        "/facilities/{id}/:",
        "/permits/{id}/events/:",
        "/rectifications/{id}/close/:",
        "/execution-reports/{id}/review/:",
        "/feedback-notices/{id}/notice.pdf:",
    ):
        assert path in schema
    assert "summary: 登记排污单位（按污染源编码新建或更新）" in schema


# R-FAC-1: sites of a unit over the API -----------------------------------------------------------


def test_r_fac_1_a_second_site_number_creates_a_second_facility_with_201(
    api_client, approval_clerk, town_a, town_b
):
    client = as_user(api_client, approval_clerk)
    first = client.post(FACILITIES, new_facility_body(), format="json")
    second = client.post(
        FACILITIES,
        new_facility_body(site_number="002", town="乙镇", name="庚印染有限公司二厂"),
        format="json",
    )
    assert (first.status_code, second.status_code) == (201, 201)
    assert second.json()["source_code"] == credit_code(21) + "002"
    assert second.json()["unit_name"] == "庚印染有限公司"
    assert second.json()["town"] == "乙镇"
    assert Facility.objects.filter(credit_code=credit_code(21)).count() == 2


@pytest.mark.parametrize(
    "naming",
    [
        {"source_code": credit_code(21) + "002"},
        {"credit_code": credit_code(21), "site_number": "002"},
        {"permit_number": credit_code(21) + "002V"},
    ],
    ids=["source-code", "credit-code-and-site-number", "permit-number"],
)
def test_r_fac_1_data_for_a_known_site_updates_it_with_200(
    api_client, approval_clerk, town_a, town_b, naming
):
    FacilityFactory(n=21, town=town_a)
    second = FacilityFactory(n=21, site_number="002", town=town_b)
    response = as_user(api_client, approval_clerk).post(
        FACILITIES, {**naming, "contact_person": "钱七"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["id"] == second.pk
    assert response.json()["contact_person"] == "钱七"
    assert Facility.objects.count() == 2


def test_r_fac_2_an_industry_code_with_its_section_letter_is_saved_as_digits(
    api_client, approval_clerk, town_a
):
    response = as_user(api_client, approval_clerk).post(
        FACILITIES, new_facility_body(industry_code="C2641", industry_name="涂料制造"), format="json"
    )
    assert response.status_code == 201
    assert (response.json()["industry_code"], response.json()["is_key_industry"]) == ("2641", True)


def test_r_org_3_a_town_sees_only_its_own_site_of_a_two_town_unit(api_client, town_a_liaison, town_a, town_b):
    # given: one unit with a site in each town
    own = FacilityFactory(n=21, town=town_a)
    other = FacilityFactory(n=21, site_number="002", town=town_b)
    client = as_user(api_client, town_a_liaison)
    # then: the list and the search show only the town's own site; the other site is not found
    listed = client.get(FACILITIES).json()["results"]
    assert [row["source_code"] for row in listed] == [own.source_code]
    searched = client.get(FACILITIES, {"q": credit_code(21)}).json()["results"]
    assert [row["id"] for row in searched] == [own.pk]
    assert client.get(f"{FACILITIES}{other.pk}/").status_code == 404
    assert client.get(f"{FACILITIES}{own.pk}/").status_code == 200
