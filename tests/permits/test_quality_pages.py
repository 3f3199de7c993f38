"""The record forms of the facility detail page: 核发质量检查 with its findings (R-PER-3, R-CAL-1),
排污登记, 排放口, 许可排放限值 (审批科) and 行政处罚 (执法大队), each kept by one section (R-ORG-2) and
answering 404 for another town's facility (R-ORG-3)."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from permits.models import EmissionLimit, Outlet, PenaltyRecord, QualityCheck, RectificationItem, Registration
from permits.services.facilities import register_facility
from permits.services.penalties import record_penalty
from permits.services.permits import add_outlet
from permits.services.quality import NOTHING_RECORDED
from tests.factories.permits import FacilityFactory, PermitFactory, RegistrationFactory, build_rich_facility

pytestmark = pytest.mark.django_db

KEPT_BY_APPROVAL = "该信息由行政审批服务科维护，您所在的科室只能查看，不能修改。"
KEPT_BY_ENFORCEMENT = "该信息由执法大队维护，您所在的科室只能查看，不能修改。"
FIX_BELOW = "未保存：请按下方标红的提示修改后再提交"
CHECKED_ON = date(2025, 9, 30)  # the National Day holiday (1–8 October 2025) follows


def page_of(response) -> str:
    return response.content.decode()


def detail_url(facility):
    return reverse("permits:facility-detail", args=[facility.pk])


def url(name, facility):
    return reverse(f"permits:{name}", args=[facility.pk])


def section(page: str, anchor: str) -> str:
    return re.search(rf'<section id="{anchor}".*?</section>', page, re.S).group()


def finding_row(page: str, number: int) -> str:
    return re.search(
        rf'<fieldset class="finding[^"]*" data-finding="{number}">.*?</fieldset>', page, re.S
    ).group()


def form_names(page: str) -> set[str]:
    return set(re.findall(r'data-form="([a-z]+)"', page))


def finding(
    category="discharge_mismatch", description="实际排放口多于许可", days=5, person="王厂长", phone=""
):
    return {
        "category": category,
        "description": description,
        "deadline_workdays": str(days),
        "responsible_person": person,
        "responsible_phone": phone,
    }


def check_data(*, rows: dict[int, dict] | None = None, **values) -> dict:
    """The POST of the check form: ``rows`` maps a row (from 0, of five) to its finding; the others
    are sent empty, as a browser sends them."""
    data = {
        "permit": "",
        "checked_on": CHECKED_ON.isoformat(),
        "method": "on_site",
        "selection": "targeted",
        "summary": "",
        "finding-TOTAL_FORMS": "5",
        "finding-INITIAL_FORMS": "0",
        "finding-MIN_NUM_FORMS": "0",
        "finding-MAX_NUM_FORMS": "5",
    }
    for index in range(5):
        for key, value in (rows or {}).get(index, finding("", "", "", "")).items():
            data[f"finding-{index}-{key}"] = value
    data.update(values)
    return data


@pytest.fixture
def permitted(town_a):
    facility = FacilityFactory(n=1, town=town_a, name="甲镇涂料厂")
    permit = PermitFactory(
        facility=facility, number="P-001", valid_until=date(2029, 6, 30), issued_on=date(2024, 7, 1)
    )
    return facility, permit


# 核发质量检查 (R-PER-3) -------------------------------------------------------------------------------


def test_r_per_3_approval_records_a_check_whose_findings_become_rectification_items(
    client, approval_clerk, permitted
):
    facility, permit = permitted
    client.force_login(approval_clerk)
    # when: two findings, in rows 1 and 3 with row 2 left empty
    response = client.post(
        url("quality-check-create", facility),
        check_data(
            permit=permit.pk,
            summary="重点检查管理类别",
            rows={
                0: finding("level_lowered", "按简化管理申领，产能已达重点管理", 20, "李厂长", "13800000000"),
                2: finding("discharge_mismatch", "实际排放口多于许可", 5, "王厂长"),
            },
        ),
        follow=True,
    )
    # then
    assert response.redirect_chain[-1][0].endswith(f"/facilities/{facility.pk}/#checks")
    page = page_of(response)
    assert "已登记 2025-09-30 的核发质量检查：发现问题 2 项，已列入限期整改台账。" in page
    check = QualityCheck.objects.get()
    assert (check.permit, check.checked_by, check.method, check.selection) == (
        permit,
        approval_clerk,
        "on_site",
        "targeted",
    )
    items = {item.category: item for item in check.items.all()}
    assert sorted(items) == ["discharge_mismatch", "level_lowered"]
    assert items["level_lowered"].responsible_phone == "13800000000"
    checks = section(page, "checks")
    assert "现场核查 · 靶向核查" in checks and "P-001" in checks and "重点检查管理类别" in checks
    rectifications = section(page, "rectifications")
    assert rectifications.count("data-item=") == 2 and "未销号 2 项" in rectifications
    assert "按简化管理申领，产能已达重点管理" in rectifications and "李厂长 13800000000" in rectifications


def test_r_cal_1_a_finding_of_5_working_days_from_2025_09_30_is_due_2025_10_14(
    client, approval_clerk, permitted
):
    facility, _ = permitted
    client.force_login(approval_clerk)
    response = client.post(
        url("quality-check-create", facility), check_data(rows={0: finding(days=5)}), follow=True
    )
    # 1–8 October are the National Day holiday, Saturday 11 October a 调休 working day.
    assert RectificationItem.objects.get().deadline_on == date(2025, 10, 14)
    page = page_of(response)
    assert "<dd>2025-10-14（5 个工作日）</dd>" in section(page, "rectifications")
    assert "整改期限 2025-10-14" in section(page, "checks")


def test_r_per_3_a_check_that_found_nothing_says_so(client, approval_clerk, permitted):
    facility, _ = permitted
    client.force_login(approval_clerk)
    response = client.post(
        url("quality-check-create", facility),
        check_data(summary="未发现问题", method="off_site", selection="random"),
        follow=True,
    )
    page = page_of(response)
    assert "已登记 2025-09-30 的核发质量检查：未发现问题。" in page
    assert "非现场核查 · 随机抽查" in section(page, "checks")
    assert QualityCheck.objects.get().summary == "未发现问题"
    assert not RectificationItem.objects.exists()


def test_r_per_3_a_check_with_neither_findings_nor_conclusion_is_refused_with_input_kept(
    client, approval_clerk, permitted
):
    facility, permit = permitted
    client.force_login(approval_clerk)
    response = client.post(
        url("quality-check-create", facility),
        check_data(permit=permit.pk, method="off_site", summary="   "),
    )
    assert response.status_code == 400
    page = page_of(response)
    assert NOTHING_RECORDED in page and FIX_BELOW in page
    assert '<details class="form-card" id="check-form" open>' in page
    assert 'value="2025-09-30"' in page
    assert '<option value="off_site" selected>' in page
    assert f'<option value="{permit.pk}" selected>P-001</option>' in page
    assert not QualityCheck.objects.exists()


def test_r_per_3_a_half_filled_row_is_refused_on_that_row_with_every_row_kept(
    client, approval_clerk, permitted
):
    facility, _ = permitted
    client.force_login(approval_clerk)
    rows = {
        0: finding("should_register", "厂内另有独立法人单位未登记", 10, "赵经理"),
        1: finding("level_lowered", "管理类别降低", "", ""),
    }
    response = client.post(url("quality-check-create", facility), check_data(rows=rows, summary="抽查"))
    assert response.status_code == 400
    page = page_of(response)
    second = finding_row(page, 2)
    assert second.count("该字段是必填项。") == 2  # deadline and responsible person
    assert "管理类别降低</textarea>" in second and '<option value="level_lowered" selected>' in second
    first = finding_row(page, 1)
    assert "该字段是必填项。" not in first
    assert "厂内另有独立法人单位未登记</textarea>" in first and 'value="赵经理"' in first
    assert "抽查</textarea>" in page
    assert not QualityCheck.objects.exists()


def test_r_per_3_the_services_error_lands_on_the_row_it_is_about(client, approval_clerk, permitted):
    facility, _ = permitted
    client.force_login(approval_clerk)
    # Rows 1 and 4 are filled: the service's second finding is the page's fourth row.
    rows = {0: finding(days=5), 3: finding("should_issue", "应发未发", 0, "钱主任")}
    response = client.post(url("quality-check-create", facility), check_data(rows=rows))
    assert response.status_code == 400
    page = page_of(response)
    assert "整改时限应为 1–250 个工作日。" in finding_row(page, 4)
    assert "整改时限应为" not in finding_row(page, 1)
    assert 'value="0"' in finding_row(page, 4) and "应发未发</textarea>" in finding_row(page, 4)
    assert not QualityCheck.objects.exists()


def test_r_per_3_a_permit_of_another_facility_is_refused(client, approval_clerk, permitted, town_a):
    facility, _ = permitted
    other = PermitFactory(
        facility=FacilityFactory(n=2, town=town_a), number="P-002", valid_until=date(2029, 1, 1)
    )
    client.force_login(approval_clerk)
    response = client.post(
        url("quality-check-create", facility), check_data(permit=other.pk, rows={0: finding()})
    )
    assert response.status_code == 400
    assert "选择一个有效的选项。" in page_of(response)
    assert not QualityCheck.objects.exists()


def test_r_per_3_the_page_not_the_post_decides_how_many_rows_there_are(client, approval_clerk, permitted):
    facility, _ = permitted
    client.force_login(approval_clerk)
    # A forged POST without the row counts is read as the page's five rows.
    data = {k: v for k, v in check_data(rows={1: finding()}).items() if not k.endswith("_FORMS")}
    assert client.post(url("quality-check-create", facility), data).status_code == 302
    assert QualityCheck.objects.get().items.count() == 1
    # One claiming twelve rows gets five: a sixth finding is not read.
    data = check_data(rows={0: finding()}, **{"finding-TOTAL_FORMS": "12"})
    data.update({f"finding-5-{key}": value for key, value in finding(description="第六项").items()})
    assert client.post(url("quality-check-create", facility), data).status_code == 302
    assert not RectificationItem.objects.filter(description="第六项").exists()
    assert RectificationItem.objects.count() == 2


def test_r_per_3_an_empty_post_is_refused_on_every_missing_field(client, approval_clerk, permitted):
    facility, _ = permitted
    client.force_login(approval_clerk)
    response = client.post(url("quality-check-create", facility), {})
    assert response.status_code == 400
    page = page_of(response)
    assert section(page, "checks").count("该字段是必填项。") == 3  # date, method, selection
    assert section(page, "checks").count('<fieldset class="finding"') == 5
    assert not QualityCheck.objects.exists()


@pytest.mark.parametrize(
    "persona", ["ecology_clerk", "pollution_clerk", "legal_clerk", "officer", "monitoring_clerk", "leader"]
)
def test_r_per_3_a_forged_check_by_another_section_is_403(request, client, permitted, persona):
    facility, _ = permitted
    client.force_login(request.getfixturevalue(persona))
    assert 'data-form="check"' not in page_of(client.get(detail_url(facility)))
    response = client.post(
        url("quality-check-create", facility), check_data(summary="伪造", rows={0: finding()})
    )
    assert response.status_code == 403
    assert KEPT_BY_APPROVAL in page_of(response)
    assert not QualityCheck.objects.exists()


def test_r_per_3_the_administrator_records_a_check(client, administrator, permitted):
    facility, _ = permitted
    client.force_login(administrator)
    response = client.post(url("quality-check-create", facility), check_data(rows={0: finding()}))
    assert response.status_code == 302
    assert QualityCheck.objects.get().checked_by == administrator


# Who sees which form (R-ORG-2) --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "forms"),
    [
        ("approval_clerk", {"facility", "event", "check", "registration", "outlet", "limit"}),
        ("officer", {"penalty"}),
        ("leader", set()),
        ("town_a_liaison", set()),
        ("administrator", {"facility", "event", "check", "registration", "outlet", "limit", "penalty"}),
    ],
)
def test_r_org_2_each_section_sees_the_record_forms_it_keeps(request, client, permitted, persona, forms):
    facility, permit = permitted
    add_outlet(by=None, permit=permit, code="DA001", kind="gas")
    client.force_login(request.getfixturevalue(persona))
    assert form_names(page_of(client.get(detail_url(facility)))) == forms


def test_outlet_forms_wait_for_a_permit_and_the_limit_form_for_an_outlet(client, approval_clerk, town_a):
    registered = FacilityFactory(n=3, town=town_a, management_level="registered")
    client.force_login(approval_clerk)
    assert form_names(page_of(client.get(detail_url(registered)))) == {"facility", "check", "registration"}
    # a permit of simplified management needs the facility at that level first (R-FAC-3)
    registered, _, _ = register_facility(
        by=None, values={"source_code": registered.source_code, "management_level": "simplified"}
    )
    permit = PermitFactory(facility=registered, number="P-003", valid_until=date(2029, 1, 1))
    assert "limit" not in form_names(page_of(client.get(detail_url(registered))))
    add_outlet(by=None, permit=permit, code="DW001", kind="water")
    assert "limit" in form_names(page_of(client.get(detail_url(registered))))


# R-ORG-3: another town's facility is not there --------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "quality-check-create",
        "registration-create",
        "outlet-create",
        "emission-limit-create",
        "penalty-create",
    ],
)
def test_r_org_3_a_town_gets_404_for_another_towns_facility(client, town_b_liaison, permitted, name):
    facility, _ = permitted
    client.force_login(town_b_liaison)
    foreign = client.post(url(name, facility), {"summary": "街镇"})
    missing = client.post(reverse(f"permits:{name}", args=[999_999]), {"summary": "街镇"})
    assert foreign.status_code == missing.status_code == 404
    assert "不在您的管辖范围内" in page_of(foreign)


def test_r_org_3_a_town_gets_403_for_its_own_facility(client, town_a_liaison, permitted):
    facility, _ = permitted
    client.force_login(town_a_liaison)
    response = client.post(url("quality-check-create", facility), check_data(summary="未发现问题"))
    assert response.status_code == 403
    assert KEPT_BY_APPROVAL in page_of(response)


def test_record_forms_need_post_and_login(client, approval_clerk, permitted):
    facility, _ = permitted
    assert client.post(url("registration-create", facility), {}).url.startswith("/login/")
    client.force_login(approval_clerk)
    assert client.get(url("registration-create", facility)).status_code == 405


# 排污登记 ------------------------------------------------------------------------------------------------


def registration_data(**values):
    return {"receipt_no": "913101070001R001", "registered_on": "2026-03-02", "valid_until": "", **values}


def test_approval_records_a_registration(client, approval_clerk, town_a):
    facility = FacilityFactory(n=3, town=town_a, management_level="registered")
    client.force_login(approval_clerk)
    response = client.post(url("registration-create", facility), registration_data(), follow=True)
    assert response.redirect_chain[-1][0].endswith("#registrations")
    page = page_of(response)
    assert "已保存排污登记，回执编号 913101070001R001。" in page
    assert "913101070001R001" in section(page, "registrations")
    registration = Registration.objects.get()
    assert (registration.facility, registration.registered_on) == (facility, date(2026, 3, 2))
    assert registration.history.first().history_user == approval_clerk


def test_registration_errors_are_chinese_with_the_input_kept(client, approval_clerk, town_a):
    facility = FacilityFactory(n=3, town=town_a, management_level="registered")
    client.force_login(approval_clerk)
    response = client.post(url("registration-create", facility), registration_data(valid_until="2026-01-01"))
    assert response.status_code == 400
    page = page_of(response)
    assert "有效期至应晚于登记日期。" in page and FIX_BELOW in page
    assert 'value="913101070001R001"' in page and 'value="2026-01-01"' in page
    assert '<details class="form-card" id="registration-form" open>' in page
    assert not Registration.objects.exists()


def test_a_receipt_number_of_another_facility_is_refused(client, approval_clerk, town_a):
    other = FacilityFactory(n=4, town=town_a, management_level="registered")
    RegistrationFactory(facility=other, receipt_no="R-TAKEN", registered_on=date(2025, 1, 1))
    facility = FacilityFactory(n=3, town=town_a, management_level="registered")
    client.force_login(approval_clerk)
    response = client.post(url("registration-create", facility), registration_data(receipt_no="R-TAKEN"))
    assert response.status_code == 400
    assert "登记回执编号“R-TAKEN”已属于其他单位。" in page_of(response)
    assert Registration.objects.get().facility == other


def test_r_org_2_a_forged_registration_by_pollution_is_403(client, pollution_clerk, town_a):
    facility = FacilityFactory(n=3, town=town_a, management_level="registered")
    client.force_login(pollution_clerk)
    response = client.post(url("registration-create", facility), registration_data())
    assert response.status_code == 403
    assert KEPT_BY_APPROVAL in page_of(response)
    assert not Registration.objects.exists()


# 排放口 ------------------------------------------------------------------------------------------------


def test_approval_adds_an_outlet(client, approval_clerk, permitted):
    facility, permit = permitted
    client.force_login(approval_clerk)
    response = client.post(
        url("outlet-create", facility),
        {"permit": permit.pk, "code": "da001", "kind": "gas", "name": "1号排气筒", "location": "车间屋顶"},
        follow=True,
    )
    page = page_of(response)
    assert "已为许可证 P-001 添加排放口 DA001。" in page
    assert "DA001" in section(page, "permits") and "未设许可排放限值" in section(page, "permits")
    assert Outlet.objects.get().location == "车间屋顶"


@pytest.mark.parametrize(
    ("code", "kind", "message"),
    [("DW001", "gas", "废气排放口编号应形如 DA001。"), ("DA001", "gas", "该许可证已有排放口 DA001。")],
)
def test_outlet_errors_are_chinese_with_the_input_kept(
    client, approval_clerk, permitted, code, kind, message
):
    facility, permit = permitted
    add_outlet(by=None, permit=permit, code="DA001", kind="gas")
    client.force_login(approval_clerk)
    response = client.post(
        url("outlet-create", facility), {"permit": permit.pk, "code": code, "kind": kind, "name": "新排气筒"}
    )
    assert response.status_code == 400
    page = page_of(response)
    assert message in page
    assert f'value="{code}"' in page and 'value="新排气筒"' in page
    assert '<details class="form-card" id="outlet-form" open>' in page
    assert Outlet.objects.count() == 1


def test_r_org_2_a_forged_outlet_by_enforcement_is_403(client, officer, permitted):
    facility, permit = permitted
    client.force_login(officer)
    response = client.post(
        url("outlet-create", facility), {"permit": permit.pk, "code": "DA001", "kind": "gas"}
    )
    assert response.status_code == 403
    assert KEPT_BY_APPROVAL in page_of(response)
    assert not Outlet.objects.exists()


# 许可排放限值 -------------------------------------------------------------------------------------------


@pytest.fixture
def outlet(permitted):
    _, permit = permitted
    return add_outlet(by=None, permit=permit, code="DA001", kind="gas", name="1号排气筒")


def limit_data(outlet, **values):
    return {
        "outlet": outlet.pk,
        "pollutant": "颗粒物",
        "concentration": "20.5",
        "unit": "mg/m³",
        "annual_quantity": "1.25",
        **values,
    }


def test_approval_sets_an_emission_limit_and_changes_it(client, approval_clerk, permitted, outlet):
    facility, _ = permitted
    client.force_login(approval_clerk)
    response = client.post(url("emission-limit-create", facility), limit_data(outlet), follow=True)
    page = page_of(response)
    assert "已设置排放口 DA001 的“颗粒物”许可排放限值。" in page
    assert "20.5 mg/m³" in section(page, "permits")
    client.post(url("emission-limit-create", facility), limit_data(outlet, concentration="10"))
    limit = EmissionLimit.objects.get()
    assert limit.concentration == Decimal("10") and limit.history.count() == 2


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"concentration": "-1"}, "限值不能为负数。"),
        ({"concentration": "", "annual_quantity": ""}, "请至少填写许可排放浓度或年许可排放量之一。"),
        ({"unit": ""}, "填写许可排放浓度时请填写浓度单位"),
        ({"concentration": "二十"}, "输入一个数字。"),
    ],
)
def test_emission_limit_errors_are_chinese_with_the_input_kept(
    client, approval_clerk, permitted, outlet, values, message
):
    facility, _ = permitted
    client.force_login(approval_clerk)
    response = client.post(url("emission-limit-create", facility), limit_data(outlet, **values))
    assert response.status_code == 400
    page = page_of(response)
    assert message in page
    assert 'value="颗粒物"' in page and f'<option value="{outlet.pk}" selected>' in page
    assert '<details class="form-card" id="limit-form" open>' in page
    assert not EmissionLimit.objects.exists()


def test_an_outlet_of_another_facility_is_refused(client, approval_clerk, permitted, town_a):
    facility, _ = permitted
    foreign_permit = PermitFactory(
        facility=FacilityFactory(n=2, town=town_a), number="P-002", valid_until=date(2029, 1, 1)
    )
    foreign = add_outlet(by=None, permit=foreign_permit, code="DA009", kind="gas")
    client.force_login(approval_clerk)
    response = client.post(url("emission-limit-create", facility), limit_data(foreign))
    assert response.status_code == 400
    assert "选择一个有效的选项。" in page_of(response)
    assert not EmissionLimit.objects.exists()


def test_r_org_2_a_forged_limit_by_ecology_is_403(client, ecology_clerk, permitted, outlet):
    facility, _ = permitted
    client.force_login(ecology_clerk)
    response = client.post(url("emission-limit-create", facility), limit_data(outlet))
    assert response.status_code == 403
    assert KEPT_BY_APPROVAL in page_of(response)
    assert not EmissionLimit.objects.exists()


# 行政处罚 (执法大队) -------------------------------------------------------------------------------------


def penalty_data(**values):
    return {
        "decision_no": "普环罚〔2026〕21号",
        "decided_on": "2026-03-02",
        "violation": "超标排放大气污染物",
        "amount": "150000",
        **values,
    }


def test_enforcement_records_a_penalty(client, officer, permitted):
    facility, _ = permitted
    client.force_login(officer)
    response = client.post(url("penalty-create", facility), penalty_data(), follow=True)
    assert response.redirect_chain[-1][0].endswith("#penalties")
    page = page_of(response)
    assert "已登记行政处罚决定书 普环罚〔2026〕21号。" in page
    assert "超标排放大气污染物" in section(page, "penalties")
    penalty = PenaltyRecord.objects.get()
    assert (penalty.recorded_by, penalty.amount) == (officer, Decimal("150000"))


def test_a_penalty_recorded_twice_is_refused_with_the_input_kept(client, officer, permitted):
    facility, _ = permitted
    record_penalty(
        by=officer,
        facility=facility,
        decision_no="普环罚〔2026〕21号",
        decided_on=date(2026, 3, 1),
        violation="未按证排污",
    )
    client.force_login(officer)
    response = client.post(url("penalty-create", facility), penalty_data(violation="逃避监管"))
    assert response.status_code == 400
    page = page_of(response)
    assert "处罚决定书“普环罚〔2026〕21号”已登记。" in page
    assert 'value="逃避监管"' in page and 'value="150000"' in page
    assert '<details class="form-card" id="penalty-form" open>' in page
    assert PenaltyRecord.objects.count() == 1


def test_r_org_2_a_forged_penalty_by_approval_is_403(client, approval_clerk, permitted):
    facility, _ = permitted
    client.force_login(approval_clerk)
    assert 'data-form="penalty"' not in page_of(client.get(detail_url(facility)))
    response = client.post(url("penalty-create", facility), penalty_data())
    assert response.status_code == 403
    assert KEPT_BY_ENFORCEMENT in page_of(response)
    assert not PenaltyRecord.objects.exists()


# Query budgets: the record forms read only what the page has loaded ---------------------------------


@pytest.fixture
def rich(town_a, approval_clerk):
    return build_rich_facility(town=town_a, by=approval_clerk)


def test_detail_for_enforcement_with_the_penalty_form_costs_fixed_queries(
    client, officer, rich, django_assert_num_queries
):
    client.force_login(officer)
    # Expect 17 queries: session, user with staff/section/town, facility with town, key industry
    # and unit, permits, their events, outlets, limits, registrations, quality checks with checker
    # and permit, their findings, rectification items with closer, their progress, penalties, the
    # unit's other sites with their towns, anomaly reports (R-ANM-1), the inspections with their
    # finding counts (R-INS-6), the grading panel's summary and recorded facts (R-GRD-5), history
    # with user/town/key industry. The penalty form costs none; 执法大队 keeps no facility field, so
    # there is no town select to fill.
    with django_assert_num_queries(19):
        response = client.get(detail_url(rich))
    assert form_names(page_of(response)) == {"penalty"}


def test_detail_for_the_administrator_with_every_form_costs_fixed_queries(
    client, administrator, rich, django_assert_num_queries
):
    client.force_login(administrator)
    # Expect 20 queries: the 19 above and the towns of the facility form. The check, outlet and limit
    # forms take their permits and 9 outlets from the permits already prefetched for the page.
    with django_assert_num_queries(20):
        response = client.get(detail_url(rich))
    page = page_of(response)
    assert form_names(page) >= {"check", "registration", "outlet", "limit", "penalty"}
    limit_select = re.search(r'<select name="outlet".*?</select>', page, re.S).group()
    assert limit_select.count("<option") == 9 and limit_select.count("<optgroup") == 3
