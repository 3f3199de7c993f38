"""The grading's register pages as each role sees them, the facts recorded by hand (附件2 三、四) and the
query budget of every list page.

Every bureau section reads the positive list, credit ratings, the work group and the facts; towns are
told 403 (R-ORG-3: the grading spans every town). The sections of FACT_RECORDERS record facts with their
evidence (a file checked by content), and only the recording section withdraws one.
"""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bureau.models import SectionCode
from grading.models import (
    AnnualGrading,
    CreditRecord,
    FactKind,
    GradingFact,
    GradingState,
    PositiveListProposal,
    ProposalKind,
)
from grading.services import credit, facts, positive

pytestmark = [pytest.mark.django_db, pytest.mark.today(date(2026, 3, 10))]

POSITIVE = reverse("grading:positive-list")
CREDIT = reverse("grading:credit-list")
WORK_GROUP = reverse("grading:work-group")
FACTS = reverse("grading:fact-list")
FACT_NEW = reverse("grading:fact-new")
PAGES = (POSITIVE, CREDIT, WORK_GROUP, FACTS)
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def text(response) -> str:
    return response.content.decode()


def fact_values(holder, **changes):
    return {
        "facility": holder.source_code,
        "kind": FactKind.COMMENDATION,
        "occurred_on": "2025-06-01",
        "description": "获市生态环境局表彰",
        "evidence": "沪环〔2025〕1号",
    } | changes


# --- who reads ---------------------------------------------------------------------------------------


def test_r_org_1_every_bureau_section_reads_the_register_pages(client, personas, administrator):
    # given one persona per bureau section, the administrator and a town
    readers = [user for code, user in personas.items() if code != SectionCode.TOWN] + [administrator]
    for user in readers:
        client.force_login(user)
        for url in PAGES:
            assert client.get(url).status_code == 200, (user.username, url)


def test_r_org_3_a_town_sees_nothing_of_the_grading(client, town_a_liaison, make_holders):
    holder = make_holders(1)[0]
    client.force_login(town_a_liaison)
    for url in PAGES:
        response = client.get(url)
        assert response.status_code == 403 and "您所在的科室无权访问此页面" in text(response)
    # nor does it write: a fact, a rating, a listing
    assert client.post(FACT_NEW, fact_values(holder)).status_code == 403
    assert client.post(reverse("grading:credit-record"), {"facility": holder.source_code}).status_code == 403
    assert client.post(reverse("grading:positive-add"), {"facility": holder.source_code}).status_code == 403
    assert not GradingFact.objects.exists() and not CreditRecord.objects.exists()


def test_anonymous_is_sent_to_log_in(client):
    for url in PAGES:
        assert client.get(url).status_code == 302


# --- facts recorded by hand ---------------------------------------------------------------------------


