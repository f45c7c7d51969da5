"""Reads worth a name: the public status of a receipt code, published answers, the office's
queues, and the counts the reports read (by source, scope, agency, outcome; the annual figures)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from govoffice.lib.vntext import words
from govoffice.portal.feedback import codes
from govoffice.portal.feedback.models import Feedback, Scope, Source, State


def public_status(code: str) -> dict[str, Any] | None:
    """{code, status, status_label, updated_at} of a receipt code, or None: nothing else is told."""
    wanted = codes.normalise(code)
    if not wanted:
        return None
    row = Feedback.objects.filter(code=wanted).values("code", "state", "updated_at").first()
    if row is None:
        return None
    return {"code": row["code"], "status": row["state"], "status_label": str(State(row["state"]).label),
            "updated_at": row["updated_at"]}


def published_answers(q: str = "", agency_code: str = "") -> QuerySet[Feedback]:
    """Published answers, newest first; `q` matches with or without diacritics (folded both sides)."""
    qs = Feedback.objects.filter(state=State.PUBLISHED).select_related("answer_agency")
    for word in words(q)[:8]:
        qs = qs.filter(published_search__contains=word)
    if agency_code:
        qs = qs.filter(answer_agency__code=agency_code) if "\x00" not in agency_code else qs.none()  # PostgreSQL cannot compare NUL
    return qs.only(
        "code", "published_subject", "published_question", "published_answer", "published_at", "source",
        "topic", "answer_agency__code", "answer_agency__name_vi", "answer_agency__name_en", "satisfied",
    ).order_by("-published_at", "-pk")


def published_answer(code: str) -> Feedback | None:
    wanted = codes.normalise(code)
    if not wanted:
        return None
    return Feedback.objects.filter(code=wanted, state=State.PUBLISHED).select_related("answer_agency").first()


def office_queue(state: str = "", q: str = "", source: str = "") -> QuerySet[Feedback]:
    """The office's list: filtered by state, source and folded text, oldest waiting first."""
    qs = Feedback.objects.select_related("agency", "forwarded_to")
    if state:
        qs = qs.filter(state=state)
    if source:
        qs = qs.filter(source=source)
    for word in words(q)[:8]:
        qs = qs.filter(Q(search_text__contains=word) | Q(code__iexact=word))
    return qs.order_by("received_at", "pk")


def agency_queue(agency_id: int, waiting_only: bool = True) -> QuerySet[Feedback]:
    qs = Feedback.objects.filter(forwarded_to_id=agency_id).select_related("agency")
    if waiting_only:
        qs = qs.filter(state__in=[State.FORWARDED, State.PROCESSING])
    return qs.order_by("forwarded_at", "pk")


FIRST_YEAR, LAST_YEAR = 1945, 2999  # the years a figure can be asked for (datetime stops at 9999)


def year_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    """1 January to 1 January in the office's time zone, as aware datetimes."""
    tz = timezone.get_default_timezone()
    return dt.datetime(year, 1, 1, tzinfo=tz), dt.datetime(year + 1, 1, 1, tzinfo=tz)


def _period(year: int | None) -> QuerySet[Feedback]:
    qs = Feedback.objects.all()
    if year is not None:
        start, end = year_bounds(year)
        qs = qs.filter(received_at__gte=start, received_at__lt=end)
    return qs


def counts_by_source(year: int | None = None) -> dict[str, int]:
    rows = {r["source"]: r["n"] for r in _period(year).order_by().values("source").annotate(n=Count("id"))}
    return {s: int(rows.get(s, 0)) for s in Source.values}


def counts_by_scope(year: int | None = None) -> dict[str, dict[str, int]]:
    """Per source: in scope, out of scope, duplicates, not yet triaged."""
    out: dict[str, dict[str, int]] = {s: {"in_scope": 0, "out_of_scope": 0, "duplicate": 0, "undecided": 0} for s in Source.values}
    rows = _period(year).order_by().values("source", "scope", "state").annotate(n=Count("id"))
    for r in rows:
        if r["state"] == State.DUPLICATE:
            key = "duplicate"
        elif r["scope"] == Scope.IN_SCOPE:
            key = "in_scope"
        elif r["scope"] == Scope.OUT_OF_SCOPE:
            key = "out_of_scope"
        else:
            key = "undecided"
        out[r["source"]][key] += int(r["n"])
    return out


def counts_by_agency(year: int | None = None) -> list[dict[str, Any]]:
    """Per agency forwarded to: forwarded, answered (published), satisfied, not satisfied."""
    rows = (
        _period(year).filter(forwarded_to__isnull=False)
        .values("forwarded_to__code", "forwarded_to__name_vi")
        .annotate(
            n_forwarded=Count("id"),
            n_published=Count("id", filter=Q(state=State.PUBLISHED)),
            n_satisfied=Count("id", filter=Q(satisfied=True)),
            n_unsatisfied=Count("id", filter=Q(satisfied=False)),
        )
        .order_by("-n_forwarded", "forwarded_to__code")
    )
    return [
        {"code": r["forwarded_to__code"], "name": r["forwarded_to__name_vi"], "forwarded": r["n_forwarded"],
         "published": r["n_published"], "satisfied": r["n_satisfied"], "unsatisfied": r["n_unsatisfied"]}
        for r in rows
    ]


def counts_by_outcome(year: int | None = None) -> dict[str, int]:
    """Every state, and the ratings of published answers."""
    qs = _period(year)
    states = {r["state"]: r["n"] for r in qs.order_by().values("state").annotate(n=Count("id"))}
    out = {s: int(states.get(s, 0)) for s in State.values}
    ratings = qs.filter(state=State.PUBLISHED).aggregate(
        rating_satisfied=Count("id", filter=Q(satisfied=True)),
        rating_unsatisfied=Count("id", filter=Q(satisfied=False)),
        rating_not_rated=Count("id", filter=Q(satisfied__isnull=True)),
    )
    out.update({k: int(v) for k, v in ratings.items()})
    return out


def annual_figures(year: int) -> dict[str, int | float | str]:
    """The report's feedback figures for a calendar year (the contract's keys)."""
    qs = _period(year)
    figures = qs.aggregate(
        feedback_citizen_received=Count("id", filter=Q(source=Source.CITIZEN)),
        feedback_citizen_in_scope=Count("id", filter=Q(source=Source.CITIZEN, scope=Scope.IN_SCOPE)),
        feedback_business_received=Count("id", filter=Q(source=Source.BUSINESS)),
        feedback_business_forwarded=Count("id", filter=Q(source=Source.BUSINESS, forwarded_at__isnull=False)),
    )
    return {k: int(v) for k, v in figures.items()}
