"""Demo checklist inspections for ``seed_demo``, after the registry, linkage and complaints demos: what
执法大队's officers 陈执法 (``enforcement``) and 周执法 (``enforcement2``) did over the last two months.

- a key-managed holder inspected under the year's plan: an exceedance taken to a case (legal review by
  ``legal``, named by ``legal_head``, then a fine in the registry's penalty records), a self-monitoring
  gap put on the rectification ledger and closed by a follow-up inspection, an outlet sign fixed on the
  spot with its photo (R-INS-7, R-INS-8, R-INS-10); someone tried to talk the officers out of the case
  (an interference record, R-INS-11);
- a holder whose execution report came late months ago, a first violation since corrected: not
  penalised under 002 十四 (where the reports demo has no late report, an incomplete ledger instead);
- a simplified-managed holder's yearly inspection, every point 符合;
- a holder still discharging on an expired permit, drawn at random: a case waiting for ``legal``'s
  review, and a linkage task to 审批科;
- a registered unit checked against its registration form, with a rectification still open;
- today's inspection in progress, some points answered, a photo received;
- 双随机一公开 (R-INS-5): 周执法 declared a conflict with one registered unit; a draw of registered units
  committed, drawn and public (its inspection period began three weeks ago), one drawn unit inspected by
  its pair and its result published; a draw of simplified-managed holders, a remote check (远程核查),
  committed only: its inspection period starts in a fortnight, so its selection is still sealed;
- the year's plan computed from the rules and adopted by 法制科 (``legal``) into the annual enforcement
  plan, and the current month's plan made (R-INS-3, R-INS-4).

Every write goes through the services, dated on working days before the demo's day. Photos are small
JPEGs drawn with Pillow here, with the camera time in their EXIF. Idempotent: nothing is done when an
inspection exists.
"""

import io
import uuid
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from PIL import Image, ImageDraw

from bureau.calendar import WorkCalendar
from bureau.models import User
from inspections import rules
from inspections.demo.common import People, _people, _points, _workday
from inspections.demo.plans import _draws, _plans
from inspections.models import (
    Case,
    ChecklistPoint,
    Finding,
    Inspection,
)
from inspections.services import cases, findings
from inspections.services.inspections import (
    save_answer,
    sign_inspection,
    start_inspection,
    update_inspection_details,
)
from inspections.services.interference import record_interference
from inspections.services.photos import receive_photo
from permits.models import Facility, PenaltyRecord, Permit
from permits.queries import with_state
from permits.reports.models import ExecutionReport

# The photos' ids are derived from this, so a demo seeded twice in two databases names them alike.
PHOTO_NAMESPACE = uuid.UUID("6f1c2a52-3d0e-4f55-9a51-6b8f2f0c1d10")
# Around the district (普陀区), for the photos' locations.
LATITUDE, LONGITUDE = Decimal("31.249000"), Decimal("121.397000")


def jpeg(label: str, *, taken: datetime, seed: int) -> bytes:
    """A 320×240 photo-like JPEG with the camera's time in EXIF (DateTimeOriginal, +08:00)."""
    image = Image.new("RGB", (320, 240), (110 + seed * 23 % 90, 120 + seed * 37 % 80, 100 + seed * 11 % 70))
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 60, 280, 200), outline=(240, 240, 240), width=4)
    draw.line((40, 200, 280, 60), fill=(60, 60, 60), width=3)
    draw.text((48, 70), label, fill=(255, 255, 255))
    exif = Image.Exif()
    sub = exif.get_ifd(0x8769)
    sub[0x9003] = taken.strftime("%Y:%m:%d %H:%M:%S")
    sub[0x9011] = "+08:00"
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80, exif=exif.tobytes())
    return out.getvalue()


