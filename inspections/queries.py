"""Reads of inspections, findings, cases and interference records that pages, the API and the PDF
share, scoped to the viewer (R-ORG-1, R-ORG-3, R-INS-11) and shaped so a page costs a fixed number of
queries.

- Inspections and findings: every section of the bureau reads them (R-ORG-2); a town reads those of
  its own facilities.
- Cases: 执法大队, 法制科 and 局领导 (``rules.CASE_SECTIONS``).
- Interference records: 局领导 and 法制科 only; for everyone else they do not exist (404, never 403).
"""

from datetime import date
from decimal import Decimal

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import Http404
from django.urls import reverse

from bureau.access import Viewer
from bureau.todo import Line
from bureau.web import record_id
from inspections import rules
from inspections.models import (
    Amendment,
    Answer,
    Case,
    CaseDecision,
    CaseOfficer,
    Checklist,
    ChecklistPart,
    ChecklistPoint,
    ChecklistVersion,
    CheckMode,
    Disposition,
    Finding,
    Inspection,
    InspectionOfficer,
    InspectionState,
    InterferenceRecord,
    Photo,
)
from permits.models import EmissionLimit, Facility, Outlet, Permit
from permits.queries import visible_facilities, with_state


def visible_inspections(user) -> QuerySet[Inspection]:
    """Inspections ``user`` may read: all for the bureau's sections; for a town, the signed records of
    its own facilities (R-ORG-3), never one still being filled (a random check is not announced)."""
    viewer = Viewer.of(user)
    inspections = viewer.within_jurisdiction(Inspection.objects.all(), "facility__town_id")
    return inspections.filter(state=InspectionState.SIGNED) if viewer.is_town else inspections


def inspection_list(user) -> QuerySet[Inspection]:
    """Inspections with what a list row shows: one query, plus one for the officers of a page.
    ``finding_count`` is a correlated subquery, not a ``Count`` over a join: a GROUP BY would make
    the database count the findings of every inspection before it can take a page (0.6–1.2 s at
    20,000 inspections against 25 ms, tests/bench/test_inspections_bench.py)."""
    findings = (
        Finding.objects.filter(inspection=OuterRef("pk"))
        .order_by()
        .values("inspection")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        visible_inspections(user)
        .select_related("facility__town", "checklist_version__checklist")
        .prefetch_related(Prefetch("officers", InspectionOfficer.objects.order_by("order")))
        .annotate(finding_count=Coalesce(Subquery(findings, output_field=IntegerField()), 0))
    )


def my_inspections(user) -> QuerySet[Inspection]:
    """The inspections ``user`` is an officer of (their own list: today, drafts, to sign)."""
    return inspection_list(user).filter(officers__officer=user)


