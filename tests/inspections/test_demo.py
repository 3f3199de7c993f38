"""The inspections demo (``inspections.demo``) shows what issue 10 asks to see: signed inspections with
findings of each class of 004 三 and each disposition, a follow-up that closed a rectification, a case
fined after 法制科's review, one not penalised under 002 十四, one waiting for ``legal``, today's draft on
the officer's phone, an interference record; and a second seed changes nothing. One seed of the whole
demo answers every question (seeding costs seconds)."""

from collections import Counter
from datetime import date

import pytest
from django.core.management import call_command
from django.test import override_settings

from bureau.models import User
from inspections import queries, rules
from inspections.models import (
    AnnualPlan,
    Answer,
    Case,
    CaseState,
    CheckMode,
    DrawItem,
    DrawOfficer,
    DrawState,
    Finding,
    FindingState,
    Inspection,
    InspectionState,
    InterferenceRecord,
    ItemState,
    MonthPlan,
    MonthPlanEntry,
    OfficerConflict,
    Photo,
    PlanItem,
    RandomDraw,
)
from inspections.services import draws
from inspections.services.cases import is_reviewer
from inspections.services.inspections import record_content
from linkage.models import LinkageTask
from permits.models import PenaltyRecord, RectificationItem

pytestmark = pytest.mark.today(date(2026, 6, 15))


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Photos are written to a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (
            Inspection,
            Answer,
            Photo,
            Finding,
            Case,
            InterferenceRecord,
            PenaltyRecord,
            RectificationItem,
            LinkageTask,
        )
    }


@pytest.fixture
def demo(db, today):
    with override_settings(DEBUG=True):
        call_command("seed_demo")
    return today


def user(username):
    return User.objects.get(username=username)


def test_r_ins_6_to_11_the_demo_shows_every_stage_and_a_second_seed_changes_nothing(demo):
    today = demo
    signed = list(Inspection.objects.filter(state=InspectionState.SIGNED).select_related("facility"))
    # signed by both demo officers, dated on working days before today, hashed as the record reads
    assert len(signed) >= 4
    for inspection in signed:
        assert [o.officer.username for o in inspection.officers.order_by("order")] == [
            "enforcement",
            "enforcement2",
        ]
        assert inspection.inspected_on < today
        assert inspection.record_hash == rules.record_digest(record_content(inspection))
    # a facility of each kind, with the checklist of its kind (R-INS-1, R-INS-2)
    kinds = {(i.facility.management_level, i.checklist_version.checklist.applies_to) for i in signed}
    assert {
        ("key", "permit_holders"),
        ("simplified", "permit_holders"),
        ("registered", "registered"),
    } <= kinds

    # findings of the four classes of 004 三 and each disposition (R-INS-7, R-INS-8)
    found = list(Finding.objects.select_related("answer__point", "rectification", "case"))
    assert {f.kind for f in found} == set(rules.FINDING_KINDS)
    assert Counter(f.disposition for f in found).keys() == set(rules.DISPOSITIONS)
    on_the_spot = next(f for f in found if f.disposition == "on_the_spot")
    assert on_the_spot.state == FindingState.CLOSED
    assert Photo.objects.filter(inspection=on_the_spot.inspection, point=on_the_spot.answer.point).exists()
    rectified = [f for f in found if f.disposition == "rectification"]
    closed = [f for f in rectified if f.state == FindingState.CLOSED]
    assert len(closed) == 1 and closed[0].rectification.closed_on is not None
    follow_up = Inspection.objects.get(follow_up_of=closed[0].inspection)
    assert follow_up.is_signed and follow_up.number in closed[0].closing_note
    assert any(f.rectification.closed_on is None and f.rectification.deadline_on > today for f in rectified)

    # the cases: fined after the review ``legal_head`` gave to ``legal``; not penalised under 002 十四;
    # one waiting for ``legal`` (R-INS-10)
    fined = Case.objects.get(decision="penalty")
    assert fined.reviewer == user("legal") and fined.reviewed_on <= fined.decided_on < today
    assert fined.penalty_record.decision_no == fined.decision_no and fined.penalty_record.amount > 0
    spared = Case.objects.get(decision="no_penalty")
    assert spared.no_penalty_ground == "report_not_submitted" and spared.legal_basis
    assert spared.corrected_on <= spared.decided_on and spared.penalty_record is None
    waiting = Case.objects.get(state=CaseState.UNDER_REVIEW)
    assert is_reviewer(user("legal"), waiting) and not is_reviewer(user("legal_head"), waiting)
    assert waiting.findings.get().kind == "unlicensed"
    task = LinkageTask.objects.get(source_kind="inspection")
    assert task.source_key == waiting.findings.get().source_key

    # today's draft, on the officer's phone, some points answered and a photo in
    draft = queries.my_inspections(user("enforcement2")).get(state=InspectionState.DRAFT)
    assert draft.inspected_on == today
    assert 0 < draft.answers.count() < draft.checklist_version.points.count()
    assert draft.photos.count() == 1 and draft.photos.get().taken_at_source == "exif"

    # one interference record, seen by leadership and 法制科 only (R-INS-11)
    record = InterferenceRecord.objects.get()
    assert record.case == fined and record.occurred_on < today
    assert queries.visible_interference(user("leadership")).count() == 1
    assert queries.visible_interference(user("enforcement")).count() == 0

    # a second seed creates nothing twice
    before = counts()
    with override_settings(DEBUG=True):
        call_command("seed_demo")
    assert counts() == before


def test_r_ins_3_and_r_ins_5_the_demo_has_an_adopted_plan_a_month_plan_and_draws(demo):
    today = demo
    # the year's plan computed from the rules and adopted by 法制科; this month's plan made
    plan = AnnualPlan.objects.get(year=today.year)
    assert plan.is_adopted and plan.adopted_by == user("legal") and plan.document_no
    assert (
        plan.items.filter(state=ItemState.DONE).exists() and plan.items.filter(state=ItemState.OPEN).exists()
    )
    month = MonthPlan.objects.get(year=today.year, month=today.month)
    assert month.item_count == month.entries.count() > 0
    # one draw drawn and public, a drawn unit inspected by its pair with its result published
    drawn = RandomDraw.objects.get(state=DrawState.DRAWN)
    assert draws.is_public(drawn, today) and drawn.items.count() >= 1
    inspected = drawn.items.get(inspection__isnull=False)
    assert inspected.inspection.is_signed and inspected.inspection.reason == "random_draw"
    assert inspected.result_published_on == today and inspected.plan_item.state == ItemState.DONE
    # one committed, a remote check whose selection is sealed until its date; one officer's conflict
    committed = RandomDraw.objects.get(state=DrawState.COMMITTED)
    assert committed.mode == CheckMode.REMOTE and not draws.is_public(committed, today)
    assert committed.inspect_from > today and not committed.items.exists()
    conflict = OfficerConflict.objects.get(is_active=True)
    assert conflict.officer == user("enforcement2")
    assert DrawOfficer.objects.filter(draw=committed, user=conflict.officer).exists()
    # a second seed creates nothing twice
    before = [m.objects.count() for m in (RandomDraw, DrawItem, OfficerConflict, MonthPlanEntry, PlanItem)]
    with override_settings(DEBUG=True):
        call_command("seed_demo")
    assert [
        m.objects.count() for m in (RandomDraw, DrawItem, OfficerConflict, MonthPlanEntry, PlanItem)
    ] == before
