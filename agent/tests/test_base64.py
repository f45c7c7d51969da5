"""Strict base64 (attachments and the hub's batch transport): the alphabet and padding only."""

from __future__ import annotations

import base64
import binascii
import os

import pytest
from govoffice_agent.edxml import b64decode_strict


def test_canonical_base64_decodes_to_the_same_bytes_as_the_standard_library() -> None:
    for size in (0, 1, 2, 3, 57, 50_000):
        data = os.urandom(size)
        text = base64.b64encode(data)
        assert b64decode_strict(text) == data
        assert b64decode_strict(text.decode("ascii")) == data


@pytest.mark.parametrize(
    "text",
    ["QUJD\n", "QU JD", " QUJD", "QQ==QQ==", "QQ===", "=QQ=", "Q@==", "QQ", "QUJD\r\n", "QUJ\u00e9", "QUJD\x00", "QUJD=", "QUJD===="],
)
def test_anything_else_is_refused_with_a_value_error(text: str) -> None:
    with pytest.raises(binascii.Error):
        b64decode_strict(text)
    assert issubclass(binascii.Error, ValueError)
