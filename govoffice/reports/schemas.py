"""The reports API's shapes."""

from __future__ import annotations

from ninja import Schema


class AnnualOut(Schema):
    """Every figure of the office's annual review, computed from the data; null when its area is not installed."""

    year: int
    documents_received: int | None
    submissions: int | None
    documents_issued: int | None
    hub_members_connected: int | None
    hub_members_total: int | None
    hub_documents_exchanged: int | None
    cabinet_sessions: int | None
    cabinet_ballots: int | None
    portal_visits: int | None
    dossiers: int | None
    feedback_citizen_received: int | None
    feedback_citizen_in_scope: int | None
    feedback_business_received: int | None
    feedback_business_forwarded: int | None
    tasks_overdue_rate: float | None
    inspections: int | None
    inspected_ministries: int | None
    inspected_provinces: int | None
    tasks_overdue_rate_definition: str | None
    missing_areas: list[str]
    failed_areas: dict[str, str]
    missing_keys: list[str]
    generated_at: str
