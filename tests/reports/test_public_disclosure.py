"""Public disclosure without login (R-PUB-1; 002 十六、二十一, 000 四1): permit holders and their permits'
validity, the penalties decided, typical cases and the yearly published share, as pages and as JSON
under /public/api/; GET and HEAD only; filters and page numbers that make no sense are ignored, never
a 500; a fixed number of queries per page."""

import json
from datetime import date

import pytest
from django.urls import reverse

from inspections.public_queries import publication_rate
from inspections.services.cases import submit_case
from inspections.services.draws import run_draw
from permits.models import Facility
from permits.services.penalties import record_penalty
from reports import public_queries
from tests.factories.permits import FacilityFactory, PermitFactory
from tests.inspections.conftest import officer2, officers  # noqa: F401
from tests.reports.test_public import make_draw, units  # noqa: F401
from tests.reports.test_typical_cases import decide, open_case, publish

pytestmark = pytest.mark.today(date(2026, 6, 20))

PERMITS = reverse("public:permit-list")
PENALTIES = reverse("public:penalty-list")
TYPICAL = reverse("public:typical-case-list")
RATES = reverse("public:rates")
API_PERMITS = reverse("public:api-permits")
API_PENALTIES = reverse("public:api-penalties")
API_TYPICAL = reverse("public:api-typical-cases")
API_RATES = reverse("public:api-rates")
CONTACT = {"contact_person": "联系人孙小姐", "contact_phone": "13700001111"}


def text(response) -> str:
    return response.content.decode()


def api(client, url) -> dict:
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    return json.loads(response.content)


@pytest.fixture
def registry(town_a, town_b, approval_clerk, officers, legal_head, legal_clerk):  # noqa: F811
    """Six holders: in 甲镇 a valid permit (with a contact person), an expired one, one revoked by a
    penalty decided through a case that 法制科 made typical, one with a case still under review; in
    乙镇 two valid ones, one fined through a case also made typical, one with a penalty recorded
    directly by 执法大队."""

    def holder(n, town, issued_on=date(2024, 1, 10), **values):
        facility = FacilityFactory(
            n=n, town=town, by=approval_clerk, address=f"{town.name}工业路{n}号", **values
        )
        PermitFactory(facility=facility, by=approval_clerk, issued_on=issued_on, number=f"9131PUB{n:03d}001P")
        return facility

    valid = holder(1, town_a, **CONTACT)
    holder(2, town_a, issued_on=date(2020, 3, 1))
    revoked = holder(3, town_a)
    case = decide(
        open_case(revoked, officers), officers, legal_head, decision_no="普环罚〔2026〕3号", revokes=True
    )
    typical = publish(legal_clerk, case, title="某公司超标排放被吊销许可证案")
    pending = holder(4, town_a)
    under_review = open_case(pending, officers)
    submit_case(
        by=officers[0],
        case=under_review,
        proposed_decision="penalty",
        proposal="待审",
        submitted_on=date(2026, 6, 20),
    )
    second = decide(
        open_case(holder(5, town_b), officers), officers, legal_head, decision_no="普环罚〔2026〕5号"
    )
    publish(legal_clerk, second, title="第二个典型案例")
    fined = holder(6, town_b)
    record_penalty(
        by=officers[0],
        facility=fined,
        decision_no="普环罚〔2025〕9号",
        decided_on=date(2025, 11, 3),
        violation="未按规定开展自行监测",
        amount=None,
    )
    return {"valid": valid, "revoked": revoked, "pending": pending, "case": case, "typical": typical}


# Permits -----------------------------------------------------------------------------------------------


def test_r_pub_1_permit_holders_with_validity_and_state(client, registry):
    page = text(client.get(PERMITS))
    assert "共 6 张排污许可证" in page
    assert "测试单位001有限公司" in page and "甲镇工业路1号" in page and "9131PUB001001P" in page
    assert "2024-01-10 至 2029-01-09" in page and "重点管理" in page and "涂料制造" in page
    assert page.count('data-state="valid"') == 4
    assert page.count('data-state="expired"') == 1 and "已过期" in page
    assert page.count('data-state="revoked"') == 1 and "已吊销" in page
    # a unit's contact person is personal data: never on a public page
    assert CONTACT["contact_person"] not in page and CONTACT["contact_phone"] not in page


