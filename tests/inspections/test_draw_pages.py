"""The pages of 双随机一公开 (R-INS-5): who may open them, the form's refusals in Chinese with nothing
written, the selection shown only to 执法大队 and leadership before the inspection date, the seed to
nobody before it, the pool file, 系统复核, officers' conflicts, and 登记现场检查 from a drawn unit; exact
query budgets for the list and the detail."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from bureau.models import SectionCode
from inspections.models import CheckMode, DrawItem, DrawState, Inspection, OfficerConflict, RandomDraw
from inspections.services import draws, planning
from tests.factories.permits import FacilityFactory

TODAY = date(2026, 3, 2)
START = TODAY + timedelta(days=7)
pytestmark = pytest.mark.today(TODAY)

LIST = reverse("inspections:draw-list")
NEW = reverse("inspections:draw-new")
CONFLICTS = reverse("inspections:conflict-list")
CONFLICT_NEW = reverse("inspections:conflict-new")


def detail(draw) -> str:
    return reverse("inspections:draw-detail", args=[draw.pk])


def text(response) -> str:
    return response.content.decode()


@pytest.fixture
def units(town_a, town_b, approval_clerk):
    return [FacilityFactory(n=n, town=town_a if n <= 3 else town_b, by=approval_clerk) for n in range(1, 6)]


def make(officer, crew, **values):
    values = {
        "title": "重点排污单位双随机抽查",
        "levels": ["key"],
        "officers": crew,
        "inspect_from": START,
        "inspect_until": START + timedelta(days=30),
        "sample_size": 3,
        "exclude_recent_days": 0,
        "exclude_positive_list": False,
        **values,
    }
    return draws.create_draw(by=officer, **values)


@pytest.fixture
def committed(officer, crew, units):
    return make(officer, crew)


@pytest.fixture
def drawn(officer, crew, units):
    return draws.run_draw(by=officer, draw=make(officer, crew, title="已抽取的抽查"))


# The list --------------------------------------------------------------------------------------------------


def test_r_ins_5_list_per_role(client, personas, administrator, committed, drawn):
    for code, user in [*personas.items(), ("admin", administrator)]:
        client.force_login(user)
        response = client.get(LIST)
        if code == SectionCode.TOWN:
            assert response.status_code == 403
            continue
        assert response.status_code == 200, code
        page = text(response)
        assert committed.number in page and drawn.number in page and "已公示，待抽取" in page
        assert ("新建双随机抽查" in page) == (code == SectionCode.ENFORCEMENT)
    client.logout()
    assert client.get(LIST).status_code == 302


@pytest.mark.parametrize("who", ["officer", "legal_clerk"])
def test_r_ins_5_list_budget(client, request, who, committed, drawn, django_assert_num_queries):
    client.force_login(request.getfixturevalue(who))
    client.get(LIST)  # warm the session
    with django_assert_num_queries(5):
        response = client.get(LIST)
    assert len(response.context["page"].object_list) == 2


# 新建 ------------------------------------------------------------------------------------------------------


def test_r_ins_5_only_enforcement_opens_the_form(client, legal_clerk, leader, administrator, town_a_liaison):
    for user in (legal_clerk, leader, administrator, town_a_liaison):
        client.force_login(user)
        assert client.get(NEW).status_code == 403
        assert client.post(NEW, {"title": "x"}).status_code == 403
    assert RandomDraw.objects.count() == 0


def test_r_ins_5_form_defaults(client, officer, crew):
    client.force_login(officer)
    form = client.get(NEW).context["form"]
    assert sorted(form.initial["officers"]) == sorted(u.pk for u in crew)
    assert form.initial["exclude_recent_days"] == 180 and form.initial["exclude_positive_list"] is True


def post_data(crew, **values):
    return {
        "title": "第一批",
        "mode": "remote",
        "levels": ["key"],
        "sample_size": "2",
        "exclude_recent_days": "0",
        "officers": [u.pk for u in crew],
        "inspect_from": START.isoformat(),
        "inspect_until": (START + timedelta(days=20)).isoformat(),
        **values,
    }


@pytest.mark.parametrize(
    ("values", "field", "words"),
    [
        ({"sample_size": "", "sample_percent": "150"}, "sample_percent", "抽取比例应在 1%–100% 之间"),
        ({"sample_size": "", "sample_percent": ""}, "sample_percent", "二者选一"),
        ({"sample_size": "9"}, None, "抽取数量 9 超过抽取池的 5 家单位"),
        ({"industry_prefixes": "77"}, None, "抽取池为空"),
        ({"industry_prefixes": "7x"}, "industry_prefixes", "应为 1–4 位数字"),
        ({"inspect_from": (TODAY - timedelta(days=1)).isoformat()}, "inspect_from", "不能早于今天"),
        ({"towns": ["TX"]}, "towns", "选择的街镇不存在"),
        ({"levels": []}, "levels", "请选择抽查的管理类别"),
        ({"inspect_until": "2026-13-01"}, "inspect_until", "年-月-日"),
    ],
)
def test_r_ins_5_form_errors_in_chinese(client, officer, crew, units, values, field, words):
    client.force_login(officer)
    response = client.post(NEW, post_data(crew, **values))
    assert response.status_code == 400
    errors = response.context["form"].errors.get(field or "__all__")
    assert errors and any(words in e for e in errors), response.context["form"].errors
    assert words in text(response)
    assert RandomDraw.objects.count() == 0


def test_r_ins_5_too_few_officers_after_avoidance_at_the_top(client, officer, officer2, units):
    draws.declare_conflict(by=officer, officer=officer2, facility=units[0], reason="亲属任职")
    client.force_login(officer)
    response = client.post(NEW, post_data([officer, officer2]))
    assert response.status_code == 400
    assert any("回避后可派执法人员不足 2 人" in e for e in response.context["form"].non_field_errors())
    assert RandomDraw.objects.count() == 0


def test_r_ins_5_form_makes_a_draw(client, officer, crew, units):
    client.force_login(officer)
    response = client.post(NEW, post_data(crew, towns=["TA"], industry_prefixes="26, 3130"))
    draw = RandomDraw.objects.get()
    assert response.status_code == 302 and response.url == detail(draw)
    assert (draw.mode, draw.towns, draw.industry_prefixes, draw.unit_count) == (
        "remote",
        ["TA"],
        ["26", "3130"],
        3,
    )
    assert draw.exclude_positive_list is False  # unticked


# One draw ------------------------------------------------------------------------------------------------


def test_r_ins_5_committed_draw_page(client, officer, legal_clerk, leader, committed):
    client.force_login(officer)
    page = text(client.get(detail(committed)))
    assert committed.pool_hash in page and committed.commitment in page
    assert committed.seed not in page  # not even 执法大队 before the inspection date
    assert "执行抽取" in page and "作废原因" in page
    assert f"/public/draws/{committed.number}/" in page and "下载抽取池文件" in page
    client.force_login(legal_clerk)
    page = text(client.get(detail(committed)))
    assert committed.commitment in page and committed.seed not in page
    assert "执行抽取" not in page and "下载抽取池文件" not in page
    client.force_login(leader)
    assert "下载抽取池文件" in text(client.get(detail(committed)))


def test_r_ins_5_run_and_cancel_through_the_pages(client, officer, legal_clerk, crew, committed):
    run = reverse("inspections:draw-run", args=[committed.pk])
    cancel = reverse("inspections:draw-cancel", args=[committed.pk])
    client.force_login(legal_clerk)
    assert client.post(run).status_code == 403
    assert client.post(cancel, {"reason": "x"}).status_code == 403
    client.force_login(officer)
    assert client.get(run).status_code == 405
    response = client.post(cancel, {"reason": ""})
    assert response.status_code == 400 and "请填写作废原因" in text(response)
    assert client.post(run).status_code == 302
    assert RandomDraw.objects.get(pk=committed.pk).state == DrawState.DRAWN
    response = client.post(run)
    assert response.status_code == 409 and "不能再抽取" in text(response)
    assert DrawItem.objects.filter(draw=committed).count() == 3
    other = make(officer, crew, title="第二批")
    cancel = reverse("inspections:draw-cancel", args=[other.pk])
    assert client.post(cancel, {"reason": "抽取池设置错误"}).status_code == 302
    assert RandomDraw.objects.get(pk=other.pk).cancel_reason == "抽取池设置错误"


def test_r_ins_5_selection_only_to_enforcement_and_leadership(
    client, personas, administrator, drawn, officer
):
    names = [item.facility.name for item in DrawItem.objects.filter(draw=drawn).select_related("facility")]
    first = DrawItem.objects.filter(draw=drawn).order_by("position").first()
    for code, user in [*personas.items(), ("admin", administrator)]:
        if code == SectionCode.TOWN:
            continue
        client.force_login(user)
        page = text(client.get(detail(drawn)))
        sees = code in (SectionCode.ENFORCEMENT, SectionCode.LEADERSHIP, "admin")
        assert all((name in page) == sees for name in names), code
        assert ("抽取结果将于 2026-03-09 公开" in page) == (not sees)
        assert f"?draw_item={first.pk}" not in page  # the inspection period has not begun
        assert drawn.seed not in page


def test_r_ins_5_no_plan_page_or_api_tells_who_was_drawn_before_the_inspection_date(
    client, personas, administrator, drawn
):
    """The drawn units are plan items of the month of the inspection date; before that date the plan's
    pages, one facility's explanation and the API show them only to those who see the selection."""
    first = DrawItem.objects.filter(draw=drawn).order_by("position").first()
    march = {"year": 2026, "month": 3}
    urls = [
        reverse("inspections:plan-month", args=[2026, 3]),
        reverse("inspections:plan-items") + "?year=2026",
        reverse("inspections:plan-facility", args=[first.facility_id]) + "?year=2026",
    ]
    for code, user in [*personas.items(), ("admin", administrator)]:
        client.force_login(user)
        sees = code in (SectionCode.ENFORCEMENT, SectionCode.LEADERSHIP, "admin")
        for url in urls:
            response = client.get(url)
            if code == SectionCode.TOWN:
                assert response.status_code == 403, url
                continue
            assert (drawn.number in text(response)) == sees, (code, url)
        api = client.get("/api/v1/inspection-plan/", march)
        if code == SectionCode.TOWN:
            assert api.status_code == 403
            continue
        kinds = {item["kind"] for row in api.json()["results"] for item in row["items"]}
        assert ("random_draw" in kinds) == sees, code


