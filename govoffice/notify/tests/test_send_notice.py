from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.db import transaction

from govoffice.lib.errors import DomainError
from govoffice.notify.models import Notice, NoticeState
from govoffice.notify.services import deliver_notice, send_notice


def test_an_email_notice_is_sent_after_the_change_commits(make_user: Any, django_capture_on_commit_callbacks: Any) -> None:
    person = make_user("specialist", email="an@example.vn")
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            notices = send_notice(to=person, subject="Phiếu lấy ý kiến", body="Xin ý kiến", kind="ballot.opened", ref="ballot:1")
            assert mail.outbox == []
    assert [m.to for m in mail.outbox] == [["an@example.vn"]]
    notice = Notice.objects.get(pk=notices[0].pk)
    assert notice.state == NoticeState.SENT and notice.attempts == 1 and notice.user == person


def test_a_sent_notice_is_never_sent_twice(make_user: Any) -> None:
    person = make_user("specialist", email="an@example.vn")
    with transaction.atomic():
        [notice] = send_notice(to=person, subject="S", body="B", kind="k")
    assert deliver_notice(notice.pk) == "sent"
    assert deliver_notice(notice.pk) == "skipped"
    assert len(mail.outbox) == 1


def test_a_person_without_a_phone_gets_no_sms_but_still_the_email(make_user: Any) -> None:
    person = make_user("government_member", email="m@example.vn", phone="")
    with transaction.atomic():
        notices = send_notice(to=person, subject="S", body="B", kind="k", channels=("email", "sms"))
    assert [n.channel for n in notices] == ["email"]


def test_an_unknown_channel_is_refused(make_user: Any) -> None:
    with pytest.raises(DomainError) as err, transaction.atomic():
        send_notice(to="x@example.vn", subject="S", body="B", kind="k", channels=("fax",))
    assert err.value.code == "unknown_channel"
    assert not Notice.objects.exists()


def test_the_file_provider_writes_the_text(make_user: Any, settings: Any, tmp_path: Path) -> None:
    settings.SMS_PROVIDER, settings.SMS_FILE_PATH = "file", tmp_path
    person = make_user("government_member", phone="0912345678")
    with transaction.atomic():
        [notice] = send_notice(to=person, subject="Họp Chính phủ", body="Thứ Hai", kind="k", channels=("sms",))
    assert deliver_notice(notice.pk) == "sent"
    [written] = list(tmp_path.iterdir())
    assert "0912345678" in written.read_text(encoding="utf-8") and "Họp Chính phủ" in written.read_text(encoding="utf-8")


class _Gateway(BaseHTTPRequestHandler):
    received: list[dict[str, Any]] = []
    status = 200

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        _Gateway.received.append({"auth": self.headers["Authorization"], **json.loads(body)})
        self.send_response(_Gateway.status)
        self.end_headers()
        self.wfile.write(b'{"id": "gw-1"}')

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def gateway() -> Any:
    server = HTTPServer(("127.0.0.1", 0), _Gateway)
    _Gateway.received, _Gateway.status = [], 200
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/sms"
    server.shutdown()


def test_the_http_gateway_gets_the_text_and_the_token(make_user: Any, settings: Any, gateway: str) -> None:
    settings.SMS_PROVIDER, settings.SMS_TOKEN = gateway, "tok"
    person = make_user("government_member", phone="0912345678")
    with transaction.atomic():
        [notice] = send_notice(to=person, subject="S", body="B", kind="k", channels=("sms",))
    assert deliver_notice(notice.pk) == "sent"
    assert _Gateway.received == [{"auth": "Bearer tok", "to": "0912345678", "text": "S\nB"}]


def test_a_gateway_failure_keeps_the_notice_pending_with_the_reason(make_user: Any, settings: Any, gateway: str) -> None:
    settings.SMS_PROVIDER = gateway
    _Gateway.status = 503
    person = make_user("government_member", phone="0912345678")
    with transaction.atomic():
        [notice] = send_notice(to=person, subject="S", body="B", kind="k", channels=("sms",))
    assert deliver_notice(notice.pk) == "failed"
    notice.refresh_from_db()
    assert notice.state == NoticeState.PENDING and "503" in notice.last_error
    _Gateway.status = 200
    assert deliver_notice(notice.pk) == "sent"


