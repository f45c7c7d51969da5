"""Written ballots of government members: prepare, send, answer (signed), remind, close and
count, draft the decision in the registry.

An answer is refused, changing nothing, when it comes after the deadline, from someone the
ballot was not sent to, a second time where changes are not allowed, with an option the
ballot does not offer, or with a signature that does not verify.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govoffice.audit.services import record_event
from govoffice.cabinet import signatures
from govoffice.cabinet.models import (
    Answer,
    Ballot,
    BallotMember,
    BallotState,
    NonAnswer,
    Question,
    RegistryMaterial,
)
from govoffice.cabinet.services import files
from govoffice.cabinet.services.meetings import _members, government_members
from govoffice.cabinet.tally import DEFAULT_OPTIONS, FOR, NEITHER, tally_ballot
from govoffice.directory.models import Role, User
from govoffice.directory.permissions import may
from govoffice.lib.errors import Conflict, DomainError, Forbidden, NotFound
from govoffice.lib.vntext import fold
from govoffice.notify.services import send_notice
from govoffice.records.files import Upload
from govoffice.records.models import Incoming
from govoffice.signing.people import current_key, signer_identity

SIDES = ("for", "against", "neither")
MAX_QUESTIONS = 20
MAX_COMMENT = 4000
CHANNELS = ("email", "sms")


@dataclass
class BallotIn:
    title: str
    questions: list[str]
    deadline: dt.datetime
    summary: str = ""
    options: list[dict[str, str]] | None = None  # None: agree / disagree / other opinion
    allow_change: bool = True
    close_when_all_answered: bool = True
    non_answer: str = NonAnswer.NOT_FOR
    prime_minister: str = ""  # username; empty: the member who holds the Prime Minister's position
    registry: list[str] = field(default_factory=list)
    uploads: list[Upload] = field(default_factory=list)


def _require_staff(actor: User) -> None:
    if not may(actor, "cabinet.manage"):
        raise Forbidden("forbidden", _("Only the cabinet secretariat prepares and closes ballots"))


def _options(raw: list[dict[str, str]] | None) -> list[dict[str, str]]:
    if raw is None:
        return [dict(o) for o in DEFAULT_OPTIONS]
    out: list[dict[str, str]] = []
    for o in raw:
        code, label, side = str(o.get("code", "")).strip(), str(o.get("label", "")).strip(), str(o.get("counts_as", NEITHER))
        if not code or not label or len(code) > 32:
            raise DomainError("invalid_options", _("Each option needs a code (up to 32 characters) and a label"), field="options")
        if side not in SIDES:
            raise DomainError("invalid_options", _("An option counts as for, against or neither"), field="options")
        out.append({"code": code, "label": label[:100], "counts_as": side})
    codes = [o["code"] for o in out]
    if len(out) < 2 or len(set(codes)) != len(codes):
        raise DomainError("invalid_options", _("A ballot offers at least two options with different codes"), field="options")
    if not any(o["counts_as"] == FOR for o in out):
        raise DomainError("invalid_options", _("One option at least must count as agreeing"), field="options")
    return out


def prime_minister_among(members: list[User]) -> User | None:
    """The member whose position is Thủ tướng (not Phó Thủ tướng), holding the government leader's role."""
    for m in members:
        title = fold(m.position)
        if m.has_role(Role.GOVERNMENT_LEADER) and "thu tuong" in title and "pho thu tuong" not in title:
            return m
    return None


