"""The handler of a complaint (R-CMP-1: the reporter is seen by those who must contact them): 执法大队's
head names the officer, the officer then sees that complaint's reporter in full on its page and in the
API's detail (never in a list or an export), and nobody else gains anything. The right is a django-guardian grant on the one
complaint, taken back when the complaint is reassigned."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from bureau.models import SectionCode
from complaints import queries
from complaints import services as cmp
from tests.factories.bureau import StaffFactory

pytestmark = pytest.mark.django_db

NAME, PHONE, MASKED_PHONE = "张三丰", "13812345678", "（已隐去）"


@pytest.fixture
def second_officer(db):
    return StaffFactory(
        username="officer-2", section_code=SectionCode.ENFORCEMENT, certificate_no="31010720099"
    ).user


def receive(by, content="夜间偷排黑水，气味刺鼻。"):
    return cmp.receive_complaint(
        by=by,
        channel="12369",
        received_on=timezone.localdate() - timedelta(days=2),
        content=content,
        reporter=cmp.ReporterInput(name=NAME, phone=PHONE, address="上海市徐汇区漕溪北路100弄3号"),
    )


def test_r_cmp_1_the_assigned_officer_sees_the_reporter_of_that_complaint_only(
    client, api_client, officer, second_officer, enforcement_head
):
    # given: two complaints; the head assigns the first to the officer
    mine, other = receive(officer), receive(officer, content="河道排口疑似偷排。")
    cmp.assign_complaint_handler(by=enforcement_head, complaint=mine, handler=officer)
    # then: the officer sees the first in full, the second masked; the colleague sees both masked
    assert queries.can_see_reporter(officer, mine) and not queries.can_see_reporter(officer, other)
    assert not queries.can_see_reporter(second_officer, mine)
    client.force_login(officer)
    page = client.get(reverse("complaints:complaint-detail", args=[mine.pk])).content.decode()
    assert PHONE in page and "data-handler>" in page
    assert PHONE not in client.get(reverse("complaints:complaint-detail", args=[other.pk])).content.decode()
    listing = client.get(reverse("complaints:complaint-list")).content.decode()
    assert PHONE not in listing and MASKED_PHONE in listing
    api_client.force_authenticate(officer)
    shown = {
        complaint.number: api_client.get(f"/api/v1/complaints/{complaint.pk}/").json()["reporter"]["phone"]
        for complaint in (mine, other)
    }
    assert shown == {mine.number: PHONE, other.number: MASKED_PHONE}


def test_r_cmp_1_reassigning_takes_the_right_back(officer, second_officer, enforcement_head):
    complaint = receive(officer)
    cmp.assign_complaint_handler(by=enforcement_head, complaint=complaint, handler=officer)
    # when
    cmp.assign_complaint_handler(by=enforcement_head, complaint=complaint, handler=second_officer)
    # then: a fresh read, as the next request would make
    officer = type(officer).objects.get(pk=officer.pk)
    assert not queries.can_see_reporter(officer, complaint)
    assert queries.can_see_reporter(type(officer).objects.get(pk=second_officer.pk), complaint)
    reasons = [h.history_change_reason for h in complaint.history.order_by("history_id")]
    assert reasons[-1] == f"指定承办人：{second_officer.display_name}（原承办人：{officer.display_name}）"


def test_r_cmp_1_only_the_brigade_head_assigns_and_only_to_the_brigade(
    officer, legal_clerk, enforcement_head
):
    complaint = receive(officer)
    for by in (officer, legal_clerk):
        with pytest.raises(PermissionDenied, match="只有执法大队负责人"):
            cmp.assign_complaint_handler(by=by, complaint=complaint, handler=officer)
    with pytest.raises(ValidationError) as refused:
        cmp.assign_complaint_handler(by=enforcement_head, complaint=complaint, handler=legal_clerk)
    assert refused.value.message_dict == {"handler": ["承办人应为执法大队的在岗人员。"]}
    assert type(complaint).objects.get(pk=complaint.pk).handler is None


def test_r_cmp_1_the_brigade_head_assigns_the_handler_on_the_page(client, officer, enforcement_head):
    complaint = receive(officer)
    client.force_login(enforcement_head)
    page = client.get(reverse("complaints:complaint-detail", args=[complaint.pk])).content.decode()
    assert 'data-form="handler"' in page and '<option value="" selected>请选择承办人</option>' in page
    # when
    response = client.post(
        reverse("complaints:complaint-handler", args=[complaint.pk]), {"handler": officer.pk}
    )
    # then
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.handler == officer
    client.force_login(officer)
    assert 'data-form="handler"' not in client.get(response.url).content.decode()


def test_r_cmp_1_closing_the_complaint_ends_the_handlers_grant(officer, enforcement_head):
    # given: an answered complaint of the officer's
    complaint = receive(officer)
    cmp.assign_complaint_handler(by=enforcement_head, complaint=complaint, handler=officer)
    complaint = cmp.answer_complaint(
        by=officer,
        complaint=complaint,
        investigation="现场核实，企业夜间生产时废气收集不到位。",
        is_substantiated=True,
        answer="已责令整改。",
        answered_on=timezone.localdate(),
    )
    assert queries.can_see_reporter(officer, complaint)
    # when
    cmp.close_complaint(
        by=officer, complaint=complaint, closed_on=timezone.localdate(), rectification="rectified"
    )
    # then: nobody has to contact the reporter any more
    assert not queries.can_see_reporter(type(officer).objects.get(pk=officer.pk), complaint)
