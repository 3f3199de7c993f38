"""R-CMP-1 (002 十五「对举报人信息严格保密」): the mask identifies nobody; every view of a reporter in
full is logged (who, when, which complaint, which page or API) and the log is read by 局领导 only; the
identity never travels into tasks, slips or exports; a verified problem's rectification or refusal is
recorded at closing and read by the grading (R-GRD-2)."""

import io
import string
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfReader

from bureau.errors import Conflict
from bureau.models import SectionCode
from complaints import queries, rules
from complaints import services as cmp
from complaints.models import ReporterAccess
from tests.factories.bureau import StaffFactory
from tests.factories.complaints import ComplaintFactory
from tests.factories.permits import FacilityFactory

NAME, ID_NUMBER, PHONE = "张三丰", "11010519491231002X", "13812345678"
ADDRESS = "上海市徐汇区漕溪北路100弄3号"
IDENTITY = (NAME, ID_NUMBER, PHONE, ADDRESS)
REPORTER = cmp.ReporterInput(name=NAME, id_number=ID_NUMBER, phone=PHONE, address=ADDRESS)
API = "/api/v1/complaints/"


@pytest.fixture
def facility(town_a):
    return FacilityFactory(n=1, town=town_a)


@pytest.fixture
def complaint(officer, facility):
    return ComplaintFactory(by=officer, facility=facility, reporter=REPORTER)


@pytest.fixture
def handler(enforcement_head, complaint):
    user = StaffFactory(username="handler", section_code=SectionCode.ENFORCEMENT).user
    cmp.assign_complaint_handler(by=enforcement_head, complaint=complaint, handler=user)
    return user


def detail_url(complaint) -> str:
    return reverse("complaints:complaint-detail", args=[complaint.pk])


def answered(by, complaint, *, substantiated=True):
    return cmp.answer_complaint(
        by=by,
        complaint=complaint,
        investigation="现场核实。",
        is_substantiated=substantiated,
        answer="已答复。",
        answered_on=timezone.localdate(),
    )


# The mask (rules) ------------------------------------------------------------------------------------

texts = st.text(alphabet=string.digits + "张王李三丰路弄号-Xx ", max_size=30)
reporters = st.builds(rules.ReporterView, st.booleans(), texts, texts, texts, texts)


@given(first=reporters, second=reporters)
def test_r_cmp_1_the_mask_depends_only_on_which_fields_are_filled_in(first, second):
    # Two reporters with the same fields filled in are masked alike: the mask tells nothing of who.
    def filled(view):
        return (view.is_anonymous, bool(view.id_number), bool(view.phone), bool(view.address))

    if filled(first) == filled(second):
        assert rules.mask_reporter(first) == rules.mask_reporter(second)


@given(view=reporters)
def test_r_cmp_1_the_mask_keeps_no_name_character_no_digit_and_no_address(view):
    masked = rules.mask_reporter(view)
    shown = masked.name + masked.id_number + masked.phone + masked.address
    assert not any(ch.isdigit() for ch in shown)
    if len(view.name) >= 2 and view.name not in rules.NAMED + rules.ANONYMOUS + rules.HIDDEN:
        assert view.name not in shown
    assert masked.address in ("", rules.HIDDEN) and masked.phone in ("", rules.HIDDEN)
    assert masked.name == (rules.ANONYMOUS if view.is_anonymous else rules.NAMED)
    assert masked.is_masked


def test_r_cmp_1_identity_in_finds_the_reporter_in_a_text():
    view = rules.ReporterView(False, NAME, ID_NUMBER, PHONE, ADDRESS)
    assert rules.identity_in("请联系张三丰，电话 138-1234-5678。", view) == ["举报人姓名", "联系电话"]
    assert rules.identity_in(f"住址 {ADDRESS}，身份证 {ID_NUMBER.lower()}", view) == ["身份证号", "联系地址"]
    assert rules.identity_in("请核查该单位夜间排放情况。", view) == []


