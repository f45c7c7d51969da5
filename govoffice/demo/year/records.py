"""The demo year in the office's registry: about 120,000 incoming documents registered (most
through the hub), 14,000 submissions to leaders and 26,000 documents issued at scale 1.

Handling is realistic: most incoming documents are assigned with a deadline from the working-day
calendar and finished on time, some late, a few still open (overdue); most submissions are
approved, some returned or still waiting for a leader. Issued documents are numbered in their
series without gaps, and the open ones leave through the hub (one message each, acknowledged).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.db import models, transaction
from django.db.models import Max
from govoffice_agent import edxml

from govoffice.audit.services import record_event
from govoffice.deadlines import calendar
from govoffice.demo.year import vocab
from govoffice.demo.year.context import VN, YearContext
from govoffice.demo.year.exchange import Draft, insert, tail
from govoffice.demo.year.plan import hub_window, local_date, plan
from govoffice.directory.models import Agency, Clearance, Role, User
from govoffice.exchange.models import Kind, Message
from govoffice.lib.errors import DomainError
from govoffice.records.models import (
    Assignment,
    Channel,
    DocType,
    Incoming,
    IncomingState,
    NumberSeries,
    Outgoing,
    OutgoingState,
    Submission,
    SubmissionAction,
    SubmissionState,
    SubmissionVersion,
    Urgency,
)
from govoffice.records.services.incoming import ARRIVAL_SERIES
from govoffice.records.services.numbering import notation, series_key
from govoffice.records.services.outgoing import edxml_type
from govoffice.records.services.submissions import seed_chains

CHUNK = 5_000
# Shares of the year's work (choices where the seed is silent; docs/reports.md).
ASSIGNED_SHARE = 0.65  # incoming documents a leader assigns with a deadline; the rest are filed for information
LATE_SHARE = 0.06  # assigned documents finished after their deadline
OPEN_SHARE = 0.02  # assigned documents still not finished (overdue today)
ISSUED_TYPES = [  # (type, authority short or "" for the office itself, weight)
    (DocType.CONG_VAN, "", 52), (DocType.THONG_BAO, "", 12), (DocType.BAO_CAO, "", 4), (DocType.QUYET_DINH, "TTg", 14),
    (DocType.CHI_THI, "TTg", 2), (DocType.CONG_DIEN, "TTg", 5), (DocType.NGHI_QUYET, "CP", 4),
    (DocType.QUYET_DINH, "", 3), (DocType.TO_TRINH, "", 4),
]
AUTHORITY_NAMES = {"TTg": "Thủ tướng Chính phủ", "CP": "Chính phủ"}


@dataclass
class Cast:
    clerk: User
    specialist: User
    department_head: User
    leader: User  # the office leader who assigns and decides
    signer: User  # who signs what the Prime Minister issues


def cast(ctx: YearContext) -> Cast:
    """The demo people who do the year's work, by role (the demo logins)."""
    def first(*roles: str) -> User:
        for person in ctx.people.values():
            if person.agency_id == ctx.office.pk and person.has_role(*roles):
                return person
        found = User.objects.filter(agency=ctx.office, is_active=True, roles__role__in=roles).order_by("pk").first()
        if found is None:
            raise DomainError("demo_people_missing", f"The demo year needs someone in the office with a role among {', '.join(roles)}")
        return found

    leader = first(Role.OFFICE_LEADER)
    return Cast(first(Role.CLERK), first(Role.SPECIALIST), first(Role.DEPARTMENT_HEAD, Role.OFFICE_LEADER), leader,
                first(Role.GOVERNMENT_LEADER, Role.OFFICE_LEADER))


@contextmanager
def given_times(*fields: tuple[type[models.Model], str]) -> Iterator[None]:
    """Let bulk inserts keep the demo's dates in auto_now_add fields (created_at of 2019, not today)."""
    found: list[Any] = [model._meta.get_field(name) for model, name in fields]
    saved = [f.auto_now_add for f in found]
    try:
        for f in found:
            f.auto_now_add = False
        yield
    finally:
        for f, value in zip(found, saved, strict=True):
            f.auto_now_add = value


