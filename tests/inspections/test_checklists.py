"""Checklist administration (R-INS-1, R-INS-2): the seeded checklists of seed 003 word for word, the
administrator's pages that revise a checklist as a new version, and an inspection that keeps the
version it used after a new one is published."""

from datetime import date

import pytest
from django.urls import reverse

from inspections import checklist_texts, queries
from inspections.models import ChecklistPoint, ChecklistVersion, Inspection, VersionState
from permits.models import KeyIndustry
from tests.factories.inspections import start

pytestmark = pytest.mark.today(date(2026, 6, 15))

LIST = reverse("inspections:checklist-list")


def page_of(response) -> str:
    return response.content.decode()


def current(code: str) -> ChecklistVersion:
    return ChecklistVersion.objects.get(checklist__code=code, state=VersionState.PUBLISHED)


def points(version) -> list[ChecklistPoint]:
    return list(
        ChecklistPoint.objects.filter(version=version).select_related("part").order_by("part__order", "order")
    )


def version_url(version) -> str:
    return reverse("inspections:checklist-version", args=[version.pk])


# The seeded checklists ----------------------------------------------------------------------------------


def test_r_ins_1_the_permit_holder_checklist_is_annex_3_of_seed_003(db):
    version = current("permit-holder")
    parts = queries.checklist_parts(version.pk)
    assert [part.title for part in parts] == [
        "持证情况与资料核查",
        "污染排放情况",
        "自行监测落实情况",
        "环保设施运行情况、环境保护管理",
    ]
    assert [len(part.points.all()) for part in parts] == [3, 6, 4, 4]
    texts = {point.code: point.text for point in points(version)}
    # 附件3, word for word (seed 003)
    assert texts["一.1"] == "是否依法取得排污许可证。"
    assert (
        texts["二.6"]
        == "特殊时段（如重污染响应、重大活动保障期间等）是否按照排污许可证规定停止或者限制排放污染物。"
    )
    assert texts["三.2"] == "自行监测是否符合相关规范要求。"
    assert texts["四.4"] == "是否制定环境应急预案并备案。"
    expected = [text for _, part_points in checklist_texts.PERMIT_HOLDER_PARTS for text, _, _ in part_points]
    assert list(texts.values()) == expected


def test_r_ins_2_the_registered_unit_checklist_checks_the_four_points_of_003_article_6(db):
    version = current("registered-unit")
    assert [point.text for point in points(version)] == [
        "排污管理等级是否正确。",
        "环评与“三同时”管理落实情况。",
        "污染防治设施运行情况。",
        "无组织排放管控。",
    ]
    assert version.checklist.applies_to == "registered"


# The administrator's pages ------------------------------------------------------------------------------


@pytest.fixture
def used(facility, officers):
    """An inspection done with the current permit-holder version."""
    return start(facility, officers)


def test_r_ins_1_the_list_shows_every_version_and_how_many_inspections_used_it(
    client, administrator, used, django_assert_num_queries
):
    client.force_login(administrator)
    # Expect 5 queries: session; user with staff, section and town; the checklists with their key
    # industry; their versions with the count of inspections of each; the key industries of the form
    # that creates a checklist.
    with django_assert_num_queries(5):
        response = client.get(LIST)
    page = page_of(response)
    assert "排污许可持证单位现场检查要点" in page and "排污登记单位现场检查要点" in page
    row = page[page.index(f'data-version="{used.checklist_version_id}"') :]
    assert "1 次" in row[: row.index("</tr>")] and "现行" in row[: row.index("</tr>")]


def test_r_ins_1_a_published_version_is_read_only_on_its_page(
    client, administrator, django_assert_num_queries
):
    version = current("permit-holder")
    client.force_login(administrator)
    # Expect 5 queries: session; user; the version with checklist, publisher and inspection count; its
    # parts; their points.
    with django_assert_num_queries(5):
        response = client.get(version_url(version))
    page = page_of(response)
    assert page.count('<li id="point-') == 17 and "是否依法取得排污许可证。" in page
    assert "data-form=" not in page and "<textarea" not in page and "已发布或已停用的版本不得修改" in page
    # and a post to it is refused as a conflict, nothing changed
    first = points(version)[0]
    response = client.post(
        reverse("inspections:checklist-point", args=[version.pk]),
        {"point": first.pk, "part": first.part_id, "code": "一.1", "text": "改过的要点"},
    )
    assert response.status_code == 409 and "已发布或已停用的版本不得修改" in page_of(response)
    assert ChecklistPoint.objects.get(pk=first.pk).text == "是否依法取得排污许可证。"