# Every view in full is logged, once --------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["handler", "legal_clerk", "leader"])
def test_r_cmp_1_a_page_view_in_full_logs_exactly_once(request, client, persona, complaint):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    # when
    page = client.get(detail_url(complaint)).content.decode()
    # then: one row naming who, when, which complaint and which page
    assert PHONE in page
    access = ReporterAccess.objects.get()
    assert (access.user, access.complaint, access.via, access.path) == (
        user,
        complaint,
        "page",
        detail_url(complaint),
    )
    assert access.section.code == user.staff.section.code
    assert abs(access.viewed_at - timezone.now()) < timedelta(minutes=1)
    assert access.history.get().history_user == user  # history-kept (R-RET-1)


@pytest.mark.parametrize("persona", ["handler", "legal_clerk", "leader"])
def test_r_cmp_1_an_api_view_in_full_logs_exactly_once(request, api_client, persona, complaint):
    user = request.getfixturevalue(persona)
    api_client.force_authenticate(user)
    reporter = api_client.get(f"{API}{complaint.pk}/").json()["reporter"]
    assert reporter["phone"] == PHONE
    access = ReporterAccess.objects.get()
    assert (access.user, access.complaint, access.via) == (user, complaint, "api")


@pytest.mark.parametrize(
    "persona", ["officer", "enforcement_head", "approval_clerk", "pollution_clerk", "administrator"]
)
def test_r_cmp_1_masked_views_log_nothing(request, client, api_client, persona, handler, complaint):
    # given: someone who is not the handler, 法制科 or 局领导
    user = request.getfixturevalue(persona)
    client.force_login(user)
    api_client.force_authenticate(user)
    # when: every page, the API and the exports
    shown = [
        client.get(detail_url(complaint)).content.decode(),
        client.get(reverse("complaints:complaint-list")).content.decode(),
        api_client.get(f"{API}{complaint.pk}/").content.decode(),
        api_client.get(API).content.decode(),
    ]
    client.get(reverse("complaints:complaint-export"))
    client.get(reverse("complaints:complaint-pdf", args=[complaint.pk]))
    # then: nothing of the identity shown, nothing logged
    for text in shown:
        for secret in IDENTITY:
            assert secret not in text
    assert not ReporterAccess.objects.exists()


def test_r_cmp_1_lists_and_exports_log_nothing_even_for_the_leadership(client, leader, complaint):
    client.force_login(leader)
    client.get(reverse("complaints:complaint-list"))
    client.get(reverse("complaints:complaint-export"))
    client.get(reverse("complaints:complaint-pdf", args=[complaint.pk]))
    assert not ReporterAccess.objects.exists()


def test_r_cmp_1_each_view_is_a_new_row(client, legal_clerk, complaint):
    client.force_login(legal_clerk)
    for _ in range(3):
        client.get(detail_url(complaint))
    assert ReporterAccess.objects.filter(user=legal_clerk, complaint=complaint).count() == 3


def test_r_ret_1_the_access_log_is_never_deleted(client, legal_clerk, complaint):
    client.force_login(legal_clerk)
    client.get(detail_url(complaint))
    with pytest.raises(Exception, match="不得删除"):
        ReporterAccess.objects.get().delete()
    with pytest.raises(Exception, match="不得删除"):
        ReporterAccess.objects.all().delete()


# The log is for 局领导 -----------------------------------------------------------------------------------


def test_r_cmp_1_the_leadership_reads_the_log_overall_and_per_complaint(
    client, legal_clerk, handler, leader, officer, complaint, django_assert_num_queries
):
    # given: two views by 法制科, one by the handler, on two complaints
    other = ComplaintFactory(by=officer, reporter=REPORTER)
    client.force_login(legal_clerk)
    client.get(detail_url(complaint))
    client.get(detail_url(other))
    client.force_login(handler)
    client.get(detail_url(complaint))
    # when
    client.force_login(leader)
    url = reverse("complaints:reporter-access")
    # Expect 4 queries: session; user with staff, section and town; the count; the page of views
    # joined with complaint, user and section.
    with django_assert_num_queries(4):
        overall = client.get(url)
    narrowed = client.get(url, {"complaint": complaint.pk})
    # then
    page = overall.content.decode()
    assert overall.status_code == 200 and page.count("<tr data-access=") == 3
    assert legal_clerk.display_name in page and handler.display_name in page and other.number in page
    assert narrowed.content.decode().count("<tr data-access=") == 2
    # the leader's detail page lists this complaint's views (and logs the leader's own)
    detail = client.get(detail_url(complaint))
    assert [a.user for a in detail.context["access_log"]] == [leader, handler, legal_clerk]


