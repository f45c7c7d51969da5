"""A clerk registers a paper document with its scans: the next arrival number of the one series
the year shares with electronic documents, scans typed by their content, audited, searchable."""

from __future__ import annotations

import pytest
from django.utils import timezone

from govoffice.audit.models import Event
from govoffice.records.files import Upload
from govoffice.records.models import Channel, Incoming, IncomingState, SearchEntry
from govoffice.records.search import search
from govoffice.records.services.incoming import register_paper
from govoffice.records.tests.incoming_people import desk, jpeg, paper, pdf, png, register  # noqa: F401

pytestmark = pytest.mark.django_db


def test_a_clerk_registers_a_paper_document_with_its_scans(desk) -> None:  # noqa: F811
    doc = register(desk, scans=[Upload("trang-1.pdf", pdf()), Upload("trang-2.png", png()), Upload("trang-3.jpg", jpeg())])
    assert doc.arrival_number == 1 and doc.channel == Channel.PAPER and doc.state == IncomingState.REGISTERED
    assert doc.registered_by == desk.clerk and doc.sender_name == "Bộ Tài chính"
    types = list(doc.files.order_by("pk").values_list("content_type", "role"))
    assert types == [("application/pdf", "scan"), ("image/png", "scan"), ("image/jpeg", "scan")]
    assert all(len(f.sha256) == 64 for f in doc.files.all())


def test_each_registration_takes_the_next_number_of_the_year(desk) -> None:  # noqa: F811
    numbers = [register(desk, scans=[]).arrival_number for _ in range(3)]
    assert numbers == [1, 2, 3]
    assert set(Incoming.objects.values_list("year", flat=True)) == {timezone.now().year}


def test_the_registration_is_audited_with_its_number(desk) -> None:  # noqa: F811
    doc = register(desk)
    event = Event.objects.get(action="records.incoming_registered", object_id=str(doc.pk))
    assert event.actor == desk.clerk.username
    assert event.data["arrival_number"] == 1 and event.data["channel"] == "paper"


def test_the_document_can_be_found_by_its_summary_without_accents(desk) -> None:  # noqa: F811
    doc = register(desk)
    assert SearchEntry.objects.filter(kind="incoming", object_id=doc.pk).exists()
    found = search(desk.clerk, "du toan ngan sach").entries
    assert [e.object_id for e in found] == [doc.pk]


def test_a_png_named_pdf_is_kept_as_the_png_it_is(desk) -> None:  # noqa: F811
    doc = register(desk, scans=[Upload("ban-chup.pdf", png())])
    assert doc.files.get().content_type == "image/png"


def test_a_retry_with_the_same_idempotency_key_registers_nothing_new(desk) -> None:  # noqa: F811
    first = register_paper(actor=desk.clerk, agency=desk.agency, doc=paper(), idempotency_key="scan-station-42")
    again = register_paper(actor=desk.clerk, agency=desk.agency, doc=paper(), idempotency_key="scan-station-42")
    assert again.pk == first.pk
    assert Incoming.objects.count() == 1
    assert Event.objects.filter(action="records.incoming_registered").count() == 1


def test_a_clerk_may_register_a_secret_document_up_to_their_own_clearance(desk) -> None:  # noqa: F811
    doc = register(desk, confidentiality=1)
    assert doc.confidentiality == 1


@pytest.mark.django_db(transaction=True)
def test_paper_and_electronic_documents_share_one_arrival_series(desk, finance, signed, send) -> None:  # noqa: F811
    send(finance, signed(finance, [desk.agency.code]))
    paper_doc = register(desk, scans=[])
    send(finance, signed(finance, [desk.agency.code], number="2"))
    rows = list(Incoming.objects.order_by("arrival_number").values_list("arrival_number", "channel"))
    assert rows == [(1, "electronic"), (2, "paper"), (3, "electronic")]
    assert paper_doc.arrival_number == 2
