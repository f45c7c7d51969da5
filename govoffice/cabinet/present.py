"""Meetings, ballots and answers as plain dicts for the API (what a person may see of them)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from govoffice.cabinet import signatures
from govoffice.cabinet.models import (
    AgendaItem,
    Answer,
    Ballot,
    CabinetFile,
    Meeting,
    RegistryMaterial,
)
from govoffice.cabinet.permissions import is_staff
from govoffice.cabinet.services.meetings import adoptable_without_debate
from govoffice.directory.models import User


def person(user: User | None) -> dict[str, str] | None:
    if user is None:
        return None
    return {"username": user.username, "full_name": user.full_name, "position": user.position}


def upload(row: CabinetFile) -> dict[str, Any]:
    return {"id": row.pk, "name": row.name, "content_type": row.content_type, "size": row.size, "sha256": row.sha256,
            "url": reverse("cabinet:file", args=[row.pk])}


def material(row: RegistryMaterial) -> dict[str, Any]:
    doc: Any = row.incoming or row.outgoing
    kind = "incoming" if row.incoming_id else "outgoing"
    title = " · ".join(p for p in (getattr(doc, "number_notation", "") or getattr(doc, "notation", ""), doc.subject) if p)
    return {"ref": f"{kind}:{doc.pk}", "title": title[:500],
            "files": [{"id": f.pk, "name": f.name, "content_type": f.content_type, "size": f.size, "sha256": f.sha256,
                       "url": reverse("cabinet:material_file", args=[row.pk, f.pk])} for f in doc.files.all()]}


def item(row: AgendaItem, viewer: User) -> dict[str, Any]:
    staff = is_staff(viewer)
    positions = [p for p in row.positions.all() if staff or p.member_id == viewer.pk]
    return {
        "id": row.pk, "order": row.order, "title": row.title, "presenting_agency": row.presenting_agency.code,
        "starts": row.starts, "ends": row.ends,
        "materials": [material(m) for m in row.registry_materials.all()],
        "uploads": [upload(f) for f in row.uploads.all()],
        "positions": [{"member": p.member.username, "position": p.position, "note": p.note} for p in positions],
        "adoptable_without_debate": adoptable_without_debate(row),
        "notes": row.notes, "conclusion": row.conclusion, "tasks": row.tasks,
    }


def meeting_query() -> Any:
    return Meeting.objects.select_related("chair").prefetch_related(
        "attendees__user", "items__presenting_agency", "items__positions__member", "items__uploads",
        "items__registry_materials__incoming__files", "items__registry_materials__outgoing__files",
    )


def meeting(row: Meeting, viewer: User) -> dict[str, Any]:
    return {
        "id": row.pk, "kind": row.kind, "title": row.title, "starts_at": row.starts_at, "place": row.place,
        "chair": person(row.chair), "state": row.state,
        "attendees": [{"id": a.pk, "member": person(a.user), "guest_name": a.guest_name, "guest_title": a.guest_title,
                       "attendance": a.attendance} for a in row.attendees.all()],
        "items": [item(i, viewer) for i in row.items.all()],
        "minutes_outgoing_id": row.minutes_id, "notice_outgoing_id": row.notice_id,
    }


def meeting_summary(row: Meeting) -> dict[str, Any]:
    return {"id": row.pk, "kind": row.kind, "title": row.title, "starts_at": row.starts_at, "place": row.place, "state": row.state}


def answer(row: Answer) -> dict[str, Any]:
    return {"member": row.member.username, "revision": row.revision, "answers": row.choices, "answered_at": row.answered_at,
            "signature": row.signature, "certificate_fingerprint": row.certificate.fingerprint,
            "signed_by_server": row.signed_by_server, "signature_valid": signatures.verify_answer(row)}


def ballot(row: Ballot, viewer: User) -> dict[str, Any]:
    mine = row.answers.filter(member=viewer, current=True).select_related("member", "certificate").first()
    seat = row.members.filter(member=viewer).first()
    return {
        "id": row.pk, "title": row.title, "summary": row.summary, "state": row.state, "deadline": row.deadline,
        "options": row.options, "allow_change": row.allow_change, "close_when_all_answered": row.close_when_all_answered,
        "non_answer": row.non_answer, "prime_minister": row.prime_minister.username if row.prime_minister else None,
        "questions": [{"id": q.pk, "order": q.order, "text": q.text} for q in row.questions.all()],
        "materials": [material(m) for m in row.registry_materials.select_related("incoming", "outgoing").prefetch_related("incoming__files", "outgoing__files")],
        "uploads": [upload(f) for f in row.uploads.all()],
        "my_answer": answer(mine) if mine else None,
        "late": bool(seat and seat.late),
        "decision_outgoing_id": row.decision_id,
    }