@pytest.mark.parametrize("persona", ["legal_clerk", "officer", "handler", "approval_clerk", "administrator"])
def test_r_cmp_1_nobody_but_the_leadership_reads_the_log(request, client, persona, complaint):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    assert client.get(reverse("complaints:reporter-access")).status_code == 403
    assert 'id="reporter-access"' not in client.get(detail_url(complaint)).content.decode()


# The grant ---------------------------------------------------------------------------------------------


def test_r_cmp_1_the_grant_follows_the_handler_and_its_views_are_logged(
    client, officer, enforcement_head, handler, complaint
):
    # given: the head moves the complaint from the handler to the officer
    cmp.assign_complaint_handler(by=enforcement_head, complaint=complaint, handler=officer)
    # when / then: the former handler sees the mask and logs nothing; the new one sees it, logged
    client.force_login(handler)
    assert PHONE not in client.get(detail_url(complaint)).content.decode()
    assert not ReporterAccess.objects.exists()
    client.force_login(officer)
    assert PHONE in client.get(detail_url(complaint)).content.decode()
    assert list(ReporterAccess.objects.values_list("user", flat=True)) == [officer.pk]


def test_r_cmp_1_api_detail_for_the_handler_costs_three_queries(
    api_client, handler, complaint, django_assert_num_queries
):
    api_client.force_authenticate(handler)
    # Expect 3 queries (the user comes authenticated with its staff): the complaint with everything
    # it shows and the handler's grant; the access row; its history row.
    with django_assert_num_queries(3):
        response = api_client.get(f"{API}{complaint.pk}/")
    assert response.json()["reporter"]["phone"] == PHONE


# Never into tasks, slips or exports --------------------------------------------------------------------


def test_r_cmp_1_a_task_from_a_complaint_refuses_the_reporter_in_its_text(
    officer, enforcement_head, complaint, today, work_calendar
):
    start = {
        "by": officer,
        "complaint": complaint,
        "receivers": ["pollution"],
        "handler": officer,
        "head": enforcement_head,
        "started_on": today,
    }
    with pytest.raises(ValidationError) as refused:
        cmp.start_task_from_complaint(**start, description=f"请联系举报人{NAME}（{PHONE}）核实。")
    assert refused.value.message_dict == {
        "description": ["不得填写举报人信息（举报人姓名、联系电话）：任务和转办单对所有部门可见。"]
    }
    with pytest.raises(ValidationError):
        cmp.start_task_from_complaint(**start, remarks=f"举报人住 {ADDRESS}")


def test_r_cmp_1_the_task_and_its_slip_carry_no_identity(
    client, officer, enforcement_head, leader, complaint, today, work_calendar
):
    # given: a task started from the complaint with its default description
    task = cmp.start_task_from_complaint(
        by=officer,
        complaint=complaint,
        receivers=["pollution"],
        handler=officer,
        head=enforcement_head,
        started_on=today,
    )
    # when: the leadership (who may see the reporter) opens the task and prints its slip
    client.force_login(leader)
    task_page = client.get(reverse("linkage:task-detail", args=[task.pk])).content.decode()
    slip = client.get(reverse("linkage:task-slip", args=[task.pk]))
    slip_text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(slip.content)).pages)
    # then
    assert complaint.content in task.description
    assert slip.status_code == 200 and task.number in slip_text
    for secret in IDENTITY:
        assert secret not in task.description and secret not in task.remarks
        assert secret not in task_page and secret not in slip_text
    assert not ReporterAccess.objects.exists()


# Rectification or refusal at closing (R-GRD-2) --------------------------------------------------------


