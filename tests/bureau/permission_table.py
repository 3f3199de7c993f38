"""The declared table of who may do what, one line per URL (issue 14, the permission matrix).

Key: the URL's name (``namespace:name``; the router's ``.json`` suffix variants share it). Value: a
``Row`` naming the record its path arguments come from (``obj``, a kind made by the test's data set) and
who may GET it and, for pages and APIs that change state, who may POST to it. Who is written with the
sets below: a section's clerks and its head come together (``S("approval")``), the administrator may
go everywhere the bureau goes, ``TOWN`` is town A's liaison asking about town A's records.
"""

import os
from dataclasses import dataclass

from tests.bureau.permission_matrix import ADMINISTRATOR, ANONYMOUS, CLERKS, HEADS, TOWN

DUMP = os.environ.get("MATRIX_DUMP") == "1"
ACCEPT_JSON = "application/json"
# An anonymous API call is refused with 401 and WWW-Authenticate (issue 14).
ANON_API_REFUSED = frozenset({401})
WORDS = {"allowed": "允许", "refused": "拒绝"}


def S(*sections: str) -> frozenset[str]:
    """The clerks and the head of each section, and the administrator."""
    found = {ADMINISTRATOR}
    for code in sections:
        found.add(code)
        if f"{code}_head" in HEADS:
            found.add(f"{code}_head")
    return frozenset(found)


NOBODY = frozenset()
ADMIN = frozenset({ADMINISTRATOR})
BUREAU = S(*CLERKS)
STAFF = BUREAU | {TOWN}
EVERYONE = STAFF | {ANONYMOUS}


@dataclass(frozen=True)
class Row:
    get: frozenset[str]
    post: frozenset[str] | None = None  # None: the URL changes nothing
    obj: str | None = None
    # False where the data set has no such record: only unexpected allows are then caught.
    filled: bool = True
    # What town A's liaison gets for town B's record of the same kind (R-ORG-3): 404, as for a record
    # that does not exist.
    other_town: frozenset[int] = frozenset({404})
    note: str = ""


def example_row(key: str) -> str:
    return f'"{key}": Row(get=BUREAU, post=S("approval")),'


def dump(observed):
    for key, seen in observed.items():
        allowed = sorted(p for p, o in seen.items() if o == "allowed")
        odd = {p: o for p, o in seen.items() if o not in ("allowed", "refused") and not p.startswith("POST")}
        posts = {p[5:]: o for p, o in seen.items() if p.startswith("POST") and o not in ("403", "404", "405", "401")}
        print(f"DUMP {key!r}: {allowed} {odd or ''} POST {posts}")


