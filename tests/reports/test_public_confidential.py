"""Nothing confidential on any public page nor in the public API (R-PUB-1, 003 第十九条, R-CMP-1, R-INS-11):
a data set with everything confidential the product holds (a unit involving state secrets with its
permit, penalty, decided case and typical case; reporters; staff phones; units' contact persons;
interference records; internal case texts; drafts), and a walk over EVERY pattern of
``reports.public_urls.urlpatterns`` (real arguments for each, every list and API with its filters and
pages) asserting none of it appears in any response."""

from datetime import date

import pytest
from django.urls import URLPattern, reverse

from bureau.models import Staff
from complaints.services import ReporterInput
from inspections.models import DrawItem
from inspections.services.draws import create_draw, run_draw
from inspections.services.inspections import save_answer, update_inspection_details
from inspections.services.interference import record_interference
from permits.models import Facility
from permits.services.penalties import record_penalty
from reports import public_urls as public_urlconf
from reports.models import TypicalCase
from reports.typical import withdraw_typical_case
from tests.factories.complaints import ComplaintFactory
from tests.factories.inspections import NONCOMPLIANT_RECTIFY, add_photo, point, signed, start
from tests.factories.permits import FacilityFactory, PermitFactory
from tests.inspections.conftest import officer2, officers  # noqa: F401
from tests.reports.test_public import CREATED, ON_THE_SPOT, make_draw, units  # noqa: F401
from tests.reports.test_typical_cases import OPINION, PROPOSAL, decide, open_case, publish

pytestmark = pytest.mark.today(date(2026, 6, 20))

REPORTER = ReporterInput(name="保密举报人欧阳甲", phone="13987654321", id_number="11010519491231002X")
INTERFERER = "钱干预（某委办副主任）"
INTERFERENCE = "要求对该单位从轻处理的干预详情"
DRAFT_NOTE = "草稿中尚未核实的偷排暗管线索"
DRAFT_SUMMARY = "草稿检查小结：待二次核实"
SECRET_UNIT = "绝密军工配套涉密厂"
SECRET_ADDRESS = "保密路88号涉密园区"
SECRET_PERMIT = "9131SECRET9001P"
SECRET_DECISION = "普环罚〔2026〕密1号"
SECRET_TYPICAL = "涉密单位超标排放典型案例"
SECRET_SUMMARY = "涉密单位案情简介不得公开"
STAFF_PHONE = "13611112222"
CONTACT_PERSON, CONTACT_PHONE = "联系人钟保密", "13500009999"
WITHDRAWN_TYPICAL = "已撤回的典型案例标题"
PUBLIC_PERMIT = "9131PUBLIC1001P"
PUBLIC_TYPICAL = "某公司超标排放公开案例"
LATER = date(2026, 9, 1)


def secret_unit(*, n, name, town, by, officers, legal_head, legal_clerk):  # noqa: F811
    """A unit with a permit, a penalty decided through a case (revoking the permit) that 法制科 made
    typical, and a penalty recorded directly; then found to involve state secrets (003 第十九条)."""
    secret = FacilityFactory(n=n, name=name, town=town, by=by, address=SECRET_ADDRESS)
    PermitFactory(facility=secret, by=by, issued_on=date(2024, 1, 10), number=SECRET_PERMIT)
    case = decide(
        open_case(secret, officers), officers, legal_head, decision_no=SECRET_DECISION, revokes=True
    )
    typical = publish(legal_clerk, case, title=SECRET_TYPICAL, summary=SECRET_SUMMARY)
    record_penalty(
        by=officers[0],
        facility=secret,
        decision_no="普环罚〔2025〕密2号",
        decided_on=date(2025, 5, 6),
        violation="涉密单位的违法行为",
    )
    Facility.objects.filter(pk=secret.pk).update(is_confidential=True)
    markers = {
        "secret unit name": name,
        "secret unit code": secret.source_code,
        "secret credit code": secret.credit_code,
        "secret address": SECRET_ADDRESS,
        "secret permit number": SECRET_PERMIT,
        "secret case number": case.number,
        "secret decision number": SECRET_DECISION,
        "secret direct penalty": "普环罚〔2025〕密2号",
        "secret violation": "涉密单位的违法行为",
        "secret typical title": SECRET_TYPICAL,
        "secret typical summary": SECRET_SUMMARY,
    }
    return markers, typical


