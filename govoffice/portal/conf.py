"""The portal's tunables: defaults here, overridden by settings.PORTAL (a dict) where the operator sets one."""

from __future__ import annotations

from typing import Any

from django.conf import settings

DEFAULTS: dict[str, Any] = {
    # Uploads: each file, and all of one dossier together.
    "max_file_bytes": 10 * 1024 * 1024,
    "max_dossier_bytes": 40 * 1024 * 1024,
    "max_files": 10,
    # Rate limits: (requests, seconds) per client address and per account.
    "limit_lookup_per_address": (120, 60),
    "limit_search_per_address": (240, 60),
    "limit_signup_per_address": (5, 3600),
    "limit_submit_per_account": (20, 3600),
    "limit_submit_per_address": (60, 3600),
    "limit_write_per_account": (120, 3600),
    # How long a sign-up confirmation link stays valid.
    "confirm_link_hours": 48,
    # Page views are written at most this often per process (or after this many views).
    "visits_flush_seconds": 10.0,
    "visits_flush_views": 500,
    # The built-in payment provider: the account the office's bank transfers go to.
    "bank_name": "Kho bạc Nhà nước",
    "bank_account": "3511.0.1059876",
    "payment_providers": [],  # dotted paths of extra PaymentProvider classes
    "bank_holder": "Văn phòng Chính phủ – thu phí, lệ phí dịch vụ công",
}
ATTACHMENT_TYPES = {"application/pdf", "image/jpeg", "image/png"}


def get(name: str) -> Any:
    return getattr(settings, "PORTAL", {}).get(name, DEFAULTS[name])
