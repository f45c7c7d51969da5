"""Feedback settings: defaults here, overridden by settings.FEEDBACK when the operator sets it."""

from __future__ import annotations

from typing import Any

from django.conf import settings

DEFAULTS: dict[str, Any] = {
    # The office that receives and triages feedback (Decree 20/2008: the Government Office).
    "office_code": "000.00.00.G22",
    # Attachments: at most this many, each and all together under these caps, by content type.
    "max_files": 5,
    "max_file_bytes": 5 * 1024 * 1024,
    "max_total_bytes": 15 * 1024 * 1024,
    "file_types": ["application/pdf", "image/jpeg", "image/png"],
    "max_content_chars": 10_000,
    # Rate limits: (requests, seconds) per client address, and per signed-in account.
    "submit_limit": (5, 3600),
    "submit_limit_account": (10, 86400),
    "lookup_limit": (120, 60),
    "open311_post_limit": (60, 3600),
    # Open311: how far back GET requests looks by default, and at most how many it returns.
    "open311_default_days": 90,
    "open311_max_results": 1000,
    # The jurisdiction_id this endpoint answers for (a client may leave it out).
    "open311_jurisdiction": "dichvucong.gov.vn",
}


def conf(name: str) -> Any:
    """One feedback setting (settings.FEEDBACK[name] if set, else the default)."""
    return {**DEFAULTS, **getattr(settings, "FEEDBACK", {})}[name]
