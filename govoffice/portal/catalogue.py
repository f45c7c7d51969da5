"""Loading the procedure catalogue from its data file (portal/data/procedures.json)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.utils.text import slugify

from govoffice.audit.services import record_event
from govoffice.directory.models import Agency
from govoffice.lib.errors import DomainError
from govoffice.lib.vntext import fold
from govoffice.portal import procedure_form
from govoffice.portal.models import AccountKind, OnlineLevel, Procedure

SEED_FILE = Path(__file__).resolve().parent / "data" / "procedures.json"
VERSION_KEY = "portal:catalogue:version"


@dataclass
class LoadReport:
    created: int = 0
    updated: int = 0


def catalogue_version() -> int:
    """A number that changes whenever the catalogue does: part of every cached catalogue key."""
    version = cache.get(VERSION_KEY)
    if version is None:
        version = 1
        cache.add(VERSION_KEY, version, None)
    return int(version)


def bump_version() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 2, None)


def search_text(code: str, name: str, field: str, agency: Agency) -> str:
    return fold(f"{code} {name} {field} {agency.name_vi} {agency.short_name}")


def _rows(data: dict[str, Any], agencies: dict[str, Agency]) -> tuple[list[dict[str, Any]], list[str]]:
    forms = data.get("forms", {})
    rows: list[dict[str, Any]] = []
    problems: list[str] = []
    seen: set[str] = set()
    for i, item in enumerate(data.get("procedures", [])):
        where = f"procedure {item.get('code') or i}"
        code = str(item.get("code", "")).strip()
        if not code or code in seen:
            problems.append(f"{where}: a code is required, once")
            continue
        seen.add(code)
        form = item.get("form", [])
        if isinstance(form, str):
            if form not in forms:
                problems.append(f"{where}: no form named {form}")
                continue
            form = forms[form]
        problems += [f"{where}: {p}" for p in procedure_form.check_spec(form)]
        agency = agencies.get(str(item.get("agency", "")))
        if agency is None:
            problems.append(f"{where}: unknown agency {item.get('agency')}")
            continue
        if item.get("level") not in OnlineLevel.values:
            problems.append(f"{where}: online level 1 to 4")
        applicants = item.get("applicants") or list(AccountKind.values)
        if not set(applicants) <= set(AccountKind.values):
            problems.append(f"{where}: applicants are citizen and/or business")
        if not isinstance(item.get("days"), int) or item["days"] < 0:
            problems.append(f"{where}: processing days must be a whole number")
            continue
        for key in ("name", "field", "result"):
            if not str(item.get(key, "")).strip():
                problems.append(f"{where}: {key} is required")
        rows.append({
            "code": code, "name": item.get("name", "").strip(), "agency": agency, "field": item.get("field", "").strip(),
            "field_slug": slugify(fold(item.get("field", "")))[:200], "level": item.get("level"),
            "papers": list(item.get("papers", [])), "fee_text": item.get("fee_text", ""), "fee_amount": int(item.get("fee_amount", 0)),
            "processing_days": item["days"], "result": item.get("result", ""), "applicants": applicants, "form": form,
            "min_attachments": int(item.get("min_attachments", 0)), "legal_basis": item.get("legal_basis", ""),
            "search_text": search_text(code, item.get("name", ""), item.get("field", ""), agency), "active": item.get("active", True),
        })
    return rows, problems


@transaction.atomic
def load_catalogue(text: str, *, actor: Any = None) -> LoadReport:
    """Create or update the procedures of a catalogue file; checks every entry first and writes nothing if one is bad."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DomainError("invalid_json", f"The catalogue is not valid JSON: {exc}") from exc
    codes = {str(p.get("agency", "")) for p in data.get("procedures", []) if isinstance(p, dict)}
    agencies = {a.code: a for a in Agency.objects.filter(code__in=codes)}
    rows, problems = _rows(data, agencies)
    if problems:
        raise DomainError("invalid_catalogue", "; ".join(problems[:10]))
    report = LoadReport()
    existing = {p.code: p for p in Procedure.objects.filter(code__in=[r["code"] for r in rows])}
    for row in rows:
        current = existing.get(row["code"])
        if current is None:
            Procedure.objects.create(**row)
            report.created += 1
        elif any(getattr(current, k) != v for k, v in row.items()):
            for k, v in row.items():
                setattr(current, k, v)
            current.save()
            report.updated += 1
    record_event("portal.catalogue_loaded", actor=actor, object_type="portal.procedure",
                 data={"created": report.created, "updated": report.updated, "procedures": len(rows)})
    transaction.on_commit(bump_version)
    return report


def load_seed(*, actor: Any = None) -> LoadReport:
    """Load the catalogue shipped with govoffice."""
    return load_catalogue(SEED_FILE.read_text(encoding="utf-8"), actor=actor)
