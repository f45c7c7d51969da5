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


def test_every_operation_documents_its_errors() -> None:
    spec = json.loads(current_spec())
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            codes = {int(c) for c in operation["responses"]}
            assert any(c >= 400 for c in codes), f"{method.upper()} {path} documents no error response"


@pytest.mark.django_db
def test_the_docs_page_is_served_without_the_internet(client: Client) -> None:
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    assert b"cdn." not in page.content
