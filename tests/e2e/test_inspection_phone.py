"""The officer's form on a 375 px phone at the factory gate (R-INS-6, R-INS-7, R-INS-8): the officer
answers the checklist, the connection drops, a photo and a 不符合 with its rectification wait in the
browser and are shown as waiting, the connection returns and everything arrives; the two officers sign
and the finding is on the rectification ledger."""

import hashlib
import re
from datetime import date

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from inspections.models import Answer, Finding, InspectionState, Photo
from inspections.services.photos import NOT_AN_IMAGE
from permits.models import RectificationItem
from tests.factories.inspections import jpeg_bytes, point, points_of, signed, start

# The inspections fixtures (a conftest reaches only its folder).
from tests.inspections.conftest import facility, officer2, officers  # noqa: F401

pytestmark = pytest.mark.today(date(2026, 6, 15))

PHONE = {"width": 375, "height": 812}


RECTIFY = "二.3"


VERDICTS = {"符合": "compliant", "不符合": "noncompliant", "不适用": "not_applicable"}


def _answer(page: Page, point_pk: int, label: str) -> None:
    page.locator(f'[data-point="{point_pk}"] label.verdict-{VERDICTS[label]}').click()


def test_r_ins_6_the_form_keeps_everything_offline_and_sends_it_when_back(
    page: Page,
    live_server,
    log_in,
    screenshot_dir,
    password,
    work_calendar,
    facility,  # noqa: F811
    officers,  # noqa: F811
):
    first, second = officers
    inspection = start(facility, officers)
    rectify = point(inspection, RECTIFY)
    page.set_viewport_size(PHONE)
    log_in(first)
    page.goto(live_server.url + reverse("inspections:inspection-form", args=[inspection.pk]))
    expect(page.get_by_role("heading", level=1)).to_contain_text(inspection.number)

    # when: online, every point but one 符合, and the representative recorded (the plain form)
    for p in points_of(inspection):
        if p.code != RECTIFY:
            _answer(page, p.pk, "符合")
    expect(page.locator("[data-status] .saved")).to_have_count(16)
    expect(page.locator("[data-pending-counter]")).to_be_hidden()
    page.get_by_label("企业现场负责人").fill("李厂长")
    page.get_by_label("职务").fill("厂长")
    page.get_by_role("button", name="保存负责人与小结").click()
    expect(page.locator(".messages")).to_contain_text("已保存企业现场负责人")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # and: the connection drops; a photo of the point and its 不符合 with a rectification
    page.context.set_offline(True)
    card = page.locator(f'[data-point="{rectify.pk}"]')
    photo = jpeg_bytes()
    card.locator("[data-photo-input]").set_input_files(
        {"name": "IMG_2041.jpg", "mimeType": "image/jpeg", "buffer": photo}
    )
    expect(card.locator(".photo.waiting")).to_contain_text("未送达")
    _answer(page, rectify.pk, "不符合")
    expect(card.locator("[data-status]")).to_contain_text("未通过：须填写情况说明")
    card.get_by_label("情况说明").fill("危废贮存间未设置防渗漏措施")
    # the class is the officer's pick: the point's suggestion is only shown beside the select
    suggestion = card.locator("[data-kind-suggestion]")
    expect(card.get_by_label("违法类别")).to_have_value("")
    expect(suggestion).to_contain_text("建议：违反其他环境管理要求的行为")
    suggestion.get_by_role("button", name="采用建议").click()
    expect(card.get_by_label("违法类别")).to_have_value("other_duties")
    expect(suggestion.get_by_role("button", name="采用建议")).to_be_hidden()
    card.get_by_label("限期整改").check()
    card.get_by_label("整改时限（工作日）").fill("10")
    card.get_by_label("整改责任人").fill("王经理")
    card.get_by_label("整改责任人").blur()

    # then: it waits in the browser, and says so
    expect(card.locator("[data-status]")).to_have_text("待发送（离线）")
    expect(page.locator("[data-pending-number]")).to_have_text("2")
    expect(page.locator("[data-sign-link]")).to_have_attribute("aria-disabled", "true")
    expect(page.locator("[data-sign-hint]")).to_have_text("尚有 2 项未发送")
    page.screenshot(path=str(screenshot_dir / "1-offline-375.png"), full_page=True)
    assert not Answer.objects.filter(inspection=inspection, point=rectify).exists()
    assert not Photo.objects.exists()

    # when: the connection returns
    page.context.set_offline(False)

    # then: everything arrives, with its receipt
    expect(card.locator(".photo.arrived")).to_contain_text(
        f"已送达 · {hashlib.sha256(photo).hexdigest()[:12]}"
    )
    expect(card.locator("[data-status]")).to_contain_text("已保存")
    expect(page.locator("[data-pending-counter]")).to_be_hidden()
    expect(page.locator("[data-sign-link]")).not_to_have_attribute("aria-disabled", "true")
    page.screenshot(path=str(screenshot_dir / "2-back-online-375.png"), full_page=True)
    answer = Answer.objects.get(inspection=inspection, point=rectify)
    assert (answer.verdict, answer.finding_kind, answer.disposition) == (
        "noncompliant",
        "other_duties",
        "rectification",
    )
    assert (answer.deadline_workdays, answer.responsible_person) == (10, "王经理")
    received = Photo.objects.get()
    assert received.sha256 == hashlib.sha256(photo).hexdigest() and received.point_id == rectify.pk
    assert Answer.objects.filter(inspection=inspection).count() == 17

    # when: the first officer signs on the record page
    page.locator("[data-sign-link]").click()
    expect(page).to_have_url(live_server.url + reverse("inspections:inspection-detail", args=[inspection.pk]))
    page.locator("[data-action=sign] button").click()
    expect(page.locator("[data-actions]")).to_contain_text("已有检查人员签名，记录已锁定")

    # and: the second officer, on their own phone, finds it on their to-do list and signs
    other = page.context.browser.new_context(viewport=PHONE)
    phone = other.new_page()
    phone.goto(live_server.url + "/login/")
    phone.locator("#id_username").fill(second.username)
    phone.locator("#id_password").fill(password)
    phone.get_by_role("button", name="登录").click()
    phone.get_by_role("link", name=re.compile(f"现场检查 {inspection.number}.*待您签名")).click()
    phone.locator("[data-action=sign] button").click()
    expect(phone.locator("[data-signed-note]")).to_be_visible()
    other.close()
    inspection.refresh_from_db()
    assert inspection.state == InspectionState.SIGNED and len(inspection.record_hash) == 64

    # then: the finding is on the one rectification ledger, and the ledger page shows it
    finding = Finding.objects.get(inspection=inspection)
    item = RectificationItem.objects.get(source_key=f"inspections.finding:{finding.pk}")
    assert item.deadline_workdays == 10 and item.responsible_person == "王经理"
    page.goto(live_server.url + reverse("permits:ledger"))
    row = page.locator("tr", has_text="危废贮存间未设置防渗漏措施")
    expect(row).to_contain_text(f"{inspection.number} 第 {RECTIFY} 项")
    expect(row).to_contain_text("王经理")
    # and the form now leads to the record
    page.goto(live_server.url + reverse("inspections:inspection-form", args=[inspection.pk]))
    expect(page).to_have_url(live_server.url + reverse("inspections:inspection-detail", args=[inspection.pk]))


