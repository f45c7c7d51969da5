"""Member.last_contact_at: noted on every authenticated hub call, at most once a minute, shown to operators."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from govoffice.directory.models import Role
from govoffice.directory.services import create_user
from govoffice.exchange.models import Member
from govoffice.exchange.stats import hub_stats, last_contacts
from govoffice.testing import PASSWORD


def test_a_call_to_the_hub_notes_the_members_last_contact(client, finance) -> None:
    assert Member.objects.get(agency=finance.agency).last_contact_at is None
    assert client.get("/api/v1/hub/inbox", **finance.headers()).status_code == 200
    contact = Member.objects.get(agency=finance.agency).last_contact_at
    assert contact is not None and timezone.now() - contact < dt.timedelta(minutes=1)
    assert last_contacts() == {finance.agency.pk: contact}
    assert hub_stats()["members"]["connected"] == 1


def test_the_contact_is_written_at_most_once_a_minute(client, finance) -> None:
    client.get("/api/v1/hub/inbox", **finance.headers())
    first = Member.objects.get(agency=finance.agency).last_contact_at
    client.get("/api/v1/hub/inbox", **finance.headers())
    assert Member.objects.get(agency=finance.agency).last_contact_at == first
    Member.objects.filter(agency=finance.agency).update(last_contact_at=timezone.now() - dt.timedelta(minutes=5))
    client.get("/api/v1/hub/inbox", **finance.headers())
    later = Member.objects.get(agency=finance.agency).last_contact_at
    assert first is not None and later is not None and later > first


def test_a_refused_key_notes_no_contact(client, finance) -> None:
    response = client.get("/api/v1/hub/inbox", HTTP_AUTHORIZATION=f"Bearer {finance.api_key[:-2]}xx")
    assert response.status_code == 401
    assert Member.objects.get(agency=finance.agency).last_contact_at is None


def test_an_api_key_call_reads_the_key_person_agency_and_membership_in_one_query(client, finance) -> None:
    client.get("/api/v1/hub/inbox", **finance.headers())  # notes the key's use and the contact
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/api/v1/hub/inbox", **finance.headers()).status_code == 200
    sql = [q["sql"] for q in captured.captured_queries]
    assert not any('"exchange_member"' in s and s.lstrip().upper().startswith("UPDATE") for s in sql)
    reads_of_member = [s for s in sql if 'FROM "exchange_member"' in s]
    assert reads_of_member == []  # it came with the key (a JOIN), not in a query of its own
    assert sum(1 for s in sql if 'FROM "directory_apikey"' in s) == 1


def test_the_members_page_shows_the_last_contact(client, agencies, finance) -> None:
    client.get("/api/v1/hub/inbox", **finance.headers())
    contact = Member.objects.get(agency=finance.agency).last_contact_at
    assert contact is not None
    operator = create_user(actor=None, username="quantri", password=PASSWORD, agency=agencies["000.00.00.G22"],
                           roles=[Role.ADMINISTRATOR])
    pages = Client()
    pages.force_login(operator)
    page = pages.get("/hub/members/").content.decode()
    assert timezone.localtime(contact, zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")).strftime("%d/%m/%Y %H:%M") in page
