"""Feedback listens to the hub: the responsible agency's statuses about a forwarded piece, and
its answer (an edXML document to the office whose ResponseFor names the forwarded one).

A receiver runs after the hub committed; a failure here is logged and never undoes the hub's
acceptance. The records app registers the answer as an incoming document too: both are right.
"""

from __future__ import annotations

import logging
from typing import Any

from django.dispatch import receiver
from govoffice_agent import edxml

from govoffice.exchange.signals import document_accepted, status_accepted
from govoffice.portal.feedback.conf import conf

log = logging.getLogger(__name__)
WAITING = ("forwarded", "processing")


@receiver(status_accepted)
def feedback_status_from_agency(sender: Any, status: Any, document: Any, **kwargs: Any) -> None:
    from govoffice.portal.feedback.services.replies import record_hub_status

    if document is None or status.status_code not in ("01", "02", "03", "04", "05", "06"):
        return
    if document.sender.code != conf("office_code"):
        return
    try:
        record_hub_status(document_id=document.document_id, sender=status.sender, code=status.status_code,
                          description=status.description)
    except Exception:  # never fail the hub for it; the status stays in the hub's trace
        log.exception("recording hub status %s for %s failed", status.status_code, document.document_id)


def answer_text(msg: edxml.Message) -> str:
    """The answer: the message's content, then any plain-text attachment (the full answer)."""
    parts = [msg.content.strip()] if msg.content.strip() else []
    for att in msg.attachments:
        if att.content_type.startswith("text/plain"):
            try:
                text = att.data.decode("utf-8").strip()
            except UnicodeDecodeError:
                continue
            if text and text not in parts:
                parts.append(text)
    return "\n\n".join(parts) or msg.subject.strip()


@receiver(document_accepted)
def feedback_answer_from_agency(sender: Any, message: Any, recipients: list[Any], **kwargs: Any) -> None:
    from govoffice.portal.feedback.models import Feedback
    from govoffice.portal.feedback.services.replies import record_hub_answer

    if message.business_doc_type != 0 or not any(a.code == conf("office_code") for a in recipients):
        return
    if not Feedback.objects.filter(forwarded_to=message.sender, state__in=WAITING).exists():
        return  # the common case, answered without parsing the message
    try:
        _, msg = edxml.parse_message(bytes(message.raw))
    except edxml.EdxmlError:
        return
    for rf in msg.response_for:
        if not rf.document_id:
            continue
        try:
            if record_hub_answer(response_for=rf.document_id, sender=message.sender, text=answer_text(msg),
                                 document_id=message.document_id) is not None:
                return
        except Exception:  # never fail the hub for it; the office can still read the incoming document
            log.exception("recording the answer %s to %s failed", message.document_id, rf.document_id)
