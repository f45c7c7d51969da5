"""The e-mails (or SMS, when only a phone was given) the submitter gets at each step.

Called inside the service's transaction: send_notice stores the notice and delivers it after
commit. Submitters write in Vietnamese, so notices are written in Vietnamese."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from govoffice.directory.models import User
from govoffice.notify.services import send_notice
from govoffice.portal.feedback.models import Feedback, OutOfScope, State


def status_url(feedback: Feedback) -> str:
    return f"{settings.PUBLIC_URL}{reverse('feedback:status')}?{urlencode({'code': feedback.code})}"


def rating_url(feedback: Feedback, token: str) -> str:
    return f"{settings.PUBLIC_URL}{reverse('feedback:rate', args=[feedback.code, token])}"


def guidance(kind: str) -> str:
    """What an out-of-scope submitter is told to do instead (Decree 20/2008 excludes these)."""
    if kind == OutOfScope.COMPLAINT:
        return _(
            "Your message is a complaint. Under the Law on Complaints (2011) it is settled by the head of the "
            "agency that took the administrative decision or action you complain about: please send it to that "
            "agency, in writing or in person, within 90 days of learning of the decision."
        )
    if kind == OutOfScope.DENUNCIATION:
        return _(
            "Your message is a denunciation. Under the Law on Denunciations (2018) it is settled by the agency "
            "that manages the person denounced: please send it to that agency, or to the inspectorate of the "
            "ministry or province concerned, with your name and address."
        )
    return _(
        "The portal receives feedback and proposals on administrative regulations and procedures "
        "(Decree 20/2008/NĐ-CP). Your message is about something else, so it was not sent on; please address "
        "it to the agency responsible for the matter."
    )


def _lines(feedback: Feedback, *parts: str) -> str:
    head = _("Dear %(name)s,") % {"name": feedback.name}
    tail = _("You can follow it with the receipt code %(code)s at %(url)s") % {"code": feedback.code, "url": status_url(feedback)}
    return "\n\n".join([head, *parts, tail, _("The Government Office")])


def notify_submitter(feedback: Feedback, *, step: str, extra: str = "", actor: User | None = None) -> None:
    """Tell the submitter what happened; `step` is a State value or "rating"."""
    with translation.override("vi"):
        subject = _("Your feedback %(code)s: %(state)s") % {"code": feedback.code, "state": State(feedback.state).label}
        texts = {
            State.RECEIVED: _("We have received your feedback “%(subject)s”.") % {"subject": feedback.subject},
            State.OUT_OF_SCOPE: guidance(feedback.out_of_scope_kind),
            State.DUPLICATE: _("Your feedback raises the same matter as %(original)s, which is already being handled; "
                               "its answer will answer yours too.") % {"original": feedback.duplicate_of.code if feedback.duplicate_of else ""},
            State.FORWARDED: _("Your feedback was sent to %(agency)s, which is responsible for the matter.")
            % {"agency": feedback.forwarded_to.name_vi if feedback.forwarded_to else ""},
            State.RETURNED: _("The agency returned your feedback to the Government Office, which will send it to the right agency."),
            State.PROCESSING: _("%(agency)s is handling your feedback.")
            % {"agency": feedback.forwarded_to.name_vi if feedback.forwarded_to else ""},
            State.ANSWERED: _("The agency has answered; the answer is being reviewed before it is published."),
            State.PUBLISHED: _("The answer to your feedback is published:\n\n%(answer)s") % {"answer": feedback.published_answer},
        }
        body = _lines(feedback, texts.get(State(step), ""), extra) if extra else _lines(feedback, texts.get(State(step), ""))
        channels: tuple[str, ...] = ("email",) if feedback.email else ("sms",)
        to = feedback.email or feedback.phone
        send_notice(to=to, subject=subject, body=body, kind=f"feedback.{step}", ref=feedback.code, channels=channels, actor=actor)