def test_r_pub_1_permits_searched_by_name_or_credit_code_and_filtered_by_town(client, registry):
    assert "共 1 张" in text(client.get(PERMITS, {"q": "单位001"}))
    code = registry["valid"].credit_code
    assert "共 1 张" in text(client.get(PERMITS, {"q": code[:18].lower()}))
    in_b = text(client.get(PERMITS, {"town": "TB"}))
    assert "共 2 张" in in_b and "测试单位005有限公司" in in_b and "测试单位001有限公司" not in in_b
    data = api(client, f"{API_PERMITS}?town=TA&q=测试单位")
    assert data["count"] == 4 and {row["town"] for row in data["results"]} == {"甲镇"}


def test_r_pub_1_permit_api_hands_out_public_fields_only(client, registry):
    data = api(client, API_PERMITS)
    assert (data["count"], data["page"], data["pages"], data["page_size"]) == (6, 1, 1, 20)
    row = next(r for r in data["results"] if r["permit_number"] == "9131PUB003001P")
    assert row == {
        "unit_name": "测试单位003有限公司",
        "credit_code": registry["revoked"].credit_code,
        "site": "甲镇工业路3号",
        "town": "甲镇",
        "industry": "涂料制造",
        "permit_number": "9131PUB003001P",
        "management_level": "重点管理",
        "valid_from": "2024-01-10",
        "valid_until": "2029-01-09",
        "state": "revoked",
        "state_label": "已吊销",
    }


BAD_QUERIES = [
    "page=abc",
    "page=0",
    "page=-3",
    "page=99",
    f"page={10**30}",
    "town=ZZ",
    "q=" + "长" * 300,
    "q=%25_%5C",
    "year=二〇二六",
    "year=99999",
]


def test_r_pub_1_a_bad_page_or_filter_is_not_an_error(client, registry):
    for query in BAD_QUERIES:
        for url in (PERMITS, PENALTIES, TYPICAL, API_PERMITS, API_PENALTIES, API_TYPICAL):
            assert client.get(f"{url}?{query}").status_code == 200, f"{url}?{query}"
    # A control character is refused with a Chinese message (issue 14, bureau/text.py), never a 500.
    for query in ("town=%00", "q=%00"):
        for url in (PERMITS, API_PERMITS):
            response = client.get(f"{url}?{query}")
            assert response.status_code == 400 and "控制字符" in response.content.decode(), f"{url}?{query}"


def test_r_pub_1_pages_of_twenty_and_the_api_says_which_page(client, registry, monkeypatch):
    monkeypatch.setattr(public_queries, "PAGE_SIZE", 4)
    second = text(client.get(PERMITS, {"page": "2"}))
    assert "第 2 / 2 页" in second and second.count("<tr data-state=") == 2
    data = api(client, f"{API_PERMITS}?page=7")
    assert (data["page"], data["pages"], len(data["results"])) == (2, 2, 2)


# Penalties ---------------------------------------------------------------------------------------------


def test_r_pub_1_penalties_decided_are_published_and_pending_cases_are_not(client, registry):
    page = text(client.get(PENALTIES))
    assert "共 3 条行政处罚" in page
    assert "普环罚〔2026〕3号" in page and "罚款 50000.00 元；吊销排污许可证" in page and "2026-06-20" in page
    assert "普环罚〔2025〕9号" in page and "未按规定开展自行监测" in page
    assert "测试单位004有限公司" not in page  # its case is under legal review
    assert "待审" not in page  # nor any internal text


def test_r_pub_1_penalties_filtered_by_year_town_and_name(client, registry):
    assert "共 1 条" in text(client.get(PENALTIES, {"year": "2025"}))
    assert "共 1 条" in text(client.get(PENALTIES, {"town": "TA"}))
    assert "共 0 条" in text(client.get(PENALTIES, {"q": "测试单位001"}))
    data = api(client, f"{API_PENALTIES}?year=2026&town=TA")
    assert data["count"] == 1
    assert data["results"][0] == {
        "unit_name": "测试单位003有限公司",
        "credit_code": registry["revoked"].credit_code,
        "town": "甲镇",
        "decided_on": "2026-06-20",
        "decision_no": "普环罚〔2026〕3号",
        "violation": data["results"][0]["violation"],
        "amount": "50000.00",
        "revokes_permit": True,
    }
    assert registry["case"].number in data["results"][0]["violation"]


# Typical cases -----------------------------------------------------------------------------------------


