"""An inspection's life (R-INS-6): started by 执法大队 for one facility with at least two officers
holding certificates and a reason linked to its source; answered point by point while in draft;
signed by every officer (the first signature locks it, the last makes it the record, hashes it and
turns its 不符合 points into findings); after that only amendments.

Life of an inspection::

    draft ──sign (first officer)──▶ signing ──sign (last officer)──▶ signed ──amend──▶ signed
      ▲                               │
      └──────withdraw_signature───────┘
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from guardian.shortcuts import assign_perm

from bureau import history
from bureau.errors import Conflict
from bureau.models import Role, User
from bureau.numbers import next_in_series
from bureau.services import section
from bureau.todo import add_todo, complete_todo
from complaints.models import Complaint
from inspections import rules
from inspections.models import (
    Amendment,
    Answer,
    ChecklistPoint,
    ChecklistVersion,
    CheckMode,
    DrawItem,
    Inspection,
    InspectionOfficer,
    InspectionState,
    Reason,
    Verdict,
    VersionState,
)
from inspections.services import draws, findings, planning
from inspections.services.common import (
    is_head,
    is_officer,
    locked,
    officer_facts,
    require_draft,
    require_officer,
    require_section,
)
from linkage.models import LinkageTask
from permits.models import Facility, Permit, ReportLead

INSPECTION_SERIES = "inspection"
SIGN_TODO = "inspection-sign:"
AMENDMENT_TODO = "inspection-amendment:"
ONLY_ENFORCEMENT = "只有执法大队可以登记现场检查。"


def current_version_for(facility: Facility) -> ChecklistVersion | None:
    """The published checklist version ``facility`` is inspected with (R-INS-1, R-INS-2)."""
    versions = {
        v.checklist_id: v
        for v in ChecklistVersion.objects.filter(state=VersionState.PUBLISHED).select_related(
            "checklist__key_industry"
        )
    }
    facts = [
        rules.ChecklistFacts(
            id=v.checklist_id,
            applies_to=v.checklist.applies_to,
            key_industry_code=v.checklist.key_industry.code if v.checklist.key_industry else None,
        )
        for v in versions.values()
    ]
    key_industry = facility.key_industry.code if facility.key_industry_id else None
    chosen = rules.checklist_for(
        facts,
        management_level=facility.management_level,
        industry_code=facility.industry_code,
        key_industry_code=key_industry,
    )
    return versions.get(chosen)


def _source_errors(facility: Facility, reason: str, sources: dict) -> dict[str, str]:
    """The source a reason needs, present, of the same facility; no source of another reason."""
    if reason not in Reason.values:
        return {"reason": "检查事由应为" + "、".join(Reason.labels) + "之一。"}
    needed = rules.REASON_SOURCES[reason]
    errors = {}
    for field, value in sources.items():
        if field != needed and value:
            errors[field] = (
                f"检查事由为“{Reason(reason).label}”，不需要关联{Inspection._meta.get_field(field).verbose_name}。"
            )
    value = sources.get(needed)
    if not value or (isinstance(value, str) and not value.strip()):
        errors[needed] = rules.SOURCE_MISSING[needed]
    elif needed != "source_reference":
        facility_id = getattr(value, "facility_id", None)
        if facility_id is not None and facility_id != facility.pk:
            errors[needed] = f"所关联的{Inspection._meta.get_field(needed).verbose_name}不属于该排污单位。"
        if needed == "follow_up_of" and value.state != InspectionState.SIGNED:
            errors[needed] = "只能复查已签署的检查。"
    return errors


@transaction.atomic
def start_inspection(
    *,
    by: User,
    facility: Facility,
    inspected_on: date,
    officers: list[User],
    reason: str,
    source_reference: str = "",
    complaint: Complaint | None = None,
    linkage_task: LinkageTask | None = None,
    report_lead: ReportLead | None = None,
    permit: Permit | None = None,
    follow_up_of: Inspection | None = None,
    checklist_version: ChecklistVersion | None = None,
    draw_item: DrawItem | None = None,
    officer_change_reason: str = "",
    mode: str = CheckMode.ON_SITE,
) -> Inspection:
    """Start an inspection in draft (R-INS-6). ``officers`` (at least two, of 执法大队, each with a
    certificate number) each get the right to fill and sign it. The reason names its source: the
    complaint, the linkage task, the execution-report lead, the new permit, the inspection followed
    up, or for a draw, a plan or a campaign its name and number (an inspection of a drawn unit names
    its ``draw_item`` instead, and takes the draw's mode: 现场检查 or 远程核查). A routine planned
    inspection beyond the yearly cap is refused; triggered ones never are. The checklist is the facility's
    current one unless a published version is given. A follow-up starts with the answers of the
    inspection it follows up. ValidationError per field, in Chinese; nothing is written then."""
    require_section(by, rules.INSPECTING_SECTION, ONLY_ENFORCEMENT)
    officers = list(dict.fromkeys(officers))  # the same person twice is one officer
    errors = {}
    if inspected_on is None:
        errors["inspected_on"] = "请填写检查日期。"
    elif inspected_on > timezone.localdate():
        errors["inspected_on"] = "检查日期不能晚于今天。"
    officer_errors = rules.officer_errors(officer_facts(officers))
    if officer_errors:
        errors["officers"] = officer_errors
    if draw_item is not None:
        errors.update(_draw_item_errors(draw_item, facility, reason, inspected_on))
        change = _officer_change(draw_item, officers, officer_change_reason)
        if change is None:
            drawn = "、".join(o.name for o in draw_item.officers.all())
            errors["officers"] = (
                f"双随机抽查应由随机选派的执法人员（{drawn}）检查；如因回避、请假等需要调整，请填写调整原因。"
            )
        source_reference = f"{draw_item.draw.number} {draw_item.draw.title}"[:200]
        mode = draw_item.draw.mode
    if mode not in CheckMode.values:
        errors["mode"] = "检查方式只能是现场检查或远程核查。"
    if reason == Reason.ROUTINE_PLAN and inspected_on is not None:
        cap = planning.plan_settings().routine_cap
        visits = Inspection.objects.filter(
            facility=facility, state=InspectionState.SIGNED, inspected_on__year=inspected_on.year
        ).values_list("inspected_on", "reason", "mode")
        done = [rules.Visit(on, why, remote=how == CheckMode.REMOTE) for on, why, how in visits]
        if (
            mode != CheckMode.REMOTE
            and rules.routine_cap_reached(done, inspected_on.year, cap)
            and not planning.still_owed(facility, inspected_on)  # R-INS-3's minimum comes first
        ):
            errors["reason"] = (
                f"该单位本年度例行现场检查已达 {cap} 次上限（检查计划设置），不再安排计划检查；"
                "因信访投诉、线索、案件复查等需要检查的，请选择相应事由。"
            )
    sources = {
        "source_reference": source_reference.strip(),
        "complaint": complaint,
        "linkage_task": linkage_task,
        "report_lead": report_lead,
        "permit": permit,
        "follow_up_of": follow_up_of,
    }
    errors.update(_source_errors(facility, reason, sources))
    if checklist_version is None:
        checklist_version = current_version_for(facility)
        if checklist_version is None:
            errors["checklist_version"] = "没有适用于该排污单位的现行检查清单，请联系系统管理员发布。"
    elif checklist_version.state != VersionState.PUBLISHED:
        errors["checklist_version"] = "只能使用现行（已发布）的检查清单版本。"
    if errors:
        raise ValidationError(errors)
    sequence = next_in_series(INSPECTION_SERIES, inspected_on.year)
    inspection = Inspection(
        number=rules.inspection_number(inspected_on.year, sequence),
        year=inspected_on.year,
        sequence=sequence,
        facility=facility,
        inspected_on=inspected_on,
        checklist_version=checklist_version,
        reason=reason,
        mode=mode,
        created_by=by,
        **sources,
    )
    history.save_checked(inspection, by=by, reason=f"登记现场检查（{Reason(reason).label}）")
    for order, user in enumerate(officers, start=1):
        officer = InspectionOfficer(
            inspection=inspection,
            officer=user,
            name=user.display_name,
            certificate_no=user.staff.certificate_no,
            order=order,
        )
        history.save(officer, by=by)
        assign_perm(rules.CONDUCT_PERMISSION, user, inspection)
    if follow_up_of is not None:
        _prefill(inspection, follow_up_of, by=by)
    if draw_item is not None:
        # Claimed only if still free: two officers starting the same drawn unit at once get one record.
        claimed = DrawItem.objects.filter(pk=draw_item.pk, inspection__isnull=True).update(
            inspection=inspection, officer_change=change
        )
        if not claimed:
            raise Conflict(f"抽查 {draw_item.draw.number} 中的该单位刚刚已由他人登记检查，请刷新后查看。")
    return inspection


def _officer_change(item: DrawItem, officers: list[User], reason: str) -> str | None:
    """ "" when the drawn pair inspects; the change with its reason when others do and a reason is
    given (published with the result, R-INS-5); None when others do without a reason."""
    drawn = {o.user_id: o.name for o in item.officers.all()}
    if {user.pk for user in officers} == set(drawn):
        return ""
    if not reason.strip():
        return None
    now = "、".join(user.display_name for user in officers)
    return f"由{'、'.join(drawn.values())}调整为{now}：{reason.strip()}"[:400]


def _draw_item_errors(item: DrawItem, facility: Facility, reason: str, inspected_on: date | None) -> dict:
    draw = item.draw
    if reason != Reason.RANDOM_DRAW:
        return {"reason": "抽查结果中的单位，检查事由应为“双随机抽查”。"}
    if item.facility_id != facility.pk:
        return {"draw_item": "所选抽查结果不是该排污单位。"}
    if DrawItem.objects.filter(pk=item.pk, inspection__isnull=False).exists():
        return {"draw_item": f"抽查 {draw.number} 中的该单位已登记检查，不能重复登记。"}
    if inspected_on is not None and inspected_on < draw.inspect_from:
        return {"inspected_on": f"抽查 {draw.number} 的检查期自 {draw.inspect_from} 开始。"}
    return {}


def _prefill(inspection: Inspection, previous: Inspection, *, by: User) -> None:
    """A follow-up starts with the last answers, matched by point code (the versions may differ)."""
    points = {p.code: p for p in ChecklistPoint.objects.filter(version=inspection.checklist_version_id)}
    for old in previous.answers.select_related("point"):
        point = points.get(old.point.code)
        if point is None or not old.verdict:
            continue
        answer = Answer(
            inspection=inspection,
            point=point,
            verdict=old.verdict,
            note=old.note,
            finding_kind=old.finding_kind,
            updated_by=by,
        )
        history.save(answer, by=by, reason=f"按被复查的检查 {previous.number} 预填")


@transaction.atomic
def save_answer(
    *,
    by: User,
    inspection: Inspection,
    point: ChecklistPoint,
    verdict: str,
    note: str = "",
    finding_kind: str = "",
    disposition: str = "",
    deadline_workdays: int | None = None,
    responsible_person: str = "",
    conduct: str = "",
) -> Answer:
    """Save the answer to one point while the record is a draft: the same call twice changes
        nothing the second time. A 不符合 needs a note; its class and disposition may come later, but
        by the signature (R-INS-7, R-INS-8). ``conduct`` marks a 不符合 that shows secret discharge, tampering
    or evading supervision: its finding takes the unit off the positive list (R-POS-1). Only the officers;
    never after a signature (R-INS-6)."""
    inspection = locked(inspection)
    require_officer(by, inspection)
    require_draft(inspection)
    if point.version_id != inspection.checklist_version_id:
        raise ValidationError({"point": "该检查要点不属于本次检查所用的清单版本。"})
    facts = rules.AnswerFacts(
        code=point.code,
        verdict=verdict or "",
        note=note or "",
        finding_kind=finding_kind or "",
        disposition=disposition or "",
        deadline_workdays=deadline_workdays,
        responsible_person=responsible_person or "",
        conduct=conduct or "",
    )
    errors = rules.answer_errors(facts)
    if verdict != rules.NONCOMPLIANT and (
        finding_kind or disposition or deadline_workdays or responsible_person or conduct
    ):
        errors["disposition"] = "只有结论为“不符合”的要点才填写违法类别、处理方式、整改时限和恶意偷排等行为。"
    if errors:
        raise ValidationError(errors)
    values = {
        "verdict": facts.verdict,
        "note": facts.note.strip(),
        "finding_kind": facts.finding_kind,
        "disposition": facts.disposition,
        "deadline_workdays": deadline_workdays if facts.disposition == "rectification" else None,
        "responsible_person": facts.responsible_person.strip(),
        "conduct": facts.conduct,
    }
    answer = Answer.objects.filter(inspection=inspection, point=point).first()
    if answer is not None and all(getattr(answer, k) == v for k, v in values.items()):
        return answer
    answer = answer or Answer(inspection=inspection, point=point)
    for key, value in values.items():
        setattr(answer, key, value)
    answer.updated_by = by
    return history.save_checked(answer, by=by)


@transaction.atomic
def update_inspection_details(
    *,
    by: User,
    inspection: Inspection,
    representative_name: str,
    representative_title: str = "",
    summary: str = "",
) -> Inspection:
    """The facility's representative on site and the officers' summary, while a draft."""
    inspection = locked(inspection)
    require_officer(by, inspection)
    require_draft(inspection)
    inspection.representative_name = representative_name.strip()
    inspection.representative_title = representative_title.strip()
    inspection.summary = summary.strip()
    return history.save_checked(inspection, by=by)


def _answer_facts(inspection: Inspection) -> tuple[list[rules.AnswerFacts], list[str], set[str]]:
    answers = [
        rules.AnswerFacts(
            code=a.point.code,
            verdict=a.verdict,
            note=a.note,
            finding_kind=a.finding_kind,
            disposition=a.disposition,
            deadline_workdays=a.deadline_workdays,
            responsible_person=a.responsible_person,
        )
        for a in inspection.answers.select_related("point")
    ]
    codes = list(
        ChecklistPoint.objects.filter(version=inspection.checklist_version_id)
        .order_by("part__order", "order")
        .values_list("code", flat=True)
    )
    photo_codes = set(inspection.photos.filter(point__isnull=False).values_list("point__code", flat=True))
    return answers, codes, photo_codes


def sign_gaps(inspection: Inspection) -> list[str]:
    """What keeps ``inspection`` from being signed, in Chinese; empty when it can be."""
    answers, codes, photo_codes = _answer_facts(inspection)
    gaps = rules.sign_gaps(answers, codes)
    for answer in answers:
        if (
            answer.verdict == rules.NONCOMPLIANT
            and answer.disposition == "on_the_spot"
            and answer.code not in photo_codes
        ):
            gaps.append(f"第 {answer.code} 项立整立改，须上传该项的现场照片作为整改证据。")
    if not inspection.representative_name.strip():
        gaps.append("请填写企业现场负责人姓名。")
    return gaps


@transaction.atomic
def sign_inspection(*, by: User, inspection: Inspection) -> Inspection:
    """``by`` signs as one of the officers (R-INS-6). The first signature needs a complete record and
    locks it; the last makes it the signed record: hashed, its 不符合 points made findings and
    disposed of (R-INS-7, R-INS-8). ValidationError lists what is missing; Conflict if ``by`` has
    signed or the record is signed."""
    inspection = locked(inspection)
    require_officer(by, inspection)
    if inspection.state == InspectionState.SIGNED:
        raise Conflict("检查记录已签署完毕。")
    me = inspection.officers.get(officer=by)
    if me.signed_at is not None:
        raise Conflict("您已签名，请等待其他检查人员签名。")
    if inspection.state == InspectionState.DRAFT:
        gaps = sign_gaps(inspection)
        if gaps:
            raise ValidationError({"sign": gaps})
    now = timezone.now()
    me.signed_at = now
    history.save(me, by=by, reason="签名")
    complete_todo(key=f"{SIGN_TODO}{inspection.pk}:{by.pk}", by=by)
    waiting = list(inspection.officers.filter(signed_at__isnull=True).select_related("officer"))
    if waiting:
        inspection.state = InspectionState.SIGNING
        history.save(inspection, by=by, reason=f"{by.display_name} 签名，待其他检查人员签名")
        for officer in waiting:
            add_todo(
                key=f"{SIGN_TODO}{inspection.pk}:{officer.officer_id}",
                title=f"现场检查 {inspection.number}（{inspection.facility.name}）待您签名",
                url=reverse("inspections:inspection-detail", args=[inspection.pk]),
                due_on=inspection.inspected_on,
                user=officer.officer,
            )
        return inspection
    inspection.state = InspectionState.SIGNED
    inspection.signed_at = now
    facility = inspection.facility
    inspection.facility_name, inspection.facility_source_code = facility.name, facility.source_code
    inspection.facility_address = facility.address
    inspection.record_hash = rules.record_digest(record_content(inspection))
    history.save(inspection, by=by, reason="全部检查人员签名，检查记录生效")
    findings.make_findings(inspection=inspection, by=by)
    planning.note_inspection(inspection)
    draws.note_inspection(inspection)
    return inspection


@transaction.atomic
def withdraw_signature(*, by: User, inspection: Inspection) -> Inspection:
    """Before the last signature, an officer who signed takes every signature back so the record can
    be corrected: it returns to draft."""
    inspection = locked(inspection)
    require_officer(by, inspection)
    if inspection.state != InspectionState.SIGNING:
        raise Conflict("只有待其他人员签名的检查可以撤回签名。")
    if not inspection.officers.filter(officer=by, signed_at__isnull=False).exists():
        raise Conflict("您尚未签名，无需撤回。")
    for officer in inspection.officers.all():
        complete_todo(key=f"{SIGN_TODO}{inspection.pk}:{officer.officer_id}", by=by)
        if officer.signed_at is not None:
            officer.signed_at = None
            history.save(officer, by=by, reason=f"{by.display_name} 撤回签名")
    inspection.state = InspectionState.DRAFT
    return history.save(inspection, by=by, reason=f"{by.display_name} 撤回签名，检查记录退回填写")


def record_content(inspection: Inspection) -> dict:
    """The signed record as the hash covers it: who, where, when, why, every point with its answer,
    every photo by its SHA-256, the representative. Amendments come after and are not in it."""
    answers = {a.point_id: a for a in inspection.answers.all()}
    points = ChecklistPoint.objects.filter(version=inspection.checklist_version_id).order_by(
        "part__order", "order"
    )
    return {
        "number": inspection.number,
        "facility": inspection.facility_source_code or inspection.facility.source_code,
        "facility_name": inspection.facility_name or inspection.facility.name,
        "inspected_on": inspection.inspected_on.isoformat(),
        "reason": inspection.reason,
        "checklist": f"{inspection.checklist_version.checklist.code}#{inspection.checklist_version.number}",
        "officers": [[o.name, o.certificate_no] for o in inspection.officers.order_by("order")],
        "representative": [inspection.representative_name, inspection.representative_title],
        "summary": inspection.summary,
        "answers": [
            [
                p.code,
                p.text,
                getattr(answers.get(p.pk), "verdict", ""),
                getattr(answers.get(p.pk), "note", ""),
                getattr(answers.get(p.pk), "finding_kind", ""),
                getattr(answers.get(p.pk), "disposition", ""),
            ]
            # Marked only where set, so the records signed before it existed keep their digest.
            + ([answers[p.pk].conduct] if getattr(answers.get(p.pk), "conduct", "") else [])
            for p in points
        ],
        "photos": sorted(inspection.photos.values_list("sha256", flat=True)),
    }


AMENDABLE = {
    "verdict": "检查结论",
    "note": "情况说明",
    "representative_name": "企业现场负责人",
    "summary": "检查情况小结",
    "other": "其他",
}


@transaction.atomic
def add_amendment(
    *,
    by: User,
    inspection: Inspection,
    field: str,
    after: str,
    reason: str,
    point: ChecklistPoint | None = None,
    before: str = "",
) -> Amendment:
    """A correction of a signed record (R-INS-6): the record is never edited; this says what should
    read otherwise and why. By one of its officers or a head of 执法大队. ``before`` is taken from the
    record for a point's 结论 or 说明, the representative and the summary; given for 其他."""
    inspection = locked(inspection)
    if not (is_head(by, rules.INSPECTING_SECTION) or is_officer(by, inspection)):
        raise PermissionDenied("只有本次检查的执法人员或执法大队负责人可以登记更正。")
    if inspection.state != InspectionState.SIGNED:
        raise Conflict("检查记录尚未签署：请直接修改检查内容，无需登记更正。")
    errors = {}
    if field not in AMENDABLE:
        errors["field"] = "更正事项应为" + "、".join(AMENDABLE.values()) + "之一。"
    elif field in ("verdict", "note"):
        if point is None:
            errors["point"] = "更正检查结论或情况说明须指明检查要点。"
        elif point.version_id != inspection.checklist_version_id:
            errors["point"] = "该检查要点不属于本次检查所用的清单版本。"
    answered = {label for value, label in Verdict.choices if value}
    if field == "verdict" and after not in answered and after not in rules.VERDICTS:
        errors["after"] = "检查结论应更正为符合、不符合或不适用。"
    if not after.strip():
        errors.setdefault("after", "请填写更正后的内容。")
    if not reason.strip():
        errors["reason"] = "请填写更正理由。"
    for name, value, label, limit in (
        ("before", before, "原记载", 2000),
        ("after", after, "更正内容", 4000),
        ("reason", reason, "更正理由", 2000),
    ):
        if len(value.strip()) > limit:
            errors.setdefault(name, f"{label}不能超过 {limit} 个字。")
    if errors:
        raise ValidationError(errors)
    if field in ("verdict", "note"):
        answer = inspection.answers.filter(point=point).first()
        before = (answer.get_verdict_display() if field == "verdict" else answer.note) if answer else ""
        if field == "verdict" and after in rules.VERDICTS:
            after = Verdict(after).label
    elif field != "other":
        before = getattr(inspection, field)
    amendment = Amendment(
        inspection=inspection,
        point=point,
        field=AMENDABLE[field],
        before=before,
        after=after.strip(),
        reason=reason.strip(),
        author=by,
    )
    amendment.full_clean(exclude=["inspection", "point", "author"])
    amendment.save()
    noncompliant = Verdict.NONCOMPLIANT.label
    if field == "verdict" and (before == noncompliant) != (amendment.after == noncompliant):
        # The findings were made from the record as signed; a verdict corrected to or from 不符合 is
        # for 执法大队's head to act on (a finding to open, or one to close), never done silently.
        add_todo(
            key=f"{AMENDMENT_TODO}{amendment.pk}",
            title=(
                f"现场检查 {inspection.number} 第 {point.code} 项结论更正为“{amendment.after}”"
                f"（原为“{before or '未填'}”）：请核定检查发现问题的处理"
            ),
            url=reverse("inspections:inspection-detail", args=[inspection.pk]),
            due_on=timezone.localdate(),
            section=section(rules.INSPECTING_SECTION),
            role=Role.HEAD,
        )
    return amendment
