"""On the dossier page a refused move says why beside the input it concerns, inside that move's form (the
alert at the top links there), and changes nothing; an error that concerns no input on the page stays at the top."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import lxml.html
import pytest
from django.test import Client

from govoffice.audit.models import Event
from govoffice.directory.models import User
from govoffice.portal.models import Dossier, DossierStep, Payment
from govoffice.portal.tests.helpers import file_dossier

pytestmark = pytest.mark.django_db


@pytest.fixture
def code(client: Client, catalogue: Any, citizen: User, officer: Callable[..., User]) -> str:
    client.force_login(citizen)
    filed = file_dossier(client)
    assert filed.status_code == 201, filed.content
    client.force_login(officer())
    return str(filed.json()["receipt_code"])


def _snapshot(code: str) -> tuple[Any, ...]:
    row = Dossier.objects.get(receipt_code=code)
    return (
        row.status,
        row.status_note,
        row.fee_amount,
        DossierStep.objects.filter(dossier=row).count(),
        Payment.objects.filter(dossier=row).count(),
        Event.objects.count(),
    )


def _beside(page: Any, action: str, input_id: str) -> tuple[Any, str]:
    """The refused move's form and the message next to its input, checked to be tied to it for screen readers."""
    assert page.status_code == 422
    html = lxml.html.fromstring(page.content.decode())
    form = html.xpath(f'//form[contains(@action, "/{action}/")]')[0]
    field = form.get_element_by_id(input_id)
    assert (
        field.get("aria-invalid") == "true" and field.get("aria-describedby") == f"{input_id}-error"
    )
    message = field.getnext()
    assert (
        message is not None
        and message.get("id") == f"{input_id}-error"
        and message.get("class") == "field-error"
    )
    assert html.xpath(f'//*[@role="alert"]//a[@href="#{input_id}"]/text()') == [
        message.text_content()
    ]
    return form, message.text_content()


def test_refusing_without_a_reason_says_so_beside_the_reason(client: Client, code: str) -> None:
    before = _snapshot(code)
    _, message = _beside(
        client.post(f"/portal/dossiers/{code}/refuse/", {"note": "  "}), "refuse", "refuse-note"
    )
    assert message == "Vui lòng nêu rõ lý do: người nộp hồ sơ sẽ đọc nội dung này"
    assert _snapshot(code) == before


def test_stopping_without_a_reason_says_so_beside_the_reason(client: Client, code: str) -> None:
    assert client.post(f"/portal/dossiers/{code}/accept/").status_code == 302
    before = _snapshot(code)
    _, message = _beside(
        client.post(f"/portal/dossiers/{code}/stop/", {"note": ""}), "stop", "stop-note"
    )
    assert message.startswith("Vui lòng nêu rõ lý do")
    assert _snapshot(code) == before


@pytest.mark.parametrize("amount", ["0", "mười nghìn"])
def test_asking_for_fees_without_a_good_amount_says_so_beside_the_amount(
    client: Client, code: str, amount: str
) -> None:
    assert client.post(f"/portal/dossiers/{code}/accept/").status_code == 302
    before = _snapshot(code)
    page = client.post(
        f"/portal/dossiers/{code}/request-fees/", {"amount": amount, "note": "Lệ phí"}
    )
    form, message = _beside(page, "request-fees", "fee")
    assert message == "Số tiền phải là số đồng dương"
    assert form.get_element_by_id("fee").get("value") == amount  # what was typed, to correct
    assert _snapshot(code) == before


def test_finishing_without_a_result_says_so_beside_the_file(client: Client, code: str) -> None:
    assert client.post(f"/portal/dossiers/{code}/accept/").status_code == 302
    assert client.post(f"/portal/dossiers/{code}/process/").status_code == 302
    before = _snapshot(code)
    _, message = _beside(client.post(f"/portal/dossiers/{code}/finish/", {}), "finish", "result")
    assert message == "Vui lòng cung cấp kết quả: văn bản đã ban hành hoặc tệp PDF đã ký số"
    assert _snapshot(code) == before


def test_an_error_about_no_input_on_the_page_stays_at_the_top(client: Client, code: str) -> None:
    assert client.post(f"/portal/dossiers/{code}/accept/").status_code == 302
    before = _snapshot(code)
    page = client.post(f"/portal/dossiers/{code}/accept/")  # already accepted: the form is gone
    assert page.status_code == 422
    html = lxml.html.fromstring(page.content.decode())
    [alert] = html.xpath('//*[@role="alert"]')
    assert "không thể chuyển sang" in alert.text_content() and not alert.xpath(".//a")
    assert not html.xpath('//*[@class="field-error"]') and not html.xpath(
        '//*[@aria-invalid="true"]'
    )
    assert _snapshot(code) == before