@cache
def workdays_after(day: dt.date, n: int) -> dt.date:
    return calendar().add(day, n)


def after(at: dt.datetime, rng: random.Random, low_minutes: int, high_minutes: int) -> dt.datetime:
    return at + dt.timedelta(minutes=rng.randint(low_minutes, high_minutes))


def next_in_series(agency: Agency, year: int, key: str) -> int:
    row = NumberSeries.objects.filter(agency=agency, year=year, key=key).first()
    return row.last_number if row else 0


def save_series(agency: Agency, year: int, last: dict[str, int]) -> dict[str, NumberSeries]:
    out = {}
    for key, number in last.items():
        series, _ = NumberSeries.objects.get_or_create(agency=agency, year=year, key=key)
        series.last_number = max(series.last_number, number)
        series.save(update_fields=["last_number"])
        out[key] = series
    return out


# Incoming -----------------------------------------------------------------------------------

def _hub_arrivals(ctx: YearContext, limit: int) -> list[Any]:
    """The documents the hub delivered to the office in the year, oldest first (from exchange.py)."""
    start = dt.datetime(ctx.year, 1, 1, tzinfo=VN)
    end = dt.datetime(ctx.year + 1, 1, 1, tzinfo=VN)
    registered = Incoming.objects.filter(agency=ctx.office, hub_message__isnull=False).values("hub_message_id")
    return list(
        Message.objects.filter(kind=Kind.DOCUMENT, business_doc_type=0, deliveries__recipient=ctx.office,
                               received_at__gte=start, received_at__lt=end)
        .exclude(sender=ctx.office).exclude(pk__in=registered)
        .order_by("received_at", "pk")
        .values("id", "sender_id", "document_id", "notation", "subject", "received_at")[:limit]
    )


def _incoming_rows(ctx: YearContext, rng: random.Random, people: Cast) -> list[Incoming]:
    volumes = plan(ctx)
    senders = {a.pk: a for a in ctx.members}
    arrivals = _hub_arrivals(ctx, volumes.received_electronic)
    rows: list[Incoming] = []
    for m in arrivals:
        sender = senders.get(m["sender_id"]) or Agency.objects.get(pk=m["sender_id"])
        rows.append(Incoming(
            agency=ctx.office, arrived_at=m["received_at"], channel=Channel.ELECTRONIC, hub_message_id=m["id"],
            document_id=m["document_id"], sender=sender, sender_name=sender.name_vi, number_notation=m["notation"],
            document_date=local_date(m["received_at"]), doc_type=DocType.CONG_VAN, subject=m["subject"] or vocab.subject(rng),
        ))
    others = [a for a in ctx.members if a.pk != ctx.office.pk] or [ctx.office]
    paper_types = [DocType.CONG_VAN] * 6 + [DocType.BAO_CAO, DocType.TO_TRINH, DocType.THONG_BAO, DocType.GIAY_MOI]
    for _ in range(volumes.received - len(rows)):
        sender = rng.choice(others)
        at = ctx.moment(rng)
        doc_type = rng.choice(paper_types)
        abbr = "" if doc_type == DocType.CONG_VAN else f"{doc_type}-"
        rows.append(Incoming(
            agency=ctx.office, arrived_at=at, channel=Channel.PAPER, sender=sender, sender_name=sender.name_vi,
            number_notation=f"{rng.randint(1, 9999)}/{abbr}{tail(sender)}", doc_type=doc_type,
            document_date=local_date(at) - dt.timedelta(days=rng.randint(0, 5)), subject=vocab.subject(rng),
            pages=rng.randint(1, 30),
        ))
    rows.sort(key=lambda r: (r.arrived_at, r.document_id, r.number_notation))
    first = next_in_series(ctx.office, ctx.year, ARRIVAL_SERIES)
    for i, row in enumerate(rows, start=1):
        row.year = ctx.year
        row.arrival_number = first + i
        row.registered_at = after(row.arrived_at, rng, 2, 90)
        row.registered_by = people.clerk
        row.state = IncomingState.REGISTERED
        row.urgency = rng.choices((Urgency.NORMAL, Urgency.KHAN, Urgency.THUONG_KHAN, Urgency.HOA_TOC), (90, 7, 2, 1))[0]
        row.confidentiality = Clearance.MAT if rng.random() < 0.03 else Clearance.NONE
    return rows


