"""server_side_binding: PostgreSQL gets the parameters apart from the SQL inside the block only."""

from __future__ import annotations

import pytest
from django.db import connection

from govoffice.db.binding import server_side_binding


def _bound_on_server() -> bool:
    with connection.cursor() as cursor:
        return type(cursor.cursor).__name__ == "ServerBindingCursor"


@pytest.mark.django_db
def test_the_block_binds_on_the_server_and_the_connection_is_as_before_after_it() -> None:
    before = _bound_on_server()
    with server_side_binding():
        inside = _bound_on_server()
        with connection.cursor() as cursor:
            cursor.execute("SELECT %s, %s", [b"\x00\x01signed", 7])
            assert bytes(cursor.fetchone()[0]) == b"\x00\x01signed"
    assert _bound_on_server() is before is False
    assert inside is (connection.vendor == "postgresql")


@pytest.mark.django_db
def test_the_connection_is_restored_when_the_block_fails() -> None:
    with pytest.raises(RuntimeError), server_side_binding():
        raise RuntimeError("boom")
    assert _bound_on_server() is False