def create_ballot(*, actor: User, data: BallotIn, idempotency_key: str | None = None) -> Ballot:
    """Prepare a ballot: the matter, its questions and drafts, the deadline, options and rules."""
    _require_staff(actor)
    if idempotency_key:
        earlier = Ballot.objects.filter(created_by=actor, idempotency_key=idempotency_key).first()
        if earlier is not None:
            return earlier
    if not data.title.strip():
        raise DomainError("required", _("The matter is required"), field="title")
    questions = [q.strip() for q in data.questions if q.strip()]
    if not questions:
        raise DomainError("required", _("A ballot asks at least one question"), field="questions")
    if len(questions) > MAX_QUESTIONS:
        raise DomainError("too_many_questions", _("At most %(n)s questions") % {"n": MAX_QUESTIONS}, field="questions")
    if timezone.is_naive(data.deadline):
        raise DomainError("invalid_datetime", _("The deadline needs a time zone"), field="deadline")
    if data.deadline <= timezone.now():
        raise DomainError("deadline_passed", _("The deadline must be in the future"), field="deadline")
    if data.non_answer not in NonAnswer.values:
        raise DomainError("invalid_choice", _("Non-answers count as: %(list)s") % {"list": ", ".join(NonAnswer.values)}, field="non_answer")
    options = _options(data.options)
    pm = _members([data.prime_minister], "prime_minister")[0] if data.prime_minister.strip() else None
    docs = [files.registry_document(actor, ref) for ref in data.registry]
    checked = [(u, files.check(u)) for u in data.uploads]
    with transaction.atomic():
        ballot = Ballot.objects.create(
            title=data.title.strip()[:500], summary=data.summary.strip(), deadline=data.deadline, options=options,
            allow_change=data.allow_change, close_when_all_answered=data.close_when_all_answered,
            non_answer=data.non_answer, prime_minister=pm, created_by=actor, idempotency_key=idempotency_key or None,
        )
        Question.objects.bulk_create([Question(ballot=ballot, order=i, text=q) for i, q in enumerate(questions, 1)])
        RegistryMaterial.objects.bulk_create([
            RegistryMaterial(ballot=ballot, **({"incoming": d} if isinstance(d, Incoming) else {"outgoing": d})) for d in docs
        ])
        stored = [files.store(u, ctype, actor=actor, ballot=ballot) for u, ctype in checked]
        record_event("cabinet.ballot_created", actor=actor, obj=ballot, data={
            "title": ballot.title, "questions": len(questions), "deadline": ballot.deadline.isoformat(), "options": [o["code"] for o in options],
            "allow_change": ballot.allow_change, "non_answer": ballot.non_answer, "files": [f.sha256 for f in stored]})
    return ballot


def _locked(ballot: Ballot) -> Ballot:
    return Ballot.objects.select_for_update().get(pk=ballot.pk)


def _notice_body(ballot: Ballot, lead: str) -> str:
    deadline = timezone.localtime(ballot.deadline)
    return f"{lead}\n{ballot.title}\nHạn trả lời: {deadline:%H:%M ngày %d/%m/%Y}.\nVào govoffice, mục Phiếu lấy ý kiến, để đọc hồ sơ, trả lời và ký."


def open_ballot(*, actor: User, ballot: Ballot, members: list[str] | None = None) -> Ballot:
    """Send the ballot to every government member (or those named): e-mail, SMS and the home page."""
    _require_staff(actor)
    seated = _members(members, "members") if members else list(government_members().order_by("username"))
    if not seated:
        raise DomainError("no_members", _("No government member to send the ballot to"), field="members")
    with transaction.atomic():
        row = _locked(ballot)
        if row.state != BallotState.DRAFT:
            raise Conflict("already_sent", _("The ballot was already sent"))
        if row.deadline <= timezone.now():
            raise Conflict("deadline_passed", _("The deadline has passed; set a new one before sending"), field="deadline")
        pm = row.prime_minister or prime_minister_among(seated)
        if pm is not None and pm.pk not in {m.pk for m in seated}:
            raise DomainError("prime_minister_not_member", _("The Prime Minister must be among the members asked"), field="prime_minister")
        now = timezone.now()
        row.state, row.opened_at, row.prime_minister = BallotState.OPEN, now, pm
        row.save(update_fields=["state", "opened_at", "prime_minister"])
        BallotMember.objects.bulk_create([BallotMember(ballot=row, member=m, notified_at=now) for m in seated])
        for m in seated:
            send_notice(to=m, subject=f"Phiếu lấy ý kiến: {row.title}"[:255], body=_notice_body(row, "Đề nghị đồng chí cho ý kiến:"),
                        kind="cabinet.ballot", ref=f"ballot-{row.pk}", channels=CHANNELS, actor=actor)
        record_event("cabinet.ballot_opened", actor=actor, obj=row,
                     data={"members": [m.username for m in seated], "prime_minister": pm.username if pm else None})
    return row


