"""信访投诉/举报 (R-CMP-1; 002 十五、二十一): intake by 执法大队 from every channel (R-ORG-2), read by every
bureau section, the reporter's identity seen in full by the complaint's handler, 法制科 and 局领导 only
(on the detail page and the API detail, never in lists, exports or slips), a linkage task started from
a complaint, the answer to the reporter, and rewards proposed by 执法大队 and decided by 局领导."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from bureau.errors import Conflict
from bureau.models import SectionCode
from complaints import queries, rules
from complaints import services as cmp
from complaints.models import Complaint, ComplaintReporter, ComplaintState, ReporterAccess
from linkage.models import LinkageTask, SourceKind
from tests.factories.bureau import StaffFactory
from tests.factories.complaints import ComplaintFactory
from tests.factories.permits import FacilityFactory

LIST = reverse("complaints:complaint-list")
NEW = reverse("complaints:complaint-new")
API = "/api/v1/complaints/"

# The reporter as entered, and as everyone but the handler, 法制科 and 局领导 sees them.
NAME, MASKED_NAME = "张三丰", "实名（已隐去）"
ID_NUMBER, MASKED_ID = "11010519491231002X", "（已隐去）"
PHONE, MASKED_PHONE = "13812345678", "（已隐去）"
ADDRESS, MASKED_ADDRESS = "上海市徐汇区漕溪北路100弄3号", "（已隐去）"
IDENTITY = (NAME, ID_NUMBER, PHONE, ADDRESS)
MASKED = (MASKED_NAME, MASKED_ID, MASKED_PHONE, MASKED_ADDRESS)
REPORTER = cmp.ReporterInput(name=NAME, id_number=ID_NUMBER, phone=PHONE, address=ADDRESS)


@pytest.fixture
def facility(town_a):
    return FacilityFactory(n=1, town=town_a)


@pytest.fixture
def complaint(officer, facility):
    return ComplaintFactory(by=officer, facility=facility, reporter=REPORTER)


@pytest.fixture
def handler(enforcement_head, complaint):
    """A second officer of 执法大队, named the complaint's handler by the head (holds the grant)."""
    user = StaffFactory(username="handler", section_code=SectionCode.ENFORCEMENT).user
    cmp.assign_complaint_handler(by=enforcement_head, complaint=complaint, handler=user)
    return user


def page_of(response) -> str:
    return response.content.decode()


def detail_url(complaint) -> str:
    return reverse("complaints:complaint-detail", args=[complaint.pk])


def step_url(name, complaint) -> str:
    return reverse(f"complaints:{name}", args=[complaint.pk])


def assert_masked(text: str) -> None:
    for secret in IDENTITY:
        assert secret not in text
    for masked in MASKED:
        assert masked in text


def assert_in_full(text: str) -> None:
    for secret in IDENTITY:
        assert secret in text


def answer(by, complaint, *, substantiated=True):
    return cmp.answer_complaint(
        by=by,
        complaint=complaint,
        investigation="现场检查发现雨水排放口有废水排出。",
        is_substantiated=substantiated,
        answer="经查属实，已立案查处，感谢您的监督。",
        answered_on=timezone.localdate(),
    )


# Masking ------------------------------------------------------------------------------------------------


def test_r_cmp_1_mask_hides_name_id_number_phone_and_address():
    view = rules.ReporterView.of(
        ComplaintReporter(name=NAME, id_number=ID_NUMBER, phone=PHONE, address=ADDRESS)
    )
    masked = rules.mask_reporter(view)
    assert (masked.name, masked.id_number, masked.phone, masked.address) == MASKED
    assert masked.is_masked and not view.is_masked
    # not even the surname survives
    assert "张" not in masked.name


def test_r_cmp_1_only_legal_and_leadership_may_see_the_reporter(personas, administrator):
    seeing = {code for code, user in personas.items() if queries.can_see_reporter(user)}
    assert seeing == {SectionCode.LEGAL, SectionCode.LEADERSHIP}
    # the administrator keeps the system running; that needs no identity (002 十五 保密)
    assert not queries.can_see_reporter(administrator)


