"""Government meetings: prepare (attendees, agenda, materials), members' positions before it,
attendance, notes and conclusions during it; closing it drafts the minutes and the conclusion
notice in the registry and hands the conclusions' tasks to supervision (signals.py)."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govoffice.audit.services import record_event
from govoffice.cabinet.models import (
    AgendaItem,
    Attendance,
    Attendee,
    ItemPosition,
    Meeting,
    MeetingKind,
    MeetingState,
    Position,
    RegistryMaterial,
)
from govoffice.cabinet.services import files
from govoffice.cabinet.signals import conclusion_tasks_issued
from govoffice.directory.models import Agency, Role, User
from govoffice.directory.permissions import may
from govoffice.lib.errors import Conflict, DomainError, Forbidden
from govoffice.records.files import Upload
from govoffice.records.models import Incoming

MAX_TASKS = 50
log = logging.getLogger(__name__)


@dataclass
class MeetingIn:
    kind: str
    title: str
    starts_at: dt.datetime
    place: str
    chair: str  # username
    members: list[str] = field(default_factory=list)  # usernames
    guests: list[tuple[str, str]] = field(default_factory=list)  # (name, title)


@dataclass
class ItemIn:
    title: str
    presenting_agency: str  # organisation code
    starts: dt.time | None = None
    ends: dt.time | None = None
    registry: list[str] = field(default_factory=list)  # "incoming:12", "outgoing:5"
    uploads: list[Upload] = field(default_factory=list)


def _require_staff(actor: User) -> None:
    if not may(actor, "cabinet.manage"):
        raise Forbidden("forbidden", _("Only the cabinet secretariat prepares and runs meetings"))


def government_members() -> Any:
    """Active people who hold the government member's role."""
    return User.objects.filter(is_active=True, roles__role=Role.GOVERNMENT_MEMBER).distinct()


def _members(usernames: list[str], field_name: str) -> list[User]:
    names = list(dict.fromkeys(u.strip() for u in usernames if u.strip()))
    found = {u.username: u for u in government_members().filter(username__in=names)}
    for name in names:
        if name not in found:
            raise DomainError("not_a_member", _("%(name)s is not a government member") % {"name": name}, field=field_name)
    return [found[n] for n in names]


