"""Open311 GeoReport v2 answers in both formats: JSON arrays, and XML built with lxml.

XML is written with the declaration and UTF-8 as the spec asks; a value that is None becomes
an empty element, a list of dicts nested elements (attributes > attribute, values > value)."""

from __future__ import annotations

import json
import re
from typing import Any

from django.http import HttpResponse
from lxml import etree

# For each list-valued key, the name of one item's element.
ITEMS = {"attributes": "attribute", "values": "value"}


# What XML 1.0 cannot carry (NUL, other control characters, lone surrogates, U+FFFE/U+FFFF): an id
# a client typed is echoed in an error, and stored text came from anyone; lxml refuses them.
NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return NOT_XML.sub("\ufffd", str(value))


def _fill(parent: etree._Element, data: dict[str, Any]) -> None:
    for key, value in data.items():
        el = etree.SubElement(parent, key)
        if isinstance(value, list):
            for item in value:
                _fill(etree.SubElement(el, ITEMS.get(key, "item")), item)
        else:
            el.text = _text(value)


def to_xml(root: str, item: str, rows: list[dict[str, Any]]) -> bytes:
    top = etree.Element(root)
    for row in rows:
        _fill(etree.SubElement(top, item), row)
    return bytes(etree.tostring(top, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def one_to_xml(root: str, data: dict[str, Any]) -> bytes:
    top = etree.Element(root)
    _fill(top, data)
    return bytes(etree.tostring(top, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def respond(fmt: str, payload: Any, xml: bytes, status: int = 200) -> HttpResponse:
    if fmt == "json":
        return HttpResponse(json.dumps(payload, ensure_ascii=False), status=status, content_type="application/json; charset=utf-8")
    return HttpResponse(xml, status=status, content_type="text/xml; charset=utf-8")


def errors(fmt: str, status: int, description: str, code: int | None = None, retry_after: int = 0) -> HttpResponse:
    """The spec's error body: [{"code", "description"}] or <errors><error>…</error></errors>."""
    rows = [{"code": code or status, "description": description}]
    response = respond(fmt, rows, to_xml("errors", "error", rows), status)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response
