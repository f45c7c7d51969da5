"""Helpers for the search tests: an agency's desk (a clerk and a drafter who may handle every
level), documents put on it through the real services, at chosen dates when a test needs it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from govoffice.directory.models import Agency, User
from govoffice.records import search as engine
from govoffice.records.models import Incoming, Outgoing
from govoffice.records.search import reindex
from govoffice.records.services.incoming import PaperDocument, register_paper
from govoffice.records.services.outgoing import OutgoingDraft, create_outgoing


@dataclass
class Desk:
    agency: Agency
    clerk: User
    drafter: User

    def incoming(
        self, subject: str, *, sender: str = "Bộ Tài chính", number: str = "", doc_type: str = "CV",
        urgency: int = 0, secret: int = 0, note: str = "", text: str = "", when: dt.datetime | None = None,
        sender_code: str = "",
    ) -> Incoming:
        doc = PaperDocument(
            sender_name=sender, subject=subject, number_notation=number, doc_type=doc_type, urgency=urgency,
            confidentiality=secret, note=note, sender_code=sender_code,
        )
        row = register_paper(actor=self.clerk, agency=self.agency, doc=doc)
        if text:  # as OCR would add it (records.extract)
            Incoming.objects.filter(pk=row.pk).update(text=text)
        if when is not None:
            Incoming.objects.filter(pk=row.pk).update(arrived_at=when)
        if text or when is not None:
            reindex("incoming", row.pk)
        row.refresh_from_db()
        return row

    def outgoing(
        self, subject: str, body: str = "Nội dung văn bản.", *, doc_type: str = "CV", urgency: int = 0,
        secret: int = 0, when: dt.datetime | None = None,
    ) -> Outgoing:
        draft = OutgoingDraft(doc_type=doc_type, subject=subject, body=body, urgency=urgency, confidentiality=secret)
        row = create_outgoing(actor=self.drafter, agency=self.agency, draft=draft)
        if when is not None:
            Outgoing.objects.filter(pk=row.pk).update(created_at=when)
            reindex("outgoing", row.pk)
        row.refresh_from_db()
        return row


def make_desk(agency: Agency, make_user: Callable[..., User]) -> Desk:
    return Desk(
        agency,
        make_user("clerk", agency=agency, clearance=3, full_name=f"Văn thư {agency.short_name}"),
        make_user("specialist", agency=agency, clearance=3, full_name=f"Chuyên viên {agency.short_name}"),
    )


@pytest.fixture
def desk(office: Agency, make_user: Callable[..., User]) -> Desk:
    return make_desk(office, make_user)


def at(day: str, hour: int = 9) -> dt.datetime:
    """An office-time moment from dd/mm/yyyy."""
    date = dt.datetime.strptime(day, "%d/%m/%Y")
    return timezone.make_aware(date.replace(hour=hour), timezone.get_default_timezone())


def subjects(user: User, q: str = "", **kwargs: Any) -> list[str]:
    """The subjects one page of search shows, in order."""
    filters = kwargs.pop("filters", None)
    return [e.subject for e in engine.search(user, q, filters, **kwargs).entries]
