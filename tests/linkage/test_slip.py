"""The offline transfer slip 排污许可“三监联动”线下转办单 (R-LNK-5; 003 附件5): its text extracts back
with every block and column of 附件5, it fits one A4 page with three receiving departments, and it is
printed only for those who may see the task (R-ORG-3)."""

import io
import logging
import re
from datetime import date
from itertools import pairwise
from urllib.parse import quote

import pytest
import segno
from django.urls import reverse
from pypdf import PdfReader

from bureau.models import SectionCode
from linkage import slips
from linkage.queries import task_for_user
from linkage.services import tasks as services
from tests.factories.linkage import LinkageTaskFactory
from tests.factories.permits import FacilityFactory

TODAY = date(2026, 3, 2)
pytestmark = [pytest.mark.django_db, pytest.mark.today(TODAY)]

BLOCKS = ("任务发起", "任务接收与执行", "任务反馈")
COLUMNS = ("部门", "问题描述", "接收与执行情况", "结果反馈", "经办人", "负责人", "日期", "备注")
EXECUTION = {
    SectionCode.ENFORCEMENT: "已于3月3日现场检查，责令立即停止超标排放并立案调查。",
    SectionCode.POLLUTION: "已核查污染防治设施运行台账，发现布袋除尘器破损，要求限期更换。",
    SectionCode.ECOLOGY: "已核查自行监测方案与监测数据，要求补充季度监测报告。",
}
RESULT = {
    SectionCode.ENFORCEMENT: "已立案，罚款五万元，企业已完成整改。",
    SectionCode.POLLUTION: "除尘器已更换，复查正常。",
    SectionCode.ECOLOGY: "季度监测报告已补充上传。",
}


@pytest.fixture
def paint_works(town_b):
    return FacilityFactory(n=1, town=town_b, name="乙镇涂料化工有限公司")


def start(personas, heads, receivers, *, facility=None, from_paper=False):
    return LinkageTaskFactory(
        by=personas[SectionCode.MONITORING],
        initiator=SectionCode.MONITORING,
        receivers=receivers,
        description="执法监测发现颗粒物排放浓度超标 2.3 倍，请执法大队查处并督促整改。",
        head=heads[SectionCode.MONITORING],
        started_on=date(2026, 2, 10),
        facility=facility,
        remarks="监测报告见附件",
        from_paper=from_paper,
    )


@pytest.fixture
def three_way_task(personas, heads, paint_works):
    """监测站 → 执法大队、污防科、生态科, every department received and fed back, closed, archived."""
    receivers = [SectionCode.ENFORCEMENT, SectionCode.POLLUTION, SectionCode.ECOLOGY]
    task = start(personas, heads, receivers, facility=paint_works)
    for code in receivers:
        clerk, head = personas[code], heads[code]
        services.receive_task(
            by=clerk,
            task=task,
            execution=EXECUTION[code],
            handler=clerk,
            head=head,
            executed_on=date(2026, 2, 12),
            remarks="现场照片已上传",
        )
        services.feed_back_task(
            by=clerk, task=task, result=RESULT[code], handler=clerk, head=head, fed_back_on=date(2026, 2, 20)
        )
    services.close_task(by=personas[SectionCode.MONITORING], task=task, closed_on=date(2026, 2, 24))
    services.archive_task(by=personas[SectionCode.APPROVAL], task=task, archived_on=date(2026, 2, 27))
    return task_for_user(personas[SectionCode.APPROVAL], task.pk)


def pages_of(pdf: bytes) -> list[str]:
    assert pdf.startswith(b"%PDF")
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def squeezed(text: str) -> str:
    # The block labels print one character per line; the extracted text has a newline between them.
    return re.sub(r"\s+", "", text)


def blocks_of(text: str) -> dict[str, str]:
    """The squeezed text of each block of the slip, from its label to the next one's."""
    marks = [*BLOCKS, "归档整理", "说明："]
    starts = [text.index(mark) for mark in marks]
    assert starts == sorted(starts), "the blocks keep the order of 附件5"
    return {mark: text[start:end] for (mark, start), (_, end) in pairwise(zip(marks, starts, strict=True))}


def render_logged(caplog, render) -> bytes:
    with caplog.at_level(logging.DEBUG):
        pdf = render()
    assert not [r for r in caplog.records if ".notdef" in r.getMessage()], "a glyph is missing"
    return pdf


