"""The 现场检查 list (an officer's own tabs, 全部检查 with filters), 登记现场检查 (R-INS-6) and the
facility page's panel: who may open them, what they show, the refusals in Chinese, exact budgets."""

from datetime import date

import pytest
from django.urls import reverse

from inspections.models import Inspection, InspectionState, Reason
from tests.factories.bureau import StaffFactory
from tests.factories.inspections import NONCOMPLIANT_RECTIFY, signed, start
from tests.factories.permits import FacilityFactory

pytestmark = pytest.mark.today(date(2026, 6, 15))

LIST = reverse("inspections:inspection-list")
NEW = reverse("inspections:inspection-new")


def page_of(response) -> str:
    return response.content.decode()


def numbers(response) -> list[str]:
    return [i.number for i in response.context["page"].object_list]


@pytest.fixture
def third(db):
    """A third officer of 执法大队, not on the officers' inspections."""
    return StaffFactory(
        username="enforcement3", section_code="enforcement", certificate_no="31010720003", full_name="吴执法"
    ).user


@pytest.fixture
def board(facility, officers, third, town_b, approval_clerk):
    """Inspections in every state: today's draft of the officers, one waiting for the second officer's
    signature, one signed last month with a finding; one of a town-B facility by other officers."""
    first, second = officers
    draft = start(facility, officers)
    waiting = start(facility, officers, on=date(2026, 6, 10))
    waiting = signed(waiting, [first])  # only the first signs
    done = signed(start(facility, officers, on=date(2026, 5, 20)), officers, 二_3=NONCOMPLIANT_RECTIFY)
    elsewhere = FacilityFactory(n=2, town=town_b, by=approval_clerk)
    other = start(elsewhere, [third, second], by=third, on=date(2026, 6, 1))
    return {"draft": draft, "waiting": waiting, "done": done, "other": other}


# The list ------------------------------------------------------------------------------------------------


def test_r_ins_6_an_officer_sees_their_own_tabs_first(client, board, officer):
    client.force_login(officer)
    response = client.get(LIST)
    assert response.status_code == 200 and response.context["tab"] == "today"
    assert numbers(response) == [board["draft"].number]
    counts = {t["key"]: t["count"] for t in response.context["tabs"]}
    # 已签署 is an archive, counted on its own page only (issue 15: 130,000 a career at city scale).
    assert counts == {"today": 1, "draft": 1, "to_sign": 0, "signed": None}
    assert numbers(client.get(LIST, {"tab": "draft"})) == [board["draft"].number]
    assert numbers(client.get(LIST, {"tab": "signed"})) == [board["done"].number]
    assert "登记现场检查" in page_of(response)


def test_r_ins_6_to_sign_lists_what_waits_for_this_officer(client, board, officer2):
    client.force_login(officer2)
    response = client.get(LIST, {"tab": "to_sign"})
    assert numbers(response) == [board["waiting"].number]
    assert {t["key"]: t["count"] for t in response.context["tabs"]}["to_sign"] == 1


def test_every_section_reads_all_inspections_with_filters(client, board, legal_clerk, town_b):
    client.force_login(legal_clerk)
    response = client.get(LIST)
    page = page_of(response)
    assert response.context["tab"] == "all" and response.context["tabs"] == []
    assert len(numbers(response)) == 4 and "登记现场检查" not in page
    assert numbers(client.get(LIST, {"tab": "all", "state": "signed"})) == [board["done"].number]
    assert numbers(client.get(LIST, {"tab": "all", "reason": "follow_up"})) == []
    assert numbers(client.get(LIST, {"tab": "all", "town": town_b.pk})) == [board["other"].number]
    assert numbers(client.get(LIST, {"tab": "all", "q": "测试单位002"})) == [board["other"].number]
    in_may = client.get(LIST, {"tab": "all", "date_from": "2026-05-01", "date_to": "2026-05-31"})
    assert numbers(in_may) == [board["done"].number]


def test_list_row_shows_officers_state_and_findings(client, board, leader):
    client.force_login(leader)
    page = page_of(client.get(LIST))
    row = page.split(f'data-inspection="{board["done"].pk}"')[1].split("</tr>")[0]
    assert "年度计划检查" in row and "已签署" in row and ">1<" in row and "周执法" in row


@pytest.mark.parametrize("persona", ["town_a_liaison"])
def test_r_org_3_towns_have_no_inspection_list(client, board, persona, request):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(LIST).status_code == 403


def test_administrator_reads_the_list(client, board, administrator):
    client.force_login(administrator)
    assert len(numbers(client.get(LIST))) == 4


def test_list_costs_fixed_queries(
    client, board, officer, legal_clerk, facility, officers, django_assert_num_queries
):
    for day in (2, 3, 4):
        start(facility, officers, on=date(2026, 6, day))
    client.force_login(officer)
    # Expect 6 queries: session, user with staff, the tab counts (one aggregate), the page's count,
    # the page of inspections with facility/town/checklist and finding counts, their officers.
    with django_assert_num_queries(6):
        response = client.get(LIST, {"tab": "draft"})
    assert len(numbers(response)) == 4
    client.force_login(legal_clerk)
    # Expect 6 queries: session, user with staff, the towns of the filter, the page's count, the page,
    # its officers.
    with django_assert_num_queries(6):
        response = client.get(LIST)
    assert len(numbers(response)) == 7