class _RecordingBackend:
    """A real locmem backend that notes whether a database transaction was open while it sent."""

    seen: list[bool] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from django.core.mail.backends.locmem import EmailBackend

        self._inner = EmailBackend(*args, **kwargs)

    def send_messages(self, messages: Any) -> int:
        from django.db import connection

        _RecordingBackend.seen.append(connection.in_atomic_block)
        return self._inner.send_messages(messages)


def test_the_message_is_sent_with_no_transaction_open(transactional_db: Any, make_user: Any, settings: Any) -> None:
    settings.EMAIL_BACKEND = f"{__name__}._RecordingBackend"
    _RecordingBackend.seen = []
    person = make_user("specialist", email="an@example.vn")
    [notice] = send_notice(to=person, subject="S", body="B", kind="k")  # autocommit: sent at once
    assert _RecordingBackend.seen == [False]  # a slow mail server holds no write lock
    notice.refresh_from_db()
    assert notice.state == NoticeState.SENT and notice.claimed_until is None and notice.attempts == 1


def test_a_notice_another_worker_is_sending_is_left_alone_until_its_claim_lapses(make_user: Any) -> None:
    import datetime as dt

    from django.utils import timezone

    person = make_user("specialist", email="an@example.vn")
    with transaction.atomic():
        [notice] = send_notice(to=person, subject="S", body="B", kind="k")
    Notice.objects.filter(pk=notice.pk).update(claimed_until=timezone.now() + dt.timedelta(minutes=1))
    assert deliver_notice(notice.pk) == "skipped"
    assert mail.outbox == []
    Notice.objects.filter(pk=notice.pk).update(claimed_until=timezone.now() - dt.timedelta(seconds=1))
    assert deliver_notice(notice.pk) == "sent"
    assert len(mail.outbox) == 1


class _BrokenBackend:
    """A mail backend with a bug: it raises what no sender expects."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        pass

    def send_messages(self, messages: Any) -> int:
        raise RuntimeError("backend misconfigured")


def test_an_unexpected_error_is_raised_counted_and_ends_failed_after_the_last_attempt(make_user: Any, settings: Any) -> None:
    from govoffice.notify.services import MAX_ATTEMPTS

    person = make_user("specialist", email="an@example.vn")
    with transaction.atomic():
        [notice] = send_notice(to=person, subject="S", body="B", kind="k")
    settings.EMAIL_BACKEND = f"{__name__}._BrokenBackend"
    with pytest.raises(RuntimeError):
        deliver_notice(notice.pk)
    notice.refresh_from_db()
    assert (notice.state, notice.claimed_until) == (NoticeState.PENDING, None)
    assert notice.last_error == "RuntimeError: backend misconfigured"
    Notice.objects.filter(pk=notice.pk).update(attempts=MAX_ATTEMPTS - 1)
    with pytest.raises(RuntimeError):
        deliver_notice(notice.pk)
    notice.refresh_from_db()
    assert notice.state == NoticeState.FAILED and notice.attempts == MAX_ATTEMPTS


def test_the_sweep_goes_on_past_a_notice_that_raises(make_user: Any, settings: Any) -> None:
    import datetime as dt

    from django.utils import timezone

    from govoffice.notify.services import retry_pending

    person = make_user("specialist", email="an@example.vn", phone="0912345678")
    with transaction.atomic():
        [sms] = send_notice(to=person, subject="S2", body="B", kind="k", channels=("sms",))
        [email] = send_notice(to=person, subject="S1", body="B", kind="k")  # newer: the sweep takes it first
    Notice.objects.update(created_at=timezone.now() - dt.timedelta(hours=1))
    settings.EMAIL_BACKEND = f"{__name__}._BrokenBackend"  # the e-mail raises; the SMS still goes
    assert retry_pending() == 2
    assert Notice.objects.get(pk=email.pk).state == NoticeState.PENDING
    assert Notice.objects.get(pk=sms.pk).state == NoticeState.SENT
