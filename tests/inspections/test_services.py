"""The services of checklist inspections, by rule id: each refusal says why in Chinese and writes
nothing (every table an inspection touches is counted before and after)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from guardian.models import UserObjectPermission

from bureau.errors import Conflict
from bureau.models import SectionCode
from bureau.todo import TodoItem
from inspections import queries
from inspections.models import (
    Amendment,
    Answer,
    Case,
    CaseOfficer,
    CaseState,
    Checklist,
    ChecklistPoint,
    Finding,
    FindingState,
    Inspection,
    InspectionOfficer,
    InspectionState,
    InterferenceRecord,
    Photo,
    VersionState,
)
from inspections.services import cases, checklists
from inspections.services.findings import FOLLOW_UP_TODO, start_task_from_finding
from inspections.services.inspections import (
    add_amendment,
    save_answer,
    sign_inspection,
    update_inspection_details,
    withdraw_signature,
)
from inspections.services.interference import record_interference
from linkage.models import LinkageTask
from permits.models import PenaltyRecord, PermitEvent, PermitEventKind, RectificationItem
from permits.services.permits import record_permit_event
from tests.factories.bureau import StaffFactory
from tests.factories.complaints import ComplaintFactory
from tests.factories.inspections import (
    NONCOMPLIANT_RECTIFY,
    add_photo,
    answer_all,
    point,
    signed,
    start,
)
from tests.factories.permits import FacilityFactory

pytestmark = pytest.mark.today(date(2026, 6, 15))

TODAY = date(2026, 6, 15)
OVER_LIMIT = {
    "verdict": "noncompliant",
    "note": "DA001 排放口非甲烷总烃 86 mg/m³，超过许可排放浓度 50 mg/m³",
    "finding_kind": "permit_violation",
    "disposition": "case",
}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Photos are written to a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path


def rows() -> dict[str, int]:
    """Every table an inspection service writes, with the history of the ones that keep it."""
    models = (
        Inspection,
        Inspection.history.model,
        InspectionOfficer,
        Answer,
        Answer.history.model,
        Photo,
        Amendment,
        Finding,
        Case,
        Case.history.model,
        CaseOfficer,
        InterferenceRecord,
        PenaltyRecord,
        PermitEvent,
        RectificationItem,
        LinkageTask,
        UserObjectPermission,
        ChecklistPoint,
    )
    return {model._meta.label: model.objects.count() for model in models}


@pytest.fixture
def inspection(facility, officers):
    return start(facility, officers)


@pytest.fixture
def signed_inspection(inspection, officers):
    """Signed by both officers, 四.3 on the ledger with 10 working days."""
    return signed(inspection, officers, 四_3=NONCOMPLIANT_RECTIFY)


LEDGER_INCOMPLETE = {
    "verdict": "noncompliant",
    "note": "环境管理台账缺 2026 年 4 月记录",
    "finding_kind": "other_duties",
    "disposition": "case",
}


def reviewed_case(facility, officers, legal_head, legal_clerk, proposed: str) -> Case:
    """A case on 二.5 of a signed inspection (四.3, an incomplete ledger, when ``proposed`` is no
    penalty), submitted with ``proposed``, its review approved."""
    if proposed == "no_penalty":
        inspection = signed(start(facility, officers), officers, 四_3=LEDGER_INCOMPLETE)
    else:
        inspection = signed(start(facility, officers), officers, 二_5=OVER_LIMIT)
    case = Finding.objects.get(inspection=inspection).case
    cases.submit_case(
        by=officers[0], case=case, proposed_decision=proposed, proposal="调查终结", submitted_on=TODAY
    )
    cases.assign_reviewer(by=legal_head, case=case, reviewer=legal_clerk)
    return cases.record_review(by=legal_clerk, case=case, approved=True, opinion="同意", reviewed_on=TODAY)


# R-INS-6: who inspects, on which day, for which reason


def test_r_ins_6_one_officer_is_refused_and_nothing_written(facility, officer):
    before = rows()
    with pytest.raises(ValidationError) as refused:
        start(facility, [officer])
    assert refused.value.message_dict["officers"] == ["现场检查须有至少 2 名执法人员（当前 1 名）。"]
    assert rows() == before


def test_r_ins_6_the_same_officer_twice_is_one_officer(facility, officer):
    with pytest.raises(ValidationError, match="至少 2 名执法人员"):
        start(facility, [officer, officer])


def test_r_ins_6_an_officer_without_a_certificate_is_refused(facility, officer):
    trainee = StaffFactory(section_code=SectionCode.ENFORCEMENT, certificate_no="", full_name="吴见习").user
    before = rows()
    with pytest.raises(ValidationError) as refused:
        start(facility, [officer, trainee])
    assert refused.value.message_dict["officers"] == ["吴见习没有登记执法证号，不能参加现场检查。"]
    assert rows() == before


def test_r_ins_6_an_inspection_dated_tomorrow_is_refused(facility, officers):
    before = rows()
    with pytest.raises(ValidationError) as refused:
        start(facility, officers, on=TODAY + timedelta(days=1))
    assert refused.value.message_dict["inspected_on"] == ["检查日期不能晚于今天。"]
    assert rows() == before


def test_r_ins_6_a_reason_needs_its_source(facility, officers):
    before = rows()
    with pytest.raises(ValidationError) as refused:
        start(facility, officers, reason="complaint")
    assert refused.value.message_dict == {"complaint": ["因信访投诉检查须关联该投诉。"]}
    assert rows() == before


def test_r_ins_6_a_source_of_another_facility_is_refused(facility, officers, town_b, approval_clerk):
    elsewhere = FacilityFactory(n=2, town=town_b, by=approval_clerk)
    complaint = ComplaintFactory(by=officers[0], facility=elsewhere)
    before = rows()
    with pytest.raises(ValidationError) as refused:
        start(facility, officers, reason="complaint", complaint=complaint)
    assert refused.value.message_dict == {"complaint": ["所关联的信访投诉不属于该排污单位。"]}
    assert rows() == before


def test_r_ins_6_the_officers_hold_the_inspection_and_a_complaint_is_its_source(facility, officers):
    complaint = ComplaintFactory(by=officers[0], facility=facility)
    # when
    inspection = start(facility, officers, reason="complaint", complaint=complaint)
    # then
    assert inspection.complaint == complaint and inspection.state == InspectionState.DRAFT
    assert [(o.name, o.certificate_no) for o in inspection.officers.order_by("order")] == [
        (officers[0].display_name, "31010720001"),
        ("周执法", "31010720002"),
    ]
    assert all(user.has_perm("inspections.conduct_inspection", inspection) for user in officers)


# R-INS-1: answers


def test_r_ins_1_noncompliant_without_a_note_is_refused(inspection, officer):
    before = rows()
    with pytest.raises(ValidationError) as refused:
        save_answer(
            by=officer, inspection=inspection, point=point(inspection, "二.5"), verdict="noncompliant"
        )
    assert refused.value.message_dict == {"note": ["第 二.5 项为“不符合”，须填写情况说明。"]}
    assert rows() == before


def test_r_ins_1_an_answer_saved_twice_is_one_answer_and_one_history_row(inspection, officer):
    target = point(inspection, "一.1")
    first = save_answer(by=officer, inspection=inspection, point=target, verdict="compliant")
    before = rows()
    again = save_answer(by=officer, inspection=inspection, point=target, verdict="compliant")
    assert again.pk == first.pk and rows() == before


def test_r_ins_6_someone_not_of_the_inspection_may_not_answer(inspection, enforcement_head):
    with pytest.raises(PermissionDenied, match="只有本次检查的执法人员"):
        save_answer(
            by=enforcement_head, inspection=inspection, point=point(inspection, "一.1"), verdict="compliant"
        )


# R-INS-6: signing, and nothing changes after it


def test_r_ins_6_a_signed_record_refuses_answers_details_and_photos(signed_inspection, officers):
    before = rows()
    with pytest.raises(Conflict, match="检查记录已签署，不得修改"):
        save_answer(
            by=officers[0],
            inspection=signed_inspection,
            point=point(signed_inspection, "一.1"),
            verdict="not_applicable",
        )
    with pytest.raises(Conflict, match="检查记录已签署，不得修改"):
        update_inspection_details(by=officers[1], inspection=signed_inspection, representative_name="张三")
    with pytest.raises(Conflict, match="检查记录已签署，不得修改"):
        add_photo(signed_inspection, officers[1], code="四.3")
    assert rows() == before
    assert Inspection.objects.get(pk=signed_inspection.pk).representative_name == "李厂长"


def test_r_ins_8_on_the_spot_needs_a_photo_of_its_point(inspection, officers):
    fixed = {**NONCOMPLIANT_RECTIFY, "disposition": "on_the_spot", "deadline_workdays": None}
    answer_all(inspection, officers[0], 二_1=fixed)
    update_inspection_details(by=officers[0], inspection=inspection, representative_name="李厂长")
    add_photo(inspection, officers[1])  # a photo of the whole site is no evidence of the point
    before = rows()
    # when
    with pytest.raises(ValidationError) as refused:
        sign_inspection(by=officers[0], inspection=inspection)
    # then
    assert refused.value.message_dict["sign"] == ["第 二.1 项立整立改，须上传该项的现场照片作为整改证据。"]
    assert rows() == before
    add_photo(inspection, officers[1], code="二.1")
    sign_inspection(by=officers[0], inspection=inspection)
    inspection = sign_inspection(by=officers[1], inspection=inspection)
    finding = Finding.objects.get(inspection=inspection)
    assert finding.state == FindingState.CLOSED and finding.closed_on == TODAY


def test_r_ins_6_withdrawing_a_signature_returns_the_record_to_draft(inspection, officers):
    first, second = officers
    answer_all(inspection, first)
    update_inspection_details(by=first, inspection=inspection, representative_name="李厂长")
    inspection = sign_inspection(by=first, inspection=inspection)
    assert inspection.state == InspectionState.SIGNING
    with pytest.raises(Conflict, match="您尚未签名"):
        withdraw_signature(by=second, inspection=inspection)
    # when
    inspection = withdraw_signature(by=first, inspection=inspection)
    # then
    assert inspection.state == InspectionState.DRAFT
    assert not inspection.officers.filter(signed_at__isnull=False).exists()
    assert not TodoItem.objects.filter(key__startswith="inspection-sign:", done_at__isnull=True).exists()
    save_answer(by=second, inspection=inspection, point=point(inspection, "一.1"), verdict="not_applicable")


def test_r_ins_6_an_amendment_keeps_the_record_and_says_before_after_author_and_reason(
    signed_inspection, officers
):
    target = point(signed_inspection, "四.3")
    record_hash = signed_inspection.record_hash
    # when
    amendment = add_amendment(
        by=officers[1],
        inspection=signed_inspection,
        field="note",
        point=target,
        after="危废贮存间地面未做防渗漏处理",
        reason="原记载措辞不准确",
    )
    # then
    assert (amendment.field, amendment.before, amendment.after, amendment.reason, amendment.author) == (
        "情况说明",
        NONCOMPLIANT_RECTIFY["note"],
        "危废贮存间地面未做防渗漏处理",
        "原记载措辞不准确",
        officers[1],
    )
    assert amendment.created_at is not None
    assert Answer.objects.get(inspection=signed_inspection, point=target).note == NONCOMPLIANT_RECTIFY["note"]
    assert Inspection.objects.get(pk=signed_inspection.pk).record_hash == record_hash


def test_r_ins_6_an_amendment_is_refused_on_a_draft_and_to_others(
    signed_inspection, facility, officers, approval_clerk, officer
):
    draft = start(facility, officers)
    before = rows()
    with pytest.raises(Conflict, match="检查记录尚未签署"):
        add_amendment(by=officer, inspection=draft, field="summary", after="补充", reason="补记")
    with pytest.raises(PermissionDenied, match="只有本次检查的执法人员或执法大队负责人"):
        add_amendment(
            by=approval_clerk, inspection=signed_inspection, field="summary", after="补充", reason="补记"
        )
    with pytest.raises(ValidationError) as refused:
        add_amendment(by=officer, inspection=signed_inspection, field="summary", after="补充", reason=" ")
    assert refused.value.message_dict == {"reason": ["请填写更正理由。"]}
    assert rows() == before


# R-INS-7, R-INS-8: findings, the ledger, the follow-up, linkage


def test_r_ins_8_a_follow_up_starts_from_the_last_answers_and_its_signature_closes_the_ledger_item(
    signed_inspection, officers
):
    finding = Finding.objects.get(inspection=signed_inspection)
    assert finding.rectification.closed_on is None
    assert TodoItem.objects.get(key=f"{FOLLOW_UP_TODO}{finding.pk}").done_at is None
    # when: the follow-up starts
    follow_up = start(
        signed_inspection.facility, officers, reason="follow_up", follow_up_of=signed_inspection
    )
    # then: pre-filled from the inspection it follows up, the disposition left to decide
    prefilled = Answer.objects.get(inspection=follow_up, point__code="四.3")
    assert (prefilled.verdict, prefilled.note, prefilled.finding_kind, prefilled.disposition) == (
        "noncompliant",
        NONCOMPLIANT_RECTIFY["note"],
        "other_duties",
        "",
    )
    assert follow_up.answers.count() == signed_inspection.answers.count()
    # when: found fixed and signed
    save_answer(by=officers[0], inspection=follow_up, point=point(follow_up, "四.3"), verdict="compliant")
    update_inspection_details(by=officers[0], inspection=follow_up, representative_name="李厂长")
    for officer in officers:
        follow_up = sign_inspection(by=officer, inspection=follow_up)
    # then: the finding and its ledger item are closed, the follow-up's to-do done
    finding.refresh_from_db()
    item = RectificationItem.objects.get(pk=finding.rectification_id)
    assert finding.state == FindingState.CLOSED and follow_up.number in finding.closing_note
    assert item.closed_on == TODAY and follow_up.number in item.closing_evidence
    assert TodoItem.objects.get(key=f"{FOLLOW_UP_TODO}{finding.pk}").done_at is not None


def test_r_ins_8_a_follow_up_of_another_facility_is_refused(
    signed_inspection, officers, town_b, approval_clerk
):
    elsewhere = FacilityFactory(n=3, town=town_b, by=approval_clerk)
    before = rows()
    with pytest.raises(ValidationError) as refused:
        start(elsewhere, officers, reason="follow_up", follow_up_of=signed_inspection)
    assert refused.value.message_dict == {"follow_up_of": ["所关联的复查的检查不属于该排污单位。"]}
    assert rows() == before


def test_r_ins_7_a_finding_starts_a_linkage_task_with_the_inspection_as_source(
    signed_inspection, officer, enforcement_head
):
    finding = Finding.objects.get(inspection=signed_inspection)
    # when
    task = start_task_from_finding(
        by=officer,
        finding=finding,
        receivers=["approval"],
        description="危废贮存与许可证载明不一致，请审批科核实",
        handler=officer,
        head=enforcement_head,
        started_on=TODAY,
    )
    # then
    assert (task.source_kind, task.source_key, task.initiator.code) == (
        "inspection",
        finding.source_key,
        "enforcement",
    )
    assert Finding.objects.get(pk=finding.pk).linkage_task == task
    before = rows()
    with pytest.raises(ValidationError, match=f"该问题已发起三监联动任务 {task.number}"):
        start_task_from_finding(
            by=officer,
            finding=finding,
            receivers=["approval"],
            description="再次发起",
            handler=officer,
            head=enforcement_head,
            started_on=TODAY,
        )
    assert rows() == before


# R-INS-10: cases


def test_r_ins_10_a_first_violation_corrected_in_time_is_not_penalised(
    facility, officers, legal_head, legal_clerk
):
    case = reviewed_case(facility, officers, legal_head, legal_clerk, "no_penalty")
    before = rows()
    with pytest.raises(ValidationError) as refused:
        cases.decide_case(
            by=officers[0],
            case=case,
            decision="no_penalty",
            decided_on=TODAY,
            no_penalty_ground="report_not_submitted",
            legal_basis="指导意见（十四）",
            first_violation=False,
            slight_harm=True,
            corrected_on=TODAY,
        )
    assert list(refused.value.message_dict) == ["first_violation"]
    assert rows() == before
    # when
    case = cases.decide_case(
        by=officers[0],
        case=case,
        decision="no_penalty",
        decided_on=TODAY,
        no_penalty_ground="report_not_submitted",
        legal_basis="指导意见（十四）",
        first_violation=True,
        slight_harm=True,
        corrected_on=TODAY - timedelta(days=1),
    )
    # then: decided without a penalty record, its finding closed
    assert (case.state, case.get_no_penalty_ground_display()) == (
        CaseState.DECIDED,
        "未按规定提交排污许可证执行报告",
    )
    assert case.penalty_record is None and not PenaltyRecord.objects.exists()
    assert case.findings.get().state == FindingState.CLOSED


def test_r_ins_10_a_case_transferred_to_the_police(facility, officers, legal_head, legal_clerk):
    case = reviewed_case(facility, officers, legal_head, legal_clerk, "transfer")
    with pytest.raises(ValidationError, match="移送公安机关须填写接收的公安机关"):
        cases.decide_case(by=officers[0], case=case, decision="transfer", decided_on=TODAY)
    case = cases.decide_case(
        by=officers[0], case=case, decision="transfer", decided_on=TODAY, police_office="普陀分局环食药侦支队"
    )
    assert (case.decision, case.police_office, case.transferred_on) == (
        "transfer",
        "普陀分局环食药侦支队",
        TODAY,
    )


def test_r_ins_10_reassigning_the_reviewer_moves_the_grant(facility, officers, legal_head, legal_clerk):
    inspection = signed(start(facility, officers), officers, 二_5=OVER_LIMIT)
    case = Finding.objects.get(inspection=inspection).case
    cases.submit_case(
        by=officers[0], case=case, proposed_decision="penalty", proposal="拟罚款", submitted_on=TODAY
    )
    second = StaffFactory(section_code=SectionCode.LEGAL, full_name="孙法制").user
    cases.assign_reviewer(by=legal_head, case=case, reviewer=legal_clerk)
    assert cases.is_reviewer(legal_clerk, case)
    with pytest.raises(PermissionDenied, match="法制审核人由法制科负责人指定"):
        cases.assign_reviewer(by=legal_clerk, case=case, reviewer=second)
    # when
    cases.assign_reviewer(by=legal_head, case=case, reviewer=second)
    # then
    assert cases.is_reviewer(second, case) and not cases.is_reviewer(legal_clerk, case)
    with pytest.raises(PermissionDenied, match="只有该案件的法制审核人"):
        cases.record_review(by=legal_clerk, case=case, approved=True, opinion="同意", reviewed_on=TODAY)
    assert TodoItem.objects.filter(user=second, key=f"case-review:{case.pk}", done_at__isnull=True).exists()


def test_r_ins_10_a_penalty_lands_in_the_penalty_records_and_a_revocation_in_the_permit(
    facility, officers, legal_head, legal_clerk
):
    case = reviewed_case(facility, officers, legal_head, legal_clerk, "penalty")
    # when
    case = cases.decide_case(
        by=officers[0],
        case=case,
        decision="penalty",
        decided_on=TODAY,
        decision_no="普环罚〔2026〕7号",
        penalty_amount=Decimal("80000"),
        revokes_permit=True,
    )
    # then
    record = PenaltyRecord.objects.get()
    assert (record.facility, record.decision_no, record.amount, record.decided_on) == (
        facility,
        "普环罚〔2026〕7号",
        Decimal("80000"),
        TODAY,
    )
    assert case.penalty_record == record and case.number in record.violation
    event = PermitEvent.objects.get(kind=PermitEventKind.REVOCATION)
    assert (event.permit, event.occurred_on, event.document_no) == (case.permit, TODAY, "普环罚〔2026〕7号")


def test_r_ins_10_a_revocation_without_a_valid_permit_is_refused(
    facility, officers, legal_head, legal_clerk, approval_clerk
):
    case = reviewed_case(facility, officers, legal_head, legal_clerk, "penalty")
    record_permit_event(
        by=approval_clerk, permit=facility.permits.get(), kind=PermitEventKind.CANCELLATION, occurred_on=TODAY
    )
    before = rows()
    with pytest.raises(ValidationError) as refused:
        cases.decide_case(
            by=officers[0],
            case=case,
            decision="penalty",
            decided_on=TODAY,
            decision_no="普环罚〔2026〕8号",
            penalty_amount=Decimal("50000"),
            revokes_permit=True,
        )
    assert refused.value.message_dict == {"revokes_permit": ["该排污单位没有有效的排污许可证可吊销。"]}
    assert rows() == before and Case.objects.get(pk=case.pk).state == CaseState.REVIEWED


# R-INS-11: interference records


def test_r_ins_11_a_town_may_not_record_interference(town_a_liaison):
    before = rows()
    with pytest.raises(PermissionDenied, match="插手干预记录由局机关工作人员填写"):
        record_interference(
            by=town_a_liaison, occurred_on=TODAY, interferer="某人", method="电话", detail="要求从轻处理"
        )
    assert rows() == before


def test_r_ins_11_any_bureau_officer_records_interference_once(officer, inspection):
    record = record_interference(
        by=officer,
        occurred_on=TODAY,
        interferer="某人",
        method="电话说情",
        detail="要求不予检查",
        inspection=inspection,
    )
    assert record.recorded_by == officer
    with pytest.raises(ValueError, match="不得修改"):
        record.save()


# The list's rows


def test_the_inspection_list_counts_each_inspections_findings_in_two_queries(
    signed_inspection, facility, officers, approval_clerk, django_assert_num_queries
):
    start(facility, officers)  # a draft, no findings yet
    # Expect 2 queries: the inspections with facility, town, checklist and finding count; their officers.
    with django_assert_num_queries(2):
        rows_shown = [
            (i.pk, i.finding_count, [o.name for o in i.officers.all()])
            for i in queries.inspection_list(approval_clerk)
        ]
    assert sorted((pk, count) for pk, count, _ in rows_shown) == [
        (signed_inspection.pk, 1),
        (signed_inspection.pk + 1, 0),
    ]
    assert all(len(names) == 2 for _, _, names in rows_shown)


# R-INS-1: checklist versions


def test_r_ins_1_a_revision_copies_publishing_retires_and_inspections_keep_their_version(
    administrator, inspection, facility, officers
):
    checklist = Checklist.objects.get(code="permit-holder")
    current = checklist.versions.get(state=VersionState.PUBLISHED)
    assert inspection.checklist_version == current
    # when: a revision is started, a point added, and published
    draft = checklists.start_revision(by=administrator, checklist=checklist, note="增加执行报告真实性")
    assert list(draft.points.order_by("part__order", "order").values_list("code", "text")) == list(
        current.points.order_by("part__order", "order").values_list("code", "text")
    )
    part = draft.parts.get(order=4)
    checklists.save_point(by=administrator, part=part, code="四.5", text="执行报告和公开信息是否真实。")
    checklists.publish(by=administrator, version=draft)
    # then: the old version is retired and frozen; the inspection keeps it; a new one uses the new
    current.refresh_from_db()
    assert current.state == VersionState.RETIRED
    before = rows()
    with pytest.raises(Conflict, match="已发布或已停用的版本不得修改"):
        checklists.save_point(by=administrator, part=current.parts.get(order=4), code="四.6", text="新增")
    with pytest.raises(Conflict, match="已发布或已停用的版本不得修改"):
        checklists.save_point(by=administrator, part=part, code="四.6", text="新增")
    assert rows() == before
    assert Inspection.objects.get(pk=inspection.pk).checklist_version == current
    later = start(facility, officers)
    assert later.checklist_version == draft and later.checklist_version.points.count() == 18


def test_r_ins_1_only_the_administrator_edits_checklists(officer):
    with pytest.raises(PermissionDenied, match="检查清单由系统管理员维护"):
        checklists.start_revision(by=officer, checklist=Checklist.objects.get(code="permit-holder"))
