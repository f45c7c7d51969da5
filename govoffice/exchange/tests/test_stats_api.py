"""The operators' figures at /api/v1/hub/stats: members, traffic, stuck deliveries, failed pushes, certificates, paper."""

from __future__ import annotations

import datetime as dt
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from govoffice.directory.models import Role
from govoffice.exchange.models import Delivery, Message
from govoffice.exchange.services.members import revoke_member, set_push_url
from govoffice.exchange.services.push import push_once
from govoffice.exchange.stats import hub_stats
from govoffice.signing.models import Certificate
from govoffice.signing.services import issue_certificate, revoke_certificate

STATS = "/api/v1/hub/stats"
DOC = "000.00.00.G12,2019/09/20,{}/BTC-VP"


@pytest.fixture
def traffic(finance, office, nghe_an, enroll, signed, send, status_of) -> dict[str, Any]:
    """Finance sends two documents to two members; the Office registers one; Home Affairs left the hub."""
    home = enroll("000.00.00.G09")
    revoke_member(actor=None, agency=home.agency)
    ids = []
    for number in ("1", "2"):
        response = send(finance, signed(finance, [office.code, nghe_an.code], number=number))
        assert response.status_code == 201, response.json()
        ids.append(response.json()["message_id"])
    assert send(office, status_of(office, DOC.format(1), "03"), "/api/v1/hub/statuses").status_code == 201
    return {"documents": ids, "home": home}


@pytest.fixture
def operator(make_user, office) -> Client:
    browser = Client()
    browser.force_login(make_user(Role.ADMINISTRATOR, agency=office.agency))
    return browser


def figures(browser: Client, **params: Any) -> dict[str, Any]:
    response = browser.get(STATS, params)
    assert response.status_code == 200, response.json()
    return dict(response.json())


def test_an_administrator_sees_the_members(traffic, operator) -> None:
    # Finance and the Office have called the hub with their keys; Nghệ An has not yet.
    assert figures(operator)["members"] == {"active": 3, "connected": 2, "total": 4}


def test_traffic_is_counted_by_agency_and_by_day(traffic, operator, finance, office) -> None:
    body = figures(operator)
    today = timezone.localdate().isoformat()
    assert body["documents"] == {"total": 2, "deliveries": 4}
    assert body["messages_by_day"] == [{"day": today, "kind": "document", "count": 2}, {"day": today, "kind": "status", "count": 1}]
    assert [(r["code"], r["documents"], r["statuses"]) for r in body["traffic_by_agency"]] == [(finance.code, 2, 0), (office.code, 0, 1)]
    assert body["traffic_by_agency"][0]["name_vi"] == "Bộ Tài chính"
    assert body["traffic_by_agency_and_day"] == [
        {"day": today, "code": finance.code, "documents": 2, "statuses": 0},
        {"day": today, "code": office.code, "documents": 0, "statuses": 1},
    ]


def test_older_traffic_falls_outside_the_window(traffic, operator) -> None:
    Message.objects.filter(id=traffic["documents"][0]).update(received_at=timezone.now() - dt.timedelta(days=40))
    assert [r["count"] for r in figures(operator)["messages_by_day"] if r["kind"] == "document"] == [1]
    assert sum(r["count"] for r in figures(operator, days=60)["messages_by_day"] if r["kind"] == "document") == 2


def test_the_window_is_whole_local_days_ending_today(traffic) -> None:
    """days=1 is today (Hà Nội time) alone, at any hour: not the last 24 hours, which reach into yesterday."""
    tz = timezone.get_current_timezone()
    now = dt.datetime.combine(timezone.localdate(), dt.time(10, 0), tzinfo=tz)
    yesterday_evening = now - dt.timedelta(hours=14)  # 20:00 the day before
    Message.objects.filter(id=traffic["documents"][0]).update(received_at=yesterday_evening)
    Message.objects.exclude(id=traffic["documents"][0]).update(received_at=now - dt.timedelta(hours=1))
    one_day = hub_stats(1, now=now)["messages_by_day"]
    assert {r["day"] for r in one_day} == {now.date().isoformat()}
    two_days = hub_stats(2, now=now)["messages_by_day"]
    assert {r["day"] for r in two_days} == {now.date().isoformat(), yesterday_evening.date().isoformat()}


