"""Submissions to leaders (phiếu trình / tờ trình): drafted with their attachments and related
documents, sent up the approval chain of the agency and matter; each step approves, returns
with comments or forwards; every version is kept and every action is in the history.

Chains: a step names a role and, where needed, a position and "same unit" (ApprovalChain).
Whoever sends the submission to a step names the person among that step's people; when
only one person fits, it goes to them without asking.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from govoffice.audit.services import record_event
from govoffice.directory.models import Agency, Clearance, Role, User
from govoffice.directory.permissions import may
from govoffice.lib.errors import Conflict, DomainError, Forbidden
from govoffice.lib.vntext import fold
from govoffice.records.files import ATTACHMENT_TYPES, Upload, check_upload, store
from govoffice.records.models import (
    ApprovalChain,
    Incoming,
    RecordFile,
    Submission,
    SubmissionAction,
    SubmissionState,
    SubmissionVersion,
    Urgency,
)
from govoffice.records.permissions import visible_to
from govoffice.records.services.marks import check_marks

log = logging.getLogger(__name__)
DEFAULT_MATTER = "default"
OPEN_STATES = (SubmissionState.DRAFT, SubmissionState.IN_REVIEW, SubmissionState.RETURNED)
EDITABLE = (SubmissionState.DRAFT, SubmissionState.RETURNED)

# The Government Office's chain (DOMAIN.md §2; the office's working rules): the department
# head of the drafter's own department, then an office vice-chairman, the office chairman
# (a minister), then a deputy prime minister or the prime minister.
GOVERNMENT_OFFICE_CHAIN = [
    {"label": "Vụ trưởng", "role": Role.DEPARTMENT_HEAD.value, "same_unit": True},
    {"label": "Phó Chủ nhiệm Văn phòng Chính phủ", "role": Role.OFFICE_LEADER.value, "position": "Phó Chủ nhiệm"},
    {"label": "Bộ trưởng, Chủ nhiệm Văn phòng Chính phủ", "role": Role.OFFICE_LEADER.value, "position": "Chủ nhiệm"},
    {"label": "Phó Thủ tướng hoặc Thủ tướng", "role": Role.GOVERNMENT_LEADER.value},
]
DEPUTY = "pho"  # folded "Phó": a deputy's position names the post it deputises for


def seed_chains(agency: Agency) -> ApprovalChain:
    """The agency's default chain (the Government Office's four steps); kept if it exists."""
    chain, _created = ApprovalChain.objects.get_or_create(
        agency=agency, matter=DEFAULT_MATTER,
        defaults={"name": f"Trình lãnh đạo – {agency.short_name or agency.name_vi}", "steps": GOVERNMENT_OFFICE_CHAIN},
    )
    return chain


# Who may act at a step ----------------------------------------------------------------------

def position_matches(position: str, wanted: str) -> bool:
    """True if `position` names the post `wanted`; "Chủ nhiệm" matches "Bộ trưởng, Chủ nhiệm …"
    but not "Phó Chủ nhiệm …" (unless "Phó" is asked for)."""
    have, want = fold(position), fold(wanted)
    if not want:
        return True
    for found in re.finditer(rf"(?<!\w){re.escape(want)}(?!\w)", have):
        before = have[: found.start()].rstrip().rsplit(" ", 1)[-1] if found.start() else ""
        if want.startswith(DEPUTY + " ") or before != DEPUTY:
            return True
    return False


def step_people(submission: Submission, index: int) -> list[User]:
    """The active staff who may act at step `index` of the submission's chain."""
    steps = submission.chain.steps
    if not 0 <= index < len(steps):
        return []
    step = steps[index]
    qs: QuerySet[User] = User.objects.filter(
        agency_id=submission.agency_id, is_active=True, roles__role=step["role"],
        clearance__gte=submission.confidentiality,
    ).distinct()
    drafter = submission.created_by
    if step.get("same_unit") and drafter.unit_id is not None:
        qs = qs.filter(unit_id=drafter.unit_id)
    wanted = step.get("position", "")
    return [u for u in qs.order_by("full_name", "username") if position_matches(u.position, wanted)]