def test_r_grd_3_a_section_records_a_fact_with_its_evidence_file_and_the_bureau_downloads_it(
    client, pollution_clerk, approval_clerk, make_holders
):
    holder = make_holders(1)[0]
    client.force_login(pollution_clerk)
    upload = SimpleUploadedFile("表彰决定.pdf", PDF, content_type="application/pdf")
    response = client.post(FACT_NEW, fact_values(holder, evidence_file=upload))
    assert response.status_code == 302
    fact = GradingFact.objects.get()
    assert (fact.facility, fact.kind, fact.section.code) == (holder, FactKind.COMMENDATION, "pollution")
    # the list shows it with its kind's words and the file link, to another section as well
    client.force_login(approval_clerk)
    page = text(client.get(FACTS))
    assert "受到各级生态环境管理部门表彰" in page and "下载证明文件" in page and "污防科" in page
    download = client.get(reverse("grading:fact-file", args=[fact.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF


def test_r_grd_2_the_kinds_are_grouped_as_attachment_2_groups_them(client, officer):
    client.force_login(officer)
    page = text(client.get(FACTS))
    assert (
        '<optgroup label="不合格情形（附件2 三）">' in page
        and '<optgroup label="优先评为优秀（附件2 四）">' in page
    )
    assert page.index("未能依法依规配合生态环境部门完成相关工作") < page.index("优先评为优秀（附件2 四）")


def test_a_fake_pdf_is_refused_by_its_content_and_nothing_is_written(client, pollution_clerk, make_holders):
    holder = make_holders(1)[0]
    client.force_login(pollution_clerk)
    fake = SimpleUploadedFile(
        "表彰决定.pdf", b"<html><script>alert(1)</script></html>", content_type="application/pdf"
    )
    response = client.post(FACT_NEW, fact_values(holder, evidence_file=fake))
    assert response.status_code == 400
    assert "证明文件的内容与文件类型“PDF”不符，请上传原始文件。" in text(response)
    assert not GradingFact.objects.exists()


def test_bad_facts_are_refused_in_chinese_and_nothing_is_written(client, pollution_clerk, make_holders):
    holder = make_holders(1)[0]
    client.force_login(pollution_clerk)
    empty = client.post(FACT_NEW, {})
    assert empty.status_code == 400
    for message in ("请选择持证单位。", "请选择附件2所列的情形。", "请填写发生日期。", "请填写事实描述。"):
        assert message in text(empty)
    future = client.post(FACT_NEW, fact_values(holder, occurred_on="2026-03-11"))
    assert future.status_code == 400 and "发生日期不能晚于今天。" in text(future)
    unknown = client.post(FACT_NEW, fact_values(holder, facility="不存在的公司"))
    assert unknown.status_code == 400 and "未找到排污单位“不存在的公司”" in text(unknown)
    # a confirmed year takes no more facts
    AnnualGrading.objects.create(year=2025, state=GradingState.CONFIRMED)
    locked = client.post(FACT_NEW, fact_values(holder))
    assert locked.status_code == 400 and "2025 年度等级评定已确认，该年度的事实不能再增减。" in text(locked)
    assert not GradingFact.objects.exists()


def test_leadership_reads_facts_but_does_not_record_them(client, leader, make_holders):
    holder = make_holders(1)[0]
    client.force_login(leader)
    assert 'data-form="fact-new"' not in text(client.get(FACTS))
    refused = client.post(FACT_NEW, fact_values(holder))
    assert (
        refused.status_code == 403
        and "等级评定事实由审批科、生态科、污防科、法制科、执法大队或监测站记录。" in text(refused)
    )
    assert not GradingFact.objects.exists()


def test_only_the_recording_section_withdraws_a_fact_with_a_reason(
    client, pollution_clerk, officer, make_holders
):
    holder = make_holders(1)[0]
    fact = facts.record_fact(
        by=pollution_clerk,
        facility=holder,
        kind=FactKind.COMMENDATION,
        occurred_on=date(2025, 6, 1),
        description="获市生态环境局表彰",
        evidence="沪环〔2025〕1号",
    )
    withdraw = reverse("grading:fact-withdraw", args=[fact.pk])
    client.force_login(officer)
    assert 'data-form="withdraw"' not in text(client.get(FACTS))
    other = client.post(withdraw, {"reason": "误录"})
    assert other.status_code == 403 and "只有记录该事实的科室可以撤回。" in text(other)
    client.force_login(pollution_clerk)
    no_reason = client.post(withdraw, {"reason": " "})
    assert no_reason.status_code == 400 and "请填写撤回理由。" in text(no_reason)
    fact.refresh_from_db()
    assert fact.withdrawn_at is None
    assert client.post(withdraw, {"reason": "单位名称录错"}).status_code == 302
    twice = client.post(withdraw, {"reason": "再撤一次"})
    assert twice.status_code == 400 and '<div class="alert" role="alert">该事实已撤回。</div>' in text(twice)
    page = text(client.get(FACTS))
    assert 'class="withdrawn"' in page and "单位名称录错" in page


def test_facts_filter_by_year_kind_and_section(client, pollution_clerk, officer, make_holders):
    holder = make_holders(1)[0]
    common = {"facility": holder, "description": "事实", "evidence": "材料"}
    facts.record_fact(by=pollution_clerk, kind=FactKind.MEDIA, occurred_on=date(2025, 6, 1), **common)
    facts.record_fact(by=officer, kind=FactKind.NOT_COOPERATING, occurred_on=date(2026, 1, 5), **common)
    client.force_login(officer)

    def shown(**query):
        return text(client.get(FACTS, query)).count('data-fact="')

    assert shown() == 2
    assert shown(year=2025) == 1
    assert shown(kind=FactKind.NOT_COOPERATING) == 1
    assert shown(section=pollution_clerk.staff.section_id) == 1


# --- query budgets ------------------------------------------------------------------------------------


@pytest.fixture
def registers(make_holders, legal_clerk, pollution_clerk):
    """``add(n)``: n more holders, each with a rating, a recorded fact, a positive-list entry and a
    pending proposal of a confirmed grading, so every list page has n more rows."""
    grading = AnnualGrading.objects.create(year=2025, state=GradingState.CONFIRMED)
    made = []

    def add(n: int):
        for facility in make_holders(n, start=len(made)):
            credit.record_rating(
                by=legal_clerk, facility=facility, rated_on=date(2026, 1, 5), level="good", source="市局评价"
            )
            facts.record_fact(
                by=pollution_clerk,
                facility=facility,
                kind=FactKind.MEDIA,
                occurred_on=date(2026, 2, 1),
                description="报道",
                evidence="日报",
            )
            positive.add(by=legal_clerk, facility=facility, reason="守法记录良好")
            PositiveListProposal.objects.create(
                facility=facility, kind=ProposalKind.REMOVE, grading=grading, reason="评定为不合格"
            )
            made.append(facility)

    return add


def test_query_budgets_do_not_grow_with_rows(
    client, registers, legal_clerk, administrator, work_group, django_assert_num_queries
):
    for rows in (1, 3):
        registers(rows if rows == 1 else 2)
        client.force_login(legal_clerk)
        # Expect 7 queries: session, user with staff, the page's count, the page of entries with
        # facility, town and who, the pending proposals, the decided ones, the proposal conditions.
        with django_assert_num_queries(7):
            assert text(client.get(POSITIVE)).count('data-entry="') == rows
        # Expect 6 queries: session, user with staff, the towns of the filter, the count of holders, the
        # page of holders with town, their credit records with who recorded them.
        with django_assert_num_queries(6):
            assert text(client.get(CREDIT)).count('data-facility="') == rows
        # Expect 5 queries: session, user with staff, the sections of the filter, the count, the page of
        # facts with facility, town, section and who.
        with django_assert_num_queries(5):
            assert text(client.get(FACTS)).count('data-fact="') == rows
        client.force_login(administrator)
        # Expect 7 queries: session, the administrator, the posts with section and holder, the
        # vacancies, the posts' history with holders and who, the staff a successor is chosen from, the
        # sections a new post may be set in.
        with django_assert_num_queries(7):
            assert client.get(WORK_GROUP).status_code == 200
