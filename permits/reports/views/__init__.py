"""Pages of execution reports (R-REP-1…4), one module per family: ``board`` (the period board and its
export, settings, samples), ``facility`` (a facility's reports, receipts, reminders, one report with
its versions), ``review`` (the review screen with its three parts), ``notices`` (the feedback notice,
its answer and re-review). Who may see them: every bureau section and the towns (their own
jurisdiction only, R-ORG-3); samples and the settings are the bureau's own pages."""

from bureau.sections import BUREAU_SECTIONS, TOWN

REPORT_SECTIONS = frozenset(BUREAU_SECTIONS | {TOWN})