# 登记现场检查 (R-INS-6) ------------------------------------------------------------------------------------


def post_new(client, facility, officers, /, **data):
    values = {
        "facility": facility.source_code,
        "inspected_on": "2026-06-15",
        "officers": [o.pk for o in officers],
        "reason": "routine_plan",
        "source_reference": "2026年度执法检查计划",
    }
    values.update(data)
    return client.post(NEW, values)


def test_r_ins_6_start_goes_on_to_the_form(client, facility, officers):
    client.force_login(officers[0])
    response = client.get(NEW)
    page = page_of(response)
    assert 'value="2026-06-15"' in page and "31010720001" in page and "31010720002" in page
    assert response.context["form"].initial["officers"] == [officers[0].pk]  # the user pre-selected
    response = post_new(client, facility, officers)
    inspection = Inspection.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("inspections:inspection-form", args=[inspection.pk])
    assert inspection.officers.count() == 2 and inspection.source_reference == "2026年度执法检查计划"


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"officers": "ONE"}, "officers", "现场检查须有至少 2 名执法人员（当前 1 名）。"),
        ({"inspected_on": "2026-06-16"}, "inspected_on", "检查日期不能晚于今天。"),
        ({"reason": "complaint", "source_reference": ""}, "complaint", "因信访投诉检查须关联该投诉。"),
        (
            {"reason": "new_permit", "permit": "不存在", "source_reference": ""},
            "permit",
            "未找到编号为 不存在 的排污许可证。",
        ),
        ({"facility": "无此单位"}, "facility", "无此单位"),
    ],
)
def test_r_ins_6_refusals_come_back_on_their_field(client, facility, officers, data, field, message):
    client.force_login(officers[0])
    if data.get("officers") == "ONE":
        data["officers"] = [officers[0].pk]
    response = post_new(client, facility, officers, **data)
    page = page_of(response)
    assert response.status_code == 400
    assert message in page
    assert message in " ".join(response.context["form"].errors.get(field, [])) or field == "facility"
    assert "2026年度执法检查计划" in page or data.get("source_reference") == ""  # what was typed is kept
    assert not Inspection.objects.exists()


def test_r_ins_6_officer_without_certificate_is_named(client, facility, officer, enforcement_head):
    client.force_login(enforcement_head)
    response = post_new(client, facility, [officer, enforcement_head])
    assert response.status_code == 400
    assert "执科长没有登记执法证号，不能参加现场检查。" in page_of(response)
    assert not Inspection.objects.exists()


def test_follow_up_link_prefills_facility_reason_and_source(client, facility, officers):
    done = signed(start(facility, officers, on=date(2026, 5, 20)), officers, 二_3=NONCOMPLIANT_RECTIFY)
    client.force_login(officers[0])
    form = client.get(NEW, {"follow_up_of": done.pk}).context["form"]
    assert form.initial["reason"] == Reason.FOLLOW_UP and form.initial["follow_up_of"] == done.number
    assert form.initial["facility"] == facility
    response = post_new(
        client, facility, officers, reason="follow_up", source_reference="", follow_up_of=done.number
    )
    follow = Inspection.objects.get(follow_up_of=done)
    assert response.status_code == 302 and follow.state == InspectionState.DRAFT
    assert follow.answers.filter(point__code="二.3", verdict="noncompliant").exists()  # pre-filled


@pytest.mark.parametrize("persona", ["legal_clerk", "leader", "administrator", "town_a_liaison"])
def test_only_the_brigade_starts_inspections(client, persona, request, facility):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(NEW).status_code == 403
    assert client.post(NEW, {"facility": facility.source_code}).status_code == 403
    assert not Inspection.objects.exists()


# The facility page's panel ---------------------------------------------------------------------------------


def test_facility_page_shows_its_inspections(client, board, facility, officer, town_a_liaison, legal_clerk):
    url = reverse("permits:facility-detail", args=[facility.pk])
    client.force_login(officer)
    page = page_of(client.get(url))
    panel = page.split("data-inspections>")[1].split("</section>")[0]
    assert panel.count("<tr data-inspection=") == 3 and board["other"].number not in panel
    assert panel.index(board["draft"].number) < panel.index(board["done"].number)  # newest first
    assert "data-start-inspection" in panel and '<a href="#inspections">现场检查</a>' in page
    client.force_login(legal_clerk)
    panel = page_of(client.get(url)).split("data-inspections>")[1].split("</section>")[0]
    assert panel.count("<tr data-inspection=") == 3 and "data-start-inspection" not in panel
    # a town sees the signed record only: the draft and the one still waiting for a signature are not its own
    client.force_login(town_a_liaison)
    panel = page_of(client.get(url)).split("data-inspections>")[1].split("</section>")[0]
    assert panel.count("<tr data-inspection=") == 1 and board["done"].number in panel
