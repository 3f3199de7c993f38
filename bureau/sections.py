"""The sections of the bureau (R-ORG-1; 003 第三条): codes, full names as the text writes them, short
names as it abbreviates them (以下简称…). Pure data, no Django: models, services and every ``rules.py``
read it from here, so a name is written once.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class SectionInfo:
    code: str
    name: str
    short_name: str


APPROVAL = "approval"
ECOLOGY = "ecology"
POLLUTION = "pollution"
LEGAL = "legal"
ENFORCEMENT = "enforcement"
MONITORING = "monitoring"
LEADERSHIP = "leadership"
TOWN = "town"

SECTIONS = (
    SectionInfo(APPROVAL, "行政审批服务科", "审批科"),
    SectionInfo(ECOLOGY, "生态建设科", "生态科"),
    SectionInfo(POLLUTION, "污染防治科（辐射安全管理科）", "污防科"),
    SectionInfo(LEGAL, "社区联络科（法制科）", "法制科"),
    SectionInfo(ENFORCEMENT, "执法大队", "执法大队"),
    SectionInfo(MONITORING, "环境监测站", "监测站"),
    SectionInfo(LEADERSHIP, "局领导", "局领导"),
    SectionInfo(TOWN, "街镇、工业园区", "街镇"),
)

NAMES = {s.code: s.name for s in SECTIONS}
SHORT_NAMES = {s.code: s.short_name for s in SECTIONS}
# The bureau's own sections, i.e. everyone but town staff.
BUREAU_SECTIONS = frozenset(code for code in NAMES if code != TOWN)
ALL_SECTIONS = frozenset(NAMES)


def name(code: str) -> str:
    """The full name (污染防治科（辐射安全管理科）); the code itself for an unknown one."""
    return NAMES.get(code, code)


def short_name(code: str) -> str:
    """The short name the texts use (污防科); the code itself for an unknown one."""
    return SHORT_NAMES.get(code, code)
