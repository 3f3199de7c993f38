"""Charts drawn on the server as SVG with pygal (issue 13): the same chart on the page and in the PDF,
with Chinese labels in the CJK font and nothing loaded from outside.

pygal's SVG normally links a tooltip script from its CDN; ``js=[]`` leaves it out and ``_clean`` removes
any ``<script>`` pygal still writes, so a chart is inert markup that passes the pages' CSP. Every chart
carries a title and its figures as a table in the page (a chart alone is not accessible).
"""

import re
from collections.abc import Sequence

import pygal
from django.conf import settings
from django.utils.safestring import SafeString, mark_safe
from pygal.style import Style

PALETTE = ("#2f6f4f", "#c0392b", "#d68910", "#2e86c1", "#7d3c98", "#7f8c8d", "#17a589", "#a04000")
_SCRIPT = re.compile(r"<script\b.*?</script>", re.S | re.I)
_XML_HEAD = re.compile(r"^<\?xml[^>]*>\s*")
_COMMENT = re.compile(r"<!--.*?-->", re.S)


def _style() -> Style:
    family = f"'{settings.PDF_CJK_FONT_FAMILY}', sans-serif"
    return Style(
        background="transparent",
        plot_background="transparent",
        foreground="#222",
        foreground_strong="#111",
        foreground_subtle="#666",
        colors=PALETTE,
        font_family=family,
        label_font_family=family,
        major_label_font_family=family,
        value_font_family=family,
        title_font_family=family,
        legend_font_family=family,
        title_font_size=15,
        label_font_size=12,
        major_label_font_size=12,
        legend_font_size=12,
        value_font_size=11,
    )


def _config(chart_class, title: str, *, width: int, height: int, **options):
    return chart_class(
        title=title,
        style=_style(),
        width=width,
        height=height,
        js=[],
        disable_xml_declaration=True,
        explicit_size=False,
        print_values=options.pop("print_values", True),
        legend_at_bottom=True,
        truncate_legend=-1,
        truncate_label=-1,
        **options,
    )


def _clean(svg: str | bytes) -> SafeString:
    text = svg.decode() if isinstance(svg, bytes) else svg
    return mark_safe(_COMMENT.sub("", _SCRIPT.sub("", _XML_HEAD.sub("", text))))


def _whole_number_axis(chart, series: dict[str, Sequence[int]], *, stacked: bool = False) -> None:
    """Counts are whole: ticks at 0, step, 2·step … (pygal would otherwise mark 0.2, 0.4 … on a chart
    whose largest bar is 1)."""
    columns = [list(v) for v in series.values()]
    if stacked and columns:
        top = max((sum(v or 0 for v in column) for column in zip(*columns, strict=False)), default=0)
    else:
        top = max((v or 0 for column in columns for v in column), default=0)
    step = max(1, -(-int(top) // 5))
    chart.y_labels = list(range(0, int(top) + step + 1, step))


def bar_svg(title: str, labels: Sequence[str], series: dict[str, Sequence[int]], *, width=720, height=320):
    """A grouped bar chart: one bar per label in each series."""
    chart = _config(pygal.Bar, title, width=width, height=height, show_legend=len(series) > 1)
    chart.x_labels = list(labels)
    _whole_number_axis(chart, series)
    for name, values in series.items():
        chart.add(name, list(values))
    return _clean(chart.render())


def stacked_bar_svg(
    title: str, labels: Sequence[str], series: dict[str, Sequence[int]], *, width=720, height=320
):
    """Bars stacked per label (open and overdue in one column, say)."""
    chart = _config(pygal.StackedBar, title, width=width, height=height)
    chart.x_labels = list(labels)
    _whole_number_axis(chart, series, stacked=True)
    for name, values in series.items():
        chart.add(name, list(values))
    return _clean(chart.render())


def line_svg(title: str, labels: Sequence[str], series: dict[str, Sequence[int]], *, width=720, height=300):
    """A trend: one line per series over the labels (months, say)."""
    # No printed values: on a line they sit on the month labels; the page's table gives the figures.
    chart = _config(
        pygal.Line, title, width=width, height=height, show_dots=True, dots_size=3, print_values=False
    )
    chart.x_labels = list(labels)
    _whole_number_axis(chart, series)
    for name, values in series.items():
        chart.add(name, list(values))
    return _clean(chart.render())


def gauge_bar_svg(
    title: str,
    labels: Sequence[str],
    shares: Sequence[float],
    targets: Sequence[float],
    *,
    width=720,
    height=280,
):
    """Shares against their targets, in percent (checklist coverage against 2023 and 2025 targets)."""
    chart = _config(
        pygal.HorizontalBar,
        title,
        # Room for the Chinese row names on the left (pygal measures them as Latin text and cuts them).
        margin_left=16 * max((len(label) for label in labels), default=0) // 2,
        width=width,
        height=height,
        range=(0, 100),
        value_formatter=lambda v: f"{v:.1f}%",
    )
    chart.x_labels = list(labels)
    chart.add("已覆盖", [round(s, 1) for s in shares])
    chart.add("目标", [round(t, 1) for t in targets])
    return _clean(chart.render())
