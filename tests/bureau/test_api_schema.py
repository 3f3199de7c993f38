"""The OpenAPI schema says what the API answers: it generates cleanly, and every operation documents its
error answers (bureau.api_schema.BureauAutoSchema) with the shared JSON error body."""

import json
import re

import pytest
from django.core.management import call_command

BODY_METHODS = {"post", "put", "patch"}


@pytest.fixture(scope="module")
def schema(tmp_path_factory, django_db_blocker):
    path = tmp_path_factory.mktemp("schema") / "schema.json"
    with django_db_blocker.unblock():
        # --validate checks the result against the OpenAPI 3 meta-schema; --fail-on-warn makes any
        # warning (an unresolvable field, a duplicated enum name) an error.
        call_command("spectacular", "--validate", "--fail-on-warn", "--format", "openapi-json", "--file", str(path))
    return json.loads(path.read_text())


def operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in {"get", "post", "put", "patch", "delete"}:
                yield path, method, operation


def test_every_operation_documents_its_error_answers_with_the_shared_error_body(schema):
    missing = []
    for path, method, operation in operations(schema):
        expected = {"400", "401", "403", "404"}
        if method in BODY_METHODS:
            expected |= {"409", "413", "415"}
        for code in sorted(expected):
            answer = operation["responses"].get(code)
            body = (answer or {}).get("content", {}).get("application/json", {}).get("schema", {})
            if not answer or not answer.get("description") or "$ref" not in body:
                missing.append(f"{method.upper()} {path} {code}")
    assert not missing, "未说明的错误答复：\n" + "\n".join(missing)
    # gunicorn's own answer to an over-long address (HTML, no body documented)
    assert all("414" in operation["responses"] for _, _, operation in operations(schema))


def test_the_error_body_is_a_chinese_detail_plus_field_errors(schema):
    error = schema["components"]["schemas"]["Error"]
    assert error["type"] == "object"
    assert error["properties"]["detail"]["type"] == "string"
    assert error["additionalProperties"]


def test_401_names_the_authentication_header_and_the_token_endpoint_documents_lockout(schema):
    token = schema["paths"]["/api/v1/auth/token/"]["post"]["responses"]
    assert "429" in token
    workdays = schema["paths"]["/api/v1/calendar/workdays/"]["get"]["responses"]
    assert "WWW-Authenticate" in workdays["401"]["headers"]
    assert "429" not in workdays  # no throttle, login required


def test_enums_are_named_and_nullable_columns_are_nullable(schema):
    components = schema["components"]["schemas"]
    # drf-spectacular gives clashing enums a hash for a name (Status3d7Enum) unless ENUM_NAME_OVERRIDES
    # names them; every enum here has a readable name.
    enums = [name for name in components if name.endswith("Enum")]
    assert {"FacilityStatusEnum", "MeetingStatusEnum", "PermitEventKindEnum"} <= set(enums)
    hashed = [name for name in enums if re.search(r"[0-9a-f]{3}Enum$", name) and re.search(r"\d", name)]
    assert not hashed, hashed
    # a nullable model column (Facility.credit_rated_on) is nullable in the answer; a required one is not
    facility = components["Facility"]["properties"]
    assert facility["credit_rated_on"].get("nullable") is True
    assert not facility["name"].get("nullable")
    # max lengths are the model columns'
    from complaints.models import ComplaintReporter

    create = components["ComplaintCreate"]["properties"]
    for name in ("name", "phone"):
        assert create[f"reporter_{name}"]["maxLength"] == ComplaintReporter._meta.get_field(name).max_length


def test_read_only_fields_that_may_be_empty_or_missing_say_so(schema):
    """Found by schemathesis: a blank choice (a complaint not yet rectified) answers "", and a value from
    a missing related record (a finding without rectification) answers null."""
    components = schema["components"]["schemas"]
    rectification = components["Complaint"]["properties"]["rectification"]
    assert {"$ref": "#/components/schemas/BlankEnum"} in rectification["oneOf"]
    assert components["FindingSummary"]["properties"]["rectification_deadline_on"]["nullable"] is True


@pytest.mark.django_db
def test_options_and_head_never_fail_on_any_operation(schema, api_client, approval_clerk):
    # OPTIONS describes a view's actions from its serializer; the views that read their body through
    # serializers of their own (grading) have none, which was a 500 (bureau.api_metadata.BureauMetadata).
    failures = []
    api_client.force_authenticate(approval_clerk)
    for path, item in schema["paths"].items():
        url = path.replace("{year}", "2025").replace("{id}", "1")
        for method in ("options", "head") if "get" in item else ("options",):
            status = getattr(api_client, method)(url).status_code
            if status >= 500:
                failures.append(f"{method.upper()} {url}: {status}")
    assert not failures, failures
