"""清单式执法检查 (003 第六条、附件3; 002 六、九、十、十四、十九; 004 三): checklists and their versions,
inspections with their officers, answers, photos and amendments, findings, cases, and interference
records. Split by subject; every model is importable from ``inspections.models``."""

from inspections.models.cases import (
    Case,
    CaseDecision,
    CaseOfficer,
    CaseState,
    InterferenceRecord,
    NoPenaltyGround,
)
from inspections.models.checklists import (
    AppliesTo,
    Checklist,
    ChecklistPart,
    ChecklistPoint,
    ChecklistVersion,
    FindingKind,
    PermitData,
    VersionState,
)
from inspections.models.inspections import (
    Amendment,
    Answer,
    Disposition,
    Finding,
    FindingState,
    Inspection,
    InspectionOfficer,
    InspectionState,
    Photo,
    Reason,
    Verdict,
)

__all__ = [
    "Amendment",
    "Answer",
    "AppliesTo",
    "Case",
    "CaseDecision",
    "CaseOfficer",
    "CaseState",
    "Checklist",
    "ChecklistPart",
    "ChecklistPoint",
    "ChecklistVersion",
    "Disposition",
    "Finding",
    "FindingKind",
    "FindingState",
    "Inspection",
    "InspectionOfficer",
    "InspectionState",
    "InterferenceRecord",
    "NoPenaltyGround",
    "PermitData",
    "Photo",
    "Reason",
    "Verdict",
    "VersionState",
]
