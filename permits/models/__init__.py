"""The models of the ``permits`` app, one module per family; everything is importable from here.

- ``registry``: facilities, permits and their events, registrations, outlets and limits;
- ``enforcement``: penalty records and unlicensed-discharge leads;
- ``quality``: 核发质量检查;
- ``rectification``: the one rectification ledger;
- ``anomalies``: holders' anomaly reports (R-ANM-1);
- ``permits.reports.models``: execution reports, their versions, reviews, feedback notices, leads
  and samples (R-REP-1…4), kept beside their services;
- ``permits.imports.models``: the batches of the Excel import, kept beside the import and imported
  here so that Django registers them in this app.
"""

from permits.imports.models import ImportBatch, ImportRow, ImportRowKind, ImportStatus
from permits.models.anomalies import AnomalyChannel, AnomalyKind, AnomalyReport
from permits.models.enforcement import LapseCase, LeadStatus, PenaltyRecord, UnlicensedDischargeLead
from permits.models.quality import CheckMethod, CheckSelection, FindingCategory, QualityCheck
from permits.models.rectification import RectificationItem, RectificationProgress, RectificationSource
from permits.models.registry import (
    CreditRating,
    EmissionLimit,
    Facility,
    FacilityStatus,
    KeyIndustry,
    ManagementLevel,
    Outlet,
    OutletKind,
    Permit,
    PermitEvent,
    PermitEventKind,
    PermitState,
    Registration,
    ReportFrequency,
    RiskLevel,
    Unit,
)
from permits.reports.models import (
    AnnouncedDueDate,
    ExecutionReport,
    FeedbackNotice,
    LeadKind,
    NoticeState,
    PartResult,
    PeriodType,
    ProblemClass,
    ProblemStatus,
    ReceiptSource,
    ReportedEmission,
    ReportLead,
    ReportReview,
    ReportSettings,
    ReportVersion,
    ReviewPart,
    ReviewProblem,
    ReviewSample,
    ReviewState,
    VersionKind,
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
    "ReportedEmission",
    "ReportLead",
    "ReportReview",
    "ReportSettings",
    "ReportVersion",
    "ReviewPart",
    "ReviewProblem",
    "ReviewSample",
    "ReviewState",
    "VersionKind",
    "AnomalyChannel",
    "AnomalyKind",
    "AnomalyReport",
    "CheckMethod",
    "CheckSelection",
    "CreditRating",
    "EmissionLimit",
    "Facility",
    "FacilityStatus",
    "FindingCategory",
    "ImportBatch",
    "ImportRow",
    "ImportRowKind",
    "ImportStatus",
    "KeyIndustry",
    "LapseCase",
    "LeadStatus",
    "ManagementLevel",
    "Outlet",
    "OutletKind",
    "PenaltyRecord",
    "Permit",
    "PermitEvent",
    "PermitEventKind",
    "PermitState",
    "QualityCheck",
    "RectificationItem",
    "RectificationProgress",
    "RectificationSource",
    "Registration",
    "ReportFrequency",
    "Unit",
    "RiskLevel",
    "UnlicensedDischargeLead",
]
