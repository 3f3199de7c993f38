"""Demo registry for ``seed_demo``: a few hundred facilities across the towns, about one in ten a permit
holder (as nationally), permits with events (some expiring soon, some expired), outlets and limits,
quality checks and rectification items. Deterministic; written through the services."""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from bureau.models import Town, User
from permits import rules
from permits.models import Facility
from permits.reports.demo import seed_reports
from permits.services import expiry, facilities, penalties, permits, quality, rectification

INDUSTRIES = [
    ("2641", "涂料制造"),
    ("2642", "油墨及类似产品制造"),
    ("3360", "金属表面处理及热处理加工"),
    ("7724", "危险废物治理"),
    ("2221", "机制纸及纸板制造"),
    ("4411", "火力发电"),
    ("4620", "污水处理及其再生利用"),
    ("3311", "金属结构制造"),
    ("2929", "塑料零件及其他塑料制品制造"),
    ("3981", "电阻电容电感元件制造"),
    ("1411", "糕点、面包制造"),
    ("2710", "化学药品原料药制造"),
    ("3670", "汽车零部件及配件制造"),
    ("2319", "包装装潢及其他印刷"),
    ("8111", "汽车修理与维护"),
    ("4430", "热力生产和供应"),
]
NAME_HEADS = ["申江", "普华", "长宁", "桃浦", "真如", "金沙", "宜川", "曹杨", "万里", "石泉", "甘泉", "祁连"]
NAME_TAILS = [
    "化工",
    "涂料",
    "精密机械",
    "印务",
    "环保科技",
    "新材料",
    "电子",
    "汽车配件",
    "食品",
    "热力",
    "表面处理",
    "制药",
]
ROADS = ["真南路", "祁连山南路", "桃浦路", "武威路", "新村路", "金沙江路", "曹杨路", "铜川路"]
FACILITY_COUNT = 320
# Units with a second site in another town (R-FAC-1): the unit number and the second site's name.
SECOND_SITES = {30: "二厂", 90: "桃浦分厂", 120: "新材料园区厂区"}


CONFIDENTIAL = 150  # the demo's unit involving state secrets (one site only)


def _code(n: int) -> str:
    first17 = f"91310107{n:08d}{'ABCDEFGHJKLMNPQRTUWXY'[n % 21]}"
    return first17 + rules.credit_code_check_character(first17)


@transaction.atomic
def seed_registry(*, approval: User, today: date | None = None) -> int:
    """Create the demo registry once; returns the number of facilities created (0 when present)."""
    if Facility.objects.exists():
        return 0
    today = today or timezone.localdate()
    rng = random.Random(20251122)
    towns = list(Town.objects.order_by("code"))
    holders = []
    for n in range(1, FACILITY_COUNT + 1):
        level = "key" if n % 30 == 0 else "simplified" if n % 10 == 0 else "registered"
        industry = INDUSTRIES[(n * 7) % len(INDUSTRIES)] if level != "registered" else rng.choice(INDUSTRIES)
        facility, _, _ = facilities.register_facility(
            by=None,
            values={
                "credit_code": _code(n),
                "name": f"上海{NAME_HEADS[n % 12]}{NAME_TAILS[(n * 5) % 12]}有限公司（{n:03d}）",
                "address": f"{rng.choice(ROADS)}{rng.randint(1, 2000)}号",
                "town": towns[n % len(towns)],
                "industry_code": industry[0],
                "industry_name": industry[1],
                "management_level": level,
                "contact_person": f"{'王李张刘陈杨赵黄周吴'[n % 10]}经理",
                "contact_phone": f"1380000{n:04d}",
                "status": "halted" if n % 47 == 0 else "operating",
                "is_key_regulated": level == "key",
                "risk_level": ["", "general", "moderate", "major"][n % 4] if level != "registered" else "",
                "has_auto_monitoring": level == "key",
                "in_environmental_statistics": level != "registered",
                "credit_rating": ["", "excellent", "good", "warning"][n % 4],
                # One key-managed holder involves state secrets (003 第十九条): it is managed as any
                # other and never appears on a public page, in the public API or in a draw.
                "is_confidential": n == CONFIDENTIAL,
            },
            source="演示数据",
        )
        if level == "registered":
            permits.record_registration(
                by=None,
                facility=facility,
                receipt_no=f"{facility.source_code}Y",
                registered_on=date(2020, 6, 1) + timedelta(days=n),
                valid_until=date(2025, 6, 1) + timedelta(days=n + 365),
            )
        else:
            holders.append(facility)
    for n, site_name in SECOND_SITES.items():
        first = Facility.objects.get(source_code=rules.source_code(_code(n), rules.FIRST_SITE))
        second, _, _ = facilities.register_facility(
            by=None,
            values={
                "credit_code": first.credit_code,
                "site_number": "002",
                "name": f"{first.name}{site_name}",
                "address": f"{rng.choice(ROADS)}{rng.randint(1, 2000)}号",
                "town": towns[(n + 1) % len(towns)],
                "industry_code": first.industry_code,
                "industry_name": first.industry_name,
                "management_level": first.management_level,
                "contact_person": first.contact_person,
                "contact_phone": f"1390000{n:04d}",
                "is_key_regulated": first.is_key_regulated,
                "has_auto_monitoring": first.has_auto_monitoring,
                "in_environmental_statistics": True,
            },
            source="演示数据",
        )
        holders.append(second)
    _permits(holders, approval, today, rng)
    _quality_checks(holders, approval, today)
    expiry.check_permit_expiry(today=today)
    return FACILITY_COUNT + len(SECOND_SITES)


