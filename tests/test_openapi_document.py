"""The OpenAPI document in git (docs/openapi.json) is the code's, and served at /api/v1/openapi.json."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from govoffice.web.management.commands.openapi import SPEC_PATH, current_spec


def test_the_kept_document_matches_the_code() -> None:
    assert SPEC_PATH.read_text(encoding="utf-8") == current_spec(), "run `govoffice openapi --write` and commit"


@pytest.mark.django_db
def test_the_served_document_is_the_kept_one(client: Client) -> None:
    served = client.get("/api/v1/openapi.json").json()
    assert served["paths"].keys() == json.loads(SPEC_PATH.read_text())["paths"].keys()


# Open to anyone, on purpose: the hub's public certificate, and the public service portal
# (catalogue, status lookups, filing feedback, published answers, sign-up, rating by token).
PUBLIC = {
    "GET /api/v1/hub/certificate",
    "POST /api/v1/portal/accounts",
    "GET /api/v1/portal/facets",
    "GET /api/v1/portal/procedures",
    "GET /api/v1/portal/procedures/{code}",
    "GET /api/v1/portal/status/{code}",
    "POST /api/v1/portal/feedback",
    "GET /api/v1/portal/feedback/answers",
    "GET /api/v1/portal/feedback/answers/{code}",
    "POST /api/v1/portal/feedback/rate",
    "GET /api/v1/portal/feedback/status/{code}",
}


def test_every_operation_that_needs_a_caller_documents_the_401() -> None:
    spec = json.loads(current_spec())
    public = set()
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            codes = {int(c) for c in operation["responses"]}
            if "security" not in operation:
                public.add(f"{method.upper()} {path}")
                continue
            assert 401 in codes, f"{method.upper()} {path} does not document its 401"
    assert public == PUBLIC, "an operation is open to anyone that was not meant to be (or the list is stale)"


@pytest.mark.django_db
def test_the_docs_page_is_served_without_the_internet(client: Client) -> None:
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    assert b"cdn." not in page.content
