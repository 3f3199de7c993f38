"""The public random-check pages without login (R-INS-5, R-PUB-1): every state of a draw, what is
published when, the year's 抽查结果公开率, the downloads, and what the in-browser re-run needs."""

import json
import re
from datetime import date
from pathlib import Path

import pytest
from django.urls import reverse

from bureau import sampling
from inspections.models import DrawItem
from inspections.services.draws import cancel_draw, create_draw, rerun, run_draw
from tests.factories.inspections import NONCOMPLIANT_RECTIFY, add_photo, signed, start
from tests.factories.permits import FacilityFactory, PermitFactory

# The inspections fixtures (a conftest reaches only its folder).
from tests.inspections.conftest import officer2, officers  # noqa: F401

CREATED = date(2026, 6, 1)
INSPECT_FROM = date(2026, 6, 15)
INSPECT_UNTIL = date(2026, 7, 31)
BEFORE = pytest.mark.today(date(2026, 6, 10))
AFTER = pytest.mark.today(date(2026, 6, 20))
ENDED = pytest.mark.today(date(2026, 8, 5))
TITLE = "2026年第二季度重点排污单位双随机抽查"
ON_THE_SPOT = {
    "verdict": "noncompliant",
    "note": "自行监测记录缺页，现场补齐",
    "finding_kind": "self_monitoring",
    "disposition": "on_the_spot",
}


@pytest.fixture
def units(town_a, approval_clerk):
    """Four key-managed units with permits in 甲镇."""
    made = []
    for n in range(1, 5):
        facility = FacilityFactory(n=n, town=town_a, by=approval_clerk)
        PermitFactory(facility=facility, by=approval_clerk, issued_on=date(2024, 1, 10))
        made.append(facility)
    return made


def make_draw(officers, *, sample_size=2, title=TITLE, towns=("TA",)):  # noqa: F811
    return create_draw(
        by=officers[0],
        title=title,
        levels=["key"],
        towns=list(towns),
        officers=list(officers),
        inspect_from=INSPECT_FROM,
        inspect_until=INSPECT_UNTIL,
        sample_size=sample_size,
        exclude_recent_days=0,
        exclude_positive_list=False,
        avoid_own_town=False,
        today=CREATED,
    )


@pytest.fixture
def committed(units, officers):  # noqa: F811
    return make_draw(officers)


@pytest.fixture
def drawn(committed, officers):  # noqa: F811
    return run_draw(by=officers[0], draw=committed, today=CREATED)


def drawn_units(draw):
    return [item.facility for item in DrawItem.objects.filter(draw=draw).select_related("facility")]


def undrawn_units(draw, units):
    chosen = {f.pk for f in drawn_units(draw)}
    return [f for f in units if f.pk not in chosen]


def detail_url(draw):
    return reverse("public:draw-detail", args=[draw.number])


def pool_url(draw):
    return reverse("public:draw-pool", args=[draw.number])


def html(response) -> str:
    return response.content.decode()


# The index and the list ---------------------------------------------------------------------------------


