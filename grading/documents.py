"""The results of a year's grading as a PDF (R-GRD-1…5; 003 第四条, 附件2): the year, the holders, the
优秀 places (10% of the holders, rounded down) and the work group's reason when they were exceeded,
the counts per grade, the 优秀 and 不合格 holders with their reasons and the work group's changes, and
the 组长's confirmation. Until confirmed it prints as a draft (草稿) on every page.

Made by ``bureau.documents.pdf.render_pdf`` (embedded CJK font, no network). The grading page
(``grading:grading-results-pdf``) and the annual meeting (``meetings``, R-MTG-4) both call
``results_pdf``.

Results of at most ``SYNC_ROWS`` listed holders (优秀 and 不合格) are made at once; longer ones are a
background document (``bureau.documents.jobs``, kind ``grading-results``), whose builder applies the
page's check (a bureau section; a grading drafted in full) with the asker's rights when it runs.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from bureau.access import BUREAU_SECTIONS, in_sections
from bureau.documents import jobs
from bureau.documents.pdf import SYNC_ROWS, render_pdf
from bureau.models import DocumentJob, User
from grading import queries, rules
from grading.models import AnnualGrading, GradingState
from grading.services import gradings

TEMPLATE = "documents/grading_results.html"
TITLE = "持证单位等级评定结果"
DRAFT_MARK = "草稿 · 未经组长确认"


KIND = "grading-results"


def printable_grading(year: int) -> AnnualGrading:
    """The grading of ``year`` once drafted in full (404 before: there are no results to print)."""
    grading = queries.grading_of_year(year)
    if grading.state in (GradingState.DRAFTING, GradingState.FAILED):
        raise Http404("该年度评定尚未起草完成。")
    return grading


def listed_rows(counts: dict[str, int]) -> int:
    """How many holders the PDF lists by name (the 合格 ones are only counted)."""
    return counts[rules.EXCELLENT] + counts[rules.UNQUALIFIED]


def is_long(counts: dict[str, int]) -> bool:
    return listed_rows(counts) > SYNC_ROWS


def results_context(grading: AnnualGrading, counts: dict[str, int] | None = None) -> dict:
    """What the PDF shows; three queries (counts unless given, the 优秀 and 不合格 rows, their changes)."""
    counts = gradings.counts(grading) if counts is None else counts
    found = queries.results(grading)
    return {
        "title": f"{grading.year} 年度{TITLE}",
        "grading": grading,
        "document_number": f"DJPD-{grading.year}",  # DJPD: 等级评定, one a year
        "is_confirmed": grading.is_confirmed,
        "draft_mark": DRAFT_MARK,
        "counts": [(rules.GRADE_LABELS[g], counts[g]) for g in rules.GRADE_ORDER],
        "qualified": counts[rules.QUALIFIED],
        "excellent": found[rules.EXCELLENT],
        "unqualified": found[rules.UNQUALIFIED],
        "exceeded": counts[rules.EXCELLENT] > grading.cap,
        "ranking": rules.RANKING,
    }


def results_pdf(grading: AnnualGrading, counts: dict[str, int] | None = None) -> bytes:
    """The results of ``grading`` as PDF bytes (draft-marked unless the 组长 confirmed it)."""
    return render_pdf(TEMPLATE, results_context(grading, counts))


def pdf_filenames(grading: AnnualGrading) -> tuple[str, str]:
    """The Chinese file name and its ASCII fallback."""
    suffix = "" if grading.is_confirmed else "（草稿）"
    return f"{grading.year}年度等级评定结果{suffix}.pdf", f"grading-results-{grading.year}.pdf"


def may_request(user: User) -> bool:
    """The results page's own check (``section_required(*BUREAU_SECTIONS)``): no town, no outsider."""
    return in_sections(user, BUREAU_SECTIONS)


def build(user: User, params: dict, progress: jobs.Progress) -> jobs.Built:
    """The results of year ``params["year"]``: collect (1/3), render (2/3), done."""
    progress(0, 3)
    try:
        grading = printable_grading(int(params["year"]))
    except Http404 as error:
        raise PermissionDenied(str(error)) from None
    context = results_context(grading)
    progress(1, 3)
    pdf = render_pdf(TEMPLATE, context)
    progress(2, 3)
    return jobs.Built(pdf, pdf_filenames(grading)[0], "application/pdf")


def start_results(*, grading: AnnualGrading, rows: int, by: User) -> DocumentJob:
    """Queue the results of ``grading`` for ``by`` (a long list of 优秀 and 不合格 holders)."""
    return jobs.start(
        kind=KIND,
        params={"year": grading.year},
        title=f"{grading.year} 年度{TITLE}（列名单位 {rows} 家）",
        by=by,
    )


KIND_SPEC = jobs.DocumentKind(key=KIND, label=TITLE, build=build, may_request=may_request)
