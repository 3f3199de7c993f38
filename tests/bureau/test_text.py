"""Input checks (bureau/text.py): control characters refused with a Chinese message on every way text
comes in (API bodies, page forms, URL paths, query strings), bounded JSON, the router's suffix routes
gone, and records that already hold a control character still exported and printed."""

import io
import json

import pytest
from openpyxl import load_workbook

from bureau.documents.pdf import render_pdf
from bureau.text import CONTROL_CHARACTER_MESSAGE, has_control_characters, strip_control_characters
from permits.models import Facility
from tests.factories.permits import FacilityFactory, credit_code

REFUSED = ["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1b", "\x7f", "\x85", "\x9f", "\ufffe", "\uffff", "\ud800"]
ALLOWED = ["\t", "\n", "\r", " ", "中文", "\u00a0", "\u3000", "😀", "é"]


@pytest.mark.parametrize("character", REFUSED)
def test_control_characters_are_found_and_stripped(character):
    assert has_control_characters(f"甲{character}乙")
    assert strip_control_characters(f"甲{character}乙") == "甲乙"


@pytest.mark.parametrize("character", ALLOWED)
def test_ordinary_text_passes(character):
    assert not has_control_characters(f"甲{character}乙")


def _post_json(client, body: str):
    return client.post("/api/v1/facilities/", data=body, content_type="application/json")


@pytest.mark.parametrize("escaped", ["\\u0000", "\\u001b", "\\u007f", "\\u0085", "\\ud800", "\\uffff"])
def test_the_api_refuses_a_control_character_in_a_json_string_or_key(api_client, approval_clerk, escaped):
    api_client.force_authenticate(approval_clerk)

    in_value = _post_json(api_client, f'{{"name": "测试{escaped}单位", "credit_code": "{credit_code(1)}"}}')
    in_key = _post_json(api_client, f'{{"na{escaped}me": "测试单位"}}')

    for response in (in_value, in_key):
        assert response.status_code == 400
        assert response.json() == {"detail": CONTROL_CHARACTER_MESSAGE}
    assert not Facility.objects.exists()


@pytest.mark.parametrize(
    "body, message",
    [
        ("[" * 33 + "]" * 33, "嵌套层数过多"),
        ("[" * 100_000 + "]" * 100_000, "嵌套层数过多"),
        (json.dumps({"values": list(range(10_001))}), "值过多"),
        ('{"n": 9223372036854775808}', "整数超出范围"),
        ('{"n": -9223372036854775809}', "整数超出范围"),
        ('{"n": ' + "9" * 5000 + "}", "整数超出范围"),
        ('{"n": NaN}', "NaN"),
        ('{"n": Infinity}', "Infinity"),
        ('{"n": -Infinity}', "Infinity"),
        ('{"n": ', "JSON 格式有误"),
    ],
)
def test_the_api_refuses_unbounded_json_with_a_chinese_400(api_client, approval_clerk, body, message):
    api_client.force_authenticate(approval_clerk)

    response = _post_json(api_client, body)

    assert response.status_code == 400
    assert message in response.json()["detail"]


def test_the_api_refuses_a_body_that_is_not_utf8(api_client, approval_clerk):
    api_client.force_authenticate(approval_clerk)

    response = api_client.post("/api/v1/facilities/", data=b'{"name": "\xff\xfe"}', content_type="application/json")

    assert response.status_code == 400
    assert "UTF-8" in response.json()["detail"]


def test_json_at_the_bounds_is_parsed(api_client, approval_clerk):
    api_client.force_authenticate(approval_clerk)
    deep = "[" * 31 + "1" + "]" * 31  # 32 levels with the object around it

    response = _post_json(api_client, json.dumps({"name": 9223372036854775807, "x": json.loads(deep)}))

    # parsed, then refused by the serializer for what the fields hold, not by the parser
    assert response.status_code == 400
    assert "detail" not in response.json()


def test_the_api_refuses_a_control_character_in_a_form_or_multipart_field(api_client, approval_clerk):
    api_client.force_authenticate(approval_clerk)

    form = api_client.post(
        "/api/v1/facilities/", data="name=%E6%B5%8B%1B", content_type="application/x-www-form-urlencoded"
    )
    multipart = api_client.post("/api/v1/facilities/", data={"name": "测\x1b试"}, format="multipart")

    for response in (form, multipart):
        assert response.status_code == 400
        assert response.json() == {"detail": CONTROL_CHARACTER_MESSAGE}


def test_a_page_form_holding_a_control_character_is_refused_with_a_chinese_page(client):
    response = client.post("/login/", {"username": "admin\x00", "password": "x"})

    assert response.status_code == 400
    assert CONTROL_CHARACTER_MESSAGE in response.content.decode()


def test_an_uploaded_file_is_not_scanned(client, approval_clerk):
    client.force_login(approval_clerk)
    upload = io.BytesIO(b"\x00\x01\x02 binary")
    upload.name = "data.xlsx"

    response = client.post("/imports/", {"file": upload})

    assert response.status_code != 400 or CONTROL_CHARACTER_MESSAGE not in response.content.decode()


@pytest.mark.parametrize(
    "url, json_answer",
    [
        ("/facilities/%00/", False),
        ("/facilities/%1B/edit/", False),
        ("/no-such-page-%7F/", False),
        ("/facilities/?q=%00", False),
        ("/facilities/?%01=1", False),
        ("/api/v1/facilities/%00/", True),
        ("/api/v1/facilities/?search=%C2%85", True),
        ("/admin/bureau/%00/", False),
    ],
)
def test_a_control_character_in_the_url_is_a_400_never_a_500(client, administrator, url, json_answer):
    client.force_login(administrator)

    response = client.get(url)

    assert response.status_code == 400
    if json_answer:
        assert response.json() == {"detail": CONTROL_CHARACTER_MESSAGE}
    else:
        assert CONTROL_CHARACTER_MESSAGE in response.content.decode()


@pytest.mark.parametrize(
    "url", ["/facilities/99999999999999999999999/", "/api/v1/facilities/99999999999999999999999/",
            "/api/v1/facilities/9223372036854775808/", "/api/v1/facilities/?town=99999999999999999999999"]
)
def test_an_over_long_id_in_the_url_is_not_a_500(client, administrator, url):
    client.force_login(administrator)

    # 200 only for the filter, which ignores a town that cannot exist; never a server error
    assert client.get(url).status_code in ((200, 400, 404) if "?" in url else (400, 404))


def test_the_router_has_no_format_suffix_routes(client, administrator):
    client.force_login(administrator)

    assert client.get("/api/v1/facilities/").status_code == 200
    assert client.get("/api/v1/facilities.json").status_code == 404
    assert client.get("/api/v1/permits.json").status_code == 404


@pytest.mark.django_db
def test_an_export_leaves_out_control_characters_a_record_already_holds(client, approval_clerk, town_a):
    # given a facility stored before input was checked, its name holding a control character
    facility = FacilityFactory(n=7, town=town_a, by=approval_clerk)
    Facility.objects.filter(pk=facility.pk).update(name="旧\x1b数据\x0b单位\x7f")
    client.force_login(approval_clerk)

    # when the facility list is exported
    response = client.get("/facilities/export.xlsx")

    # then the workbook opens and holds the name without them
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert "旧数据单位" in [cell.value for row in sheet.iter_rows() for cell in row]


def test_a_pdf_is_made_from_text_holding_control_characters():
    pdf = render_pdf("documents/document.html", {"document_number": "第\x00\x1b\x7f1号\ufffe"})

    assert pdf.startswith(b"%PDF")