def _photo(inspection: Inspection, by: User, code: str | None, index: int) -> None:
    point = ChecklistPoint.objects.get(version=inspection.checklist_version_id, code=code) if code else None
    taken = datetime.combine(inspection.inspected_on, datetime.min.time()) + timedelta(
        hours=9, minutes=40 + index * 7
    )
    # A photo is never taken after it arrives: today's draft has its photos from a moment ago.
    if inspection.inspected_on == timezone.localdate():
        taken = min(taken, timezone.localtime().replace(tzinfo=None) - timedelta(minutes=5 + index))
    # The label stays ASCII: Pillow's built-in font has no Chinese.
    content = jpeg(f"{inspection.number} #{index + 1}", taken=taken, seed=inspection.pk + index)
    receive_photo(
        by=by,
        inspection=inspection,
        client_id=uuid.uuid5(PHOTO_NAMESPACE, f"{inspection.number}:{index}"),
        upload=ContentFile(content, name=f"IMG_{inspection.inspected_on:%Y%m%d}_{index + 1:03d}.jpg"),
        point=point,
        latitude=LATITUDE + Decimal(index) / 1000,
        longitude=LONGITUDE + Decimal(inspection.facility_id % 50) / 1000,
        accuracy_m=8 + index,
    )


def _inspect(
    people: People,
    facility: Facility,
    on: date,
    *,
    answers: dict[str, dict],
    photos: tuple[str | None, ...] = (),
    representative: tuple[str, str] = ("", ""),
    summary: str = "",
    sign: bool = True,
    reason: str = "routine_plan",
    **sources,
) -> Inspection:
    """An inspection by 陈执法 and 周执法: every point 符合 except ``answers`` (by point code); when
    ``sign`` is False, only the points in ``answers`` are answered and nobody signs (a draft)."""
    inspection = start_inspection(
        by=people.chen, facility=facility, inspected_on=on, officers=people.officers, reason=reason, **sources
    )
    for point in _points(inspection):
        if point.code in answers or sign:
            values = answers.get(point.code, {"verdict": "compliant"})
            save_answer(by=people.chen, inspection=inspection, point=point, **values)
    for index, code in enumerate(photos):
        _photo(inspection, people.zhou, code, index)
    if sign:
        name, title = representative
        update_inspection_details(
            by=people.chen,
            inspection=inspection,
            representative_name=name,
            representative_title=title,
            summary=summary,
        )
        for officer in people.officers:
            inspection = sign_inspection(by=officer, inspection=inspection)
    return inspection


def _valid_holders(today: date, level: str) -> list[Facility]:
    """Facilities of ``level`` whose permit is valid today, by id."""
    permits = with_state(Permit.objects.filter(facility__management_level=level), today).filter(state="valid")
    ids = set(permits.values_list("facility_id", flat=True))
    return list(Facility.objects.filter(pk__in=ids).order_by("pk"))


def _plan(on: date) -> str:
    return f"{on.year}年度排污许可证执法检查计划（普环执〔{on.year}〕1号）"


def _case_to_review(people: People, case: Case, *, proposed: str, proposal: str, submitted_on: date) -> Case:
    """执法大队 submits the case; 法制科's head names ``legal`` its reviewer (R-INS-10)."""
    case = cases.submit_case(
        by=people.chen, case=case, proposed_decision=proposed, proposal=proposal, submitted_on=submitted_on
    )
    return cases.assign_reviewer(by=people.legal_head, case=case, reviewer=people.legal)


