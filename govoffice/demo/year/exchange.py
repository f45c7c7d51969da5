"""The demo year on the national hub: documents among the 95 members, about a million at scale 1.

Rows are lean but true to the hub's models: each message keeps a compact edXML header as its
bytes (no attachment, no XML-DSig signature and no signed receipt: signing a million messages
would take hours, see docs/reports.md), its SHA-256 and size, and one acknowledged delivery per
recipient. The messages addressed to the office are the ones the records generator registers;
the office's own sends are made by the records generator when it issues (plan.py).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from html import escape
from typing import Any

from django.db import connection, models, transaction

from govoffice.audit.services import record_event
from govoffice.demo.year import vocab
from govoffice.demo.year.context import VN, YearContext
from govoffice.demo.year.plan import hub_window, plan, uuid_from
from govoffice.directory.models import Agency
from govoffice.exchange.models import Delivery, DeliveryState, Kind, Member, Message

CHUNK = 5_000
NS = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
CONG_VAN = (9, "Công văn")  # edXML DocumentType of a công văn (QCVN 102: "Type" integer)


@dataclass(frozen=True)
class Draft:
    """One document to put on the hub."""

    sender: Agency
    recipients: list[Agency]
    at: dt.datetime
    number: int | str  # CodeNumber: 123, or 01 as Decree 30 writes numbers below 10
    notation: str  # CodeNotation: BTC-NSNN
    subject: str
    type_code: int = CONG_VAN[0]
    type_name: str = CONG_VAN[1]
    doc_id: str = ""  # the DocumentId when the sender already gave it one


def tail(agency: Agency) -> str:
    """What an agency writes after the number in a công văn's notation: BTC, UBND."""
    if agency.code.rsplit(".", 1)[-1].startswith("H"):  # a province's People's Committee
        return "UBND"
    return agency.short_name or "CQ"


def document_id(draft: Draft) -> str:
    if draft.doc_id:
        return draft.doc_id
    day = draft.at.astimezone(VN)
    return f"{draft.sender.code},{day:%Y/%m/%d},{draft.number}/{draft.notation}"


def header(draft: Draft, doc_id: str) -> bytes:
    """The message's edXML header, compact: the bytes the demo hub keeps for it."""
    day = draft.at.astimezone(VN)
    to = "".join(f"<e:To><e:OrganId>{r.code}</e:OrganId></e:To>" for r in draft.recipients)
    xml = (
        f'<?xml version="1.0" encoding="UTF-8"?><e:edXML xmlns:e="{NS}"><e:edXMLEnvelope><e:edXMLHeader>'
        f"<e:MessageHeader><e:From><e:OrganId>{draft.sender.code}</e:OrganId></e:From>{to}"
        f"<e:DocumentId>{escape(doc_id)}</e:DocumentId><e:Code><e:CodeNumber>{draft.number}</e:CodeNumber>"
        f"<e:CodeNotation>{escape(draft.notation)}</e:CodeNotation></e:Code><e:PromulgationInfo>"
        f"<e:PromulgationDate>{day:%Y/%m/%d}</e:PromulgationDate></e:PromulgationInfo>"
        f"<e:DocumentType><e:Type>{draft.type_code}</e:Type><e:TypeName>{draft.type_name}</e:TypeName></e:DocumentType>"
        f"<e:Subject>{escape(draft.subject)}</e:Subject></e:MessageHeader></e:edXMLHeader><e:edXMLBody/>"
        "</e:edXMLEnvelope></e:edXML>"
    )
    return xml.encode()


MESSAGE_COLUMNS = (
    "id", "kind", "sender_id", "document_id", "business_doc_type", "status_code", "subject", "notation", "doc_type",
    "description", "raw", "digest", "size", "received_at", "receipt", "receipt_signature",
)
DELIVERY_COLUMNS = (
    "message_id", "recipient_id", "state", "created_at", "fetch_count", "first_fetched_at", "acked_at", "push_attempts", "last_error",
)


def rows_for(drafts: Iterable[Draft], rng: random.Random) -> Iterator[tuple[tuple[Any, ...], list[tuple[Any, ...]]]]:
    """The exchange_message row and its acknowledged exchange_delivery rows for each draft, as database values."""
    sqlite = connection.vendor == "sqlite"
    when = connection.ops.adapt_datetimefield_value
    for d in drafts:
        doc_id = document_id(d)
        raw = header(d, doc_id)
        message_id = uuid_from(rng.getrandbits(128))
        key = message_id.hex if sqlite else message_id
        message = (
            key, Kind.DOCUMENT.value, d.sender.pk, doc_id, 0, "", d.subject[:500], f"{d.number}/{d.notation}"[:100],
            d.type_code, "", raw, hashlib.sha256(raw).hexdigest(), len(raw), when(d.at), "", "",
        )
        fetched = d.at + dt.timedelta(seconds=rng.randint(5, 3600))
        acked = fetched + dt.timedelta(seconds=rng.randint(1, 60))
        deliveries = [
            (key, r.pk, DeliveryState.ACKED.value, when(d.at), 1, when(fetched), when(acked), 0, "") for r in d.recipients
        ]
        yield message, deliveries


