"""Driving schemathesis over a group of API operations as a given person (shared by the portal's,
the feedback's and supervision's fuzz tests). Only the checks that say something about our code:
no 5xx, and every refusal in the API's one JSON error shape."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.core.result import Ok

from govoffice.directory.models import Agency, ApiKey, User
from govoffice.directory.services import KEY_PREFIX


def personal_key(user: User, agency: Agency | None = None) -> str:
    """An API key that acts as this person (as Open311 clients' keys do), for driving the API."""
    prefix, secret = secrets.token_hex(6), secrets.token_urlsafe(32)
    owner = agency or user.agency or Agency.objects.order_by("pk").first()
    assert owner is not None
    ApiKey.objects.create(agency=owner, user=user, name="fuzz", prefix=prefix,
                          secret_hash=hashlib.sha256(secret.encode("ascii")).hexdigest())
    return f"{KEY_PREFIX}_{prefix}_{secret}"


@contextmanager
def connection_kept_open() -> Iterator[None]:
    """Run the WSGI handler inside the test's transaction (see exchange/tests/test_fuzz_hub.py)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def operations(path_regex: str) -> list[Any]:
    from govoffice.wsgi import application

    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    results = list(schema.include(path_regex=path_regex).get_all_operations())
    assert results and all(isinstance(r, Ok) for r in results), "the OpenAPI document does not load cleanly"
    return [r.ok() for r in results if isinstance(r, Ok)]


def assert_handled(response: Any, label: str) -> None:
    assert response.status_code < 500, (label, response.status_code, response.content[:300])
    if response.status_code >= 400 and response.headers.get("Content-Type", "").startswith("application/json"):
        body = response.json()
        if "error" in body:  # Open311-free JSON API: the one error shape
            assert set(body["error"]) == {"code", "message", "field"}, (label, body)


def fuzz(path_regex: str, headers: dict[str, str], *, examples: int = 8) -> set[str]:
    """Each operation under path_regex, with valid and invalid input; returns the operations seen."""
    seen: set[str] = set()
    with connection_kept_open():
        for operation in operations(path_regex):
            label = f"{operation.method.upper()} {operation.path}"
            seen.add(label)
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                try:
                    _run(operation, mode, headers, label, examples)
                except Unsatisfiable:  # nothing in this operation can be made invalid (no parameters, no body)
                    assert mode == GenerationMode.NEGATIVE
    return seen


def _run(operation: Any, mode: GenerationMode, headers: dict[str, str], label: str, examples: int) -> None:
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=examples, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def call(case: Any) -> None:
        assert_handled(case.call(headers=headers), label)

    call()
