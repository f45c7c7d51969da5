"""The verifier catches every kind of tampering: an edited, inserted or deleted row."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from govoffice.audit.models import Event
from govoffice.audit.services import record_event, verify_chain

pytestmark = pytest.mark.django_db(transaction=True)


def _write(n: int) -> None:
    for i in range(n):
        with transaction.atomic():
            record_event("test.happened", object_type="test", object_id=str(i), data={"i": i, "text": "Văn bản đến"})


def _drop_guard() -> None:
    # An attacker with database access can drop the trigger; the chain must still tell.
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP TRIGGER IF EXISTS audit_event_no_update ON audit_event")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS audit_event_no_update")


def test_an_untouched_chain_verifies() -> None:
    _write(5)
    verdict = verify_chain()
    assert verdict.ok and verdict.checked == 5


def test_the_database_refuses_to_update_an_event() -> None:
    _write(2)
    with pytest.raises(DatabaseError), transaction.atomic():
        Event.objects.filter(seq=1).update(action="forged")


def test_it_reports_an_edited_row() -> None:
    _write(5)
    _drop_guard()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_event SET data = %s WHERE seq = 3", ['{"i": 99}'])
    verdict = verify_chain()
    assert not verdict.ok
    assert verdict.broken_seq == 3
    assert "altered" in verdict.reason


def test_it_reports_a_row_deleted_from_the_middle() -> None:
    _write(5)
    _drop_guard()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_event WHERE seq = 2")
    verdict = verify_chain()
    assert not verdict.ok
    assert verdict.broken_seq == 2
    assert "missing" in verdict.reason


def test_it_reports_rows_cut_from_the_end() -> None:
    _write(5)
    _drop_guard()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_event WHERE seq >= 4")
    verdict = verify_chain()
    assert not verdict.ok
    assert verdict.broken_seq == 4


def test_it_reports_an_inserted_row_even_with_a_recomputed_hash() -> None:
    _write(4)
    _drop_guard()
    # Shift the tail to make room, then insert a forged event whose own hash is right.
    from govoffice.audit.chain import event_hash

    second = Event.objects.get(seq=2)
    with connection.cursor() as cursor:
        for seq in (4, 3):
            cursor.execute("UPDATE audit_event SET seq = %s WHERE seq = %s", [seq + 1, seq])
    forged_at = second.at
    forged_hash = event_hash(
        seq=3, at=forged_at, actor_id=None, actor="system", agency="", action="forged",
        object_type="test", object_id="x", data={}, prev_hash=second.hash,
    )
    Event.objects.create(
        seq=3, at=forged_at, actor_id=None, actor="system", agency="", action="forged",
        object_type="test", object_id="x", data={}, prev_hash=second.hash, hash=forged_hash,
    )
    verdict = verify_chain()
    assert not verdict.ok
    assert verdict.broken_seq == 4  # the old third event no longer follows its predecessor


def test_the_command_exits_non_zero_on_a_broken_chain(capsys: pytest.CaptureFixture[str]) -> None:
    _write(3)
    call_command("audit", "verify")
    assert "3 events verified" in capsys.readouterr().out
    _drop_guard()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_event SET actor = 'mallory' WHERE seq = 1")
    with pytest.raises(CommandError, match="broken at #1"):
        call_command("audit", "verify")


def test_recording_outside_a_transaction_is_refused() -> None:
    with pytest.raises(RuntimeError):
        record_event("test.outside")