def clean_choices(ballot: Ballot, raw: dict[str, Any]) -> dict[str, dict[str, str]]:
    questions = [str(pk) for pk in ballot.questions.values_list("pk", flat=True)]
    codes = ballot.option_codes()
    extra = sorted(set(raw) - set(questions))
    if extra:
        raise DomainError("unknown_question", _("The ballot has no question %(id)s") % {"id": extra[0]}, field="answers")
    out: dict[str, dict[str, str]] = {}
    for i, key in enumerate(questions, 1):
        given = raw.get(key)
        if not given or not str(given.get("option", "")).strip():
            raise DomainError("missing_answer", _("Question %(n)s has no answer") % {"n": i}, field="answers")
        option = str(given["option"]).strip()
        if option not in codes:
            raise DomainError("unknown_option", _("“%(option)s” is not an option of this ballot (%(list)s)") % {"option": option, "list": ", ".join(codes)},
                              field="answers")
        comment = str(given.get("comment", "") or "").strip()
        if len(comment) > MAX_COMMENT:
            raise DomainError("comment_too_long", _("A comment is at most %(n)s characters") % {"n": MAX_COMMENT}, field="answers")
        out[key] = {"option": option, "comment": comment}
    return out


def answer_payload(ballot: Ballot, member: User, choices: dict[str, dict[str, str]]) -> bytes:
    """The bytes a member signs for their next answer to `ballot` (clients that sign themselves use this)."""
    revision = (Answer.objects.filter(ballot=ballot, member=member).order_by("-revision").values_list("revision", flat=True).first() or 0) + 1
    return signatures.canonical(ballot_id=ballot.pk, username=member.username, revision=revision, answers=choices)


def _check_open(ballot: Ballot, actor: User, now: dt.datetime) -> None:
    if ballot.state == BallotState.CLOSED or ballot.deadline <= now:
        raise Conflict("deadline_passed", _("The ballot closed at %(when)s; answers are no longer taken")
                       % {"when": f"{timezone.localtime(ballot.deadline):%H:%M %d/%m/%Y}"})
    current = Answer.objects.filter(ballot=ballot, member=actor, current=True).first()
    if current is not None and not ballot.allow_change:
        raise Conflict("already_answered", _("You have answered and this ballot does not allow changes"))


