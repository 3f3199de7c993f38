"""The registry's pages: facility list and detail, the forms on the detail page, the rectification
ledger (R-ORG-2, R-ORG-3, R-FAC-2, R-PER-1…3)."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bureau.models import SectionCode
from permits import rules
from permits.models import Facility, Permit, PermitEventKind, RectificationItem
from permits.services.facilities import update_facility
from permits.services.penalties import record_penalty
from permits.services.permits import record_permit_event
from permits.services.rectification import close_rectification, note_rectification_progress
from tests.factories.permits import (
    FacilityFactory,
    PermitEventFactory,
    PermitFactory,
    QualityCheckFactory,
    build_rich_facility,
    credit_code,
)

pytestmark = pytest.mark.django_db

LIST = reverse("permits:facility-list")
LEDGER = reverse("permits:ledger")


def detail_url(facility):
    return reverse("permits:facility-detail", args=[facility.pk])


def page_of(response) -> str:
    return response.content.decode()


def listed_names(response) -> list[str]:
    return [f.name for f in response.context["facilities"]]


@pytest.fixture
def registry(town_a, town_b, today):
    """Six facilities in two towns, one for each permit situation the list distinguishes."""
    red = FacilityFactory(n=1, town=town_a, name="甲镇红色预警涂料厂")
    PermitFactory(facility=red, number="P-RED", valid_until=today + timedelta(days=30))
    warning = FacilityFactory(
        n=2, town=town_a, name="甲镇黄色预警电镀厂", industry_code="3360", industry_name="金属表面处理"
    )
    PermitFactory(facility=warning, number="P-WARN", valid_until=today + timedelta(days=75))
    expired = FacilityFactory(
        n=3, town=town_b, name="乙镇过期造纸厂", industry_code="2221", industry_name="机制纸"
    )
    PermitFactory(facility=expired, number="P-EXP", valid_until=today - timedelta(days=10))
    cancelled = FacilityFactory(
        n=4, town=town_b, name="乙镇注销食品厂", industry_code="1391", industry_name="食品加工"
    )
    PermitEventFactory(
        permit=PermitFactory(facility=cancelled, number="P-CAN", valid_until=today + timedelta(days=300)),
        kind=PermitEventKind.CANCELLATION,
        occurred_on=today - timedelta(days=3),
    )
    quiet = FacilityFactory(
        n=5, town=town_a, name="甲镇长期有效电力公司", industry_code="4411", industry_name="火力发电"
    )
    PermitFactory(facility=quiet, number="P-OK", valid_until=today + timedelta(days=900))
    registered = FacilityFactory(
        n=6,
        town=town_b,
        name="乙镇登记管理汽修店",
        industry_code="8111",
        industry_name="汽车修理",
        management_level="registered",
    )
    return {
        "red": red,
        "warning": warning,
        "expired": expired,
        "cancelled": cancelled,
        "quiet": quiet,
        "registered": registered,
    }


# Facility list --------------------------------------------------------------------------------------


def test_facility_list_shows_the_columns(client, approval_clerk, registry):
    client.force_login(approval_clerk)
    page = page_of(client.get(LIST))
    for header in [
        "单位名称",
        "污染源编码",
        "街镇",
        "行业",
        "管理类别",
        "重点行业",
        "当前许可证",
        "到期提醒",
    ]:
        assert f"<th>{header}</th>" in page
    assert f"{credit_code(1)}001" in page and "甲镇红色预警涂料厂" in page and "涂料制造" in page
    assert "P-EXP" in page and "已过期" in page
    assert "P-CAN" in page and "已注销" in page
    assert "导出 Excel" in page and "共 6 家单位" in page


def test_r_fac_2_list_flags_key_industries(client, approval_clerk, registry):
    client.force_login(approval_clerk)
    response = client.get(LIST, {"is_key_industry": "true"})
    # 2641 涂料, 3360 金属表面处理, 2221 造纸, 4411 电力 are key industries; 食品 and 汽修 are not.
    assert sorted(listed_names(response)) == sorted(
        ["甲镇红色预警涂料厂", "甲镇黄色预警电镀厂", "乙镇过期造纸厂", "甲镇长期有效电力公司"]
    )
    row = re.search(rf'<tr data-facility="{registry["red"].pk}".*?</tr>', page_of(response), re.S).group()
    assert "重点行业" in row


def test_r_per_2_list_flags_expiry_red_within_60_and_warning_within_90(client, approval_clerk, registry):
    client.force_login(approval_clerk)
    page = page_of(client.get(LIST))
    rows = {
        key: re.search(rf'<tr data-facility="{f.pk}"[^>]*>.*?</tr>', page, re.S).group()
        for key, f in registry.items()
    }
    assert 'class="flag-red"' in rows["red"] and "60 日内到期" in rows["red"]
    assert 'class="flag-warning"' in rows["warning"] and "90 日内到期" in rows["warning"]
    for key in ("expired", "cancelled", "quiet", "registered"):
        assert "日内到期" not in rows[key], key


def test_r_per_2_pending_renewal_clears_the_expiry_flag(client, approval_clerk, registry, today):
    permit = Permit.objects.get(number="P-RED")
    record_permit_event(by=approval_clerk, permit=permit, kind=PermitEventKind.RENEWAL, occurred_on=today)
    client.force_login(approval_clerk)
    response = client.get(LIST, {"q": "红色预警"})
    assert "60 日内到期" not in page_of(response).split("<tbody>")[1]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "造纸"}, ["乙镇过期造纸厂"]),
        ({"q": credit_code(5).lower()}, ["甲镇长期有效电力公司"]),  # search by credit code, any case
        ({"q": credit_code(5)[:12]}, None),  # a prefix shared by all: every facility
        ({"management_level": "registered"}, ["乙镇登记管理汽修店"]),
        ({"industry": "33"}, ["甲镇黄色预警电镀厂"]),
        ({"permit_state": "expired"}, ["乙镇过期造纸厂"]),
        ({"permit_state": "cancelled"}, ["乙镇注销食品厂"]),
        ({"expiring": "true"}, ["甲镇红色预警涂料厂", "甲镇黄色预警电镀厂"]),
        ({"is_key_industry": "false"}, ["乙镇注销食品厂", "乙镇登记管理汽修店"]),
    ],
)
def test_facility_list_filters_and_search(client, approval_clerk, registry, params, expected):
    client.force_login(approval_clerk)
    names = listed_names(client.get(LIST, params))
    assert sorted(names) == sorted(expected or [f.name for f in registry.values()])


def test_facility_list_filters_by_town(client, approval_clerk, registry, town_b):
    client.force_login(approval_clerk)
    names = listed_names(client.get(LIST, {"town": town_b.pk}))
    assert sorted(names) == sorted(["乙镇过期造纸厂", "乙镇注销食品厂", "乙镇登记管理汽修店"])


def test_facility_list_shows_the_chosen_filters(client, approval_clerk, registry):
    client.force_login(approval_clerk)
    page = page_of(client.get(LIST, {"is_key_industry": "true", "management_level": "key"}))
    assert '<option value="true" selected>是</option>' in page
    assert '<option value="key" selected>重点管理</option>' in page
    assert '<option value="" selected>全部</option>' in page  # permit state: not chosen
    assert "更多筛选条件（已选 2 项）" in page and '<details class="more-filters" open>' in page
    assert '<details class="more-filters">' in page_of(client.get(LIST, {"q": "厂", "expiring": "unknown"}))


def test_facility_list_filters_are_kept_in_the_export_link(client, approval_clerk, registry):
    client.force_login(approval_clerk)
    page = page_of(client.get(LIST, {"management_level": "key", "q": "厂", "page": "1"}))
    link = re.search(r'href="([^"]+)" data-export', page).group(1)
    assert link.startswith("/facilities/export.xlsx?")
    assert "management_level=key" in link and "q=%E5%8E%82" in link and "page" not in link


def test_r_org_3_town_sees_only_its_facilities(client, town_a_liaison, registry):
    client.force_login(town_a_liaison)
    response = client.get(LIST)
    assert sorted(listed_names(response)) == sorted(
        ["甲镇红色预警涂料厂", "甲镇黄色预警电镀厂", "甲镇长期有效电力公司"]
    )
    page = page_of(response)
    assert "乙镇" not in page
    assert 'name="town"' not in page  # no town filter for a town: it sees its own only


def test_r_org_3_town_cannot_filter_its_way_into_another_town(client, town_a_liaison, registry, town_b):
    client.force_login(town_a_liaison)
    assert listed_names(client.get(LIST, {"town": town_b.pk})) == []


def test_r_org_3_town_gets_404_for_another_towns_facility(client, town_a_liaison, registry):
    client.force_login(town_a_liaison)
    other = registry["expired"]
    missing = client.get(reverse("permits:facility-detail", args=[999999]))
    foreign = client.get(detail_url(other))
    assert missing.status_code == foreign.status_code == 404
    assert "不在您的管辖范围内" in page_of(foreign)
    assert client.get(detail_url(registry["red"])).status_code == 200
    # The forms' endpoints answer the same way.
    update = client.post(reverse("permits:facility-update", args=[other.pk]), {"name": "改名"})
    event = client.post(reverse("permits:permit-event-create", args=[other.pk]), {})
    assert update.status_code == event.status_code == 404
    assert Facility.objects.get(pk=other.pk).name == "乙镇过期造纸厂"


def test_facility_list_paginates_by_50(client, approval_clerk, town_a):
    for n in range(1, 53):
        FacilityFactory(n=n, town=town_a)
    client.force_login(approval_clerk)
    first = client.get(LIST)
    second = client.get(LIST, {"page": 2})
    assert len(first.context["facilities"]) == 50 and len(second.context["facilities"]) == 2
    assert "第 1 / 2 页" in page_of(first) and "下一页" in page_of(first)


def test_facility_list_costs_fixed_queries(
    client, approval_clerk, town_a, town_b, today, django_assert_num_queries
):
    # given: 55 facilities, each with two permits, one of them with a pending 延续: an N+1 on
    # facilities, permits or events would show
    for n in range(1, 56):
        facility = FacilityFactory(n=n, town=town_a if n % 2 else town_b)
        PermitFactory(facility=facility, number=f"P{n:03d}-OLD", valid_until=today - timedelta(days=n))
        PermitFactory(facility=facility, number=f"P{n:03d}-NEW", valid_until=today + timedelta(days=n * 3))
    client.force_login(approval_clerk)
    # Expect 6 queries: session, user with staff/section/town, count of the filtered facilities,
    # the page of facilities with town and key industry, their permits with state and pending
    # renewal (one prefetch), the towns of the town filter.
    with django_assert_num_queries(6):
        response = client.get(LIST, {"management_level": "key"})
    assert len(response.context["facilities"]) == 50
    assert page_of(response).count("<tr data-facility=") == 50


def test_r_org_3_town_list_costs_fixed_queries(
    client, town_a_liaison, town_a, today, django_assert_num_queries
):
    for n in range(1, 56):
        PermitFactory(
            facility=FacilityFactory(n=n, town=town_a),
            number=f"P{n:03d}",
            valid_until=today + timedelta(days=n),
        )
    client.force_login(town_a_liaison)
    # Expect 5 queries: session, user with staff/section/town, count, page of facilities, permits
    # (no town filter for a town).
    with django_assert_num_queries(5):
        response = client.get(LIST)
    assert len(response.context["facilities"]) == 50


# Facility detail ------------------------------------------------------------------------------------


@pytest.fixture
def rich(town_a, approval_clerk, officer, today):
    facility = build_rich_facility(town=town_a, by=approval_clerk)
    record_penalty(
        by=officer,
        facility=facility,
        decision_no="普环罚〔2026〕12号",
        decided_on=today - timedelta(days=200),
        violation="超标排放大气污染物",
        amount=Decimal("200000.00"),
    )
    return facility


def test_detail_shows_everything_the_registry_knows(client, leader, rich, today):
    client.force_login(leader)
    response = client.get(detail_url(rich))
    page = page_of(response)
    # the parts, each under the section that maintains it (R-ORG-2)
    for name in [
        "行政审批服务科维护",
        "污染防治科（辐射安全管理科）维护",
        "生态建设科维护",
        "社区联络科（法制科）维护",
    ]:
        assert name in page
    assert "环境监管重点单位" in page and "纳入环境统计" in page and "环境信用评价" in page
    # permits with derived state (R-PER-1) and expiry flag (R-PER-2)
    states = {p["permit"].number: p["summary"].state for p in response.context["permits"]}
    assert sorted(states.values()) == ["expired", "valid", "valid"]
    assert "60 日内到期" in page
    # events, outlets and limits
    assert page.count('<li data-event="') == 6 and "首次申请" in page and "变更法定代表人" in page
    assert "DA003" in page and "氮氧化物" in page and "20.5 mg/m³" in page
    # registration, checks with findings, rectifications with progress, penalty
    assert "REG900" in page
    assert page.count('<article class="check"') == 5
    assert page.count('data-item="') == 55 and "已制定整改方案" in page
    assert response.context["open_count"] == 55
    assert page.count('class="rectification overdue"') == 44
    assert "普环罚〔2026〕12号" in page and "超标排放大气污染物" in page
    # history: the latest 50 of 56, with who and old → new
    assert page.count("<li data-history=") == 50
    assert "<del>021-60000053</del> → <ins>021-60000054</ins>" in page
    assert rich.history.count() == 56


def test_detail_history_names_the_user_and_the_first_entry(client, approval_clerk, town_a):
    facility = FacilityFactory(n=1, town=town_a, contact_person="张三")
    update_facility(facility=facility, by=approval_clerk, changes={"contact_person": "李四", "town": town_a})
    client.force_login(approval_clerk)
    history = client.get(detail_url(facility)).context["history"]
    assert [entry["action"] for entry in history] == ["修改", "新建"]
    assert history[0]["user"] == approval_clerk.display_name and history[1]["user"] == "系统"
    assert history[0]["changes"] == [{"label": "联系人", "old": "张三", "new": "李四"}]


def test_detail_costs_fixed_queries(client, approval_clerk, rich, django_assert_num_queries):
    client.force_login(approval_clerk)
    # Expect 18 queries: session, user with staff/section/town, facility with town, key industry
    # and unit, permits, their events, outlets, limits, registrations, quality checks with checker
    # and permit, their findings, rectification items with closer, their progress, penalties, the
    # unit's other sites with their towns, anomaly reports (R-ANM-1), the inspections with their
    # finding counts (R-INS-6), the grading panel's summary (latest confirmed grade, positive list,
    # latest credit rating) and recorded facts (R-GRD-5), history with user/town/key industry (51
    # rows), towns of the approval section's form.
    with django_assert_num_queries(20):
        response = client.get(detail_url(rich))
    assert response.status_code == 200
    assert page_of(response).count('data-form="close"') == 55


def test_r_org_3_detail_for_town_costs_the_same_without_forms(
    client, town_a_liaison, rich, django_assert_num_queries
):
    client.force_login(town_a_liaison)
    # Expect 17 queries: as for the approval section, without the towns of its form and without the
    # grading panel (towns see nothing of grading).
    with django_assert_num_queries(17):
        response = client.get(detail_url(rich))
    page = page_of(response)
    assert "data-form=" not in page
    assert "修改本科室维护的信息" not in page


# 「修改本科室维护的信息」(R-ORG-2) ------------------------------------------------------------------------


def form_fields(page: str, form: str) -> list[str]:
    match = re.search(rf'<form[^>]*data-form="{form}".*?</form>', page, re.S)
    if match is None:
        return []
    names = re.findall(r'name="([a-z_]+)"', match.group())
    return [n for n in dict.fromkeys(names) if n != "csrfmiddlewaretoken"]


@pytest.mark.parametrize(
    ("section", "fields"),
    [
        (
            SectionCode.APPROVAL,
            [
                "name",
                "address",
                "town",
                "industry_code",
                "industry_name",
                "management_level",
                "contact_person",
                "contact_phone",
                "eia_document_no",
                "status",
            ],
        ),
        (SectionCode.POLLUTION, ["is_key_regulated", "risk_level", "has_auto_monitoring"]),
        (SectionCode.ECOLOGY, ["in_environmental_statistics"]),
        (SectionCode.LEGAL, ["credit_rating", "credit_rated_on"]),
        (SectionCode.ENFORCEMENT, []),
        (SectionCode.MONITORING, []),
        (SectionCode.LEADERSHIP, []),
        (SectionCode.TOWN, []),
    ],
)
def test_r_org_2_each_section_edits_only_its_part(client, personas, town_a, section, fields):
    facility = FacilityFactory(n=1, town=town_a)
    client.force_login(personas[section])
    page = page_of(client.get(detail_url(facility)))
    assert form_fields(page, "facility") == fields
    assert ("修改本科室维护的信息" in page) == bool(fields)


def test_administrator_may_edit_every_part(client, administrator, town_a):
    facility = FacilityFactory(n=1, town=town_a)
    client.force_login(administrator)
    page = page_of(client.get(detail_url(facility)))
    assert sorted(form_fields(page, "facility")) == sorted(rules.FIELD_OWNERS)


def test_r_org_2_legal_form_has_only_credit_fields(client, legal_clerk, town_a):
    facility = FacilityFactory(n=1, town=town_a)
    client.force_login(legal_clerk)
    page = page_of(client.get(detail_url(facility)))
    assert form_fields(page, "facility") == ["credit_rating", "credit_rated_on"]
    assert re.search(
        r'data-part="legal">\s*<h3>社区联络科（法制科）维护 <span class="badge green">本科室', page
    )


def test_r_org_2_legal_clerk_records_a_credit_rating(client, legal_clerk, town_a, today):
    facility = FacilityFactory(n=1, town=town_a)
    client.force_login(legal_clerk)
    response = client.post(
        reverse("permits:facility-update", args=[facility.pk]),
        {"credit_rating": "warning", "credit_rated_on": today.isoformat()},
        follow=True,
    )
    assert response.redirect_chain[-1][0].endswith(f"/facilities/{facility.pk}/#parts")
    assert "已保存：环境信用评价、信用评价日期。" in page_of(response)
    facility.refresh_from_db()
    assert facility.credit_rating == "warning" and facility.credit_rated_on == today
    latest = facility.history.first()
    assert latest.history_user == legal_clerk


def test_r_org_2_unchanged_form_changes_nothing(client, ecology_clerk, town_a):
    facility = FacilityFactory(n=1, town=town_a)
    client.force_login(ecology_clerk)
    response = client.post(reverse("permits:facility-update", args=[facility.pk]), {}, follow=True)
    assert "没有修改任何内容。" in page_of(response)
    assert facility.history.count() == 1


def test_r_org_2_pollution_clerk_clears_a_checkbox(client, pollution_clerk, town_a):
    facility = FacilityFactory(n=1, town=town_a, is_key_regulated=True)
    client.force_login(pollution_clerk)
    # An unticked checkbox is not in the POST: it still means "no".
    response = client.post(reverse("permits:facility-update", args=[facility.pk]), {"risk_level": "major"})
    assert response.status_code == 302
    facility.refresh_from_db()
    assert facility.is_key_regulated is False and facility.risk_level == "major"


def test_facility_form_error_is_chinese_and_keeps_the_input(client, approval_clerk, town_a):
    facility = FacilityFactory(n=1, town=town_a)
    client.force_login(approval_clerk)
    data = {
        "name": facility.name,
        "address": "真华路 1000 号",
        "town": town_a.pk,
        "industry_code": "26A",
        "industry_name": "涂料制造",
        "management_level": "key",
        "contact_person": "王新",
        "contact_phone": "021-66666666",
        "eia_document_no": "",
        "status": "operating",
    }
    response = client.post(reverse("permits:facility-update", args=[facility.pk]), data)
    assert response.status_code == 400
    page = page_of(response)
    assert "行业类别代码“26A”应为 2–4 位数字（国民经济行业分类" in page
    assert "未保存：请按下方标红的提示修改后再提交" in page
    assert 'value="王新"' in page and 'value="真华路 1000 号"' in page and 'value="26A"' in page
    assert '<details class="card form-card" id="facility-form" open>' in page
    facility.refresh_from_db()
    assert facility.contact_person == "" and facility.industry_code == "2641"


def test_r_org_2_forged_post_for_another_sections_field_is_403(client, legal_clerk, town_a):
    facility = FacilityFactory(n=1, town=town_a, name="测试化工有限公司001")
    client.force_login(legal_clerk)
    response = client.post(
        reverse("permits:facility-update", args=[facility.pk]),
        {"credit_rating": "good", "name": "伪造的名称", "is_key_regulated": "on"},
    )
    assert response.status_code == 403
    page = page_of(response)
    assert (
        "“单位名称”由行政审批服务科维护" in page
        and "“环境监管重点单位”由污染防治科（辐射安全管理科）维护" in page
    )
    assert "您所在的科室只能查看，不能修改。" in page
    facility.refresh_from_db()
    assert facility.name == "测试化工有限公司001" and facility.credit_rating == ""


def test_r_org_2_section_without_a_part_gets_403(client, monitoring_clerk, town_a):
    facility = FacilityFactory(n=1, town=town_a)
    client.force_login(monitoring_clerk)
    response = client.post(reverse("permits:facility-update", args=[facility.pk]), {})
    assert response.status_code == 403
    assert "您所在的科室不维护排污单位的基本信息" in page_of(response)


def test_r_org_3_town_cannot_change_its_own_facility(client, town_a_liaison, town_a):
    facility = FacilityFactory(n=1, town=town_a)
    client.force_login(town_a_liaison)
    response = client.post(reverse("permits:facility-update", args=[facility.pk]), {"contact_person": "街镇"})
    assert response.status_code == 403
    assert "“联系人”由行政审批服务科维护" in page_of(response)


def test_form_endpoints_need_post_and_login(client, approval_clerk, town_a):
    facility = FacilityFactory(n=1, town=town_a)
    url = reverse("permits:facility-update", args=[facility.pk])
    assert client.post(url, {}).url.startswith("/login/")
    client.force_login(approval_clerk)
    assert client.get(url).status_code == 405


# 登记许可证事项 (R-PER-1) ------------------------------------------------------------------------------


@pytest.fixture
def permitted(town_a, today):
    facility = FacilityFactory(n=1, town=town_a)
    permit = PermitFactory(facility=facility, number="P-001", valid_until=today + timedelta(days=40))
    return facility, permit


def event_url(facility):
    return reverse("permits:permit-event-create", args=[facility.pk])


def test_r_per_1_approval_records_a_renewal_application_then_its_decision(client, approval_clerk, permitted, today):
    facility, permit = permitted
    client.force_login(approval_clerk)
    new_until = today + timedelta(days=365 * 5)
    # given: the 延续 application
    response = client.post(
        event_url(facility), {"permit": permit.pk, "kind": "renewal", "occurred_on": today.isoformat()}, follow=True
    )
    assert "已登记许可证 P-001 的“延续申请”事项。" in page_of(response)
    assert "延续待决定" in page_of(response)
    # when: the decision, with its own 文号
    response = client.post(
        event_url(facility),
        {
            "permit": permit.pk,
            "kind": "renewal_decision",
            "renewal_granted": "yes",
            "occurred_on": today.isoformat(),
            "document_no": "普环许延〔2026〕8号",
            "new_valid_until": new_until.isoformat(),
        },
        follow=True,
    )
    # then
    page = page_of(response)
    assert "已登记许可证 P-001 的“延续决定”事项。" in page
    permit.refresh_from_db()
    assert permit.valid_until == new_until
    assert "普环许延〔2026〕8号" in page and "60 日内到期" not in page and "延续待决定" not in page
    assert f"准予延续，有效期至 {new_until:%Y-%m-%d}" in page


def test_r_per_1_impossible_event_is_refused_in_chinese_with_input_kept(
    client, approval_clerk, permitted, today
):
    facility, permit = permitted
    client.force_login(approval_clerk)
    response = client.post(
        event_url(facility),
        {
            "permit": permit.pk,
            "kind": "renewal_decision",
            "renewal_granted": "no",
            "occurred_on": today.isoformat(),
            "document_no": "文号X-7",
        },
    )
    assert response.status_code == 400
    page = page_of(response)
    assert "该许可证没有待决定的延续申请，请先登记“延续申请”。" in page
    assert 'value="文号X-7"' in page
    assert '<details class="form-card" id="event-form" open>' in page
    assert permit.events.count() == 1


def test_r_per_1_event_form_validates_dates(client, approval_clerk, permitted):
    facility, permit = permitted
    client.force_login(approval_clerk)
    response = client.post(
        event_url(facility), {"permit": permit.pk, "kind": "change", "occurred_on": "明天"}
    )
    assert response.status_code == 400
    assert "输入一个有效的日期。" in page_of(response)


def test_r_per_1_event_for_another_facilitys_permit_is_refused(
    client, approval_clerk, permitted, town_b, today
):
    facility, _ = permitted
    other = PermitFactory(
        facility=FacilityFactory(n=2, town=town_b), number="P-OTHER", valid_until=today + timedelta(days=400)
    )
    client.force_login(approval_clerk)
    response = client.post(
        event_url(facility), {"permit": other.pk, "kind": "change", "occurred_on": today.isoformat()}
    )
    assert response.status_code == 400
    assert other.events.count() == 1


def test_r_org_2_forged_event_by_ecology_is_403(client, ecology_clerk, permitted, today):
    facility, permit = permitted
    client.force_login(ecology_clerk)
    page = page_of(client.get(detail_url(facility)))
    assert 'data-form="event"' not in page
    response = client.post(
        event_url(facility), {"permit": permit.pk, "kind": "change", "occurred_on": today.isoformat()}
    )
    assert response.status_code == 403
    assert "该信息由行政审批服务科维护，您所在的科室只能查看，不能修改。" in page_of(response)
    assert permit.events.count() == 1


# 整改进展与销号 (R-PER-3) -------------------------------------------------------------------------------


@pytest.fixture
def item(town_a, approval_clerk, today):
    facility = FacilityFactory(n=1, town=town_a)
    check = QualityCheckFactory(
        facility=facility, by=approval_clerk, checked_on=today - timedelta(days=30), findings=1
    )
    return check.items.get()


def progress_url(item):
    return reverse("permits:rectification-progress", args=[item.pk])


def close_url(item):
    return reverse("permits:rectification-close", args=[item.pk])


def test_r_per_3_approval_notes_progress(client, approval_clerk, item, today):
    client.force_login(approval_clerk)
    response = client.post(
        progress_url(item), {"noted_on": today.isoformat(), "note": "已更换除尘布袋"}, follow=True
    )
    assert response.redirect_chain[-1][0].endswith(f"#item-{item.pk}")
    page = page_of(response)
    assert "已登记整改进展。" in page and "已更换除尘布袋" in page
    assert item.progress.get().recorded_by == approval_clerk


def test_r_per_3_approval_closes_with_evidence_file(client, approval_clerk, item, today, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(approval_clerk)
    upload = SimpleUploadedFile("整改报告.pdf", b"%PDF-1.4 evidence", content_type="application/pdf")
    response = client.post(
        close_url(item),
        {"closed_on": today.isoformat(), "closing_evidence": "现场复核已整改到位", "closing_file": upload},
        follow=True,
    )
    page = page_of(response)
    assert f"该问题已于 {today:%Y-%m-%d} 销号。" in page
    item.refresh_from_db()
    assert item.closed_on == today and item.closed_by == approval_clerk
    download = client.get(reverse("permits:rectification-file", args=[item.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4 evidence"
    assert "下载证明材料" in page and 'data-form="close"' not in page


def test_r_per_3_close_error_is_chinese_and_keeps_the_evidence(client, approval_clerk, item, today):
    client.force_login(approval_clerk)
    too_early = (today - timedelta(days=60)).isoformat()
    response = client.post(close_url(item), {"closed_on": too_early, "closing_evidence": "整改报告第 3 页"})
    assert response.status_code == 400
    page = page_of(response)
    assert "销号日期不能早于检查日期。" in page
    assert "整改报告第 3 页</textarea>" in page
    item.refresh_from_db()
    assert item.closed_on is None


def test_r_per_3_closing_needs_evidence(client, approval_clerk, item, today):
    client.force_login(approval_clerk)
    response = client.post(close_url(item), {"closed_on": today.isoformat(), "closing_evidence": " "})
    assert response.status_code == 400
    assert "该字段是必填项。" in page_of(response)


def test_r_per_3_closed_item_conflicts(client, approval_clerk, item, today):
    close_rectification(by=approval_clerk, item=item, closed_on=today, evidence="已整改")
    client.force_login(approval_clerk)
    again = client.post(close_url(item), {"closed_on": today.isoformat(), "closing_evidence": "再次销号"})
    assert again.status_code == 409
    assert f"该问题已于 {today:%Y-%m-%d} 销号。" in page_of(again)
    progress = client.post(progress_url(item), {"noted_on": today.isoformat(), "note": "补充进展"})
    assert progress.status_code == 409
    assert "该问题已销号，不能再登记进展。" in page_of(progress)


def test_r_org_2_forged_close_by_enforcement_is_403(client, officer, item, today):
    client.force_login(officer)
    response = client.post(close_url(item), {"closed_on": today.isoformat(), "closing_evidence": "伪造"})
    assert response.status_code == 403
    assert "该信息由行政审批服务科维护，您所在的科室只能查看，不能修改。" in page_of(response)
    item.refresh_from_db()
    assert item.closed_on is None


def test_r_org_3_town_gets_404_for_another_towns_item_and_403_for_its_own(
    client, town_a_liaison, town_b_liaison, item, today
):
    data = {"noted_on": today.isoformat(), "note": "街镇催办"}
    client.force_login(town_b_liaison)
    assert client.post(progress_url(item), data).status_code == 404
    assert client.get(reverse("permits:rectification-file", args=[item.pk])).status_code == 404
    client.force_login(town_a_liaison)
    assert client.post(progress_url(item), data).status_code == 403
    assert not item.progress.exists()


# Rectification ledger (R-PER-3, 000 二(二)3) -----------------------------------------------------------


@pytest.fixture
def ledger_items(town_a, town_b, approval_clerk, today):
    """Town A: 3 overdue and 2 in time; town B: 2 overdue of which 1 closed, and 1 in time."""
    a = FacilityFactory(n=1, town=town_a, name="甲镇涂料厂")
    b = FacilityFactory(n=2, town=town_b, name="乙镇造纸厂")
    QualityCheckFactory(facility=a, by=approval_clerk, checked_on=today - timedelta(days=40), findings=3)
    QualityCheckFactory(
        facility=a, by=approval_clerk, checked_on=today - timedelta(days=1), findings=2, deadline_workdays=20
    )
    late_b = QualityCheckFactory(
        facility=b, by=approval_clerk, checked_on=today - timedelta(days=40), findings=2
    )
    QualityCheckFactory(
        facility=b, by=approval_clerk, checked_on=today - timedelta(days=1), findings=1, deadline_workdays=20
    )
    close_rectification(by=approval_clerk, item=late_b.items.first(), closed_on=today, evidence="已整改")
    return a, b


def summary_row(page: str, town_code: str) -> list[str]:
    row = re.search(rf'<tr data-town="{town_code}">(.*?)</tr>', page, re.S).group(1)
    return re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row)


def test_r_per_3_ledger_counts_per_town_and_to_zero(client, leader, ledger_items):
    client.force_login(leader)
    page = page_of(client.get(LEDGER))
    assert "距清零还有 <strong>7</strong> 项" in page
    # 街镇, 未销号, 已逾期, 已销号
    assert summary_row(page, "TA") == ["甲镇", "5", "3", "0"]
    assert summary_row(page, "TB") == ["乙镇", "2", "1", "1"]
    assert summary_row(page, "total") == ["合计", "7", "4", "1"]


def test_r_per_3_ledger_marks_overdue_rows_red(client, leader, ledger_items):
    client.force_login(leader)
    page = page_of(client.get(LEDGER))
    assert page.count('class="overdue"') == 4
    assert page.count("<tr data-item=") == 8
    assert "已逾期</span>" in page and "已销号</span>" in page


@pytest.mark.parametrize(
    ("params", "count"),
    [
        ({"status": "open"}, 7),
        ({"status": "overdue"}, 4),
        ({"status": "closed"}, 1),
        ({"category": "level_lowered"}, 5),
    ],
)
def test_ledger_filters(client, leader, ledger_items, params, count):
    client.force_login(leader)
    assert len(client.get(LEDGER, params).context["rows"]) == count


def test_ledger_filters_by_town_and_facility(client, leader, ledger_items, town_b):
    a, _ = ledger_items
    client.force_login(leader)
    assert {r["item"].facility.name for r in client.get(LEDGER, {"town": town_b.pk}).context["rows"]} == {
        "乙镇造纸厂"
    }
    assert len(client.get(LEDGER, {"facility": a.pk}).context["rows"]) == 5


def test_r_org_3_town_ledger_shows_only_its_own(client, town_b_liaison, ledger_items):
    client.force_login(town_b_liaison)
    response = client.get(LEDGER)
    page = page_of(response)
    assert {r["item"].facility.name for r in response.context["rows"]} == {"乙镇造纸厂"}
    assert "距清零还有 <strong>2</strong> 项" in page
    assert 'data-town="TA"' not in page and "甲镇涂料厂" not in page


def test_ledger_says_when_cleared(client, leader, item, approval_clerk, today):
    close_rectification(by=approval_clerk, item=item, closed_on=today, evidence="已整改")
    client.force_login(leader)
    assert "<strong>已清零</strong>" in page_of(client.get(LEDGER))


def test_ledger_costs_fixed_queries(client, approval_clerk, town_a, town_b, today, django_assert_num_queries):
    # given: 60 items over 12 facilities in two towns, with progress notes
    for n in range(1, 13):
        facility = FacilityFactory(n=n, town=town_a if n % 2 else town_b)
        check = QualityCheckFactory(
            facility=facility, by=approval_clerk, checked_on=today - timedelta(days=30), findings=5
        )
        for it in check.items.all()[:2]:
            note_rectification_progress(by=approval_clerk, item=it, noted_on=today, note="整改中")
    assert RectificationItem.objects.count() == 60
    client.force_login(approval_clerk)
    # Expect 6 queries: session, user with staff/section/town, the per-town summary (one grouped
    # query, which also gives the number of open items listed: no separate count), the page of items
    # with facility and town, their progress (prefetch), the towns of the town filter.
    with django_assert_num_queries(6):
        response = client.get(LEDGER, {"status": "open"})
    assert page_of(response).count("<tr data-item=") == 50


# Navigation ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("section", list(SectionCode.values))
def test_every_section_has_the_registry_and_the_ledger_in_its_bar(client, personas, section):
    client.force_login(personas[section])
    page = page_of(client.get(LIST))
    assert 'data-nav="facilities"' in page and 'data-nav="ledger"' in page
    assert client.get(LEDGER).status_code == 200
    keys = [key for key in re.findall(r'data-nav="([a-z-]+)"', page) if not key.startswith("dashboard")]
    assert keys[:3] == ["home", "facilities", "ledger"]  # the dashboards (reports) come between


# 登记污染源 in the browser (R-FAC-1) ---------------------------------------------------------------

CREATE = reverse("permits:facility-create")


def site_form(town, **overrides):
    return {
        "credit_code": credit_code(31),
        "unit_name": "",
        "site_number": "",
        "name": "辛涂料有限公司",
        "address": "甲镇工业路 31 号",
        "town": town.pk,
        "industry_code": "C2641",
        "industry_name": "涂料制造",
        "management_level": "simplified",
        "contact_person": "孙八",
        "contact_phone": "",
        "eia_document_no": "",
        **overrides,
    }


def test_r_fac_1_the_approval_clerk_registers_a_new_unit_in_the_browser(client, approval_clerk, town_a):
    client.force_login(approval_clerk)
    assert "data-register" in page_of(client.get(LIST))
    # when
    response = client.post(CREATE, site_form(town_a))
    # then: the new site's page, with its source code
    facility = Facility.objects.get()
    assert response.status_code == 302 and response["Location"] == detail_url(facility)
    assert (facility.source_code, facility.unit.name, facility.industry_code) == (
        f"{credit_code(31)}001",
        "辛涂料有限公司",
        "2641",
    )
    assert facility.is_key_industry
    page = page_of(client.get(response["Location"]))
    assert f"已登记污染源 {credit_code(31)}001（辛涂料有限公司）。" in page
    assert f"{credit_code(31)}001" in page


def test_r_fac_1_a_known_unit_gets_its_next_site_from_the_facility_page(
    client, approval_clerk, town_a, town_b
):
    first = FacilityFactory(n=31, town=town_a, name="辛涂料有限公司")
    client.force_login(approval_clerk)
    page = page_of(client.get(detail_url(first)))
    link = f"{CREATE}?credit_code={credit_code(31)}"
    assert link in page
    assert f'value="{credit_code(31)}"' in page_of(client.get(link))
    response = client.post(CREATE, site_form(town_b, name="辛涂料有限公司二厂"))
    second = Facility.objects.get(site_number="002")
    assert response["Location"] == detail_url(second)
    assert (second.unit_id, second.town_id) == (first.unit_id, town_b.pk)
    # each site lists the other
    assert "辛涂料有限公司二厂" in page_of(client.get(detail_url(first)))


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"credit_code": "91310107000000031X"}, "统一社会信用代码校验位错误"),
        ({"site_number": "0A1"}, "污染源序号“0A1”应为三位数字"),
        ({"industry_code": "C26X"}, "行业类别代码“C26X”应为 2–4 位数字"),
        ({"name": ""}, "该字段是必填项。"),
    ],
)
def test_r_fac_1_a_bad_field_is_named_in_chinese_and_nothing_typed_is_lost(
    client, approval_clerk, town_a, overrides, message
):
    client.force_login(approval_clerk)
    response = client.post(CREATE, site_form(town_a, **overrides))
    assert response.status_code == 400
    page = page_of(response)
    assert message in page
    assert 'value="甲镇工业路 31 号"' in page and 'value="孙八"' in page
    assert not Facility.objects.exists()


def test_r_fac_1_registering_an_existing_site_again_is_refused(client, approval_clerk, town_a):
    FacilityFactory(n=31, town=town_a, name="辛涂料有限公司")
    client.force_login(approval_clerk)
    response = client.post(CREATE, site_form(town_a, site_number="1"))
    assert response.status_code == 400
    assert f"污染源 {credit_code(31)}001（辛涂料有限公司）已登记" in page_of(response)
    assert Facility.objects.count() == 1


def test_r_fac_3_a_new_site_is_registered_without_a_permit(client, approval_clerk, town_a):
    """The level is the facility's own until a permit is issued; issuing checks it (R-FAC-3)."""
    client.force_login(approval_clerk)
    client.post(CREATE, site_form(town_a, management_level="key"))
    assert Facility.objects.get().management_level == "key"


