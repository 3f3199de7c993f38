"""The results of a year's grading as a PDF (R-GRD-1…5; 003 第四条, 附件2): the year, the holders, the
优秀 places (10% of the holders, rounded down) and the work group's reason when they were exceeded,
the counts per grade, the 优秀 and 不合格 holders with their reasons and the work group's changes, and
the 组长's confirmation. Until confirmed it prints as a draft (草稿) on every page.

Made by ``bureau.documents.pdf.render_pdf`` (embedded CJK font, no network). The grading page
(``grading:grading-results-pdf``) and the annual meeting (``meetings``, R-MTG-4) both call
``results_pdf``.
"""

from bureau.documents.pdf import render_pdf
from grading import queries, rules
from grading.models import AnnualGrading
from grading.services import gradings

TEMPLATE = "documents/grading_results.html"
TITLE = "持证单位等级评定结果"
DRAFT_MARK = "草稿 · 未经组长确认"


def results_context(grading: AnnualGrading) -> dict:
    """What the PDF shows; three queries (counts, the 优秀 and 不合格 rows, their changes)."""
    counts = gradings.counts(grading)
    found = queries.results(grading)
    return {
        "title": f"{grading.year} 年度{TITLE}",
        "grading": grading,
        "is_confirmed": grading.is_confirmed,
        "draft_mark": DRAFT_MARK,
        "counts": [(rules.GRADE_LABELS[g], counts[g]) for g in rules.GRADE_ORDER],
        "qualified": counts[rules.QUALIFIED],
        "excellent": found[rules.EXCELLENT],
        "unqualified": found[rules.UNQUALIFIED],
        "exceeded": counts[rules.EXCELLENT] > grading.cap,
        "ranking": rules.RANKING,
    }


def results_pdf(grading: AnnualGrading) -> bytes:
    """The results of ``grading`` as PDF bytes (draft-marked unless the 组长 confirmed it)."""
    return render_pdf(TEMPLATE, results_context(grading))


def pdf_filenames(grading: AnnualGrading) -> tuple[str, str]:
    """The Chinese file name and its ASCII fallback."""
    suffix = "" if grading.is_confirmed else "（草稿）"
    return f"{grading.year}年度等级评定结果{suffix}.pdf", f"grading-results-{grading.year}.pdf"
