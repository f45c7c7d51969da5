"""Sends through the hub run on the queue, not in the request: an issued document and the
statuses to senders are queued after commit, sent by the worker, retried after a failure
that may pass (the hub unreachable) under the same idempotency key, so nothing arrives
twice, and not retried when this office has no hub configured (hub_not_configured)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from huey.api import Huey
from huey.contrib.djhuey import HUEY

from govoffice.audit.models import Event
from govoffice.exchange import outbox
from govoffice.exchange.models import Kind, Message
from govoffice.records.models import OutgoingState
from govoffice.records.services.outgoing import issue_outgoing
from govoffice.records.tasks import send_outgoing
from govoffice.records.tests.office_people import decision_draft, signers, to_state, vpcp  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db(transaction=True)
CLOSED_PORT = "http://127.0.0.1:9"  # nothing listens there: the hub is unreachable


@pytest.fixture
def queue() -> Iterator[Huey]:
    """The real queue (its SQLite file in the test data dir), worked by hand: tasks wait in it."""
    was = HUEY.immediate
    HUEY.immediate = False
    HUEY.flush()
    try:
        yield HUEY
    finally:
        HUEY.flush()
        HUEY.immediate = was


def work(queue: Huey) -> int:
    """Run what is waiting (what a worker would), once; how many tasks ran."""
    ran = 0
    while (task := queue.dequeue()) is not None:
        queue.execute(task)
        ran += 1
    return ran


def later(queue: Huey) -> Any:
    return queue._get_timestamp().replace(year=2100)  # when every retry is due


def retries_due(queue: Huey) -> list[Any]:
    """Take the scheduled retries out of the schedule as if their time had come."""
    return list(queue.read_schedule(later(queue)))


def run_retry(queue: Huey, task: Any) -> None:
    queue.execute(task, timestamp=later(queue))


def no_hub(settings: Any, tmp_path: Path) -> None:
    settings.AGENT_CONFIG = tmp_path / "nowhere" / "agent.toml"
    outbox.office_config.cache_clear()


def test_issuing_queues_the_send_and_the_worker_sends_it(signers, finance, queue) -> None:  # noqa: F811
    doc = issue_outgoing(actor=signers.clerk, outgoing=to_state(signers, decision_draft(signers), OutgoingState.SIGNED))
    doc.refresh_from_db()
    # The issue committed; nothing went out in the request: the send waits in the queue.
    assert doc.state == OutgoingState.ISSUED and doc.hub_message_id == ""
    assert not Message.objects.filter(kind=Kind.DOCUMENT, document_id=doc.document_id).exists()
    [task] = queue.pending()
    assert task.name.endswith("send_outgoing") and task.args == (doc.pk, signers.clerk.pk)

    assert work(queue) == 1
    doc.refresh_from_db()
    sent = Message.objects.get(kind=Kind.DOCUMENT, document_id=doc.document_id)
    assert doc.hub_message_id == str(sent.pk) and doc.dispatch_error == ""
    assert sent.idempotency_key == "records-outgoing:" + doc.document_id.replace("Đ", "%C4%90")
    assert sent.idempotency_key.isascii()
    assert Event.objects.filter(action="records.outgoing_dispatched", object_id=str(doc.pk), actor_id=signers.clerk.pk).count() == 1


def test_an_unreachable_hub_is_tried_again_and_the_document_arrives_once(signers, finance, queue, settings) -> None:  # noqa: F811
    doc = issue_outgoing(actor=signers.clerk, outgoing=to_state(signers, decision_draft(signers), OutgoingState.SIGNED))
    settings.HUB_URL = CLOSED_PORT
    assert work(queue) == 1
    doc.refresh_from_db()
    assert doc.hub_message_id == "" and "Cannot reach the hub" in doc.dispatch_error
    failed = Event.objects.get(action="records.outgoing_dispatch_failed", object_id=str(doc.pk))
    assert failed.data["code"] == "hub_unreachable"
    [retry] = retries_due(queue)
    assert retry.args == (doc.pk, signers.clerk.pk) and retry.retries == 7

    settings.HUB_URL = ""  # the hub is back
    run_retry(queue, retry)
    doc.refresh_from_db()
    assert doc.hub_message_id and doc.dispatch_error == ""
    # A retry that runs again after a lost answer, or a clerk's resend: the same message, never a second.
    assert send_outgoing.call_local(doc.pk, signers.clerk.pk) == doc.hub_message_id
    assert Message.objects.filter(kind=Kind.DOCUMENT, document_id=doc.document_id).count() == 1


def test_without_a_hub_configured_the_send_is_recorded_and_not_retried(signers, finance, queue, settings, tmp_path) -> None:  # noqa: F811
    doc = issue_outgoing(actor=signers.clerk, outgoing=to_state(signers, decision_draft(signers), OutgoingState.SIGNED))
    no_hub(settings, tmp_path)
    assert work(queue) == 1
    doc.refresh_from_db()
    assert doc.hub_message_id == "" and "cannot reach the hub" in doc.dispatch_error
    assert Event.objects.get(action="records.outgoing_dispatch_failed", object_id=str(doc.pk)).data["code"] == "hub_not_configured"
    assert queue.scheduled() == [] and queue.pending() == []


def test_statuses_to_the_sender_are_queued_with_their_own_keys_and_kept_on_retry(office_hub, finance, signed, send, queue, settings) -> None:
    send(finance, signed(finance, [office_hub.code]))
    tasks = [t for t in queue.pending() if t.name.endswith("send_status")]  # (and the PDF's text extraction)
    assert len(tasks) == 2
    assert [t.args[1] for t in tasks] == ["01", "03"]
    keys = [t.args[3] for t in tasks]
    prefix = "records-status:" + tasks[0].args[0].replace("Đ", "%C4%90")
    assert len(set(keys)) == 2 and all(k.startswith(prefix) and k.isascii() for k in keys)
    assert not Message.objects.filter(kind=Kind.STATUS, sender=office_hub.agency).exists()

    settings.HUB_URL = CLOSED_PORT
    assert work(queue) == 3
    retries = [t for t in retries_due(queue) if t.name.endswith("send_status")]
    assert sorted(r.args for r in retries) == sorted(t.args for t in tasks)  # the same keys on retry

    settings.HUB_URL = ""
    for retry in retries:
        run_retry(queue, retry)
    for retry in retries:  # run twice (a lost answer): the hub keeps one of each
        run_retry(queue, retry)
    statuses = Message.objects.filter(kind=Kind.STATUS, sender=office_hub.agency).order_by("status_code")
    assert [(s.status_code, s.idempotency_key) for s in statuses] == [("01", keys[0]), ("03", keys[1])]


def test_a_status_is_not_retried_when_the_hub_is_not_configured(office_hub, finance, signed, send, queue, settings, tmp_path) -> None:
    send(finance, signed(finance, [office_hub.code]))
    no_hub(settings, tmp_path)
    assert work(queue) == 3  # two statuses and the PDF's text
    assert [t for t in queue.scheduled() if t.name.endswith("send_status")] == []
    assert not Message.objects.filter(kind=Kind.STATUS, sender=office_hub.agency).exists()
