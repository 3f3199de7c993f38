"""What text the system accepts: no invisible control characters in anything typed or sent.

A control character (C0 other than tab, line feed and carriage return; DEL; C1), a noncharacter
U+FFFE/U+FFFF or a lone surrogate is never what a clerk meant to type. Stored, it breaks what reads the
record later: Excel refuses the workbook (openpyxl's ``IllegalCharacterError``), PostgreSQL refuses NUL,
XML and PDF writers choke. So it is refused where text comes in, with one Chinese message:

- the API's parsers (``CheckedJSONParser``, ``CheckedFormParser``, ``CheckedMultiPartParser``, the
  ``DEFAULT_PARSER_CLASSES``) refuse such strings with 400, and refuse JSON that is too deep, too large,
  holds integers beyond 64 bits or NaN/Infinity (ASVS 5.1);
- ``InputGuard`` (middleware) refuses a page's form submission holding one (400, a Chinese page), and
  a URL whose path or query string holds one, for pages and the API alike, before any view or query
  sees it.

Uploaded files are not text fields and are not scanned here. Records stored before these checks are
cleaned on the way out: ``strip_control_characters`` is applied by the Excel and PDF writers.
"""

import codecs
import json
import re

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from rest_framework.exceptions import ParseError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser

CONTROL_CHARACTER_MESSAGE = "包含不可见的控制字符，请删除后重新提交"

# C0 except \t \n \r, DEL and C1, the noncharacters U+FFFE/U+FFFF, and surrogates (which only occur
# alone in a Python string: a pair is decoded into one character).
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")

# The API's bounds on one JSON body (ASVS 5.1.4): deeper nesting or more values is no request this
# system's forms or integrators make, and would cost the server recursion or memory to parse.
MAX_JSON_DEPTH = 32
MAX_JSON_VALUES = 10_000
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
# A longer run of digits than any 64-bit integer: refused before Python converts it (CPython's own
# limit on int() of long strings is 4300 digits, raised as a ValueError with an English message).
MAX_INTEGER_DIGITS = 20


def has_control_characters(text: str) -> bool:
    """Whether ``text`` holds a character refused on input (see the module's docstring)."""
    return CONTROL_CHARACTERS.search(text) is not None


def strip_control_characters(text: str) -> str:
    """``text`` without the characters refused on input: for records stored before the check."""
    return CONTROL_CHARACTERS.sub("", text)


class _JsonLimits:
    """Counts the values of one JSON document while it is decoded and refuses what is out of bounds."""

    def __init__(self):
        self.values = 0

    def integer(self, text: str) -> int:
        if len(text.lstrip("-")) > MAX_INTEGER_DIGITS or not INT64_MIN <= (number := int(text)) <= INT64_MAX:
            raise ParseError("整数超出范围（须在 64 位有符号整数之内）。")
        return number

    def constant(self, name: str):
        raise ParseError(f"不接受 {name}：数值必须是有限的数。")

    def check(self, value, depth: int = 1) -> None:
        """Walk ``value``: depth of objects and arrays, number of values, control characters in keys
        and strings."""
        if depth > MAX_JSON_DEPTH and isinstance(value, dict | list):
            raise ParseError(f"JSON 嵌套层数过多（最多 {MAX_JSON_DEPTH} 层）。")
        self.values += 1
        if self.values > MAX_JSON_VALUES:
            raise ParseError(f"JSON 中的值过多（最多 {MAX_JSON_VALUES} 个）。")
        if isinstance(value, str):
            if has_control_characters(value):
                raise ParseError(CONTROL_CHARACTER_MESSAGE)
        elif isinstance(value, dict):
            for key, item in value.items():
                if has_control_characters(key):
                    raise ParseError(CONTROL_CHARACTER_MESSAGE)
                self.check(item, depth + 1)
        elif isinstance(value, list):
            for item in value:
                self.check(item, depth + 1)


class CheckedJSONParser(JSONParser):
    """DRF's JSON parser, with the bounds above and Chinese messages for malformed bodies."""

    def parse(self, stream, media_type=None, parser_context=None):
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        limits = _JsonLimits()
        try:
            text = codecs.getreader(encoding)(stream).read()
            data = json.loads(text, parse_int=limits.integer, parse_constant=limits.constant)
        except ParseError:
            raise
        except RecursionError:
            raise ParseError(f"JSON 嵌套层数过多（最多 {MAX_JSON_DEPTH} 层）。") from None
        except (UnicodeDecodeError, LookupError):
            raise ParseError("请求内容不是有效的 UTF-8 文本。") from None
        except ValueError as exc:
            raise ParseError(f"JSON 格式有误：{_position(exc)}") from None
        limits.check(data)
        return data


def _position(exc: ValueError) -> str:
    if isinstance(exc, json.JSONDecodeError):
        return f"第 {exc.lineno} 行第 {exc.colno} 列附近。"
    return "无法解析。"


def _check_query_dict(data) -> None:
    for key, values in data.lists():
        if has_control_characters(key) or any(has_control_characters(v) for v in values if isinstance(v, str)):
            raise ParseError(CONTROL_CHARACTER_MESSAGE)


class CheckedFormParser(FormParser):
    """DRF's form parser, refusing control characters in names and values."""

    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        _check_query_dict(data)
        return data


class CheckedMultiPartParser(MultiPartParser):
    """DRF's multipart parser, refusing control characters in the text fields (files are not read)."""

    def parse(self, stream, media_type=None, parser_context=None):
        parsed = super().parse(stream, media_type, parser_context)
        _check_query_dict(parsed.data)
        return parsed


FORM_CONTENT_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class InputGuard:
    """Refuses, before any view or query sees it, a request whose URL path or query string holds a
    control character, and a page's form submission whose fields do (400: JSON under ``/api/``, the
    Chinese page ``input_refused.html`` elsewhere). The API's bodies are checked by its parsers, which
    answer per DRF; reading them here would bypass those parsers."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self.holds_control_characters(request):
            return self.refuse(request)
        return self.get_response(request)

    @staticmethod
    def holds_control_characters(request) -> bool:
        if has_control_characters(request.path) or has_control_characters(request.path_info):
            return True
        if any(has_control_characters(key) or any(has_control_characters(v) for v in values)
               for key, values in request.GET.lists()):
            return True
        if request.method != "POST" or is_api(request) or request.content_type not in FORM_CONTENT_TYPES:
            return False
        # Names and values of the text fields only; request.FILES is parsed alongside and left alone.
        return any(
            has_control_characters(key) or any(has_control_characters(v) for v in values)
            for key, values in request.POST.lists()
        )

    @staticmethod
    def refuse(request):
        if is_api(request):
            return JsonResponse({"detail": CONTROL_CHARACTER_MESSAGE}, status=400)
        # Rendered without the request: this runs before the session and the user are known.
        return HttpResponse(render_to_string("input_refused.html", {"message": CONTROL_CHARACTER_MESSAGE}), status=400)


def is_api(request) -> bool:
    return request.path_info.startswith("/api/")