def answer_ballot(*, actor: User, ballot: Ballot, answers: dict[str, Any], password: str = "", signature: str = "") -> Answer:
    """A member answers every question and signs: with their own signature over answer_payload, or by
    confirming their password so the platform signs with the key it keeps for them."""
    if not may(actor, "cabinet.answer", ballot):
        raise Forbidden("not_a_member", _("This ballot was not sent to you"))
    _check_open(ballot, actor, timezone.now())
    choices = clean_choices(ballot, answers)
    key_row = current_key(actor)
    if key_row is None:
        signer_identity(actor)  # raises the Conflict that says how to get a key
        raise AssertionError("unreachable")
    payload = answer_payload(ballot, actor, choices)
    if signature:
        if not signatures.verify(key_row.certificate, payload, signature):
            raise DomainError("invalid_signature", _("The signature does not verify with your certificate over this answer"), field="signature")
        by_server = False
    else:
        if not password or not actor.check_password(password):
            raise DomainError("wrong_password", _("Confirm with your password to sign"), field="password")
        signature = signatures.sign(signer_identity(actor).key, payload)
        by_server = True
    now = timezone.now()
    with transaction.atomic():
        row = _locked(ballot)
        _check_open(row, actor, now)
        previous = Answer.objects.select_for_update().filter(ballot=row, member=actor, current=True).first()
        revision = previous.revision + 1 if previous else 1
        if signatures.canonical(ballot_id=row.pk, username=actor.username, revision=revision, answers=choices) != payload:
            raise Conflict("answer_changed_meanwhile", _("Your answer changed in another window; reload and sign again"))
        if previous is not None:
            Answer.objects.filter(pk=previous.pk).update(current=False)
        answer = Answer.objects.create(ballot=row, member=actor, revision=revision, current=True, choices=choices,
                                       payload=payload.decode("utf-8"), signature=signature, certificate=key_row.certificate,
                                       signed_by_server=by_server, answered_at=now)
        BallotMember.objects.filter(ballot=row, member=actor).update(answered_at=now)
        record_event("cabinet.answer_changed" if previous else "cabinet.answer_given", actor=actor, obj=answer, data={
            "ballot": row.pk, "revision": revision, "answers": {k: v["option"] for k, v in choices.items()},
            "before": {k: v["option"] for k, v in previous.choices.items()} if previous else None,
            "certificate": key_row.certificate.fingerprint, "signed_by_server": by_server})
        if row.close_when_all_answered and not row.members.filter(answered_at__isnull=True).exists():
            _close(row, actor=None, reason="all_answered")
    return answer


def current_answers(ballot: Ballot) -> dict[int, Answer]:
    return {a.member_id: a for a in ballot.answers.filter(current=True).select_related("member", "certificate")}


def compute_result(ballot: Ballot) -> dict[str, Any]:
    """The tally of the ballot as it stands (members by username)."""
    names = list(ballot.members.values_list("member__username", flat=True))
    answers = {username: {k: v["option"] for k, v in choices.items()}
               for username, choices in ballot.answers.filter(current=True).values_list("member__username", "choices")}
    pm = ballot.prime_minister.username if ballot.prime_minister_id and ballot.prime_minister else None
    result = tally_ballot(members=names, questions=list(ballot.questions.values_list("pk", flat=True)), answers=answers,
                          options=ballot.options, non_answer=ballot.non_answer, prime_minister=pm)
    result["rule"] = {"threshold": "more_than_half_of_all_members", "non_answer": ballot.non_answer, "tie": "prime_minister", "prime_minister": pm}
    return result


def _close(row: Ballot, *, actor: User | None, reason: str) -> None:
    now = timezone.now()
    late = list(row.members.filter(answered_at__isnull=True).values_list("pk", flat=True))
    BallotMember.objects.filter(pk__in=late).update(late=True)
    row.state, row.closed_at = BallotState.CLOSED, now
    row.result = compute_result(row)
    row.result["closed_because"] = reason
    row.save(update_fields=["state", "closed_at", "result"])
    record_event("cabinet.ballot_closed", actor=actor, obj=row, data={
        "reason": reason, "adopted": row.result["adopted"], "answered": row.result["answered"], "members": row.result["members"], "late": len(late)})


def close_ballot(*, actor: User | None, ballot: Ballot, reason: str = "closed_by_staff") -> Ballot:
    """Close and count: at the deadline (the sweep, actor None) or early by the secretariat."""
    if actor is not None:
        _require_staff(actor)
    with transaction.atomic():
        row = _locked(ballot)
        if row.state != BallotState.OPEN:
            raise Conflict("not_open", _("Only an open ballot can be closed"))
        _close(row, actor=actor, reason=reason)
    return row


def close_due_ballots() -> int:
    """The sweep: close every open ballot whose deadline has passed; returns how many."""
    n = 0
    for ballot in Ballot.objects.filter(state=BallotState.OPEN, deadline__lte=timezone.now()).order_by("pk"):
        try:
            close_ballot(actor=None, ballot=ballot, reason="deadline")
        except Conflict:
            continue  # closed meanwhile (all answered)
        n += 1
    return n


