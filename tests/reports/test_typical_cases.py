"""典型案例 (R-PUB-1; 002 十六): 法制科 (clerk or head) marks a decided case as typical with a public title
and summary and withdraws it with a reason; other sections 403; a case not decided, one already typical
and one of a unit involving state secrets (003 第十九条) are refused in Chinese; every write is recorded."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from inspections.models import Case
from inspections.services import cases as case_services
from reports import typical as typical_services
from reports.models import TypicalCase
from tests.factories.inspections import signed, start
from tests.factories.permits import FacilityFactory, PermitFactory
from tests.inspections.conftest import officer2, officers  # noqa: F401

pytestmark = pytest.mark.today(date(2026, 6, 15))

LIST = reverse("reports:typical-case-list")
ADD = reverse("reports:typical-case-add")
DAY = date(2026, 6, 15)
CASE_ANSWER = {
    "verdict": "noncompliant",
    "note": "内部检查记录：废气排放口颗粒物超许可浓度",
    "finding_kind": "permit_violation",
    "disposition": "case",
}
PROPOSAL = "内部调查终结报告：建议从重处罚"
OPINION = "内部法制审核意见：事实清楚"


def open_case(facility, officers) -> Case:  # noqa: F811
    inspection = signed(start(facility, officers), officers, 二_5=CASE_ANSWER)
    return Case.objects.get(findings__inspection=inspection)


def decide(case, officers, legal_head, *, decision_no, amount="50000", revokes=False):  # noqa: F811
    """Take ``case`` through submission, legal review by 法制科's head and a penalty decision, today."""
    day = timezone.localdate()
    case_services.submit_case(
        by=officers[0], case=case, proposed_decision="penalty", proposal=PROPOSAL, submitted_on=day
    )
    case_services.assign_reviewer(by=legal_head, case=case, reviewer=legal_head)
    case_services.record_review(by=legal_head, case=case, approved=True, opinion=OPINION, reviewed_on=day)
    return case_services.decide_case(
        by=officers[0],
        case=case,
        decision="penalty",
        decided_on=day,
        decision_no=decision_no,
        penalty_amount=Decimal(amount),
        revokes_permit=revokes,
    )


def unit(n, town, approval_clerk, **values):
    facility = FacilityFactory(n=n, town=town, by=approval_clerk, **values)
    PermitFactory(facility=facility, by=approval_clerk, issued_on=date(2024, 1, 10))
    return facility


@pytest.fixture
def decided(town_a, approval_clerk, officers, legal_head):  # noqa: F811
    """A case decided with a penalty of 50000 元 against 测试单位001有限公司."""
    return decide(
        open_case(unit(1, town_a, approval_clerk), officers),
        officers,
        legal_head,
        decision_no="普环罚〔2026〕1号",
    )


def publish(by, case, title="某涂料公司超标排放大气污染物案", summary="2026年6月，执法人员检查发现……"):
    return typical_services.publish_typical_case(by=by, case=case, title=title, summary=summary)


def page(response) -> str:
    return response.content.decode()


# The service -------------------------------------------------------------------------------------------


def test_r_pub_1_legal_publishes_a_decided_case_and_it_is_recorded(legal_clerk, decided):
    typical = publish(legal_clerk, decided)
    assert typical.published_on == DAY and typical.published_by == legal_clerk
    last = typical.history.latest()
    assert last.history_user == legal_clerk and decided.number in last.history_change_reason


def test_r_pub_1_a_case_not_yet_decided_is_refused(legal_clerk, town_a, approval_clerk, officers):  # noqa: F811
    case = open_case(unit(2, town_a, approval_clerk), officers)
    with pytest.raises(Exception) as refused:
        publish(legal_clerk, case)
    assert typical_services.NOT_DECIDED in str(refused.value)
    assert not TypicalCase.objects.exists()


def test_r_pub_1_a_case_of_a_unit_involving_state_secrets_is_refused(
    legal_clerk,
    legal_head,
    town_a,
    approval_clerk,
    officers,  # noqa: F811
):
    secret = unit(3, town_a, approval_clerk)
    case = decide(open_case(secret, officers), officers, legal_head, decision_no="普环罚〔2026〕3号")
    secret.__class__.objects.filter(pk=secret.pk).update(is_confidential=True)
    with pytest.raises(Exception) as refused:
        publish(legal_clerk, case)
    assert "涉及国家秘密" in str(refused.value) and "第十九条" in str(refused.value)
    assert not TypicalCase.objects.exists()


