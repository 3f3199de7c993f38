"""Choosing a facility in a form: search-as-you-type over name and codes (the JSON endpoint behind
the field), and the server's resolution of what was chosen or typed, within the user's jurisdiction
(R-ORG-3)."""

import pytest
from django.core.exceptions import ValidationError

from permits import queries
from permits.models import Facility
from tests.factories.permits import FacilityFactory, credit_code

pytestmark = pytest.mark.django_db
SEARCH = "/facilities/search.json"


@pytest.fixture
def registry(town_a, town_b):
    """Two facilities in each town; two of them share a name, in different towns."""
    return {
        "paint": FacilityFactory(n=1, town=town_a, name="甲镇涂料化工有限公司"),
        "plating": FacilityFactory(n=2, town=town_a, name="同名电镀有限公司"),
        "plating_b": FacilityFactory(n=3, town=town_b, name="同名电镀有限公司"),
        "paper": FacilityFactory(n=4, town=town_b, name="乙镇造纸有限公司"),
    }


def found(client, user, text) -> list[str]:
    client.force_login(user)
    response = client.get(SEARCH, {"q": text})
    assert response.status_code == 200
    return [row["name"] for row in response.json()["results"]]


def test_search_by_part_of_the_name_or_of_the_credit_code(client, approval_clerk, registry):
    assert found(client, approval_clerk, "涂料") == ["甲镇涂料化工有限公司"]
    assert found(client, approval_clerk, credit_code(4)[8:]) == ["乙镇造纸有限公司"]
    assert found(client, approval_clerk, credit_code(4)[8:].lower()) == ["乙镇造纸有限公司"]
    assert found(client, approval_clerk, "电镀") == ["同名电镀有限公司", "同名电镀有限公司"]
    assert found(client, approval_clerk, "   ") == []


def test_names_come_before_codes_that_merely_contain_the_text(client, approval_clerk, registry):
    """Every credit code of the district starts 91310…: "310" in a name such as 「…（310）」 comes first."""
    FacilityFactory(n=5, town=registry["paint"].town, name="甲镇甘泉精密机械有限公司（310）")
    assert found(client, approval_clerk, "310")[0] == "甲镇甘泉精密机械有限公司（310）"


def test_a_suggestion_carries_what_the_field_accepts_back(client, approval_clerk, registry):
    client.force_login(approval_clerk)
    (row,) = client.get(SEARCH, {"q": "造纸"}).json()["results"]
    paper = registry["paper"]
    assert row == {
        "id": paper.pk,
        "name": "乙镇造纸有限公司",
        "code": f"{credit_code(4)}001",
        "town": paper.town.name,
        "label": f"{credit_code(4)}001 乙镇造纸有限公司",
    }
    assert queries.resolve_facility(Facility.objects.all(), row["label"]) == paper


def test_r_org_3_a_town_finds_only_its_own_facilities(client, town_a_liaison, registry):
    assert found(client, town_a_liaison, "有限公司") == ["同名电镀有限公司", "甲镇涂料化工有限公司"]
    assert found(client, town_a_liaison, credit_code(4)) == []


def test_search_needs_a_login(client, registry):
    response = client.get(SEARCH, {"q": "涂料"})
    assert response.status_code == 302 and response.url.startswith("/login/")


def test_search_costs_fixed_queries_and_returns_at_most_fifteen(
    client, approval_clerk, town_a, django_assert_num_queries
):
    for n in range(40):
        FacilityFactory(n=100 + n, town=town_a, name=f"测试化工{n:02d}有限公司")
    client.force_login(approval_clerk)
    # Expect 3 queries: session, user with staff/section/town, the matching facilities with towns.
    with django_assert_num_queries(3):
        results = client.get(SEARCH, {"q": "化工"}).json()["results"]
    assert len(results) == queries.SEARCH_LIMIT == 15
    assert results[0]["name"] == "测试化工00有限公司"


# Resolution on the server (the field without its script, or what the script filled in) ----------------


def test_resolves_an_exact_credit_code_in_any_case(registry):
    assert (
        queries.resolve_facility(Facility.objects.all(), f" {credit_code(1).lower()} ") == registry["paint"]
    )


def test_r_fac_1_a_source_code_names_one_site_and_a_two_site_credit_code_asks_for_it(town_a, town_b, registry):
    second = FacilityFactory(n=1, site_number="002", town=town_b, name="甲镇涂料化工有限公司乙镇厂区")
    facilities = Facility.objects.all()
    assert queries.resolve_facility(facilities, f"{credit_code(1)}002") == second
    assert queries.resolve_facility(facilities, queries.facility_label(registry["paint"])) == registry["paint"]
    with pytest.raises(ValidationError) as error:
        queries.resolve_facility(facilities, credit_code(1))
    assert error.value.messages == [
        f"有多个污染源使用代码 {credit_code(1)}，请从提示中选择，或填写完整的污染源编码。"
    ]


def test_resolves_a_unique_full_name(registry):
    assert queries.resolve_facility(Facility.objects.all(), "乙镇造纸有限公司") == registry["paper"]


def test_an_ambiguous_name_asks_for_a_code(registry):
    with pytest.raises(ValidationError) as error:
        queries.resolve_facility(Facility.objects.all(), "同名电镀有限公司")
    assert error.value.messages == [
        "有多家排污单位名为“同名电镀有限公司”，请填写统一社会信用代码或污染源编码以区分。"
    ]


def test_an_unknown_facility_says_what_to_type(registry):
    with pytest.raises(ValidationError) as error:
        queries.resolve_facility(Facility.objects.all(), "涂料")
    assert error.value.messages == [
        "未找到排污单位“涂料”：请输入名称或代码的一部分并从提示中选择，或填写完整的统一社会信用代码、污染源编码或单位全称。"
    ]


def test_r_org_3_a_town_cannot_name_another_towns_facility(town_a_liaison, registry):
    mine = queries.visible_facilities(town_a_liaison)
    assert queries.resolve_facility(mine, "同名电镀有限公司") == registry["plating"]
    with pytest.raises(ValidationError):
        queries.resolve_facility(mine, credit_code(4))


# The forms that pick a facility -------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/complaints/new/", "/linkage/new/"])
def test_forms_that_pick_a_facility_offer_the_search_not_a_select(client, officer, registry, url):
    client.force_login(officer)
    page = client.get(url).content.decode()
    field = page[page.index('name="facility"') - 300 : page.index('name="facility"') + 300]
    assert 'data-search-url="/facilities/search.json"' in field
    assert 'role="combobox"' in field
    assert "<select" not in field.split('name="facility"')[0][-120:]
    assert "甲镇涂料化工有限公司" not in page  # no list of every facility in the page


def test_a_complaint_takes_the_facility_chosen_from_the_suggestions(client, officer, registry, today):
    client.force_login(officer)
    response = client.post(
        "/complaints/new/",
        {
            "channel": "hotline",
            "received_on": today.isoformat(),
            "facility": queries.facility_label(registry["paper"]),
            "content": "夜间异味。",
            "reporter_name": "李举报",
            "reporter_phone": "13900000000",
        },
    )
    assert response.status_code == 302
    assert registry["paper"].complaints.get().content == "夜间异味。"


def test_an_ambiguous_name_on_a_form_is_refused_in_chinese_with_input_kept(client, officer, registry, today):
    client.force_login(officer)
    response = client.post(
        "/complaints/new/",
        {
            "channel": "hotline",
            "received_on": today.isoformat(),
            "facility": "同名电镀有限公司",
            "content": "异味",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "有多家排污单位名为“同名电镀有限公司”" in page and 'value="同名电镀有限公司"' in page
