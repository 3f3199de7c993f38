"""The one rectification ledger (R-PER-3, 000 二(二)3): problems from every source join it through
``services.rectification.open_rectification_item``, and the ledger page, the facility page, the API
and the export say where each came from."""

from datetime import date, timedelta
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from permits.models import RectificationItem, RectificationSource
from permits.services import rectification
from tests.factories.permits import FacilityFactory, PermitFactory, QualityCheckFactory

pytestmark = pytest.mark.django_db

FINDING_KEY = "inspections.finding:12"
LEDGER = reverse("permits:ledger")
RECTIFICATIONS = "/api/v1/rectifications/"


def open_inspection_item(facility, *, by=None, **overrides) -> RectificationItem:
    """An inspection finding as the inspections app would put it on the ledger."""
    values = {
        "by": by,
        "facility": facility,
        "source_kind": RectificationSource.INSPECTION,
        "source_key": FINDING_KEY,
        "source_label": "JC-2025-015 第 3 项",
        "category": "unlicensed_discharge",
        "category_label": "无证排污",
        "description": "废气处理设施未运行即生产",
        "found_on": date(2025, 9, 30),
        "deadline_workdays": 5,
        "responsible_person": "王厂长",
        "responsible_phone": "13800000000",
    } | overrides
    return rectification.open_rectification_item(**values)


def record_check(facility, by, *, checked_on=date(2025, 9, 30), findings=1):
    """An off-site check whose findings are all 违规降低管理级别."""
    return QualityCheckFactory(
        facility=facility,
        by=by,
        checked_on=checked_on,
        method="off_site",
        findings=findings,
        categories=["level_lowered"],
    )


# The service ------------------------------------------------------------------------------------------


def test_r_per_3_an_inspection_finding_joins_the_ledger_with_its_source(town_a, officer):
    # given
    facility = FacilityFactory(town=town_a)

    # when
    item = open_inspection_item(facility, by=officer)

    # then
    item.refresh_from_db()
    assert (item.source_kind, item.source_key, item.source_label) == (
        "inspection",
        FINDING_KEY,
        "JC-2025-015 第 3 项",
    )
    assert item.quality_check is None
    assert (item.category, item.category_label, str(item)) == (
        "unlicensed_discharge",
        "无证排污",
        f"{facility.name}：无证排污",
    )
    # 5 working days after 30 September 2025 skip the National Day holiday (R-CAL-1)
    assert (item.found_on, item.deadline_on, item.deadline_workdays) == (
        date(2025, 9, 30),
        date(2025, 10, 14),
        5,
    )
    assert item.closed_on is None and item.is_overdue_on(date(2025, 10, 15))
    opened = item.history.get()
    assert (opened.history_user, opened.history_change_reason) == (
        officer,
        "列入整改台账（来源：执法检查发现）",
    )


def test_r_per_3_a_permit_requirement_keeps_the_deadline_the_permit_set(town_a):
    permit = PermitFactory(facility=FacilityFactory(town=town_a))

    item = open_inspection_item(
        permit.facility,
        source_kind=RectificationSource.PERMIT,
        source_key=f"permits.permit:{permit.pk}",
        source_label=f"许可证 {permit.number} 整改要求",
        category="permit_requirement",
        category_label="许可证整改要求",
        deadline_workdays=None,
        deadline_on=date(2025, 12, 31),
    )

    assert (item.deadline_on, item.deadline_workdays) == (date(2025, 12, 31), None)
    assert item.get_source_kind_display() == "许可证整改要求"