def test_r_ins_6_an_answer_and_a_photo_taken_offline_survive_a_lost_page(
    page: Page,
    live_server,
    log_in,
    facility,  # noqa: F811
    officers,  # noqa: F811
):
    inspection = start(facility, officers)
    first_point = point(inspection, "一.1")
    url = live_server.url + reverse("inspections:inspection-form", args=[inspection.pk])
    page.set_viewport_size(PHONE)
    log_in(officers[0])
    page.goto(url)
    # given: offline, a 不符合 with its note and a photo, and the tab is lost
    page.context.set_offline(True)
    _answer(page, first_point.pk, "不符合")
    card = page.locator(f'[data-point="{first_point.pk}"]')
    card.get_by_label("情况说明").fill("未能出示排污许可证正本")
    card.get_by_label("情况说明").blur()
    expect(card.locator("[data-status]")).to_have_text("待发送（离线）")
    photo = jpeg_bytes(color=(20, 90, 200))
    card.locator("[data-photo-input]").set_input_files(
        {"name": "IMG_2042.jpg", "mimeType": "image/jpeg", "buffer": photo}
    )
    expect(page.locator("[data-pending-number]")).to_have_text("2")
    context = page.context
    page.close()
    # when: back online, the form is opened again
    context.set_offline(False)
    again = context.new_page()
    again.goto(url)
    # then: the answer typed before is back in the form, and it and the photo arrive
    card = again.locator(f'[data-point="{first_point.pk}"]')
    expect(card.get_by_label("情况说明")).to_have_value("未能出示排污许可证正本")
    expect(card.locator("[data-status]")).to_contain_text("已保存")
    expect(card.locator(".photo.arrived")).to_contain_text(hashlib.sha256(photo).hexdigest()[:12])
    answer = Answer.objects.get(inspection=inspection, point=first_point)
    assert (answer.verdict, answer.note) == ("noncompliant", "未能出示排污许可证正本")
    assert Photo.objects.get().sha256 == hashlib.sha256(photo).hexdigest()


