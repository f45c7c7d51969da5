"""Decree 30 numbering of issued documents: per agency and year, per type where configured,
secret documents in their own series, per issuing authority; numbers below 10 with a zero."""

from __future__ import annotations

import pytest

from govoffice.directory.models import Clearance
from govoffice.records.layout import vn_date
from govoffice.records.models import DocType, OutgoingState
from govoffice.records.services.numbering import format_number, notation, series_key
from govoffice.records.services.outgoing import issue_outgoing
from govoffice.records.tests.office_people import (  # noqa: F401  (fixtures)
    decision_draft,
    letter_draft,
    signers,
    to_state,
    vpcp,
)

pytestmark = pytest.mark.django_db


def _issue(signers, draft):  # noqa: F811
    return issue_outgoing(actor=signers.clerk, outgoing=to_state(signers, draft, OutgoingState.SIGNED))


@pytest.mark.parametrize(("number", "doc_type", "authority", "unit", "expected"), [
    (123, DocType.QUYET_DINH, "TTg", "", "123/QĐ-TTg"),
    (7816, DocType.CONG_VAN, "VPCP", "TTĐT", "7816/VPCP-TTĐT"),
    (5, DocType.CONG_VAN, "VPCP", "", "05/VPCP"),
    (1, DocType.NGHI_QUYET, "CP", "", "01/NQ-CP"),
    (42, DocType.TO_TRINH, "VPCP", "KTTH", "42/TTr-VPCP"),
])
def test_notations_follow_decree_30(number, doc_type, authority, unit, expected) -> None:
    assert notation(number, doc_type, authority, unit) == expected
    assert notation(number, doc_type, authority, unit, secret=True) == expected + "-M"


def test_numbers_below_ten_take_a_leading_zero() -> None:
    assert [format_number(n) for n in (1, 9, 10, 123)] == ["01", "09", "10", "123"]


@pytest.mark.parametrize(("day", "expected"), [
    ((2019, 9, 20), "Hà Nội, ngày 20 tháng 9 năm 2019"),
    ((2020, 1, 5), "Hà Nội, ngày 05 tháng 01 năm 2020"),
    ((2020, 2, 29), "Hà Nội, ngày 29 tháng 02 năm 2020"),
    ((2020, 12, 1), "Hà Nội, ngày 01 tháng 12 năm 2020"),
])
def test_dates_are_written_as_decree_30_says(day, expected) -> None:
    import datetime as dt

    assert vn_date("Hà Nội", dt.date(*day)) == expected


def test_series_keys(settings) -> None:
    settings.RECORDS = {**settings.RECORDS, "series_per_type": {"QĐ", "NQ", "CT"}}
    assert series_key(DocType.QUYET_DINH, Clearance.NONE) == "QĐ"
    assert series_key(DocType.CONG_VAN, Clearance.NONE) == "all"
    assert series_key(DocType.QUYET_DINH, Clearance.MAT) == "secret"
    assert series_key(DocType.QUYET_DINH, Clearance.NONE, "TTg") == "TTg/QĐ"


def test_each_authority_and_type_counts_on_its_own(signers) -> None:  # noqa: F811
    first = _issue(signers, decision_draft(signers, recipients=[]))
    letter = _issue(signers, letter_draft(signers, recipients=[]))
    second = _issue(signers, decision_draft(signers, recipients=[]))
    own_decision = _issue(signers, decision_draft(signers, recipients=[], authority="", signer=signers.chairman.username))
    assert [first.notation, letter.notation, second.notation, own_decision.notation] == [
        "01/QĐ-TTg", "01/VPCP-TTĐT", "02/QĐ-TTg", "01/QĐ-VPCP"]


def test_secret_documents_have_their_own_series(signers) -> None:  # noqa: F811
    open_one = _issue(signers, decision_draft(signers, recipients=[]))
    secret = _issue(signers, decision_draft(signers, recipients=[], confidentiality=Clearance.MAT))
    another_open = _issue(signers, decision_draft(signers, recipients=[]))
    assert secret.series is not None and secret.series.key == "TTg/secret" and secret.number == 1
    assert (open_one.notation, secret.notation) == ("01/QĐ-TTg", "01/QĐ-TTg-M")  # unique within the year
    assert (open_one.number, another_open.number) == (1, 2)
