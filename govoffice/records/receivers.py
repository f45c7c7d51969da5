"""The office listens to the hub: documents delivered to its agencies are registered at once.

A crash between the hub's commit and this receiver leaves the delivery unregistered; the
periodic sweep (tasks.register_pending) picks it up, so nothing is lost and nothing doubles.
Both take in the same messages: services.incoming.is_hub_intake and hub_intake (new documents
and replacements, not revoke or update requests).
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.dispatch import receiver

from govoffice.exchange.signals import document_accepted

log = logging.getLogger(__name__)


@receiver(document_accepted)
def register_documents_for_this_office(sender: Any, message: Any, recipients: list[Any], **kwargs: Any) -> None:
    from govoffice.records.services.incoming import is_hub_intake, register_from_hub

    if not is_hub_intake(message):
        return  # revoke/update requests are answered by a clerk, not registered again
    for agency in recipients:
        if agency.code in settings.RECORDS["office_codes"]:
            try:
                register_from_hub(message, agency)
            except Exception:  # the sweep retries; the hub's acceptance must not fail for it
                log.exception("registering hub message %s for %s failed; the sweep will retry", message.pk, agency.code)
