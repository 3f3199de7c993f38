"""Excel exports of the grading registers (issue 13), registered from ``GradingConfig.ready``: 执法正面
清单 (or its history), 信用评价 of this year's permit holders, and the 等级评定事实 recorded by hand,
each read through the page's own ``listed_*`` function, in chunks with a fixed number of queries per
chunk (the credit records come prefetched per chunk)."""

from functools import partial

from django.utils import timezone

from bureau.access import BUREAU_SECTIONS, in_sections
from bureau.documents.exports import EXPORT_CHUNK, Export, Rows, register
from grading import queries, rules
from grading.forms import GradeFilterForm
from grading.models import AnnualGrading
from grading.views.registers import listed_entries, listed_facts, listed_holders

ENTRY_COLUMNS = [
    ("单位名称", 32),
    ("污染源编码", 24),
    ("所属街镇", 12),
    ("列入日期", 12),
    ("列入理由", 36),
    ("列入依据", 10),
    ("列入人", 10),
    ("移出日期", 12),
    ("移出理由", 36),
    ("移出依据", 10),
    ("移出人", 10),
]

CREDIT_COLUMNS = [
    ("单位名称", 32),
    ("污染源编码", 24),
    ("所属街镇", 12),
    ("最新信用评价", 12),
    ("评价日期", 12),
    ("评价记录", 60),
]

FACT_COLUMNS = [
    ("单位名称", 32),
    ("情形", 24),
    ("发生日期", 12),
    ("事实描述", 44),
    ("证明材料", 30),
    ("记录科室", 12),
    ("记录人", 10),
    ("记录时间", 17),
    ("状态", 8),
    ("撤回理由", 30),
]


def entry_rows(entries):
    for entry in entries:
        removed = entry.removed_on is not None
        yield [
            entry.facility.name,
            entry.facility.source_code,
            entry.facility.town.name if entry.facility.town_id else "",
            entry.listed_on,
            entry.reason,
            entry.get_source_display(),
            entry.listed_by.display_name,
            entry.removed_on,
            entry.removal_reason,
            entry.get_removal_source_display(),
            (entry.removed_by.display_name if entry.removed_by_id else "系统") if removed else "",
        ]


def holder_rows(facilities):
    for facility in facilities:
        records = [
            f"{r.rated_on:%Y-%m-%d} {r.get_level_display()} · {r.source}"
            + (f"（{r.note}）" if r.note else "")
            for r in facility.credit_records.all()
        ]
        yield [
            facility.name,
            facility.source_code,
            facility.town.name if facility.town_id else "",
            facility.get_credit_rating_display() if facility.credit_rating else "未评价",
            facility.credit_rated_on,
            "；".join(records),
        ]


def fact_rows(facts):
    for fact in facts:
        yield [
            fact.facility.name,
            fact.get_kind_display(),
            fact.occurred_on,
            fact.description,
            fact.evidence,
            fact.section.short_name,
            fact.recorded_by.display_name,
            fact.recorded_at,
            "已撤回" if fact.withdrawn_at else "有效",
            fact.withdrawn_reason,
        ]


GRADE_COLUMNS = [
    ("单位名称", 32),
    ("污染源编码", 24),
    ("所属街镇", 12),
    ("评定等级", 10),
    ("规则评定等级", 12),
    ("优秀候选排序", 12),
    ("评定理由", 60),
    ("工作组调整", 40),
]


def grade_rows(grades):
    """One row per holder as the year's page shows it: grades, reasons in words, the changes made."""
    for grade in grades:
        changes = [
            f"{timezone.localtime(o.at):%Y-%m-%d} {o.by.display_name}（{o.post}）："
            f"{rules.GRADE_LABELS.get(o.from_grade, o.from_grade)}→{rules.GRADE_LABELS.get(o.to_grade, o.to_grade)}，"
            f"{o.reason}"
            for o in grade.overrides.all()
        ]
        yield [
            grade.facility.name,
            grade.facility.source_code,
            grade.facility.town.name if grade.facility.town_id else "",
            rules.GRADE_LABELS.get(grade.grade, grade.grade),
            rules.GRADE_LABELS.get(grade.rule_grade, grade.rule_grade),
            grade.rank,
            "；".join(reason.get("text", "") for reason in grade.reasons),
            "；".join(changes),
        ]


def grade_source(user, query) -> Rows:
    """The graded holders of ``query["year"]`` (the view puts it there) under the page's filters."""
    grading = AnnualGrading.objects.filter(year=int(query.get("year") or 0)).first()
    if grading is None:
        return Rows(0, [])
    grades = queries.grades(grading, GradeFilterForm(query).wanted())
    return Rows(grades.count(), grade_rows(grades.iterator(chunk_size=EXPORT_CHUNK)))


def entry_source(user, query) -> Rows:
    _, _, entries = listed_entries(query)
    return Rows(entries.count(), entry_rows(entries.iterator(chunk_size=EXPORT_CHUNK)))


def holder_source(user, query) -> Rows:
    _, holders = listed_holders(query, timezone.localdate().year)
    return Rows(holders.count(), holder_rows(holders.iterator(chunk_size=EXPORT_CHUNK)))


def fact_source(user, query) -> Rows:
    _, facts = listed_facts(query)
    return Rows(facts.count(), fact_rows(facts.iterator(chunk_size=EXPORT_CHUNK)))


def register_exports() -> None:
    """Register the registers' exports; who may ask is who may open the pages (the bureau)."""
    bureau = partial(in_sections, codes=BUREAU_SECTIONS)
    register(Export("grading.positive", "执法正面清单", ENTRY_COLUMNS, entry_source, bureau))
    register(Export("grading.credit", "信用评价", CREDIT_COLUMNS, holder_source, bureau))
    register(Export("grading.facts", "等级评定事实", FACT_COLUMNS, fact_source, bureau))
    register(Export("grading.grades", "年度等级评定", GRADE_COLUMNS, grade_source, bureau))