def _pick(submission: Submission, index: int, named: User | None, field_name: str) -> User:
    people = step_people(submission, index)
    label = submission.chain.steps[index]["label"]
    if named is not None:
        if named not in people:
            raise DomainError("not_eligible", _("%(name)s cannot act at the step “%(step)s” of this submission") % {"name": named, "step": label}, field=field_name)
        return named
    if len(people) == 1:
        return people[0]
    if not people:
        raise Conflict("no_reviewer", _("Nobody in this agency can act at the step “%(step)s”") % {"step": label}, field=field_name)
    raise DomainError("choose_reviewer", _("Choose who receives it at the step “%(step)s”") % {"step": label}, field=field_name)


# Notices -------------------------------------------------------------------------------------

def _notify(user: User | None, submission: Submission, what: str) -> None:
    """E-mail a person about a submission after commit; a secret one's title stays out of the mail."""
    if user is None or not user.email:
        return
    to, pk = user.email, submission.pk
    with translation.override(user.language or "vi"):
        title = submission.title if submission.confidentiality == Clearance.NONE else _("(a classified submission: read it in govoffice)")
        subject = f"{what}: {title}"[:200]
        body = f"{what}\n\n{title}\n\n{settings.PUBLIC_URL}{reverse('records:submission_detail', args=[pk])}\n"

    def deliver() -> None:
        try:
            send_mail(subject, body, None, [to])
        except Exception:  # a mail server outage must not undo the decision; it is logged
            log.exception("could not e-mail %s about submission %s", to, pk)

    transaction.on_commit(deliver)


def _waiting_notice(user: User) -> str:
    with translation.override(user.language or "vi"):
        return _("A submission waits for your decision")


def _drafter_notice(user: User, key: str) -> str:
    with translation.override(user.language or "vi"):
        return {"returned": _("Your submission was returned with comments"),
                "approved": _("Your submission was approved")}[key]


# Drafting ------------------------------------------------------------------------------------

@dataclass
class SubmissionDraft:
    title: str
    body: str
    summary: str = ""
    matter: str = DEFAULT_MATTER
    confidentiality: int = Clearance.NONE
    urgency: int = Urgency.NORMAL
    related: list[int] = field(default_factory=list)  # Incoming ids
    files: list[Upload] = field(default_factory=list)


def _related(actor: User, ids: list[int]) -> list[Incoming]:
    wanted = sorted(set(ids))
    found = list(Incoming.objects.filter(visible_to(actor), pk__in=wanted))
    if len(found) != len(wanted):
        missing = sorted(set(wanted) - {i.pk for i in found})
        raise DomainError("unknown_document", _("No incoming document %(id)s that you may see") % {"id": missing[0]}, field="related")
    return found


def _check_files(files: list[Upload]) -> list[str]:
    return [check_upload(f, ATTACHMENT_TYPES, field="files") for f in files]


def _action(submission: Submission, actor: User, action: str, *, version: SubmissionVersion | None = None,
            comment: str = "", forwarded_to: User | None = None) -> SubmissionAction:
    return SubmissionAction.objects.create(
        submission=submission, step=submission.step, version=version or submission.versions.last(), actor=actor,
        action=action, comment=comment, forwarded_to=forwarded_to, at=timezone.now(),
    )


def earlier_submission(actor: User, idempotency_key: str | None) -> Submission | None:
    """The submission `actor` made with this Idempotency-Key before, if any."""
    if not idempotency_key:
        return None
    return Submission.objects.filter(created_by=actor, idempotency_key=idempotency_key).first()


def create_submission(*, actor: User, agency: Agency, draft: SubmissionDraft, idempotency_key: str | None = None) -> Submission:
    """A specialist drafts a submission: version 1 with its files, and its related documents.

    With an idempotency key, a retry returns the submission the first call made.
    """
    if not may(actor, "records.draft", agency):
        raise Forbidden("forbidden", _("Only the agency's specialists and leaders draft submissions"))
    earlier = earlier_submission(actor, idempotency_key)
    if earlier is not None:
        return earlier
    if not draft.title.strip():
        raise DomainError("required", _("The title is required"), field="title")
    if not draft.body.strip():
        raise DomainError("required", _("The submission's text is required"), field="body")
    check_marks(actor, urgency=draft.urgency, confidentiality=draft.confidentiality,
                above_clearance=_("You may not draft above your own clearance"))
    chain = ApprovalChain.objects.filter(agency=agency, matter=draft.matter or DEFAULT_MATTER, active=True).first()
    if chain is None:
        raise DomainError("unknown_matter", _("No approval chain for the matter “%(matter)s” in this agency") % {"matter": draft.matter}, field="matter")
    related = _related(actor, draft.related)
    types = _check_files(draft.files)
    try:
        with transaction.atomic():
            submission = Submission.objects.create(
                agency=agency, unit=actor.unit, chain=chain, title=draft.title.strip()[:500], summary=draft.summary.strip(),
                confidentiality=draft.confidentiality, urgency=draft.urgency, created_by=actor,
                idempotency_key=idempotency_key or None,
            )
            submission.related.set(related)
            version = SubmissionVersion.objects.create(submission=submission, number=1, body=draft.body.strip(), created_by=actor)
            for upload, ctype in zip(draft.files, types, strict=True):
                store(upload, ctype, role="draft", version=version, uploaded_by=actor)
            _action(submission, actor, "create", version=version)
            record_event("records.submission_created", actor=actor, obj=submission,
                         data={"chain": chain.matter, "files": len(draft.files), "related": [i.pk for i in related]})
    except IntegrityError:
        # The same key raced in from a retry: the first submission stands.
        found = earlier_submission(actor, idempotency_key)
        if found is None:
            raise
        return found
    return submission