def test_r_pub_1_typical_cases_list_detail_and_api(client, registry):
    typical = registry["typical"]
    page = text(client.get(TYPICAL))
    assert (
        "某公司超标排放被吊销许可证案" in page
        and reverse("public:typical-case-detail", args=[typical.pk]) in page
    )
    detail = text(client.get(reverse("public:typical-case-detail", args=[typical.pk])))
    assert "测试单位003有限公司" in detail and "罚款金额" in detail and "吊销排污许可证" in detail
    data = api(client, API_TYPICAL)
    assert data["count"] == 2 and typical.pk in [row["id"] for row in data["results"]]
    assert set(data["results"][0]) == {
        "id",
        "title",
        "summary",
        "published_on",
        "unit_name",
        "town",
        "industry",
        "decided_on",
        "decision",
        "decision_no",
        "penalty_amount",
        "revokes_permit",
    }
    assert api(client, f"{API_TYPICAL}?year=2025")["count"] == 0


@pytest.mark.parametrize("pk", ["999", "0", str(10**30)])
def test_r_pub_1_a_missing_typical_case_is_a_chinese_404(client, db, pk):
    response = client.get(f"/public/typical-cases/{pk}/")
    assert response.status_code == 404 and "没有该典型案例" in text(response)


# The yearly published share ----------------------------------------------------------------------------


@pytest.mark.today(date(2026, 8, 5))
def test_r_pub_1_yearly_published_share_matches_the_draw_pages(client, units, officers):  # noqa: F811
    run_draw(by=officers[0], draw=make_draw(officers, sample_size=2), today=date(2026, 6, 1))
    expected = publication_rate(2026, date(2026, 8, 5))
    assert (expected.due, expected.published) == (2, 0)
    page = text(client.get(RATES))
    assert '<tr data-year="2026">' in page and '<td data-label="应公开结果数">2</td>' in page and "0%" in page
    assert api(client, API_RATES) == {
        "count": 1,
        "results": [{"year": 2026, "due": 2, "published": 0, "percent": 0, "target": 100}],
    }


def test_r_pub_1_no_draw_yet_says_so(client, db):
    assert "目前没有已抽取的双随机抽查" in text(client.get(RATES))
    assert api(client, API_RATES) == {"count": 0, "results": []}


# Methods, links, budgets -------------------------------------------------------------------------------


def test_r_pub_1_get_and_head_only(client, registry):
    detail = reverse("public:typical-case-detail", args=[registry["typical"].pk])
    for url in (
        PERMITS,
        PENALTIES,
        TYPICAL,
        detail,
        RATES,
        API_PERMITS,
        API_PENALTIES,
        API_TYPICAL,
        API_RATES,
    ):
        assert client.head(url).status_code == 200, url
        for method in (client.post, client.put, client.delete, client.patch):
            assert method(url).status_code == 405, (method, url)


def test_r_pub_1_the_public_index_links_every_page(client, db):
    page = text(client.get(reverse("public:index")))
    for url in (PERMITS, PENALTIES, TYPICAL, RATES):
        assert f'href="{url}"' in page


def test_r_pub_1_a_confidential_holder_leaves_the_lists(client, registry):
    Facility.objects.filter(pk=registry["revoked"].pk).update(is_confidential=True)
    assert "共 5 张" in text(client.get(PERMITS)) and "共 2 条" in text(client.get(PENALTIES))
    assert [row["title"] for row in api(client, API_TYPICAL)["results"]] == ["第二个典型案例"]


def test_r_pub_1_every_public_page_and_api_costs_fixed_queries(client, registry, django_assert_num_queries):
    detail = reverse("public:typical-case-detail", args=[registry["typical"].pk])
    budgets = [
        # towns for the filter, count, page of permits with holders, towns and derived states
        (PERMITS, 3, "9131PUB006001P"),
        (API_PERMITS, 3, "9131PUB006001P"),
        # towns, count, page of penalties with holders and towns and whether a permit was revoked
        (PENALTIES, 3, "普环罚〔2025〕9号"),
        (API_PENALTIES, 3, "普环罚〔2025〕9号"),
        # count, page of typical cases with their cases, holders and towns
        (TYPICAL, 2, "某公司超标排放被吊销许可证案"),
        (API_TYPICAL, 2, "某公司超标排放被吊销许可证案"),
        # the typical case with its case, holder and town
        (detail, 1, "某公司超标排放被吊销许可证案"),
        # every year's published share, grouped
        (RATES, 1, "抽查结果公开率"),
        (API_RATES, 1, "results"),
    ]
    for url, queries, shown in budgets:
        with django_assert_num_queries(queries):
            response = client.get(url)
        assert shown in text(response), url
