"""Every write to the directory: agencies, people, roles and API keys. Each is audited."""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import secrets
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from govoffice.audit.services import record_event
from govoffice.directory.models import Agency, AgencyKind, ApiKey, Role, RoleGrant, User
from govoffice.lib import orgcode
from govoffice.lib.errors import Conflict, DomainError, NotFound

AGENCY_COLUMNS = ("code", "name_vi", "name_en", "short_name", "kind", "parent_code", "official")
_TRUE = {"1", "true", "yes", "y", "x", "có"}
_FALSE = {"", "0", "false", "no", "n", "không"}


def _check_code(code: str, field_name: str = "code") -> str:
    try:
        return str(orgcode.parse(code))
    except ValueError as exc:
        raise DomainError("invalid_org_code", str(exc), field=field_name) from exc


@transaction.atomic
def create_agency(
    *,
    actor: User | None,
    code: str,
    name_vi: str,
    kind: str,
    name_en: str = "",
    short_name: str = "",
    parent: Agency | None = None,
    code_official: bool = False,
) -> Agency:
    """Add an agency to the directory after checking its code, kind and name."""
    code = _check_code(code)
    if not name_vi.strip():
        raise DomainError("required", "The Vietnamese name is required", field="name_vi")
    if kind not in AgencyKind.values:
        raise DomainError("invalid_kind", f"Unknown agency kind '{kind}'", field="kind")
    if Agency.objects.filter(code=code).exists():
        raise Conflict("duplicate_org_code", f"An agency with code {code} already exists", field="code")
    agency = Agency.objects.create(
        code=code,
        name_vi=name_vi.strip(),
        name_en=name_en.strip(),
        short_name=short_name.strip(),
        kind=kind,
        parent=parent,
        code_official=code_official,
    )
    record_event("agency.created", actor=actor, obj=agency, agency=code, data={"name_vi": agency.name_vi})
    return agency


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)


@dataclass
class _Row:
    line: int
    values: dict[str, Any]


def _parse_bool(raw: str) -> bool | None:
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    return None


def _read_agency_rows(text: str) -> tuple[list[_Row], list[str]]:
    errors: list[str] = []
    rows: list[_Row] = []
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in ("code", "name_vi", "kind") if c not in header]
    if missing:
        return [], [f"line 1: missing column(s): {', '.join(missing)}"]
    unknown = [c for c in header if c not in AGENCY_COLUMNS]
    if unknown:
        return [], [f"line 1: unknown column(s): {', '.join(unknown)}"]
    seen: dict[str, int] = {}
    for raw in reader:
        line = reader.line_num
        if None in raw:
            errors.append(f"line {line}: more fields than columns")
            continue
        values = {k.strip(): (v or "").strip() for k, v in raw.items() if k is not None}
        if not any(values.values()):
            continue
        problems = []
        try:
            values["code"] = str(orgcode.parse(values.get("code", "")))
        except ValueError as exc:
            problems.append(str(exc))
        if not values.get("name_vi"):
            problems.append("name_vi is required")
        if values.get("kind") not in AgencyKind.values:
            problems.append(f"kind '{values.get('kind', '')}' is not one of {', '.join(AgencyKind.values)}")
        parent = values.get("parent_code", "")
        if parent and not orgcode.is_valid(parent):
            problems.append(f"parent_code '{parent}' is not an organisation code")
        official = _parse_bool(values.get("official", ""))
        if official is None:
            problems.append(f"official '{values.get('official')}' is not yes/no")
        values["official"] = bool(official)
        code = values.get("code", "")
        if code in seen:
            problems.append(f"code {code} already appears on line {seen[code]}")
        elif not problems:
            seen[code] = line
        if problems:
            errors.extend(f"line {line}: {p}" for p in problems)
        else:
            rows.append(_Row(line, values))
    return rows, errors


