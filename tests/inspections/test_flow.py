"""The whole way of an inspection through the services: started by two officers, answered, a photo
with its receipt, signed by both, its findings on the ledger and in a case, the case through legal
review to a penalty that revokes the permit (R-INS-6, R-INS-7, R-INS-8, R-INS-10)."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bureau.errors import Conflict
from inspections.models import CaseState, Finding, InspectionState
from inspections.services import cases
from inspections.services.inspections import save_answer, sign_inspection, update_inspection_details
from permits.models import PenaltyRecord, PermitEventKind, RectificationItem
from tests.factories.inspections import NONCOMPLIANT_RECTIFY, add_photo, answer_all, jpeg_bytes, point, start

pytestmark = pytest.mark.today(date(2026, 6, 15))


def test_r_ins_6_r_ins_8_r_ins_10_inspection_to_penalty(facility, officers, legal_clerk, legal_head):
    first, second = officers
    inspection = start(facility, officers)
    assert inspection.number == "JC-2026-0001" and inspection.state == InspectionState.DRAFT
    answer_all(
        inspection,
        first,
        二_3=NONCOMPLIANT_RECTIFY,
        二_5={
            "verdict": "noncompliant",
            "note": "废气排放口颗粒物超许可浓度",
            "finding_kind": "permit_violation",
            "disposition": "case",
        },
    )
    photo = add_photo(
        inspection,
        second,
        code="二.5",
        content=jpeg_bytes(taken=__import__("datetime").datetime(2026, 6, 15, 9, 30)),
    )
    assert len(photo.sha256) == 64 and photo.taken_at_source == "exif"
    update_inspection_details(by=first, inspection=inspection, representative_name="李厂长")
    inspection = sign_inspection(by=first, inspection=inspection)
    assert inspection.state == InspectionState.SIGNING
    with pytest.raises(Conflict):
        save_answer(by=second, inspection=inspection, point=point(inspection, "一.1"), verdict="compliant")
    inspection = sign_inspection(by=second, inspection=inspection)
    assert inspection.state == InspectionState.SIGNED and len(inspection.record_hash) == 64

    rectified = Finding.objects.get(answer__point__code="二.3")
    item = RectificationItem.objects.get(pk=rectified.rectification_id)
    assert item.source_key == f"inspections.finding:{rectified.pk}" and item.deadline_workdays == 10
    case = Finding.objects.get(answer__point__code="二.5").case
    assert case.state == CaseState.INVESTIGATING and case.number == "AJ-2026-0001"

    cases.submit_case(
        by=first,
        case=case,
        proposed_decision="penalty",
        proposal="建议罚款并吊销",
        submitted_on=date(2026, 6, 15),
    )
    with pytest.raises(PermissionDenied):
        cases.record_review(
            by=legal_clerk, case=case, approved=True, opinion="同意", reviewed_on=date(2026, 6, 15)
        )
    cases.assign_reviewer(by=legal_head, case=case, reviewer=legal_clerk)
    cases.record_review(
        by=legal_clerk, case=case, approved=True, opinion="事实清楚，同意", reviewed_on=date(2026, 6, 15)
    )
    with pytest.raises(ValidationError):
        cases.decide_case(by=first, case=case, decision="no_penalty", decided_on=date(2026, 6, 15))
    case = cases.decide_case(
        by=first,
        case=case,
        decision="penalty",
        decided_on=date(2026, 6, 15),
        decision_no="普环罚〔2026〕1号",
        penalty_amount=Decimal("100000"),
        revokes_permit=True,
    )
    assert case.state == CaseState.DECIDED
    assert PenaltyRecord.objects.get(decision_no="普环罚〔2026〕1号").facility == facility
    assert case.permit.events.filter(kind=PermitEventKind.REVOCATION).exists()