# Who sees what ------------------------------------------------------------------------------------------


def test_r_cmp_1_officer_sees_masked_identity_on_list_and_detail(client, officer, complaint):
    client.force_login(officer)
    listed = page_of(client.get(LIST))
    assert MASKED_NAME in listed and MASKED_PHONE in listed
    assert NAME not in listed and PHONE not in listed
    detail = client.get(detail_url(complaint))
    assert detail.status_code == 200
    assert_masked(page_of(detail))


def test_r_cmp_1_officer_sees_masked_identity_in_api_list_and_detail(api_client, officer, complaint):
    api_client.force_authenticate(officer)
    listed = api_client.get(API).json()["results"][0]["reporter"]
    shown = api_client.get(f"{API}{complaint.pk}/").json()["reporter"]
    for reporter in (listed, shown):
        assert (reporter["name"], reporter["id_number"], reporter["phone"], reporter["address"]) == MASKED
        assert reporter["is_masked"] is True


def test_r_cmp_1_officer_history_shows_the_complaint_but_nothing_of_the_reporter(
    client, officer, handler, complaint
):
    # given: the reporter was corrected by the handler and the complaint answered
    cmp.correct_reporter(
        by=handler,
        complaint=complaint,
        reporter=cmp.ReporterInput(name=NAME, id_number=ID_NUMBER, phone="13900001111", address=ADDRESS),
        reason="举报人来电更正号码",
    )
    answer(officer, complaint)
    client.force_login(officer)
    # when
    response = client.get(detail_url(complaint))
    # then: the complaint's changes are there, the reporter's are not, and no identity anywhere
    page = page_of(response)
    assert [entry["action"] for entry in response.context["history"]] == ["修改", "修改", "新建"]
    assert {"label": "答复人", "old": "—", "new": officer.display_name} in response.context["history"][0][
        "changes"
    ]
    assert response.context["reporter_history"] == []
    assert 'data-history-kind="reporter"' not in page and "举报人来电更正号码" not in page
    assert "13900001111" not in page and MASKED_PHONE in page
    for secret in (NAME, ID_NUMBER, ADDRESS):
        assert secret not in page


@pytest.mark.parametrize("persona", ["legal_clerk", "leader"])
def test_r_cmp_1_legal_clerk_and_leader_see_identity_in_full(request, client, api_client, persona, complaint):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    api_client.force_authenticate(user)
    # the detail page and the API detail show the reporter in full
    assert_in_full(page_of(client.get(detail_url(complaint))))
    reporter = api_client.get(f"{API}{complaint.pk}/").json()["reporter"]
    assert (reporter["name"], reporter["id_number"], reporter["phone"], reporter["address"]) == IDENTITY
    assert reporter["is_masked"] is False
    # lists never do: dozens of identities at once serve nobody who must contact one reporter
    assert_masked(page_of(client.get(LIST)))
    listed = api_client.get(API).json()["results"][0]["reporter"]
    assert (listed["name"], listed["id_number"], listed["phone"], listed["address"]) == MASKED


def test_r_cmp_1_legal_clerk_sees_the_reporter_history(client, legal_clerk, handler, complaint):
    cmp.correct_reporter(
        by=handler,
        complaint=complaint,
        reporter=cmp.ReporterInput(name=NAME, id_number=ID_NUMBER, phone="13900001111", address=ADDRESS),
        reason="举报人来电更正号码",
    )
    client.force_login(legal_clerk)
    history = client.get(detail_url(complaint)).context["reporter_history"]
    assert [entry["action"] for entry in history] == ["修改", "新建"]
    assert history[0]["changes"] == [{"label": "联系电话", "old": PHONE, "new": "13900001111"}]
    assert history[0]["record"].history_change_reason == "举报人来电更正号码"


def test_r_cmp_1_administrator_sees_identity_masked(client, administrator, complaint):
    client.force_login(administrator)
    assert_masked(page_of(client.get(detail_url(complaint))))