def test_r_grd_2_a_verified_complaint_closes_with_its_rectification(officer, complaint, today):
    answered(officer, complaint)
    with pytest.raises(ValidationError) as missing:
        cmp.close_complaint(by=officer, complaint=complaint, closed_on=today)
    assert missing.value.message_dict == {
        "rectification": ["举报经核实属实，办结时请选择整改情况：已整改、整改中或拒不整改。"]
    }
    closed = cmp.close_complaint(by=officer, complaint=complaint, closed_on=today, rectification="refused")
    assert (closed.state, closed.rectification, closed.rectification_on) == ("closed", "refused", today)
    assert closed.history.first().history_change_reason == "办结"


def test_r_grd_2_a_complaint_found_untrue_records_no_rectification(officer, complaint, today):
    answered(officer, complaint, substantiated=False)
    with pytest.raises(ValidationError, match="无需记录整改情况"):
        cmp.close_complaint(by=officer, complaint=complaint, closed_on=today, rectification="rectified")
    closed = cmp.close_complaint(by=officer, complaint=complaint, closed_on=today)
    assert closed.rectification == ""


def test_r_grd_2_a_problem_still_rectifying_at_closing_is_followed_up_once(
    client, officer, legal_clerk, complaint, today
):
    answered(officer, complaint)
    cmp.close_complaint(by=officer, complaint=complaint, closed_on=today, rectification="rectifying")
    with pytest.raises(PermissionDenied):
        cmp.record_rectification(
            by=legal_clerk, complaint=complaint, rectification="refused", recorded_on=today
        )
    # when: the brigade records the outcome on the page
    client.force_login(officer)
    assert 'data-form="rectification"' in client.get(detail_url(complaint)).content.decode()
    response = client.post(
        reverse("complaints:complaint-rectification", args=[complaint.pk]),
        {"rectification": "refused", "recorded_on": today.isoformat()},
    )
    # then: recorded once, never changed again
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.rectification == "refused"
    with pytest.raises(Conflict):
        cmp.record_rectification(
            by=officer, complaint=complaint, rectification="rectified", recorded_on=today
        )


def test_r_grd_2_verified_refusals_of_a_year_for_the_grading(officer, facility, complaint, today):
    # given: a refusal this year, a rectified one, an untrue one, and a refusal without facility
    answered(officer, complaint)
    cmp.close_complaint(by=officer, complaint=complaint, closed_on=today, rectification="refused")
    rectified = ComplaintFactory(by=officer, facility=facility, reporter=REPORTER)
    answered(officer, rectified)
    cmp.close_complaint(by=officer, complaint=rectified, closed_on=today, rectification="rectified")
    untrue = ComplaintFactory(by=officer, facility=facility, reporter=REPORTER)
    answered(officer, untrue, substantiated=False)
    nowhere = ComplaintFactory(by=officer, reporter=REPORTER)
    answered(officer, nowhere)
    cmp.close_complaint(by=officer, complaint=nowhere, closed_on=today, rectification="refused")
    # then
    assert list(queries.verified_refusals(today.year)) == [complaint]
    assert queries.verified_refusals(today.year)[0].facility == facility
    assert not queries.verified_refusals(today.year - 1).exists()


# Correcting is 执法大队's (R-ORG-2) -----------------------------------------------------------------------


def test_r_org_2_the_brigade_corrects_a_complaint_on_the_page(client, officer, facility, complaint, today):
    client.force_login(officer)
    url = reverse("complaints:complaint-edit", args=[complaint.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "channel": "assigned",
            "received_on": complaint.received_on.isoformat(),
            "facility": facility.credit_code,
            "content": "上级交办：夜间偷排。",
            "reason": "来源渠道登记有误",
        },
    )
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert (complaint.channel, complaint.content) == ("assigned", "上级交办：夜间偷排。")
    assert complaint.get_channel_display() == "上级交办"
    assert complaint.history.first().history_change_reason == "更正投诉信息：来源渠道登记有误"