def inspection_for_user(user, pk) -> Inspection:
    """The inspection, or 404 alike for "does not exist" and "not yours to see"."""
    try:
        return visible_inspections(user).select_related("facility__town").get(pk=pk)
    except (Inspection.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404("未找到该现场检查。") from None


def checklist_parts(version_id: int) -> list[ChecklistPart]:
    """The parts of a version with their points, in order (two queries)."""
    return list(
        ChecklistPart.objects.filter(version_id=version_id)
        .order_by("order")
        .prefetch_related(Prefetch("points", ChecklistPoint.objects.order_by("order")))
    )


def inspection_detail(user, pk) -> Inspection:
    """An inspection with everything its record shows, in a fixed number of queries: the checklist's
    parts and points, each point's ``answer``, its ``photos`` and ``amendments``, the officers, the
    findings with their ledger items, cases and tasks, and ``last_answers`` (the facility's previous
    signed inspection, by point code)."""
    inspection = (
        visible_inspections(user)
        .select_related(
            "facility__town",
            "facility__key_industry",
            "checklist_version__checklist",
            "complaint",
            "linkage_task",
            "report_lead",
            "permit",
            "follow_up_of",
            "created_by",
        )
        .filter(pk=record_id(pk))
        .first()
        if record_id(pk)
        else None
    )
    if inspection is None:
        raise Http404("未找到该现场检查。")
    inspection.officer_list = list(inspection.officers.select_related("officer").order_by("order"))
    answers = {a.point_id: a for a in Answer.objects.filter(inspection=inspection)}
    photos = list(
        Photo.objects.filter(inspection=inspection).select_related("point").order_by("received_at", "id")
    )
    amendments = list(Amendment.objects.filter(inspection=inspection).select_related("point", "author"))
    inspection.part_list = checklist_parts(inspection.checklist_version_id)
    previous = last_answers(inspection)
    for part in inspection.part_list:
        for point in part.points.all():
            point.answer = answers.get(point.pk)
            point.photo_list = [p for p in photos if p.point_id == point.pk]
            point.amendment_list = [a for a in amendments if a.point_id == point.pk]
            point.last = previous.get(point.code)
    inspection.photo_list = photos
    inspection.general_photos = [p for p in photos if p.point_id is None]
    inspection.amendment_list = amendments
    inspection.finding_list = list(
        Finding.objects.filter(inspection=inspection)
        .select_related("answer__point", "rectification", "case", "linkage_task")
        .order_by("answer__point__part__order", "answer__point__order")
    )
    return inspection


def last_answers(inspection: Inspection) -> dict[str, Answer]:
    """The answers of ``inspection``'s facility's last signed inspection before it, by point code,
    each with ``inspection_number`` and ``inspected_on`` of that inspection (one or two queries)."""
    previous = (
        Inspection.objects.filter(facility_id=inspection.facility_id, state=InspectionState.SIGNED)
        .exclude(pk=inspection.pk)
        .filter(
            Q(inspected_on__lt=inspection.inspected_on)
            | Q(inspected_on=inspection.inspected_on, pk__lt=inspection.pk)
        )
        .order_by("-inspected_on", "-pk")
        .first()
    )
    if previous is None:
        return {}
    answers = {}
    for answer in Answer.objects.filter(inspection=previous).select_related("point"):
        answer.inspection_number, answer.inspected_on = previous.number, previous.inspected_on
        answers[answer.point.code] = answer
    return answers


def permit_data(facility: Facility, today) -> dict[str, list[str]]:
    """What the registry holds that the points concern (``PermitData``), as lines to show beside each
    point: the permits valid today, their outlets, limits and self-monitoring duties, registrations.
    A fixed number of queries."""
    permits = list(
        with_state(Permit.objects.filter(facility=facility), today)
        .filter(state="valid")
        .prefetch_related(
            Prefetch(
                "outlets",
                Outlet.objects.order_by("code").prefetch_related(
                    Prefetch("limits", EmissionLimit.objects.order_by("pollutant"))
                ),
            )
        )
    )
    data = {"permit": [], "outlets": [], "limits": [], "monitoring": [], "registration": []}
    for permit in permits:
        data["permit"].append(
            f"{permit.number}（{permit.get_management_level_display()}，有效期 {permit.valid_from:%Y-%m-%d} 至 {permit.valid_until:%Y-%m-%d}）"
        )
        for outlet in permit.outlets.all():
            data["outlets"].append(
                f"{outlet.code} {outlet.get_kind_display()}{('·' + outlet.name) if outlet.name else ''}{('，' + outlet.location) if outlet.location else ''}"
            )
            for limit in outlet.limits.all():
                parts = []
                if limit.concentration is not None:
                    parts.append(f"{limit.concentration:g} {limit.unit}")
                if limit.annual_quantity is not None:
                    parts.append(f"年许可排放量 {limit.annual_quantity:g} 吨")
                data["limits"].append(f"{outlet.code} {limit.pollutant}：{'，'.join(parts) or '—'}")
        data["monitoring"].append(f"{permit.number}：执行报告频次为{permit.get_report_frequency_display()}")
    if not permits:
        data["permit"].append("无有效的排污许可证。")
    data["monitoring"].append("安装自动监控设备" if facility.has_auto_monitoring else "未登记自动监控设备")
    # The registry holds no self-monitoring plan yet: say so rather than pass something else off as one.
    data["monitoring"].append("信息库未登记自行监测方案，请现场核对许可证副本载明的自行监测要求")
    data["registration"] = [
        f"{r.receipt_no}（{r.registered_on:%Y-%m-%d} 登记{('，有效期至 ' + format(r.valid_until, '%Y-%m-%d')) if r.valid_until else ''}）"
        for r in facility.registrations.order_by("-registered_on")
    ] or ["无排污登记。"]
    return data


def visible_findings(user) -> QuerySet[Finding]:
    """Findings ``user`` may read, scoped like the inspections they come from."""
    return Viewer.of(user).within_jurisdiction(Finding.objects.all(), "facility__town_id")


def finding_list(user) -> QuerySet[Finding]:
    """Findings with what a list row shows (one query for a page)."""
    return visible_findings(user).select_related(
        "inspection", "facility", "answer__point", "rectification", "case", "linkage_task"
    )


def visible_cases(user) -> QuerySet[Case]:
    """Cases for 执法大队, 法制科 and 局领导 (``rules.CASE_SECTIONS``); none for anyone else."""
    if Viewer.of(user).in_sections(rules.CASE_SECTIONS):
        return Case.objects.all()
    return Case.objects.none()


def case_list(user) -> QuerySet[Case]:
    """Cases with what a list row shows, each with ``finding_count``."""
    return (
        visible_cases(user).select_related("facility", "reviewer").annotate(finding_count=Count("findings"))
    )


def case_for_user(user, pk) -> Case:
    """The case, or 404 alike for "does not exist" and "not yours to see"."""
    try:
        return (
            visible_cases(user)
            .select_related("facility", "reviewer", "opened_by", "penalty_record", "permit")
            .get(pk=pk)
        )
    except (Case.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404("未找到该案件。") from None


def case_detail(user, pk) -> Case:
    """A case with its officers and findings, for its page."""
    case = case_for_user(user, pk)
    case.officer_list = list(case.officers.all())
    case.finding_list = list(case.findings.select_related("inspection", "answer__point"))
    return case


def visible_interference(user) -> QuerySet[InterferenceRecord]:
    """Interference records for 局领导 and 法制科; an empty set for everyone else, the administrator
    included (R-INS-11)."""
    viewer = Viewer.of(user)
    if viewer.is_superuser or not rules.may_read_interference(viewer.section_code):
        return InterferenceRecord.objects.none()
    return InterferenceRecord.objects.select_related("inspection", "case", "recorded_by")


def facility_inspections(user, facility: Facility) -> list[Inspection]:
    """The facility page's panel: its inspections the user may see (a town only its own facilities'),
    newest first, each with ``finding_count``. One query."""
    return list(
        visible_inspections(user)
        .filter(facility=facility)
        .annotate(finding_count=Count("findings"))
        .order_by("-inspected_on", "-id")
    )


def inspection_answers(inspection: Inspection) -> QuerySet[Answer]:
    """The saved answers of ``inspection`` in the checklist's order, with their points (one query)."""
    return (
        Answer.objects.filter(inspection=inspection)
        .select_related("point")
        .order_by("point__part__order", "point__order")
    )


def inspection_photos(inspection: Inspection) -> QuerySet[Photo]:
    """The photos ``inspection`` has received, in the order they arrived, with their points (one query)."""
    return Photo.objects.filter(inspection=inspection).select_related("point").order_by("received_at", "id")


# Cases, interference records and checklist administration (pages of issue 10) ------------------------


def case_candidates(user, facility_id=None) -> QuerySet[Finding]:
    """Findings a case may rest on (R-INS-10): of signed inspections, in no case yet, visible to
    ``user``; of one facility when given. With what the 立案 form shows of each (one query)."""
    findings = visible_findings(user).filter(case__isnull=True, inspection__state=InspectionState.SIGNED)
    if facility_id is not None:
        findings = findings.filter(facility_id=facility_id)
    return findings.select_related("inspection", "answer__point", "facility").order_by(
        "-found_on", "inspection_id", "answer__point__part__order", "answer__point__order"
    )


def case_candidate_facilities(user) -> QuerySet[Facility]:
    """The facilities with findings a case may rest on, each with ``candidate_count`` (one query)."""
    return (
        visible_facilities(user)
        .filter(pk__in=case_candidates(user).values("facility_id"))
        .annotate(
            candidate_count=Count(
                "inspections__findings",
                filter=Q(inspections__findings__case__isnull=True, inspections__state=InspectionState.SIGNED),
            )
        )
        .order_by("name")
    )


def case_path(case: Case) -> list:
    """The case's history rows, oldest first, with who acted and the reviewer named then: its path
    through 立案, 提请法制审核, each round of 法制审核 and the decision (one query)."""
    return list(
        case.history.select_related("history_user", "reviewer").order_by("history_date", "history_id")
    )


def checklist_overview() -> list:
    """Every checklist with its versions, newest first, each with ``inspection_count``: how many
    inspections used it (two queries)."""
    versions = ChecklistVersion.objects.annotate(inspection_count=Count("inspections")).order_by("-number")
    return list(
        Checklist.objects.select_related("key_industry").prefetch_related(Prefetch("versions", versions))
    )


def checklist_version(pk) -> ChecklistVersion:
    """A version with its checklist and ``inspection_count``, or 404."""
    try:
        return (
            ChecklistVersion.objects.select_related("checklist", "published_by")
            .annotate(inspection_count=Count("inspections"))
            .get(pk=pk)
        )
    except (ChecklistVersion.DoesNotExist, ValueError, TypeError):
        raise Http404("未找到该检查清单版本。") from None


def checklist_versions() -> QuerySet[ChecklistVersion]:
    """Checklist versions with their checklist, key industry, parts and points in order, as the API
    lists them: one query for a page of versions, one for their parts, one for the parts' points."""
    return ChecklistVersion.objects.select_related("checklist__key_industry").prefetch_related(
        Prefetch(
            "parts",
            ChecklistPart.objects.order_by("order").prefetch_related(
                Prefetch("points", ChecklistPoint.objects.order_by("order"))
            ),
        )
    )


def inspection_list_with_sources(user) -> QuerySet[Inspection]:
    """``inspection_list`` with the record each reason links to (the API names it in every row)."""
    return inspection_list(user).select_related(
        "complaint", "linkage_task", "report_lead", "permit", "follow_up_of"
    )


def case_list_with_parts(user) -> QuerySet[Case]:
    """``case_list`` with each case's officers (``officer_list``) and findings (``finding_list``) as
    ``case_detail`` gives them: one query for a page of cases, one for their officers, one for their
    findings."""
    return (
        case_list(user)
        .select_related("permit")
        .prefetch_related(
            Prefetch("officers", CaseOfficer.objects.all(), to_attr="officer_list"),
            Prefetch(
                "findings",
                Finding.objects.select_related("inspection", "answer__point"),
                to_attr="finding_list",
            ),
        )
    )


def reason_source(inspection: Inspection) -> dict:
    """The record ``inspection``'s reason links to, as pages, the API and the PDF name it: ``kind``
    (the reason), ``id`` of the linked record (None for a draw, a plan or a campaign) and ``label``.
    No query where the sources are loaded (``inspection_detail``, ``inspection_list_with_sources``)."""
    linked = {
        "complaint": (inspection.complaint_id, lambda: f"信访投诉 {inspection.complaint.number}"),
        "linkage_task": (
            inspection.linkage_task_id,
            lambda: f"三监联动任务 {inspection.linkage_task.number}",
        ),
        "report_lead": (inspection.report_lead_id, lambda: f"执行报告线索：{inspection.report_lead.summary}"),
        "new_permit": (inspection.permit_id, lambda: f"排污许可证 {inspection.permit.number}"),
        "follow_up": (
            inspection.follow_up_of_id,
            lambda: (
                f"整改复查 {inspection.follow_up_of.number}（{inspection.follow_up_of.inspected_on:%Y-%m-%d} 检查）"
            ),
        ),
    }
    record_id, label = linked.get(inspection.reason, (None, None))
    if record_id is not None:
        return {"kind": inspection.reason, "id": record_id, "label": label()}
    return {"kind": inspection.reason, "id": None, "label": inspection.source_reference}


def my_drafts_waiting(user, today) -> list[Line]:
    """The home page's 待办 of an officer: their inspections still being filled (one query; none for
    anyone outside 执法大队). Those waiting for their signature are stored to-do items already."""
    if Viewer.of(user).section_code != rules.INSPECTING_SECTION:
        return []
    drafts = (
        Inspection.objects.filter(officers__officer=user, state=InspectionState.DRAFT)
        .select_related("facility")
        .order_by("inspected_on", "id")
    )
    return [
        Line(
            kind="现场检查填写中",
            title=f"现场检查 {i.number}（{i.facility.name}，{i.inspected_on:%Y-%m-%d}）填写中",
            url=reverse("inspections:inspection-form", args=[i.pk]),
            due_on=i.inspected_on,
        )
        for i in drafts
    ]


def period_counts(start: date, end: date) -> dict[str, dict]:
    """What the monthly summary (R-SUM-1, 001 二) counts of inspections, findings and cases from
    ``start`` to ``end`` (both included), over the whole district: signed inspections by mode, findings
    by what became of them (R-INS-8), cases opened and decided with the fines decided. Three queries,
    aggregated in the database."""
    inspections = Inspection.objects.filter(
        state=InspectionState.SIGNED, inspected_on__range=(start, end)
    ).aggregate(
        total=Count("pk"),
        on_site=Count("pk", filter=Q(mode=CheckMode.ON_SITE)),
        remote=Count("pk", filter=Q(mode=CheckMode.REMOTE)),
    )
    findings = Finding.objects.filter(found_on__range=(start, end)).aggregate(
        total=Count("pk"),
        on_the_spot=Count("pk", filter=Q(disposition=Disposition.ON_THE_SPOT)),
        rectification=Count("pk", filter=Q(disposition=Disposition.RECTIFICATION)),
        case=Count("pk", filter=Q(disposition=Disposition.CASE)),
    )
    decided = Q(decided_on__range=(start, end))
    cases = Case.objects.filter(Q(opened_on__range=(start, end)) | decided).aggregate(
        opened=Count("pk", filter=Q(opened_on__range=(start, end))),
        penalty=Count("pk", filter=decided & Q(decision=CaseDecision.PENALTY)),
        no_penalty=Count("pk", filter=decided & Q(decision=CaseDecision.NO_PENALTY)),
        transfer=Count("pk", filter=decided & Q(decision=CaseDecision.TRANSFER)),
        penalty_amount=Sum("penalty_amount", filter=decided & Q(decision=CaseDecision.PENALTY)),
    )
    cases["penalty_amount"] = f"{cases['penalty_amount'] or Decimal('0'):.2f}"
    return {"inspections": inspections, "findings": findings, "cases": cases}
