"""Push delivery: the hub POSTs to a member's own HTTP server, backs off on failure until acknowledged (or gives up at a set limit), and pull still works."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest
from django.utils import timezone
from govoffice_agent import edxml

from govoffice.exchange.models import Delivery, DeliveryState
from govoffice.exchange.receipts import verify_receipt
from govoffice.exchange.services.members import revoke_member, set_push_url
from govoffice.exchange.services.push import backoff, due_pushes, push_once, retry_pushes
from govoffice.exchange.tasks import retry_due_pushes
from govoffice.exchange.tests.conftest import Party

PUSHED = "000.00.00.H29"  # not an office code of this deployment: its deliveries wait for it


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes


@dataclass
class Endpoint:
    """A member's push endpoint: a real HTTP server on 127.0.0.1 that records what it is sent."""

    url: str
    answer: int = 200
    received: list[Received] = field(default_factory=list)
    refused: dict[str, int] = field(default_factory=dict)  # message id -> the status it gets instead


@contextmanager
def serve_endpoint() -> Iterator[Endpoint]:
    state = Endpoint(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            state.received.append(Received({k.lower(): v for k, v in self.headers.items()}, body))
            self.send_response(state.refused.get(self.headers.get("X-Govoffice-Message-Id", ""), state.answer))
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hub"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@pytest.fixture
def endpoint() -> Iterator[Endpoint]:
    with serve_endpoint() as state:
        yield state


@pytest.fixture
def pushed(enroll: Callable[..., Party], endpoint: Endpoint) -> Party:
    """Hồ Chí Minh City takes its deliveries by push."""
    return enroll(PUSHED, push_url=endpoint.url)


@pytest.fixture
def deliver(finance: Party, signed: Any, send: Any, django_capture_on_commit_callbacks: Any) -> Callable[..., Delivery]:
    """Send a document from the Ministry of Finance and run what the hub does after commit."""

    def run(to: Party, number: str = "123", **overrides: Any) -> Delivery:
        raw = signed(finance, [to.code], number=number, **overrides)
        with django_capture_on_commit_callbacks(execute=True):
            response = send(finance, raw)
        assert response.status_code == 201, response.json()
        delivery = Delivery.objects.get(message_id=response.json()["message_id"], recipient=to.agency)
        delivery.raw_sent = raw  # type: ignore[attr-defined]
        return delivery

    return run


def make_due(delivery: Delivery) -> None:
    Delivery.objects.filter(pk=delivery.pk).update(next_push_at=timezone.now() - dt.timedelta(seconds=1))


def test_a_message_is_posted_to_the_members_url_and_acknowledged(finance, pushed, endpoint, deliver) -> None:
    delivery = deliver(pushed)
    assert len(endpoint.received) == 1
    got = endpoint.received[0]
    assert got.body == delivery.raw_sent
    assert got.headers["content-type"] == "application/xml"
    assert got.headers["x-govoffice-message-id"] == str(delivery.message_id)
    assert got.headers["x-govoffice-kind"] == "document"
    assert got.headers["x-govoffice-sender"] == finance.code
    assert verify_receipt(got.headers["x-govoffice-receipt"], got.headers["x-govoffice-receipt-signature"])
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.ACKED and delivery.acked_at is not None
    assert delivery.push_attempts == 0 and delivery.last_error == ""


def test_statuses_are_pushed_too(client, finance, pushed, endpoint, signed, send, status_of, django_capture_on_commit_callbacks) -> None:
    # The pushed member sends a document; the recipient's statuses come back to it by push.
    document = send(pushed, signed(pushed, [finance.code]))
    assert document.status_code == 201 and endpoint.received == []
    with django_capture_on_commit_callbacks(execute=True):
        status = send(finance, status_of(finance, "000.00.00.H29,2019/09/20,123/BTC-VP", "03"), "/api/v1/hub/statuses")
    assert status.status_code == 201, status.json()
    assert [r.headers["x-govoffice-kind"] for r in endpoint.received] == ["status"]
    assert endpoint.received[0].headers["x-govoffice-sender"] == finance.code
    assert Delivery.objects.get(message_id=status.json()["message_id"]).state == DeliveryState.ACKED


def test_a_member_that_pulls_is_not_pushed_to(nghe_an, endpoint, deliver) -> None:
    delivery = deliver(nghe_an)
    assert endpoint.received == []
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.PENDING and delivery.next_push_at is None


def test_a_failed_push_stays_pending_and_backs_off(client, pushed, endpoint, deliver) -> None:
    endpoint.answer = 500
    before = timezone.now()
    delivery = deliver(pushed)
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.PENDING
    assert delivery.push_attempts == 1
    assert delivery.last_error == "HTTP 500"
    assert delivery.next_push_at is not None
    assert before + backoff(1) <= delivery.next_push_at <= timezone.now() + backoff(1)
    assert due_pushes() == []
    # Meanwhile the member can still pull it.
    items = client.get("/api/v1/hub/inbox", **pushed.headers()).json()["items"]
    assert [i["message"]["id"] for i in items] == [str(delivery.message_id)]


def test_by_default_it_keeps_trying_until_the_member_acknowledges(settings, pushed, endpoint, deliver) -> None:
    assert settings.EXCHANGE["push_max_attempts"] == 0  # the default: no limit
    endpoint.answer = 502
    delivery = deliver(pushed)
    # Weeks of failed tries later (hourly by now), a failed try still schedules the next one.
    Delivery.objects.filter(pk=delivery.pk).update(push_attempts=500)
    make_due(delivery)
    before = timezone.now()
    assert push_once(delivery.pk) is False
    delivery.refresh_from_db()
    assert delivery.push_attempts == 501 and delivery.last_error == "HTTP 502"
    assert delivery.next_push_at is not None
    assert before + dt.timedelta(hours=1) <= delivery.next_push_at <= timezone.now() + dt.timedelta(hours=1)
    endpoint.answer = 200
    make_due(delivery)
    assert retry_due_pushes.call_local() == 1
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.ACKED and len(endpoint.received) == 3


def test_the_back_off_doubles_and_is_capped() -> None:
    assert [backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert backoff(50) == backoff(10**9) == dt.timedelta(hours=1)


def test_the_periodic_retry_delivers_once_the_member_recovers(pushed, endpoint, deliver) -> None:
    endpoint.answer = 503
    delivery = deliver(pushed)
    make_due(delivery)
    assert retry_due_pushes.call_local() == 1
    delivery.refresh_from_db()
    assert delivery.push_attempts == 2 and delivery.state == DeliveryState.PENDING
    assert delivery.next_push_at is not None and delivery.next_push_at > timezone.now() + backoff(1)
    endpoint.answer = 200
    make_due(delivery)
    assert retry_due_pushes.call_local() == 1
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.ACKED
    assert len(endpoint.received) == 3
    assert {r.body for r in endpoint.received} == {delivery.raw_sent}
    make_due(delivery)
    assert retry_due_pushes.call_local() == 0


def test_a_push_to_a_server_that_is_down_is_recorded(enroll, deliver) -> None:
    closed = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    port = closed.server_address[1]
    closed.server_close()
    member = enroll(PUSHED, push_url=f"http://127.0.0.1:{port}/hub")
    delivery = deliver(member)
    delivery.refresh_from_db()
    assert delivery.push_attempts == 1 and delivery.state == DeliveryState.PENDING
    assert delivery.last_error.startswith("ConnectError")


def test_after_the_last_attempt_it_gives_up_but_the_member_can_still_pull(client, settings, pushed, endpoint, deliver) -> None:
    settings.EXCHANGE = {**settings.EXCHANGE, "push_max_attempts": 3}
    endpoint.answer = 500
    delivery = deliver(pushed)
    for _ in range(2):
        make_due(delivery)
        assert push_once(delivery.pk) is False
    delivery.refresh_from_db()
    assert delivery.push_attempts == 3 and delivery.next_push_at is None
    assert delivery.last_error == "HTTP 500"
    assert due_pushes() == []
    assert retry_due_pushes.call_local() == 0
    assert len(endpoint.received) == 3
    items = client.get("/api/v1/hub/inbox", **pushed.headers()).json()["items"]
    assert [i["message"]["id"] for i in items] == [str(delivery.message_id)]
    ack = client.post(f"/api/v1/hub/messages/{delivery.message_id}/ack", **pushed.headers())
    assert ack.status_code == 200
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.ACKED


def test_a_push_lost_before_it_was_queued_is_retried(pushed, endpoint, finance, signed, send) -> None:
    # No on-commit callbacks run here: as if the process died between commit and queueing the push.
    response = send(finance, signed(finance, [pushed.code]))
    delivery = Delivery.objects.get(message_id=response.json()["message_id"])
    assert endpoint.received == [] and delivery.next_push_at is not None
    assert due_pushes() == []  # not before the grace, so the first try is not made twice
    make_due(delivery)
    assert retry_due_pushes.call_local() == 1
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.ACKED and len(endpoint.received) == 1


def test_a_revoked_member_is_no_longer_pushed_to(pushed, endpoint, deliver) -> None:
    endpoint.answer = 500
    delivery = deliver(pushed)
    revoke_member(actor=None, agency=pushed.agency)
    make_due(delivery)
    assert retry_due_pushes.call_local() == 1
    delivery.refresh_from_db()
    assert len(endpoint.received) == 1 and delivery.next_push_at is None
    assert due_pushes() == []


def test_a_member_that_switches_to_pull_is_no_longer_pushed_to(pushed, endpoint, deliver) -> None:
    endpoint.answer = 500
    delivery = deliver(pushed)
    set_push_url(actor=None, agency=pushed.agency, push_url="")
    make_due(delivery)
    retry_due_pushes.call_local()
    delivery.refresh_from_db()
    assert len(endpoint.received) == 1 and delivery.next_push_at is None


def test_a_member_that_pushes_again_gets_what_was_set_aside(pushed, endpoint, deliver, enroll) -> None:
    endpoint.answer = 500
    delivery = deliver(pushed)
    set_push_url(actor=None, agency=pushed.agency, push_url="")
    make_due(delivery)
    retry_due_pushes.call_local()  # set aside: the member pulls now
    delivery.refresh_from_db()
    assert delivery.next_push_at is None and delivery.push_attempts == 1
    endpoint.answer = 200
    set_push_url(actor=None, agency=pushed.agency, push_url=endpoint.url)
    delivery.refresh_from_db()
    assert delivery.next_push_at is not None and delivery.push_attempts == 0
    assert retry_due_pushes.call_local() == 1
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.ACKED and len(endpoint.received) == 2
    # The same after a revocation and an enrolment with a push URL.
    endpoint.answer = 500
    later = deliver(pushed, number="124")
    revoke_member(actor=None, agency=pushed.agency)
    make_due(later)
    retry_due_pushes.call_local()
    endpoint.answer = 200
    enroll(PUSHED, push_url=endpoint.url)
    assert retry_due_pushes.call_local() == 1
    later.refresh_from_db()
    assert later.state == DeliveryState.ACKED


def test_a_try_that_overlaps_another_one_leaves_the_delivery_to_it(pushed, endpoint, deliver) -> None:
    """Two retry runs reaching one delivery (a silent host makes a run last minutes) push it once."""
    endpoint.answer = 500
    delivery = deliver(pushed)  # the first try failed
    make_due(delivery)
    overlapping: list[bool] = []

    def another_run(request: httpx.Request) -> None:  # while this try's POST is on its way
        overlapping.append(push_once(delivery.pk))

    with httpx.Client(timeout=15, event_hooks={"request": [another_run]}) as client:
        assert push_once(delivery.pk, client=client) is False
    assert overlapping == [False]
    assert len(endpoint.received) == 2  # the first try and this one: the other run posted nothing
    delivery.refresh_from_db()
    assert delivery.push_attempts == 2 and delivery.next_push_at is not None


def test_a_document_whose_receipt_is_not_ascii_is_pushed(pushed, endpoint, deliver) -> None:
    # DocumentIds carry Vietnamese notations (7816/VPCP-TTĐT); the receipt names the DocumentId.
    delivery = deliver(pushed, code=edxml.Code("7816", "VPCP-TTĐT"))
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.ACKED, delivery.last_error
    got = endpoint.received[0]
    assert verify_receipt(got.headers["x-govoffice-receipt"], got.headers["x-govoffice-receipt-signature"])


def test_a_member_that_is_down_costs_one_try_a_run_and_does_not_hold_up_the_others(enroll, finance, pushed, endpoint, deliver) -> None:
    endpoint.answer = 503
    first = deliver(pushed, number="1")
    assert len(endpoint.received) == 1
    # While its pushes fail, a new document's first try waits for the member's next retry.
    waiting = [deliver(pushed, number=str(n)) for n in (2, 3, 4)]
    assert len(endpoint.received) == 1
    first.refresh_from_db()
    for delivery in waiting:
        delivery.refresh_from_db()
        assert delivery.push_attempts == 0 and delivery.next_push_at == first.next_push_at
    with serve_endpoint() as healthy:
        home_affairs = enroll("000.00.00.G09", push_url=healthy.url)
        healthy.answer = 500
        other = deliver(home_affairs, number="9")
        healthy.answer = 200
        # All due at once, the member that is down first in line: one try for it, then the other.
        for delivery in [first, *waiting]:
            make_due(delivery)
        Delivery.objects.filter(pk=other.pk).update(next_push_at=timezone.now())
        assert retry_due_pushes.call_local() == 2
        assert len(endpoint.received) == 2 and len(healthy.received) == 2
    other.refresh_from_db()
    assert other.state == DeliveryState.ACKED
    first.refresh_from_db()
    assert first.push_attempts == 2 and first.next_push_at is not None
    for delivery in waiting:  # moved to the failed one's next try, not counted as tries
        delivery.refresh_from_db()
        assert (delivery.push_attempts, delivery.next_push_at) == (0, first.next_push_at)
    # Back up: the next run pushes them all.
    endpoint.answer = 200
    for delivery in [first, *waiting]:
        make_due(delivery)
    assert retry_due_pushes.call_local() == 4
    assert Delivery.objects.filter(recipient=pushed.agency, state=DeliveryState.ACKED).count() == 4


def test_a_retry_run_stops_at_its_time_budget_and_leaves_the_rest_to_the_next(enroll, finance, pushed, endpoint, deliver) -> None:
    endpoint.answer = 200
    deliveries = []
    for n in (1, 2):
        endpoint.answer = 500  # fails its first try, so it is due for a retry
        deliveries.append(deliver(pushed, number=str(n)) if n == 1 else deliver(enroll("000.00.00.G09", push_url=endpoint.url), number=str(n)))
    endpoint.answer = 200
    for delivery in deliveries:
        make_due(delivery)
    assert retry_pushes(budget=0) == 1  # one try, however short the budget
    assert retry_pushes(budget=0) == 1
    assert Delivery.objects.filter(state=DeliveryState.ACKED).count() == 2


def test_a_delivery_another_try_holds_does_not_hold_up_the_members_others(pushed, endpoint, deliver) -> None:
    endpoint.answer = 500
    deliveries = [deliver(pushed, number=str(n)) for n in (1, 2, 3)]  # the first failed; the others wait for it
    endpoint.answer = 200
    now = timezone.now()
    for n, delivery in enumerate(deliveries):  # due, in this order
        Delivery.objects.filter(pk=delivery.pk).update(next_push_at=now - dt.timedelta(seconds=3 - n))
    second = deliveries[1]

    def another_run_claims_the_second(request: httpx.Request) -> None:  # while the first is on its way
        Delivery.objects.filter(pk=second.pk).update(next_push_at=timezone.now() + dt.timedelta(minutes=10))

    with httpx.Client(timeout=15, event_hooks={"request": [another_run_claims_the_second]}) as client:
        assert retry_pushes(client=client) == 3
    states = {d.pk: d.state for d in Delivery.objects.filter(pk__in=[d.pk for d in deliveries])}
    # The held one is left to its try; the member is not failing, so the third goes now.
    assert states == {deliveries[0].pk: DeliveryState.ACKED, second.pk: DeliveryState.PENDING, deliveries[2].pk: DeliveryState.ACKED}


def test_one_delivery_the_member_refuses_does_not_hold_up_its_others(pushed, endpoint, deliver) -> None:
    endpoint.answer = 200
    first = deliver(pushed, number="1")  # taken
    # The member's server is up but refuses one document (413: too large for it), every time.
    endpoint.answer = 413
    big = deliver(pushed, number="2")
    big.refresh_from_db()
    assert big.push_attempts == 1 and big.last_error == "HTTP 413"
    endpoint.refused = {str(big.message_id): 413}
    endpoint.answer = 200
    later = deliver(pushed, number="3")  # not made to wait for the refused one
    later.refresh_from_db()
    assert later.state == DeliveryState.ACKED
    # A retry run that meets the refused one first still serves the member's others.
    endpoint.answer = 503
    down = deliver(pushed, number="4")  # fails: the host was down for a moment
    endpoint.answer = 200
    now = timezone.now()
    for delivery in (big, down):
        Delivery.objects.filter(pk=delivery.pk).update(next_push_at=now - dt.timedelta(seconds=1))
    assert retry_due_pushes.call_local() == 2
    states = dict(Delivery.objects.filter(pk__in=[first.pk, big.pk, later.pk, down.pk]).values_list("pk", "state"))
    assert states == {first.pk: "acked", big.pk: "pending", later.pk: "acked", down.pk: "acked"}
    big.refresh_from_db()
    assert big.push_attempts == 2 and big.next_push_at is not None


def test_a_host_still_down_is_probed_by_its_most_backed_off_delivery_at_its_pace(pushed, endpoint, deliver) -> None:
    endpoint.answer = 503
    backed_off = deliver(pushed, number="1")
    waiting = deliver(pushed, number="2")  # waits for the first one's next try
    now = timezone.now()
    Delivery.objects.filter(pk=backed_off.pk).update(push_attempts=8, next_push_at=now - dt.timedelta(seconds=1))
    Delivery.objects.filter(pk=waiting.pk).update(next_push_at=now - dt.timedelta(seconds=1))  # the same moment
    assert retry_due_pushes.call_local() == 1  # one probe of the host, by the delivery backed off an hour
    backed_off.refresh_from_db()
    waiting.refresh_from_db()
    assert backed_off.push_attempts == 9
    assert (waiting.push_attempts, waiting.next_push_at) == (0, backed_off.next_push_at)
    assert backed_off.next_push_at is not None and backed_off.next_push_at >= now + dt.timedelta(minutes=59)