def send_reminders(hours: int | None = None) -> int:
    """Remind, once, each member who has not answered a ballot whose deadline is within `hours`."""
    window = int(hours if hours is not None else files.conf("reminder_hours"))
    now = timezone.now()
    seats = list(BallotMember.objects.select_related("ballot", "member").filter(
        ballot__state=BallotState.OPEN, ballot__deadline__gt=now, ballot__deadline__lte=now + dt.timedelta(hours=window),
        answered_at__isnull=True, reminded_at__isnull=True).order_by("ballot_id", "pk"))
    by_ballot: dict[int, list[BallotMember]] = {}
    for s in seats:
        by_ballot.setdefault(s.ballot_id, []).append(s)
    for group in by_ballot.values():
        with transaction.atomic():
            ballot = group[0].ballot
            fresh = BallotMember.objects.select_for_update().filter(pk__in=[s.pk for s in group], answered_at__isnull=True, reminded_at__isnull=True)
            sent = []
            for s in fresh.select_related("member"):
                send_notice(to=s.member, subject=f"Nhắc: phiếu lấy ý kiến {ballot.title}"[:255],
                            body=_notice_body(ballot, "Đồng chí chưa cho ý kiến; hạn sắp đến:"),
                            kind="cabinet.reminder", ref=f"ballot-{ballot.pk}", channels=CHANNELS)
                sent.append(s.pk)
            BallotMember.objects.filter(pk__in=sent).update(reminded_at=now)
            record_event("cabinet.ballot_reminded", obj=ballot, data={"members": len(sent)})
    return len(seats)


def draft_decision(*, actor: User, ballot: Ballot) -> Ballot:
    """Draft in the registry the document that carries the result on: a resolution (NQ) when adopted, a notice (TB) when not."""
    from govoffice.records.services.outgoing import OutgoingDraft, authorities, create_outgoing

    _require_staff(actor)
    if actor.agency is None or not may(actor, "records.draft", actor.agency):
        raise Forbidden("cannot_draft", _("Drafting in the registry needs a drafter's role (specialist) there as well"))
    with transaction.atomic():
        row = _locked(ballot)
        if row.state != BallotState.CLOSED:
            raise Conflict("not_closed", _("The decision is drafted after the ballot closes"))
        if row.decision_id is not None:
            raise Conflict("already_drafted", _("The decision is already drafted in the registry"))
        adopted = bool(row.result.get("adopted"))
        shorts = {s for s, _n in authorities(actor.agency)}
        lines = [f"Kết quả lấy ý kiến thành viên Chính phủ về {row.title}:"]
        for i, q in enumerate(row.questions.all(), 1):
            r = row.result["questions"].get(str(q.pk), {})
            lines.append(f"{i}. {q.text} – tán thành {r.get('for', 0)}/{r.get('denominator', 0)}: "
                         f"{'thông qua' if r.get('adopted') else 'không thông qua'}.")
        doc = create_outgoing(actor=actor, agency=actor.agency, draft=OutgoingDraft(
            doc_type="NQ" if adopted else "TB", subject=("Nghị quyết về " if adopted else "Thông báo kết quả lấy ý kiến về ") + row.title,
            body="\n".join(lines), authority="CP" if adopted and "CP" in shorts else ""))
        row.decision = doc
        row.save(update_fields=["decision"])
        record_event("cabinet.decision_drafted", actor=actor, obj=row, data={"outgoing": doc.pk, "doc_type": doc.doc_type})
    return row


def ballot_or_404(user: User, pk: int) -> Ballot:
    row = Ballot.objects.select_related("prime_minister", "decision").filter(pk=pk).first()
    if row is None or not may(user, "cabinet.view_ballot", row):
        raise NotFound("not_found", _("No such ballot"))
    return row