def _locked(submission: Submission) -> Submission:
    return Submission.objects.select_for_update(of=("self",)).select_related("chain", "created_by").get(pk=submission.pk)


def revise_submission(*, actor: User, submission: Submission, body: str, note: str = "",
                      files: list[Upload] | None = None, keep: list[int] | None = None) -> SubmissionVersion:
    """The drafter makes a new version (the earlier ones stay as they were); `keep` carries files over."""
    if not may(actor, "records.view", submission) or submission.created_by_id != actor.pk:
        raise Forbidden("forbidden", _("Only the drafter revises a submission"))
    if not body.strip():
        raise DomainError("required", _("The submission's text is required"), field="body")
    uploads = files or []
    types = _check_files(uploads)
    with transaction.atomic():
        row = _locked(submission)
        if row.state not in EDITABLE:
            raise Conflict("invalid_state", _("Only a draft or a returned submission can be revised"))
        last = row.versions.order_by("-number").first()
        assert last is not None
        carried = list(last.files.filter(pk__in=keep or []))
        if keep and len(carried) != len(set(keep)):
            raise DomainError("unknown_file", _("A file to keep is not in the latest version"), field="keep")
        version = SubmissionVersion.objects.create(submission=row, number=last.number + 1, body=body.strip(),
                                                   note=note.strip()[:500], created_by=actor)
        for old in carried:  # the same stored bytes, listed again under the new version
            RecordFile.objects.create(version=version, file=old.file.name, name=old.name, content_type=old.content_type,
                                      size=old.size, sha256=old.sha256, role=old.role, text=old.text, uploaded_by=old.uploaded_by)
        for upload, ctype in zip(uploads, types, strict=True):
            store(upload, ctype, role="draft", version=version, uploaded_by=actor)
        _action(row, actor, "revise", version=version, comment=note.strip())
        record_event("records.submission_revised", actor=actor, obj=row,
                     data={"version": version.number, "kept": len(carried), "added": len(uploads)})
    return version


def submit_submission(*, actor: User, submission: Submission, reviewer: User | None = None) -> Submission:
    """Send a draft up its chain (first step), or a returned one back to whoever returned it."""
    if not may(actor, "records.view", submission) or submission.created_by_id != actor.pk:
        raise Forbidden("forbidden", _("Only the drafter submits a submission"))
    with transaction.atomic():
        row = _locked(submission)
        if row.state not in EDITABLE:
            raise Conflict("invalid_state", _("This submission is not a draft or returned"))
        resubmit = row.state == SubmissionState.RETURNED
        if not resubmit:
            row.step = 0
        if reviewer is None and resubmit:
            last_return = row.actions.filter(action="return").order_by("-at", "-id").first()
            previous = last_return.actor if last_return else None
            if previous is not None and previous in step_people(row, row.step):
                reviewer = previous
        chosen = _pick(row, row.step, reviewer, "reviewer")
        row.state, row.current_reviewer, row.submitted_at = SubmissionState.IN_REVIEW, chosen, timezone.now()
        row.save(update_fields=["state", "step", "current_reviewer", "submitted_at"])
        _action(row, actor, "resubmit" if resubmit else "submit", forwarded_to=chosen)
        record_event("records.submission_submitted", actor=actor, obj=row,
                     data={"step": row.step, "reviewer": chosen.username, "resubmit": resubmit})
        _notify(chosen, row, _waiting_notice(chosen))
    return row


