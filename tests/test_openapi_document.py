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


def test_every_operation_that_needs_a_caller_documents_the_401() -> None:
    spec = json.loads(current_spec())
    public = 0
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            codes = {int(c) for c in operation["responses"]}
            if "security" not in operation:
                public += 1
                continue
            assert 401 in codes, f"{method.upper()} {path} does not document its 401"
    assert public <= 2, "only the hub's public certificates and the spec itself are open to anyone"


@pytest.mark.django_db
def test_the_docs_page_is_served_without_the_internet(client: Client) -> None:
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    assert b"cdn." not in page.content
