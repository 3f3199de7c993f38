"""Excel exports of the grading registers (issue 13): 执法正面清单 (and its history), 信用评价 and the
等级评定事实, each the page's rows under its filters; towns get the pages' 403 for the exports too."""

from datetime import date

import pytest
from django.urls import reverse

from grading.models import FactKind
from grading.services import credit, facts, positive
from tests.workbooks import column, sheet_rows

pytestmark = [pytest.mark.django_db, pytest.mark.today(date(2026, 3, 10))]

POSITIVE = reverse("grading:positive-list")
CREDIT = reverse("grading:credit-list")
FACTS = reverse("grading:fact-list")
EXPORTS = {
    POSITIVE: reverse("grading:positive-export"),
    CREDIT: reverse("grading:credit-export"),
    FACTS: reverse("grading:fact-export"),
}


@pytest.fixture
def holders(make_holders, legal_clerk, pollution_clerk, officer):
    """Two holders: the first rated 良好 and listed, the second with a fact of each of two sections."""
    first, second = make_holders(2)
    credit.record_rating(
        by=legal_clerk, facility=first, rated_on=date(2026, 1, 5), level="good", source="市局评价"
    )
    positive.add(by=legal_clerk, facility=first, reason="守法记录良好")
    common = {"facility": second, "description": "事实", "evidence": "材料"}
    facts.record_fact(by=pollution_clerk, kind=FactKind.MEDIA, occurred_on=date(2025, 6, 1), **common)
    facts.record_fact(by=officer, kind=FactKind.NOT_COOPERATING, occurred_on=date(2026, 1, 5), **common)
    return first, second


def test_positive_list_export_holds_the_listed_units(client, holders, officer):
    first, _ = holders
    client.force_login(officer)
    rows = sheet_rows(client.get(EXPORTS[POSITIVE]))
    assert column(rows, "单位名称") == [first.name] and column(rows, "列入理由") == ["守法记录良好"]
    # the history tab holds the removed ones only: none yet
    assert sheet_rows(client.get(EXPORTS[POSITIVE], {"view": "history"}))[1:] == []


def test_credit_export_keeps_the_rating_filter(client, holders, officer):
    first, second = holders
    client.force_login(officer)
    rows = sheet_rows(client.get(EXPORTS[CREDIT], {"rating": "good"}))
    assert column(rows, "单位名称") == [first.name]
    assert column(rows, "评价记录") == ["2026-01-05 环保良好 · 市局评价"]
    unrated = sheet_rows(client.get(EXPORTS[CREDIT], {"rating": "unrated"}))
    assert column(unrated, "单位名称") == [second.name] and column(unrated, "最新信用评价") == ["未评价"]


def test_facts_export_keeps_the_filters(client, holders, officer, pollution_clerk):
    client.force_login(officer)
    assert len(sheet_rows(client.get(EXPORTS[FACTS]))) == 3
    rows = sheet_rows(client.get(EXPORTS[FACTS], {"section": pollution_clerk.staff.section_id}))
    assert column(rows, "情形") == [FactKind.MEDIA.label] and column(rows, "状态") == ["有效"]
    assert sheet_rows(client.get(EXPORTS[FACTS], {"year": 2024}))[1:] == []


@pytest.mark.parametrize("page", [POSITIVE, CREDIT, FACTS])
def test_r_org_3_towns_get_the_pages_403_for_the_export(client, holders, town_a_liaison, page):
    client.force_login(town_a_liaison)
    assert client.get(page).status_code == client.get(EXPORTS[page]).status_code == 403
