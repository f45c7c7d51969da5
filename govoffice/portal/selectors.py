"""Reads of the portal worth naming: the catalogue, its facets, status lookup, annual figures."""

from __future__ import annotations

import datetime as dt
import importlib
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connections, router
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from govoffice.directory.models import Role, User
from govoffice.directory.permissions import same_agency
from govoffice.lib.vntext import fold, words
from govoffice.portal import receipts
from govoffice.portal.catalogue import catalogue_version
from govoffice.portal.models import DailyVisits, Dossier, Procedure, Status

OPEN_STATUSES = (
    Status.REGISTERED,
    Status.ACCEPTED,
    Status.PROCESSING,
    Status.PAPERS_REQUESTED,
    Status.FEES_REQUESTED,
    Status.WITHDRAWAL_REQUESTED,
)
CLOCK_RUNNING = (Status.ACCEPTED, Status.PROCESSING)
FACETS_SECONDS = 600
PAGE_SIZE = 20


@dataclass(frozen=True)
class CatalogueQuery:
    q: str = ""
    field: str = ""  # field_slug
    agency: str = ""  # organisation code
    level: int | None = None
    applicant: str = ""  # citizen, business


def procedures(query: CatalogueQuery) -> QuerySet[Procedure]:
    """Active procedures matching the words (folded: with or without diacritics) and the filters."""
    qs = Procedure.objects.filter(active=True).select_related("agency")
    for word in words(fold(query.q))[:8]:
        qs = qs.filter(search_text__contains=word)
    if query.field:
        qs = (
            qs.filter(field_slug=query.field) if "\x00" not in query.field else qs.none()
        )  # PostgreSQL cannot compare NUL
    if query.agency:
        qs = qs.filter(agency__code=query.agency) if "\x00" not in query.agency else qs.none()
    if query.level:
        qs = qs.filter(level=query.level)
    if query.applicant:
        # JSON containment differs across databases; the applicant kinds are two short words.
        qs = qs.filter(applicants__icontains=f'"{query.applicant}"')
    return qs.order_by("code")


def facets() -> dict[str, Any]:
    """The catalogue's fields and agencies with their counts, cached until the catalogue changes."""
    key = f"portal:facets:{catalogue_version()}"
    found = cache.get(key)
    if found is None:
        active = Procedure.objects.filter(active=True)
        fields = list(
            active.values("field_slug", "field").annotate(n=Count("pk")).order_by("field")
        )
        agencies = list(
            active.values("agency__code", "agency__name_vi", "agency__name_en")
            .annotate(n=Count("pk"))
            .order_by("agency__code")
        )
        found = {
            "fields": [
                {"slug": f["field_slug"], "name": f["field"], "count": f["n"]} for f in fields
            ],
            "agencies": [
                {
                    "code": a["agency__code"],
                    "name": a["agency__name_vi"],
                    "name_en": a["agency__name_en"] or a["agency__name_vi"],
                    "count": a["n"],
                }
                for a in agencies
            ],
            "total": sum(f["n"] for f in fields),
        }
        from govoffice.portal.public_cache import lifetime  # public_cache imports this module

        cache.set(key, found, lifetime(FACETS_SECONDS))
    return found


def procedure(code: str) -> Procedure | None:
    if "\x00" in code or len(code) > 64:  # names nothing (and PostgreSQL cannot compare a NUL)
        return None
    return Procedure.objects.select_related("agency").filter(code=code, active=True).first()


def public_status(code: str) -> dict[str, Any] | None:
    """The public status of a dossier or feedback by its receipt code; None if no such code.

    Only the status, its label and when it last changed: nothing about the applicant, the
    procedure or the content, so a code reveals no more to a stranger than its public status.
    """
    receipt = receipts.parse(code)
    if receipt is None:
        return None
    if receipt.kind == "dossier":
        row = _dossier_status(receipt.code)
        if row is None:
            return None
        status, changed_at = row
        return {
            "code": receipt.code,
            "kind": "dossier",
            "status": status,
            "status_label": str(Status(status).label),
            "updated_at": changed_at,
        }
    return _other_kind_status(receipt.kind, receipt.code)


_STATUS_SQL: dict[str, str] = {}  # per database alias: the ORM's own SQL of the query below