def import_agencies(text: str, *, actor: User | None = None) -> ImportReport:
    """Load or update agencies from CSV; every bad row is reported and then nothing is written."""
    rows, errors = _read_agency_rows(text)
    in_file = {row.values["code"]: row for row in rows}
    existing = {a.code: a for a in Agency.objects.all()}
    for row in rows:
        parent = row.values.get("parent_code")
        if parent and parent not in in_file and parent not in existing:
            errors.append(f"line {row.line}: parent {parent} is neither in the file nor in the directory")
        if parent == row.values["code"]:
            errors.append(f"line {row.line}: an agency cannot be its own parent")
    if errors:
        raise DomainError("invalid_csv", "; ".join(errors))
    report = ImportReport()
    with transaction.atomic():
        for row in rows:
            _upsert_agency(row.values, actor, report, existing)
        # Parents are linked in a second pass, so a row may name a parent on a later line.
        for row in rows:
            parent_code = row.values.get("parent_code") or None
            agency = existing[row.values["code"]]
            parent_id = existing[parent_code].pk if parent_code else None
            if agency.parent_id != parent_id:
                agency.parent_id = parent_id
                agency.save(update_fields=["parent", "updated_at"])
        _check_no_cycles()
        record_event(
            "agency.imported",
            actor=actor,
            object_type="directory.agency",
            data={"created": report.created, "updated": report.updated, "unchanged": report.unchanged},
        )
    return report


def _upsert_agency(values: dict[str, Any], actor: User | None, report: ImportReport, existing: dict[str, Agency]) -> None:
    fields = {
        "name_vi": values["name_vi"],
        "name_en": values.get("name_en", ""),
        "short_name": values.get("short_name", ""),
        "kind": values["kind"],
        "code_official": values["official"],
    }
    agency = existing.get(values["code"])
    if agency is None:
        agency = Agency.objects.create(code=values["code"], **fields)
        existing[agency.code] = agency
        report.created += 1
        record_event("agency.created", actor=actor, obj=agency, agency=agency.code, data=fields)
        return
    changed = {k: v for k, v in fields.items() if getattr(agency, k) != v}
    if not changed:
        report.unchanged += 1
        return
    for key, value in changed.items():
        setattr(agency, key, value)
    agency.save()
    report.updated += 1
    record_event("agency.updated", actor=actor, obj=agency, agency=agency.code, data=changed)


def _check_no_cycles() -> None:
    parents = {a.pk: a.parent_id for a in Agency.objects.only("id", "parent_id")}
    for start in parents:
        seen = set()
        node: int | None = start
        while node is not None:
            if node in seen:
                raise DomainError("invalid_csv", "the parent links form a cycle")
            seen.add(node)
            node = parents.get(node)


@transaction.atomic
def create_user(
    *,
    actor: User | None,
    username: str,
    password: str | None,
    agency: Agency | None,
    roles: list[str] | tuple[str, ...] = (),
    unit: Agency | None = None,
    full_name: str = "",
    email: str = "",
    phone: str = "",
    position: str = "",
    clearance: int = 0,
) -> User:
    """Create a person with roles; the password is checked by the validators and hashed (Argon2)."""
    username = username.strip()
    if not username:
        raise DomainError("required", "A username is required", field="username")
    if User.objects.filter(username__iexact=username).exists():
        raise Conflict("duplicate_username", f"The username '{username}' is taken", field="username")
    bad_roles = [r for r in roles if r not in Role.values]
    if bad_roles:
        raise DomainError("invalid_role", f"Unknown role(s): {', '.join(bad_roles)}", field="roles")
    user = User(
        username=username,
        agency=agency,
        unit=unit,
        full_name=full_name,
        email=email,
        phone=phone.strip(),
        position=position,
        clearance=clearance,
    )
    if password is None:
        user.set_unusable_password()
    else:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise DomainError("weak_password", " ".join(exc.messages), field="password") from exc
        user.set_password(password)
    user.save()
    for role in roles:
        RoleGrant.objects.create(user=user, role=role)
    record_event(
        "user.created",
        actor=actor,
        obj=user,
        agency=agency.code if agency else "",
        data={"username": username, "roles": sorted(roles)},
    )
    return user


