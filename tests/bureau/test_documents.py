"""Documents made in the background and exports (bureau.documents.jobs, .exports): the asker alone gets
the file, a large export becomes a job with progress, a failure says why, a second run does nothing."""

import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError

from bureau.documents import exports, jobs
from bureau.models import DocumentJob, Town

pytestmark = pytest.mark.django_db


def _towns_source(user, query):
    rows = Town.objects.order_by("code")
    if query.get("code"):
        rows = rows.filter(code=query["code"])
    return exports.Rows(rows.count(), rows.values_list("code", "name"))


@pytest.fixture
def town_export():
    exports.register(exports.Export("tests.towns", "街镇", [("代码", 10), ("名称", 20)], _towns_source))


def _sheet(content: bytes):
    return [tuple(r) for r in openpyxl.load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True)]


def test_a_small_export_is_written_at_once_with_the_pages_filters(
    client, approval_clerk, town_a, town_b, town_export
):
    # given a list filtered to one town
    client.force_login(approval_clerk)
    request = client.get("/").wsgi_request
    request.GET = request.GET.copy()
    request.GET.update({"code": "TB", "page": "3"})
    # when
    response = exports.respond(request, "tests.towns")
    # then the workbook holds exactly the filtered row; the page number is not a filter
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert _sheet(b"".join(response.streaming_content)) == [("代码", "名称"), ("TB", "乙镇")]


def test_a_large_export_becomes_a_job_only_its_asker_downloads(
    client,
    settings,
    approval_clerk,
    ecology_clerk,
    town_a,
    town_b,
    town_export,
    django_capture_on_commit_callbacks,
):
    # given exports of more than one row run in the background
    settings.EXPORT_SYNC_ROWS = 1
    client.force_login(approval_clerk)
    request = client.get("/").wsgi_request
    # when
    with django_capture_on_commit_callbacks() as queued:
        response = exports.respond(request, "tests.towns")
    job = DocumentJob.objects.get()
    # then the asker is sent to the job's page and the job waits for the worker
    assert response.status_code == 302 and response.url == f"/documents/{job.pk}/"
    assert (job.state, job.title, len(queued)) == ("queued", "街镇（2 行）", 1)
    assert "排队中" in client.get(response.url).content.decode()
    # and asking again while it waits (a reload) gives the same job, not a second one
    assert exports.respond(request, "tests.towns").url == response.url
    assert DocumentJob.objects.count() == 1
    # when the worker runs it (twice: the second run finds it claimed)
    assert jobs.run(job.pk) == "done"
    assert jobs.run(job.pk) == "done"
    job.refresh_from_db()
    assert (job.done, job.total, job.percent) == (2, 2, 100)
    download = client.get(f"/documents/{job.pk}/download/")
    assert download.status_code == 200
    assert _sheet(b"".join(download.streaming_content)) == [("代码", "名称"), ("TA", "甲镇"), ("TB", "乙镇")]
    assert client.get(f"/documents/{job.pk}/progress.json").json()["state"] == "done"
    assert job.title in client.get("/documents/").content.decode()
    # and someone else gets the 404 of a job that does not exist
    client.force_login(ecology_clerk)
    for url in (
        f"/documents/{job.pk}/",
        f"/documents/{job.pk}/download/",
        f"/documents/{job.pk}/progress.json",
    ):
        assert client.get(url).status_code == 404
    assert job.title not in client.get("/documents/").content.decode()


def test_a_failing_builder_fails_the_job_with_its_chinese_reason(approval_clerk):
    def refuse(user, params, progress):
        raise ValidationError("所选年度尚无数据。")

    jobs.register(jobs.DocumentKind("tests.refuse", "测试", refuse))
    job = jobs.start(kind="tests.refuse", params={}, title="测试文档", by=approval_clerk)
    assert jobs.run(job.pk) == "failed"
    job.refresh_from_db()
    assert (job.state, job.error) == ("failed", "所选年度尚无数据。")


def test_a_broker_that_cannot_be_reached_fails_the_job_visibly(
    approval_clerk, monkeypatch, django_capture_on_commit_callbacks
):
    from bureau import tasks

    def broker_down(*args, **kwargs):
        raise ConnectionError("broker down")

    monkeypatch.setattr(tasks.build_document, "delay", broker_down)
    jobs.register(
        jobs.DocumentKind(
            "tests.pdf", "测试", lambda u, p, progress: jobs.Built(b"%PDF", "a.pdf", "application/pdf")
        )
    )
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.start(kind="tests.pdf", params={}, title="测试文档", by=approval_clerk)
    job.refresh_from_db()
    assert job.state == "failed" and "队列暂不可用" in job.error


def test_an_unknown_kind_is_refused_in_chinese(approval_clerk):
    with pytest.raises(ValidationError, match="未知的文档类型"):
        jobs.start(kind="nope", params={}, title="x", by=approval_clerk)