def _handle(ctx: YearContext, rng: random.Random, people: Cast, row: Incoming) -> Assignment | None:
    """The leader's direction and the outcome: on time, late, or still open (overdue)."""
    row.presented_to, row.presented_at = people.leader, after(row.registered_at, rng, 10, 240)  # type: ignore[arg-type]
    if rng.random() >= ASSIGNED_SHARE:
        row.state, row.completed_at = IncomingState.DONE, after(row.presented_at, rng, 30, 600)
        return None
    assigned_at = after(row.presented_at, rng, 30, 1200)
    deadline = workdays_after(local_date(assigned_at), rng.randint(5, 15))
    roll = rng.random()
    if roll < OPEN_SHARE:
        row.state = IncomingState.PROCESSING
    else:
        row.state = IncomingState.DONE
        due_end = dt.datetime.combine(deadline, dt.time(17), tzinfo=VN)
        if roll < OPEN_SHARE + LATE_SHARE:
            row.completed_at = due_end + dt.timedelta(days=rng.randint(1, 20))
        else:
            span = max(int((due_end - assigned_at).total_seconds() // 60), 60)
            row.completed_at = after(assigned_at, rng, 30, span)
    return Assignment(
        incoming=row, lead_person=people.specialist, lead_unit=people.specialist.unit, direction=rng.choice(vocab.DIRECTIONS),
        deadline=deadline, assigned_by=people.leader, assigned_at=assigned_at,
    )


def make_incoming(ctx: YearContext, rng: random.Random, people: Cast) -> int:
    rows = _incoming_rows(ctx, rng, people)
    total = len(rows)
    for start in range(0, total, CHUNK):
        chunk = rows[start:start + CHUNK]
        handled = [_handle(ctx, rng, people, row) for row in chunk]
        Incoming.objects.bulk_create(chunk, batch_size=1_000)
        Assignment.objects.bulk_create([a for a in handled if a is not None], batch_size=1_000)
        ctx.progress("records: incoming", start + len(chunk), total)
    if rows:
        save_series(ctx.office, ctx.year, {ARRIVAL_SERIES: rows[-1].arrival_number or 0})
    return total


# Submissions --------------------------------------------------------------------------------

def make_submissions(ctx: YearContext, rng: random.Random, people: Cast) -> int:
    chain = seed_chains(ctx.office)
    total = plan(ctx).submissions
    done = 0
    while done < total:
        n = min(CHUNK, total - done)
        rows, versions, actions = [], [], []
        for _ in range(n):
            submitted = ctx.moment(rng)
            roll = rng.random()
            state = (SubmissionState.APPROVED if roll < 0.88 else SubmissionState.RETURNED if roll < 0.94
                     else SubmissionState.IN_REVIEW if roll < 0.98 else SubmissionState.WITHDRAWN)
            title = vocab.submission_title(rng)
            row = Submission(
                agency=ctx.office, unit=people.specialist.unit, chain=chain, title=title[:500],
                summary=f"Kính trình Lãnh đạo xem xét, cho ý kiến: {title}.", state=state,
                urgency=Urgency.KHAN if rng.random() < 0.08 else Urgency.NORMAL, created_by=people.specialist,
                created_at=submitted - dt.timedelta(hours=rng.randint(2, 72)), submitted_at=submitted,
                current_reviewer=people.leader if state == SubmissionState.IN_REVIEW else None,
            )
            decided = after(submitted, rng, 60, 60 * 24 * 5)
            if state in (SubmissionState.APPROVED, SubmissionState.WITHDRAWN):
                row.decided_at = decided
            rows.append(row)
            versions.append(SubmissionVersion(submission=row, number=1, body=row.summary, created_by=people.specialist,
                                              created_at=row.created_at))
            actions.append(SubmissionAction(submission=row, step=0, actor=people.specialist, action="submit",
                                            forwarded_to=people.leader, at=submitted))
            follow = {SubmissionState.APPROVED: ("approve", people.leader), SubmissionState.RETURNED: ("return", people.leader),
                      SubmissionState.WITHDRAWN: ("withdraw", people.specialist)}.get(state)
            if follow is not None:
                actions.append(SubmissionAction(submission=row, step=0, actor=follow[1], action=follow[0], at=decided,
                                                comment="Đồng ý." if follow[0] == "approve" else "Đề nghị bổ sung, hoàn thiện."
                                                if follow[0] == "return" else ""))
        with given_times((Submission, "created_at"), (SubmissionVersion, "created_at")):
            Submission.objects.bulk_create(rows, batch_size=1_000)
            SubmissionVersion.objects.bulk_create(versions, batch_size=1_000)
        SubmissionAction.objects.bulk_create(actions, batch_size=1_000)
        done += n
        ctx.progress("records: submissions", done, total)
    return total


# Issued documents ---------------------------------------------------------------------------

def make_issued(ctx: YearContext, rng: random.Random, people: Cast) -> tuple[int, int]:
    volumes = plan(ctx)
    units = list(Agency.objects.filter(parent=ctx.office, active=True).order_by("code"))
    recipients_pool = [a for a in ctx.members if a.pk != ctx.office.pk]
    own_short = ctx.office.short_name or ctx.office.code
    kinds = rng.choices(ISSUED_TYPES, weights=[w for *_x, w in ISSUED_TYPES], k=volumes.issued)
    secret = set(rng.sample(range(volumes.issued), volumes.issued_secret))
    start, end = hub_window(ctx)
    # Enough of them dated while the hub ran that exactly the planned number can leave through
    # it, whatever the draw (secret ones never do, so they are counted in the quota too).
    in_window = min(volumes.issued, volumes.hub_from_office + volumes.issued_secret)
    times = sorted([ctx.moment(rng, start=start, end=end) for _ in range(in_window)]
                   + [ctx.moment(rng) for _ in range(volumes.issued - in_window)])
    numbers: dict[str, int] = {}
    rows: list[Outgoing] = []
    recipients: list[list[Agency]] = []
    for i, (issued_at, (doc_type, authority, _w)) in enumerate(zip(times, kinds, strict=True)):
        confidentiality = Clearance.MAT if i in secret else Clearance.NONE
        key = series_key(doc_type, confidentiality, authority)
        if key not in numbers:
            numbers[key] = next_in_series(ctx.office, ctx.year, key)
        numbers[key] += 1
        short = authority or own_short
        unit = rng.choice(units) if units else None
        text = notation(numbers[key], doc_type, short, unit.short_name if unit else "", secret=confidentiality > 0)
        day = local_date(issued_at)
        code_number, code_notation = text.split("/", 1)
        subject = vocab.subject(rng)
        rows.append(Outgoing(
            agency=ctx.office, drafting_unit=unit, authority_short=short,
            authority_name=AUTHORITY_NAMES.get(authority, ctx.office.name_vi), doc_type=doc_type, subject=subject,
            body=vocab.body(subject, rng), confidentiality=confidentiality, state=OutgoingState.ISSUED,
            signer=people.signer if authority else people.leader, approved_by=people.leader,
            approved_at=issued_at - dt.timedelta(hours=rng.randint(2, 48)), signed_at=issued_at - dt.timedelta(minutes=rng.randint(10, 120)),
            year=day.year, number=numbers[key], notation=text, issued_at=issued_at, issued_by=people.clerk,
            document_id=edxml.make_document_id(ctx.office.code, day, edxml.Code(code_number, code_notation)),
            created_by=people.specialist, created_at=issued_at - dt.timedelta(days=rng.randint(1, 10)),
        ))
        to = rng.sample(recipients_pool, min(len(recipients_pool), 1 if rng.random() < 0.7 else rng.randint(2, 6)))
        recipients.append(to)
    series = save_series(ctx.office, ctx.year, numbers)
    eligible = []
    for i, (row, to) in enumerate(zip(rows, recipients, strict=True)):
        row.series = series[series_key(row.doc_type, row.confidentiality, "" if row.authority_short == own_short else row.authority_short)]
        if row.confidentiality == Clearance.NONE and to and start <= local_date(row.issued_at) <= end:  # type: ignore[arg-type]
            eligible.append(i)
    # Exactly the planned number leave through the hub (the others went on paper).
    drafts = []
    for i in sorted(rng.sample(eligible, min(volumes.hub_from_office, len(eligible)))):
        row, to = rows[i], recipients[i]
        row.dispatched_at = after(row.issued_at, rng, 1, 20)  # type: ignore[arg-type]
        code_number, code_notation = row.notation.split("/", 1)
        drafts.append((row, Draft(ctx.office, to, row.dispatched_at, code_number, code_notation, row.subject,
                                  edxml_type(row.doc_type), row.get_doc_type_display(), row.document_id)))
    through = Outgoing.recipients.through
    for begin in range(0, len(rows), CHUNK):
        chunk = rows[begin:begin + CHUNK]
        with given_times((Outgoing, "created_at")):
            Outgoing.objects.bulk_create(chunk, batch_size=1_000)
        links = [through(outgoing_id=row.pk, agency_id=a.pk) for row, to in zip(chunk, recipients[begin:begin + CHUNK], strict=True)
                 for a in to]
        through.objects.bulk_create(links, batch_size=2_000)
        ctx.progress("records: issued", begin + len(chunk), len(rows))
    sent = _send_issued(ctx, rng, drafts)
    return len(rows), sent


def _send_issued(ctx: YearContext, rng: random.Random, drafts: list[tuple[Outgoing, Draft]]) -> int:
    """The office's issued documents on the hub; each Outgoing keeps its message's id."""
    from govoffice.exchange.models import Message as HubMessage

    sent = insert((d for _row, d in drafts), rng, ctx, "records: sent on the hub", len(drafts))
    by_document: dict[str, Any] = {}
    for begin in range(0, len(drafts), 900):
        part = [row.document_id for row, _d in drafts[begin:begin + 900]]
        by_document.update(HubMessage.objects.filter(sender=ctx.office, kind=Kind.DOCUMENT, document_id__in=part)
                           .values_list("document_id", "id"))
    changed = []
    for row, _d in drafts:
        hub_id = by_document.get(row.document_id)
        if hub_id is not None:
            row.hub_message_id = str(hub_id)
            changed.append(row)
    Outgoing.objects.bulk_update(changed, ["hub_message_id", "dispatched_at"], batch_size=1_000)
    return sent


def generate(ctx: YearContext) -> None:
    """The year's register, submissions and issued documents for the office."""
    rng = ctx.rng_for(f"records/{ctx.year}")  # per year: two demo years never share ids
    people = cast(ctx)
    with transaction.atomic():
        received = make_incoming(ctx, rng, people)
        submitted = make_submissions(ctx, rng, people)
        issued, sent = make_issued(ctx, rng, people)
        record_event("demo.records_year_generated", object_type="demo.year", object_id=str(ctx.year), agency=ctx.office.code,
                     data={"received": received, "submissions": submitted, "issued": issued, "sent_on_hub": sent,
                           "scale": ctx.scale, "seed": ctx.seed})
    last = Incoming.objects.filter(agency=ctx.office, year=ctx.year).aggregate(Max("arrival_number"))["arrival_number__max"]
    ctx.notes.append(f"Records: {received} incoming registered (last number {last}), {submitted} submissions, "
                     f"{issued} documents issued ({sent} sent on the hub).")