@pytest.mark.today(START)
def test_r_ins_5_from_the_inspection_date_the_plan_shows_the_drawn_units_to_every_section(
    client, legal_clerk, drawn
):
    client.force_login(legal_clerk)
    assert drawn.number in text(client.get(reverse("inspections:plan-month", args=[2026, 3])))


@pytest.mark.parametrize(
    ("who", "queries", "shown"), [("officer", 7, 3), ("leader", 7, 3), ("legal_clerk", 4, 0)]
)
def test_r_ins_5_detail_budget(client, request, who, queries, shown, drawn, django_assert_num_queries):
    client.force_login(request.getfixturevalue(who))
    client.get(detail(drawn))
    with django_assert_num_queries(queries):
        response = client.get(detail(drawn))
    assert len(response.context["items"]) == shown


def test_r_ins_5_system_check(client, leader, drawn):
    client.force_login(leader)
    response = client.get(detail(drawn), {"verify": "1"})
    assert response.context["verification"]["same"] and "系统复核：一致" in text(response)
    RandomDraw.objects.filter(pk=drawn.pk).update(pool_text=drawn.pool_text.replace("sample 3", "sample 2"))
    assert "系统复核：不一致" in text(client.get(detail(drawn), {"verify": "1"}))


@pytest.mark.today(START)
def test_r_ins_5_everything_public_from_the_inspection_date(client, officer, crew, units, legal_clerk):
    draw = draws.run_draw(by=officer, draw=make(officer, crew, inspect_from=START, today=TODAY))
    client.force_login(legal_clerk)
    page = text(client.get(detail(draw)))
    assert draw.seed in page
    assert all(
        item.facility.name in page for item in DrawItem.objects.filter(draw=draw).select_related("facility")
    )


