"""The permission matrix, generated (issue 14): every URL pattern, pages and API, asked by anonymous and
by every persona, answers as the declared table ``permission_table.TABLE`` says; a URL without a row
fails; a town's liaison asking for another town's record gets 404.

One test walks everything over one data set, made once, and collects every mismatch into one message
(row, persona, status), so a run shows the whole picture at once.
"""

from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from bureau.accounts import tokens
from bureau.models import DocumentJob, SectionCode
from inspections.models import Case, ChecklistVersion, Finding
from inspections.services.draws import declare_conflict
from meetings.services import add_decision, call_extra_meeting
from monitoring.models import TaskKind
from monitoring.services import add_task
from permits.models import Facility, RectificationItem
from permits.reports.rules import Period
from permits.reports.services.due import get_or_make_report
from reports import summary as summary_services
from tests.bureau import permission_table as table
from tests.bureau.permission_matrix import (
    ADMINISTRATOR,
    ANONYMOUS,
    HEADS,
    PERSONAS,
    TOWN,
    Route,
    is_login_redirect,
    walk_routes,
)
from tests.factories.bureau import StaffFactory
from tests.factories.complaints import ComplaintFactory
from tests.factories.inspections import NONCOMPLIANT_RECTIFY, add_photo, signed, start
from tests.factories.linkage import LinkageTaskFactory, anomaly_report
from tests.factories.permits import FacilityFactory, PermitFactory, QualityCheckFactory

CASE_ANSWER = {
    "verdict": "noncompliant",
    "note": "废气排放口颗粒物超许可浓度",
    "finding_kind": "permit_violation",
    "disposition": "case",
}


# The data: the same kinds of records in town A and in town B -------------------------------------------


def _town_records(*, town, n, approval, officers, ecology):
    """One of each record a town's liaison might reach, for the facility ``n`` in ``town``; returns the
    path arguments of each kind."""
    facility = FacilityFactory(n=n, town=town, by=approval)
    PermitFactory(facility=facility, by=approval, number=f"91310107TEST{n:06d}001P", issued_on=date(2024, 1, 10))
    QualityCheckFactory(by=approval, facility=facility, findings=1)
    task = LinkageTaskFactory(
        initiator=SectionCode.ECOLOGY,
        by=ecology,
        head=StaffFactory(section_code=SectionCode.ECOLOGY, role="head").user,
        facility=facility,
    )
    complaint = ComplaintFactory(by=officers[0], facility=facility)
    anomaly = anomaly_report(by=ecology, facility=facility)
    inspection = signed(
        start(facility, officers), officers, 二_5=CASE_ANSWER, 四_3=NONCOMPLIANT_RECTIFY
    )
    # A photo is added while the inspection is open (a signed record is never edited, R-INS-6).
    photo_inspection = start(facility, officers, on=timezone.localdate() - timedelta(days=1))
    photo = add_photo(photo_inspection, officers[0])
    report = get_or_make_report(
        facility.permits.get(), Period.containing("year", date(2025, 1, 1)), by=approval
    )
    monitoring_task = add_task(
        by=ecology, facility=facility, kind=TaskKind.values[0], due_on=timezone.localdate() + timedelta(days=30)
    )
    item = RectificationItem.objects.filter(facility=facility).order_by("pk").first()
    case = Case.objects.get(findings__inspection=inspection)
    finding = Finding.objects.filter(inspection=inspection).order_by("pk").first()
    return {
        "facility": {"pk": facility.pk},
        "rectification": {"pk": item.pk},
        "linkage_task": {"pk": task.pk},
        "complaint": {"pk": complaint.pk},
        "anomaly": {"pk": anomaly.pk},
        "inspection": {"pk": inspection.pk},
        "case": {"pk": case.pk},
        "finding": {"pk": finding.pk},
        "permit": {"pk": facility.permits.get().pk},
        "quality_check": {"pk": facility.quality_checks.order_by("pk").first().pk},
        "execution_report": {"pk": report.pk},
        "monitoring_task": {"pk": monitoring_task.pk},
        "photo": {"pk": photo_inspection.pk, "photo_pk": photo.pk},
    }


