"""Fees through a payment provider. A provider opens a payment (reference and instructions) and
says how it is settled; the built-in one is a bank transfer whose reference the applicant writes
in the transfer's description and an officer confirms against the bank statement.

Another provider (a payment gateway) implements `PaymentProvider` and is named in
settings.PORTAL["payment_providers"]; its callback would call services.dossiers.confirm_payment.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Protocol

from django.utils.module_loading import import_string

from govoffice.portal import conf
from govoffice.portal.receipts import ALPHABET, check_symbol


@dataclass(frozen=True)
class Opened:
    reference: str
    instructions: str


class PaymentProvider(Protocol):
    name: str
    confirmed_by_officer: bool

    def open(self, *, receipt_code: str, amount: int) -> Opened: ...


class BankTransfer:
    """A transfer to the office's account with a unique reference; an officer confirms receipt."""

    name = "bank_transfer"
    confirmed_by_officer = True

    def open(self, *, receipt_code: str, amount: int) -> Opened:
        body = "".join(secrets.choice(ALPHABET) for _ in range(8))
        reference = f"DVC{body}{check_symbol('DVC' + body)}"
        instructions = (
            f"Chuyển khoản {amount:,} đồng".replace(",", ".")
            + f" đến tài khoản {conf.get('bank_account')} ({conf.get('bank_holder')}, {conf.get('bank_name')}),"
            f" ghi nội dung: {reference} {receipt_code}"
        )
        return Opened(reference, instructions)


def providers() -> dict[str, PaymentProvider]:
    found: dict[str, PaymentProvider] = {"bank_transfer": BankTransfer()}
    for path in conf.get("payment_providers"):
        provider = import_string(path)()
        found[provider.name] = provider
    return found


def provider(name: str = "bank_transfer") -> PaymentProvider:
    return providers()[name]
