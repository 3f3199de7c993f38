"""Charts drawn on the server (reports.charts): inert SVG (no script, nothing fetched from outside),
Chinese labels kept as text, whole-number ticks for counts."""

import re

from reports import charts


def _ticks(svg: str) -> set[str]:
    return set(re.findall(r"<text[^>]*>(\d+(?:\.\d+)?)</text>", svg))


def test_a_chart_is_inert_svg_with_its_chinese_labels():
    svg = charts.bar_svg("三监联动任务", ["审批科", "执法大队"], {"未办结": [3, 1], "已逾期": [1, 0]})
    assert svg.startswith("<svg") and "<script" not in svg.lower()
    assert not re.search(r"(href|src)=\"https?://", svg)
    assert "三监联动任务" in svg and "执法大队" in svg and "已逾期" in svg


def test_count_axes_tick_at_whole_numbers():
    assert _ticks(charts.bar_svg("t", ["a", "b"], {"n": [1, 0]})) == {"0", "1", "2"}
    stacked = charts.stacked_bar_svg("t", ["a", "b"], {"n": [7, 3], "m": [6, 1]})
    assert {"0", "3", "12", "15"} <= _ticks(stacked) and not any("." in t for t in _ticks(stacked))
    assert not any("." in t for t in _ticks(charts.line_svg("t", ["1月", "2月"], {"n": [0, 1]})))
