"""R-LNK-5 (003 附件5 说明（5）: 应留存好邮件、微信等在线联络的记录): a slip done on paper and entered
afterwards keeps the scan of the slip and the records of online contact. Files are checked by content
(never by name) and size; one refused file refuses the whole entry with a Chinese message and the
user's input kept; history is kept. The blank slip is linked from the linkage pages and the form."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from linkage import rules
from linkage.models import LinkageTask, TaskAttachment

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("work_calendar"),
    pytest.mark.today(date(2025, 10, 20)),
]
PAPER = reverse("linkage:task-paper")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
EML = b"From: a@example.cn\r\nTo: b@example.cn\r\nSubject: =?utf-8?b?5rWL6K+V?=\r\nDate: Mon, 6 Oct 2025 09:00:00 +0800\r\n\r\nbody"


# The pure checks -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (PDF, rules.PDF),
        (PNG, rules.PNG),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", rules.JPEG),
        (EML, rules.EML),
        (b"MZ\x90\x00 windows program", None),
        (b"<html><script>alert(1)</script>", None),
        (b"just some text: not a mail", None),
        (b"", None),
    ],
)
def test_r_lnk_5_file_type_is_read_from_content(head, expected):
    assert rules.sniff_file_type(head) == expected


def test_r_lnk_5_a_scan_must_be_a_pdf_or_picture_and_at_most_10_mb():
    assert rules.attachment_error(rules.SLIP_SCAN, rules.PDF, 1000) is None
    assert "只接受PDF 或图片" in rules.attachment_error(rules.SLIP_SCAN, rules.EML, 1000)
    assert rules.attachment_error(rules.ONLINE_CONTACT, rules.EML, 1000) is None
    assert "超过 10 MB" in rules.attachment_error(rules.SLIP_SCAN, rules.PDF, rules.ATTACHMENT_MAX_BYTES + 1)
    assert "空文件" in rules.attachment_error(rules.ONLINE_CONTACT, rules.PNG, 0)


# The page ------------------------------------------------------------------------------------------


def _data(user, head, **files):
    return {
        "receivers": ["enforcement"],
        "facility": "",
        "description": "纸质转办单：废水排放口疑似超标",
        "handler": user.pk,
        "head": head.pk,
        "started_on": "2025-10-06",
        "deadline_workdays": 15,
        "source_kind": "monitoring_anomaly",
        "remarks": "断网期间纸质办理",
        **files,
    }


def test_r_lnk_5_paper_entry_keeps_the_scan_and_the_online_contact_record(
    client, monitoring_clerk, heads, media_root
):
    client.force_login(monitoring_clerk)
    # when
    response = client.post(
        PAPER,
        _data(
            monitoring_clerk,
            heads["monitoring"],
            slip_scan=SimpleUploadedFile("扫描.pdf", PDF, content_type="application/octet-stream"),
            contact_record=SimpleUploadedFile("wechat.png", PNG, content_type="image/png"),
        ),
        follow=True,
    )
    # then: both kept, with their checked type, size and who uploaded them; listed on the task page
    task = LinkageTask.objects.get()
    files = list(task.attachments.order_by("kind"))
    assert [(f.kind, f.content_type, f.size, f.original_name) for f in files] == [
        ("online_contact", "image/png", len(PNG), "wechat.png"),
        ("slip_scan", "application/pdf", len(PDF), "扫描.pdf"),
    ]
    assert all(f.uploaded_by == monitoring_clerk for f in files)
    assert all(f.history.get().history_user == monitoring_clerk for f in files)
    page = response.content.decode()
    assert "纸质转办单扫描件：扫描.pdf" in page and "在线联络记录（邮件、微信截图）：wechat.png" in page
    # and the files open for those who see the task
    scan = task.attachments.get(kind="slip_scan")
    download = client.get(reverse("linkage:task-file", args=[task.pk, scan.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf"


def test_r_lnk_5_a_file_whose_content_is_not_allowed_refuses_the_whole_entry(client, monitoring_clerk, heads):
    client.force_login(monitoring_clerk)
    # when: a program renamed to .pdf is sent as the scan
    response = client.post(
        PAPER,
        _data(
            monitoring_clerk,
            heads["monitoring"],
            slip_scan=SimpleUploadedFile("扫描.pdf", b"MZ\x90\x00 program", content_type="application/pdf"),
            contact_record=SimpleUploadedFile("mail.eml", EML, content_type="message/rfc822"),
        ),
    )
    # then: nothing is kept, the message is in Chinese and what was typed is still there
    assert response.status_code == 400
    page = response.content.decode()
    assert "纸质转办单扫描件只接受PDF 或图片（JPG、PNG）" in page
    assert "纸质转办单：废水排放口疑似超标" in page
    assert LinkageTask.objects.count() == 0 and TaskAttachment.objects.count() == 0


def test_r_lnk_5_an_oversized_record_refuses_the_whole_entry(client, monitoring_clerk, heads, monkeypatch):
    monkeypatch.setattr(rules, "ATTACHMENT_MAX_BYTES", 64)
    client.force_login(monitoring_clerk)
    response = client.post(
        PAPER,
        _data(
            monitoring_clerk,
            heads["monitoring"],
            slip_scan=SimpleUploadedFile("scan.pdf", PDF, content_type="application/pdf"),
            contact_record=SimpleUploadedFile("big.png", PNG + b"\x00" * 100, content_type="image/png"),
        ),
    )
    assert response.status_code == 400
    assert "在线联络记录超过 10 MB" in response.content.decode()
    assert LinkageTask.objects.count() == 0


def test_r_lnk_5_the_scan_is_required_on_the_paper_page(client, monitoring_clerk, heads):
    client.force_login(monitoring_clerk)
    response = client.post(PAPER, _data(monitoring_clerk, heads["monitoring"]))
    assert response.status_code == 400
    assert "请上传纸质转办单扫描件。" in response.content.decode()
    assert 'enctype="multipart/form-data"' in response.content.decode()


def test_r_lnk_5_files_are_not_served_to_those_who_do_not_see_the_task(
    client, monitoring_clerk, heads, pollution_clerk
):
    client.force_login(monitoring_clerk)
    client.post(
        PAPER,
        _data(
            monitoring_clerk,
            heads["monitoring"],
            slip_scan=SimpleUploadedFile("scan.pdf", PDF, content_type="application/pdf"),
        ),
    )
    task = LinkageTask.objects.get()
    scan = task.attachments.get()
    client.force_login(pollution_clerk)
    assert client.get(reverse("linkage:task-file", args=[task.pk, scan.pk])).status_code == 404


def test_r_lnk_5_blank_slip_is_linked_from_the_list_the_task_page_and_the_form(
    client, monitoring_clerk, heads
):
    blank = reverse("linkage:blank-slip")
    client.force_login(monitoring_clerk)
    for url in (reverse("linkage:task-list"), reverse("linkage:task-new"), PAPER):
        assert f'href="{blank}" data-blank-slip' in client.get(url).content.decode(), url
    client.post(
        PAPER,
        _data(
            monitoring_clerk,
            heads["monitoring"],
            slip_scan=SimpleUploadedFile("scan.pdf", PDF, content_type="application/pdf"),
        ),
    )
    detail = client.get(reverse("linkage:task-detail", args=[LinkageTask.objects.get().pk])).content.decode()
    assert f'href="{blank}" data-blank-slip' in detail


def test_r_lnk_5_a_receiving_department_adds_a_record_of_online_contact_later(
    client, monitoring_clerk, heads, officer, pollution_clerk
):
    # given: a paper slip entered with its scan
    client.force_login(monitoring_clerk)
    client.post(
        PAPER,
        _data(
            monitoring_clerk,
            heads["monitoring"],
            slip_scan=SimpleUploadedFile("scan.pdf", PDF, content_type="application/pdf"),
        ),
    )
    task = LinkageTask.objects.get()
    url = reverse("linkage:task-attach", args=[task.pk])
    # when: the brigade adds the e-mail it exchanged, then tries a file that is not what it says
    client.force_login(officer)
    assert 'data-form="attach"' in client.get(reverse("linkage:task-detail", args=[task.pk])).content.decode()
    ok = client.post(
        url, {"kind": "online_contact", "file": SimpleUploadedFile("往来邮件.eml", EML)}, follow=True
    )
    refused = client.post(url, {"kind": "slip_scan", "file": SimpleUploadedFile("scan2.pdf", EML)})
    # then
    assert "已补充在线联络记录（邮件、微信截图）：往来邮件.eml。" in ok.content.decode()
    assert refused.status_code == 400
    assert "纸质转办单扫描件只接受PDF 或图片" in refused.content.decode()
    assert list(task.attachments.values_list("kind", "content_type", "uploaded_by")) == [
        ("slip_scan", "application/pdf", monitoring_clerk.pk),
        ("online_contact", "message/rfc822", officer.pk),
    ]
    assert task.steps.filter(action="attach").get().note == "补充在线联络记录（邮件、微信截图）：往来邮件.eml"
    # and a department outside the task may not
    client.force_login(pollution_clerk)
    assert (
        client.post(url, {"kind": "online_contact", "file": SimpleUploadedFile("a.png", PNG)}).status_code
        == 404
    )
    assert task.attachments.count() == 2
