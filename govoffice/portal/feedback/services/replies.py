"""What comes back: the agency's statuses and answer (through the hub or its own page), the
office's moderation and publication, and the submitter's rating."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govoffice.audit.services import record_event
from govoffice.directory.models import Agency, User
from govoffice.directory.permissions import may
from govoffice.lib.errors import Conflict, DomainError, Forbidden, NotFound
from govoffice.lib.vntext import fold
from govoffice.portal.feedback.mask import mask
from govoffice.portal.feedback.models import AnswerVia, Feedback, State
from govoffice.portal.feedback.notices import notify_submitter, rating_url
from govoffice.portal.feedback.services.common import locked, move

WAITING_FOR_AGENCY = (State.FORWARDED, State.PROCESSING)
PROCESSING_CODES = {"01", "03", "04", "05", "06"}


def record_hub_status(*, document_id: str, sender: Agency, code: str, description: str = "") -> Feedback | None:
    """A status (01–06) the responsible agency sent about a forwarded piece; None if it is about none."""
    candidate = Feedback.objects.filter(document_id=document_id, forwarded_to=sender).values_list("pk", flat=True).first()
    if candidate is None:
        return None
    with transaction.atomic():
        row = locked(candidate)
        if row.state not in WAITING_FOR_AGENCY:
            return row  # a late status after the answer or a return: kept in the hub's trace only
        now = timezone.now()
        row.hub_status, row.hub_status_at = code, now
        step: str
        if code == "02":
            # Returned (wrong recipient): back to the office, which sends it to the right agency.
            row.scope = ""
            move(row, State.RETURNED, note=description, hub_status=code, at=now)
            step = State.RETURNED
        elif code in PROCESSING_CODES and code != "01":
            step = State.PROCESSING if row.state != State.PROCESSING else ""
            move(row, State.PROCESSING, note=description, hub_status=code, at=now)
        else:  # 01 arrived: recorded, nothing for the submitter yet
            step = ""
            move(row, row.state, note=description, hub_status=code, at=now)
        row.save()
        record_event("feedback.hub_status", actor=None, obj=row, agency=sender.code,
                     data={"code": row.code, "status": code, "description": description[:300]})
        if step:
            notify_submitter(row, step=step)
    return row


def _answering(row: Feedback, text: str) -> str:
    if row.state not in WAITING_FOR_AGENCY:
        raise Conflict("invalid_state", _("This feedback is not waiting for an answer"))
    text = (text or "").strip()
    if not text:
        raise DomainError("required", _("The answer is required"), field="answer")
    return text


def _store_answer(row: Feedback, text: str, *, via: str, agency: Agency, by: User | None, document_id: str = "") -> None:
    now = timezone.now()
    row.answer_text, row.answer_via, row.answer_agency = text, via, agency
    row.answer_document_id, row.answered_by, row.answered_at = document_id, by, now
    row.moderation_note = ""
    move(row, State.ANSWERED, note=agency.code, at=now)
    row.save()
    record_event("feedback.answered", actor=by, obj=row, agency=agency.code,
                 data={"code": row.code, "via": via, "document_id": document_id or None})
    notify_submitter(row, step=State.ANSWERED, actor=by)


def answer_feedback(*, actor: User, feedback: Feedback, text: str) -> Feedback:
    """Staff of the responsible agency answer on their page (instead of through the hub)."""
    if not may(actor, "feedback.answer", feedback):
        raise Forbidden("forbidden", _("Only the responsible agency answers this feedback"))
    with transaction.atomic():
        row = locked(feedback.pk)
        text = _answering(row, text)
        if not may(actor, "feedback.answer", row):  # sent on to another agency since it was read
            raise Forbidden("forbidden", _("Only the responsible agency answers this feedback"))
        assert row.forwarded_to is not None
        _store_answer(row, text, via=AnswerVia.LOGIN, agency=row.forwarded_to, by=actor)
    return row


def record_hub_answer(*, response_for: str, sender: Agency, text: str, document_id: str) -> Feedback | None:
    """An edXML answer from the agency whose ResponseFor names the forwarded message; None if none matches."""
    candidate = Feedback.objects.filter(document_id=response_for, forwarded_to=sender).values_list("pk", flat=True).first()
    if candidate is None:
        return None
    with transaction.atomic():
        row = locked(candidate)
        if row.state not in WAITING_FOR_AGENCY or not text.strip():
            return row
        _store_answer(row, text.strip(), via=AnswerVia.HUB, agency=sender, by=None, document_id=document_id)
    return row


def draft_publication(row: Feedback) -> dict[str, str]:
    """The texts the officer starts from: personal data already hidden."""
    names = [row.name, row.email, row.phone, row.organisation, row.address, row.tax_code]
    return {
        "subject": mask(row.subject, names=names),
        "question": mask(row.content, names=names),
        "answer": mask(row.answer_text, names=names),
    }


def publish_answer(*, actor: User, feedback: Feedback, subject: str = "", question: str = "", answer: str = "") -> tuple[Feedback, str]:
    """The officer approves the answer: published with personal data hidden, the submitter asked to rate it.

    Returns the row and the rating token (sent in the e-mail; only its SHA-256 is kept).
    """
    if not may(actor, "feedback.moderate", feedback):
        raise Forbidden("forbidden", _("Only the office's portal officers publish answers"))
    with transaction.atomic():
        row = locked(feedback.pk)
        if row.state != State.ANSWERED:
            raise Conflict("invalid_state", _("Only an answer waiting for review is published"))
        draft = draft_publication(row)
        names = [row.name, row.email, row.phone, row.organisation, row.address, row.tax_code]
        # What the officer edited is masked again: a slip cannot publish a contact.
        row.published_subject = mask(subject.strip() or draft["subject"], names=names)[:300]
        row.published_question = mask(question.strip() or draft["question"], names=names)
        row.published_answer = mask(answer.strip() or draft["answer"], names=names)
        row.published_search = fold(" ".join([row.published_subject, row.published_question, row.published_answer]))
        row.published_at, row.published_by = timezone.now(), actor
        token = secrets.token_urlsafe(24)
        row.rating_token_hash = hashlib.sha256(token.encode()).hexdigest()
        move(row, State.PUBLISHED, at=row.published_at)
        row.save()
        record_event("feedback.published", actor=actor, obj=row, data={"code": row.code})
        notify_submitter(row, step=State.PUBLISHED, actor=actor,
                         extra=_("Were you satisfied with the answer? Tell us here: %(url)s") % {"url": rating_url(row, token)})
    return row, token


def return_answer(*, actor: User, feedback: Feedback, note: str) -> Feedback:
    """The officer does not approve the answer: it goes back to the agency with the reason."""
    if not may(actor, "feedback.moderate", feedback):
        raise Forbidden("forbidden", _("Only the office's portal officers review answers"))
    if not (note or "").strip():
        raise DomainError("required", _("Say what the answer lacks"), field="note")
    with transaction.atomic():
        row = locked(feedback.pk)
        if row.state != State.ANSWERED:
            raise Conflict("invalid_state", _("Only an answer waiting for review is sent back"))
        row.moderation_note = note.strip()
        move(row, State.PROCESSING, note=note.strip())
        row.save()
        record_event("feedback.answer_returned", actor=actor, obj=row, data={"code": row.code, "note": note.strip()[:300]})
    return row


def check_rating_token(row: Feedback, token: str) -> bool:
    if not row.rating_token_hash or not token:
        return False
    return hmac.compare_digest(row.rating_token_hash, hashlib.sha256(token.encode()).hexdigest())


def rate_answer(*, code: str, token: str, satisfied: bool | None, comment: str = "") -> Feedback:
    """The submitter rates the published answer through the link in their e-mail (once)."""
    row0 = Feedback.objects.filter(code=code).first()
    if row0 is None or not check_rating_token(row0, token):
        raise NotFound("not_found", _("This rating link is not valid"))
    if satisfied is None:
        raise DomainError("required", _("Say whether you are satisfied"), field="satisfied")
    with transaction.atomic():
        row = locked(row0.pk)
        if row.rated_at is not None:
            raise Conflict("already_rated", _("This answer was already rated; thank you"))
        row.satisfied, row.rating_comment, row.rated_at = satisfied, (comment or "").strip()[:2000], timezone.now()
        row.save(update_fields=["satisfied", "rating_comment", "rated_at"])
        record_event("feedback.rated", actor=None, obj=row, data={"code": row.code, "satisfied": satisfied})
    return row