def test_r_ins_5_pool_file(client, officer, leader, legal_clerk, town_a_liaison, committed):
    url = reverse("inspections:draw-pool", args=[committed.pk])
    for user in (officer, leader):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "text/plain; charset=utf-8"
        assert f"{committed.number}-pool.txt" in response["Content-Disposition"]
        assert response.content.decode("utf-8") == committed.pool_text
    for user in (legal_clerk, town_a_liaison):
        client.force_login(user)
        assert client.get(url).status_code == 403


# Conflicts --------------------------------------------------------------------------------------------------


def test_r_ins_5_conflicts_through_the_pages(client, officer, officer2, leader, legal_clerk, units, town_a):
    client.force_login(legal_clerk)
    assert client.get(CONFLICTS).status_code == 403
    assert client.post(CONFLICT_NEW, {}).status_code == 403
    client.force_login(officer)
    both = {"officer": officer2.pk, "facility": units[0].source_code, "town": town_a.pk, "reason": "亲属"}
    response = client.post(CONFLICT_NEW, both)
    assert response.status_code == 400 and "二者选一" in text(response)
    assert OfficerConflict.objects.count() == 0
    response = client.post(CONFLICT_NEW, {**both, "town": ""})
    assert response.status_code == 302
    assert client.post(CONFLICT_NEW, {**both, "facility": ""}).status_code == 302
    conflict = OfficerConflict.objects.get(facility=units[0])
    page = text(client.get(CONFLICTS))
    assert units[0].name in page and "本人所在街镇：甲镇" in page
    end = reverse("inspections:conflict-end", args=[conflict.pk])
    assert client.post(end, {"reason": "亲属已离职"}).status_code == 302
    assert not OfficerConflict.objects.get(pk=conflict.pk).is_active
    client.post(end, {"reason": "again"})
    assert "该回避已解除" in text(client.get(CONFLICTS))
    client.force_login(leader)
    page = text(client.get(CONFLICTS))
    assert "已解除" in page and "登记回避" not in page


