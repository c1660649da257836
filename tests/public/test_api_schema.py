"""The API's OpenAPI schema: it validates without a warning (as CI runs it), and the API's
answers match it, operation by operation, for requests schemathesis generates from it
against the application itself, with the Nagano demo in the database."""

import json

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from vision.models import Indicator, Vision

pytestmark = pytest.mark.django_db

# Requests generated per operation: enough to meet every parameter, quick enough for CI.
MAX_EXAMPLES = 12

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def test_schema_validates_without_warnings(tmp_path):
    path = tmp_path / "openapi.json"

    call_command(
        "spectacular",
        "--validate",
        "--fail-on-warn",
        "--format",
        "openapi-json",
        "--file",
        str(path),
    )

    schema = json.loads(path.read_text())
    assert schema["info"]["version"] == "1.0.0"
    assert {
        "/api/areas/",
        "/api/areas/{slug}/",
        "/api/municipalities/",
        "/api/municipalities/{code}/",
        "/api/agreements/",
        "/api/agreements/{slug}/{code}/",
        "/api/agreements/{slug}/{code}/with/{central}/",
        "/api/visions/",
        "/api/visions/{id}/",
        "/api/projects/",
        "/api/projects/{id}/",
        "/api/indicators/",
        "/api/indicators/{id}/",
    } <= set(schema["paths"])


def test_every_parameter_and_field_is_described(client):
    schema = client.get("/api/openapi.json").json()

    for path, operations in schema["paths"].items():
        for operation in operations.values():
            assert operation["description"], path
            for parameter in operation.get("parameters", []):
                assert parameter.get("description"), (path, parameter["name"])
    for name, component in schema["components"]["schemas"].items():
        for field, definition in component.get("properties", {}).items():
            assert definition.get("description"), (name, field)


OPERATIONS = [
    "GET /api/",
    "GET /api/areas/",
    "GET /api/areas/{slug}/",
    "GET /api/municipalities/",
    "GET /api/municipalities/{code}/",
    "GET /api/agreements/",
    "GET /api/agreements/{slug}/{code}/",
    "GET /api/agreements/{slug}/{code}/with/{central}/",
    "GET /api/visions/",
    "GET /api/visions/{id}/",
    "GET /api/projects/",
    "GET /api/projects/{id}/",
    "GET /api/indicators/",
    "GET /api/indicators/{id}/",
]


@pytest.fixture
def api_schema(shared_demo, settings):
    """The schema as the application serves it, requests going to the application itself
    (schemathesis's WSGI client names the host "localhost"); no limit on requests. As
    Django's test client does, a request does not close the database connection, which
    holds the test's transaction."""
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost"]
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": None},
    }
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/openapi.json", WSGIHandler())
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _demo_records() -> dict[str, dict]:
    """Path parameters that name records of the demo, by the first segment of the path."""
    vision = Vision.objects.filter(status=Vision.Status.ADOPTED).get()
    indicator = Indicator.objects.filter(project__vision=vision).first()
    return {
        "areas": {"slug": "nagano"},
        "municipalities": {"code": "205907"},
        "agreements": {"slug": "nagano", "code": "205907", "central": "202011"},
        "visions": {"id": vision.pk},
        "projects": {"id": indicator.project_id},
        "indicators": {"id": indicator.pk},
    }


# Queries of the demo's records, each sent to every list that takes all its parameters.
QUERIES = [
    {},
    {"area": "nagano"},
    {"municipality": "205907", "modified_since": "2016-01-01"},
    {"page": "2", "page_size": "1"},
    {"status": "amending"},
    {"status": "adopted"},
    {"step": "done"},
    {"kind": "village", "area": "nagano"},
    {"area": "nagano", "status": "in-force", "modified_since": "yesterday"},
]


def _known_cases(operation, kind: str):
    """Requests for what the demo holds: every record answered, in full."""
    names = {p.name for p in operation.path_parameters}
    if names:
        record = _demo_records()[kind]
        yield operation.Case(path_parameters={n: record[n] for n in names})
        return
    accepted = {p.name for p in operation.query}
    for query in QUERIES:
        if set(query) <= accepted:
            yield operation.Case(query=query)


def test_every_operation_is_tested(client):
    paths = client.get("/api/openapi.json").json()["paths"]

    assert sorted(f"GET {path}" for path in paths) == sorted(OPERATIONS)


def _call_and_validate(case):
    # The WSGI client does not decompress: ask for the answer as it is.
    return case.call_and_validate(checks=CHECKS, headers={"Accept-Encoding": "identity"})


@pytest.mark.parametrize("label", OPERATIONS)
def test_answers_match_the_schema(api_schema, label):
    operation = api_schema.find_operation_by_label(label)
    kind = label.split("/")[2]
    for case in _known_cases(operation, kind):
        _call_and_validate(case)

    @given(case=operation.as_strategy())
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def answers_match(case):
        _call_and_validate(case)

    answers_match()
