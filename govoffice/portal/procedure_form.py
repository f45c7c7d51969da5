"""A procedure's own form, defined as data (Procedure.form), turned into a Django form.

Each field is {"name", "label", "type", "required", ...}: types text, textarea, date, number
(min, max), email, phone, choice (choices), identity (a personal identity number) and taxcode.
Pages and the API validate through the same form, so both give the same messages.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from govoffice.lib.errors import DomainError
from govoffice.portal.identity import InvalidNumber, check_identity_number, check_tax_code

TYPES = {"text", "textarea", "date", "number", "email", "phone", "choice", "identity", "taxcode"}
NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
PHONE = re.compile(r"^\+?[0-9 .\-]{8,15}$")


def check_spec(spec: Any) -> list[str]:
    """What is wrong with a form definition (empty when it is fine)."""
    if not isinstance(spec, list):
        return ["the form is a list of fields"]
    problems: list[str] = []
    seen: set[str] = set()
    for i, field in enumerate(spec):
        if not isinstance(field, dict) or not NAME.match(str(field.get("name", ""))):
            problems.append(f"field {i}: a name of lowercase letters, digits and _")
            continue
        if field["name"] in seen:
            problems.append(f"field {field['name']}: named twice")
        seen.add(field["name"])
        if field.get("type") not in TYPES:
            problems.append(f"field {field['name']}: unknown type {field.get('type')!r}")
        if not field.get("label"):
            problems.append(f"field {field['name']}: a label is required")
        if field.get("type") == "choice" and not field.get("choices"):
            problems.append(f"field {field['name']}: a choice needs choices")
    return problems


def _identity(value: str) -> str:
    try:
        return check_identity_number(value)
    except InvalidNumber as exc:
        raise ValidationError(_(str(exc))) from exc


def _taxcode(value: str) -> str:
    try:
        return check_tax_code(value)
    except InvalidNumber as exc:
        raise ValidationError(_(str(exc))) from exc


def _phone(value: str) -> str:
    if not PHONE.match(value):
        raise ValidationError(_("Enter a phone number of 8 to 15 digits"))
    return value


def _field(spec: Mapping[str, Any]) -> forms.Field:
    kind, required, label = spec["type"], bool(spec.get("required")), spec["label"]
    common: dict[str, Any] = {"required": required, "label": label, "help_text": spec.get("help", "")}
    if kind == "textarea":
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), max_length=spec.get("max_length", 4000), **common)
    if kind == "date":
        return forms.DateField(input_formats=["%Y-%m-%d", "%d/%m/%Y"], widget=forms.DateInput(attrs={"type": "date"}), **common)
    if kind == "number":
        return forms.IntegerField(min_value=spec.get("min"), max_value=spec.get("max"), **common)
    if kind == "email":
        return forms.EmailField(**common)
    if kind == "choice":
        choices = [("", "—")] + [(c, c) for c in spec["choices"]]
        return forms.ChoiceField(choices=choices, **common)
    validators: list[Any] = {"identity": [_identity], "taxcode": [_taxcode], "phone": [_phone]}.get(kind, [])
    return forms.CharField(max_length=spec.get("max_length", 300), validators=validators, **common)


def build(spec: list[dict[str, Any]], data: Mapping[str, Any] | None = None, prefix: str = "f") -> forms.Form:
    """An unbound or bound Django form for a procedure's fields."""
    form = forms.Form(data=data, prefix=prefix)
    for field in spec:
        form.fields[field["name"]] = _field(field)
    return form


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def clean(spec: list[dict[str, Any]], values: Mapping[str, Any]) -> dict[str, Any]:
    """The form's cleaned values (JSON-safe) for raw values keyed by field name; DomainError (422) naming the first bad field."""
    unknown = sorted(set(values) - {f["name"] for f in spec})
    if unknown:
        raise DomainError("unknown_field", _("This procedure's form has no field %(name)s") % {"name": unknown[0]}, field=unknown[0], status=422)
    form = build(spec, {f"f-{k}": v for k, v in values.items()}, prefix="f")
    if not form.is_valid():
        name, errs = next(iter(form.errors.items()))
        raise DomainError("invalid_form", f"{form.fields[name].label}: {' '.join(str(e) for e in errs)}", field=name, status=422)
    return {k: _jsonable(v) for k, v in form.cleaned_data.items() if v not in (None, "")}