def test_r_pub_1_one_typical_entry_per_case_until_withdrawn(legal_clerk, legal_head, decided):
    typical = publish(legal_clerk, decided)
    with pytest.raises(Exception) as refused:
        publish(legal_head, decided)
    assert typical_services.ALREADY in str(refused.value)
    typical_services.withdraw_typical_case(by=legal_head, typical=typical, reason="案件被行政复议撤销")
    again = publish(legal_head, decided, title="重新公开")
    assert again.pk != typical.pk and TypicalCase.objects.count() == 2


def test_r_pub_1_withdrawal_needs_a_reason_and_happens_once(legal_clerk, decided):
    typical = publish(legal_clerk, decided)
    with pytest.raises(Exception) as refused:
        typical_services.withdraw_typical_case(by=legal_clerk, typical=typical, reason="  ")
    assert "请填写撤回原因" in str(refused.value)
    typical_services.withdraw_typical_case(by=legal_clerk, typical=typical, reason="当事人已整改")
    typical.refresh_from_db()
    assert typical.withdrawn_by == legal_clerk and typical.withdraw_reason == "当事人已整改"
    assert typical.history.latest().history_change_reason == "撤回典型案例：当事人已整改"
    with pytest.raises(Exception) as twice:
        typical_services.withdraw_typical_case(by=legal_clerk, typical=typical, reason="再次")
    assert typical_services.ALREADY_WITHDRAWN in str(twice.value)


@pytest.mark.parametrize(
    "persona", ["officer", "approval_clerk", "leader", "town_a_liaison", "administrator"]
)
def test_r_pub_1_only_legal_publishes(persona, request, decided):
    with pytest.raises(Exception) as refused:
        publish(request.getfixturevalue(persona), decided)
    assert typical_services.ONLY_LEGAL in str(refused.value)


# The pages ---------------------------------------------------------------------------------------------


def test_r_pub_1_legal_head_publishes_on_the_page_and_the_public_sees_it(client, legal_head, decided):
    # given: 法制科's head opens the form from the list of decided cases
    client.force_login(legal_head)
    form = page(client.get(f"{ADD}?case={decided.pk}"))
    assert f'value="{decided.number}"' in form and "可公开的已决定案件" in form
    # when
    response = client.post(
        ADD, {"case": decided.number, "title": "某公司超标排放案", "summary": "执法人员检查发现超标排放。"}
    )
    # then
    assert response.status_code == 302 and response["Location"] == LIST
    listing = page(client.get(LIST))
    assert "某公司超标排放案" in listing and "公开中" in listing and decided.number in listing
    client.logout()
    typical = TypicalCase.objects.get()
    public = page(client.get(reverse("public:typical-case-detail", args=[typical.pk])))
    assert "某公司超标排放案" in public and "执法人员检查发现超标排放。" in public
    assert "测试单位001有限公司" in public and "普环罚〔2026〕1号" in public and "50000.00 元" in public
    for internal in (PROPOSAL, OPINION, CASE_ANSWER["note"], legal_head.display_name):
        assert internal not in public


def test_r_pub_1_the_form_refuses_in_chinese_and_keeps_the_text(client, legal_clerk, decided):
    client.force_login(legal_clerk)
    response = client.post(ADD, {"case": "2099-9999", "title": "标题", "summary": "保留的简介"})
    assert response.status_code == 400
    assert "没有编号为“2099-9999”的案件" in page(response) and "保留的简介" in page(response)
    response = client.post(ADD, {"case": decided.number, "title": "", "summary": "简介"})
    assert response.status_code == 400 and "该字段是必填项" in page(response)