def test_r_lnk_5_slip_shows_every_block_column_and_department_of_annex_5(caplog, three_way_task):
    # when
    pdf = render_logged(caplog, lambda: slips.render_task_slip(three_way_task))

    # then: one A4 page with three receiving departments
    pages = pages_of(pdf)
    assert len(pages) == 1
    box = PdfReader(io.BytesIO(pdf)).pages[0].mediabox
    assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == (210, 297)
    text = squeezed(pages[0])
    assert "排污许可“三监联动”线下转办单" in text
    assert three_way_task.number in text
    for heading in (*BLOCKS, *COLUMNS, "归档整理", "审批科"):
        assert heading in text, heading
    # 任务发起: the initiator, the problem and the facility
    assert "环境监测站" in text
    assert squeezed(three_way_task.description) in text
    assert "乙镇涂料化工有限公司" in text
    # 任务接收与执行 and 任务反馈: one row per receiving department
    blocks = blocks_of(text)
    for name in ("执法大队", "污染防治科", "生态建设科"):
        assert name in blocks["任务接收与执行"] and name in blocks["任务反馈"], name
    for code in EXECUTION:
        assert squeezed(EXECUTION[code]) in blocks["任务接收与执行"]
        assert squeezed(RESULT[code]) in blocks["任务反馈"]
    assert "审批科" in blocks["归档整理"] and "2026-02-27" in blocks["归档整理"]
    assert "2026-02-12" in text and "2026-02-20" in text and "2026-02-27" in text
    assert "执科长" in text  # the brigade's head signed its receipt
    # 说明 (1)–(5) of 附件5 under the table
    for note in slips.NOTES:
        assert squeezed(note) in text
    assert "据纸质转办单补录" not in text


def test_r_lnk_5_block_and_column_headings_keep_the_order_of_annex_5(three_way_task):
    blocks = blocks_of(squeezed(pages_of(slips.render_task_slip(three_way_task))[0]))

    assert blocks["任务发起"].startswith("任务发起部门问题描述经办人负责人日期备注")
    assert blocks["任务接收与执行"].startswith("任务接收与执行部门接收与执行情况经办人负责人日期备注")
    assert blocks["任务反馈"].startswith("任务反馈部门结果反馈经办人负责人日期备注")


def test_r_lnk_5_slip_qr_code_is_the_task_address_at_the_configured_site(three_way_task, settings):
    # given: the bureau reaches the system at its configured address
    settings.SITE_URL = "https://pwxk.example.gov.cn"
    # when
    context = slips.task_slip_context(three_way_task)
    pdf = slips.render_task_slip(three_way_task)

    # then: the code holds the task's absolute address there; the slip prints the number and path
    path = f"/linkage/tasks/{three_way_task.pk}/"
    link = f"https://pwxk.example.gov.cn{path}"
    assert context["link"] == link
    assert context["qr"] == segno.make(link, error="m").svg_data_uri(scale=1, border=0)
    text = squeezed(pages_of(pdf)[0])
    assert squeezed(path) in text
    # in the page header (documents/document.html), in the fields and under the code
    assert text.count(three_way_task.number) == 3


def test_r_lnk_5_slip_of_a_task_not_yet_executed_leaves_the_rows_to_fill_by_hand(caplog, personas, heads):
    # given: four receiving departments, none has acted yet
    receivers = [SectionCode.ENFORCEMENT, SectionCode.POLLUTION, SectionCode.ECOLOGY, SectionCode.APPROVAL]
    task = task_for_user(personas[SectionCode.MONITORING], start(personas, heads, receivers).pk)

    # when
    pages = pages_of(render_logged(caplog, lambda: slips.render_task_slip(task)))

    # then
    text = squeezed("".join(pages))
    blocks = blocks_of(text)
    for name in ("执法大队", "污染防治科", "生态建设科", "行政审批服务科"):
        assert name in blocks["任务接收与执行"] and name in blocks["任务反馈"], name
    assert "排污单位：—" in text
    assert len(pages) <= 2


def test_r_lnk_5_a_task_entered_from_paper_says_so(personas, heads):
    task = start(personas, heads, [SectionCode.ENFORCEMENT], from_paper=True)

    text = squeezed(
        pages_of(slips.render_task_slip(task_for_user(personas[SectionCode.MONITORING], task.pk)))[0]
    )

    assert "据纸质转办单补录" in text
    assert "2026-02-10" in text  # the paper's date is kept