# 登记现场检查 from a drawn unit ----------------------------------------------------------------------------


@pytest.mark.today(START)
def test_r_ins_5_start_an_inspection_from_a_drawn_unit(client, officer, crew, units):
    draw = draws.run_draw(
        by=officer, draw=make(officer, crew, inspect_from=START, today=TODAY, mode=CheckMode.REMOTE)
    )
    item = DrawItem.objects.filter(draw=draw).order_by("position").first()
    team = sorted(o.user_id for o in item.officers.all())
    client.force_login(officer)
    assert f"?draw_item={item.pk}" in text(client.get(detail(draw)))
    new = reverse("inspections:inspection-new")
    response = client.get(new, {"draw_item": item.pk})
    form = response.context["form"]
    assert form.initial["facility"] == item.facility and form.initial["reason"] == "random_draw"
    assert sorted(form.initial["officers"]) == team
    assert draw.number in text(response) and "远程核查" in text(response)
    data = {
        "facility": item.facility.source_code,
        "inspected_on": START.isoformat(),
        "officers": team,
        "reason": "random_draw",
        "draw_item": item.pk,
    }
    assert client.post(new, data).status_code == 302
    inspection = Inspection.objects.get()
    assert inspection.mode == CheckMode.REMOTE and DrawItem.objects.get(pk=item.pk).inspection == inspection
    page = text(client.get(reverse("inspections:inspection-detail", args=[inspection.pk])))
    assert "检查方式" in page and "远程核查" in page
    response = client.post(new, data)
    assert response.status_code == 400 and "该抽查结果不存在或已登记检查" in text(response)
    assert Inspection.objects.count() == 1


@pytest.mark.today(START)
def test_r_ins_5_a_conflict_declared_after_the_draw_is_shown_on_its_unit(client, officer, drawn):
    item = DrawItem.objects.filter(draw=drawn).order_by("position").first()
    someone = item.officers.first()
    draws.declare_conflict(by=officer, officer=someone.user, facility=item.facility, reason="近亲属任职")
    client.force_login(officer)
    page = text(client.get(detail(drawn)))
    assert page.count("data-conflict") == 1 and "已申报回避，检查时须调整执法人员并填写原因" in page


def test_r_ins_3_the_draw_form_says_how_many_registered_units_the_year_still_owes(
    client, officer, town_a, approval_clerk
):
    for n in range(1, 38):  # 37 registered units → at least 8 (20%, rounded up)
        FacilityFactory(n=n, town=town_a, by=approval_clerk, management_level="registered")
    planning.sync_plan(year=2026)
    client.force_login(officer)
    page = text(client.get(NEW))
    assert (
        "2026 年登记管理单位 37 家，按不少于 20% 应抽查至少 <strong>8</strong> 家，已检查 0 家，尚需 <strong>8</strong> 家"
        in page
    )


def test_r_ins_5_coverage_counts_the_drawn_units_only_for_those_who_see_them(legal_clerk, officer, drawn):
    """The coverage figures (监管覆盖率, the dashboards) count what the plan's list shows the viewer:
    before the inspection date a section that may not see the selection does not count it either."""
    from bureau.access import Viewer
    from inspections import coverage
    from inspections.models import ItemKind, PlanItem

    drawn_items = PlanItem.objects.filter(kind=ItemKind.RANDOM_DRAW, draw_item__draw=drawn).count()

    def owed(user):
        tally = coverage.plan_coverage(
            Viewer.of(user), year=2026, town_id=None, today=date(2026, 3, 2), towns={}, share_setting=20
        )
        return tally.total.owed

    assert drawn_items > 0
    assert owed(officer) - owed(legal_clerk) == drawn_items