def test_r_pub_1_withdrawn_case_leaves_the_public_pages_and_stays_on_the_list(client, legal_clerk, decided):
    typical = publish(legal_clerk, decided, title="将被撤回的案例")
    client.force_login(legal_clerk)
    withdraw = reverse("reports:typical-case-withdraw", args=[typical.pk])
    assert "将被撤回的案例" in page(client.get(withdraw))
    assert client.post(withdraw, {"reason": ""}).status_code == 400
    assert client.post(withdraw, {"reason": "决定被复议撤销"}).status_code == 302
    listing = page(client.get(LIST))
    assert "已撤回" in listing and "决定被复议撤销" in listing and "将被撤回的案例" in listing
    assert client.post(withdraw, {"reason": "再撤一次"}).status_code == 409
    client.logout()
    assert "将被撤回的案例" not in page(client.get(reverse("public:typical-case-list")))
    assert client.get(reverse("public:typical-case-detail", args=[typical.pk])).status_code == 404


@pytest.mark.parametrize(
    "persona",
    [
        "officer",
        "approval_clerk",
        "ecology_clerk",
        "pollution_clerk",
        "monitoring_clerk",
        "town_a_liaison",
    ],
)
def test_r_pub_1_other_sections_get_403_on_every_typical_page(client, persona, request, legal_clerk, decided):
    typical = publish(legal_clerk, decided)
    client.force_login(request.getfixturevalue(persona))
    for url in (LIST, ADD, reverse("reports:typical-case-withdraw", args=[typical.pk])):
        assert client.get(url).status_code == 403, url
    assert client.post(ADD, {"case": decided.number, "title": "t", "summary": "s"}).status_code == 403
    assert TypicalCase.objects.count() == 1


@pytest.mark.parametrize("persona", ["administrator", "leader"])
def test_r_pub_1_leadership_and_the_administrator_read_the_list_but_do_not_publish(
    client, persona, request, legal_clerk, decided
):
    typical = publish(legal_clerk, decided)
    client.force_login(request.getfixturevalue(persona))
    assert typical.title in client.get(LIST).content.decode()
    assert client.get(ADD).status_code == 403
    assert client.get(reverse("reports:typical-case-withdraw", args=[typical.pk])).status_code == 403


def test_r_pub_1_a_missing_typical_case_is_404(client, legal_clerk):
    client.force_login(legal_clerk)
    for pk in (999, 10**30):
        assert client.get(f"/reports/typical-cases/{pk}/withdraw/").status_code == 404


def test_r_pub_1_typical_case_list_costs_a_fixed_number_of_queries(
    client,
    legal_clerk,
    legal_head,
    town_a,
    approval_clerk,
    officers,  # noqa: F811
    decided,
    django_assert_num_queries,
):
    publish(legal_clerk, decided)
    for n in (4, 5):
        case = decide(
            open_case(unit(n, town_a, approval_clerk), officers),
            officers,
            legal_head,
            decision_no=f"普环罚〔2026〕{n}号",
        )
        typical = publish(legal_clerk, case, title=f"案例{n}")
    typical_services.withdraw_typical_case(by=legal_head, typical=typical, reason="撤回")
    client.force_login(legal_clerk)
    # 1 session, 2 user with staff, section and town, 3 count, 4 the page with cases, units, publishers
    # and withdrawers
    with django_assert_num_queries(4):
        response = client.get(LIST)
    assert page(response).count("data-typical=") == 3


def test_r_pub_1_typical_case_form_pages_cost_fixed_queries(
    client,
    legal_clerk,
    legal_head,
    town_a,
    approval_clerk,
    officers,  # noqa: F811
    decided,
    django_assert_num_queries,
):
    other = decide(
        open_case(unit(6, town_a, approval_clerk), officers),
        officers,
        legal_head,
        decision_no="普环罚〔2026〕6号",
    )
    typical = publish(legal_clerk, other)
    client.force_login(legal_clerk)
    # 1 session, 2 user with staff, section and town, 3 the decided cases not typical now with their
    # units, 4 the chosen case's number
    with django_assert_num_queries(4):
        response = client.get(f"{ADD}?case={decided.pk}")
    assert page(response).count("选用") == 1 and decided.number in page(response)
    # 1 session, 2 user, 3 the typical case with its case and unit
    with django_assert_num_queries(3):
        response = client.get(reverse("reports:typical-case-withdraw", args=[typical.pk]))
    assert other.number in page(response)
