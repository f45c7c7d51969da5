"""Many clerks issuing at once get numbers 1..N exactly: no gap, no duplicate (Decree 30, Art. 15).

Each thread has its own database connection. On PostgreSQL the series row is locked (SELECT …
FOR UPDATE); on SQLite the IMMEDIATE transaction serializes writers. The SQLite test database
lives in shared-cache memory, where a busy writer makes others fail at once ("table is
locked") instead of waiting as they do on a database file (busy timeout): there, and only
there, a thread retries its whole transaction, as the timeout would have made it wait.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.db import IntegrityError, OperationalError, connection, connections, transaction

from govoffice.directory.models import Agency, AgencyKind
from govoffice.directory.services import create_agency
from govoffice.lib.errors import DomainError
from govoffice.records.models import NumberSeries, Outgoing, OutgoingState
from govoffice.records.services.numbering import current_year, next_number
from govoffice.records.services.outgoing import issue_outgoing
from govoffice.records.tests.office_people import (  # noqa: F401  (fixtures)
    decision_draft,
    signers,
    to_state,
    vpcp,
)

pytestmark = pytest.mark.django_db(transaction=True)
THREADS = 24


def _in_threads(count: int, work: Callable[[int], Any]) -> list[Any]:
    """Run work(i) for i in 0..count-1 at once, each thread on its own connection, all started together."""
    gate = threading.Barrier(count)

    def run(i: int) -> Any:
        try:
            gate.wait(timeout=60)
            while True:
                try:
                    return work(i)
                except OperationalError as exc:
                    if not (connection.vendor == "sqlite" and "locked" in str(exc)):
                        raise
                    time.sleep(0.005)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))


@pytest.fixture
def agency(db: Any) -> Agency:
    return create_agency(actor=None, code="000.00.00.G09", name_vi="Bộ Nội vụ", short_name="BNV", kind=AgencyKind.MINISTRY)


def test_many_issuers_at_once_take_numbers_one_to_n_exactly(agency) -> None:
    year = current_year()

    def take(_: int) -> int:
        with transaction.atomic():
            return next_number(agency, year, "QĐ")[1]

    numbers = _in_threads(THREADS * 2, take)
    assert sorted(numbers) == list(range(1, THREADS * 2 + 1))
    assert NumberSeries.objects.get(agency=agency, year=year, key="QĐ").last_number == THREADS * 2


def test_a_rolled_back_issue_gives_its_number_back(agency) -> None:
    year = current_year()

    def take(i: int) -> int | None:
        try:
            with transaction.atomic():
                _, number = next_number(agency, year, "all")
                if i % 3 == 0:
                    raise RuntimeError("the PDF could not be made")
                return number
        except RuntimeError:
            return None

    taken = [n for n in _in_threads(THREADS, take) if n is not None]
    assert sorted(taken) == list(range(1, len(taken) + 1))


@pytest.mark.slow
def test_clerks_issuing_documents_at_once_number_them_one_to_n(signers) -> None:  # noqa: F811
    count = 20
    docs = [to_state(signers, decision_draft(signers, recipients=[]), OutgoingState.SIGNED) for _ in range(count)]

    def issue(i: int) -> str:
        return issue_outgoing(actor=signers.clerk, outgoing=docs[i]).notation

    notations = _in_threads(count, issue)
    assert sorted(notations) == sorted(f"{n:02d}/QĐ-TTg" for n in range(1, count + 1))
    numbers = Outgoing.objects.filter(state=OutgoingState.ISSUED).order_by("number").values_list("number", flat=True)
    assert list(numbers) == list(range(1, count + 1))


def test_issuing_the_same_document_twice_at_once_issues_it_once(signers) -> None:  # noqa: F811
    doc = to_state(signers, decision_draft(signers, recipients=[]), OutgoingState.SIGNED)

    def issue(_: int) -> str:
        try:
            return issue_outgoing(actor=signers.clerk, outgoing=doc).notation
        except DomainError as exc:  # the losers get a 409
            return exc.code

    results = _in_threads(4, issue)
    assert results.count("01/QĐ-TTg") == 1 and results.count("already_issued") == 3
    assert NumberSeries.objects.get(key="TTg/QĐ").last_number == 1


def test_the_database_refuses_a_second_document_with_the_same_number(signers) -> None:  # noqa: F811
    first = to_state(signers, decision_draft(signers, recipients=[]), OutgoingState.SIGNED)
    issued = issue_outgoing(actor=signers.clerk, outgoing=first)
    fields = {"agency": issued.agency, "authority_short": "TTg", "authority_name": "Thủ tướng Chính phủ", "doc_type": "QĐ",
              "subject": "Bản sao chép số", "body": "…", "created_by": signers.clerk, "state": OutgoingState.ISSUED}
    with pytest.raises(IntegrityError), transaction.atomic():  # the same number in the same series
        Outgoing.objects.create(**fields, series=issued.series, year=issued.year, number=issued.number, notation="99/QĐ-TTg")
    with pytest.raises(IntegrityError), transaction.atomic():  # the same number and notation in the year
        Outgoing.objects.create(**fields, year=issued.year, notation=issued.notation)
    other = to_state(signers, decision_draft(signers, recipients=[]), OutgoingState.SIGNED)
    with pytest.raises(IntegrityError), transaction.atomic():
        Outgoing.objects.filter(pk=other.pk).update(series=issued.series, number=issued.number)
    assert Outgoing.objects.filter(number=issued.number).count() == 1


def test_next_number_outside_a_transaction_is_refused(agency) -> None:
    assert not connection.in_atomic_block
    with pytest.raises(RuntimeError):
        next_number(agency, current_year(), "QĐ")