def test_r_cmp_1_complaint_history_rows_hold_no_identity(
    officer, leader, complaint, enforcement_head, work_calendar
):
    # given: a complaint through every step, each writing a history row
    cmp.start_task_from_complaint(
        by=officer,
        complaint=complaint,
        receivers=["pollution"],
        handler=officer,
        head=enforcement_head,
        started_on=timezone.localdate(),
    )
    answer(officer, complaint)
    cmp.propose_reward(
        by=officer,
        complaint=complaint,
        amount=Decimal("500"),
        reason="线索属实",
        proposed_on=timezone.localdate(),
    )
    cmp.decide_reward(by=leader, complaint=complaint, decision="approved", decided_on=timezone.localdate())
    # then: the history table has no identity column and no row holds the identity anywhere
    history_fields = {field.name for field in Complaint.history.model._meta.fields}
    assert not history_fields & {"name", "id_number", "phone", "address", "is_anonymous", "reporter"}
    rows = list(Complaint.history.filter(id=complaint.pk).values())
    assert len(rows) == 5
    for row in rows:
        for secret in IDENTITY:
            assert all(secret not in str(value) for value in row.values())


def test_r_cmp_1_anonymous_tip_off_shows_anonymous_and_keeps_no_name(client, legal_clerk, officer):
    complaint = ComplaintFactory(
        by=officer,
        reporter=cmp.ReporterInput(is_anonymous=True, name=NAME, id_number=ID_NUMBER, phone=PHONE),
    )
    stored = ComplaintReporter.objects.get(complaint=complaint)
    assert (stored.name, stored.id_number, stored.phone) == ("", "", PHONE)
    for user in (officer, legal_clerk):
        client.force_login(user)
        assert client.get(detail_url(complaint)).context["reporter"].name == "匿名"


@pytest.mark.parametrize(
    "persona", ["approval_clerk", "ecology_clerk", "pollution_clerk", "monitoring_clerk", "administrator"]
)
def test_r_org_2_other_sections_read_complaints_with_the_reporter_masked(
    request, client, api_client, persona, complaint
):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    assert complaint.number in page_of(client.get(LIST))
    detail = client.get(detail_url(complaint))
    assert detail.status_code == 200
    assert_masked(page_of(detail))
    # no way to register or correct is offered
    assert "登记信访投诉" not in page_of(client.get(LIST)) and "data-edit" not in page_of(detail)
    api_client.force_authenticate(user)
    assert api_client.get(API).json()["count"] == 1
    assert api_client.get(f"{API}{complaint.pk}/").json()["reporter"]["is_masked"] is True


def test_r_cmp_1_towns_are_kept_out(client, api_client, town_a_liaison, complaint):
    client.force_login(town_a_liaison)
    assert client.get(LIST).status_code == 403
    assert client.get(detail_url(complaint)).status_code == 403
    api_client.force_authenticate(town_a_liaison)
    assert api_client.get(API).status_code == 403
    assert api_client.get(f"{API}{complaint.pk}/").status_code == 403


def test_r_org_2_navigation_entry_for_every_bureau_section(client, personas):
    shown = set()
    for code, user in personas.items():
        client.force_login(user)
        if 'data-nav="complaints"' in page_of(client.get(reverse("home"))):
            shown.add(code)
    assert shown == set(SectionCode) - {SectionCode.TOWN}


@pytest.mark.parametrize("persona", ["officer", "legal_clerk", "leader"])
def test_r_cmp_1_export_and_pdf_never_carry_the_reporter(request, client, persona, complaint):
    # given: even those who may see the reporter on the page
    client.force_login(request.getfixturevalue(persona))
    # when
    sheet = load_workbook(
        io.BytesIO(b"".join(client.get(reverse("complaints:complaint-export")).streaming_content))
    ).active
    pdf = client.get(step_url("complaint-pdf", complaint))
    # then: the export and the printed slip hold the mask, and neither logs a view
    assert [cell.value for cell in sheet[2]][5:9] == list(MASKED)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "信访投诉办理单" in text and MASKED_NAME in text
    for secret in IDENTITY:
        assert secret not in text
    assert not ReporterAccess.objects.exists()


