"""信用评价 (R-CRD-1; 000 四2, 002 二十): every permit holder of the year with its latest rating, 法制科
records ratings (date, level, source), everyone else in the bureau reads; filters and 50 a page."""

from datetime import date

import pytest
from django.urls import reverse

from grading.models import CreditRecord
from grading.services import credit
from permits.services.facilities import update_facility
from tests.factories.bureau import TownFactory
from tests.factories.permits import FacilityFactory

pytestmark = [pytest.mark.django_db, pytest.mark.today(date(2026, 3, 10))]

LIST = reverse("grading:credit-list")
RECORD = reverse("grading:credit-record")


def text(response) -> str:
    return response.content.decode()


def rating(facility, **changes):
    return {
        "facility": facility.source_code,
        "rated_on": "2026-02-01",
        "level": "good",
        "source": "市生态环境局企业环境信用评价结果",
        "note": "",
    } | changes


def test_r_crd_1_legal_records_a_rating_and_the_latest_is_the_facilitys(client, legal_clerk, make_holders):
    holder = make_holders(1)[0]
    client.force_login(legal_clerk)
    assert client.post(RECORD, rating(holder)).status_code == 302
    # an older rating recorded later does not replace the latest
    assert client.post(RECORD, rating(holder, rated_on="2025-06-01", level="warning")).status_code == 302
    holder.refresh_from_db()
    assert (holder.credit_rating, holder.credit_rated_on) == ("good", date(2026, 2, 1))
    assert CreditRecord.objects.filter(facility=holder).count() == 2
    page = text(client.get(LIST))
    assert (
        "环保良好" in page
        and "2 条记录" in page
        and "环保警示" in page
        and "市生态环境局企业环境信用评价结果" in page
    )


def test_r_crd_1_only_legal_records_others_read(client, approval_clerk, administrator, make_holders):
    holder = make_holders(1)[0]
    for user in (approval_clerk, administrator):
        client.force_login(user)
        page = text(client.get(LIST))
        assert holder.name in page and 'data-form="credit-record"' not in page
        refused = client.post(RECORD, rating(holder))
        assert refused.status_code == 403 and "信用评价由社区联络科（法制科）记录。" in text(refused)
    assert not CreditRecord.objects.exists()


def test_bad_ratings_are_refused_in_chinese_and_nothing_is_written(client, legal_clerk, make_holders):
    holder = make_holders(1)[0]
    client.force_login(legal_clerk)
    empty = client.post(RECORD, {})
    assert empty.status_code == 400
    for message in (
        "请选择持证单位。",
        "请选择信用等级。",
        "请填写评价来源（评价机关及文件）。",
        "请填写评价日期。",
    ):
        assert message in text(empty)
    future = client.post(RECORD, rating(holder, rated_on="2026-03-11"))
    assert future.status_code == 400 and "评价日期不能晚于今天。" in text(future)
    wrong = client.post(RECORD, rating(holder, level="platinum"))
    assert wrong.status_code == 400 and "请选择信用等级。" in text(wrong)
    holder.refresh_from_db()
    assert not CreditRecord.objects.exists() and holder.credit_rating == ""


def test_r_grd_1_registered_units_and_facilities_without_a_permit_are_not_listed(
    client, officer, make_holders
):
    holder = make_holders(1)[0]
    registered = FacilityFactory(management_level="registered")
    client.force_login(officer)
    page = text(client.get(LIST))
    assert holder.name in page and registered.name not in page


def test_the_list_filters_by_rating_town_and_name(client, legal_clerk, administrator, make_holders):
    rated, unrated, elsewhere = make_holders(3)
    credit.record_rating(
        by=legal_clerk, facility=rated, rated_on=date(2026, 1, 1), level="dishonest", source="市局"
    )
    update_facility(
        facility=elsewhere, by=administrator, changes={"town": TownFactory(code="TC", name="丙镇")}
    )
    client.force_login(legal_clerk)

    def shown(**query):
        page = text(client.get(LIST, query))
        return {f for f in (rated, unrated, elsewhere) if f'data-facility="{f.pk}"' in page}

    assert shown() == {rated, unrated, elsewhere}
    assert shown(rating="unrated") == {unrated, elsewhere}
    assert shown(rating="dishonest") == {rated}
    assert shown(town=rated.town_id) == {rated, unrated}
    assert shown(q=unrated.source_code[-6:]) == {unrated}


def test_fifty_holders_a_page(client, officer, make_holders):
    make_holders(51)
    client.force_login(officer)
    first = text(client.get(LIST))
    assert first.count('data-facility="') == 50 and "第 1 / 2 页" in first
    assert text(client.get(LIST, {"page": 2})).count('data-facility="') == 1


def test_r_crd_1_a_listed_unit_whose_credit_falls_is_put_to_legal(legal_clerk, make_holders):
    """002 二十: the list and credit go together; a 警示 rating of a listed unit asks 法制科 to decide."""
    from bureau.models import TodoItem
    from grading.services import credit, positive

    (unit,) = make_holders(1)
    positive.add(by=legal_clerk, facility=unit, reason="信用良好")
    credit.record_rating(
        by=legal_clerk, facility=unit, rated_on=date(2026, 3, 1), level="good", source="市局"
    )
    assert not TodoItem.objects.filter(key__startswith="positive-list-credit:").exists()
    credit.record_rating(
        by=legal_clerk, facility=unit, rated_on=date(2026, 3, 5), level="warning", source="市局"
    )
    item = TodoItem.objects.get(key=f"positive-list-credit:{unit.pk}", done_at=None)
    assert "环保警示" in item.title and item.section.code == "legal"
    positive.remove(by=legal_clerk, facility=unit, reason="信用评价为环保警示")
    assert TodoItem.objects.get(key=f"positive-list-credit:{unit.pk}").done_at is not None