@transaction.atomic
def grant_role(*, actor: User | None, user: User, role: str) -> None:
    """Give a person one more role."""
    if role not in Role.values:
        raise DomainError("invalid_role", f"Unknown role '{role}'", field="role")
    _, created = RoleGrant.objects.get_or_create(user=user, role=role)
    if created:
        user.__dict__.pop("_role_cache", None)
        record_event("user.role_granted", actor=actor, obj=user, data={"role": role})


@transaction.atomic
def revoke_role(*, actor: User | None, user: User, role: str) -> None:
    """Take a role away from a person."""
    deleted, _ = RoleGrant.objects.filter(user=user, role=role).delete()
    if deleted:
        user.__dict__.pop("_role_cache", None)
        record_event("user.role_revoked", actor=actor, obj=user, data={"role": role})


# API keys look like gok_<prefix>_<secret>: the prefix finds the row, the secret is checked
# against its SHA-256. The secret has 256 bits of entropy, so a fast hash is enough (ADR 0003).
KEY_PREFIX = "gok"


def hash_secret(secret: str) -> str:
    """The stored form of an API key's secret: its SHA-256 in hex."""
    return hashlib.sha256(secret.encode("ascii")).hexdigest()


@transaction.atomic
def issue_api_key(*, actor: User | None, agency: Agency, name: str) -> tuple[ApiKey, str]:
    """Create a key scoped to one agency; returns the row and the full key, shown only once."""
    if not name.strip():
        raise DomainError("required", "A name for the key is required", field="name")
    system_user = _agency_system_user(actor, agency)
    prefix = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    key = ApiKey.objects.create(
        agency=agency, user=system_user, name=name.strip(), prefix=prefix, secret_hash=hash_secret(secret)
    )
    record_event("apikey.issued", actor=actor, obj=key, agency=agency.code, data={"name": key.name, "prefix": prefix})
    return key, f"{KEY_PREFIX}_{prefix}_{secret}"


def _agency_system_user(actor: User | None, agency: Agency) -> User:
    username = f"system@{agency.code}"
    user = User.objects.filter(username=username).first()
    if user is None:
        user = create_user(
            actor=actor,
            username=username,
            password=None,
            agency=agency,
            roles=[Role.AGENCY_SYSTEM],
            full_name=f"Hệ thống của {agency.name_vi}",
        )
    return user


@transaction.atomic
def revoke_api_key(*, actor: User | None, key: ApiKey) -> ApiKey:
    """Revoke a key at once; later requests with it are refused."""
    key = ApiKey.objects.select_for_update().get(pk=key.pk)
    if key.revoked_at is not None:
        raise Conflict("already_revoked", "This key is already revoked")
    key.revoked_at = timezone.now()
    key.save(update_fields=["revoked_at"])
    record_event("apikey.revoked", actor=actor, obj=key, agency=key.agency.code, data={"prefix": key.prefix})
    return key


def authenticate_api_key(raw: str) -> ApiKey | None:
    """The active key matching a presented secret, or None (constant-time comparison)."""
    parts = raw.strip().split("_", 2)
    if len(parts) != 3 or parts[0] != KEY_PREFIX or not raw.isascii():
        return None
    key = ApiKey.objects.select_related("agency", "user").filter(prefix=parts[1]).first()
    if key is None or key.revoked_at is not None or not key.user.is_active:
        return None
    if not hmac.compare_digest(key.secret_hash, hash_secret(parts[2])):
        return None
    now = timezone.now()
    # Touch last_used at most once a minute: a hot key should not write on every request.
    if key.last_used_at is None or (now - key.last_used_at).total_seconds() > 60:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
    return key


def get_agency(code: str) -> Agency:
    agency = Agency.objects.filter(code=code.strip()).first()
    if agency is None:
        raise NotFound("unknown_agency", f"No agency has the code {code}", field="code")
    return agency