# Intake -------------------------------------------------------------------------------------------------


def test_r_cmp_1_officer_registers_a_complaint_on_the_page(client, officer, facility, today):
    client.force_login(officer)
    response = client.post(
        NEW,
        {
            "channel": "letter",
            "received_on": today.isoformat(),
            "facility": facility.credit_code,
            "content": "厂区夜间排放异味。",
            "reporter_name": NAME,
            "reporter_phone": PHONE,
        },
    )
    complaint = Complaint.objects.get()
    assert response.status_code == 302 and response["Location"] == detail_url(complaint)
    assert complaint.number == f"TS-{today.year}-0001"
    assert (complaint.channel, complaint.state, complaint.facility) == ("letter", "received", facility)
    assert complaint.reporter.name == NAME
    # the officer typed the name, but once saved sees it masked like any other
    page = page_of(client.get(detail_url(complaint)))
    assert MASKED_NAME in page and NAME not in page


def test_r_cmp_1_numbers_are_gap_free_per_year(officer, enforcement_head):
    first = ComplaintFactory(by=officer)
    second = ComplaintFactory(by=enforcement_head, channel="visit")
    year = first.received_on.year
    assert (first.number, second.number) == (f"TS-{year}-0001", f"TS-{year}-0002")


@pytest.mark.parametrize("persona", ["approval_clerk", "legal_clerk", "leader", "administrator"])
def test_r_org_2_only_the_brigade_registers(request, client, api_client, persona):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    assert client.get(NEW).status_code == 403
    with pytest.raises(PermissionDenied):
        ComplaintFactory(by=user)
    approval_clerk = user
    api_client.force_authenticate(approval_clerk)
    response = api_client.post(
        API, {"channel": "web", "received_on": "2025-03-03", "content": "x"}, format="json"
    )
    assert response.status_code == 403
    assert response.json()["detail"] == "信访投诉由执法大队登记和更正，其他科室只能查看。"
    assert not Complaint.objects.exists()