def insert_rows(model: type[models.Model], columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    """One executemany into the model's table: the ORM's per-object work is most of the cost at a million rows."""
    if not rows:
        return
    quote = connection.ops.quote_name
    # Table and column names come from the model; every value goes as a parameter.
    sql = (f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(c) for c in columns)}) "  # noqa: S608
           f"VALUES ({', '.join(['%s'] * len(columns))})")
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def insert(drafts: Iterable[Draft], rng: random.Random, ctx: YearContext, stage: str, total: int) -> int:
    """Insert the drafts' messages and deliveries in chunks, reporting progress."""
    done = 0
    messages: list[tuple[Any, ...]] = []
    deliveries: list[tuple[Any, ...]] = []

    def flush() -> None:
        insert_rows(Message, MESSAGE_COLUMNS, messages)
        insert_rows(Delivery, DELIVERY_COLUMNS, deliveries)
        messages.clear()
        deliveries.clear()

    for message, copies in rows_for(drafts, rng):
        messages.append(message)
        deliveries.extend(copies)
        done += 1
        if len(messages) >= CHUNK:
            flush()
            ctx.progress(stage, done, total)
    flush()
    ctx.progress(stage, done, total)
    return done


def sorted_moments(ctx: YearContext, rng: random.Random, n: int) -> list[dt.datetime]:
    start, end = hub_window(ctx)
    return sorted(ctx.moment(rng, start=start, end=end) for _ in range(n))


def member_drafts(ctx: YearContext, rng: random.Random, n_to_office: int, n_between: int) -> Iterator[Draft]:
    """Members' documents in time order: some to the office, the rest to each other.

    Every member sends at least one (all 95 were connected and exchanging in 2019); beyond
    that some write far more than others, as ministries and big provinces do.
    """
    others = sorted((m for m in ctx.members if m.pk != ctx.office.pk), key=lambda a: a.code)
    if not others:
        return
    weights = [rng.paretovariate(1.5) for _ in others]
    total = n_to_office + n_between
    senders = list(others[: min(len(others), total)])
    senders += rng.choices(others, weights=weights, k=total - len(senders))
    rng.shuffle(senders)
    kinds = [True] * n_to_office + [False] * n_between  # True: to the office
    rng.shuffle(kinds)
    numbers: dict[int, int] = {}
    codes = {m.pk: tail(m) for m in others}
    for at, sender, to_office in zip(sorted_moments(ctx, rng, total), senders, kinds, strict=True):
        numbers[sender.pk] = numbers.get(sender.pk, 0) + 1
        if to_office:
            recipients = [ctx.office]
        else:
            count = 1 if rng.random() < 0.8 else rng.randint(2, 5)
            recipients = [r for r in rng.sample(others, min(count + 1, len(others))) if r.pk != sender.pk][:count]
            if not recipients:
                recipients = [ctx.office] if len(others) == 1 else [o for o in others if o.pk != sender.pk][:1]
        yield Draft(sender, recipients, at, numbers[sender.pk], codes[sender.pk], vocab.subject(rng))


def generate(ctx: YearContext) -> None:
    """The year's hub traffic among the members (the office's own sends come with records)."""
    rng = ctx.rng_for(f"exchange/{ctx.year}")  # per year: two demo years never share ids
    volumes = plan(ctx)
    total = volumes.hub_to_office + volumes.hub_between_members
    with transaction.atomic():
        made = insert(member_drafts(ctx, rng, volumes.hub_to_office, volumes.hub_between_members), rng, ctx, "exchange", total)
        last = dt.datetime(ctx.year, 12, 31, 17, tzinfo=VN)
        Member.objects.filter(agency__in=ctx.members, last_contact_at__isnull=True).update(last_contact_at=last)
        record_event("demo.hub_year_generated", object_type="demo.year", object_id=str(ctx.year), data={
            "messages": made, "to_office": volumes.hub_to_office, "scale": ctx.scale, "seed": ctx.seed,
        })
    ctx.notes.append(f"Hub: {made} documents among {len(ctx.members)} members (and the office's sends, with records).")
