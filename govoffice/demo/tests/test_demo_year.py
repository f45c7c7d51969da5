"""`govoffice demo` generates a year, the same for the same seed, once, with a progress bar."""

from __future__ import annotations

import io
import json
import os

import pytest
from django.core.management import call_command

from govoffice.demo.year import exchange, records
from govoffice.demo.year.run import ProgressBar, build_context
from govoffice.exchange.models import Delivery, Message
from govoffice.records.models import Assignment, Incoming, NumberSeries, Outgoing, Submission

pytestmark = pytest.mark.django_db


def _fingerprint() -> list[object]:
    return [
        sorted(Message.objects.values_list("id", "sender__code", "document_id", "digest", "received_at")),
        sorted(Incoming.objects.values_list("arrival_number", "sender__code", "number_notation", "subject", "registered_at", "state")),
        sorted(Assignment.objects.values_list("incoming__arrival_number", "deadline", "assigned_at")),
        sorted(Submission.objects.values_list("title", "state", "submitted_at")),
        sorted(Outgoing.objects.values_list("notation", "subject", "issued_at", "hub_message_id")),
    ]


def _wipe() -> None:
    Assignment.objects.all().delete()
    Incoming.objects.all().delete()
    Outgoing.objects.all().delete()
    Submission.objects.all().delete()
    NumberSeries.objects.all().delete()
    Delivery.objects.all().delete()
    Message.objects.all().delete()


def test_the_same_seed_gives_the_same_year_and_another_seed_does_not(settings: object) -> None:
    call_command("demo", "--no-year", stdout=io.StringIO())
    prints = []
    for seed in (11, 11, 12):
        ctx = build_context(year=2019, scale=0.0002, seed=seed, office_code="000.00.00.G22",
                            usernames=["vanthu", "chuyenvien", "vutruong", "phochunhiem", "thutuong"])
        exchange.generate(ctx)
        records.generate(ctx)
        prints.append(_fingerprint())
        _wipe()
    assert prints[0] == prints[1]
    assert prints[0] != prints[2]


def test_the_command_generates_once_and_the_report_reads_it_back() -> None:
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    out, err = io.StringIO(), io.StringIO()
    call_command("demo", "--scale", "0.0001", "--seed", "5", stdout=out, stderr=err)
    text = out.getvalue()
    assert "Demo data: 114 agencies in the directory, 95 of them on the hub." in text  # the lines it always printed
    assert "Demo year 2019, exchange: generated" in text and "Demo year 2019, records: generated" in text
    assert "exchange" in err.getvalue() and "100.0%" in err.getvalue()  # the progress bar, on stderr
    again = io.StringIO()
    call_command("demo", "--scale", "0.0001", "--seed", "5", stdout=again, stderr=io.StringIO())
    assert "Demo year 2019, records: already generated (scale 0.0001, seed 5), kept." in again.getvalue()
    report = io.StringIO()
    call_command("report", "annual", "--year", "2019", "--json", stdout=report)
    data = json.loads(report.getvalue())
    assert (data["documents_received"], data["submissions"], data["documents_issued"]) == (12, 1, 3)
    assert data["hub_documents_exchanged"] == 100
    assert (data["hub_members_connected"], data["hub_members_total"]) == (95, 95)


def test_the_progress_bar_writes_a_line_a_tenth_when_not_on_a_terminal() -> None:
    stream = io.StringIO()
    bar = ProgressBar(stream)
    for done in range(0, 101):
        bar("stage", done, 100)
    lines = stream.getvalue().splitlines()
    assert len(lines) == 11
    assert lines[-1].startswith("stage") and "100.0%" in lines[-1] and "100/100" in lines[-1]