# Read this way: ``get`` who is served a GET; ``post`` who is served (2xx/3xx) an empty POST, which for
# a read-only page that does not restrict its methods is the same people as ``get`` (the page is shown
# again, nothing changes); everyone else must be refused (302 to the login page, 401, 403, 404, 405, or a
# 400/409 that changed nothing). A head (负责人) goes with the section; ``- {...}`` names who is left out
# on purpose: the administrator is kept out of business steps only a section's staff take (R-ORG-1),
# of the reporter's identity (R-CMP-1) and of interference records (R-INS-11).
#
# The same sets were first observed on the product and then read against DESIGN.md's rules; doubts are
# listed in the issue-14 report of part F (towns see the blank transfer slip, the report board and the
# coverage page, scoped to their own facilities; legal does not see linkage tasks).
TABLE: dict[str, Row] = {
    "home": Row(get=STAFF, post=STAFF),
    "todo-counts": Row(get=STAFF, post=STAFF),
    "calendar": Row(get=STAFF, post=STAFF),
    "calendar-year": Row(get=ADMIN, post=ADMIN, obj='year', filled=False),
    "organisation": Row(get=BUREAU, post=BUREAU),
    "document-list": Row(get=STAFF),
    # A background document is kept for its asker alone (the approval clerk asked for this one).
    "document-detail": Row(get=frozenset({"approval"}), obj='document'),
    "document-progress": Row(get=frozenset({"approval"}), post=NOBODY, obj='document'),
    # Not made yet (no worker in this test): nobody can download it, its asker included.
    "document-download": Row(get=NOBODY, obj='document'),
    "permits:facility-list": Row(get=STAFF, post=STAFF),
    "permits:facility-search": Row(get=STAFF, post=STAFF),
    "permits:facility-create": Row(get=S('approval'), post=NOBODY),
    "permits:facility-export": Row(get=STAFF, post=STAFF),
    "permits:facility-detail": Row(get=STAFF, post=STAFF, obj='facility'),
    "permits:facility-update": Row(get=NOBODY, post=S('ecology', 'legal', 'pollution') - {'administrator'}, obj='facility'),
    "permits:permit-issue": Row(get=S('approval'), post=NOBODY, obj='facility'),
    "permits:quality-owed": Row(get=STAFF, post=STAFF),
    "permits:permit-event-create": Row(get=NOBODY, post=NOBODY, obj='facility'),
    "permits:quality-check-create": Row(get=NOBODY, post=NOBODY, obj='facility'),
    "permits:registration-create": Row(get=NOBODY, post=NOBODY, obj='facility'),
    "permits:outlet-create": Row(get=NOBODY, post=NOBODY, obj='facility'),
    "permits:emission-limit-create": Row(get=NOBODY, post=NOBODY, obj='facility'),
    "permits:penalty-create": Row(get=NOBODY, post=NOBODY, obj='facility'),
    "permits:report-board": Row(get=STAFF, post=STAFF),
    "permits:report-board-export": Row(get=STAFF, post=STAFF),
    "permits:report-settings": Row(get=BUREAU, post=NOBODY),
    "permits:report-samples": Row(get=BUREAU),
    "permits:report-sample": Row(get=NOBODY, obj='sample', filled=False),
    "permits:facility-reports": Row(get=STAFF, obj='facility'),
    "permits:report-detail": Row(get=STAFF, post=STAFF, obj='execution_report'),
    "permits:report-version-file": Row(get=NOBODY, obj='report_version', filled=False),
    "permits:review-open": Row(get=NOBODY, post=S('approval'), obj='execution_report'),
    "permits:reviews-open-many": Row(get=NOBODY, post=S('approval')),
    "permits:review-detail": Row(get=NOBODY, obj='review', filled=False),
    "permits:notice-list": Row(get=STAFF, post=STAFF),
    "permits:notice-export": Row(get=STAFF, post=STAFF),
    "permits:feedback-notice": Row(get=NOBODY, obj='notice', filled=False),
    "permits:feedback-notice-pdf": Row(get=NOBODY, obj='notice', filled=False),
    "permits:ledger": Row(get=STAFF, post=STAFF),
    "permits:ledger-export": Row(get=STAFF, post=STAFF),
    "permits:rectification-progress": Row(get=NOBODY, post=NOBODY, obj='rectification'),
    "permits:rectification-close": Row(get=NOBODY, post=NOBODY, obj='rectification'),
    "permits:rectification-file": Row(get=NOBODY, obj='rectification'),
    "imports:upload": Row(get=S('approval'), post=NOBODY),
    "imports:template": Row(get=S('approval')),
    "imports:report_template": Row(get=S('approval')),
    "imports:detail": Row(get=NOBODY, obj='import', filled=False),
    "imports:progress": Row(get=NOBODY, post=NOBODY, obj='import', filled=False),
    "imports:confirm": Row(get=NOBODY, post=NOBODY, obj='import', filled=False),
    "imports:cancel": Row(get=NOBODY, post=NOBODY, obj='import', filled=False),
    "linkage:task-list": Row(get=STAFF - {'legal', 'legal_head'}, post=STAFF - {'legal', 'legal_head'}),
    "linkage:task-export": Row(get=STAFF - {'legal', 'legal_head'}, post=STAFF - {'legal', 'legal_head'}),
    "linkage:task-new": Row(get=S('approval', 'ecology', 'enforcement', 'monitoring', 'pollution') - {'administrator'}, post=NOBODY),
    "linkage:task-paper": Row(get=S('approval', 'ecology', 'enforcement', 'monitoring', 'pollution') - {'administrator'}, post=NOBODY),
    "linkage:task-detail": Row(get=S('approval', 'ecology', 'enforcement', 'leadership') | {'town'}, post=S('approval', 'ecology', 'enforcement', 'leadership') | {'town'}, obj='linkage_task'),
    "linkage:task-confirm": Row(get=NOBODY, post=NOBODY, obj='linkage_task'),
    "linkage:task-receive": Row(get=NOBODY, post=NOBODY, obj='linkage_task'),
    "linkage:task-feedback": Row(get=NOBODY, post=NOBODY, obj='linkage_task'),
    "linkage:task-close": Row(get=NOBODY, post=NOBODY, obj='linkage_task'),
    "linkage:task-return": Row(get=NOBODY, post=NOBODY, obj='linkage_task'),
    "linkage:task-archive": Row(get=NOBODY, post=NOBODY, obj='linkage_task'),
    "linkage:task-paper-row": Row(get=NOBODY, post=NOBODY, obj='linkage_task'),
    "linkage:task-attach": Row(get=NOBODY, post=NOBODY, obj='linkage_task'),
    "linkage:task-file": Row(get=NOBODY, obj='linkage_file', filled=False),
    "linkage:task-slip": Row(get=S('approval', 'ecology', 'enforcement', 'leadership') | {'town'}, obj='linkage_task'),
    "linkage:anomaly-list": Row(get=STAFF - {'legal', 'legal_head'}, post=STAFF - {'legal', 'legal_head'}),
    "linkage:anomaly-export": Row(get=STAFF - {'legal', 'legal_head'}, post=STAFF - {'legal', 'legal_head'}),
    "linkage:anomaly-new": Row(get=S('ecology', 'pollution'), post=NOBODY),
    "linkage:anomaly-detail": Row(get=STAFF - {'legal', 'legal_head'}, post=STAFF - {'legal', 'legal_head'}, obj='anomaly'),
    "linkage:anomaly-close": Row(get=NOBODY, post=NOBODY, obj='anomaly'),
    "linkage:blank-slip": Row(get=STAFF - {'legal', 'legal_head'}),
    "meetings:meeting-list": Row(get=BUREAU, post=BUREAU),
    "meetings:meeting-export": Row(get=BUREAU, post=BUREAU),
    "meetings:meeting-new": Row(get=S('approval'), post=NOBODY),
    "meetings:meeting-detail": Row(get=BUREAU, post=BUREAU, obj='meeting'),
    "meetings:meeting-schedule": Row(get=NOBODY, post=NOBODY, obj='meeting'),
    "meetings:meeting-minutes": Row(get=NOBODY, post=NOBODY, obj='meeting'),
    "meetings:meeting-decision-create": Row(get=NOBODY, post=NOBODY, obj='meeting'),
    "meetings:meeting-pdf": Row(get=BUREAU, post=BUREAU, obj='meeting'),
    "meetings:meeting-task": Row(get=BUREAU, post=BUREAU, obj='meeting_task'),
    "meetings:meeting-decision-done": Row(get=NOBODY, post=S('approval'), obj='decision'),
    "meetings:study-list": Row(get=BUREAU, post=BUREAU),
    "meetings:study-create": Row(get=NOBODY, post=NOBODY),
    "meetings:annual-list": Row(get=BUREAU, post=BUREAU),
    "meetings:annual-new": Row(get=S('approval'), post=NOBODY),
    "meetings:annual-detail": Row(get=NOBODY, obj='year', filled=False),
    "meetings:annual-export": Row(get=NOBODY, obj='year', filled=False),
    "meetings:annual-plan": Row(get=NOBODY, post=NOBODY, obj='year', filled=False),
    "meetings:annual-held": Row(get=NOBODY, post=NOBODY, obj='year', filled=False),
    "meetings:annual-attendance": Row(get=NOBODY, post=NOBODY, obj='year', filled=False),
    "meetings:annual-notice-pdf": Row(get=NOBODY, obj='year', filled=False),
    "complaints:complaint-list": Row(get=BUREAU, post=BUREAU),
    "complaints:complaint-export": Row(get=BUREAU, post=BUREAU),
    "complaints:complaint-new": Row(get=S('enforcement') - {'administrator'}, post=NOBODY),
    "complaints:reporter-access": Row(get=S('leadership') - {'administrator'}, post=S('leadership') - {'administrator'}),
    "complaints:complaint-edit": Row(get=S('enforcement') - {'administrator'}, post=NOBODY, obj='complaint'),
    "complaints:complaint-rectification": Row(get=NOBODY, post=NOBODY, obj='rectification'),
    "complaints:complaint-detail": Row(get=BUREAU, post=BUREAU, obj='complaint'),
    "complaints:complaint-pdf": Row(get=BUREAU, post=BUREAU, obj='complaint'),
    "complaints:complaint-task": Row(get=NOBODY, post=NOBODY, obj='complaint'),
    "complaints:complaint-answer": Row(get=NOBODY, post=NOBODY, obj='complaint'),
    "complaints:complaint-reward": Row(get=NOBODY, post=NOBODY, obj='complaint'),
    "complaints:complaint-reward-decision": Row(get=NOBODY, post=NOBODY, obj='complaint'),
    "complaints:complaint-handler": Row(get=NOBODY, post=NOBODY, obj='complaint'),
    "complaints:complaint-close": Row(get=NOBODY, post=NOBODY, obj='complaint'),
    "complaints:complaint-reporter": Row(get=NOBODY, post=NOBODY, obj='complaint'),
    "inspections:inspection-list": Row(get=BUREAU, post=BUREAU),
    "inspections:inspection-export": Row(get=BUREAU, post=BUREAU),
    "inspections:inspection-new": Row(get=S('enforcement') - {'administrator'}, post=NOBODY),
    "inspections:inspection-detail": Row(get=STAFF, post=STAFF, obj='inspection'),
    "inspections:inspection-pdf": Row(get=STAFF, post=STAFF, obj='inspection'),
    "inspections:inspection-photo": Row(get=BUREAU, post=BUREAU, obj='photo'),
    "inspections:inspection-sign": Row(get=NOBODY, post=NOBODY, obj='inspection'),
    "inspections:inspection-withdraw": Row(get=NOBODY, post=NOBODY, obj='inspection'),
    "inspections:inspection-amend": Row(get=NOBODY, post=NOBODY, obj='inspection'),
    "inspections:inspection-form": Row(get=STAFF, post=STAFF, obj='inspection'),
    "inspections:inspection-details": Row(get=NOBODY, post=NOBODY, obj='inspection'),
    "inspections:finding-list": Row(get=BUREAU, post=BUREAU),
    "inspections:finding-export": Row(get=BUREAU, post=BUREAU),
    "inspections:finding-task": Row(get=S('enforcement') - {'administrator'}, post=NOBODY, obj='finding'),
    "inspections:case-list": Row(get=S('enforcement', 'leadership', 'legal'), post=S('enforcement', 'leadership', 'legal')),
    "inspections:case-export": Row(get=S('enforcement', 'leadership', 'legal'), post=S('enforcement', 'leadership', 'legal')),
    "inspections:case-new": Row(get=S('enforcement') - {'administrator'}, post=S('enforcement') - {'administrator'}),
    "inspections:case-detail": Row(get=S('enforcement', 'leadership', 'legal'), post=S('enforcement', 'leadership', 'legal'), obj='case'),
    "inspections:case-submit": Row(get=NOBODY, post=NOBODY, obj='case'),
    "inspections:case-reviewer": Row(get=NOBODY, post=NOBODY, obj='case'),
    "inspections:case-review": Row(get=NOBODY, post=NOBODY, obj='case'),
    "inspections:case-decide": Row(get=NOBODY, post=NOBODY, obj='case'),
    "inspections:case-reopen": Row(get=NOBODY, post=NOBODY, obj='case'),
    "inspections:interference-list": Row(get=S('leadership', 'legal') - {'administrator'}, post=S('leadership', 'legal') - {'administrator'}),
    "inspections:interference-export": Row(get=S('leadership', 'legal') - {'administrator'}, post=S('leadership', 'legal') - {'administrator'}),
    "inspections:interference-new": Row(get=BUREAU - {'administrator'}, post=NOBODY),
    "inspections:checklist-list": Row(get=ADMIN),
    "inspections:checklist-version": Row(get=ADMIN, post=ADMIN, obj='checklist_version'),
    "inspections:checklist-revise": Row(get=NOBODY, post=ADMIN, obj='checklist'),
    "inspections:checklist-part": Row(get=NOBODY, post=NOBODY, obj='checklist_version'),
    "inspections:checklist-point": Row(get=NOBODY, post=NOBODY, obj='checklist_version'),
    "inspections:checklist-point-remove": Row(get=NOBODY, post=NOBODY, obj='checklist_point'),
    "inspections:checklist-publish": Row(get=NOBODY, post=NOBODY, obj='checklist_version'),
    "inspections:plan-home": Row(get=BUREAU, post=BUREAU),
    "inspections:plan-settings": Row(get=BUREAU, post=NOBODY),
    "inspections:plan-items": Row(get=BUREAU, post=BUREAU),
    "inspections:plan-items-export": Row(get=BUREAU, post=BUREAU),
    "inspections:plan-facility": Row(get=BUREAU, post=BUREAU, obj='facility'),
    "inspections:plan-year": Row(get=BUREAU, post=BUREAU, obj='year', filled=False),
    "inspections:plan-recompute": Row(get=NOBODY, post=S('legal'), obj='year', filled=False),
    "inspections:plan-adopt": Row(get=NOBODY, post=S('legal') - {'administrator'}, obj='year', filled=False),
    "inspections:plan-month": Row(get=BUREAU, post=BUREAU, obj='month', filled=False),
    "inspections:plan-month-make": Row(get=NOBODY, post=S('enforcement', 'legal'), obj='month', filled=False),
    "inspections:draw-list": Row(get=BUREAU, post=BUREAU),
    "inspections:draw-export": Row(get=BUREAU, post=BUREAU),
    "inspections:draw-new": Row(get=S('enforcement') - {'administrator'}, post=NOBODY),
    "inspections:draw-detail": Row(get=NOBODY, obj='draw', filled=False),
    "inspections:draw-run": Row(get=NOBODY, post=NOBODY, obj='draw', filled=False),
    "inspections:draw-cancel": Row(get=NOBODY, post=NOBODY, obj='draw', filled=False),
    "inspections:draw-pool": Row(get=NOBODY, obj='draw', filled=False),
    "inspections:conflict-list": Row(get=S('enforcement', 'leadership'), post=S('enforcement', 'leadership')),
    "inspections:conflict-export": Row(get=S('enforcement', 'leadership'), post=S('enforcement', 'leadership')),
    "inspections:conflict-new": Row(get=S('enforcement') - {'administrator'}, post=NOBODY),
    "inspections:conflict-end": Row(get=NOBODY, post=S('enforcement') - {'administrator'}, obj='conflict'),
    "monitoring:plan-list": Row(get=BUREAU, post=BUREAU),
    "monitoring:plan-make": Row(get=NOBODY, post=NOBODY),
    "monitoring:plan-detail": Row(get=NOBODY, obj='year', filled=False),
    "monitoring:plan-dispatch": Row(get=NOBODY, post=NOBODY, obj='year', filled=False),
    "monitoring:task-list": Row(get=BUREAU, post=BUREAU),
    "monitoring:task-export": Row(get=BUREAU, post=BUREAU),
    "monitoring:task-new": Row(get=S('ecology'), post=NOBODY),
    "monitoring:task-detail": Row(get=BUREAU, post=BUREAU, obj='monitoring_task'),
    "monitoring:task-sampling": Row(get=NOBODY, post=NOBODY, obj='monitoring_task'),
    "monitoring:task-result": Row(get=NOBODY, post=NOBODY, obj='monitoring_task'),
    "monitoring:task-conclude": Row(get=NOBODY, post=NOBODY, obj='monitoring_task'),
    "monitoring:task-withdraw": Row(get=NOBODY, post=NOBODY, obj='monitoring_task'),
    "monitoring:task-acknowledge": Row(get=NOBODY, post=NOBODY, obj='monitoring_task'),
    "grading:grading-home": Row(get=BUREAU, post=BUREAU),
    "grading:grading-start": Row(get=NOBODY, post=NOBODY),
    "grading:grading-detail": Row(get=NOBODY, obj='year', filled=False),
    "grading:grading-progress": Row(get=NOBODY, post=NOBODY, obj='year', filled=False),
    "grading:grade-override": Row(get=NOBODY, post=NOBODY, obj='grade', filled=False),
    "grading:grading-cap": Row(get=NOBODY, post=NOBODY, obj='year', filled=False),
    "grading:grading-confirm": Row(get=NOBODY, post=NOBODY, obj='year', filled=False),
    "grading:grading-results-pdf": Row(get=NOBODY, obj='year', filled=False),
    "grading:grading-export": Row(get=NOBODY, obj='year', filled=False),
    "grading:facility-grades": Row(get=BUREAU, post=BUREAU, obj='facility'),
    "grading:positive-list": Row(get=BUREAU, post=BUREAU),
    "grading:positive-export": Row(get=BUREAU, post=BUREAU),
    "grading:positive-add": Row(get=NOBODY, post=NOBODY),
    "grading:positive-remove": Row(get=NOBODY, post=NOBODY, obj='positive_entry', filled=False),
    "grading:proposal-decide": Row(get=NOBODY, post=NOBODY, obj='proposal', filled=False),
    "grading:positive-settings": Row(get=BUREAU, post=S('legal') - {'administrator'}),
    "grading:credit-list": Row(get=BUREAU, post=BUREAU),
    "grading:credit-export": Row(get=BUREAU, post=BUREAU),
    "grading:credit-record": Row(get=NOBODY, post=NOBODY),
    "grading:work-group": Row(get=BUREAU, post=BUREAU),
    "grading:work-group-post-new": Row(get=NOBODY, post=NOBODY),
    "grading:work-group-hand-over": Row(get=NOBODY, post=NOBODY, obj='work_group_post', filled=False),
    "grading:work-group-retire": Row(get=NOBODY, post=NOBODY, obj='work_group_post', filled=False),
    "grading:fact-list": Row(get=BUREAU, post=BUREAU),
    "grading:fact-export": Row(get=BUREAU, post=BUREAU),
    "grading:fact-new": Row(get=NOBODY, post=NOBODY),
    "grading:fact-withdraw": Row(get=NOBODY, post=NOBODY, obj='fact', filled=False),
    "grading:fact-file": Row(get=NOBODY, obj='fact', filled=False),
    "reports:coverage": Row(get=STAFF, post=STAFF),
    "reports:dashboard": Row(get=STAFF, post=STAFF),
    "reports:dashboard-leadership": Row(get=S('leadership'), post=S('leadership')),
    "reports:summary-list": Row(get=BUREAU, post=BUREAU),
    "reports:summary-prepare": Row(get=BUREAU, post=NOBODY),
    "reports:summary-detail": Row(get=BUREAU, post=BUREAU, obj='summary'),
    "reports:summary-pdf": Row(get=BUREAU, post=BUREAU, obj='summary'),
    "reports:summary-send": Row(get=NOBODY, post=NOBODY, obj='summary'),
    "reports:summary-remarks": Row(get=NOBODY, post=S('approval'), obj='summary'),
    "reports:typical-case-list": Row(get=S('leadership', 'legal'), post=S('leadership', 'legal')),
    "reports:typical-case-add": Row(get=S('legal') - {'administrator'}, post=NOBODY),
    "reports:typical-case-withdraw": Row(get=NOBODY, post=NOBODY, obj='typical_case', filled=False),
    "public:index": Row(get=EVERYONE),
    "public:draw-list": Row(get=EVERYONE),
    "public:sampling-script": Row(get=EVERYONE),
    "public:draw-detail": Row(get=NOBODY, obj='draw_number', filled=False),
    "public:draw-pool": Row(get=NOBODY, obj='draw_number', filled=False),
    "public:permit-list": Row(get=EVERYONE),
    "public:penalty-list": Row(get=EVERYONE),
    "public:typical-case-list": Row(get=EVERYONE),
    "public:typical-case-detail": Row(get=NOBODY, obj='typical_case', filled=False),
    "public:rates": Row(get=EVERYONE),
    "public:api-permits": Row(get=EVERYONE),
    "public:api-penalties": Row(get=EVERYONE),
    "public:api-typical-cases": Row(get=EVERYONE),
    "public:api-rates": Row(get=EVERYONE),
    "healthz": Row(get=EVERYONE),
    "login": Row(get=EVERYONE, post=EVERYONE),
    "logout": Row(get=NOBODY, post=STAFF),
    "api-token": Row(get=NOBODY, post=NOBODY),
    # Accounts (等保 8.1.4.1): one's own password, second factor and tokens; the administrator's pages.
    "password-change": Row(get=STAFF, post=NOBODY),
    "second-factor": Row(get=STAFF, post=NOBODY),
    "second-factor-verify": Row(get=STAFF, post=STAFF, note="nobody owes a code here: sent on"),
    "api-tokens": Row(get=STAFF, post=NOBODY),
    "api-token-revoke": Row(get=NOBODY, post=frozenset({"approval", ADMINISTRATOR}), obj="api_token"),
    "api-tokens-all": Row(get=ADMIN, post=ADMIN),
    "accounts-login-log": Row(get=ADMIN, post=ADMIN),
    "accounts-lockouts": Row(get=ADMIN, post=ADMIN),
    "accounts-unlock": Row(get=NOBODY, post=ADMIN),
    "accounts-devices": Row(get=ADMIN, post=ADMIN),
    "accounts-device-reset": Row(get=NOBODY, post=ADMIN, obj="user"),
    "api-workdays": Row(get=STAFF),
    "api-facility-list": Row(get=STAFF),
    "api-facility-detail": Row(get=STAFF, obj='facility'),
    "api-permit-list": Row(get=STAFF),
    "api-permit-detail": Row(get=STAFF, obj='permit'),
    "api-permit-events": Row(get=STAFF, obj='permit'),
    "api-rectification-list": Row(get=STAFF),
    "api-rectification-detail": Row(get=STAFF, obj='rectification'),
    "api-rectification-close": Row(get=NOBODY, post=NOBODY, obj='rectification'),
    "api-rectification-progress": Row(get=NOBODY, post=NOBODY, obj='rectification'),
    "api-quality-check-list": Row(get=STAFF),
    "api-quality-check-detail": Row(get=STAFF, obj='quality_check'),
    "api-execution-report-list": Row(get=STAFF),
    "api-execution-report-detail": Row(get=STAFF, obj='execution_report'),
    # No review of the report in the data set: 404 for everyone; only unexpected allows are caught.
    "api-execution-report-review": Row(get=STAFF, post=NOBODY, obj='execution_report', filled=False),
    "api-feedback-notice-list": Row(get=STAFF),
    "api-feedback-notice-detail": Row(get=NOBODY, obj='notice', filled=False),
    "api-feedback-notice-pdf": Row(get=NOBODY, obj='notice', filled=False),  # 500 on the .json variant before the fix
    "api-root": Row(get=STAFF),
    "api-linkage-task-list": Row(get=STAFF),
    "api-linkage-task-detail": Row(get=S('approval', 'ecology', 'enforcement', 'leadership') | {'town'}, obj='linkage_task'),
    "api-linkage-task-archive": Row(get=NOBODY, post=NOBODY, obj='linkage_task'),
    "api-linkage-task-close": Row(get=NOBODY, post=NOBODY, obj='linkage_task'),
    "api-linkage-task-feedback": Row(get=NOBODY, post=NOBODY, obj='linkage_task'),
    "api-linkage-task-paper-row": Row(get=NOBODY, post=NOBODY, obj='linkage_task'),
    "api-linkage-task-receive": Row(get=NOBODY, post=NOBODY, obj='linkage_task'),
    "api-linkage-task-return-task": Row(get=NOBODY, post=NOBODY, obj='linkage_task'),
    "api-linkage-task-slip": Row(get=S('approval', 'ecology', 'enforcement', 'leadership') | {'town'}, obj='linkage_task'),
    "api-meeting-list": Row(get=BUREAU),
    "api-meeting-detail": Row(get=BUREAU, obj='meeting'),
    "api-study-session-list": Row(get=BUREAU),
    "api-complaint-list": Row(get=BUREAU),
    "api-complaint-detail": Row(get=BUREAU, obj='complaint'),
    "api-inspection-answers": Row(get=STAFF, obj='inspection'),
    "api-inspection-photos": Row(get=BUREAU, obj='photo'),
    "api-inspection-plan": Row(get=BUREAU),
    "api-checklist-list": Row(get=STAFF),
    "api-checklist-detail": Row(get=STAFF, obj='checklist'),
    "api-inspection-list": Row(get=STAFF),
    "api-inspection-detail": Row(get=STAFF, obj='inspection'),
    "api-inspection-amendments": Row(get=STAFF, obj='inspection'),
    "api-inspection-record-pdf": Row(get=STAFF, obj='inspection'),
    "api-inspection-sign": Row(get=NOBODY, post=NOBODY, obj='inspection'),
    "api-inspection-withdraw": Row(get=NOBODY, post=NOBODY, obj='inspection'),
    "api-case-list": Row(get=S('enforcement', 'leadership', 'legal')),
    "api-case-detail": Row(get=S('enforcement', 'leadership', 'legal'), obj='case'),
    "api-case-decide": Row(get=NOBODY, post=NOBODY, obj='case'),
    "api-case-review": Row(get=NOBODY, post=NOBODY, obj='case'),
    "api-case-reviewer": Row(get=NOBODY, post=NOBODY, obj='case'),
    "api-case-submit": Row(get=NOBODY, post=NOBODY, obj='case'),
    "api-gradings": Row(get=BUREAU),
    "api-grading": Row(get=NOBODY, obj='year', filled=False),
    "api-grading-grades": Row(get=NOBODY, obj='year', filled=False),
    "api-grading-override": Row(get=NOBODY, post=NOBODY, obj='grade', filled=False),
    "api-grading-cap": Row(get=NOBODY, post=NOBODY, obj='year', filled=False),
    "api-grading-confirm": Row(get=NOBODY, post=NOBODY, obj='year', filled=False),
    "api-positive-list": Row(get=BUREAU),
    "api-positive-remove": Row(get=NOBODY, post=NOBODY, obj='positive_entry', filled=False),
    "api-positive-proposals": Row(get=BUREAU),
    "api-positive-decide": Row(get=NOBODY, post=NOBODY, obj='proposal', filled=False),
    "api-credit-ratings": Row(get=BUREAU),
    "api-schema": Row(get=STAFF),
    "api-docs": Row(get=STAFF, post=STAFF),
}
