"""Fixtures for the office's document work: the office enrolled on its own hub with its
agent folder, a ministry that sends it documents, and the office's people."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from govoffice.exchange import outbox
from govoffice.exchange.management.commands.hub import write_agent_folder
from govoffice.exchange.services.members import enroll_member
from govoffice.exchange.tests.conftest import (  # noqa: F401  (shared hub fixtures)
    AGENCIES,
    Party,
    agencies,
    enroll,
    finance,
    make_message,
    nghe_an,
    send,
    sign,
    signed,
    status_of,
)


@pytest.fixture
def office_hub(agencies, settings, tmp_path: Path) -> Iterator[Party]:  # noqa: F811
    """The Government Office as a hub member whose registry runs here, with its agent folder."""
    enrolment = enroll_member(actor=None, agency=agencies["000.00.00.G22"])
    folder = tmp_path / "office-agent"
    write_agent_folder(folder, agency_code="000.00.00.G22", api_key=enrolment.api_key,
                       key_pem=enrolment.private_key_pem, cert_pem=enrolment.certificate.pem)
    settings.AGENT_CONFIG = folder / "agent.toml"
    settings.HUB_URL = ""
    settings.RECORDS = {**settings.RECORDS, "office_codes": ["000.00.00.G22"]}
    outbox.office_config.cache_clear()
    assert enrolment.private_key_pem is not None
    yield Party(agencies["000.00.00.G22"], enrolment.api_key, enrolment.private_key_pem, enrolment.certificate.pem.encode())
    outbox.office_config.cache_clear()


@pytest.fixture
def staff(office_hub: Party) -> Callable[..., Any]:
    """People of the office: staff("clerk"), staff("office_leader", clearance=2), ..."""
    from govoffice.directory.services import create_user

    counter = iter(range(1, 1000))

    def make(*roles: str, **extra: Any) -> Any:
        return create_user(
            actor=None, username=extra.pop("username", f"staff{next(counter)}"), password="Mật-khẩu-thử-2026",
            agency=office_hub.agency, roles=roles, **extra,
        )

    return make