def test_r_cmp_1_validation_errors_in_chinese_on_the_page(client, officer, today):
    client.force_login(officer)
    response = client.post(
        NEW,
        {
            "channel": "visit",
            "received_on": (today + timedelta(days=1)).isoformat(),
            "content": "  ",
            "reporter_id_number": "110105194912310021",
        },
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["received_on"] == ["受理日期不能晚于今天。"]
    assert errors["reporter_name"] == ["请填写举报人姓名；不愿留名的请勾选“匿名举报”。"]
    assert errors["reporter_phone"] == ["请至少填写联系电话或联系地址，以便答复举报人。"]
    assert errors["reporter_id_number"] == ["身份证号应为 18 位，且校验位正确。"]
    assert errors["content"] == ["请填写反映内容。"]
    assert not Complaint.objects.exists()


def test_r_cmp_1_api_creates_and_answers_masked_for_the_officer(api_client, officer, facility, today):
    api_client.force_authenticate(officer)
    body = {
        "channel": "hotline",
        "received_on": today.isoformat(),
        "content": "烟囱冒黑烟。",
        "facility": facility.pk,
        "reporter_name": NAME,
        "reporter_id_number": ID_NUMBER,
        "reporter_phone": PHONE,
    }
    response = api_client.post(API, body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["reporter"]["name"] == MASKED_NAME
    assert response.json()["facility_name"] == facility.name
    assert ComplaintReporter.objects.get().id_number == ID_NUMBER


def test_r_cmp_1_api_validation_errors_in_chinese(api_client, officer, today):
    api_client.force_authenticate(officer)
    body = {"channel": "hotline", "received_on": today.isoformat(), "content": "", "reporter_phone": "abc"}
    response = api_client.post(API, body, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "content": ["请填写反映内容。"],
        "reporter_name": ["请填写举报人姓名；不愿留名的请勾选“匿名举报”。"],
        "reporter_phone": ["联系电话格式不正确，只能包含数字、空格和“-”。"],
    }


# Linkage ------------------------------------------------------------------------------------------------


def test_r_cmp_1_complaint_starts_a_linkage_task_that_links_back(
    client, officer, enforcement_head, pollution_clerk, approval_clerk, complaint, today, work_calendar
):
    # given
    client.force_login(officer)
    # when: the brigade sends it to 污防科 from the complaint's page
    response = client.post(
        step_url("complaint-task", complaint),
        {
            "receivers": ["pollution"],
            "description": "请核查该单位污染防治设施运行情况。",
            "handler": officer.pk,
            "head": enforcement_head.pk,
            "started_on": today.isoformat(),
            "deadline_workdays": 10,
        },
    )
    # then
    assert response.status_code == 302
    task = LinkageTask.objects.get()
    complaint.refresh_from_db()
    assert complaint.linkage_task == task and complaint.state == ComplaintState.INVESTIGATING
    assert task.initiator.code == "enforcement" and [a.section.code for a in task.assignments.all()] == [
        "pollution"
    ]
    assert (task.source_kind, task.source_key) == (SourceKind.COMPLAINT, f"linkage.complaint:{complaint.pk}")
    assert task.source_url == detail_url(complaint) and task.facility == complaint.facility
    assert NAME not in task.description and PHONE not in task.description
    page = page_of(client.get(detail_url(complaint)))
    assert task.number in page and reverse("linkage:task-detail", args=[task.pk]) in page
    # the receiving department follows the link back and sees the reporter masked, as does any other
    # section, which reads complaints too (R-ORG-2)
    for user in (pollution_clerk, approval_clerk):
        client.force_login(user)
        assert_masked(page_of(client.get(task.source_url)))


def test_r_cmp_1_one_task_per_complaint(client, officer, enforcement_head, complaint, today, work_calendar):
    start = {
        "by": officer,
        "complaint": complaint,
        "receivers": ["pollution"],
        "handler": officer,
        "head": enforcement_head,
        "started_on": today,
    }
    task = cmp.start_task_from_complaint(**start)
    with pytest.raises(Conflict, match=task.number):
        cmp.start_task_from_complaint(**{**start, "receivers": ["ecology"]})
    assert LinkageTask.objects.count() == 1


def test_r_cmp_1_only_the_brigade_starts_tasks_from_complaints(
    legal_clerk, enforcement_head, complaint, today
):
    with pytest.raises(PermissionDenied, match="只有执法大队"):
        cmp.start_task_from_complaint(
            by=legal_clerk,
            complaint=complaint,
            receivers=["pollution"],
            handler=legal_clerk,
            head=enforcement_head,
            started_on=today,
        )


def test_r_cmp_1_task_form_errors_in_chinese(
    client, officer, enforcement_head, complaint, today, work_calendar
):
    client.force_login(officer)
    response = client.post(
        step_url("complaint-task", complaint),
        {
            "receivers": ["pollution"],
            "description": "核查",
            "handler": officer.pk,
            "head": enforcement_head.pk,
            "started_on": (complaint.received_on - timedelta(days=1)).isoformat(),
            "deadline_workdays": 10,
        },
    )
    assert response.status_code == 400
    assert response.context["forms"]["task"].errors["started_on"] == [
        f"发起日期不能早于受理日期（{complaint.received_on:%Y-%m-%d}）。"
    ]


# Answer and reward ----------------------------------------------------------------------------------------


def test_r_cmp_1_answer_reward_and_close(client, officer, leader, complaint, today):
    # given: the brigade answers on the page
    client.force_login(officer)
    response = client.post(
        step_url("complaint-answer", complaint),
        {
            "investigation": "现场核实，雨水口有废水。",
            "is_substantiated": "true",
            "answer": "经查属实，已责令整改。",
            "answered_on": today.isoformat(),
        },
    )
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert (complaint.state, complaint.is_substantiated, complaint.answered_by) == ("answered", True, officer)
    # when: it proposes a reward, which blocks closing until the leadership decides
    client.post(
        step_url("complaint-reward", complaint),
        {"amount": "800", "reason": "提供关键线索", "proposed_on": today.isoformat()},
    )
    blocked = client.post(step_url("complaint-close", complaint), {"closed_on": today.isoformat()})
    assert blocked.status_code == 409 and "奖励尚待局领导决定，暂不能办结。" in page_of(blocked)
    client.force_login(leader)
    decided = client.post(
        step_url("complaint-reward-decision", complaint),
        {"decision": "approved", "decided_on": today.isoformat()},
    )
    assert decided.status_code == 302
    client.force_login(officer)
    closed = client.post(
        step_url("complaint-close", complaint), {"closed_on": today.isoformat(), "rectification": "rectified"}
    )
    # then
    assert closed.status_code == 302
    complaint.refresh_from_db()
    assert complaint.state == "closed" and complaint.reward_amount == Decimal("800")
    assert (complaint.rectification, complaint.rectification_on) == ("rectified", today)
    assert (complaint.reward_decision, complaint.reward_decided_by) == ("approved", leader)
    reasons = [h.history_change_reason for h in complaint.history.order_by("history_id")]
    assert reasons == [None, "答复举报人", "提出举报奖励", "决定举报奖励", "办结"]


@pytest.mark.parametrize("persona", ["officer", "enforcement_head", "legal_clerk"])
def test_r_cmp_1_only_leadership_decides_rewards(request, client, persona, officer, complaint, today):
    answer(officer, complaint)
    cmp.propose_reward(
        by=officer, complaint=complaint, amount=Decimal("300"), reason="属实", proposed_on=today
    )
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied, match="举报奖励由局领导决定。"):
        cmp.decide_reward(by=user, complaint=complaint, decision="approved", decided_on=today)
    client.force_login(user)
    response = client.post(
        step_url("complaint-reward-decision", complaint),
        {"decision": "approved", "decided_on": today.isoformat()},
    )
    assert response.status_code == 403 and "举报奖励由局领导决定。" in page_of(response)
    complaint.refresh_from_db()
    assert complaint.reward_decision == ""


def test_r_cmp_1_leader_decides_once_and_gives_a_reason_to_reject(officer, leader, complaint, today):
    answer(officer, complaint)
    cmp.propose_reward(
        by=officer, complaint=complaint, amount=Decimal("300"), reason="属实", proposed_on=today
    )
    with pytest.raises(ValidationError) as error:
        cmp.decide_reward(by=leader, complaint=complaint, decision="rejected", decided_on=today)
    assert error.value.message_dict == {"note": ["不予奖励时请说明理由。"]}
    cmp.decide_reward(
        by=leader, complaint=complaint, decision="rejected", decided_on=today, note="已获其他奖励"
    )
    with pytest.raises(Conflict, match="该奖励已经决定"):
        cmp.decide_reward(by=leader, complaint=complaint, decision="approved", decided_on=today)
    with pytest.raises(Conflict, match="局领导已对该奖励作出决定"):
        cmp.propose_reward(
            by=officer, complaint=complaint, amount=Decimal("900"), reason="再议", proposed_on=today
        )


def test_r_cmp_1_reward_needs_an_answered_substantiated_tip_off(officer, complaint, today):
    with pytest.raises(Conflict, match="调查核实并答复举报人后才能提出奖励。"):
        cmp.propose_reward(
            by=officer, complaint=complaint, amount=Decimal("100"), reason="x", proposed_on=today
        )
    answer(officer, complaint, substantiated=False)
    with pytest.raises(ValidationError, match="举报经调查核实属实，才能提出奖励。"):
        cmp.propose_reward(
            by=officer, complaint=complaint, amount=Decimal("100"), reason="x", proposed_on=today
        )


def test_r_cmp_1_reward_and_answer_validation_in_chinese(officer, complaint, today):
    with pytest.raises(ValidationError) as error:
        cmp.answer_complaint(
            by=officer,
            complaint=complaint,
            investigation="",
            is_substantiated=None,
            answer="",
            answered_on=today,
        )
    assert error.value.message_dict == {
        "investigation": ["请填写调查核实情况。"],
        "is_substantiated": ["请选择举报是否属实。"],
        "answer": ["请填写答复举报人的内容。"],
    }
    answer(officer, complaint)
    with pytest.raises(ValidationError) as error:
        cmp.propose_reward(
            by=officer, complaint=complaint, amount=Decimal("0"), reason=" ", proposed_on=today
        )
    assert error.value.message_dict == {"amount": ["奖励金额应大于 0 元。"], "reason": ["请填写奖励理由。"]}


def test_r_cmp_1_answering_twice_conflicts(client, officer, complaint, today):
    answer(officer, complaint)
    client.force_login(officer)
    response = client.post(
        step_url("complaint-answer", complaint),
        {
            "investigation": "再查",
            "is_substantiated": "false",
            "answer": "再答",
            "answered_on": today.isoformat(),
        },
    )
    # the form is no longer offered; a stale page that posts it gets the conflict
    assert response.status_code == 409 and "该投诉已答复，不能重复答复。" in page_of(response)


@pytest.mark.parametrize("persona", ["officer", "enforcement_head"])
def test_r_org_2_only_the_handler_of_the_brigade_corrects_the_reporter(request, persona, handler, complaint):
    with pytest.raises(PermissionDenied, match="举报人信息只能由本投诉的承办人更正。"):
        cmp.correct_reporter(
            by=request.getfixturevalue(persona), complaint=complaint, reporter=REPORTER, reason="x"
        )


@pytest.mark.parametrize("persona", ["legal_clerk", "leader", "approval_clerk"])
def test_r_org_2_other_sections_may_not_correct_the_reporter(request, persona, handler, complaint):
    with pytest.raises(PermissionDenied, match="信访投诉由执法大队登记和更正"):
        cmp.correct_reporter(
            by=request.getfixturevalue(persona), complaint=complaint, reporter=REPORTER, reason="x"
        )


def test_r_org_2_the_handler_corrects_the_reporter_on_the_page(client, handler, complaint):
    client.force_login(handler)
    assert 'data-form="reporter"' in page_of(client.get(detail_url(complaint)))
    response = client.post(
        step_url("complaint-reporter", complaint),
        {"reporter_name": NAME, "reporter_phone": "13900001111", "reason": "举报人来电更正号码"},
    )
    assert response.status_code == 302
    assert ComplaintReporter.objects.get(complaint=complaint).phone == "13900001111"


def test_r_ret_1_complaints_are_never_deleted(complaint):
    with pytest.raises(Exception, match="不得删除"):
        complaint.delete()
    with pytest.raises(Exception, match="不得删除"):
        ComplaintReporter.objects.all().delete()


# Query budgets ------------------------------------------------------------------------------------------


@pytest.fixture
def thirty_five(officer, town_a):
    facilities = [FacilityFactory(n=n, town=town_a) for n in range(1, 6)]
    return [
        ComplaintFactory(
            by=officer,
            facility=facilities[n % 5] if n % 7 else None,
            channel=["12369", "hotline", "letter", "visit", "web", "phone", "assigned", "inspection"][n % 8],
            reporter=cmp.ReporterInput(is_anonymous=not n % 6, name=f"王{n}", phone=f"139{n:08d}"),
        )
        for n in range(35)
    ]


def test_r_cmp_1_list_page_costs_four_queries(client, officer, thirty_five, django_assert_num_queries):
    client.force_login(officer)
    # Expect 4 queries: session; user with staff, section and town; the count of the filtered
    # complaints; the page of complaints joined with facility, reporter and linkage task.
    with django_assert_num_queries(4):
        response = client.get(LIST, {"state": "received"})
    assert page_of(response).count("<tr data-complaint=") == 35
    assert "13900000012" not in page_of(response) and "王12" not in page_of(response)


def test_r_cmp_1_api_list_costs_two_queries(api_client, leader, thirty_five, django_assert_num_queries):
    api_client.force_authenticate(leader)
    # Expect 2 queries: the count; the page of complaints joined with facility, reporter and task.
    with django_assert_num_queries(2):
        response = api_client.get(API)
    rows = response.json()["results"]
    assert response.json()["count"] == 35 and len(rows) == 35
    # even for 局领导 a list holds no identity (the detail does, logged)
    assert {row["reporter"]["phone"] for row in rows} == {MASKED_PHONE}
    assert sum(row["reporter"]["name"] == "匿名" for row in rows) == 6
    assert not ReporterAccess.objects.exists()


def test_r_cmp_1_lists_filter_by_channel_state_and_facility(client, api_client, leader, thirty_five):
    facility = thirty_five[1].facility
    api_client.force_authenticate(leader)
    # n % 8 == 2 for n in 0..34: 2, 10, 18, 26, 34
    assert api_client.get(API, {"channel": "letter"}).json()["count"] == 5
    assert api_client.get(API, {"channel": "12369"}).json()["count"] == 5
    assert api_client.get(API, {"state": "answered"}).json()["count"] == 0
    by_facility = api_client.get(API, {"facility": facility.pk}).json()
    assert {row["facility"] for row in by_facility["results"]} == {facility.pk} and by_facility["count"] == 6
    client.force_login(leader)
    assert len(client.get(LIST, {"channel": "letter", "state": "received"}).context["rows"]) == 5
    assert len(client.get(LIST, {"q": thirty_five[3].number}).context["rows"]) == 1


def test_r_cmp_1_detail_page_for_the_officer_costs_five_queries(
    client, officer, complaint, django_assert_num_queries
):
    client.force_login(officer)
    # Expect 5 queries: session; user with staff, section and town; the complaint joined with facility,
    # town, reporter, task, users and section; its history joined with its users, facility, task and
    # section; the brigade's staff for the task form's 经办人 and 负责人. No reporter history.
    with django_assert_num_queries(5):
        response = client.get(detail_url(complaint))
    assert 'data-form="task"' in page_of(response) and 'data-form="answer"' in page_of(response)


def test_r_cmp_1_detail_page_for_the_legal_clerk_costs_seven_queries(
    client, officer, legal_clerk, enforcement_head, complaint, today, work_calendar, django_assert_num_queries
):
    cmp.start_task_from_complaint(
        by=officer,
        complaint=complaint,
        receivers=["pollution"],
        handler=officer,
        head=enforcement_head,
        started_on=today,
    )
    client.force_login(legal_clerk)
    # Expect 7 queries: session; user with staff, section and town; the complaint with everything it
    # shows; the access log row and its history row (legal sees the reporter: one logged view); its
    # history; the reporter's history with its users.
    with django_assert_num_queries(7):
        response = client.get(detail_url(complaint))
    assert 'data-history-kind="reporter"' in page_of(response)
    assert 'data-form="reporter"' not in page_of(response)  # correcting is 执法大队's (R-ORG-2)
    assert ReporterAccess.objects.count() == 1


def test_r_org_2_a_receiving_department_reads_the_complaint_and_its_list(
    client, officer, enforcement_head, pollution_clerk, complaint, today, work_calendar
):
    # given: the brigade sent the complaint to 污防科 as a task
    cmp.start_task_from_complaint(
        by=officer,
        complaint=complaint,
        receivers=["pollution"],
        handler=officer,
        head=enforcement_head,
        started_on=today,
    )
    # when
    client.force_login(pollution_clerk)
    response = client.get(detail_url(complaint))
    # then: 污防科 reads it (R-ORG-2), the reporter masked, and may take no step
    assert response.status_code == 200 and "返回信访投诉列表" in page_of(response)
    assert_masked(page_of(response))
    assert response.context["forms"] == {}
    assert client.get(reverse("complaints:complaint-list")).status_code == 200