def test_r_per_3_other_problems_need_no_source_record(town_a):
    item = open_inspection_item(
        FacilityFactory(town=town_a),
        source_kind=RectificationSource.OTHER,
        source_key="",
        source_label="局领导交办",
    )
    assert (item.source_kind, item.source_key) == ("other", "")


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"source_kind": "complaint"}, "source_kind", "问题来源应为"),
        ({"source_key": " "}, "source_key", "请填写来源记录"),
        ({"source_kind": RectificationSource.QUALITY_CHECK}, "quality_check", "须关联该次检查"),
        ({"source_label": " "}, "source_label", "请填写来源说明。"),
        ({"source_label": "来" * 201}, "source_label", "200"),
        ({"category_label": ""}, "category_label", "请填写问题类别名称。"),
        ({"description": "  "}, "description", "请填写问题描述。"),
        ({"responsible_person": ""}, "responsible_person", "请填写整改责任人。"),
        ({"deadline_workdays": None}, "deadline_workdays", "请填写整改时限（工作日）或整改期限之一。"),
        (
            {"deadline_on": date(2025, 12, 31)},
            "deadline_workdays",
            "请填写整改时限（工作日）或整改期限之一。",
        ),
        ({"deadline_workdays": 0}, "deadline_workdays", "整改时限应为 1–250 个工作日。"),
        ({"deadline_workdays": None, "deadline_on": date(2025, 9, 1)}, "deadline_on", "不能早于发现日期"),
    ],
)
def test_r_per_3_a_bad_item_is_refused_in_chinese_and_writes_nothing(town_a, overrides, field, message):
    facility = FacilityFactory(town=town_a)

    with pytest.raises(ValidationError) as caught:
        open_inspection_item(facility, **overrides)

    assert message in " ".join(caught.value.message_dict[field])
    assert not RectificationItem.objects.exists()


def test_r_per_3_only_a_quality_checks_items_name_the_check(town_a, approval_clerk):
    facility = FacilityFactory(town=town_a)
    check = record_check(facility, approval_clerk)
    other_check = record_check(FacilityFactory(town=town_a), approval_clerk)

    with pytest.raises(ValidationError, match="只有来源为核发质量检查的问题关联质量检查"):
        open_inspection_item(facility, quality_check=check)
    with pytest.raises(ValidationError, match="该次质量检查不属于此排污单位"):
        open_inspection_item(
            facility,
            source_kind=RectificationSource.QUALITY_CHECK,
            quality_check=other_check,
            category="level_lowered",
        )
    # and the database holds to it whatever writes the row
    with pytest.raises(IntegrityError), transaction.atomic():
        RectificationItem.objects.filter(quality_check=check).update(
            source_kind=RectificationSource.INSPECTION
        )


def test_r_per_3_quality_check_items_say_they_came_from_the_check(town_a, approval_clerk):
    check = record_check(FacilityFactory(town=town_a), approval_clerk, findings=2)

    items = list(check.items.all())

    assert {(i.source_kind, i.source_key, i.source_label, i.found_on, i.category_label) for i in items} == {
        (
            "quality_check",
            f"permits.quality_check:{check.pk}",
            "2025-09-30 非现场核查",
            check.checked_on,
            "违规降低管理级别",
        )
    }
    assert len(items) == 2


def test_r_per_3_an_item_from_any_source_closes_not_before_it_was_found(town_a, approval_clerk):
    item = open_inspection_item(FacilityFactory(town=town_a))

    with pytest.raises(ValidationError, match="销号日期不能早于发现日期。"):
        rectification.close_rectification(
            by=approval_clerk, item=item, closed_on=date(2025, 9, 29), evidence="已整改"
        )
    rectification.close_rectification(
        by=approval_clerk, item=item, closed_on=date(2025, 10, 9), evidence="已整改"
    )

    item.refresh_from_db()
    assert (item.closed_on, item.closed_by) == (date(2025, 10, 9), approval_clerk)


# Pages, API and export -----------------------------------------------------------------------------------


@pytest.fixture
def mixed_ledger(town_a, approval_clerk, work_calendar):
    """One facility with a quality-check finding and an inspection finding, both found yesterday."""
    yesterday = timezone.localdate() - timedelta(days=1)
    facility = FacilityFactory(town=town_a, name="甲镇涂料厂")
    check = record_check(facility, approval_clerk, checked_on=yesterday)
    inspected = open_inspection_item(facility, found_on=yesterday, deadline_workdays=20)
    return {"facility": facility, "checked": check.items.get(), "inspected": inspected}


def test_r_per_3_the_ledger_shows_every_source_and_counts_them_towards_zero(client, leader, mixed_ledger):
    client.force_login(leader)

    page = client.get(LEDGER).content.decode()

    assert "距清零还有 <strong>2</strong> 项" in page
    assert '<td data-label="问题来源" data-source="inspection">执法检查发现<br>' in page
    assert "JC-2025-015 第 3 项" in page and "无证排污" in page
    assert '<td data-label="问题来源" data-source="quality_check">核发质量检查<br>' in page


