from __future__ import annotations

import re
from typing import Any

from django.core import mail, signing

from govoffice.directory.models import Role, User
from govoffice.notify.models import Notice
from govoffice.portal.models import PortalAccount
from govoffice.portal.services.accounts import SALT

PASSWORD = "Mật-khẩu-công-dân-2026"


def sign_up(client: Any, **over: Any) -> Any:
    data = {"kind": "citizen", "number": "001090123456", "name": "Nguyễn Văn An", "email": "an@example.vn", "password": PASSWORD, **over}
    return client.post("/api/v1/portal/accounts", data, content_type="application/json")


def test_a_citizen_signs_up_confirms_by_the_link_and_signs_in(client: Any, db: Any, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        resp = sign_up(client)
    assert resp.status_code == 201 and resp.json() == {"username": "001090123456", "kind": "citizen", "active": False}
    user = User.objects.get(username="001090123456")
    assert not user.is_active and user.has_role(Role.CITIZEN)
    assert client.post("/login/", {"username": "001090123456", "password": PASSWORD}).status_code == 200  # refused
    link = re.search(r"https?://\S+/portal/confirm/\S+/", str(mail.outbox[-1].body)).group(0)  # type: ignore[union-attr]
    assert Notice.objects.filter(kind="portal.confirm", user=user).exists()
    page = client.get(link.split("testserver", 1)[1])
    assert page.status_code == 200
    user.refresh_from_db()
    assert user.is_active and PortalAccount.objects.get(user=user).confirmed_at is not None
    assert client.post("/login/", {"username": "001090123456", "password": PASSWORD}).status_code == 302


def test_a_business_signs_up_with_its_tax_code(client: Any, db: Any) -> None:
    resp = sign_up(client, kind="business", number="0100109106-001", name="Chi nhánh Công ty Ví dụ", email="cn@example.vn")
    assert resp.status_code == 201 and User.objects.get(username="0100109106-001").has_role(Role.BUSINESS)


def test_invalid_numbers_and_duplicates_are_refused_and_nothing_is_created(client: Any, db: Any) -> None:
    bad = sign_up(client, number="001090123")
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "number"
    assert sign_up(client, kind="business", number="0100109107").status_code == 422
    assert User.objects.count() == 0
    assert sign_up(client).status_code == 201
    assert User.objects.count() == 1


def test_a_registered_number_or_address_gets_the_same_answer_and_its_owner_is_told(
        client: Any, db: Any, django_capture_on_commit_callbacks: Any) -> None:
    first = sign_up(client)
    owner = User.objects.get()
    owner.is_active = True
    owner.save(update_fields=["is_active"])
    PortalAccount.objects.filter(user=owner).update(confirmed_at=owner.date_joined)
    with django_capture_on_commit_callbacks(execute=True):
        again = sign_up(client, email="someone-else@example.vn", name="Kẻ Thử", password="Mat-khau-khac-2026")
    # Indistinguishable from a new sign-up: nobody learns that 001090123456 is registered.
    assert again.status_code == first.status_code == 201 and again.json() == first.json()
    assert User.objects.count() == 1 and PortalAccount.objects.count() == 1
    warned = Notice.objects.get(kind="portal.signup_again")
    assert warned.user == owner and warned.address == "an@example.vn"  # the owner's address, not the new one
    assert "/portal/password/reset/" in mail.outbox[-1].body and mail.outbox[-1].to == ["an@example.vn"]
    # The address of an existing account, with another number: the same, and no second warning within the hour.
    by_address = sign_up(client, number="040195000123")
    assert by_address.status_code == 201 and by_address.json()["active"] is False
    assert User.objects.count() == 1 and Notice.objects.filter(kind="portal.signup_again").count() == 1
    # A weak password is refused whether or not the number is registered.
    weak = sign_up(client, password="123")
    assert weak.status_code == sign_up(client, number="040195000123", email="x@example.vn", password="123").status_code
    assert weak.json()["error"]["field"] == "password"


def test_signing_up_again_before_confirming_sends_the_link_again_to_the_first_address(client: Any, db: Any) -> None:
    sign_up(client)
    Notice.objects.all().delete()
    again = sign_up(client, email="other@example.vn")
    assert again.status_code == 201 and User.objects.count() == 1
    notice = Notice.objects.get()
    assert notice.kind == "portal.confirm" and notice.address == "an@example.vn"


def test_a_forged_or_expired_link_activates_nothing(client: Any, db: Any, settings: Any) -> None:
    sign_up(client)
    user = User.objects.get()
    forged = signing.dumps({"u": user.pk, "e": user.email}, salt="another-salt")
    assert client.get(f"/portal/confirm/{forged}/").status_code == 400
    settings.PORTAL = {"confirm_link_hours": -1}
    stale = signing.dumps({"u": user.pk, "e": user.email}, salt=SALT, compress=True)
    page = client.get(f"/portal/confirm/{stale}/")
    assert page.status_code == 400
    user.refresh_from_db()
    assert not user.is_active


def test_the_sign_up_page_shows_the_message_beside_the_field(client: Any, db: Any) -> None:
    page = client.post("/portal/signup/", {"kind": "citizen", "number": "123", "name": "An", "email": "an@example.vn",
                                           "password": PASSWORD, "password2": PASSWORD})
    assert page.status_code == 422 and 'id="id_number-error"' in page.content.decode()
    assert User.objects.count() == 0


def test_sign_ups_from_one_address_are_limited(client: Any, db: Any, settings: Any) -> None:
    settings.PORTAL = {"limit_signup_per_address": (1, 3600)}
    assert sign_up(client).status_code == 201
    second = sign_up(client, number="040195000123", email="b@example.vn")
    assert second.status_code == 429 and int(second["Retry-After"]) > 0


def test_password_reset_mails_a_link(client: Any, db: Any, django_capture_on_commit_callbacks: Any) -> None:
    sign_up(client)
    user = User.objects.get()
    user.is_active = True
    user.save()
    resp = client.post("/portal/password/reset/", {"email": "an@example.vn"})
    assert resp.status_code == 302 and "/portal/password/reset/" in mail.outbox[-1].body
