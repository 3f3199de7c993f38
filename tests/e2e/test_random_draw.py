"""双随机一公开 on its real path (R-INS-5): 执法大队 makes a draw in the browser; an anonymous citizen sees its
commitment and pool fingerprint on the public page before anything is drawn; 执法大队 draws, and the
month's plan lists the drawn units; the citizen then re-runs the draw in the browser and gets the same
selection, a seed typed by hand is refused, and our own SHA-256 and draw script give the fixed vector of
``bureau/sampling.py`` (tests/bureau/sampling_vector.json)."""

import json
from datetime import date
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from inspections.models import RandomDraw
from inspections.services.draws import rerun
from permits.models import Facility
from tests.factories.permits import FacilityFactory

# The inspections fixtures (a conftest reaches only its folder).
from tests.inspections.conftest import officer2, officers  # noqa: F401

pytestmark = pytest.mark.today(date(2026, 6, 15))

VECTOR = json.loads((Path(__file__).resolve().parents[1] / "bureau" / "sampling_vector.json").read_text())
TITLE = "2026年6月登记管理单位双随机抽查"


@pytest.fixture
def registered_units(town_a, approval_clerk):
    return [
        FacilityFactory(n=n, town=town_a, by=approval_clerk, management_level="registered") for n in range(1, 6)
    ]


def test_r_ins_5_a_draw_is_committed_drawn_planned_and_re_run_by_anyone(
    page: Page, browser, live_server, log_in, work_calendar, registered_units, officers  # noqa: F811
):
    # given: 执法大队 fills in 新建双随机抽查
    log_in(officers[0])
    page.goto(live_server.url + reverse("inspections:draw-new"))
    page.get_by_label("抽查事项").fill(TITLE)
    page.get_by_label("登记管理").check()
    page.get_by_label("抽取数量").fill("2")
    page.get_by_label("检查开始日期").fill("2026-06-15")
    page.get_by_label("检查截止日期").fill("2026-06-30")
    page.get_by_role("button", name="公示并等待抽取").click()
    draw = RandomDraw.objects.get(title=TITLE)
    expect(page.get_by_role("heading", level=1)).to_contain_text(draw.number)
    expect(page.locator("main")).to_contain_text(draw.commitment)

    # then: before the draw, the public page shows the commitment and the fingerprint, not the seed
    citizen = browser.new_context().new_page()
    public_url = live_server.url + reverse("public:draw-detail", args=[draw.number])
    citizen.goto(public_url)
    expect(citizen.locator("main")).to_contain_text(draw.commitment)
    expect(citizen.locator("main")).to_contain_text(draw.pool_hash)
    expect(citizen.locator("main")).not_to_contain_text(draw.seed)

    # when: 执法大队 draws
    page.get_by_role("button", name="执行抽取").click()
    picks = rerun(draw)
    drawn = {Facility.objects.get(source_code=pick.unit).name for pick in picks}
    for name in drawn:
        expect(page.locator("main")).to_contain_text(name)

    # then: the month's plan lists the drawn units as 双随机抽查
    page.goto(live_server.url + reverse("inspections:plan-month", args=[2026, 6]))
    for name in drawn:
        expect(page.locator("main")).to_contain_text(name)
    expect(page.locator("main")).to_contain_text("双随机抽查")

    # when: the inspection date has come, anyone re-runs the draw in the browser
    citizen.goto(public_url)
    expect(citizen.locator("[data-seed]")).to_have_text(draw.seed)
    citizen.get_by_role("button", name="在浏览器中重新抽取").click()

    # then: 一致, each step with its value, the same units in the same order
    verdict = citizen.locator("[data-verify-verdict]")
    expect(verdict).to_have_text("一致", timeout=15_000)
    steps = citizen.locator("[data-verify-steps]")
    expect(steps).to_contain_text(draw.pool_hash)
    expect(steps).to_contain_text(draw.commitment)
    rows = citizen.locator("[data-verify-rows] tr")
    expect(rows).to_have_count(len(picks))
    for index, pick in enumerate(picks):
        cells = rows.nth(index).locator("td")
        expect(cells.nth(1)).to_have_text(pick.unit)
        expect(cells.nth(3)).to_have_text("一致")

    # when: another seed is typed, it is refused (it does not match the commitment)
    citizen.locator("[data-verify-seed]").fill("1" * 64)
    citizen.get_by_role("button", name="在浏览器中重新抽取").click()
    expect(verdict).to_contain_text("不一致")
    expect(steps).to_contain_text("随机种子与事先公示的承诺值（SHA-256）不符")

    # and: the page's SHA-256 and draw script give the fixed vector of bureau/sampling.py
    result = citizen.evaluate(
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