@pytest.fixture
def world(personas, heads, administrator, town_a, town_b, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    officer2 = StaffFactory(
        username="enforcement2", section_code=SectionCode.ENFORCEMENT, certificate_no="31010720002"
    ).user
    officers = [personas[SectionCode.ENFORCEMENT], officer2]
    common = {
        "approval": personas[SectionCode.APPROVAL],
        "officers": officers,
        "ecology": personas[SectionCode.ECOLOGY],
    }
    records = {
        "A": _town_records(town=town_a, n=1, **common),
        "B": _town_records(town=town_b, n=2, **common),
    }
    job = DocumentJob.objects.create(
        kind="test", title="测试文档", requested_by=personas[SectionCode.APPROVAL]
    )
    users = {
        ANONYMOUS: None,
        ADMINISTRATOR: administrator,
        TOWN: personas[SectionCode.TOWN],
        **{code: personas[code] for code in personas if code != SectionCode.TOWN},
        **{f"{code}_head": heads[code] for code in heads},
    }
    year = timezone.localdate().year
    today = timezone.localdate()
    approval = personas[SectionCode.APPROVAL]
    meeting = call_extra_meeting(by=approval, scheduled_on=today + timedelta(days=7), topic="临时调度会")
    decision = add_decision(by=approval, meeting=meeting, text="请执法大队跟进")
    conflict = declare_conflict(
        by=officers[0], officer=officer2, reason="亲属在该单位任职", facility=Facility.objects.get(pk=records["A"]["facility"]["pk"])
    )
    version = ChecklistVersion.objects.order_by("pk").first()
    summary = summary_services.prepare(year=today.year, month=today.month - 1 or 1, by=approval, today=today)
    kinds = dict(records["A"])
    kinds["document"] = {"pk": job.pk}
    kinds["meeting"] = {"pk": meeting.pk}
    kinds["decision"] = {"pk": decision.pk}
    kinds["meeting_task"] = {"pk": meeting.pk, "task_pk": records["A"]["linkage_task"]["pk"]}
    kinds["conflict"] = {"pk": conflict.pk}
    kinds["checklist"] = {"pk": version.checklist_id}
    kinds["checklist_version"] = {"pk": version.pk}
    kinds["checklist_point"] = {"pk": version.points.order_by("pk").first().pk}
    kinds["summary"] = {"pk": summary.pk}
    kinds["year"] = {"year": year}
    kinds["month"] = {"year": year, "month": timezone.localdate().month}
    kinds["user"] = {"pk": approval.pk}
    kinds["api_token"] = {"pk": tokens.issue(approval, "权限矩阵")[0].pk}
    facility_b = Facility.objects.get(pk=records["B"]["facility"]["pk"])
    # What would show that a page told town A's liaison about town B.
    marks_of_b = [facility_b.name, facility_b.source_code]
    return {"users": users, "A": kinds, "B": records["B"], "marks_of_b": marks_of_b}


# The walk ---------------------------------------------------------------------------------------------


def _path(route: Route, row: table.Row, kinds: dict) -> str | None:
    """The route's path with its arguments taken from the data; an argument the data set has no record
    for is a number no record has (such a row is declared ``filled=False``)."""
    values = {}
    if row.obj and kinds.get(row.obj) is not None:
        values.update(kinds[row.obj])
    if "format" in route.kwargs:
        values["format"] = "json"
    values = {k: v for k, v in values.items() if k in route.kwargs}
    missing = set(route.kwargs) - set(values)
    if missing:
        values.update({k: 999_999 for k in missing if k != "format"})
    try:
        return reverse(route.key, kwargs=values)
    except NoReverseMatch:
        return None


def _outcome(method: str, response) -> str:
    """'allowed', 'refused' or 'odd' (a 5xx).

    A GET answered 400 got past the gate to the checks of its query (a required parameter missing), so
    it is allowed. An empty POST answered 400 or 409 changed nothing: it is not a success, which is all
    the matrix asks of those who may not post (their refusal may come after the form's checks)."""
    status = response.status_code
    if status in (401, 403, 404, 405) or is_login_redirect(response):
        return "refused"
    if method == "post" and status in (400, 409):
        return "refused"
    if 200 <= status < 400 or (method == "get" and status == 400):
        return "allowed"
    return "odd"


def test_every_url_has_a_row_in_the_permission_table():
    routes = walk_routes()
    missing = sorted({r.key for r in routes} - set(table.TABLE))
    messages = [f"新地址 {key} 未在权限表中声明：请在 tests/bureau/permission_table.py 加一行 " + table.example_row(key)
                for key in missing]
    assert not messages, "\n".join(messages)
    stale = sorted(set(table.TABLE) - {r.key for r in routes})
    assert not stale, f"权限表中有已不存在的地址：{stale}"


def _ask(asker, method, route, path):
    accept = table.ACCEPT_JSON if route.is_api else "text/html"
    return getattr(asker, method)(path, HTTP_ACCEPT=accept)


def _line(method, route, persona, expected, response) -> str:
    return f"{method:<4} {route.key:<45} {persona:<17} 应{table.WORDS[expected]}，实得 {response.status_code}"


@pytest.mark.once  # ~5,300 requests (200 s): the answers are the product's rules, not the database's
def test_every_persona_gets_what_the_table_declares(world):
    """GET for every persona on town A's records; then an empty POST (CSRF not enforced) from every
    persona who may not change the record must be refused; then town A's liaison asks for town B's
    records and gets 404 everywhere."""
    routes = [r for r in walk_routes() if r.key in table.TABLE]
    users = world["users"]
    mismatches: list[str] = []
    observed: dict[str, dict[str, str]] = {}
    askers = {}
    for persona in PERSONAS:
        askers[persona] = Client(enforce_csrf_checks=False, raise_request_exception=False)
        if users[persona] is not None:
            askers[persona].force_login(users[persona])
    # GET: every route for every persona, on town A's records.
    for persona in PERSONAS:
        for route in routes:
            row = table.TABLE[route.key]
            path = _path(route, row, world["A"])
            if path is None:
                continue
            response = _ask(askers[persona], "get", route, path)
            outcome = _outcome("get", response)
            observed.setdefault(route.key, {})[persona] = outcome if outcome != "odd" else str(response.status_code)
            expected = "allowed" if persona in row.get else "refused"
            if outcome != expected and not (expected == "allowed" and not row.filled):
                mismatches.append(_line("GET", route, persona, expected, response))
            # Public pages show every town's disclosed records; the town's own pages only its own.
            if persona == TOWN and outcome == "allowed" and ANONYMOUS not in row.get and not response.streaming:
                text = response.content.decode(errors="replace")
                leaked = [mark for mark in world["marks_of_b"] if mark in text]
                if leaked:
                    mismatches.append(f"GET  {route.key:<45} {persona:<17} 页面含乙镇的单位：{leaked}")
            anonymous_api = persona == ANONYMOUS and route.is_api and response.status_code != 405
            if anonymous_api and outcome == "refused" and response.status_code not in table.ANON_API_REFUSED:
                mismatches.append(f"GET  {route.key:<45} {persona:<17} 匿名访问接口应得 401，实得 {response.status_code}")
    # Another town's records: the liaison of town A gets 404 (or what the row declares) everywhere.
    for route in routes:
        row = table.TABLE[route.key]
        if not row.obj or row.obj not in world["B"]:
            continue
        path = _path(route, row, world["B"])
        if path is None:
            continue
        response = _ask(askers[TOWN], "get", route, path)
        observed.setdefault(route.key, {})["town→B"] = str(response.status_code)
        # Where the liaison may see town A's record, town B's is 404, as if it did not exist; where the
        # section may not see the kind at all, the refusal is the section's, the same for both towns.
        wanted = row.other_town if TOWN in row.get else frozenset({403, 404, 405})
        if response.status_code not in wanted:
            mismatches.append(
                f"GET  {route.key:<45} {'town→乙镇记录':<17} 应得 {sorted(wanted)}，实得 {response.status_code}"
            )
    # POST: whoever may not change the record is refused, never served.
    for persona in PERSONAS:
        if persona in HEADS:
            continue  # a head may do what the section's clerks may and more: the clerks' refusals suffice
        for route in routes:
            row = table.TABLE[route.key]
            # Only the URLs that take a POST (row.post declared); a read-only page is covered by its GET.
            if row.post is None or (persona in row.post and not table.DUMP):
                continue
            path = _path(route, row, world["A"])
            if path is None:
                continue
            response = _ask(askers[persona], "post", route, path)
            outcome = _outcome("post", response)
            observed.setdefault(route.key, {})[f"POST {persona}"] = str(response.status_code)
            if outcome != "refused" and persona not in (row.post or table.NOBODY):
                mismatches.append(_line("POST", route, persona, "refused", response))
    if table.DUMP:
        table.dump(observed)
    assert not mismatches, f"{len(mismatches)} 处与权限表不符：\n" + "\n".join(mismatches)


def test_the_django_admin_is_for_the_administrator_alone(client, approval_clerk, leader, town_a_liaison, administrator):
    """admin/ is one entry of the table: anonymous and every staff member are sent to the admin's login
    (Django admin: ``is_staff`` only), the administrator gets in."""
    pages = ["/admin/", "/admin/bureau/", "/admin/permits/facility/"]
    for path in pages:
        assert client.get(path).status_code == 302, path
    for user in (approval_clerk, leader, town_a_liaison):
        client.force_login(user)
        for path in pages:
            response = client.get(path)
            assert response.status_code in (302, 403, 404), (user, path, response.status_code)
            assert response.status_code != 302 or "/login/" in response["Location"]
    client.force_login(administrator)
    for path in pages:
        assert client.get(path).status_code == 200, path
