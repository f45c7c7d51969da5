"""Fuzzing the batch send and bulk ack endpoints: whatever arrives, never a 5xx; every refusal is the JSON error."""

from __future__ import annotations

import base64
import json
from typing import Any

from django.test import Client
from govoffice_agent import edxml
from hypothesis import given
from hypothesis import strategies as st

from govoffice.exchange.models import Message
from govoffice.exchange.tests.conftest import Party, make_message, sign
from govoffice.exchange.tests.test_fuzz_hub import FUZZ, HEADER_TEXT, assert_handled

BATCH = "/api/v1/hub/messages/batch"
ACKS = "/api/v1/hub/acks"

JSON_LEAF = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=50)
ANY_JSON = st.recursive(JSON_LEAF, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4), max_leaves=20)


def _headers(party: Party) -> dict[str, Any]:
    return dict(party.headers())


def post(client: Client, party: Party, path: str, body: bytes) -> Any:
    response = client.post(path, data=body, content_type="application/json", **_headers(party))
    assert_handled(response)
    return response


def assert_items(response: Any) -> None:
    if response.status_code == 200:
        for result in response.json()["results"]:
            assert result["status"] < 500, result
            if result["status"] >= 400:
                assert set(result["error"]) == {"code", "message", "field"}


@FUZZ
@given(body=st.binary(max_size=400) | ANY_JSON.map(lambda v: json.dumps(v).encode()))
def test_arbitrary_bodies_never_make_a_server_error(client, finance, body) -> None:
    assert_items(post(client, finance, BATCH, body))
    post(client, finance, ACKS, body)


@FUZZ
@given(
    items=st.lists(
        st.fixed_dictionaries(
            {"edxml": st.text(max_size=80) | st.binary(max_size=300).map(lambda b: base64.b64encode(b).decode())},
            optional={"idempotency_key": st.none() | HEADER_TEXT},
        ),
        min_size=1,
        max_size=5,
    )
)
def test_arbitrary_items_are_answered_one_by_one(client, finance, items) -> None:
    response = post(client, finance, BATCH, json.dumps({"messages": items}).encode())
    assert_items(response)
    assert Message.objects.count() == 0


@FUZZ
@given(cut=st.integers(min_value=0, max_value=4000), key=st.none() | HEADER_TEXT)
def test_truncated_signed_documents_beside_a_good_one_never_make_a_server_error(client, finance, office, cut, key) -> None:
    raw = sign(finance, edxml.build_message(make_message(finance.code, [office.code], number="5")))
    items = [{"edxml": base64.b64encode(raw[:cut]).decode(), "idempotency_key": key}, {"edxml": base64.b64encode(raw).decode()}]
    response = post(client, finance, BATCH, json.dumps({"messages": items}).encode())
    assert_items(response)
    assert Message.objects.filter(document_id__endswith=",5/BTC-VP").count() == 1


@FUZZ
@given(ids=st.lists(st.text(max_size=40) | st.uuids().map(str), min_size=1, max_size=8))
def test_arbitrary_ids_to_acknowledge_are_answered_one_by_one(client, office, ids) -> None:
    response = post(client, office, ACKS, json.dumps({"message_ids": ids}).encode())
    if response.status_code == 200:
        results = response.json()["results"]
        assert len(results) == len(ids) and all(r["status"] in (200, 404, 422) for r in results)