def _penalised(people: People, facility: Facility, today: date, calendar: WorkCalendar) -> Inspection:
    """A key-managed holder: over the limit (a case, fined), self-monitoring missing (the ledger),
    an outlet sign fixed on the spot (its photo)."""
    on = _workday(today - timedelta(days=42), calendar)
    inspection = _inspect(
        people,
        facility,
        on,
        answers={
            "二.1": {
                "verdict": "noncompliant",
                "note": "DA001 有机废气排放口标志牌脱落，现场已督促企业重新悬挂（见现场照片）。",
                "finding_kind": "other_duties",
                "disposition": "on_the_spot",
            },
            "二.5": {
                "verdict": "noncompliant",
                "note": "执法监测：DA001 排放口非甲烷总烃 86 mg/m³，超过许可排放浓度 50 mg/m³。",
                "finding_kind": "permit_violation",
                "disposition": "case",
            },
            "三.1": {
                "verdict": "noncompliant",
                "note": "未按自行监测方案开展 DA001 颗粒物季度监测，近两个季度无监测记录。",
                "finding_kind": "self_monitoring",
                "disposition": "rectification",
                "deadline_workdays": 15,
                "responsible_person": facility.contact_person or "企业环保负责人",
            },
        },
        photos=("二.1", "二.5"),
        representative=("沈建华", "生产副总"),
        summary="检查发现超许可浓度排放、自行监测缺项和排放口标志缺失三项问题，已分别立案、限期整改和现场整改。",
        source_reference=_plan(on),
    )
    case = Finding.objects.get(inspection=inspection, disposition="case").case
    case = _case_to_review(
        people,
        case,
        proposed="penalty",
        proposal="经调查，该单位超过许可排放浓度排放大气污染物，事实清楚、证据确凿，拟依法处以罚款。",
        submitted_on=_workday(on + timedelta(days=5), calendar),
    )
    reviewed_on = _workday(on + timedelta(days=8), calendar)
    case = cases.record_review(
        by=people.legal,
        case=case,
        approved=True,
        opinion="事实清楚，证据充分，程序合法，同意拟处理意见。",
        reviewed_on=reviewed_on,
    )
    decided_on = _workday(on + timedelta(days=12), calendar)
    cases.decide_case(
        by=people.chen,
        case=case,
        decision="penalty",
        decided_on=decided_on,
        decision_no=f"普环罚〔{decided_on.year}〕21号",
        penalty_amount=Decimal("120000"),
    )
    record_interference(
        by=people.chen,
        occurred_on=_workday(on + timedelta(days=3), calendar),
        interferer="某单位工作人员刘某（自称企业负责人亲属）",
        method="电话说情",
        detail="案件调查期间致电承办人员，要求对该单位不予立案或从轻处罚。承办人员当即拒绝，并按规定记录。",
        inspection=inspection,
        case=case,
    )
    return inspection


def _followed_up(people: People, first: Inspection, today: date, calendar: WorkCalendar) -> Inspection:
    """The follow-up of the first inspection: self-monitoring done, its ledger item closed (R-INS-8)."""
    on = _workday(today - timedelta(days=22), calendar)
    return _inspect(
        people,
        first.facility,
        on,
        answers={
            "三.1": {"verdict": "compliant", "note": "已补测两个季度颗粒物，监测报告已存档。"},
            "二.5": {"verdict": "compliant", "note": "执法监测复测达标，非甲烷总烃 32 mg/m³。"},
        },
        representative=("沈建华", "生产副总"),
        summary=f"对 {first.number} 限期整改问题复查，已整改到位。",
        reason="follow_up",
        follow_up_of=first,
    )


def _late_report(today: date, used: set[int]) -> ExecutionReport | None:
    """A holder's execution report filed late, some months ago, by a facility never penalised."""
    valid = {f.pk for level in ("key", "simplified") for f in _valid_holders(today, level)}
    return (
        ExecutionReport.objects.filter(
            received_on__gt=F("due_on"),
            received_on__lte=today - timedelta(days=75),
            facility_id__in=valid - used,
        )
        .exclude(facility_id__in=PenaltyRecord.objects.values("facility_id"))
        .select_related("facility")
        .order_by("-received_on", "pk")
        .first()
    )


