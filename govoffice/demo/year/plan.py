"""How the demo year's volumes split between the hub and the office's registry.

The hub's documents include the office's own traffic: the electronic incoming documents the
office registers arrived through the hub, and the documents it issues left through it. The
exchange generator makes those messages and the records generator registers and issues them,
so both read the split from here.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from govoffice.demo.year.context import VN, YearContext

ELECTRONIC_SHARE = 0.85  # incoming documents that came through the hub; the rest on paper
SECRET_SHARE = 0.02  # issued documents marked Mật: numbered in their own series, never on the hub
HUB_LAUNCH = (3, 12)  # the national hub opened on 12/03/2019


@dataclass(frozen=True)
class Plan:
    received: int  # incoming registered in the year
    received_electronic: int  # of which through the hub (messages to the office)
    submissions: int
    issued: int
    issued_secret: int
    hub_documents: int  # every new document the hub accepts in the year
    hub_from_office: int  # the issued documents sent on the hub
    hub_between_members: int  # the rest: members writing to each other

    @property
    def hub_to_office(self) -> int:
        return self.received_electronic


def plan(ctx: YearContext) -> Plan:
    received = ctx.target("documents_received")
    electronic = round(received * ELECTRONIC_SHARE)
    issued = ctx.target("documents_issued")
    secret = round(issued * SECRET_SHARE)
    hub = ctx.target("hub_documents_exchanged")
    # Issued while the hub ran (2019: from 12 March), less a margin so that the records
    # generator always finds that many among its randomly dated documents.
    start, end = hub_window(ctx)
    share = ((end - start).days + 1) / ((dt.date(ctx.year, 12, 31) - dt.date(ctx.year, 1, 1)).days + 1)
    from_office = int((issued - secret) * share * 0.95)
    between = hub - electronic - from_office
    if between < 0:  # a very small scale: the hub carries at least the office's traffic
        hub, between = electronic + from_office, 0
    return Plan(received, electronic, ctx.target("submissions"), issued, secret, hub, from_office, between)


def hub_window(ctx: YearContext) -> tuple[dt.date, dt.date]:
    """The days of the year the hub ran (from its launch in March; the whole year after 2019)."""
    launch = dt.date(ctx.year, *HUB_LAUNCH) if ctx.year <= 2019 else dt.date(ctx.year, 1, 2)
    return launch, dt.date(ctx.year, 12, 31)


def uuid_from(rng_bits: int) -> uuid.UUID:
    """A version-4 UUID from the area's seeded generator (uuid4() would differ run to run)."""
    return uuid.UUID(int=rng_bits, version=4)


def local_date(moment: dt.datetime) -> dt.date:
    return moment.astimezone(VN).date()