def _dossier_status(code: str) -> tuple[int, dt.datetime] | None:
    """(status, status_changed_at) of the dossier with this receipt code, or None.

    The ORM's SQL for it, built once per database and then run with the code as its one
    parameter: building the query costs ten times running it (bench portal: 0.20 ms against
    0.02 ms a lookup), and every uncached lookup asks it."""
    alias = router.db_for_read(Dossier)
    sql = _STATUS_SQL.get(alias)
    if sql is None:
        query = (
            Dossier.objects.using(alias)
            .filter(receipt_code="?")
            .values_list("status", "status_changed_at")[:1]
        )
        sql, params = query.query.sql_with_params()
        if list(params) != ["?"]:  # the code must be the one parameter, or the shortcut is wrong
            raise RuntimeError(f"unexpected parameters of the status query: {params!r}")
        _STATUS_SQL[alias] = sql
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, [code])
        row = cursor.fetchone()
    if row is None:
        return None
    status, changed_at = row
    # What the ORM's converters do: SQLite hands back the stored UTC time without its zone.
    if settings.USE_TZ and changed_at is not None and timezone.is_naive(changed_at):
        changed_at = timezone.make_aware(changed_at, dt.UTC)
    return int(status), changed_at


def _other_kind_status(kind: str, code: str) -> dict[str, Any] | None:
    # Feedback lives in its own app (portal.feedback): asked by name so that this app does not
    # depend on it, and a missing module simply means "no such code".
    try:
        module = importlib.import_module(f"govoffice.portal.{kind}.selectors")
    except ImportError:
        return None
    finder = getattr(module, "public_status", None)
    if finder is None:
        return None
    found = finder(code)
    if not found:
        return None
    return {
        "code": found.get("code", code),
        "kind": kind,
        "status": found.get("status"),
        "status_label": str(found.get("status_label", "")),
        "updated_at": found.get("updated_at"),
    }


def is_overdue(dossier: Dossier, today: dt.date | None = None) -> bool:
    """True while the agency's clock runs and its working-day deadline has passed."""
    today = today or timezone.localdate()
    return (
        dossier.status in CLOCK_RUNNING
        and dossier.due_date is not None
        and today > dossier.due_date
    )


def overdue_q(today: dt.date | None = None) -> Q:
    return Q(status__in=CLOCK_RUNNING, due_date__lt=today or timezone.localdate())


def is_officer_for(user: Any, dossier: Dossier) -> bool:
    return (
        isinstance(user, User)
        and user.is_active
        and user.has_role(Role.PORTAL_OFFICER)
        and same_agency(user, dossier.agency)
    )


def applicant_dossiers(user: User) -> QuerySet[Dossier]:
    return Dossier.objects.filter(applicant=user).select_related("procedure", "agency")


def officer_dossiers(user: User) -> QuerySet[Dossier]:
    """Dossiers of the officer's agency and its units (none for anyone else)."""
    if not user.has_role(Role.PORTAL_OFFICER) or user.agency_id is None:
        return Dossier.objects.none()
    ids = [user.agency_id]
    frontier = [user.agency_id]
    from govoffice.directory.models import Agency

    for _ in range(4):  # units nest at most four levels deep
        frontier = list(Agency.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
        if not frontier:
            break
        ids += frontier
    return Dossier.objects.filter(agency_id__in=ids).select_related("procedure", "agency")


def visible_dossier(user: Any, code: str) -> Dossier | None:
    """The dossier if this person is its applicant or an officer of its agency; else None (as if absent)."""
    receipt = receipts.format_for("dossier").parse(code)
    if receipt is None or not isinstance(user, User):
        return None
    dossier = (
        Dossier.objects.select_related("procedure", "agency", "applicant")
        .filter(receipt_code=receipt.code)
        .first()
    )
    if dossier is None:
        return None
    if dossier.applicant_id == user.pk or is_officer_for(user, dossier):
        return dossier
    return None


def annual_figures(year: int) -> dict[str, int | float | str]:
    """The portal's figures for the annual report: page views counted and dossiers received."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    visits = (
        DailyVisits.objects.filter(day__gte=first, day__lte=last).aggregate(n=Sum("count"))["n"]
        or 0
    )
    start = timezone.make_aware(dt.datetime(year, 1, 1))
    end = timezone.make_aware(dt.datetime(year + 1, 1, 1))
    dossiers = Dossier.objects.filter(submitted_at__gte=start, submitted_at__lt=end).count()
    return {"portal_visits": int(visits), "dossiers": dossiers}