def test_deliveries_stuck_past_the_threshold_are_listed(traffic, operator, settings, nghe_an) -> None:
    settings.EXCHANGE = {**settings.EXCHANGE, "stuck_after_minutes": 60}
    assert figures(operator)["stuck"]["count"] == 0
    old = traffic["documents"][0]
    Delivery.objects.filter(message_id=old).update(created_at=timezone.now() - dt.timedelta(minutes=61))
    Delivery.objects.filter(message_id=old, recipient__code="000.00.00.G22").update(state="acked")
    stuck = figures(operator)["stuck"]
    assert stuck["threshold_minutes"] == 60 and stuck["count"] == 1
    assert [(s["message_id"], s["recipient"]) for s in stuck["oldest"]] == [(old, nghe_an.code)]


def test_failed_pushes_are_listed(traffic, operator, nghe_an) -> None:
    closed = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    url = f"http://127.0.0.1:{closed.server_address[1]}/hub"
    closed.server_close()
    set_push_url(actor=None, agency=nghe_an.agency, push_url=url)
    delivery = Delivery.objects.get(message_id=traffic["documents"][0], recipient=nghe_an.agency)
    assert push_once(delivery.pk) is False
    failed = figures(operator)["failed_pushes"]
    assert len(failed) == 1
    assert failed[0]["message_id"] == str(delivery.message_id) and failed[0]["recipient"] == nghe_an.code
    assert failed[0]["attempts"] == 1 and failed[0]["last_error"].startswith("ConnectError") and failed[0]["next_try"]


def test_certificates_expiring_within_30_days_are_listed(traffic, operator, nghe_an, finance) -> None:
    soon, _ = issue_certificate(actor=None, agency=nghe_an.agency, days=20)
    revoked, _ = issue_certificate(actor=None, agency=finance.agency, days=10)
    revoke_certificate(actor=None, certificate=revoked)
    issue_certificate(actor=None, agency=finance.agency, days=45)
    listed = figures(operator)["certificates_expiring"]
    assert [(c["agency"], c["fingerprint"]) for c in listed] == [(nghe_an.code, soon.fingerprint)]


def test_the_paper_saved_is_the_deliveries_times_the_cost(traffic, operator, settings) -> None:
    settings.EXCHANGE = {**settings.EXCHANGE, "paper_cost_vnd": 15_000}
    body = figures(operator)
    assert body["paper_cost_per_document_vnd"] == 15_000
    assert body["paper_saved_vnd"] == 4 * 15_000  # two documents, two recipients each; statuses cost no paper


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.OFFICE_LEADER])
def test_auditors_and_office_leaders_read_the_figures(traffic, make_user, office, role) -> None:
    browser = Client()
    browser.force_login(make_user(role, agency=office.agency))
    assert browser.get(STATS).status_code == 200


@pytest.mark.parametrize(
    ("role", "where"),
    [(Role.CLERK, "office"), (Role.SPECIALIST, "office")]
    # The operators' roles in another agency: the figures are the office's that runs the hub.
    + [(role, "finance") for role in (Role.ADMINISTRATOR, Role.AUDITOR, Role.OFFICE_LEADER)],
)
def test_clerks_specialists_and_operators_roles_elsewhere_are_refused(traffic, make_user, request, role, where) -> None:
    browser = Client()
    browser.force_login(make_user(role, agency=request.getfixturevalue(where).agency))
    response = browser.get(STATS)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"


def test_an_agency_system_is_refused(client, traffic, finance) -> None:
    response = client.get(STATS, **finance.headers())
    assert response.status_code == 403


def test_an_anonymous_caller_is_refused(traffic) -> None:
    response = Client().get(STATS)
    assert response.status_code == 401


def test_the_window_is_bounded(operator) -> None:
    response = operator.get(STATS, {"days": 0})
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "days"


def test_a_members_certificate_is_its_hub_certificate_not_its_peoples_signing_ones(finance, make_user) -> None:
    """A leader's two-year signing certificate must not hide the member's hub certificate running out."""
    from govoffice.exchange.ops import current_certificate_expiry
    from govoffice.signing.people import issue_signer_key

    now = timezone.now()
    for cert in Certificate.objects.filter(agency=finance.agency):
        revoke_certificate(actor=None, certificate=cert)
    soon, _ = issue_certificate(actor=None, agency=finance.agency, days=5)
    issue_signer_key(actor=None, user=make_user(Role.OFFICE_LEADER, agency=finance.agency), days=730)
    assert current_certificate_expiry(now)[finance.agency.pk] == soon.not_after