@pytest.fixture
def secrets_everywhere(units, officers, town_a, approval_clerk, work_calendar, legal_head, legal_clerk):  # noqa: F811
    """A public draw with a signed result (answers with notes, a photo), an inspection of another unit
    still a draft, a complaint with its reporter, an interference record, a unit involving state
    secrets, a draw only committed and one drawn whose date is to come. Returns the strings that must
    never appear and the draws."""
    secret_markers, secret_typical = secret_unit(
        n=9,
        name=SECRET_UNIT,
        town=town_a,
        by=approval_clerk,
        officers=officers,
        legal_head=legal_head,
        legal_clerk=legal_clerk,
    )
    # A public unit with a permit, a decided case made typical, and one typical case withdrawn; its
    # contact person is personal data, and so is an officer's phone.
    shown = FacilityFactory(n=8, name="公开单位有限公司", town=town_a, by=approval_clerk)
    PermitFactory(facility=shown, by=approval_clerk, issued_on=date(2024, 1, 10), number=PUBLIC_PERMIT)
    Facility.objects.filter(pk=shown.pk).update(contact_person=CONTACT_PERSON, contact_phone=CONTACT_PHONE)
    Staff.objects.filter(user=officers[0]).update(phone=STAFF_PHONE)
    shown_case = decide(open_case(shown, officers), officers, legal_head, decision_no="普环罚〔2026〕公1号")
    withdrawn = publish(legal_clerk, shown_case, title=WITHDRAWN_TYPICAL)
    withdraw_typical_case(by=legal_clerk, typical=withdrawn, reason="撤回原因不公开")
    shown_typical = publish(legal_clerk, shown_case, title=PUBLIC_TYPICAL)
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
        **secret_markers,
        "staff phone": STAFF_PHONE,
        "contact person": CONTACT_PERSON,
        "contact phone": CONTACT_PHONE,
        "investigation report": PROPOSAL,
        "legal review opinion": OPINION,
        "withdrawn typical case": WITHDRAWN_TYPICAL,
        "withdraw reason": "撤回原因不公开",
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
        "committed seed": committed.seed,
        "seed of a draw not yet public": drawn_later.seed,
    }
    typical = {"pk": [secret_typical.pk, withdrawn.pk, shown_typical.pk]}
    return secrets, [public, committed, drawn_later], typical


QUERIES = [
    "q=绝密",
    "q=涉密",
    "q=913101070",
    "town=TA",
    "town=TB",
    "page=2",
    "page=abc",
    "year=2026",
    "year=2025",
    "year=all",
]


def public_urls(draws, typical_ids=(), *, search: str = "") -> list[str]:
    """Every pattern of ``reports.public_urls.urlpatterns``: those with arguments once for each real
    value (draw numbers, typical case ids), those without once bare and once with each filter and
    page of ``QUERIES`` (plus ``?q=search``: a fragment, as a search box shows what was asked)."""
    values = {"number": [d.number for d in draws], "pk": list(typical_ids)}
    queries = [*QUERIES, f"q={search}"] if search else QUERIES
    urls = []
    for pattern in public_urlconf.urlpatterns:
        assert isinstance(pattern, URLPattern), pattern
        arguments = set(pattern.pattern.converters)
        if not arguments:
            url = reverse(f"public:{pattern.name}")
            urls += [url, *(f"{url}?{query}" for query in queries)]
        else:
            assert len(arguments) == 1 and arguments <= set(values), (
                f"{pattern.name}: give real values for {arguments}"
            )
            (argument,) = arguments
            urls += [
                reverse(f"public:{pattern.name}", kwargs={argument: value}) for value in values[argument]
            ]
    return urls


def test_r_pub_1_nothing_confidential_on_any_public_page(client, secrets_everywhere):
    secrets, draws, typical = secrets_everywhere
    urls = public_urls(draws, typical["pk"], search=SECRET_UNIT[:-1])
    assert len(urls) >= 3 * len(draws) + 3 + 10 * len(QUERIES)
    reached = {
        "public seed": draws[0].seed,
        "public permit": PUBLIC_PERMIT,
        "public typical case": PUBLIC_TYPICAL,
    }
    seen = set()
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 404), url
        body = response.content.decode()
        for what, value in secrets.items():
            assert value and value not in body, f"{what} ({value}) appears on {url}"
        seen |= {what for what, value in reached.items() if value in body}
    # the walk did reach the published data (so the assertions above bite)
    assert seen == set(reached)
    # and the public API held the public rows
    assert any(PUBLIC_PERMIT in client.get(url).content.decode() for url in urls if "/api/permits/" in url)


def test_r_pub_1_a_unit_later_found_to_involve_state_secrets_leaves_the_pages(
    client,
    units,  # noqa: F811
    officers,  # noqa: F811
):
    draw = run_draw(by=officers[0], draw=make_draw(officers, sample_size=2), today=CREATED)
    unit = DrawItem.objects.filter(draw=draw).select_related("facility").first().facility
    assert unit.name in client.get(reverse("public:draw-detail", args=[draw.number])).content.decode()
    Facility.objects.filter(pk=unit.pk).update(is_confidential=True)
    for url in public_urls([draw], search=unit.name[:-1]):
        assert unit.name not in client.get(url).content.decode(), url


def test_r_pub_1_a_unit_with_permit_penalty_and_typical_case_later_found_secret_leaves_every_page(
    client,
    town_b,
    approval_clerk,
    officers,  # noqa: F811
    legal_head,
    legal_clerk,
):
    markers, typical = secret_unit(
        n=7,
        name="后来定密的单位",
        town=town_b,
        by=approval_clerk,
        officers=officers,
        legal_head=legal_head,
        legal_clerk=legal_clerk,
    )
    assert TypicalCase.objects.filter(pk=typical.pk, withdrawn_at__isnull=True).exists()
    for url in public_urls([], [typical.pk], search="后来定密"):
        body = client.get(url).content.decode()
        for what, value in markers.items():
            assert value not in body, f"{what} ({value}) appears on {url}"
