"""The API's answers are written by orjson and say what ninja's own JSON renderer said."""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import json
import uuid

import pytest
from django.utils.translation import gettext_lazy
from ninja.renderers import JSONRenderer
from pydantic import BaseModel

from govoffice.api import OrjsonRenderer
from govoffice.exchange.models import DeliveryState


class Colour(enum.Enum):
    RED = "red"


class Point(BaseModel):
    x: int
    at: dt.datetime


HANOI = dt.timezone(dt.timedelta(hours=7))

SAMPLES = [
    {"when": dt.datetime(2026, 11, 30, 7, 1, 2, 345678, tzinfo=dt.UTC)},  # Django writes milliseconds and "Z"
    {"when": dt.datetime(2026, 11, 30, 14, 1, 2, tzinfo=HANOI), "naive": dt.datetime(2019, 1, 2, 3, 4, 5, 6)},
    {"day": dt.date(2019, 9, 20), "time": dt.time(8, 30, 15, 250000)},
    {"amount": decimal.Decimal("1234.50"), "id": uuid.UUID("01a22b19-b4d0-7f3a-9832-9196656be8fa")},
    {"title": gettext_lazy("Văn phòng Chính phủ"), "text": "Bộ Tài chính – Nghệ An", "quote": 'a "b" \\ c\n'},
    {"state": DeliveryState.ACKED, "model": Point(x=1, at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))},
    {"nested": [{"a": [1, 2.5, None, True, False]}, []], "big": 2**62, "duration": dt.timedelta(hours=1, seconds=3)},
    [],
    "a bare string",
]
# What orjson will not write, the standard library's renderer writes (the fallback).
FALLBACK_SAMPLES = [
    {"serial": 2**159 + 7, "negative": -(2**70)},  # integers beyond 64 bits
    {1: "integer key", "nested": {2: [3]}},  # keys that are not strings
]


@pytest.mark.parametrize("data", SAMPLES, ids=range(len(SAMPLES)))
def test_the_answer_is_the_one_ninjas_renderer_gave(data, monkeypatch) -> None:
    theirs = JSONRenderer().render(None, data, response_status=200)  # type: ignore[arg-type]

    def no_fallback(*args, **kwargs):
        raise AssertionError("orjson should have written this itself")

    monkeypatch.setattr(JSONRenderer, "render", no_fallback)
    mine = OrjsonRenderer().render(None, data, response_status=200)  # type: ignore[arg-type]
    assert isinstance(mine, bytes)  # orjson's, not the standard library's str
    assert json.loads(mine) == json.loads(theirs)


@pytest.mark.parametrize("data", FALLBACK_SAMPLES, ids=range(len(FALLBACK_SAMPLES)))
def test_what_orjson_will_not_write_the_standard_renderer_writes(data) -> None:
    mine = OrjsonRenderer().render(None, data, response_status=200)  # type: ignore[arg-type]
    assert mine == JSONRenderer().render(None, data, response_status=200)  # type: ignore[arg-type]


def test_non_ascii_is_written_as_utf8() -> None:
    assert OrjsonRenderer().render(None, {"t": "Nghệ An"}, response_status=200) == '{"t":"Nghệ An"}'.encode()  # type: ignore[arg-type]


def test_dates_and_times_are_written_as_django_writes_them() -> None:
    data = {"when": dt.datetime(2026, 11, 30, 7, 1, 2, 345678, tzinfo=dt.UTC)}
    assert json.loads(OrjsonRenderer().render(None, data, response_status=200)) == {"when": "2026-11-30T07:01:02.345Z"}  # type: ignore[arg-type]


def test_a_plain_enum_is_written_as_its_value() -> None:
    """The one difference: ninja wrote str(member) ("Colour.RED"). The API has no plain enums (its
    choices are Django's str and int choices, written as their values by both)."""
    assert json.loads(OrjsonRenderer().render(None, {"c": Colour.RED}, response_status=200)) == {"c": "red"}  # type: ignore[arg-type]


def test_what_json_cannot_say_is_refused_not_guessed() -> None:
    with pytest.raises(TypeError):
        OrjsonRenderer().render(None, {"x": object()}, response_status=200)  # type: ignore[arg-type]