def _reviewing(actor: User, submission: Submission) -> Submission:
    """Lock the submission and check it waits for `actor` (403 for anyone else; 409 if not in review)."""
    if not may(actor, "records.view", submission):
        raise Forbidden("forbidden", _("You may not act on this submission"))
    row = _locked(submission)
    if row.state != SubmissionState.IN_REVIEW:
        raise Conflict("invalid_state", _("This submission is not waiting for a decision"))
    if not may(actor, "records.review", row):
        raise Forbidden("not_your_turn", _("This submission waits for someone else's decision"))
    return row


def approve_submission(*, actor: User, submission: Submission, comment: str = "", next_reviewer: User | None = None) -> Submission:
    """Approve at this step: on to the next step's person, or, at the last step, approved."""
    with transaction.atomic():
        row = _reviewing(actor, submission)
        last = row.step >= len(row.chain.steps) - 1
        _action(row, actor, "approve", comment=comment.strip())
        if last:
            row.state, row.current_reviewer, row.decided_at = SubmissionState.APPROVED, None, timezone.now()
            row.save(update_fields=["state", "current_reviewer", "decided_at"])
            _notify(row.created_by, row, _drafter_notice(row.created_by, "approved"))
            chosen = None
        else:
            row.step += 1
            chosen = _pick(row, row.step, next_reviewer, "next_reviewer")
            row.current_reviewer, row.submitted_at = chosen, timezone.now()
            row.save(update_fields=["step", "current_reviewer", "submitted_at"])
            _notify(chosen, row, _waiting_notice(chosen))
        record_event("records.submission_approved", actor=actor, obj=row,
                     data={"step": row.step, "final": last, "next": chosen.username if chosen else None})
    return row


def return_submission(*, actor: User, submission: Submission, comment: str) -> Submission:
    """Send it back to the drafter with comments; they revise and resubmit."""
    with transaction.atomic():
        row = _reviewing(actor, submission)
        if not comment.strip():
            raise DomainError("required", _("Say what must change"), field="comment")
        _action(row, actor, "return", comment=comment.strip())
        row.state, row.current_reviewer = SubmissionState.RETURNED, None
        row.save(update_fields=["state", "current_reviewer"])
        record_event("records.submission_returned", actor=actor, obj=row, data={"step": row.step})
        _notify(row.created_by, row, _drafter_notice(row.created_by, "returned"))
    return row


def forward_submission(*, actor: User, submission: Submission, to: User, comment: str = "") -> Submission:
    """Hand the decision to a named person who may act at this step or a later one (never back down)."""
    with transaction.atomic():
        row = _reviewing(actor, submission)
        if to.pk == actor.pk:
            raise DomainError("invalid_forward", _("Forward it to someone else"), field="to")
        target = next((i for i in range(row.step, len(row.chain.steps)) if to in step_people(row, i)), None)
        if target is None:
            raise DomainError("not_eligible", _("%(name)s cannot decide on this submission at this step or a later one") % {"name": to}, field="to")
        _action(row, actor, "forward", comment=comment.strip(), forwarded_to=to)
        row.step, row.current_reviewer, row.submitted_at = target, to, timezone.now()
        row.save(update_fields=["step", "current_reviewer", "submitted_at"])
        record_event("records.submission_forwarded", actor=actor, obj=row, data={"to": to.username, "step": target})
        _notify(to, row, _waiting_notice(to))
    return row


def withdraw_submission(*, actor: User, submission: Submission, comment: str = "") -> Submission:
    """The drafter takes back a submission not yet decided."""
    if not may(actor, "records.view", submission) or submission.created_by_id != actor.pk:
        raise Forbidden("forbidden", _("Only the drafter withdraws a submission"))
    with transaction.atomic():
        row = _locked(submission)
        if row.state not in OPEN_STATES:
            raise Conflict("invalid_state", _("This submission is already decided or withdrawn"))
        _action(row, actor, "withdraw", comment=comment.strip())
        row.state, row.current_reviewer, row.decided_at = SubmissionState.WITHDRAWN, None, timezone.now()
        row.save(update_fields=["state", "current_reviewer", "decided_at"])
        record_event("records.submission_withdrawn", actor=actor, obj=row, data={})
    return row


def candidates(submission: Submission) -> dict[str, Any]:
    """Who could receive it next: for submitting (this step) and approving (the next step)."""
    now = step_people(submission, submission.step)
    after = step_people(submission, submission.step + 1)
    return {"this_step": now, "next_step": after}