def _not_penalised(people: People, today: date, calendar: WorkCalendar, used: set[int]) -> Inspection | None:
    """A first violation of 002 十四 corrected in time: not penalised, with its legal basis (R-INS-10)."""
    report = _late_report(today, used)
    if report is not None:
        facility, ground, corrected_on = report.facility, "report_not_submitted", report.received_on
        note = (
            f"报告期 {report.period_start:%Y-%m-%d} 至 {report.period_end:%Y-%m-%d} 的排污许可证执行报告应于 "
            f"{report.due_on:%Y-%m-%d} 前提交，实际于 {report.received_on:%Y-%m-%d} 提交，未按规定提交执行报告。"
        )
    else:
        candidates = [
            f for f in _valid_holders(today, "simplified") + _valid_holders(today, "key") if f.pk not in used
        ]
        if not candidates:
            return None
        facility, ground = candidates[0], "ledger_incomplete"
        corrected_on = None
        note = "环境管理台账缺少近两个月废气治理设施运行记录，记录数据不全。"
    on = _workday(today - timedelta(days=60), calendar)
    corrected_on = corrected_on or on + timedelta(days=3)
    inspection = _inspect(
        people,
        facility,
        on,
        answers={
            "四.3": {
                "verdict": "noncompliant",
                "note": note,
                "finding_kind": "other_duties",
                "disposition": "case",
            }
        },
        representative=("韩立新", "环保专员"),
        summary="发现一项环境管理问题，企业系初次违法，已改正。",
        source_reference=_plan(on),
    )
    case = Finding.objects.get(inspection=inspection).case
    case = _case_to_review(
        people,
        case,
        proposed="no_penalty",
        proposal="该单位系初次违法，危害后果轻微并已及时改正，拟依据指导意见（十四）不予行政处罚。",
        submitted_on=_workday(on + timedelta(days=4), calendar),
    )
    reviewed_on = _workday(on + timedelta(days=7), calendar)
    case = cases.record_review(
        by=people.legal, case=case, approved=True, opinion="符合不予处罚情形，同意。", reviewed_on=reviewed_on
    )
    decided_on = _workday(on + timedelta(days=10), calendar)
    cases.decide_case(
        by=people.chen,
        case=case,
        decision="no_penalty",
        decided_on=decided_on,
        decision_no=f"普环不罚〔{decided_on.year}〕3号",
        no_penalty_ground=ground,
        legal_basis=rules.DEFAULT_NO_PENALTY_BASIS,
        first_violation=True,
        slight_harm=True,
        corrected_on=min(corrected_on, decided_on),
    )
    return inspection


def _compliant(people: People, facility: Facility, today: date, calendar: WorkCalendar) -> Inspection:
    """A simplified-managed holder's yearly inspection (R-INS-3): every point 符合."""
    on = _workday(today - timedelta(days=33), calendar)
    return _inspect(
        people,
        facility,
        on,
        answers={"三.3": {"verdict": "not_applicable", "note": "简化管理，许可证未要求安装自动监测设备。"}},
        photos=(None,),
        representative=("许文", "环保专员"),
        summary="逐项检查未发现问题。",
        source_reference=_plan(on),
    )


def _unlicensed(people: People, today: date, calendar: WorkCalendar, used: set[int]) -> Inspection | None:
    """A holder discharging on a permit long expired, drawn at random: a case under legal review,
    and a linkage task for 审批科 (R-LNK-1)."""
    on = _workday(today - timedelta(days=25), calendar)
    expired = (
        with_state(Permit.objects.filter(valid_until__lt=on - timedelta(days=30)), today)
        .filter(state="expired")
        .exclude(facility_id__in=used)
        .select_related("facility")
        .order_by("pk")
        .first()
    )
    if expired is None:
        return None
    inspection = _inspect(
        people,
        expired.facility,
        on,
        answers={
            "一.2": {
                "verdict": "noncompliant",
                "note": f"排污许可证 {expired.number} 已于 {expired.valid_until:%Y-%m-%d} 到期，未申请延续，现场仍在生产排污。",
                "finding_kind": "unlicensed",
                "disposition": "case",
            }
        },
        photos=(None,),
        representative=("顾明", "厂长"),
        summary="许可证过期后仍在排污，涉嫌无证排污，已立案调查。",
        reason="random_draw",
        source_reference=f"{on.year}年第二批“双随机、一公开”抽查（普环执〔{on.year}〕5号）",
    )
    finding = Finding.objects.get(inspection=inspection)
    _case_to_review(
        people,
        finding.case,
        proposed="penalty",
        proposal="该单位排污许可证过期后未取得新证继续排放污染物，拟责令改正并处罚款。",
        submitted_on=_workday(on + timedelta(days=6), calendar),
    )
    findings.start_task_from_finding(
        by=people.chen,
        finding=finding,
        receivers=["approval"],
        description="现场检查发现该单位排污许可证已过期未延续仍在排污，已立案查处；请审批科核实许可证办理情况并督促依法重新申请。",
        handler=people.chen,
        head=people.brigade_head,
        started_on=on,
    )
    return inspection


