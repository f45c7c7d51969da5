"""The portal's pages, error messages and e-mails are Vietnamese unless the person chose English."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import mail

from govoffice.portal import receipts
from govoffice.portal.tests.conftest import JUDICIAL
from govoffice.portal.tests.helpers import file_dossier

# (path, Vietnamese phrases that must show, English labels that must not)
PAGES = [
    ("/portal/", ["Cổng Dịch vụ công", "Tìm kiếm thủ tục hành chính", "Tra cứu hồ sơ, phản ánh kiến nghị", "Quên mật khẩu?"],
     ["Public service portal", "Find a procedure", "Follow a dossier or a feedback", "Forgot your password?"]),
    ("/portal/procedures/?q=ho+chieu", ["Danh mục thủ tục hành chính", "Tất cả lĩnh vực", "Mức độ trực tuyến", "Tìm thấy"],
     ["Procedure catalogue", "All fields", "Online level", "procedures found", "procedure found"]),
    (f"/portal/procedures/{JUDICIAL}/", ["Thành phần hồ sơ", "Thời hạn giải quyết", "Căn cứ pháp lý", "ngày làm việc"],
     ["Required papers", "Processing time", "Legal basis", "working day"]),
    ("/portal/lookup/", ["Tra cứu hồ sơ theo mã", "Mã hồ sơ hoặc mã phản ánh kiến nghị"],
     ["Look up a receipt code", "Receipt code of a dossier or a feedback"]),
    ("/portal/signup/", ["Số định danh cá nhân (12 chữ số) hoặc mã số thuế", "Nhập lại mật khẩu"],
     ["Personal identity number", "Password again"]),
]


def english(client: Any) -> Any:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_the_public_pages_are_in_vietnamese_by_default(client: Any, catalogue: Any) -> None:
    for path, vietnamese, untranslated in PAGES:
        html = client.get(path, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        for phrase in vietnamese:
            assert phrase in html, (path, phrase)
        for phrase in untranslated:
            assert phrase not in html, (path, phrase)


def test_the_public_pages_are_in_english_for_whoever_chose_english(client: Any, catalogue: Any) -> None:
    english(client)
    for path, vietnamese, untranslated in PAGES:
        html = client.get(path).content.decode()
        assert untranslated[0] in html, (path, untranslated[0])
        assert vietnamese[0] not in html, (path, vietnamese[0])


def test_lookup_errors_are_told_in_the_page_language(client: Any, db: Any) -> None:
    unknown = receipts.format_for("dossier").new(2026)
    assert "Không tìm thấy hồ sơ hoặc phản ánh kiến nghị nào có mã này" in client.get("/portal/lookup/", {"code": unknown}).content.decode()
    assert "Mã hồ sơ không đúng định dạng" in client.get("/portal/lookup/", {"code": "hello"}).content.decode()
    api = client.get(f"/api/v1/portal/status/{unknown}")
    assert api.json()["error"]["message"] == "Không tìm thấy hồ sơ hoặc phản ánh kiến nghị nào có mã này"
    english(client)
    assert "No dossier or feedback has this receipt code" in client.get("/portal/lookup/", {"code": unknown}).content.decode()


def test_a_wrong_identity_number_is_explained_in_vietnamese(client: Any, db: Any) -> None:
    form = {"kind": "citizen", "number": "999090123456", "name": "Nguyễn Văn An", "email": "an@example.vn",
            "password": "mot-mat-khau-dai", "password2": "mot-mat-khau-dai"}
    html = client.post("/portal/signup/", form).content.decode()
    assert "Ba chữ số đầu không phải là mã tỉnh, thành phố" in html
    api = client.post("/api/v1/portal/accounts", {**form, "number": "12345"}, content_type="application/json")
    assert api.status_code == 422 and api.json()["error"]["message"] == "Số định danh cá nhân gồm đúng 12 chữ số"


def test_the_applicant_gets_e_mails_in_their_own_language(
        client: Any, catalogue: Any, citizen: Any, officer: Any, django_capture_on_commit_callbacks: Any) -> None:
    client.force_login(citizen)
    with django_capture_on_commit_callbacks(execute=True):
        code = file_dossier(client).json()["receipt_code"]
    assert "Vui lòng lưu mã hồ sơ để tra cứu tình trạng giải quyết" in mail.outbox[-1].body
    assert mail.outbox[-1].subject == f"Hồ sơ {code}: Mới đăng ký"
    clerk = officer()
    client.force_login(clerk)
    english(client)  # the officer works in English; the applicant still reads Vietnamese
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/api/v1/portal/dossiers/{code}/accept", {}, content_type="application/json").status_code == 200
    assert mail.outbox[-1].subject == f"Hồ sơ {code}: Đã tiếp nhận" and "Hạn trả kết quả" in mail.outbox[-1].body
