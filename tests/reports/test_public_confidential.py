"""Nothing confidential on any public page (R-PUB-1, 003 第十九条, R-INS-11): a data set with everything
confidential the product holds, and a walk over EVERY URL of the namespace ``public`` (taken from the
URL resolver, with real arguments) asserting none of it appears in any response."""

from datetime import date

import pytest
from django.urls import URLPattern, get_resolver, reverse

from complaints.services import ReporterInput
from inspections.models import DrawItem
from inspections.services.draws import create_draw, run_draw
from inspections.services.inspections import save_answer, update_inspection_details
from inspections.services.interference import record_interference
from permits.models import Facility
from tests.factories.complaints import ComplaintFactory
from tests.factories.inspections import NONCOMPLIANT_RECTIFY, add_photo, point, signed, start
from tests.factories.permits import FacilityFactory, PermitFactory
from tests.inspections.conftest import officer2, officers  # noqa: F401
from tests.reports.test_public import CREATED, ON_THE_SPOT, make_draw, units  # noqa: F401

pytestmark = pytest.mark.today(date(2026, 6, 20))

REPORTER = ReporterInput(name="保密举报人欧阳甲", phone="13987654321", id_number="11010519491231002X")
INTERFERER = "钱干预（某委办副主任）"
INTERFERENCE = "要求对该单位从轻处理的干预详情"
DRAFT_NOTE = "草稿中尚未核实的偷排暗管线索"
DRAFT_SUMMARY = "草稿检查小结：待二次核实"
SECRET_UNIT = "绝密军工配套涉密厂"
LATER = date(2026, 9, 1)


@pytest.fixture
def secrets_everywhere(units, officers, town_a, approval_clerk, work_calendar):  # noqa: F811
    """A public draw with a signed result (answers with notes, a photo), an inspection of another unit
    still a draft, a complaint with its reporter, an interference record, a unit involving state
    secrets, a draw only committed and one drawn whose date is to come. Returns the strings that must
    never appear and the draws."""
    secret = FacilityFactory(n=9, name=SECRET_UNIT, town=town_a, by=approval_clerk)
    PermitFactory(facility=secret, by=approval_clerk, issued_on=date(2024, 1, 10))
    Facility.objects.filter(pk=secret.pk).update(is_confidential=True)
    public = run_draw(by=officers[0], draw=make_draw(officers, sample_size=2), today=CREATED)
    item = DrawItem.objects.filter(draw=public).order_by("position").first()
    inspection = start(item.facility, officers, reason="random_draw", draw_item=item, on=date(2026, 6, 18))
    photo = add_photo(inspection, officers[0], code="三.1")
    signed(inspection, officers, representative="李厂长", 二_3=NONCOMPLIANT_RECTIFY, 三_1=ON_THE_SPOT)
    record_interference(
        by=officers[0],
        occurred_on=date(2026, 6, 19),
        interferer=INTERFERER,
        method="打电话说情",
        detail=INTERFERENCE,
        inspection=inspection,
    )
    drawn_ids = set(DrawItem.objects.filter(draw=public).values_list("facility_id", flat=True))
    other = next(f for f in units if f.pk not in drawn_ids)
    draft = start(other, officers)
    save_answer(
        by=officers[0], inspection=draft, point=point(draft, "二.3"), verdict="noncompliant", note=DRAFT_NOTE
    )
    update_inspection_details(
        by=officers[0], inspection=draft, representative_name="赵草稿", summary=DRAFT_SUMMARY
    )
    complaint = ComplaintFactory(by=officers[0], reporter=REPORTER, facility=other, content="夜间偷排黑水")
    later = dict(
        by=officers[0],
        levels=["key"],
        officers=list(officers),
        inspect_from=LATER,
        inspect_until=date(2026, 9, 30),
        sample_size=1,
        exclude_recent_days=0,
        exclude_positive_list=False,
        avoid_own_town=False,
    )
    committed = create_draw(title="三季度抽查（待抽取）", **later)
    drawn_later = run_draw(by=officers[0], draw=create_draw(title="三季度抽查（已抽取）", **later))
    secrets = {
        "reporter name": REPORTER.name,
        "reporter phone": REPORTER.phone,
        "reporter id number": REPORTER.id_number,
        "complaint number": complaint.number,
        "interferer": INTERFERER,
        "interference": INTERFERENCE,
        "draft note": DRAFT_NOTE,
        "draft summary": DRAFT_SUMMARY,
        "draft representative": "赵草稿",
        "draft number": draft.number,
        "signed answer note": NONCOMPLIANT_RECTIFY["note"],
        "signed on-the-spot note": ON_THE_SPOT["note"],
        "representative": "李厂长",
        "responsible person": NONCOMPLIANT_RECTIFY["responsible_person"],
        "photo file": photo.file.name.rsplit("/", 1)[-1],
        "photo hash": photo.sha256,
        "secret unit name": SECRET_UNIT,
        "secret unit code": secret.source_code,
        "committed seed": committed.seed,
        "seed of a draw not yet public": drawn_later.seed,
    }
    return secrets, [public, committed, drawn_later]


def public_urls(draws) -> list[str]:
    """Every URL of the namespace ``public``, from the resolver: each pattern with the real numbers of
    the draws for its arguments, and the list with its query strings."""
    prefix, resolver = get_resolver().namespace_dict["public"]
    urls = []
    for pattern in resolver.url_patterns:
        assert isinstance(pattern, URLPattern), pattern
        arguments = set(pattern.pattern.converters)
        if not arguments:
            urls.append(reverse(f"public:{pattern.name}"))
        else:
            assert arguments == {"number"}, f"{pattern.name}: a new argument to give real values"
            urls += [reverse(f"public:{pattern.name}", kwargs={"number": d.number}) for d in draws]
    list_url = reverse("public:draw-list")
    urls += [f"{list_url}?year=2026", f"{list_url}?year=all", f"{list_url}?page=2"]
    return urls


def test_r_pub_1_nothing_confidential_on_any_public_page(client, secrets_everywhere):
    secrets, draws = secrets_everywhere
    urls = public_urls(draws)
    assert len(urls) >= 3 + 3 * len(draws)
    seen_public_seed = False
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 404), url
        body = response.content.decode()
        for what, value in secrets.items():
            assert value and value not in body, f"{what} ({value}) appears on {url}"
        seen_public_seed |= draws[0].seed in body
    # the walk did reach the published draw's data (so the assertions above bite)
    assert seen_public_seed


def test_r_pub_1_a_unit_later_found_to_involve_state_secrets_leaves_the_pages(
    client,
    units,  # noqa: F811
    officers,  # noqa: F811
):
    draw = run_draw(by=officers[0], draw=make_draw(officers, sample_size=2), today=CREATED)
    unit = DrawItem.objects.filter(draw=draw).select_related("facility").first().facility
    assert unit.name in client.get(reverse("public:draw-detail", args=[draw.number])).content.decode()
    Facility.objects.filter(pk=unit.pk).update(is_confidential=True)
    for url in public_urls([draw]):
        assert unit.name not in client.get(url).content.decode(), url
