"""插手干预记录 (R-INS-11; 002 十九; 000 五3): any member of the bureau records one; only 局领导 and 法制科
read them; for everyone else, the administrator included, the list is the 404 of a page that does not
exist, and nothing else in the product tells them a record exists. Records are never edited or
deleted."""

import io
import re
from datetime import date

import pytest
from django.urls import reverse
from pypdf import PdfReader

from bureau.models import HardDeleteForbidden
from inspections.models import Case, InterferenceRecord
from inspections.services.interference import record_interference
from tests.factories.inspections import signed, start

pytestmark = pytest.mark.today(date(2026, 6, 15))

LIST = reverse("inspections:interference-list")
NEW = reverse("inspections:interference-new")
INTERFERER = "钱干预（某委办副主任）"
RECORD_LINK = "记录插手干预"
CASE_ANSWER = {
    "verdict": "noncompliant",
    "note": "废气排放口颗粒物超许可浓度",
    "finding_kind": "permit_violation",
    "disposition": "case",
}


def page_of(response) -> str:
    return response.content.decode()


def without_csrf(body: str) -> str:
    """The page with its CSRF token taken out: Django masks the token afresh on every response, the
    one part of two renderings of the same page that differs."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', 'name="csrfmiddlewaretoken" value=""', body)


@pytest.fixture
def inspection(facility, officers):
    return signed(start(facility, officers), officers, 二_5=CASE_ANSWER)


@pytest.fixture
def case(inspection):
    return Case.objects.get(findings__inspection=inspection)


@pytest.fixture
def record(inspection, case, officer):
    return record_interference(
        by=officer,
        occurred_on=date(2026, 6, 14),
        interferer=INTERFERER,
        method="打电话说情",
        detail="要求对该单位从轻处理",
        inspection=inspection,
        case=case,
    )


# Recording ----------------------------------------------------------------------------------------------


def test_r_ins_11_any_bureau_member_records_on_an_inspection_and_is_told_who_reads_it(
    client, approval_clerk, inspection
):
    client.force_login(approval_clerk)
    form_url = f"{NEW}?inspection={inspection.pk}"
    assert inspection.number in page_of(client.get(form_url))
    response = client.post(
        form_url,
        {
            "occurred_on": "2026-06-15",
            "interferer": INTERFERER,
            "method": "当面打招呼",
            "detail": "要求不要检查",
        },
    )
    # back to the inspection, with a confirmation and no link to the record
    assert response.status_code == 302
    assert response["Location"] == reverse("inspections:inspection-detail", args=[inspection.pk])
    saved = InterferenceRecord.objects.get()
    assert saved.inspection == inspection and saved.recorded_by == approval_clerk and saved.case is None
    confirmation = page_of(client.get(NEW))
    assert "已记录插手干预情况" in confirmation and "仅局领导和法制科可以查看" in confirmation
    assert LIST not in confirmation and INTERFERER not in confirmation


def test_r_ins_11_recorded_without_a_link_the_form_comes_back_with_the_confirmation(client, legal_clerk):
    client.force_login(legal_clerk)
    response = client.post(
        NEW,
        {"occurred_on": "2026-06-15", "interferer": INTERFERER, "method": "写条子", "detail": "要求撤案"},
        follow=True,
    )
    assert response.redirect_chain == [(NEW, 302)] and "已记录插手干预情况" in page_of(response)
    assert 'data-form="interference"' in page_of(response)


def test_r_ins_11_bad_input_is_refused_in_chinese_and_nothing_is_saved(client, officer):
    client.force_login(officer)
    empty = client.post(NEW, {"occurred_on": "2026-06-15"})
    assert empty.status_code == 400
    assert "请填写干预人（姓名、单位、职务）" in page_of(empty) and "请填写干预方式" in page_of(empty)
    future = client.post(
        NEW, {"occurred_on": "2026-06-16", "interferer": "某人", "method": "说情", "detail": "x"}
    )
    assert future.status_code == 400 and "发生日期不能晚于今天" in page_of(future)
    assert not InterferenceRecord.objects.exists()


def test_r_ins_11_a_town_and_the_administrator_do_not_record(client, town_a_liaison, administrator):
    for user in (town_a_liaison, administrator):
        client.force_login(user)
        assert client.get(NEW).status_code == 403
        response = client.post(
            NEW, {"occurred_on": "2026-06-15", "interferer": "某人", "method": "说情", "detail": "x"}
        )
        assert response.status_code == 403
    assert not InterferenceRecord.objects.exists()


def test_r_ins_11_a_case_the_user_may_not_see_is_404_on_the_form(client, approval_clerk, case):
    client.force_login(approval_clerk)
    assert client.get(f"{NEW}?case={case.pk}").status_code == 404


# Reading ------------------------------------------------------------------------------------------------


def test_r_ins_11_leadership_and_legal_read_the_records(
    client, leader, legal_clerk, record, case, inspection
):
    for user in (leader, legal_clerk):
        client.force_login(user)
        page = page_of(client.get(LIST))
        assert INTERFERER in page and "打电话说情" in page and "周执法" not in page
        assert reverse("inspections:case-detail", args=[case.pk]) in page and inspection.number in page
        assert f'href="{LIST}"' in page_of(client.get(reverse("home")))  # the nav entry


NON_READERS = [
    "approval_clerk",
    "ecology_clerk",
    "pollution_clerk",
    "officer",
    "monitoring_clerk",
    "town_a_liaison",
    "enforcement_head",
    "administrator",
]


@pytest.mark.parametrize("persona", NON_READERS)
def test_r_ins_11_the_list_is_the_404_of_a_page_that_does_not_exist(client, record, persona, request):
    client.force_login(request.getfixturevalue(persona))
    missing = client.get("/inspections/no-such-page-7f3a/")
    response = client.get(LIST)
    assert response.status_code == missing.status_code == 404
    assert without_csrf(page_of(response)) == without_csrf(page_of(missing))
    assert client.get(LIST, {"page": "2"}).status_code == 404


def test_r_ins_11_an_anonymous_visitor_gets_the_same_404(client, record):
    response, missing = client.get(LIST), client.get("/inspections/no-such-page-7f3a/")
    assert response.status_code == 404 and response.content == missing.content


@pytest.mark.parametrize("persona", NON_READERS)
def test_r_ins_11_nothing_else_reveals_a_record_to_a_non_reader(
    client, record, inspection, case, facility, persona, request
):
    # given: a record on the inspection and the case, recorded by the officer (who is no reader either)
    user = request.getfixturevalue(persona)
    client.force_login(user)
    pages = [
        reverse("home"),
        reverse("inspections:inspection-detail", args=[inspection.pk]),
        reverse("inspections:inspection-list"),
        reverse("inspections:case-detail", args=[case.pk]),
        reverse("inspections:case-list"),
        reverse("inspections:finding-list"),
        reverse("permits:facility-detail", args=[facility.pk]),
        reverse("todo-counts"),
        f"/api/v1/inspections/{inspection.pk}/",
        "/api/v1/inspections/",
        f"/api/v1/cases/{case.pk}/",
        "/api/v1/cases/",
        "/api/schema/",
    ]
    if user.is_superuser:
        pages.append(reverse("admin:index"))
    # when / then: no page names the interferer or says "插手干预" but for the link to the form
    for address in pages:
        body = page_of(client.get(address))
        assert response_is_clean(body), address
    # and: the printed record (text of the PDF) says nothing either
    pdf = client.get(reverse("inspections:inspection-pdf", args=[inspection.pk]))
    if pdf.status_code == 200:
        text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
        assert response_is_clean(text.replace(" ", "").replace("\n", ""))


def response_is_clean(body: str) -> bool:
    return INTERFERER not in body and "插手干预" not in body.replace(RECORD_LINK, "")


def test_r_ins_11_the_record_link_on_the_case_page_is_the_same_with_or_without_a_record(
    client, case, officer, record
):
    client.force_login(officer)
    page = page_of(client.get(reverse("inspections:case-detail", args=[case.pk])))
    assert f"{NEW}?case={case.pk}" in page and page.count(RECORD_LINK) == 1


# Never edited, never deleted --------------------------------------------------------------------------


def test_r_ins_11_a_record_is_never_edited_or_deleted(record):
    record.detail = "改过的内容"
    with pytest.raises(ValueError, match="不得修改"):
        record.save()
    with pytest.raises(HardDeleteForbidden):
        record.delete()
    with pytest.raises(HardDeleteForbidden):
        InterferenceRecord.objects.all().delete()
    assert InterferenceRecord.objects.get().detail == "要求对该单位从轻处理"


# Query budget -------------------------------------------------------------------------------------------


def test_r_ins_11_the_list_costs_four_queries(
    client, leader, record, inspection, case, officer, django_assert_num_queries
):
    for n in range(4):
        record_interference(
            by=officer,
            occurred_on=date(2026, 6, 10 + n),
            interferer=f"某人{n}",
            method="说情",
            detail="要求从轻",
            inspection=inspection if n % 2 else None,
            case=case if n % 3 else None,
        )
    client.force_login(leader)
    # Expect 4 queries: session; user with staff, section and town; the count; the page of records
    # joined with their inspection, case and recorder.
    with django_assert_num_queries(4):
        response = client.get(LIST)
    assert page_of(response).count("<tr data-record=") == 5