def _permits(holders, approval, today, rng):
    for index, facility in enumerate(holders):
        # A spread of validity ends: expired, expiring within 60 / 90 days, and later.
        offset = [-20, 25, 75, 400, 900, 1300, -200, 1600][index % 8]
        valid_until = today + timedelta(days=offset)
        valid_from = valid_until - timedelta(days=5 * 365 - 1)
        permit = permits.issue_permit(
            by=approval,
            facility=facility,
            number=f"{facility.source_code}{'V' if facility.management_level == 'key' else 'U'}",
            management_level=facility.management_level,
            issued_on=valid_from,
            valid_from=valid_from,
            valid_until=valid_until,
            report_frequency="monthly" if facility.management_level == "key" else "annual",
            document_no=f"普环许〔{valid_from.year}〕{100 + index}号",
        )
        if index % 3 == 0:
            permits.record_permit_event(
                by=approval,
                permit=permit,
                kind="change",
                occurred_on=valid_from + timedelta(days=60),
                document_no=f"普环许变〔{valid_from.year}〕{index}号",
                note="新增排放口",
            )
        if offset == 75 and index % 2:
            permits.record_permit_event(
                by=approval,
                permit=permit,
                kind="renewal",
                occurred_on=today - timedelta(days=3),
                note="已提交延续申请，待审批",
            )
        if offset == 1600:
            permits.record_permit_event(
                by=approval,
                permit=permit,
                kind="revocation",
                occurred_on=today - timedelta(days=30),
                document_no="普环罚〔2025〕8号",
                note="吊销",
            )
        gas = permits.add_outlet(
            by=approval, permit=permit, code="DA001", kind="gas", name="有机废气排放口", location="车间屋顶"
        )
        permits.set_emission_limit(
            by=approval,
            outlet=gas,
            pollutant="非甲烷总烃",
            concentration=Decimal("50"),
            unit="mg/m³",
            annual_quantity=Decimal(rng.randint(1, 30)) / 10,
        )
        permits.set_emission_limit(
            by=approval,
            outlet=gas,
            pollutant="颗粒物",
            concentration=Decimal("20"),
            unit="mg/m³",
            annual_quantity=None,
        )
        if index % 2 == 0:
            water = permits.add_outlet(
                by=approval,
                permit=permit,
                code="DW001",
                kind="water",
                name="废水总排口",
                location="厂区东南角",
            )
            permits.set_emission_limit(
                by=approval,
                outlet=water,
                pollutant="化学需氧量",
                concentration=Decimal("500"),
                unit="mg/L",
                annual_quantity=Decimal("3.2"),
            )
            permits.set_emission_limit(
                by=approval,
                outlet=water,
                pollutant="氨氮",
                concentration=Decimal("45"),
                unit="mg/L",
                annual_quantity=Decimal("0.3"),
            )
    enforcement = User.objects.filter(staff__section__code="enforcement").first()
    if enforcement and holders:
        penalties.record_penalty(
            by=enforcement,
            facility=holders[1],
            decision_no="普环罚〔2025〕12号",
            decided_on=today - timedelta(days=120),
            violation="超标排放非甲烷总烃",
            amount=Decimal("100000"),
        )


def _quality_checks(holders, approval, today):
    for index, facility in enumerate(holders[:10]):
        checked_on = today - timedelta(days=[150, 120, 100, 90, 80, 60, 45, 20, 10, 5][index])
        found = [
            quality.Finding(
                "discharge_mismatch",
                "实际排放口数量与许可证载明不一致",
                15,
                facility.contact_person,
            ),
        ]
        if index % 3 == 0:
            found.append(
                quality.Finding(
                    "level_lowered",
                    "按简化管理申领，但产能已达重点管理标准",
                    20,
                    facility.contact_person,
                    facility.contact_phone,
                )
            )
        if index == 4:
            found.append(
                quality.Finding(
                    "should_register",
                    "厂区内另有独立法人单位未办理排污登记",
                    10,
                    "属地街镇",
                )
            )
        check = quality.record_quality_check(
            by=approval,
            facility=facility,
            permit=facility.permits.first(),
            checked_on=checked_on,
            method="on_site" if index % 2 else "off_site",
            selection="random" if index % 3 else "targeted",
            summary="排污许可证核发质量检查",
            findings=found,
        )
        for item in check.items.all():
            if index < 3:
                rectification.close_rectification(
                    by=approval,
                    item=item,
                    closed_on=checked_on + timedelta(days=10),
                    evidence="已完成许可证变更，附变更后许可证副本。",
                )
            elif index < 6:
                rectification.note_rectification_progress(
                    by=approval, item=item, noted_on=checked_on + timedelta(days=3), note="企业已提交整改方案"
                )


def seed(*, today: date) -> list[str]:
    """``seed_demo``'s entry (bureau.demo): the demo registry, entered by the approval clerk, then a
    year and more of its execution reports (``permits.reports.demo``)."""
    created = []
    if count := seed_registry(approval=User.objects.get(username="approval"), today=today):
        created.append(f"{count} 家排污单位")
    if reports := seed_reports(today=today):
        created.append(f"{reports} 份执行报告")
    return created