@pytest.mark.parametrize("persona", ["legal_clerk", "leader", "approval_clerk", "administrator"])
def test_r_org_2_other_sections_may_not_correct_a_complaint(request, client, persona, complaint):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    url = reverse("complaints:complaint-edit", args=[complaint.pk])
    assert client.get(url).status_code == 403
    body = {
        "channel": "web",
        "received_on": complaint.received_on.isoformat(),
        "content": "改",
        "reason": "x",
    }
    assert client.post(url, body).status_code == 403
    complaint.refresh_from_db()
    assert complaint.channel == "12369"


def test_r_org_2_correction_validation_in_chinese(officer, complaint):
    with pytest.raises(ValidationError) as refused:
        cmp.correct_complaint(
            by=officer,
            complaint=complaint,
            channel="fax",
            received_on=complaint.received_on.replace(year=complaint.received_on.year - 1),
            content=" ",
            reason="",
        )
    errors = refused.value.message_dict
    assert errors["channel"] == ["请选择来源渠道。"] and errors["content"] == ["请填写反映内容。"]
    assert errors["reason"] == ["请说明更正原因。"]
    assert errors["received_on"][0].startswith("受理日期不能改到其他年份")


def test_r_org_2_the_brigade_corrects_a_complaint_over_the_api(api_client, officer, complaint):
    api_client.force_authenticate(officer)
    response = api_client.patch(
        f"{API}{complaint.pk}/", {"channel": "inspection", "reason": "督察组转来"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["channel"] == "inspection" and response.json()["content"] == complaint.content
    assert response.json()["reporter"]["is_masked"] is True
    refused = api_client.patch(f"{API}{complaint.pk}/", {"channel": "web", "reason": ""}, format="json")
    assert refused.status_code == 400 and refused.json() == {"reason": ["请说明更正原因。"]}


@pytest.mark.parametrize("persona", ["legal_clerk", "leader", "approval_clerk", "administrator"])
def test_r_org_2_other_sections_may_not_correct_over_the_api(request, api_client, persona, complaint):
    api_client.force_authenticate(request.getfixturevalue(persona))
    response = api_client.patch(f"{API}{complaint.pk}/", {"channel": "web", "reason": "x"}, format="json")
    assert response.status_code == 403
    assert response.json()["detail"] == "信访投诉由执法大队登记和更正，其他科室只能查看。"
    complaint.refresh_from_db()
    assert complaint.channel == "12369"


@pytest.mark.parametrize("persona", ["officer", "enforcement_head"])
def test_r_org_2_the_brigade_registers_over_the_api(request, api_client, persona, today):
    api_client.force_authenticate(request.getfixturevalue(persona))
    body = {"channel": "12369", "received_on": today.isoformat(), "content": "异味。", "is_anonymous": True}
    assert api_client.post(API, body, format="json").status_code == 201


# Channels ------------------------------------------------------------------------------------------------


def test_r_cmp_1_every_channel_of_the_texts_and_every_stored_value_is_a_choice():
    from complaints.models import Channel

    labels = dict(Channel.choices)
    # 002 二十一 and R-CMP-1: 12369, 12345, letters, visits, the web, referrals from above
    for label in ("12369 环保举报热线", "12345 市民服务热线", "来信", "来访", "网络", "上级交办", "督察转办"):
        assert label in labels.values()
    # the values stored before issue 8 keep their meaning, unrewritten (R-RET-1)
    assert labels["hotline"] == "12345 市民服务热线" and labels["phone"] == "其他电话"


def test_r_cmp_1_detail_page_for_the_leader_costs_eight_queries(
    client, leader, legal_clerk, complaint, django_assert_num_queries
):
    client.force_login(legal_clerk)
    client.get(detail_url(complaint))
    client.force_login(leader)
    # Expect 8 queries: session; user with staff, section and town; the complaint with everything it
    # shows; the access row and its history row (the leader sees the reporter: one logged view); this
    # complaint's latest views with user and section; its history; the reporter's history.
    with django_assert_num_queries(8):
        response = client.get(detail_url(complaint))
    assert len(response.context["access_log"]) == 2
