"""Findings (R-INS-7, R-INS-8; 001 二; 004 三): every 不符合 of a signed inspection becomes a finding of
one of the four classes, disposed of as the officers chose on the form:

- 立整立改: fixed on the spot, closed at once with the note and the point's photos as evidence;
- 限期整改: an item on the one rectification ledger with its deadline in working days, and a
  follow-up inspection on 执法大队's to-do list for that day; the follow-up closes it (``close_by_follow_up``);
- 立案查处: one case per inspection for all such findings, to legal review (``services.cases``).

A finding another department must act on starts a 三监联动 task through the linkage service. A finding
marked as secret discharge, tampering or evading supervision takes the unit off the enforcement positive
list at once (R-POS-1; 002 十二), through ``bureau.positive_list``, in the signature's transaction.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from bureau import history, positive_list
from bureau.models import User
from bureau.services import section
from bureau.todo import add_todo, complete_todo
from inspections import rules
from inspections.models import (
    Conduct,
    Disposition,
    Finding,
    FindingKind,
    FindingState,
    Inspection,
    InspectionState,
    Verdict,
)
from inspections.services.cases import open_case_for_findings
from inspections.services.common import require_section
from linkage.models import LinkageTask, SourceKind
from linkage.services.tasks import DEFAULT_DEADLINE_WORKDAYS, start_linkage_task
from permits.models import RectificationSource
from permits.services.rectification import close_item_from_source, open_rectification_item

FOLLOW_UP_TODO = "inspection-follow-up:"


def make_findings(*, inspection: Inspection, by: User) -> list[Finding]:
    """Turn the 不符合 answers of ``inspection``, just signed, into findings and dispose of each; then
    close what this inspection followed up and found fixed. Runs inside the signature's transaction."""
    made = []
    to_case = []
    brigade = None  # whose to-do list the follow-ups go on, read once when the first is needed
    url = reverse("inspections:inspection-detail", args=[inspection.pk])
    answers = inspection.answers.filter(verdict=Verdict.NONCOMPLIANT).select_related("point")
    for answer in answers.order_by("point__part__order", "point__order"):
        finding = Finding(
            inspection=inspection,
            answer=answer,
            facility=inspection.facility,
            found_on=inspection.inspected_on,
            kind=answer.finding_kind,
            description=answer.note,
            disposition=answer.disposition,
            conduct=answer.conduct,
        )
        if answer.disposition == Disposition.ON_THE_SPOT:
            finding.state = FindingState.CLOSED
            finding.closed_on = inspection.inspected_on
            finding.closing_note = "现场立整立改，整改情况见情况说明和现场照片。"
        history.save(finding, by=by, reason=f"现场检查 {inspection.number} 第 {answer.point.code} 项不符合")
        if finding.conduct:
            drop_from_positive_list(finding)
        if answer.disposition == Disposition.RECTIFICATION:
            finding.rectification = open_rectification_item(
                by=by,
                facility=inspection.facility,
                source_kind=RectificationSource.INSPECTION,
                source_key=finding.source_key,
                source_label=f"{inspection.number} 第 {answer.point.code} 项",
                source_url=url,
                category=finding.kind,
                category_label=FindingKind(finding.kind).label,
                description=answer.note,
                found_on=inspection.inspected_on,
                responsible_person=answer.responsible_person,
                deadline_workdays=answer.deadline_workdays,
            )
            history.save(finding, by=by, reason="列入整改台账")
            add_todo(
                key=f"{FOLLOW_UP_TODO}{finding.pk}",
                title=f"整改复查：{inspection.facility.name} 第 {answer.point.code} 项（{inspection.number}）",
                url=reverse("inspections:inspection-new") + f"?follow_up_of={inspection.pk}",
                due_on=finding.rectification.deadline_on,
                section=(brigade := brigade or section(rules.INSPECTING_SECTION)),
            )
        elif answer.disposition == Disposition.CASE:
            to_case.append(finding)
        made.append(finding)
    if to_case:
        open_case_for_findings(inspection=inspection, findings=to_case, by=by)
    if inspection.follow_up_of_id:
        close_by_follow_up(follow_up=inspection, by=by)
    return made