def test_r_ins_6_a_photo_held_offline_when_the_record_is_signed_elsewhere_is_listed_not_dropped(
    page: Page,
    live_server,
    log_in,
    screenshot_dir,
    facility,  # noqa: F811
    officers,  # noqa: F811
):
    inspection = start(facility, officers)
    first_point = point(inspection, "一.1")
    form_url = live_server.url + reverse("inspections:inspection-form", args=[inspection.pk])
    record_url = live_server.url + reverse("inspections:inspection-detail", args=[inspection.pk])
    page.set_viewport_size(PHONE)
    log_in(officers[0])
    page.goto(form_url)
    # given: officer A's phone holds a photo taken offline
    page.context.set_offline(True)
    card = page.locator(f'[data-point="{first_point.pk}"]')
    card.locator("[data-photo-input]").set_input_files(
        {"name": "IMG_3001.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes(color=(200, 40, 40))}
    )
    expect(card.locator(".photo.waiting")).to_contain_text("未送达")
    # when: back online, the photo still cannot get through (the server unreachable), and A opens the record
    photos_api = "**" + reverse("api-inspection-photos", args=[inspection.pk])
    page.route(photos_api, lambda route: route.abort())
    page.context.set_offline(False)
    page.goto(record_url)
    # then: 签名 waits for it, and the page leads back to the form
    hint = page.locator("[data-held-hint]")
    expect(hint).to_have_text("本机尚有 1 项未发送，请先回到填写页面发送")
    expect(hint.get_by_role("link", name="回到填写页面")).to_have_attribute("href", re.compile("/form/$"))
    expect(page.locator("[data-action=sign] button")).to_be_disabled()
    expect(page.locator("[data-held]")).to_be_hidden()
    page.unroute(photos_api)
    # and: meanwhile the record is completed and signed through the services (officer B's phone)
    signed(inspection, officers)
    # when: A opens the form again, which leads to the record
    page.goto(form_url)
    expect(page).to_have_url(record_url)
    # then: the photo is listed as not arrived, with the server's reason, to be saved or cleared
    held = page.locator("[data-held]")
    expect(held).to_be_visible()
    expect(held.locator("h2")).to_have_text("本机未能送达的内容")
    item = held.locator("[data-held-photo]")
    expect(item).to_have_count(1)
    expect(item).to_contain_text("IMG_3001.jpg")
    expect(item).to_contain_text("第 一.1 项 · 未送达原因：检查记录已签署，不得修改")
    expect(item.get_by_role("link", name="保存到本机")).to_have_attribute("download", "IMG_3001.jpg")
    assert page.evaluate("document.querySelector('[data-held-photo] img').naturalWidth") > 0
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(screenshot_dir / "held-375.png"), full_page=True)
    assert not Photo.objects.exists()
    # when: the officer has saved it and clears it, after confirming
    page.once("dialog", lambda dialog: dialog.accept())
    held.get_by_role("button", name="已处理，清除").click()
    # then: nothing is held any more, here or when the page is opened again
    expect(held).to_be_hidden()
    page.reload()
    expect(page.locator("[data-signed-note]")).to_be_visible()
    expect(page.locator("[data-held]")).to_be_hidden()


def test_r_ins_6_a_photo_the_server_refuses_does_not_hold_signing_and_can_be_given_up(
    page: Page,
    live_server,
    log_in,
    screenshot_dir,
    facility,  # noqa: F811
    officers,  # noqa: F811
):
    inspection = start(facility, officers)
    first_point = point(inspection, "一.1")
    page.set_viewport_size(PHONE)
    log_in(officers[0])
    page.goto(live_server.url + reverse("inspections:inspection-form", args=[inspection.pk]))
    card = page.locator(f'[data-point="{first_point.pk}"]')
    # when: a text file named like a photo is taken, and the server refuses it (400)
    card.locator("[data-photo-input]").set_input_files(
        {"name": "IMG_4001.jpg", "mimeType": "image/jpeg", "buffer": "现场记录".encode()}
    )
    # then: it is 未通过 with the reason, not waited for, and 去签名 is open
    item = card.locator(".photo.refused")
    expect(item).to_contain_text(f"未通过：{NOT_AN_IMAGE}")
    expect(item.get_by_role("button", name="重试")).to_be_visible()
    expect(page.locator("[data-pending-counter]")).to_be_hidden()
    expect(page.locator("[data-sign-link]")).not_to_have_attribute("aria-disabled", "true")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(screenshot_dir / "photo-refused-375.png"), full_page=True)
    # and: it is still there when the page is opened again
    page.reload()
    expect(item).to_contain_text(f"未通过：{NOT_AN_IMAGE}")
    expect(page.locator("[data-pending-counter]")).to_be_hidden()
    # when: the officer gives it up, after confirming
    page.once("dialog", lambda dialog: dialog.accept())
    item.get_by_role("button", name="放弃此照片").click()
    # then: it is gone from the page and from the browser
    expect(card.locator(".photo")).to_have_count(0)
    page.reload()
    expect(page.locator("[data-photo-button]").first).to_be_visible()
    expect(card.locator(".photo")).to_have_count(0)
    assert not Photo.objects.exists()
