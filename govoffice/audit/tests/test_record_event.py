"""Events are written in the same transaction as the change they record."""

from __future__ import annotations

import pytest
from django.db import transaction

from govoffice.audit.models import ChainHead, Event
from govoffice.audit.services import record_event
from govoffice.directory.models import Agency
from govoffice.directory.services import create_agency
from govoffice.lib.errors import DomainError

pytestmark = pytest.mark.django_db


def test_each_event_links_to_the_one_before() -> None:
    with transaction.atomic():
        first = record_event("a.b", object_type="t", object_id="1")
        second = record_event("a.c", object_type="t", object_id="2", data={"tên": "Hà Nội"})
    assert second.prev_hash == first.hash
    assert second.seq == first.seq + 1
    head = ChainHead.objects.get()
    assert (head.seq, head.hash) == (second.seq, second.hash)


def test_a_failed_change_leaves_no_event() -> None:
    before = Event.objects.count()
    with pytest.raises(DomainError):
        create_agency(actor=None, code="bad", name_vi="X", kind="ministry")
    assert Event.objects.count() == before
    assert not Agency.objects.exists()


def test_a_rolled_back_change_takes_its_event_with_it() -> None:
    class Boom(Exception):
        pass

    with pytest.raises(Boom), transaction.atomic():
        create_agency(actor=None, code="000.00.00.G12", name_vi="Bộ Tài chính", kind="ministry")
        raise Boom
    assert not Event.objects.exists()
    assert not Agency.objects.exists()


def test_the_event_names_the_actor_and_agency(make_user) -> None:
    admin = make_user("administrator")
    create_agency(actor=admin, code="000.00.00.H41", name_vi="UBND tỉnh Nghệ An", kind="province")
    event = Event.objects.filter(action="agency.created").last()
    assert event is not None
    assert event.actor == admin.username
    assert event.actor_id == admin.pk
    assert event.agency == "000.00.00.H41"