def test_r_pub_1_the_index_needs_no_login_and_links_the_draws(client, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(reverse("public:index"))
    assert response.status_code == 200
    page = html(response)
    assert reverse("public:draw-list") in page
    assert reverse("public:sampling-script") in page
    assert "退出" not in page and "main-nav" not in page  # no staff navigation, no user menu


@BEFORE
def test_r_ins_5_the_list_shows_every_draw_with_its_filter_in_words(
    client,
    drawn,
    officers,  # noqa: F811
    units,
    django_assert_num_queries,
):
    cancelled = make_draw(officers, title="作废的抽查", towns=())
    cancel_draw(by=officers[0], draw=cancelled, reason="抽取范围选错了街镇")
    # years, count, page, towns' names, the rate
    with django_assert_num_queries(5):
        response = client.get(reverse("public:draw-list"))
    assert response.status_code == 200
    page = html(response)
    assert drawn.number in page and TITLE in page
    assert "管理类别：重点管理" in page and "街镇：甲镇" in page and "街镇：全区" in page
    assert "已作废" in page and "抽取范围选错了街镇" in page
    assert "抽取结果将于 2026-06-15 公开" in page
    assert "4 家单位，执法人员 2 人" in page
    assert "2026-06-15 至 2026-07-31" in page
    for facility in units:  # before the date no unit's name is on the list
        assert facility.name not in page


@BEFORE
def test_r_ins_5_the_list_keeps_its_queries_fixed_with_more_draws(
    client,
    drawn,
    officers,  # noqa: F811
    django_assert_num_queries,
):
    for n in range(3):
        make_draw(officers, title=f"另一次抽查{n}")
    with django_assert_num_queries(5):
        response = client.get(reverse("public:draw-list"), {"year": "2026"})
    assert html(response).count('class="draw-card state-') == 4


@BEFORE
@pytest.mark.parametrize(
    "query",
    [
        {"year": "abc"},
        {"year": "99999"},
        {"year": "1900"},
        {"page": "-1"},
        {"page": "x" * 500},
        {"year": "all"},
    ],
)
def test_r_pub_1_no_query_string_breaks_the_list(client, drawn, query):
    response = client.get(reverse("public:draw-list"), query)
    assert response.status_code == 200


@ENDED
def test_r_ins_5_the_rate_counts_units_whose_period_ended_or_inspection_is_signed(
    client,
    drawn,
    officers,  # noqa: F811
    work_calendar,
):
    first = DrawItem.objects.filter(draw=drawn).order_by("position").first()
    inspection = start(first.facility, officers, reason="random_draw", draw_item=first, on=date(2026, 7, 1))
    signed(inspection, officers)
    response = client.get(reverse("public:draw-list"), {"year": "2026"})
    page = html(response)
    # two units drawn, the period ended for both, one inspection signed
    assert "检查期限已届满或检查已签署的被抽取单位共 2 家" in page
    assert "结果已公开的 1 家" in page
    assert re.search(r'class="rate-figure">50%', page)


@BEFORE
def test_r_ins_5_the_rate_is_a_dash_when_nothing_is_due_yet(client, drawn):
    page = html(client.get(reverse("public:draw-list")))
    assert re.search(r'class="rate-figure">—', page)
    assert "共 0 家" in page


# A draw's page in each state ----------------------------------------------------------------------------


@BEFORE
def test_r_ins_5_a_committed_draw_shows_fingerprint_and_commitment_never_the_seed(
    client, committed, units, django_assert_num_queries
):
    with django_assert_num_queries(2):  # the draw, the towns' names
        response = client.get(detail_url(committed))
    assert response.status_code == 200
    page = html(response)
    assert committed.pool_hash in page and committed.commitment in page
    assert "抽取结果将于 2026-06-15 公开" in page
    assert committed.seed not in page
    assert pool_url(committed) not in page
    for facility in units:
        assert facility.name not in page and facility.source_code not in page
    assert client.get(pool_url(committed)).status_code == 404


@BEFORE
def test_r_ins_5_a_drawn_draw_before_its_date_hides_the_seed_pool_and_selection(
    client,
    drawn,
    officers,  # noqa: F811
    django_assert_num_queries,
):
    with django_assert_num_queries(2):
        response = client.get(detail_url(drawn))
    page = html(response)
    assert drawn.pool_hash in page and drawn.commitment in page
    assert "抽取结果将于 2026-06-15 公开" in page
    assert drawn.seed not in page
    for facility in drawn_units(drawn):
        assert facility.name not in page and facility.source_code not in page
    assert "31010720001" not in page  # no officer either
    assert "draw-verify-data" not in page and "draw-verify.js" not in page
    response = client.get(pool_url(drawn))
    assert response.status_code == 404 and "抽取池在检查开始日起公开" in html(response)


@AFTER
def test_r_ins_5_from_its_date_a_draw_shows_seed_pool_selection_and_how_to_verify(
    client, drawn, units, django_assert_num_queries
):
    # the draw, the towns' names, the seed, the items with units and inspections, their officers
    with django_assert_num_queries(5):
        response = client.get(detail_url(drawn))
    page = html(response)
    assert drawn.seed in page
    assert pool_url(drawn) in page
    for facility in drawn_units(drawn):
        assert facility.name in page and facility.source_code in page
    for facility in undrawn_units(drawn, units):
        assert facility.name not in page
    assert "周执法（31010720002）" in page
    assert f"python3 sampling.py {drawn.number}-pool.txt {drawn.seed}" in page
    assert "SHA-256(种子|U|污染源编码)" in page
    assert "检查尚未完成" in page
    response = client.get(pool_url(drawn))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == drawn.pool_text
    assert sampling.sha256(response.content.decode()) == drawn.pool_hash


@AFTER
def test_r_ins_5_the_page_embeds_what_the_browser_re_run_needs(client, drawn):
    page = html(client.get(detail_url(drawn)))
    block = re.search(r'<script id="draw-verify-data" type="application/json">(.*?)</script>', page, re.S)
    data = json.loads(block.group(1))
    expected = [{"unit": pick.unit, "officers": sorted(pick.officers)} for pick in rerun(drawn)]
    assert data == {
        "number": drawn.number,
        "poolHash": drawn.pool_hash,
        "commitment": drawn.commitment,
        "seed": drawn.seed,
        "selection": expected,
    }
    assert f'data-pool-url="{pool_url(drawn)}"' in page
    assert "/static/js/sha256.js" in page and "/static/js/draw-verify.js" in page
    assert "在浏览器中重新抽取" in page and "data-verify-run" in page and "data-verify-seed" in page
    # scripts are static files: every other <script> is the JSON block
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", page, re.S)
    for attributes, body in scripts:
        assert 'type="application/json"' in attributes or (" src=" in attributes and not body.strip())


@AFTER
def test_r_ins_5_a_signed_result_is_published_as_counts_never_the_notes(
    client,
    drawn,
    officers,  # noqa: F811
    work_calendar,
    django_assert_num_queries,
):
    first = DrawItem.objects.filter(draw=drawn).order_by("position").first()
    inspection = start(first.facility, officers, reason="random_draw", draw_item=first, on=date(2026, 6, 18))
    add_photo(inspection, officers[0], code="三.1")
    signed(inspection, officers, 二_3=NONCOMPLIANT_RECTIFY, 三_1=ON_THE_SPOT)
    with django_assert_num_queries(6):  # … and the findings' counts
        response = client.get(detail_url(drawn))
    page = html(response)
    assert "2026-06-18 现场检查：<strong>发现问题 2 项</strong>" in page
    assert "违反自行监测要求的行为 1 项；违反其他环境管理要求的行为 1 项" in page
    assert "处理：立整立改 1 项；限期整改 1 项" in page
    assert NONCOMPLIANT_RECTIFY["note"] not in page and ON_THE_SPOT["note"] not in page
    assert "李厂长" not in page  # the representative is part of the record, not the result
    assert inspection.number not in page


@BEFORE
def test_r_ins_5_a_cancelled_draw_stays_public_with_its_reason(client, committed, officers):  # noqa: F811
    cancel_draw(by=officers[0], draw=committed, reason="检查期限与专项行动冲突")
    page = html(client.get(detail_url(committed)))
    assert "已作废" in page and "检查期限与专项行动冲突" in page
    assert committed.seed not in page
    assert client.get(pool_url(committed)).status_code == 404


# Bad requests and downloads -----------------------------------------------------------------------------


@pytest.mark.parametrize("number", ["CC-2026-9999", "x" * 300, "%E4%B8%AD", "'\"<b>"])
def test_r_pub_1_an_unknown_draw_is_a_chinese_404(client, db, number):
    response = client.get(f"/public/draws/{number}/")
    assert response.status_code == 404
    assert "页面不存在" in html(response) and "<b>" not in html(response)
    assert client.get(f"/public/draws/{number}/pool.txt").status_code == 404


@AFTER
def test_r_pub_1_the_pages_take_only_get(client, drawn):
    urls = [
        reverse("public:index"),
        reverse("public:draw-list"),
        detail_url(drawn),
        pool_url(drawn),
        reverse("public:sampling-script"),
    ]
    for url in urls:
        assert client.post(url).status_code == 405, url
        assert client.head(url).status_code == 200, url


def test_r_ins_5_the_sampling_script_downloads_as_it_is(client, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(reverse("public:sampling-script"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/x-python; charset=utf-8"
    assert response.content.decode() == Path(sampling.__file__).read_text(encoding="utf-8")


def test_r_pub_1_the_login_page_links_the_public_pages(client, db):
    assert 'href="/public/"' in html(client.get(reverse("login")))
