"""`govoffice supervision import FILE`: tasks from a CSV, all or nothing.

Columns (a header row names them; order free): content, assigner, lead_agency_code,
coordinating_agency_codes (separated by ; or spaces), assigned_on, deadline (dd/mm/yyyy or
yyyy-mm-dd, may be empty), importance (0, 1, 2; empty = 0), source (document, meeting,
inspection; empty = document), source_ref (e.g. the notation 123/QĐ-TTg).
Every line is checked first; one bad line and nothing is written, and the message names
each bad line by its number in the file.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

from django.db import transaction
from django.utils.translation import gettext as _

from govoffice.audit.services import record_event
from govoffice.directory.models import User
from govoffice.directory.permissions import may
from govoffice.lib.errors import DomainError, Forbidden
from govoffice.supervision.models import Importance, Task
from govoffice.supervision.services.tasks import Checked, TaskDraft, _insert, check_draft

REQUIRED = ("content", "assigner", "lead_agency_code")
KNOWN = (*REQUIRED, "coordinating_agency_codes", "assigned_on", "deadline", "importance", "source", "source_ref")
MAX_ROWS = 50_000


def _date(text: str, name: str) -> dt.date | None:
    text = text.strip()
    if not text:
        return None
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise DomainError("invalid_date", _("%(name)s “%(value)s” is not a date (dd/mm/yyyy)") % {"name": name, "value": text}, field=name)


def _draft(row: dict[str, str]) -> TaskDraft:
    importance_text = (row.get("importance") or "").strip() or "0"
    if not (importance_text.isascii() and importance_text.isdigit()) or int(importance_text) not in Importance.values:
        raise DomainError("invalid_choice", _("importance “%(value)s” is not 0, 1 or 2") % {"value": importance_text}, field="importance")
    return TaskDraft(
        content=row.get("content") or "", assigner=row.get("assigner") or "", lead_agency=(row.get("lead_agency_code") or "").strip(),
        coordinating_agencies=[c for c in re.split(r"[;,\s]+", row.get("coordinating_agency_codes") or "") if c],
        assigned_on=_date(row.get("assigned_on") or "", "assigned_on"), deadline=_date(row.get("deadline") or "", "deadline"),
        importance=int(importance_text), source=(row.get("source") or "").strip() or "document",
        source_ref=row.get("source_ref") or "",
    )


def import_tasks(*, actor: User | None, data: bytes, system: bool = False) -> list[Task]:
    """Create every task of a CSV file, or none: DomainError lists each bad line."""
    if not system and not may(actor, "supervision.manage"):
        raise Forbidden("forbidden", _("Only the office's supervision officers import tasks"))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DomainError("invalid_encoding", _("The file is not UTF-8 text")) from exc
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in reader.fieldnames or []]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise DomainError("missing_columns", _("Line 1: missing columns %(cols)s") % {"cols": ", ".join(missing)})
    unknown = [c for c in header if c not in KNOWN]
    if unknown:
        raise DomainError("unknown_columns", _("Line 1: unknown columns %(cols)s") % {"cols": ", ".join(unknown)})
    reader.fieldnames = header
    problems: list[str] = []
    checked: list[tuple[TaskDraft, Checked]] = []
    for row in reader:
        line = reader.line_num
        if len(checked) + len(problems) >= MAX_ROWS:
            raise DomainError("too_many_rows", _("At most %(n)d tasks per file") % {"n": MAX_ROWS})
        if not any((v or "").strip() for v in row.values() if isinstance(v, str)):
            continue
        try:
            draft = _draft(row)
            checked.append((draft, check_draft(draft)))
        except DomainError as exc:
            problems.append(_("line %(line)d: %(message)s") % {"line": line, "message": exc.message})
    if problems:
        raise DomainError("invalid_rows", "; ".join(problems[:50]) + (" …" if len(problems) > 50 else ""))
    if not checked:
        raise DomainError("empty_file", _("The file has no task"))
    with transaction.atomic():
        tasks = [_insert(d, c, actor=actor) for d, c in checked]
        record_event("supervision.tasks_imported", actor=actor, object_type="supervision.task", data={
            "count": len(tasks), "first": tasks[0].code, "last": tasks[-1].code})
    return tasks