def test_r_ins_1_the_administrator_revises_and_publishes_and_an_inspection_keeps_its_version(
    client, administrator, used, facility, officers, django_assert_num_queries
):
    old = current("permit-holder")
    client.force_login(administrator)
    # given: a draft of the permit-holder checklist
    response = client.post(
        reverse("inspections:checklist-revise", args=[old.checklist_id]), {"note": "增加执行报告真实性"}
    )
    draft = ChecklistVersion.objects.get(checklist=old.checklist, state=VersionState.DRAFT)
    assert response.status_code == 302 and response["Location"] == version_url(draft)
    # Expect 5 queries, as for a published version: the forms need nothing more.
    with django_assert_num_queries(5):
        page = page_of(client.get(version_url(draft)))
    assert 'data-form="point"' in page and 'data-form="publish"' in page
    point_url = reverse("inspections:checklist-point", args=[draft.pk])
    fourth = queries.checklist_parts(draft.pk)[3]
    # when: a point is changed, one added (002 六), one removed; a bad one refused
    changed = ChecklistPoint.objects.get(version=draft, code="一.1")
    response = client.post(
        point_url,
        {
            "point": changed.pk,
            "part": changed.part_id,
            "code": "一.1",
            "text": "是否依法取得排污许可证，许可证正本是否悬挂。",
            "permit_data": "permit",
        },
    )
    assert response.status_code == 302
    refused = client.post(point_url, {"part": fourth.pk, "code": "一.2", "text": ""})
    assert refused.status_code == 400
    assert "编号“一.2”在本版本中已被使用" in page_of(refused) and "请填写检查要点" in page_of(refused)
    added = {
        "part": fourth.pk,
        "code": "四.5",
        "text": "执行报告及公开信息是否真实。",
        "finding_kind": "other_duties",
    }
    assert client.post(point_url, added).status_code == 302
    removed = ChecklistPoint.objects.get(version=draft, code="二.4")
    assert client.post(reverse("inspections:checklist-point-remove", args=[removed.pk])).status_code == 302
    rename = {"part": fourth.pk, "title": "环保设施运行情况、环境保护管理及信息公开"}
    assert client.post(reverse("inspections:checklist-part", args=[draft.pk]), rename).status_code == 302
    assert client.post(reverse("inspections:checklist-publish", args=[draft.pk])).status_code == 302
    # then: the draft is current, the old one retired and unchanged
    old.refresh_from_db()
    assert old.state == VersionState.RETIRED and current("permit-holder").pk == draft.pk
    assert len(points(draft)) == 17 and points(draft)[-1].text == "执行报告及公开信息是否真实。"
    assert ChecklistPoint.objects.get(version=old, code="一.1").text == "是否依法取得排污许可证。"
    # the inspection done before keeps its version and its points' old texts
    kept = Inspection.objects.get(pk=used.pk)
    assert kept.checklist_version_id == old.pk
    shown = queries.inspection_detail(officers[0], used.pk)
    assert shown.part_list[0].points.all()[0].text == "是否依法取得排污许可证。"
    assert len([p for part in shown.part_list for p in part.points.all()]) == 17
    # and a new one uses the new version
    assert start(facility, officers).checklist_version_id == draft.pk


def test_r_ins_1_a_part_without_points_keeps_a_draft_from_being_published(client, administrator):
    old = current("registered-unit")
    client.force_login(administrator)
    client.post(reverse("inspections:checklist-revise", args=[old.checklist_id]), {"note": ""})
    draft = ChecklistVersion.objects.get(checklist=old.checklist, state=VersionState.DRAFT)
    assert (
        client.post(reverse("inspections:checklist-part", args=[draft.pk]), {"title": "补充检查"}).status_code
        == 302
    )
    empty_title = client.post(reverse("inspections:checklist-part", args=[draft.pk]), {"title": ""})
    assert empty_title.status_code == 400 and "请填写部分名称" in page_of(empty_title)
    response = client.post(reverse("inspections:checklist-publish", args=[draft.pk]))
    assert response.status_code == 400 and "每个部分至少要有一个检查要点" in page_of(response)
    assert current("registered-unit").pk == old.pk
    # a second draft of the same checklist is refused
    again = client.post(reverse("inspections:checklist-revise", args=[old.checklist_id]), {"note": ""})
    assert again.status_code == 409 and "该清单已有修订草稿" in page_of(again)


@pytest.mark.parametrize("persona", ["officer", "legal_clerk", "leader", "approval_clerk", "town_a_liaison"])
def test_r_ins_1_only_the_administrator_edits_checklists(client, db, persona, request):
    version = current("permit-holder")
    client.force_login(request.getfixturevalue(persona))
    assert client.get(LIST).status_code == 403
    assert client.get(version_url(version)).status_code == 403
    response = client.post(
        reverse("inspections:checklist-revise", args=[version.checklist_id]), {"note": "x"}
    )
    assert response.status_code == 403 and "检查清单由系统管理员维护" in page_of(response)
    assert not ChecklistVersion.objects.filter(state=VersionState.DRAFT).exists()


def test_r_ins_1_the_administrator_creates_a_checklist_for_a_key_industry(client, administrator):
    industry = KeyIndustry.objects.order_by("code").first()
    client.force_login(administrator)
    missing = client.post(
        LIST, {"code": "metal-336", "name": "金属表面处理专用清单", "applies_to": "key_industry"}
    )
    assert missing.status_code == 400 and "适用对象为重点行业时须选择行业" in page_of(missing)
    response = client.post(
        LIST,
        {
            "code": "metal-336",
            "name": "金属表面处理专用清单",
            "applies_to": "key_industry",
            "key_industry": industry.pk,
        },
    )
    draft = ChecklistVersion.objects.get(checklist__code="metal-336")
    assert response.status_code == 302 and response["Location"] == version_url(draft)
    assert draft.is_draft and draft.checklist.key_industry == industry