def test_r_lnk_5_blank_slip_has_every_heading_and_three_empty_rows(caplog):
    # when
    pdf = render_logged(caplog, slips.render_blank_slip)

    # then
    pages = pages_of(pdf)
    assert len(pages) == 1
    text = squeezed(pages[0])
    assert "排污许可“三监联动”线下转办单" in text
    for heading in (*BLOCKS, *COLUMNS, "归档整理", "审批科"):
        assert heading in text, heading
    assert "LD-" not in text
    assert "说明：" in text and squeezed(slips.NOTES[4]) in text
    context = slips.blank_slip_context()
    assert [len(block["rows"]) for block in context["blocks"]] == [1, 3, 3]


# Pages ---------------------------------------------------------------------------------------------------


def test_r_lnk_5_task_slip_page_answers_an_inline_pdf_with_a_chinese_name(client, three_way_task, personas):
    client.force_login(personas[SectionCode.MONITORING])

    response = client.get(reverse("linkage:task-slip", args=[three_way_task.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    name = quote(f"三监联动线下转办单-{three_way_task.number}.pdf", safe="")
    assert response["Content-Disposition"] == (
        f"inline; filename=\"linkage-slip-{three_way_task.number}.pdf\"; filename*=UTF-8''{name}"
    )
    assert three_way_task.number in pages_of(response.content)[0]


def test_r_lnk_5_slip_page_builds_the_qr_address_from_site_url_not_from_the_request(
    client, three_way_task, personas, settings, monkeypatch
):
    # given: the slip is printed through another host name than the configured one
    settings.SITE_URL = "http://10.0.0.8:8000"
    settings.ALLOWED_HOSTS = ["*"]
    seen = []
    monkeypatch.setattr(slips, "qr_data_uri", lambda text: seen.append(text) or "data:image/svg+xml,")
    client.force_login(personas[SectionCode.MONITORING])
    # when
    response = client.get(reverse("linkage:task-slip", args=[three_way_task.pk]), HTTP_HOST="proxy.internal")
    # then
    assert response.status_code == 200
    assert seen == [f"http://10.0.0.8:8000/linkage/tasks/{three_way_task.pk}/"]


def test_r_lnk_5_task_slip_url_is_under_linkage_tasks(three_way_task):
    assert (
        reverse("linkage:task-slip", args=[three_way_task.pk])
        == f"/linkage/tasks/{three_way_task.pk}/slip.pdf"
    )
    assert reverse("linkage:blank-slip") == "/linkage/slip/blank.pdf"


def test_r_org_3_a_town_prints_only_slips_of_its_own_facilities(
    client, three_way_task, town_a_liaison, town_b_liaison
):
    # given: the task is about a facility of 乙镇
    url = reverse("linkage:task-slip", args=[three_way_task.pk])

    # then: 甲镇 gets the same 404 as for a task that does not exist; 乙镇 prints it
    client.force_login(town_a_liaison)
    assert client.get(url).status_code == 404
    assert client.get(reverse("linkage:task-slip", args=[999_999])).status_code == 404
    client.force_login(town_b_liaison)
    assert client.get(url).status_code == 200


def test_r_lnk_5_a_department_not_involved_gets_404_for_the_task_slip(client, personas, heads):
    task = start(personas, heads, [SectionCode.ENFORCEMENT])
    client.force_login(personas[SectionCode.ECOLOGY])  # neither started nor received it

    assert client.get(reverse("linkage:task-slip", args=[task.pk])).status_code == 404


@pytest.mark.parametrize(
    "persona",
    [
        SectionCode.APPROVAL,
        SectionCode.ECOLOGY,
        SectionCode.POLLUTION,
        SectionCode.ENFORCEMENT,
        SectionCode.MONITORING,
        SectionCode.LEADERSHIP,
        SectionCode.TOWN,
    ],
)
def test_r_lnk_5_every_section_that_works_with_linkage_prints_the_blank_slip(client, personas, persona):
    client.force_login(personas[persona])

    response = client.get(reverse("linkage:blank-slip"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert (
        "filename*=UTF-8''" + quote("三监联动线下转办单（空白）.pdf", safe="")
        in response["Content-Disposition"]
    )


def test_the_legal_section_does_not_print_slips_and_visitors_must_log_in(client, personas, three_way_task):
    client.force_login(personas[SectionCode.LEGAL])
    response = client.get(reverse("linkage:blank-slip"))
    assert response.status_code == 403
    assert "无权访问" in response.content.decode()
    assert client.get(reverse("linkage:task-slip", args=[three_way_task.pk])).status_code == 403

    client.logout()
    response = client.get(reverse("linkage:blank-slip"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_administrator_prints_any_slip(client, administrator, three_way_task):
    client.force_login(administrator)

    assert client.get(reverse("linkage:task-slip", args=[three_way_task.pk])).status_code == 200
