"""The public re-run of a random draw in a real browser (R-INS-5): an anonymous citizen opens the
page of a drawn draw after its inspection date, presses 「在浏览器中重新抽取」 and sees 一致 with the same
units; another seed is refused; and our own SHA-256 and draw script give the fixed vector of
``bureau/sampling.py`` (tests/bureau/sampling_vector.json)."""

import json
from datetime import date
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from inspections.services.draws import rerun, run_draw
from tests.inspections.conftest import officer2, officers  # noqa: F401
from tests.reports.test_public import CREATED, make_draw, units  # noqa: F401

pytestmark = pytest.mark.today(date(2026, 6, 20))

VECTOR = json.loads((Path(__file__).resolve().parents[1] / "bureau" / "sampling_vector.json").read_text())


def test_r_ins_5_anyone_re_runs_the_draw_in_the_browser_and_gets_the_same_selection(
    page: Page,
    live_server,
    units,  # noqa: F811
    officers,  # noqa: F811
):
    draw = run_draw(by=officers[0], draw=make_draw(officers, sample_size=3), today=CREATED)
    picks = rerun(draw)
    page.goto(live_server.url + reverse("public:draw-detail", args=[draw.number]))
    expect(page.get_by_role("heading", level=1)).to_contain_text(draw.number)
    expect(page.locator("[data-seed]")).to_have_text(draw.seed)

    # when: the citizen presses the button
    page.get_by_role("button", name="在浏览器中重新抽取").click()

    # then: 一致, each step shown with its value, and the same units in the same order
    verdict = page.locator("[data-verify-verdict]")
    expect(verdict).to_have_text("一致", timeout=15_000)
    steps = page.locator("[data-verify-steps]")
    expect(steps).to_contain_text(draw.pool_hash)
    expect(steps).to_contain_text(draw.commitment)
    rows = page.locator("[data-verify-rows] tr")
    expect(rows).to_have_count(len(picks))
    for index, pick in enumerate(picks):
        cells = rows.nth(index).locator("td")
        expect(cells.nth(1)).to_have_text(pick.unit)
        expect(cells.nth(2)).to_have_text("、".join(pick.officers))
        expect(cells.nth(3)).to_have_text("一致")

    # when: another seed is typed, it is refused (it does not match the commitment)
    page.locator("[data-verify-seed]").fill("1" * 64)
    page.get_by_role("button", name="在浏览器中重新抽取").click()
    expect(verdict).to_contain_text("不一致")
    expect(steps).to_contain_text("随机种子与事先公示的承诺值（SHA-256）不符")
    expect(page.locator("[data-verify-table]")).to_be_hidden()

    # and: the page's SHA-256 and draw script give the fixed vector of bureau/sampling.py
    result = page.evaluate(
        """(v) => {
            const bytes = new TextEncoder().encode(v.pool_text);
            const r = window.BureauDraw.verify(bytes, v.seed, {
                poolHash: v.pool_hash, commitment: v.commitment, selection: v.selection});
            return {ok: r.ok, selection: r.selection, poolHash: window.BureauSha256.bytes(bytes),
                    commitment: window.BureauSha256.text(v.seed), empty: window.BureauSha256.text("")};
        }""",
        VECTOR,
    )
    assert result == {
        "ok": True,
        "selection": VECTOR["selection"],
        "poolHash": VECTOR["pool_hash"],
        "commitment": VECTOR["commitment"],
        "empty": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    }
