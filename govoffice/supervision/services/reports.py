"""Saved reports of the overdue rate: each records its scope, counts and definition."""

from __future__ import annotations

from django.db import transaction

from govoffice.audit.services import record_event
from govoffice.directory.models import User
from govoffice.supervision.models import RateReport
from govoffice.supervision.selectors import RateResult, Scope, overdue_rate


def save_rate_report(*, actor: User | None, scope: Scope, definition: str | None = None) -> tuple[RateReport, RateResult]:
    """Compute the rate and keep it with the definition it used (permission checked by the caller's scope)."""
    result = overdue_rate(scope, definition)
    with transaction.atomic():
        report = RateReport.objects.create(
            definition=result.definition.key, date_from=scope.date_from, date_to=scope.date_to, agency=scope.agency,
            assigner=scope.assigner, counts=result.counts.as_dict(), rate=result.rate, created_by=actor,
        )
        record_event("supervision.rate_report_saved", actor=actor, obj=report, data={
            "definition": report.definition, "rate": report.rate, "from": str(scope.date_from), "to": str(scope.date_to),
            "agency": scope.agency.code if scope.agency else None, "assigner": scope.assigner or None})
    return report, result
