"""执行报告 and their review (R-REP-1…4; 003 第五条、第十三条). ``permits.models`` imports this package, so
Django registers these models in the ``permits`` app; ``filings``, ``review`` and ``notices`` hold them.

- ``ExecutionReport``: one report a permit owes for one period (R-REP-1), made when the period ends
  (or when a receipt or a reminder names it first), with its due date, its receipt and its reminders;
- ``ReportVersion``: what the facility filed, each filing a new version, never an edit (R-REP-3),
  with the actual emissions it reports (``ReportedEmission``);
- ``ReportReview``: one round of review of one version, led by 审批科, with one ``ReviewPart`` per
  section and its check-point results (``PartResult``) and ``ReviewProblem``s (R-REP-2);
- ``FeedbackNotice``: 排污许可执行报告问题反馈意见单, every problem of one review at once (R-REP-3);
- ``ReportLead``: a missing report, or a problem that must go to 执法大队 (R-REP-1, R-REP-4);
- ``ReportSettings`` (the bureau's due dates and grace period), ``AnnouncedDueDate`` (the city's date
  for one period), ``ReviewSample`` (a reproducible draw for content review).
"""

from permits.reports.models.filings import (
    AnnouncedDueDate,
    ExecutionReport,
    PeriodType,
    ReceiptSource,
    ReportedEmission,
    ReportSettings,
    ReportVersion,
    VersionKind,
)
from permits.reports.models.notices import (
    FeedbackNotice,
    LeadKind,
    NoticeState,
    ReportLead,
)
from permits.reports.models.review import (
    PartResult,
    ProblemClass,
    ProblemStatus,
    ReportReview,
    ReviewPart,
    ReviewProblem,
    ReviewSample,
    ReviewState,
)

__all__ = [
    "AnnouncedDueDate",
    "ExecutionReport",
    "FeedbackNotice",
    "LeadKind",
    "NoticeState",
    "PartResult",
    "PeriodType",
    "ProblemClass",
    "ProblemStatus",
    "ReceiptSource",
    "ReportLead",
    "ReportReview",
    "ReportSettings",
    "ReportVersion",
    "ReportedEmission",
    "ReviewPart",
    "ReviewProblem",
    "ReviewSample",
    "ReviewState",
    "VersionKind",
]