def _registered(people: People, today: date, calendar: WorkCalendar) -> Inspection | None:
    """A registered unit checked against its registration form (R-INS-2), one rectification open."""
    facility = Facility.objects.filter(management_level="registered").order_by("pk").first()
    if facility is None:
        return None
    on = _workday(today - timedelta(days=12), calendar)
    return _inspect(
        people,
        facility,
        on,
        answers={
            "一.4": {
                "verdict": "noncompliant",
                "note": "原料堆场未苫盖，装卸时扬尘明显，无组织排放管控措施未落实。",
                "finding_kind": "other_duties",
                "disposition": "rectification",
                "deadline_workdays": 15,
                "responsible_person": facility.contact_person or "企业负责人",
            }
        },
        representative=("陆海", "负责人"),
        summary="对照排污登记表检查，管理类别正确；无组织排放管控不到位，已责令限期整改。",
        reason="random_draw",
        source_reference=f"{on.year}年排污登记单位抽查（普环执〔{on.year}〕6号）",
    )


def _today(people: People, facility: Facility, today: date) -> Inspection:
    """Today's inspection, in progress on the officer's phone: some points answered, a photo in."""
    return _inspect(
        people,
        facility,
        today,
        answers={
            "一.1": {"verdict": "compliant"},
            "一.2": {"verdict": "compliant"},
            "一.3": {"verdict": "compliant"},
            "二.1": {"verdict": "compliant", "note": "排放口标志牌齐全。"},
            "二.2": {"verdict": "noncompliant", "note": "喷涂车间门窗敞开，有机废气无组织逸散。"},
        },
        photos=("二.2",),
        sign=False,
        source_reference=_plan(today),
    )


@transaction.atomic
def seed(*, today: date) -> list[str]:
    """``seed_demo``'s entry (bureau.demo): the inspections once, when there is none yet; the draws once,
    when there is none; the year's and the month's plans when missing."""
    people = _people()
    calendar = WorkCalendar()
    made = _inspections(people, today, calendar) if not Inspection.objects.exists() else []
    made += _draws(people, today, calendar)
    return made + _plans(people, today)


def _inspections(people: People, today: date, calendar: WorkCalendar) -> list[str]:
    keys = _valid_holders(today, "key")
    simplified = _valid_holders(today, "simplified")
    if len(keys) < 2 or not simplified:
        return []
    used = {keys[0].pk, keys[1].pk, simplified[0].pk}
    made = []
    # In the order they happened, so numbers follow dates.
    if inspection := _not_penalised(people, today, calendar, used):
        used.add(inspection.facility_id)
        made.append(inspection)
    first = _penalised(people, keys[0], today, calendar)
    made.append(first)
    made.append(_compliant(people, simplified[0], today, calendar))
    if inspection := _unlicensed(people, today, calendar, used):
        made.append(inspection)
    made.append(_followed_up(people, first, today, calendar))
    if inspection := _registered(people, today, calendar):
        made.append(inspection)
    drawn = _draws(people, today, calendar)  # its drawn unit inspected six days ago
    made.append(_today(people, keys[1], today))
    return [f"{len(made)} 次现场检查", f"{Case.objects.count()} 件案件", "插手干预记录", *drawn]