@pytest.mark.parametrize(("source", "key"), [("inspection", "inspected"), ("quality_check", "checked")])
def test_r_per_3_the_ledger_filters_by_source(client, leader, mixed_ledger, source, key):
    client.force_login(leader)

    rows = client.get(LEDGER, {"source_kind": source}).context["rows"]

    assert [row["item"] for row in rows] == [mixed_ledger[key]]


def test_r_per_3_the_facility_page_says_where_each_problem_came_from(client, approval_clerk, mixed_ledger):
    client.force_login(approval_clerk)

    page = client.get(reverse("permits:facility-detail", args=[mixed_ledger["facility"].pk])).content.decode()

    assert (
        '<div data-source="inspection"><dt>问题来源</dt><dd>执法检查发现 · JC-2025-015 第 3 项</dd></div>'
        in page
    )
    assert '<div data-source="quality_check"><dt>问题来源</dt><dd>核发质量检查 · ' in page


def test_r_per_3_the_api_finds_an_item_by_its_source_record(api_client, approval_clerk, mixed_ledger):
    api_client.force_authenticate(approval_clerk)

    response = api_client.get(RECTIFICATIONS, {"source_key": FINDING_KEY})

    assert response.status_code == 200
    [row] = response.json()["results"]
    item = mixed_ledger["inspected"]
    expected = {
        "id": item.pk,
        "source_kind": "inspection",
        "source_kind_display": "执法检查发现",
        "source_key": FINDING_KEY,
        "source_label": "JC-2025-015 第 3 项",
        "quality_check": None,
        "found_on": item.found_on.isoformat(),
        "category": "unlicensed_discharge",
        "category_display": "无证排污",
        "deadline_workdays": 20,
    }
    assert {name: row[name] for name in expected} == expected
    assert api_client.get(RECTIFICATIONS, {"source_kind": "quality_check"}).json()["count"] == 1


def test_r_per_3_the_export_names_each_source(client, leader, mixed_ledger):
    client.force_login(leader)

    response = client.get(reverse("permits:ledger-export"))

    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0][3] == "发现日期" and rows[0][15:] == ["问题来源", "来源说明"]
    sources = {tuple(row[15:]) for row in rows[1:]}
    assert ("执法检查发现", "JC-2025-015 第 3 项") in sources
    assert {kind for kind, _ in sources} == {"执法检查发现", "核发质量检查"}


def test_r_per_3_the_ledger_links_each_item_back_to_the_record_that_found_it(
    client, town_a, approval_clerk, officer
):
    # given: a quality-check finding, an inspection finding with its page, and one with no page
    facility = FacilityFactory(town=town_a)
    check = record_check(facility, approval_clerk)
    open_inspection_item(facility, by=officer, source_url="/inspections/15/#finding-3")
    open_inspection_item(facility, by=officer, source_key="inspections.finding:13")
    # when
    client.force_login(approval_clerk)
    ledger = client.get(LEDGER).content.decode()
    page = client.get(reverse("permits:facility-detail", args=[facility.pk])).content.decode()
    # then: the quality check's label leads to the check on the facility page, which has that anchor
    check_url = f"/facilities/{facility.pk}/#check-{check.pk}"
    assert f'href="{check_url}" data-source-link' in ledger
    assert 'href="/inspections/15/#finding-3" data-source-link' in ledger
    assert ledger.count("data-source-link") == 2 and page.count("data-source-link") == 2
    assert f'id="check-{check.pk}"' in page


@pytest.mark.parametrize("url", ["https://evil.example/x", "//evil.example/x", "javascript:alert(1)"])
def test_r_per_3_a_source_link_must_stay_inside_the_system(town_a, officer, url):
    with pytest.raises(ValidationError) as refused:
        open_inspection_item(FacilityFactory(town=town_a), by=officer, source_url=url)
    assert refused.value.message_dict == {"source_url": ["来源链接应为本系统内的地址（以“/”开头）。"]}
    assert not RectificationItem.objects.exists()
