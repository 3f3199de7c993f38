"""A permit's life to the letter of the texts (R-PER-1, R-PER-2, R-PER-3): 撤销 and 吊销 apart, the
延续 decision as its own event, a late grant's gap, 依职权变更 with its notice, every case of
004 三(一) as a lead, the pending 延续 and the owed rolling checks on 审批科's list, 整改要求 on the
ledger, and issuing a permit in the browser."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bureau.models import TodoItem
from bureau.todo import todos_for
from permits.models import Permit, RectificationItem, UnlicensedDischargeLead
from permits.queries import permit_state_of, with_state
from permits.services import expiry, permits
from permits.services.issuing import PermitContents, issue_permit_with_contents
from permits.services.quality import record_quality_check
from permits.services.rectification import Requirement
from tests.factories.permits import FacilityFactory, PermitFactory

pytestmark = pytest.mark.django_db

UNTIL = date(2026, 1, 9)


def page_of(response) -> str:
    return response.content.decode()


@pytest.fixture
def permit(town_a, approval_clerk):
    return PermitFactory(
        facility=FacilityFactory(town=town_a, name="甲厂"), number="P-1", valid_until=UNTIL, by=approval_clerk
    )


def apply(permit, by, on=date(2025, 10, 1)):
    return permits.record_permit_event(by=by, permit=permit, kind="renewal", occurred_on=on)


def decide(permit, by, on, *, granted=True, until=date(2031, 1, 9), document_no="普环许延〔2026〕1号"):
    return permits.record_permit_event(
        by=by,
        permit=permit,
        kind="renewal_decision",
        occurred_on=on,
        renewal_granted=granted,
        new_valid_until=until if granted else None,
        document_no=document_no,
    )


# R-PER-1 ------------------------------------------------------------------------------------------


@pytest.mark.today(date(2025, 12, 1))
def test_r_per_1_an_event_is_recorded_once_it_has_happened(permit, approval_clerk):
    apply(permit, approval_clerk)
    with pytest.raises(ValidationError) as refused:
        decide(permit, approval_clerk, date(2025, 12, 2))
    assert refused.value.message_dict == {"occurred_on": ["事项日期不能晚于今天：请在事项发生后登记。"]}
    assert permit.events.count() == 2  # 首次申请 and the application, no decision


def test_r_per_1_withdrawn_and_revoked_are_distinct_in_sql_and_rule(town_a, approval_clerk):
    withdrawn = PermitFactory(facility=FacilityFactory(town=town_a), by=approval_clerk)
    revoked = PermitFactory(facility=FacilityFactory(town=town_a), by=approval_clerk)
    permits.record_permit_event(
        by=approval_clerk, permit=withdrawn, kind="withdrawal", occurred_on=date(2025, 2, 1)
    )
    permits.record_permit_event(
        by=approval_clerk, permit=revoked, kind="revocation", occurred_on=date(2025, 2, 1)
    )
    states = {p.pk: p.state for p in with_state(Permit.objects.all(), date(2025, 3, 1))}
    assert states == {withdrawn.pk: "withdrawn", revoked.pk: "revoked"}
    assert permit_state_of(withdrawn, date(2025, 3, 1)) == "withdrawn"


def test_r_per_1_a_late_grant_leaves_the_gap_unlicensed_in_every_derived_view(client, permit, approval_clerk):
    # given: a 延续 applied for in time, granted two months after expiry
    apply(permit, approval_clerk)
    decide(permit, approval_clerk, date(2026, 3, 1))
    permit.refresh_from_db()
    # then: the SQL state and the rule both say the gap was expired, and the grant valid
    for day, state in (
        (date(2026, 1, 10), "expired"),
        (date(2026, 2, 28), "expired"),
        (date(2026, 3, 1), "valid"),
    ):
        assert with_state(Permit.objects.filter(pk=permit.pk), day).get().state == state
        assert permit_state_of(Permit.objects.prefetch_related("events").get(pk=permit.pk), day) == state
    # and the facility page shows the gap as an unlicensed period
    client.force_login(approval_clerk)
    page = page_of(client.get(reverse("permits:facility-detail", args=[permit.facility_id])))
    assert "无证期间" in page and "2026-01-10 至 2026-02-28" in page


def test_r_per_1_a_refused_renewal_is_recorded_and_the_permit_expires(permit, approval_clerk):
    application = apply(permit, approval_clerk)
    decision = decide(
        permit, approval_clerk, date(2025, 12, 1), granted=False, document_no="普环许不延〔2025〕2号"
    )
    permit.refresh_from_db()
    assert (decision.renewal_granted, decision.renewal_application, permit.valid_until) == (
        False,
        application,
        UNTIL,
    )
    assert permit_state_of(permit, date(2026, 1, 10)) == "expired"


def test_r_per_1_a_decision_needs_its_document_number(permit, approval_clerk):
    apply(permit, approval_clerk)
    with pytest.raises(ValidationError) as caught:
        decide(permit, approval_clerk, date(2025, 12, 1), document_no="")
    assert caught.value.message_dict == {"document_no": ["延续决定须填写决定文号。"]}


def test_r_per_1_a_bureau_initiated_change_carries_its_notice(permit, approval_clerk):
    # a 依职权变更 without its notice is refused
    with pytest.raises(ValidationError) as caught:
        permits.record_permit_event(
            by=approval_clerk,
            permit=permit,
            kind="change",
            occurred_on=date(2025, 5, 1),
            is_bureau_initiated=True,
        )
    assert set(caught.value.message_dict) == {"notice_no", "notice_on"}
    # a scan that is a web page named .pdf is refused by its content
    fake = SimpleUploadedFile(
        "告知书.pdf", b"<html><script>alert(1)</script>", content_type="application/pdf"
    )
    with pytest.raises(ValidationError, match="内容与文件类型“PDF”不符"):
        permits.record_permit_event(
            by=approval_clerk,
            permit=permit,
            kind="change",
            occurred_on=date(2025, 5, 1),
            is_bureau_initiated=True,
            notice_no="普环许告〔2025〕3号",
            notice_on=date(2025, 5, 6),
            notice_file=fake,
        )
    assert permit.events.count() == 1
    # with its notice and a real PDF it is recorded
    scan = SimpleUploadedFile("告知书.pdf", b"%PDF-1.7 notice", content_type="application/pdf")
    event = permits.record_permit_event(
        by=approval_clerk,
        permit=permit,
        kind="change",
        occurred_on=date(2025, 5, 1),
        note="执行新排放标准",
        is_bureau_initiated=True,
        notice_no="普环许告〔2025〕3号",
        notice_on=date(2025, 5, 6),
        notice_file=scan,
    )
    assert (event.notice_no, event.notice_on, event.notice_file.read()) == (
        "普环许告〔2025〕3号",
        date(2025, 5, 6),
        b"%PDF-1.7 notice",
    )


def test_r_per_1_only_the_approval_section_records_events_and_decisions(personas, permit, approval_clerk):
    apply(permit, approval_clerk)
    for section in ("ecology", "pollution", "legal", "enforcement", "monitoring", "leadership", "town"):
        with pytest.raises(PermissionDenied, match="由行政审批服务科维护"):
            decide(permit, personas[section], date(2025, 12, 1))
    assert permit.events.count() == 2


# R-PER-2 ------------------------------------------------------------------------------------------


def test_r_per_2_a_pending_renewal_is_on_the_approval_list_until_its_decision(
    permit, approval_clerk, officer
):
    # when: the application is recorded
    application = apply(permit, approval_clerk)
    # then: 审批科 has it to decide before expiry; 执法大队 does not
    item = TodoItem.objects.get(key=f"permit-renewal-decision:{application.pk}", done_at__isnull=True)
    assert item.section.code == "approval" and item.due_on == UNTIL
    assert (
        item.title
        == "甲厂 排污许可证 P-1 的延续申请（2025-10-01 提交）待作出延续决定，许可证有效期至 2026-01-09"
    )
    assert item in todos_for(approval_clerk) and item not in todos_for(officer)
    # when: the decision is recorded, the item is done
    decide(permit, approval_clerk, date(2025, 12, 1))
    item.refresh_from_db()
    assert item.done_at is not None and item.done_by == approval_clerk
    # and the daily job does not bring it back
    expiry.check_permit_expiry(today=date(2025, 12, 2))
    assert not TodoItem.objects.filter(
        key__startswith="permit-renewal-decision:", done_at__isnull=True
    ).exists()


def _lead_case(facility, permit, by, case):
    """Bring ``permit`` into ``case`` of 004 三(一) by 2026-01-20."""
    if case == "renewal_undecided":
        apply(permit, by)
    elif case == "renewal_refused":
        apply(permit, by)
        decide(permit, by, date(2025, 12, 1), granted=False)
    elif case in ("cancelled", "withdrawn", "revoked"):
        kind = {"cancelled": "cancellation", "withdrawn": "withdrawal", "revoked": "revocation"}[case]
        permits.record_permit_event(by=by, permit=permit, kind=kind, occurred_on=date(2025, 6, 1))


@pytest.mark.parametrize(
    ("case", "expired_on", "title"),
    [
        ("expired", UNTIL, "有效期至 2026-01-09，有效期届满未申请延续"),
        ("renewal_undecided", UNTIL, "有效期至 2026-01-09，延续申请到期时尚未批准"),
        ("renewal_refused", UNTIL, "有效期至 2026-01-09，延续申请未获批准"),
        ("cancelled", date(2025, 6, 1), "已于 2025-06-01 被注销"),
        ("withdrawn", date(2025, 6, 1), "已于 2025-06-01 被撤销"),
        ("revoked", date(2025, 6, 1), "已于 2025-06-01 被吊销"),
    ],
)
def test_r_per_2_each_case_of_004_3_1_is_an_unlicensed_lead_while_operating(
    town_a, approval_clerk, officer, permit, case, expired_on, title
):
    # given: an operating facility and a halted one, both in the case
    _lead_case(permit.facility, permit, approval_clerk, case)
    halted = FacilityFactory(town=town_a, status="halted")
    _lead_case(
        halted, PermitFactory(facility=halted, valid_until=UNTIL, by=approval_clerk), approval_clerk, case
    )
    # when: the daily job runs twice
    first = expiry.check_permit_expiry(today=date(2026, 1, 20))
    second = expiry.check_permit_expiry(today=date(2026, 1, 20))
    # then: one lead, for the operating facility, in its case; nothing twice
    lead = UnlicensedDischargeLead.objects.get()
    assert (lead.facility, lead.case, lead.expired_on) == (permit.facility, case, expired_on)
    assert (first["leads"], second["leads"]) == (1, 0)
    assert [t.title for t in todos_for(officer, today=date(2026, 1, 20))] == [
        f"无证排污线索：甲厂 许可证 P-1 {title}，单位仍在生产"
    ]


def test_r_per_2_a_lead_raised_in_the_gap_stays_after_a_late_grant(permit, approval_clerk):
    apply(permit, approval_clerk)
    expiry.check_permit_expiry(today=date(2026, 1, 20))
    decide(permit, approval_clerk, date(2026, 3, 1))
    expiry.check_permit_expiry(today=date(2026, 3, 2))
    lead = UnlicensedDischargeLead.objects.get()
    assert (lead.case, lead.expired_on, lead.status) == ("renewal_undecided", UNTIL, "open")


def test_r_per_2_cancelling_an_expired_permit_raises_no_second_lead(permit, approval_clerk, officer):
    # given: the expired permit is already a lead for 执法大队
    expiry.check_permit_expiry(today=date(2026, 1, 20))
    # when: it is cancelled afterwards and the job runs again
    permits.record_permit_event(
        by=approval_clerk, permit=permit, kind="cancellation", occurred_on=date(2026, 2, 1)
    )
    again = expiry.check_permit_expiry(today=date(2026, 2, 10))
    # then: the same gap stays one lead, in the case that began it, with one task
    lead = UnlicensedDischargeLead.objects.get()
    assert (lead.case, lead.expired_on, again["leads"]) == ("expired", UNTIL, 0)
    assert [t.title for t in todos_for(officer, today=date(2026, 2, 10))] == [
        "无证排污线索：甲厂 许可证 P-1 有效期至 2026-01-09，有效期届满未申请延续，单位仍在生产"
    ]


# R-PER-3 ------------------------------------------------------------------------------------------


def issue(by, facility, *, requirements=(), outlets=(), limits=(), number="91310107TEST-NEW", level="key"):
    return issue_permit_with_contents(
        by=by,
        facility=facility,
        number=number,
        management_level=level,
        issued_on=date(2026, 3, 2),
        valid_from=date(2026, 3, 2),
        valid_until=date(2031, 3, 1),
        report_frequency="quarterly",
        document_no="普环许〔2026〕5号",
        contents=PermitContents(outlets=list(outlets), limits=list(limits), requirements=list(requirements)),
    )


@pytest.mark.today(date(2026, 3, 2))
def test_r_per_3_a_permits_rectification_requirements_join_the_one_ledger(town_a, approval_clerk):
    facility = FacilityFactory(town=town_a)
    requirement = Requirement(
        "2026 年 6 月底前完成 VOCs 废气收集改造", date(2026, 6, 30), "王厂长", "13800000000"
    )
    permit = issue(approval_clerk, facility, requirements=[requirement])
    item = RectificationItem.objects.get()
    assert (item.facility, item.source_kind, item.deadline_on, item.deadline_workdays) == (
        facility,
        "permit",
        date(2026, 6, 30),
        None,
    )
    event = permit.events.get()
    assert item.source_key == f"permits.permit_event:{event.pk}"
    assert item.source_label == "许可证 91310107TEST-NEW 首次申请（2026-03-02）"
    assert (item.found_on, item.category_label) == (date(2026, 3, 2), "许可证整改要求")


@pytest.mark.today(date(2026, 3, 2))
def test_r_per_3_a_requirement_without_its_person_is_refused_and_nothing_is_written(town_a, approval_clerk):
    with pytest.raises(ValidationError) as caught:
        issue(
            approval_clerk,
            FacilityFactory(town=town_a),
            requirements=[Requirement("整改", date(2026, 6, 30), " ")],
        )
    assert caught.value.message_dict == {"requirements[1].responsible_person": ["请填写整改责任人。"]}
    assert not Permit.objects.exists() and not RectificationItem.objects.exists()


@pytest.mark.today(date(2026, 3, 10))
def test_r_per_3_owed_rolling_checks_are_listed_until_a_check_is_recorded(
    client, town_a, approval_clerk, django_assert_num_queries
):
    # given: this year's first permit, a change of last year's permit, and an old permit
    first = issue(approval_clerk, FacilityFactory(town=town_a, name="新证厂"))
    changed = PermitFactory(
        facility=FacilityFactory(town=town_a, name="变更厂"), issued_on=date(2025, 5, 1), by=approval_clerk
    )
    permits.record_permit_event(
        by=approval_clerk, permit=changed, kind="change", occurred_on=date(2026, 3, 5)
    )
    PermitFactory(
        facility=FacilityFactory(town=town_a, name="旧证厂"), issued_on=date(2024, 5, 1), by=approval_clerk
    )
    # when: the daily job runs
    counts = expiry.check_permit_expiry(today=date(2026, 3, 10))
    # then: two are owed, on 审批科's list and on the page
    assert counts["quality_owed"] == 2
    owed = TodoItem.objects.filter(key__startswith="permit-quality-owed:", done_at__isnull=True)
    assert sorted(t.title for t in owed) == [
        "滚动质量检查：变更厂 排污许可证 " + changed.number + " 变更（2026-03-05）待开展核发质量检查",
        "滚动质量检查：新证厂 排污许可证 91310107TEST-NEW 首次申请（2026-03-02）待开展核发质量检查",
    ]
    client.force_login(approval_clerk)
    # Expect 3 queries: session, user with staff/section/town, owed events with permit, facility and town.
    with django_assert_num_queries(3):
        response = client.get(reverse("permits:quality-owed"))
    page = page_of(response)
    assert "新证厂" in page and "变更厂" in page and "旧证厂" not in page
    # when: a quality check of the new permit is recorded
    record_quality_check(
        by=approval_clerk,
        facility=first.facility,
        permit=first,
        checked_on=date(2026, 3, 10),
        method="off_site",
        selection="targeted",
        summary="未发现问题",
        findings=[],
    )
    # then: it is gone from the page and its to-do is done
    page = page_of(client.get(reverse("permits:quality-owed")))
    assert "新证厂" not in page and "变更厂" in page
    assert [t.title[:10] for t in owed.all()] == ["滚动质量检查：变更厂"]
    # and the job does not bring it back
    expiry.check_permit_expiry(today=date(2026, 3, 11))
    assert [t.title[:10] for t in owed.all()] == ["滚动质量检查：变更厂"]


@pytest.mark.today(date(2026, 3, 10))
def test_r_per_3_owed_checks_page_costs_fixed_queries(
    client, town_a, approval_clerk, django_assert_num_queries
):
    for n in range(30):
        issue(approval_clerk, FacilityFactory(town=town_a), number=f"P-OWED-{n:02d}")
    client.force_login(approval_clerk)
    # Expect 3 queries: session, user with staff/section/town, owed events with permit, facility and town.
    with django_assert_num_queries(3):
        response = client.get(reverse("permits:quality-owed"))
    assert page_of(response).count("<tr data-event=") == 30


# Issuing a permit in the browser (R-PER-1, R-FAC-3) ----------------------------------------------------

ISSUE_FORM = {
    "number": "91310107000000001X001P",
    "application": "first_application",
    "management_level": "key",
    "issued_on": "2026-03-02",
    "valid_from": "2026-03-02",
    "valid_until": "2031-03-01",
    "report_frequency": "quarterly",
    "document_no": "普环许〔2026〕9号",
    "outlet-0-code": "DA001",
    "outlet-0-kind": "gas",
    "outlet-0-name": "1号排气筒",
    "outlet-1-code": "DW001",
    "outlet-1-kind": "water",
    "limit-0-outlet_code": "DA001",
    "limit-0-pollutant": "颗粒物",
    "limit-0-concentration": "20",
    "limit-0-unit": "mg/m³",
    "limit-1-outlet_code": "DW001",
    "limit-1-pollutant": "化学需氧量",
    "limit-1-annual_quantity": "1.5",
    "requirement-0-description": "2026 年 6 月底前完成废气收集改造",
    "requirement-0-deadline_on": "2026-06-30",
    "requirement-0-responsible_person": "王厂长",
}


def issue_url(facility):
    return reverse("permits:permit-issue", args=[facility.pk])


@pytest.mark.today(date(2026, 3, 2))
def test_r_per_1_the_approval_clerk_issues_a_permit_with_outlets_limits_and_requirements(
    client, town_a, approval_clerk
):
    facility = FacilityFactory(town=town_a, name="新建涂料厂")
    client.force_login(approval_clerk)
    assert client.get(issue_url(facility)).status_code == 200
    response = client.post(issue_url(facility), ISSUE_FORM, follow=True)
    page = page_of(response)
    assert "已登记排污许可证 91310107000000001X001P（首次申请）。" in page
    permit = Permit.objects.get()
    assert [(o.code, o.kind) for o in permit.outlets.all()] == [("DA001", "gas"), ("DW001", "water")]
    limits = {
        (lim.outlet.code, lim.pollutant): (lim.concentration, lim.annual_quantity)
        for lim in permit.outlets.get(code="DA001").limits.all()
        | permit.outlets.get(code="DW001").limits.all()
    }
    assert limits == {
        ("DA001", "颗粒物"): (Decimal("20.000"), None),
        ("DW001", "化学需氧量"): (None, Decimal("1.5000")),
    }
    assert RectificationItem.objects.get().deadline_on == date(2026, 6, 30)


@pytest.mark.today(date(2026, 3, 2))
def test_r_per_1_an_issuing_error_comes_back_on_its_row_with_everything_kept(client, town_a, approval_clerk):
    facility = FacilityFactory(town=town_a)
    client.force_login(approval_clerk)
    response = client.post(issue_url(facility), {**ISSUE_FORM, "limit-1-outlet_code": "DW009"})
    assert response.status_code == 400
    page = page_of(response)
    assert "排放口“DW009”不在本许可证的排放口中。" in page
    assert 'value="普环许〔2026〕9号"' in page and "2026 年 6 月底前完成废气收集改造" in page
    assert not Permit.objects.exists()


@pytest.mark.today(date(2026, 3, 2))
def test_r_fac_3_a_permit_whose_level_disagrees_with_its_facility_is_refused(client, town_a, approval_clerk):
    facility = FacilityFactory(town=town_a, management_level="simplified")
    client.force_login(approval_clerk)
    response = client.post(issue_url(facility), ISSUE_FORM)
    assert response.status_code == 400
    assert "许可证管理类别（重点管理）与排污单位管理类别（简化管理）不一致" in page_of(response)
    assert not Permit.objects.exists()


@pytest.mark.today(date(2026, 3, 2))
@pytest.mark.parametrize(
    "section", ["ecology", "pollution", "legal", "enforcement", "monitoring", "leadership"]
)
def test_r_org_2_only_the_approval_section_issues_permits_in_the_browser(client, personas, town_a, section):
    facility = FacilityFactory(town=town_a)
    client.force_login(personas[section])
    assert client.get(issue_url(facility)).status_code == 403
    response = client.post(issue_url(facility), ISSUE_FORM)
    assert response.status_code == 403 and "由行政审批服务科维护" in page_of(response)
    assert not Permit.objects.exists()


@pytest.mark.today(date(2026, 3, 2))
def test_r_per_1_only_the_approval_section_records_events_in_the_browser(client, personas, permit):
    for section in ("ecology", "enforcement", "leadership"):
        client.force_login(personas[section])
        response = client.post(
            reverse("permits:permit-event-create", args=[permit.facility_id]),
            {"permit": permit.pk, "kind": "revocation", "occurred_on": "2025-06-01"},
        )
        assert response.status_code == 403
    assert permit.events.count() == 1


@pytest.mark.today(date(2026, 3, 2))
def test_r_per_1_issue_page_costs_fixed_queries(client, town_a, approval_clerk, django_assert_num_queries):
    facility = FacilityFactory(town=town_a)
    client.force_login(approval_clerk)
    # Expect 3 queries: session, user with staff/section/town, the facility with town and key industry.
    with django_assert_num_queries(3):
        response = client.get(issue_url(facility))
    assert response.status_code == 200


@pytest.mark.today(date(2025, 6, 2))
def test_r_per_1_a_bureau_initiated_change_with_its_notice_and_a_requirement_in_the_browser(
    client, permit, approval_clerk
):
    client.force_login(approval_clerk)
    url = reverse("permits:permit-event-create", args=[permit.facility_id])
    body = {
        "permit": permit.pk,
        "kind": "change",
        "occurred_on": "2025-06-01",
        "document_no": "普环许变〔2025〕7号",
        "note": "执行新排放标准",
        "is_bureau_initiated": "on",
        "notice_no": "普环许告〔2025〕7号",
        "notice_on": "2025-06-02",
        "requirement_description": "2025 年 12 月底前按新标准完成废气治理设施改造",
        "requirement_deadline_on": "2025-12-31",
        "requirement_responsible_person": "",
    }
    # an empty responsible person is refused on its field, with everything kept and nothing written
    response = client.post(url, {**body, "notice_file": SimpleUploadedFile("告知书.pdf", b"%PDF-1.7 x")})
    assert response.status_code == 400
    page = page_of(response)
    assert "请填写整改责任人。" in page and 'value="普环许告〔2025〕7号"' in page
    assert permit.events.count() == 1 and not RectificationItem.objects.exists()
    # when: filled in
    response = client.post(
        url,
        {
            **body,
            "requirement_responsible_person": "王厂长",
            "notice_file": SimpleUploadedFile("告知书.pdf", b"%PDF-1.7 x"),
        },
        follow=True,
    )
    # then
    page = page_of(response)
    assert "已登记许可证 P-1 的“变更”事项。整改要求已列入限期整改问题台账。" in page
    assert "依职权变更" in page and "告知书 普环许告〔2025〕7号（2025-06-02）" in page
    event = permit.events.get(kind="change")
    assert (event.is_bureau_initiated, event.notice_file.read()) == (True, b"%PDF-1.7 x")
    item = RectificationItem.objects.get()
    assert (item.source_key, item.deadline_on, item.responsible_person) == (
        f"permits.permit_event:{event.pk}",
        date(2025, 12, 31),
        "王厂长",
    )


def test_r_per_2_a_cancellation_makes_a_pending_renewal_moot(permit, approval_clerk):
    application = apply(permit, approval_clerk)
    permits.record_permit_event(
        by=approval_clerk, permit=permit, kind="cancellation", occurred_on=date(2025, 11, 1)
    )
    expiry.check_permit_expiry(today=date(2025, 11, 2))
    item = TodoItem.objects.get(key=f"permit-renewal-decision:{application.pk}")
    assert item.done_at is not None


@pytest.mark.today(date(2026, 1, 20))
def test_r_per_1_the_api_records_a_refused_renewal_and_shows_the_permit_expired(
    api_client, permit, approval_clerk
):
    apply(permit, approval_clerk)
    api_client.force_authenticate(approval_clerk)
    url = f"/api/v1/permits/{permit.pk}/events/"
    # a decision without its 文号 is refused on that field
    response = api_client.post(
        url,
        {"kind": "renewal_decision", "occurred_on": "2026-01-15", "renewal_granted": False},
        format="json",
    )
    assert (response.status_code, response.json()) == (400, {"document_no": ["延续决定须填写决定文号。"]})
    response = api_client.post(
        url,
        {
            "kind": "renewal_decision",
            "occurred_on": "2026-01-15",
            "renewal_granted": False,
            "document_no": "不予延续〔2026〕1号",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert (response.json()["kind_display"], response.json()["renewal_granted"]) == ("延续决定", False)
    assert api_client.get(f"/api/v1/permits/{permit.pk}/").json()["state"] == "expired"