def _locked(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update().select_related("chair").get(pk=meeting.pk)


def _planned(meeting: Meeting) -> None:
    if meeting.state != MeetingState.PLANNED:
        raise Conflict("meeting_closed", _("The meeting is closed; nothing in it can change"))


def create_meeting(*, actor: User, data: MeetingIn, idempotency_key: str | None = None) -> Meeting:
    """Plan a regular or thematic session with its members and invited guests."""
    _require_staff(actor)
    if idempotency_key:
        earlier = Meeting.objects.filter(created_by=actor, idempotency_key=idempotency_key).first()
        if earlier is not None:
            return earlier
    if data.kind not in MeetingKind.values:
        raise DomainError("invalid_choice", _("A session is regular or thematic"), field="kind")
    if not data.title.strip():
        raise DomainError("required", _("The title is required"), field="title")
    if not data.place.strip():
        raise DomainError("required", _("The place is required"), field="place")
    if timezone.is_naive(data.starts_at):
        raise DomainError("invalid_datetime", _("The date and time need a time zone"), field="starts_at")
    chair = _members([data.chair], "chair")[0] if data.chair.strip() else None
    if chair is None:
        raise DomainError("required", _("The chair is required"), field="chair")
    members = _members([chair.username, *data.members], "members")
    guests = [(n.strip()[:255], t.strip()[:255]) for n, t in data.guests if n.strip()]
    with transaction.atomic():
        meeting = Meeting.objects.create(kind=data.kind, title=data.title.strip()[:500], starts_at=data.starts_at,
                                         place=data.place.strip()[:255], chair=chair, created_by=actor,
                                         idempotency_key=idempotency_key or None)
        Attendee.objects.bulk_create([Attendee(meeting=meeting, user=m) for m in members]
                                     + [Attendee(meeting=meeting, guest_name=n, guest_title=t) for n, t in guests])
        record_event("cabinet.meeting_created", actor=actor, obj=meeting,
                     data={"kind": meeting.kind, "title": meeting.title, "members": [m.username for m in members], "guests": len(guests)})
    return meeting


def add_item(*, actor: User, meeting: Meeting, data: ItemIn) -> AgendaItem:
    """Put an item on the agenda, with materials from the registry and uploaded files."""
    _require_staff(actor)
    if not data.title.strip():
        raise DomainError("required", _("The title is required"), field="title")
    agency = Agency.objects.filter(code=data.presenting_agency.strip(), active=True).first()
    if agency is None:
        raise DomainError("unknown_agency", _("No active agency %(code)s in the directory") % {"code": data.presenting_agency}, field="presenting_agency")
    if data.starts and data.ends and data.ends <= data.starts:
        raise DomainError("invalid_time_slot", _("The time slot ends after it starts"), field="ends")
    docs = [files.registry_document(actor, ref) for ref in data.registry]
    checked = [(u, files.check(u)) for u in data.uploads]
    with transaction.atomic():
        row = _locked(meeting)
        _planned(row)
        order = (row.items.order_by("-order").values_list("order", flat=True).first() or 0) + 1
        item = AgendaItem.objects.create(meeting=row, order=order, title=data.title.strip()[:500], presenting_agency=agency,
                                         starts=data.starts, ends=data.ends)
        RegistryMaterial.objects.bulk_create([
            RegistryMaterial(item=item, **({"incoming": d} if isinstance(d, Incoming) else {"outgoing": d})) for d in docs
        ])
        stored = [files.store(u, ctype, actor=actor, item=item) for u, ctype in checked]
        record_event("cabinet.item_added", actor=actor, obj=item,
                     data={"meeting": row.pk, "title": item.title, "presenting_agency": agency.code,
                           "registry": list(data.registry), "files": [f.sha256 for f in stored]})
    return item


def mark_position(*, actor: User, item: AgendaItem, position: str, note: str = "") -> ItemPosition:
    """A member's position on an item before the meeting; marking again replaces it."""
    meeting = item.meeting
    if not may(actor, "cabinet.view_meeting", meeting):
        raise Forbidden("not_an_attendee", _("Only the members invited to this meeting mark positions"))
    if position not in Position.values:
        raise DomainError("invalid_choice", _("The position is one of: %(list)s") % {"list": ", ".join(Position.values)}, field="position")
    with transaction.atomic():
        row = _locked(meeting)
        _planned(row)
        if not may(actor, "cabinet.mark_position", row):
            raise Forbidden("not_an_attendee", _("Only the members invited to this meeting mark positions"))
        before = ItemPosition.objects.filter(item=item, member=actor).values_list("position", flat=True).first()
        mark, _created = ItemPosition.objects.update_or_create(item=item, member=actor, defaults={"position": position, "note": note.strip()[:2000]})
        record_event("cabinet.position_marked", actor=actor, obj=item, data={"position": position, "before": before})
    return mark


def adoptable_without_debate(item: AgendaItem) -> bool:
    """No member objects and nobody wishes to speak, and at least one said "no objection"."""
    marks = [p.position for p in item.positions.all()]
    return bool(marks) and all(m == Position.NO_OBJECTION for m in marks)


def record_attendance(*, actor: User, meeting: Meeting, marks: dict[int, str]) -> int:
    """Present, remote or absent for each attendee (by attendee id); returns how many changed."""
    _require_staff(actor)
    for value in marks.values():
        if value not in Attendance.values:
            raise DomainError("invalid_choice", _("Attendance is present, remote or absent"), field="attendance")
    with transaction.atomic():
        row = _locked(meeting)
        _planned(row)
        rows = {a.pk: a for a in row.attendees.filter(pk__in=list(marks))}
        unknown = sorted(set(marks) - set(rows))
        if unknown:
            raise DomainError("unknown_attendee", _("No attendee %(id)s in this meeting") % {"id": unknown[0]}, field="attendance")
        changed = [a for pk, a in rows.items() if a.attendance != marks[pk]]
        for a in changed:
            a.attendance = marks[a.pk]
        Attendee.objects.bulk_update(changed, ["attendance"])
        record_event("cabinet.attendance_recorded", actor=actor, obj=row, data={str(a.pk): a.attendance for a in changed})
    return len(changed)


def _clean_tasks(tasks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    if len(tasks) > MAX_TASKS:
        raise DomainError("too_many_tasks", _("At most %(n)s tasks per item") % {"n": MAX_TASKS}, field="tasks")
    codes = {t.get("lead_agency_code", "") for t in tasks} | {c for t in tasks for c in t.get("coordinating_agency_codes", [])}
    known = set(Agency.objects.filter(code__in=codes, active=True).values_list("code", flat=True))
    out = []
    for task in tasks:
        content = str(task.get("content", "")).strip()
        if not content:
            raise DomainError("required", _("Each task needs its content"), field="tasks")
        lead = str(task.get("lead_agency_code", "")).strip()
        coordinating = [str(c).strip() for c in task.get("coordinating_agency_codes", []) if str(c).strip()]
        for code in [lead, *coordinating]:
            if code not in known:
                raise DomainError("unknown_agency", _("No active agency %(code)s in the directory") % {"code": code or "—"}, field="tasks")
        deadline = task.get("deadline")
        if isinstance(deadline, str) and deadline:
            try:
                deadline = dt.date.fromisoformat(deadline)
            except ValueError as exc:
                raise DomainError("invalid_date", _("A task's deadline is a date (YYYY-MM-DD)"), field="tasks") from exc
        if deadline is not None and deadline != "" and not isinstance(deadline, dt.date):
            raise DomainError("invalid_date", _("A task's deadline is a date (YYYY-MM-DD)"), field="tasks")
        out.append({"content": content[:2000], "lead_agency_code": lead, "coordinating_agency_codes": coordinating,
                    "deadline": deadline.isoformat() if isinstance(deadline, dt.date) else None})
    return out


def record_item_outcome(*, actor: User, item: AgendaItem, notes: str, conclusion: str, tasks: list[dict[str, Any]] | None = None) -> AgendaItem:
    """The notes and the conclusion of an item, with the tasks the conclusion assigns."""
    _require_staff(actor)
    clean = _clean_tasks(tasks or [])
    if clean and not conclusion.strip():
        raise DomainError("required", _("Tasks come with a conclusion"), field="conclusion")
    with transaction.atomic():
        _planned(_locked(item.meeting))
        row = AgendaItem.objects.select_for_update().get(pk=item.pk)
        row.notes, row.conclusion, row.tasks = notes.strip(), conclusion.strip(), clean
        row.save(update_fields=["notes", "conclusion", "tasks"])
        record_event("cabinet.item_concluded", actor=actor, obj=row, data={"conclusion": row.conclusion[:500], "tasks": len(clean)})
    return row


def _minutes_text(meeting: Meeting, items: list[AgendaItem], attendees: list[Attendee]) -> str:
    when = timezone.localtime(meeting.starts_at)
    lines = [f"{meeting.get_kind_display()} – {meeting.title}", f"Thời gian: {when:%H giờ %M, ngày %d/%m/%Y}. Địa điểm: {meeting.place}.",
             f"Chủ trì: {meeting.chair.full_name or meeting.chair.username}.", "Thành phần tham dự:"]
    for a in attendees:
        what = a.get_attendance_display() if a.attendance else "—"
        lines.append(f"- {a.name()}{' (' + a.guest_title + ')' if a.guest_title else ''}: {what}")
    for i, item in enumerate(items, 1):
        lines += ["", f"{i}. {item.title} (cơ quan trình: {item.presenting_agency.name_vi})"]
        if item.notes:
            lines.append(f"Diễn biến: {item.notes}")
        lines.append(f"Kết luận: {item.conclusion or '—'}")
    return "\n".join(lines)


def _notice_text(meeting: Meeting, items: list[AgendaItem]) -> str:
    lines = [f"Kết luận của {meeting.chair.full_name or meeting.chair.username} tại {meeting.title}:"]
    for i, item in enumerate(items, 1):
        lines += ["", f"{i}. Về {item.title}: {item.conclusion or '—'}"]
        for t in item.tasks:
            due = f", thời hạn {dt.date.fromisoformat(t['deadline']):%d/%m/%Y}" if t["deadline"] else ""
            lines.append(f"- Giao {t['lead_agency_code']} chủ trì{', phối hợp ' + ', '.join(t['coordinating_agency_codes']) if t['coordinating_agency_codes'] else ''}: {t['content']}{due}.")
    return "\n".join(lines)


def close_meeting(*, actor: User, meeting: Meeting) -> Meeting:
    """Close a held meeting: the minutes (BB) and the conclusion notice (TB) are drafted in the
    registry, and after commit the conclusions' tasks go to supervision."""
    from govoffice.records.services.outgoing import OutgoingDraft, create_outgoing

    _require_staff(actor)
    if actor.agency is None or not may(actor, "records.draft", actor.agency):
        raise Forbidden("cannot_draft", _("Closing a meeting drafts its minutes in the registry: you need a drafter's role (specialist) there as well"))
    with transaction.atomic():
        row = _locked(meeting)
        _planned(row)
        items = list(row.items.select_related("presenting_agency"))
        attendees = list(row.attendees.select_related("user"))
        if not items:
            raise Conflict("empty_agenda", _("A meeting without agenda items cannot be closed"))
        unrecorded = [a for a in attendees if a.user_id and not a.attendance]
        if unrecorded:
            raise Conflict("attendance_missing", _("Record the attendance of %(name)s first") % {"name": unrecorded[0].name()}, field="attendance")
        undecided = [i for i in items if not i.conclusion]
        if undecided:
            raise Conflict("conclusion_missing", _("Item “%(title)s” has no conclusion yet") % {"title": undecided[0].title}, field="conclusion")
        day = timezone.localdate(row.starts_at)
        minutes = create_outgoing(actor=actor, agency=actor.agency, draft=OutgoingDraft(
            doc_type="BB", subject=f"Biên bản {row.title} ngày {day:%d/%m/%Y}", body=_minutes_text(row, items, attendees), authority="CP"
            if "CP" in _authorities(actor.agency) else ""))
        notice = create_outgoing(actor=actor, agency=actor.agency, draft=OutgoingDraft(
            doc_type="TB", subject=f"Kết luận của {row.chair.full_name or row.chair.username} tại {row.title}",
            body=_notice_text(row, items), recipients=sorted({t["lead_agency_code"] for i in items for t in i.tasks})))
        row.state, row.closed_at, row.minutes, row.notice = MeetingState.CLOSED, timezone.now(), minutes, notice
        row.save(update_fields=["state", "closed_at", "minutes", "notice"])
        record_event("cabinet.meeting_closed", actor=actor, obj=row,
                     data={"minutes": minutes.pk, "notice": notice.pk, "tasks": sum(len(i.tasks) for i in items)})
        transaction.on_commit(lambda: _hand_over(row, items))
    return row


def _authorities(agency: Agency) -> set[str]:
    from govoffice.records.services.outgoing import authorities

    return {short for short, _name in authorities(agency)}


def _hand_over(meeting: Meeting, items: list[AgendaItem]) -> None:
    for item in items:
        if not item.tasks:
            continue
        tasks = [{"content": t["content"], "lead_agency_code": t["lead_agency_code"],
                  "coordinating_agency_codes": list(t["coordinating_agency_codes"]),
                  "deadline": dt.date.fromisoformat(t["deadline"]) if t["deadline"] else None,
                  "assigner": meeting.chair, "ref": f"cabinet-item-{item.pk}-{n}"} for n, t in enumerate(item.tasks, 1)]
        # The meeting is closed whatever a listener does: a failing receiver is logged, not raised.
        for receiver, result in conclusion_tasks_issued.send_robust(sender=Meeting, meeting=meeting, item=item, tasks=tasks):
            if isinstance(result, Exception):
                log.error("conclusion_tasks_issued: %r failed for item %s: %s", receiver, item.pk, result)
