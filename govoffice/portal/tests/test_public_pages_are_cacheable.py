"""Public pages for visitors who are not signed in touch no session, set no cookie, carry an ETag and
are answered from the cache; a dossier's status change shows on the lookup at once."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from govoffice.portal.catalogue import bump_version
from govoffice.portal.tests.conftest import JUDICIAL
from govoffice.portal.tests.helpers import file_dossier

PUBLIC = ["/portal/", "/portal/procedures/?q=ho+chieu", f"/portal/procedures/{JUDICIAL}/", "/portal/lookup/"]


def test_anonymous_public_pages_set_no_cookie_and_hold_no_form_token(client: Any, catalogue: Any) -> None:
    for path in PUBLIC:
        resp = client.get(path)
        assert resp.status_code == 200, path
        assert not resp.cookies, (path, list(resp.cookies))
        assert "csrfmiddlewaretoken" not in resp.content.decode(), path
        assert "Cookie" in resp["Vary"], path


def test_a_repeated_visit_gets_304_for_the_etag_it_holds(client: Any, catalogue: Any) -> None:
    first = client.get("/portal/procedures/?q=ho+chieu")
    assert first["ETag"] and "max-age=60" in first["Cache-Control"]
    again = client.get("/portal/procedures/?q=ho+chieu", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again["ETag"] == first["ETag"] and not again.content
    assert client.get("/portal/procedures/?q=ho+chieu", HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_a_new_catalogue_retires_the_cached_pages(client: Any, catalogue: Any) -> None:
    from govoffice.portal.models import Procedure

    before = client.get("/portal/procedures/?q=ho+chieu")
    Procedure.objects.update(name="Thủ tục đã đổi tên")
    assert client.get("/portal/procedures/?q=ho+chieu").content == before.content  # still the cached page
    bump_version()  # what loading a catalogue does
    assert "Thủ tục đã đổi tên" in client.get("/portal/procedures/?q=ho+chieu").content.decode()


def test_the_lookup_shows_a_status_change_at_once(
        client: Any, catalogue: Any, citizen: Any, officer: Any, django_capture_on_commit_callbacks: Any) -> None:
    client.force_login(citizen)
    code = file_dossier(client).json()["receipt_code"]
    client.logout()
    client.cookies.clear()
    page = client.get("/portal/lookup/", {"code": code.lower()})
    assert page.status_code == 200 and "Mới đăng ký" in page.content.decode() and page["Last-Modified"]
    api = client.get(f"/api/v1/portal/status/{code}")
    assert api.json()["status"] == 1 and "s-maxage=10" in api["Cache-Control"] and not api.cookies
    assert client.get("/portal/lookup/", {"code": code})["ETag"] == page["ETag"]  # one cached page per code

    clerk = officer()
    client.force_login(clerk)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/api/v1/portal/dossiers/{code}/accept", {}, content_type="application/json").status_code == 200
    client.logout()
    client.cookies.clear()
    after = client.get("/portal/lookup/", {"code": code})
    assert "Đã tiếp nhận" in after.content.decode() and after["ETag"] != page["ETag"]
    assert client.get(f"/api/v1/portal/status/{code}").json()["status"] == 2


def test_a_signed_in_visitor_gets_the_ordinary_page_with_its_own_account_links(client: Any, catalogue: Any, citizen: Any) -> None:
    client.force_login(citizen)
    resp = client.get("/portal/")
    html = resp.content.decode()
    assert "csrfmiddlewaretoken" in html and "Nguyễn Văn An" in html
    client.logout()
    client.cookies.clear()
    assert "Nguyễn Văn An" not in client.get("/portal/").content.decode()


def test_the_language_link_sets_the_cookie_and_goes_back_only_to_this_site(client: Any, catalogue: Any) -> None:
    resp = client.get("/portal/language/", {"language": "en", "next": "/portal/procedures/?q=thue"})
    assert resp.status_code == 302 and resp["Location"] == "/portal/procedures/?q=thue"
    assert resp.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert "Procedure catalogue" in client.get("/portal/procedures/?q=thue").content.decode()
    away = client.get("/portal/language/", {"language": "vi", "next": "https://evil.example/"})
    assert away["Location"] == "/portal/"
    assert client.get("/portal/language/", {"language": "xx"}).cookies.get(settings.LANGUAGE_COOKIE_NAME) is None
