"""Numbers for issued documents (Decree 30, Art. 15): from 01 on 1 January, in issue order,
unique with the notation within the year, secret documents in their own series, no gap.

A number is taken inside the issuing transaction with the series row locked, so two clerks
never get the same one and a failed issue gives its number back (PostgreSQL: SELECT … FOR
UPDATE; SQLite: the IMMEDIATE transaction holds the write lock from BEGIN). The table's
unique constraints (series + number, agency + year + notation) stop a duplicate even if code
elsewhere went around this module.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from govoffice.directory.models import Agency, Clearance
from govoffice.records.models import UNABBREVIATED, NumberSeries


def current_year(at: dt.datetime | None = None) -> int:
    """The numbering year: the office's local calendar year (1 January 00:00 in Hà Nội starts a new one)."""
    return timezone.localtime(at or timezone.now()).year


def series_key(doc_type: str, confidentiality: int, authority: str = "") -> str:
    """Which series a document takes: "secret", its own type's, or the common one; per issuing authority.

    An agency issuing in its own name uses the bare key ("QĐ", "all", "secret"); documents it
    issues for another authority (the Government Office for the Prime Minister) are numbered
    in that authority's series ("TTg/QĐ").
    """
    if confidentiality > Clearance.NONE:
        key = "secret"
    elif doc_type in settings.RECORDS["series_per_type"]:
        key = doc_type
    else:
        key = "all"
    return f"{authority}/{key}" if authority else key


def format_number(number: int) -> str:
    """Decree 30 writes numbers below 10 with a leading zero: 01, 02, …, 10, 123."""
    return f"{number:02d}"


SECRET_MARK = "M"  # noqa: S105  (a letter in a notation, not a password)


def notation(number: int, doc_type: str, authority_short: str, unit_short: str = "", *, secret: bool = False) -> str:
    """`123/QĐ-TTg` for a typed document; `7816/VPCP-TTĐT` for a công văn (authority-drafting unit).

    Secret documents are numbered in their own series, so their numbers repeat the open
    ones'; their notation ends in "-M" (the mark many agencies use) to keep number and
    notation unique within the year, as Art. 15 requires.
    """
    if doc_type in UNABBREVIATED:
        tail = f"{authority_short}-{unit_short}" if unit_short else authority_short
    else:
        tail = f"{doc_type}-{authority_short}"
    if secret:
        tail += f"-{SECRET_MARK}"
    return f"{format_number(number)}/{tail}"


def _ensure_series(agency: Agency, year: int, key: str) -> None:
    if NumberSeries.objects.filter(agency=agency, year=year, key=key).exists():
        return
    try:
        with transaction.atomic():
            NumberSeries.objects.create(agency=agency, year=year, key=key)
    except IntegrityError:
        pass  # another issuer created it first: fine, it exists now


def next_number(agency: Agency, year: int, key: str) -> tuple[NumberSeries, int]:
    """Take the next number of a series; must run inside the issuing transaction.

    The series row is locked until that transaction ends: a rollback gives the number back,
    so numbers have no gap, and no two issuers can take the same one.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_number must run inside the issuing transaction")
    _ensure_series(agency, year, key)
    series = NumberSeries.objects.select_for_update().get(agency=agency, year=year, key=key)
    series.last_number += 1
    series.save(update_fields=["last_number"])
    return series, series.last_number