def drop_from_positive_list(finding: Finding) -> bool:
    """R-POS-1 (002 十二 及时移出): the unit of a finding marked as secret discharge, tampering or evading
    supervision leaves the positive list from the day it was found, the finding as the reason. Returns
    whether it was on the list."""
    label = Conduct(finding.conduct).label
    return positive_list.drop_at_once(
        finding.facility_id,
        on=finding.found_on,
        reason=f"检查 {finding.inspection.number} 发现：{label}",
        url=reverse("inspections:inspection-detail", args=[finding.inspection_id])
        + f"#point-{finding.answer.point_id}",
    )


def close_by_follow_up(*, follow_up: Inspection, by: User) -> list[Finding]:
    """The findings of the inspection ``follow_up`` followed up, on the ledger and still open, whose
    point it found 符合: closed, with their ledger items (R-INS-8: followed up to 销号)."""
    verdicts = {a.point.code: a.verdict for a in follow_up.answers.select_related("point")}
    closed = []
    findings = Finding.objects.filter(
        inspection=follow_up.follow_up_of_id,
        disposition=Disposition.RECTIFICATION,
        state=FindingState.OPEN,
    ).select_related("answer__point", "rectification")
    for finding in findings:
        code = finding.answer.point.code
        if verdicts.get(code) != Verdict.COMPLIANT:
            continue
        evidence = f"整改复查（{follow_up.number}，{follow_up.inspected_on:%Y-%m-%d}）第 {code} 项符合。"
        if finding.rectification and finding.rectification.closed_on is None:
            close_item_from_source(
                by=by, item=finding.rectification, closed_on=follow_up.inspected_on, evidence=evidence
            )
        finding.state, finding.closed_on, finding.closing_note = (
            FindingState.CLOSED,
            follow_up.inspected_on,
            evidence,
        )
        history.save(finding, by=by, reason=evidence)
        complete_todo(key=f"{FOLLOW_UP_TODO}{finding.pk}", by=by)
        closed.append(finding)
    return closed


@transaction.atomic
def start_task_from_finding(
    *,
    by: User,
    finding: Finding,
    receivers: list[str],
    description: str,
    handler: User,
    head: User,
    started_on: date,
    deadline_workdays: int = DEFAULT_DEADLINE_WORKDAYS,
    remarks: str = "",
) -> LinkageTask:
    """Hand a finding another department must act on to 三监联动 (R-LNK-1): a task started by
    执法大队 with the finding as its source. One task per finding."""
    require_section(by, rules.INSPECTING_SECTION, "只有执法大队可以就检查发现的问题发起三监联动任务。")
    finding = (
        Finding.objects.select_for_update().select_related("inspection", "answer__point").get(pk=finding.pk)
    )
    if finding.inspection.state != InspectionState.SIGNED:
        raise ValidationError({"finding": "检查记录签署后才能发起联动任务。"})
    if finding.linkage_task_id:
        raise ValidationError({"finding": f"该问题已发起三监联动任务 {finding.linkage_task.number}。"})
    task = start_linkage_task(
        by=by,
        initiator=rules.INSPECTING_SECTION,
        receivers=receivers,
        description=description,
        handler=handler,
        head=head,
        started_on=started_on,
        facility=finding.facility,
        remarks=remarks,
        deadline_workdays=deadline_workdays,
        source_kind=SourceKind.INSPECTION,
        source_key=finding.source_key,
        source_url=reverse("inspections:inspection-detail", args=[finding.inspection_id]),
        source_label=f"现场检查 {finding.inspection.number} 第 {finding.answer.point.code} 项",
    )
    finding.linkage_task = task
    history.save(finding, by=by, reason=f"发起三监联动任务 {task.number}")
    return task
