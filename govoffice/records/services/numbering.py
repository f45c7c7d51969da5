"""Numbers for issued documents (Decree 30, Art. 15): from 1 on 1 January, in issue order,
unique with the notation within the year, secret documents in their own series, no gap."""

from __future__ import annotations

from django.conf import settings
from django.db import IntegrityError, transaction

from govoffice.directory.models import Agency, Clearance
from govoffice.records.models import NumberSeries


def series_key(doc_type: str, confidentiality: int) -> str:
    """Which series a document takes: "secret", its own type's, or the agency's common one."""
    if confidentiality > Clearance.NONE:
        return "secret"
    if doc_type in settings.RECORDS["series_per_type"]:
        return doc_type
    return "all"


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