@pytest.mark.parametrize("persona", ["ecology_clerk", "officer", "town_a_liaison"])
def test_r_org_2_only_the_approval_section_registers_sites(request, client, town_a, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(CREATE).status_code == 403
    assert client.post(CREATE, site_form(town_a)).status_code == 403
    assert "data-register" not in page_of(client.get(LIST))
    assert not Facility.objects.exists()


def test_r_org_3_a_town_sees_only_its_own_site_of_a_two_town_unit_in_pages(
    client, town_a_liaison, town_a, town_b
):
    own = FacilityFactory(n=31, town=town_a, name="辛涂料有限公司")
    other = FacilityFactory(n=31, site_number="002", town=town_b, name="辛涂料有限公司乙镇厂")
    client.force_login(town_a_liaison)
    assert listed_names(client.get(LIST, {"q": credit_code(31)})) == ["辛涂料有限公司"]
    page = page_of(client.get(detail_url(own)))
    assert "辛涂料有限公司乙镇厂" not in page and other.source_code not in page
    assert client.get(detail_url(other)).status_code == 404


def test_r_fac_3_the_facility_form_refuses_a_level_against_its_valid_permit(client, approval_clerk, town_a):
    # given: a simplified-managed site with its valid permit
    facility = FacilityFactory(n=1, town=town_a, management_level="simplified", contact_person="张三")
    PermitFactory(facility=facility, number="P-001")
    data = {
        "name": facility.name,
        "address": "",
        "town": town_a.pk,
        "industry_code": "2641",
        "industry_name": "涂料制造",
        "management_level": "key",
        "contact_person": "李四",
        "contact_phone": "",
        "eia_document_no": "",
        "status": "operating",
    }
    client.force_login(approval_clerk)
    # when: the approval clerk changes the level to key
    response = client.post(reverse("permits:facility-update", args=[facility.pk]), data)
    # then: refused naming both levels, nothing saved, the input kept
    assert response.status_code == 400
    page = page_of(response)
    assert "许可证管理类别（简化管理）与排污单位管理类别（重点管理）不一致。" in page
    assert 'value="李四"' in page
    facility.refresh_from_db()
    assert (facility.management_level, facility.contact_person) == ("simplified", "张三")


def test_r_fac_2_the_facility_form_takes_an_industry_code_with_its_section_letter(
    client, approval_clerk, town_a
):
    facility = FacilityFactory(n=1, town=town_a, industry_code="1311", industry_name="稻谷加工")
    client.force_login(approval_clerk)
    response = client.post(
        reverse("permits:facility-update", args=[facility.pk]),
        {
            "name": facility.name,
            "town": town_a.pk,
            "industry_code": "C4411 火力发电",
            "industry_name": "火力发电",
            "management_level": "key",
            "status": "operating",
        },
    )
    assert response.status_code == 302
    facility.refresh_from_db()
    assert (facility.industry_code, facility.key_industry.name) == ("4411", "电力生产")
