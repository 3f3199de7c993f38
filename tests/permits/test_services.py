"""Services of the registry: R-FAC-1, R-FAC-2, R-ORG-2, R-PER-1, R-PER-2, R-PER-3."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bureau.errors import Conflict
from bureau.models import TodoItem
from permits import rules
from permits.models import (
    Facility,
    KeyIndustry,
    LeadStatus,
    Permit,
    QualityCheck,
    RectificationItem,
    Registration,
    UnlicensedDischargeLead,
)
from permits.queries import permit_state_of, with_state
from permits.services import expiry, facilities, penalties, permits, quality, rectification
from tests.factories.permits import FacilityFactory, PermitFactory, RegistrationFactory, credit_code

pytestmark = pytest.mark.django_db


# R-FAC-1 ------------------------------------------------------------------------------------------


def test_r_fac_1_a_second_source_updates_the_one_facility(town_a, approval_clerk):
    # given
    first = FacilityFactory(town=town_a, name="甲化工有限公司", by=approval_clerk)
    # when: the national platform's data arrives with the same credit code and a new address
    again, changes, _ = facilities.register_facility(
        by=approval_clerk,
        values={"credit_code": first.credit_code.lower(), "address": "新址路 1 号", "name": "甲化工有限公司"},
        source="排污许可平台导入",
    )
    # then
    assert again.pk == first.pk
    assert Facility.objects.filter(credit_code=first.credit_code).count() == 1
    assert changes == {"address": ("", "新址路 1 号")}
    latest, created = again.history.all()[:2]
    assert latest.history_change_reason == "更新（来源：排污许可平台导入）"
    assert (latest.history_user, created.address, latest.address) == (approval_clerk, "", "新址路 1 号")


def test_r_fac_1_register_facility_says_whether_it_created_the_site(town_a, approval_clerk):
    values = {
        "credit_code": credit_code(31),
        "name": "辛厂",
        "town": town_a,
        "industry_code": "2641",
        "industry_name": "涂料制造",
        "management_level": "key",
    }
    first = facilities.register_facility(by=approval_clerk, values=values)
    again = facilities.register_facility(by=approval_clerk, values={**values, "address": "辛路 1 号"})
    unchanged = facilities.register_facility(by=approval_clerk, values={**values, "address": "辛路 1 号"})
    assert (first.created, again.created, unchanged.created) == (True, False, False)
    assert first.facility.pk == again.facility.pk == unchanged.facility.pk


def test_r_fac_1_unchanged_data_writes_nothing(town_a, approval_clerk):
    first = FacilityFactory(town=town_a, by=approval_clerk)
    _, changes, _ = facilities.register_facility(
        by=approval_clerk, values={"credit_code": first.credit_code, "name": first.name}
    )
    assert changes == {}
    assert first.history.count() == 1


def test_r_fac_1_a_wrong_credit_code_is_refused_with_the_reason(town_a, approval_clerk):
    with pytest.raises(ValidationError) as caught:
        facilities.register_facility(
            by=approval_clerk,
            values={
                "credit_code": "91350100M000100Y44",
                "name": "乙",
                "town": town_a,
                "industry_code": "2641",
                "industry_name": "涂料制造",
                "management_level": "key",
            },
        )
    assert "第 18 位应为“3”" in caught.value.message_dict["credit_code"][0]
    assert not Facility.objects.exists()


def test_r_fac_1_new_facility_needs_its_basic_data(approval_clerk):
    with pytest.raises(ValidationError) as caught:
        facilities.register_facility(by=approval_clerk, values={"credit_code": credit_code(1)})
    assert set(caught.value.message_dict) >= {"name", "town", "industry_code", "management_level"}


def test_r_fac_1_unknown_town_is_named(approval_clerk):
    with pytest.raises(ValidationError) as caught:
        facilities.register_facility(
            by=approval_clerk,
            values={
                "credit_code": credit_code(1),
                "name": "丙",
                "town": "不存在镇",
                "industry_code": "2641",
                "industry_name": "涂料制造",
                "management_level": "key",
            },
        )
    assert "没有名为“不存在镇”的街镇" in caught.value.message_dict["town"][0]


# R-FAC-2 ------------------------------------------------------------------------------------------


def test_r_fac_2_facilities_in_key_industries_are_flagged(town_a):
    paint = FacilityFactory(town=town_a, industry_code="2641", industry_name="涂料制造")
    hazardous = FacilityFactory(town=town_a, industry_code="7724", industry_name="危险废物治理")
    food = FacilityFactory(town=town_a, industry_code="1311", industry_name="稻谷加工")
    assert (paint.is_key_industry, hazardous.is_key_industry, food.is_key_industry) == (True, True, False)
    assert paint.key_industry.name == "涂料、油墨、颜料及类似产品制造"


def test_r_fac_2_the_administrator_extends_the_list(town_a, administrator):
    food = FacilityFactory(town=town_a, industry_code="1311", industry_name="稻谷加工")
    KeyIndustry.objects.create(code="131", name="谷物磨制", source="区局补充")
    assert facilities.refresh_key_industries(by=administrator) == 1
    food.refresh_from_db()
    assert food.is_key_industry
    assert food.history.first().history_change_reason == "重点行业名录调整"


def test_r_fac_2_the_industries_of_design_are_seeded():
    assert dict(KeyIndustry.objects.values_list("code", "name")) == {
        "264": "涂料、油墨、颜料及类似产品制造",
        "336": "金属表面处理及热处理加工",
        "7724": "危险废物治理",
        "221": "纸浆制造",
        "222": "造纸",
        "312": "炼钢",
        "441": "电力生产",
        "462": "污水处理及其再生利用",
    }
    assert {code: name for code, name, _ in rules.KEY_INDUSTRIES} == dict(
        KeyIndustry.objects.values_list("code", "name")
    )


@pytest.mark.parametrize("written", ["C2211", "c 2211", "C2211 木竹浆制造", "2211"])
def test_r_fac_2_a_pulp_mill_written_with_its_section_letter_is_a_key_industry(town_a, written):
    mill = FacilityFactory(town=town_a, industry_code=written, industry_name="木竹浆制造")
    assert (mill.industry_code, mill.is_key_industry, mill.key_industry.name) == ("2211", True, "纸浆制造")


def test_r_fac_2_a_power_plant_is_flagged_as_electricity_production(town_a):
    plant = FacilityFactory(town=town_a, industry_code="C4411", industry_name="火力发电")
    assert (plant.industry_code, plant.key_industry.name) == ("4411", "电力生产")


# R-FAC-1: sites of a unit ------------------------------------------------------------------------


def test_r_fac_1_a_unit_has_two_sites_in_two_towns(town_a, town_b, approval_clerk):
    # given: site 001 of the unit
    first = FacilityFactory(n=1, town=town_a, name="甲化工有限公司", by=approval_clerk)
    # when: its second site arrives with a site number
    second, _, _ = facilities.register_facility(
        by=approval_clerk,
        values={
            "credit_code": credit_code(1),
            "site_number": "2",
            "name": "甲化工有限公司二厂",
            "town": town_b,
            "industry_code": "2641",
            "industry_name": "涂料制造",
            "management_level": "simplified",
        },
    )
    # then: two facilities of one unit, each with its source code
    assert second.pk != first.pk
    assert first.unit_id == second.unit_id
    assert first.unit.name == "甲化工有限公司"
    assert [(f.source_code, f.town_id) for f in Facility.objects.order_by("site_number")] == [
        (credit_code(1) + "001", town_a.pk),
        (credit_code(1) + "002", town_b.pk),
    ]
    assert second.credit_code == credit_code(1)


def test_r_fac_1_the_source_code_names_the_site_it_updates(town_a, town_b, approval_clerk):
    FacilityFactory(n=1, town=town_a)
    second = FacilityFactory(n=1, site_number="002", town=town_b, name="二厂")
    updated, changes, _ = facilities.register_facility(
        by=approval_clerk, values={"source_code": second.source_code, "address": "新址路 2 号"}
    )
    assert updated.pk == second.pk
    assert changes == {"address": ("", "新址路 2 号")}
    assert Facility.objects.count() == 2


def test_r_fac_1_a_permit_number_names_the_site(town_a, town_b, approval_clerk):
    FacilityFactory(n=1, town=town_a)
    second = FacilityFactory(n=1, site_number="002", town=town_b, name="二厂")
    updated, _, _ = facilities.register_facility(
        by=approval_clerk, values={"permit_number": f"{second.source_code}V", "address": "新址路 3 号"}
    )
    assert updated.pk == second.pk


def test_r_fac_1_a_credit_code_alone_is_refused_for_a_unit_with_two_sites(town_a, town_b, approval_clerk):
    FacilityFactory(n=1, town=town_a)
    FacilityFactory(n=1, site_number="002", town=town_b)
    with pytest.raises(ValidationError) as refused:
        facilities.register_facility(by=approval_clerk, values={"credit_code": credit_code(1), "address": "x"})
    assert refused.value.message_dict == {
        "site_number": [f"单位 {credit_code(1)} 有 2 个污染源（序号 001、002），请填写污染源序号或污染源编码。"]
    }


def test_r_fac_1_source_code_and_credit_code_must_agree(approval_clerk):
    with pytest.raises(ValidationError) as refused:
        facilities.register_facility(
            by=approval_clerk, values={"source_code": credit_code(1) + "001", "credit_code": credit_code(2)}
        )
    assert "不一致" in refused.value.message_dict["source_code"][0]


def test_r_fac_1_add_facility_gives_a_known_unit_its_next_site(town_a, town_b, approval_clerk):
    FacilityFactory(n=1, town=town_a)
    site = facilities.add_facility(
        by=approval_clerk,
        values={
            "credit_code": credit_code(1),
            "name": "分厂",
            "town": town_b,
            "industry_code": "2641",
            "industry_name": "涂料制造",
            "management_level": "key",
        },
    )
    assert site.source_code == credit_code(1) + "002"
    with pytest.raises(ValidationError) as refused:
        facilities.add_facility(
            by=approval_clerk, values={"credit_code": credit_code(1), "site_number": "002", "name": "又一个"}
        )
    assert "已登记，请在该污染源页面修改" in refused.value.message_dict["site_number"][0]


# R-FAC-3: levels agree --------------------------------------------------------------------------


def test_r_fac_3_issuing_a_permit_of_another_level_is_refused_naming_both(town_a):
    holder = FacilityFactory(town=town_a, management_level="key")
    with pytest.raises(ValidationError) as refused:
        PermitFactory(facility=holder, management_level="simplified")
    assert refused.value.message_dict["management_level"] == [
        "许可证管理类别（简化管理）与排污单位管理类别（重点管理）不一致。"
    ]
    assert not Permit.objects.exists()


def test_r_fac_3_changing_the_facility_level_against_its_valid_permit_is_refused(town_a, approval_clerk):
    holder = FacilityFactory(town=town_a, management_level="simplified")
    PermitFactory(facility=holder)
    with pytest.raises(ValidationError) as refused:
        facilities.update_facility(facility=holder, by=approval_clerk, changes={"management_level": "key"})
    assert refused.value.message_dict["management_level"] == [
        "许可证管理类别（简化管理）与排污单位管理类别（重点管理）不一致。"
    ]
    holder.refresh_from_db()
    assert holder.management_level == "simplified"


@pytest.mark.today(date(2026, 3, 1))
def test_r_fac_3_a_permit_no_longer_valid_does_not_hold_the_level(town_a, approval_clerk):
    holder = FacilityFactory(town=town_a, management_level="simplified")
    PermitFactory(facility=holder, issued_on=date(2020, 1, 1))  # expired 2024-12-31
    changed = facilities.update_facility(facility=holder, by=approval_clerk, changes={"management_level": "key"})
    assert changed.management_level == "key"


def test_r_fac_3_a_registration_of_a_permit_level_facility_is_refused_naming_both(town_a, approval_clerk):
    holder = FacilityFactory(town=town_a, management_level="simplified")
    with pytest.raises(ValidationError) as refused:
        permits.record_registration(
            by=approval_clerk, facility=holder, receipt_no="R-KEY-1", registered_on=date(2025, 1, 1)
        )
    assert refused.value.message_dict["management_level"] == [
        "排污登记管理类别（登记管理）与排污单位管理类别（简化管理）不一致。"
    ]
    assert not Registration.objects.exists()


@pytest.mark.today(date(2026, 3, 1))
def test_r_fac_3_an_expired_registration_of_a_permit_level_facility_is_kept_as_history(town_a, approval_clerk):
    holder = FacilityFactory(town=town_a, management_level="key")
    old = permits.record_registration(
        by=approval_clerk,
        facility=holder,
        receipt_no="R-OLD-1",
        registered_on=date(2019, 1, 1),
        valid_until=date(2024, 1, 1),
    )
    assert old.facility == holder


def test_r_fac_3_a_facility_with_a_valid_registration_cannot_become_permit_level(town_a, approval_clerk):
    holder = FacilityFactory(town=town_a, management_level="registered")
    RegistrationFactory(facility=holder, registered_on=date(2024, 1, 10), valid_until=None)
    with pytest.raises(ValidationError) as refused:
        facilities.update_facility(facility=holder, by=approval_clerk, changes={"management_level": "key"})
    assert refused.value.message_dict["management_level"] == [
        "排污登记管理类别（登记管理）与排污单位管理类别（重点管理）不一致。"
    ]
    holder.refresh_from_db()
    assert holder.management_level == "registered"


@pytest.mark.today(date(2026, 3, 1))
def test_r_fac_3_an_expired_registration_does_not_hold_the_level(town_a, approval_clerk):
    holder = FacilityFactory(town=town_a, management_level="registered")
    RegistrationFactory(facility=holder, registered_on=date(2021, 1, 10), valid_until=date(2026, 1, 9))
    changed = facilities.update_facility(facility=holder, by=approval_clerk, changes={"management_level": "key"})
    assert changed.management_level == "key"


# R-FAC-1: a platform permit number names its holder's site ----------------------------------------


def test_r_fac_1_a_platform_permit_number_of_another_site_is_refused_naming_both(town_a, approval_clerk):
    holder = FacilityFactory(n=1, town=town_a)
    other = f"{credit_code(2)}001V"
    with pytest.raises(ValidationError) as refused:
        PermitFactory(facility=holder, number=other, by=approval_clerk)
    assert refused.value.message_dict["number"] == [
        f"许可证编号“{other}”的前 21 位（{credit_code(2)}001）与排污单位的污染源编码“{credit_code(1)}001”不一致。"
    ]
    assert not Permit.objects.exists()


def test_r_fac_1_a_platform_permit_number_of_its_own_site_or_a_local_number_is_issued(town_a, approval_clerk):
    holder = FacilityFactory(n=1, town=town_a)
    own = PermitFactory(facility=holder, number=f"{credit_code(1)}001V", by=approval_clerk)
    local = PermitFactory(facility=holder, number="普环许〔2024〕3号", by=approval_clerk)
    assert {own.number, local.number} == {f"{credit_code(1)}001V", "普环许〔2024〕3号"}


def test_r_fac_1_registering_with_a_permit_number_of_another_unit_is_refused(town_a, approval_clerk):
    FacilityFactory(n=1, town=town_a)
    with pytest.raises(ValidationError) as refused:
        facilities.register_facility(
            by=approval_clerk,
            values={"credit_code": credit_code(1), "permit_number": f"{credit_code(2)}001V", "address": "x"},
        )
    assert refused.value.message_dict == {
        "permit_number": [
            f"许可证编号“{credit_code(2)}001V”的前 18 位（{credit_code(2)}）与统一社会信用代码“{credit_code(1)}”不一致。"
        ]
    }


# R-ORG-2 ------------------------------------------------------------------------------------------

SECTION_FIELDS = [
    ("approval", {"name": "改名有限公司"}),
    ("approval", {"management_level": "simplified"}),
    ("pollution", {"risk_level": "major"}),
    ("pollution", {"is_key_regulated": True}),
    ("ecology", {"in_environmental_statistics": True}),
    ("legal", {"credit_rating": "warning"}),
]


@pytest.mark.parametrize(("section", "change"), SECTION_FIELDS)
def test_r_org_2_each_section_changes_its_own_part(personas, town_a, section, change):
    facility = FacilityFactory(town=town_a)
    facilities.update_facility(facility=facility, by=personas[section], changes=change)
    facility.refresh_from_db()
    ((field, value),) = change.items()
    assert getattr(facility, field) == value
    assert facility.history.first().history_user == personas[section]


ALL_SECTIONS = [
    "approval",
    "ecology",
    "pollution",
    "legal",
    "enforcement",
    "monitoring",
    "leadership",
    "town",
]
FOREIGN_CHANGES = [
    (section, owner, change)
    for owner, change in SECTION_FIELDS
    for section in ALL_SECTIONS
    if section != owner
]


@pytest.mark.parametrize(("section", "owner", "change"), FOREIGN_CHANGES)
def test_r_org_2_no_section_changes_another_sections_part(personas, town_a, section, owner, change):
    facility = FacilityFactory(town=town_a)
    with pytest.raises(PermissionDenied, match="只能查看"):
        facilities.update_facility(facility=facility, by=personas[section], changes=change)
    assert facility.history.count() == 1


def test_r_org_2_permits_are_kept_by_the_approval_section(personas, town_a):
    facility = FacilityFactory(town=town_a)
    permit = PermitFactory(facility=facility, by=personas["approval"])
    for section in ("ecology", "pollution", "legal", "enforcement", "monitoring", "leadership", "town"):
        with pytest.raises(PermissionDenied, match="由行政审批服务科维护"):
            permits.record_permit_event(
                by=personas[section], permit=permit, kind="change", occurred_on=date(2024, 1, 1)
            )


def test_r_org_2_penalties_are_kept_by_the_enforcement_brigade(personas, town_a):
    facility = FacilityFactory(town=town_a)
    record = penalties.record_penalty(
        by=personas["enforcement"],
        facility=facility,
        decision_no="沪环罚〔2025〕1号",
        decided_on=date(2025, 3, 1),
        violation="无证排污",
    )
    assert record.recorded_by == personas["enforcement"]
    with pytest.raises(PermissionDenied, match="由执法大队维护"):
        penalties.record_penalty(
            by=personas["approval"],
            facility=facility,
            decision_no="沪环罚〔2025〕2号",
            decided_on=date(2025, 3, 1),
            violation="无证排污",
        )


# R-PER-1 ------------------------------------------------------------------------------------------


def test_r_per_1_state_follows_the_events(town_a, approval_clerk):
    permit = PermitFactory(facility=FacilityFactory(town=town_a), valid_until=date(2028, 6, 30), by=approval_clerk)
    assert permit_state_of(permit, date(2025, 1, 1)) == "valid"
    permits.record_permit_event(
        by=approval_clerk,
        permit=permit,
        kind="revocation",
        occurred_on=date(2025, 2, 1),
        document_no="沪环许吊〔2025〕1号",
    )
    assert permit_state_of(permit, date(2025, 3, 1)) == "revoked"
    assert with_state(Permit.objects.all(), date(2025, 3, 1)).get().state == "revoked"


def test_r_per_1_renewing_a_revoked_permit_is_refused(town_a, approval_clerk):
    permit = PermitFactory(facility=FacilityFactory(town=town_a), by=approval_clerk)
    permits.record_permit_event(
        by=approval_clerk, permit=permit, kind="revocation", occurred_on=date(2025, 2, 1)
    )
    with pytest.raises(ValidationError) as caught:
        permits.record_permit_event(
            by=approval_clerk, permit=permit, kind="renewal", occurred_on=date(2025, 3, 1)
        )
    assert "不能再办理“延续申请”" in caught.value.message_dict["kind"][0]
    assert permit.events.count() == 2


def test_r_per_1_a_granted_renewal_is_its_own_event_and_moves_the_validity_with_history(town_a, approval_clerk):
    permit = PermitFactory(facility=FacilityFactory(town=town_a), valid_until=date(2026, 1, 9), by=approval_clerk)
    application = permits.record_permit_event(
        by=approval_clerk, permit=permit, kind="renewal", occurred_on=date(2025, 10, 1)
    )
    decision = permits.record_permit_event(
        by=approval_clerk,
        permit=permit,
        kind="renewal_decision",
        renewal_granted=True,
        occurred_on=date(2025, 11, 1),
        new_valid_until=date(2031, 1, 9),
        document_no="普环许延〔2025〕1号",
    )
    permit.refresh_from_db()
    application.refresh_from_db()
    assert permit.valid_until == date(2031, 1, 9)
    assert [h.valid_until for h in permit.history.all()[:2]] == [date(2031, 1, 9), date(2026, 1, 9)]
    # the application is kept as it was; the decision has its own date and 文号
    assert (application.occurred_on, application.new_valid_until) == (date(2025, 10, 1), None)
    assert (decision.occurred_on, decision.document_no, decision.renewal_application) == (
        date(2025, 11, 1),
        "普环许延〔2025〕1号",
        application,
    )
    assert decision.previous_valid_until == date(2026, 1, 9)
    assert permit_state_of(permit, date(2026, 6, 1)) == "valid"


def test_r_per_1_a_second_renewal_application_is_refused_and_a_renewed_validity_decides_the_first(
    town_a, approval_clerk
):
    permit = PermitFactory(facility=FacilityFactory(town=town_a), valid_until=date(2026, 1, 9), by=approval_clerk)
    permits.record_permit_event(
        by=approval_clerk, permit=permit, kind="renewal", occurred_on=date(2025, 10, 1)
    )
    with pytest.raises(ValidationError, match="已有 2025-10-01 提交的延续申请待决定"):
        permits.record_permit_event(
            by=approval_clerk, permit=permit, kind="renewal", occurred_on=date(2025, 10, 5)
        )
    # when: the import or the API says "renewed" as a 延续 with the new validity
    decided = permits.record_permit_event(
        by=approval_clerk,
        permit=permit,
        kind="renewal",
        occurred_on=date(2025, 11, 1),
        new_valid_until=date(2031, 1, 9),
        document_no="普环许延〔2025〕1号",
    )
    # then: one application, one decision; nothing is pending any more
    assert list(permit.events.values_list("kind", flat=True)) == ["first_application", "renewal", "renewal_decision"]
    assert (decided.kind, decided.new_valid_until, decided.document_no) == (
        "renewal_decision",
        date(2031, 1, 9),
        "普环许延〔2025〕1号",
    )
    permit.refresh_from_db()
    assert permit.valid_until == date(2031, 1, 9)


def test_r_per_1_a_reapplication_is_a_new_permit_not_an_event(town_a, approval_clerk):
    permit = PermitFactory(facility=FacilityFactory(town=town_a), by=approval_clerk)
    with pytest.raises(ValidationError, match="应作为新的许可证登记"):
        permits.record_permit_event(
            by=approval_clerk, permit=permit, kind="reapplication", occurred_on=date(2025, 1, 1)
        )


def test_r_per_1_overlong_document_numbers_are_refused_in_chinese(town_a, approval_clerk):
    permit = PermitFactory(facility=FacilityFactory(town=town_a), by=approval_clerk)
    with pytest.raises(ValidationError) as caught:
        permits.record_permit_event(
            by=approval_clerk,
            permit=permit,
            kind="change",
            occurred_on=date(2025, 1, 1),
            document_no="号" * 200,
        )
    assert "document_no" in caught.value.message_dict
    assert permit.events.count() == 1


def test_r_per_1_sql_state_equals_the_rule(town_a, approval_clerk):
    # given: permits in every state
    f = FacilityFactory(town=town_a)
    valid = PermitFactory(facility=f, valid_until=date(2027, 1, 1), by=approval_clerk)
    expired = PermitFactory(facility=f, valid_until=date(2024, 12, 31), by=approval_clerk)
    cancelled = PermitFactory(facility=f, by=approval_clerk)
    permits.record_permit_event(
        by=approval_clerk, permit=cancelled, kind="cancellation", occurred_on=date(2025, 1, 5)
    )
    withdrawn = PermitFactory(facility=f, by=approval_clerk)
    permits.record_permit_event(
        by=approval_clerk, permit=withdrawn, kind="withdrawal", occurred_on=date(2025, 1, 5)
    )
    later = PermitFactory(facility=f, by=approval_clerk)
    permits.record_permit_event(
        by=approval_clerk, permit=later, kind="cancellation", occurred_on=date(2025, 9, 1)
    )
    # then: on several days the annotation and the pure rule agree
    for today in (date(2025, 1, 4), date(2025, 6, 1), date(2025, 9, 1), date(2027, 1, 2)):
        annotated = {p.pk: p.state for p in with_state(Permit.objects.all(), today)}
        ruled = {p.pk: permit_state_of(p, today) for p in Permit.objects.prefetch_related("events")}
        assert annotated == ruled
    assert {p.pk: p.state for p in with_state(Permit.objects.all(), date(2025, 6, 1))} == {
        valid.pk: "valid",
        expired.pk: "expired",
        cancelled.pk: "cancelled",
        withdrawn.pk: "withdrawn",
        later.pk: "valid",
    }


# R-PER-2 ------------------------------------------------------------------------------------------

TODAY = date(2025, 11, 3)


def expiry_titles():
    return sorted(
        TodoItem.objects.filter(key__startswith="permit-expiry", done_at__isnull=True).values_list(
            "title", "is_urgent"
        )
    )


def test_r_per_2_expiring_permits_go_on_the_approval_list_red_within_60_days(town_a, approval_clerk):
    # given
    f = FacilityFactory(town=town_a, name="甲厂")
    PermitFactory(facility=f, valid_until=date(2026, 1, 20), number="P-80")  # 78 days
    PermitFactory(facility=f, valid_until=date(2025, 12, 20), number="P-47")  # 47 days
    PermitFactory(facility=f, valid_until=date(2026, 6, 1), number="P-LATER")
    pending = PermitFactory(facility=f, valid_until=date(2025, 12, 1), number="P-PENDING")
    permits.record_permit_event(by=None, permit=pending, kind="renewal", occurred_on=date(2025, 9, 1))
    # when
    counts = expiry.check_permit_expiry(today=TODAY)
    # then
    assert counts == {"warned": 1, "red": 1, "leads": 0, "cleared": 0, "renewals": 1, "quality_owed": 0}
    items = {i.title: i for i in TodoItem.objects.filter(key__startswith="permit-expiry")}
    red = items["甲厂 排污许可证 P-47 将于 2025-12-20 到期，尚未申请延续"]
    assert red.is_urgent and red.section.code == "approval" and red.due_on == date(2025, 10, 21)
    assert not items["甲厂 排污许可证 P-80 将于 2026-01-20 到期，尚未申请延续"].is_urgent
    # and the approval clerk sees the red one first
    from bureau.todo import todos_for

    assert [t.title for t in todos_for(approval_clerk, today=TODAY)][0].startswith("甲厂 排污许可证 P-47")


def test_r_per_2_running_twice_creates_nothing_twice(town_a):
    f = FacilityFactory(town=town_a)
    PermitFactory(facility=f, valid_until=date(2025, 12, 20))
    PermitFactory(facility=FacilityFactory(town=town_a), valid_until=date(2025, 10, 1))
    expiry.check_permit_expiry(today=TODAY)
    before = (TodoItem.objects.count(), UnlicensedDischargeLead.objects.count())
    expiry.check_permit_expiry(today=TODAY)
    assert (TodoItem.objects.count(), UnlicensedDischargeLead.objects.count()) == before == (2, 1)


def test_r_per_2_applying_for_renewal_clears_the_item(town_a):
    permit = PermitFactory(facility=FacilityFactory(town=town_a), valid_until=date(2025, 12, 20))
    expiry.check_permit_expiry(today=TODAY)
    permits.record_permit_event(by=None, permit=permit, kind="renewal", occurred_on=date(2025, 11, 4))
    counts = expiry.check_permit_expiry(today=date(2025, 11, 4))
    assert counts["cleared"] == 1
    assert expiry_titles() == []


def test_r_per_2_expired_without_renewal_while_operating_is_an_unlicensed_lead(town_a, officer):
    # given
    operating = FacilityFactory(town=town_a, name="在产厂")
    halted = FacilityFactory(town=town_a, name="停产厂", status="halted")
    renewed_by_new_permit = FacilityFactory(town=town_a, name="已换证厂")
    PermitFactory(facility=operating, valid_until=date(2025, 10, 31), number="P-OLD")
    PermitFactory(facility=halted, valid_until=date(2025, 10, 31))
    PermitFactory(facility=renewed_by_new_permit, valid_until=date(2025, 10, 31))
    PermitFactory(facility=renewed_by_new_permit, valid_until=date(2030, 10, 31), issued_on=date(2025, 10, 20))
    # when
    counts = expiry.check_permit_expiry(today=TODAY)
    # then
    assert counts["leads"] == 1
    lead = UnlicensedDischargeLead.objects.get()
    assert (lead.facility, lead.expired_on, lead.status) == (operating, date(2025, 10, 31), LeadStatus.OPEN)
    assert lead.source_key == f"permits.unlicensed_lead:{lead.pk}"
    from bureau.todo import todos_for

    assert [t.title for t in todos_for(officer, today=TODAY)] == [
        "无证排污线索：在产厂 许可证 P-OLD 有效期至 2025-10-31，有效期届满未申请延续，单位仍在生产"
    ]


def test_r_per_2_a_renewal_granted_or_a_cancellation_clears_the_item(town_a, approval_clerk):
    renewed = PermitFactory(facility=FacilityFactory(town=town_a), valid_until=date(2025, 12, 20))
    cancelled = PermitFactory(facility=FacilityFactory(town=town_a), valid_until=date(2025, 12, 21))
    expiry.check_permit_expiry(today=TODAY)
    assert len(expiry_titles()) == 2
    permits.record_permit_event(
        by=approval_clerk,
        permit=renewed,
        kind="renewal",
        occurred_on=date(2025, 11, 4),
        new_valid_until=date(2030, 12, 20),
    )
    permits.record_permit_event(
        by=approval_clerk, permit=cancelled, kind="cancellation", occurred_on=date(2025, 11, 4)
    )
    assert expiry.check_permit_expiry(today=date(2025, 11, 5))["cleared"] == 2
    assert expiry_titles() == []


def test_r_per_2_no_lead_while_covered(town_a, approval_clerk):
    # given: three operating facilities whose permits expired
    pending = FacilityFactory(town=town_a, name="已申请延续厂")
    make_pending = PermitFactory(facility=pending, valid_until=date(2025, 11, 20))
    permits.record_permit_event(
        by=approval_clerk, permit=make_pending, kind="renewal", occurred_on=date(2025, 9, 1)
    )
    revoked_cover = FacilityFactory(town=town_a, name="新证被吊销厂")
    PermitFactory(facility=revoked_cover, valid_until=date(2025, 10, 31))
    newer = PermitFactory(facility=revoked_cover, valid_until=date(2030, 1, 1), issued_on=date(2025, 10, 1))
    permits.record_permit_event(
        by=approval_clerk, permit=newer, kind="revocation", occurred_on=date(2025, 10, 20)
    )
    registered = FacilityFactory(town=town_a, name="改为登记管理厂")
    PermitFactory(facility=registered, valid_until=date(2025, 10, 31))
    registered = facilities.update_facility(
        facility=registered, by=approval_clerk, changes={"management_level": "registered"}
    )
    permits.record_registration(
        by=approval_clerk, facility=registered, receipt_no="R-1", registered_on=date(2025, 10, 15)
    )
    # when
    expiry.check_permit_expiry(today=TODAY)
    # then: only the facility whose newer permit was revoked is a lead
    assert list(UnlicensedDischargeLead.objects.values_list("facility__name", flat=True)) == ["新证被吊销厂"]


def test_r_per_2_the_task_is_registered_daily():
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task="permits.tasks.check_permit_expiry")
    assert (task.crontab.hour, task.crontab.day_of_month) == ("1", "*")


# R-PER-3 ------------------------------------------------------------------------------------------


def findings():
    return [
        quality.Finding("level_lowered", "重点管理单位按简化管理申领", 20, "王厂长", "13800000000"),
        quality.Finding("discharge_mismatch", "实际排放口多于许可", 5, "王厂长"),
    ]


def test_r_per_3_each_finding_becomes_an_item_with_a_working_day_deadline(town_a, approval_clerk):
    facility = FacilityFactory(town=town_a)
    permit = PermitFactory(facility=facility)
    check = quality.record_quality_check(
        by=approval_clerk,
        facility=facility,
        permit=permit,
        checked_on=date(2025, 9, 30),
        method="on_site",
        selection="targeted",
        summary="核发质量检查",
        findings=findings(),
    )
    items = {i.category: i for i in check.items.all()}
    assert check.checked_by == approval_clerk
    # 5 working days after 30 September 2025 skip the National Day holiday (R-CAL-1)
    assert items["discharge_mismatch"].deadline_on == date(2025, 10, 14)
    assert items["level_lowered"].deadline_workdays == 20


def test_r_per_3_a_bad_finding_writes_nothing(town_a, approval_clerk):
    facility = FacilityFactory(town=town_a)
    bad = [*findings(), quality.Finding("unknown", "", 0, "")]
    with pytest.raises(ValidationError) as caught:
        quality.record_quality_check(
            by=approval_clerk,
            facility=facility,
            permit=None,
            checked_on=date(2025, 9, 30),
            method="on_site",
            selection="random",
            findings=bad,
        )
    assert "findings[3].category" in caught.value.message_dict
    assert (QualityCheck.objects.count(), RectificationItem.objects.count()) == (0, 0)


def test_r_per_3_items_close_with_evidence_once(town_a, approval_clerk):
    facility = FacilityFactory(town=town_a)
    check = quality.record_quality_check(
        by=approval_clerk,
        facility=facility,
        permit=None,
        checked_on=date(2025, 9, 30),
        method="off_site",
        selection="random",
        findings=findings(),
    )
    item = check.items.first()
    rectification.note_rectification_progress(
        by=approval_clerk, item=item, noted_on=date(2025, 10, 9), note="已提交变更申请"
    )
    with pytest.raises(ValidationError, match="整改完成证明"):
        rectification.close_rectification(by=approval_clerk, item=item, closed_on=date(2025, 10, 20), evidence=" ")
    rectification.close_rectification(
        by=approval_clerk, item=item, closed_on=date(2025, 10, 20), evidence="已变更为重点管理"
    )
    with pytest.raises(Conflict, match="已于 2025-10-20 销号"):
        rectification.close_rectification(
            by=approval_clerk, item=item, closed_on=date(2025, 10, 21), evidence="再次"
        )
    item.refresh_from_db()
    assert (item.closed_by, item.progress.count()) == (approval_clerk, 1)
    assert item.is_overdue_on(date(2026, 1, 1)) is False


def test_r_per_3_overdue_is_derived_from_the_deadline(town_a, approval_clerk):
    check = quality.record_quality_check(
        by=approval_clerk,
        facility=FacilityFactory(town=town_a),
        permit=None,
        checked_on=date(2025, 9, 30),
        method="off_site",
        selection="random",
        findings=findings()[1:],
    )
    item = check.items.get()
    assert not item.is_overdue_on(date(2025, 10, 14))
    assert item.is_overdue_on(date(2025, 10, 15))


def test_r_per_3_quality_checks_are_kept_by_the_approval_section(town_a, officer):
    with pytest.raises(PermissionDenied):
        quality.record_quality_check(
            by=officer,
            facility=FacilityFactory(town=town_a),
            permit=None,
            checked_on=date(2025, 9, 30),
            method="off_site",
            selection="random",
            findings=findings(),
        )


def test_r_per_3_evidence_files_are_documents_or_pictures(town_a, approval_clerk):
    from django.core.files.uploadedfile import SimpleUploadedFile

    check = quality.record_quality_check(
        by=approval_clerk,
        facility=FacilityFactory(town=town_a),
        permit=None,
        checked_on=date(2025, 9, 30),
        method="off_site",
        selection="random",
        findings=findings()[1:],
    )
    page = SimpleUploadedFile("evidence.html", b"<script>alert(1)</script>", content_type="text/html")
    with pytest.raises(ValidationError, match="只接受 PDF"):
        rectification.close_rectification(
            by=approval_clerk,
            item=check.items.get(),
            closed_on=date(2025, 10, 9),
            evidence="见附件",
            evidence_file=page,
        )
    assert check.items.get().closed_on is None


def test_r_org_2_penalty_text_too_long_is_refused_in_chinese(personas, town_a):
    with pytest.raises(ValidationError) as caught:
        penalties.record_penalty(
            by=personas["enforcement"],
            facility=FacilityFactory(town=town_a),
            decision_no="号" * 150,
            decided_on=date(2025, 3, 1),
            violation="无证排污",
        )
    assert "decision_no" in caught.value.message_dict
