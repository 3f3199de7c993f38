"""数据导入 in a real browser: the approval clerk uploads the platform's export, watches the progress
bar, reads the preview, confirms, and sees the result (R-FAC-1, R-ORG-2).

The Celery worker is played by the test: the tasks' ``delay`` collects the tasks the server
queues, and the test runs them while the page is open, so the page's own script (polling the
progress endpoint every second) is what brings the preview and the result onto the screen.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from permits.imports import tasks as import_tasks
from permits.imports.models import ImportBatch, ImportStatus
from permits.models import Facility, Permit, Registration
from tests.factories.imports import code, key_row, register_like, registered_row, workbook


@pytest.fixture
def worker(monkeypatch, settings, tmp_path):
    """Tasks the server queues, for the test to run as the worker would."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    queued: list[tuple[str, int]] = []
    for name in ("parse_import_batch", "apply_import_batch"):
        task = getattr(import_tasks, name)
        monkeypatch.setattr(task, "delay", lambda pk, name=name: queued.append((name, pk)))

    def run(expected: str) -> None:
        assert [name for name, _ in queued] == [expected]
        name, pk = queued.pop()
        getattr(import_tasks, name)(pk)

    return run


def test_approval_clerk_imports_the_platform_export(
    page: Page, live_server, approval_clerk, log_in, town_a, town_b, worker, tmp_path, screenshot_dir
):
    # given: one facility already in the registry, and the platform's export of five
    register_like(key_row(1))
    export = tmp_path / "全国排污许可证管理信息平台导出.xlsx"
    export.write_bytes(
        workbook(
            [
                key_row(1, 联系电话="13800000000"),  # changed
                key_row(2),  # new
                key_row(3, 管理类别="简化管理", 执行报告频次="年度"),  # new
                registered_row(4),  # new
                key_row(5, 所属街镇="丙镇"),  # rejected
            ]
        )
    )

    # the clerk logs in and opens 数据导入
    log_in(approval_clerk)
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="数据导入").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("数据导入")
    expect(page.get_by_role("link", name="下载导入模板（含填写说明）")).to_be_visible()
    expect(page.get_by_role("table").first).to_contain_text("登记回执编号")
    page.screenshot(path=str(screenshot_dir / "import-page.png"), full_page=True)

    # when: the file is uploaded, the page follows the parsing
    page.get_by_label("导入文件（.xlsx）").set_input_files(export)
    page.get_by_role("button", name="上传并预览").click()
    expect(page).to_have_url(re.compile(r"/imports/\d+/$"))
    expect(page.locator(".import-status")).to_have_text("解析中")
    expect(page.locator("[data-import-progress] progress")).to_be_visible()
    worker("parse_import_batch")

    # then: the preview appears by itself, with the counts and the reason for the rejected row
    expect(page.locator(".import-status")).to_have_text("待确认", timeout=10_000)
    counts = page.get_by_role("list", name="分类统计")
    expect(counts.locator('[data-kind="new"] .count')).to_have_text("3")
    expect(counts.locator('[data-kind="changed"] .count')).to_have_text("1")
    expect(counts.locator('[data-kind="unchanged"] .count')).to_have_text("0")
    expect(counts.locator('[data-kind="rejected"] .count')).to_have_text("1")
    expect(page.locator('[data-section="changed"]')).to_contain_text("联系电话：021-52500000 → 13800000000")
    expect(page.locator('[data-section="rejected"]')).to_contain_text(
        "所属街镇“丙镇”不在本区街镇（园区）名录中。"
    )
    assert Facility.objects.count() == 1  # nothing written before confirmation
    page.screenshot(path=str(screenshot_dir / "import-preview.png"), full_page=True)

    # when: the clerk confirms, the page follows the writing
    page.get_by_role("button", name="确认导入").click()
    expect(page.locator(".import-status")).to_have_text("导入中")
    worker("apply_import_batch")

    # then
    done = page.locator(".import-done")
    expect(done).to_have_text(
        re.compile(r"^导入已完成：新增 3 家单位，更新 1 家；无变化 0 行、不予导入 1 行未写入。"),
        timeout=10_000,
    )
    expect(page.locator(".import-status")).to_have_text("已完成")
    batch = ImportBatch.objects.get()
    assert (batch.status, batch.confirmed_by) == (ImportStatus.DONE, approval_clerk)
    assert set(Facility.objects.values_list("credit_code", flat=True)) == {code(n) for n in (1, 2, 3, 4)}
    assert Facility.objects.get(credit_code=code(1)).contact_phone == "13800000000"
    assert Permit.objects.filter(facility__credit_code=code(3), management_level="simplified").exists()
    assert Registration.objects.filter(facility__credit_code=code(4)).exists()
    shot = screenshot_dir / "import-done.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.is_file() and shot.stat().st_size > 0
