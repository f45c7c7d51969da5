"""A real hub for the agent's tests: pytest-django's live server, members enrolled with real
keys, and agent folders (agent.toml, key, certificates) that point at the live server."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.conf import LazySettings
from govoffice_agent import edxml
from govoffice_agent.client import HubClient
from govoffice_agent.config import AgentConfig

from govoffice.directory.models import Agency
from govoffice.directory.services import create_agency
from govoffice.exchange.management.commands.hub import write_agent_folder
from govoffice.exchange.services.members import enroll_member

FINANCE = "000.00.00.G12"
GOV_OFFICE = "000.00.00.G22"
NGHE_AN = "000.00.00.H41"
AGENCIES = {
    GOV_OFFICE: ("Văn phòng Chính phủ", "ministerial_agency"),
    FINANCE: ("Bộ Tài chính", "ministry"),
    NGHE_AN: ("Ủy ban nhân dân tỉnh Nghệ An", "province"),
}
# Two small files that look like what agencies attach: a signed PDF and an appendix.
PDF_1 = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n" + bytes(range(256)) * 40 + b"\n%%EOF\n"
PDF_2 = b"%PDF-1.4\n" + "Phụ lục: danh sách đơn vị".encode() * 300 + b"\n%%EOF\n"


@dataclass
class Hub:
    """The live hub and its members' agent folders."""

    url: str
    root: Path
    agencies: dict[str, Agency]
    folders: dict[str, Path] = field(default_factory=dict)
    _clients: list[HubClient] = field(default_factory=list)

    def enrol(self, code: str) -> Path:
        """Enrol an agency on the hub and write its agent folder; returns agent.toml."""
        enrolment = enroll_member(actor=None, agency=self.agencies[code])
        config = write_agent_folder(
            self.root / code, agency_code=code, api_key=enrolment.api_key,
            key_pem=enrolment.private_key_pem, cert_pem=enrolment.certificate.pem,
        )
        self.folders[code] = config
        return config

    def client(self, code: str) -> HubClient:
        client = HubClient(AgentConfig.load(self.folders[code]), timeout=60)
        self._clients.append(client)
        return client

    def close(self) -> None:
        for client in self._clients:
            client.close()


@pytest.fixture
def hub(live_server: Any, settings: LazySettings, transactional_db: Any, tmp_path: Path) -> Iterator[Hub]:
    # The agent folders carry the hub's public address: here, the live server's.
    settings.PUBLIC_URL = live_server.url
    # This hub runs no office's registry: every member, the Government Office too, pulls.
    if hasattr(settings, "RECORDS"):
        settings.RECORDS = {**settings.RECORDS, "office_codes": []}
    agencies = {
        code: create_agency(actor=None, code=code, name_vi=name, kind=kind) for code, (name, kind) in AGENCIES.items()
    }
    hub = Hub(live_server.url, tmp_path / "agents", agencies)
    yield hub
    hub.close()


@pytest.fixture
def members(hub: Hub) -> Hub:
    """The Ministry of Finance, the Government Office and Nghệ An, enrolled."""
    for code in (FINANCE, GOV_OFFICE, NGHE_AN):
        hub.enrol(code)
    return hub


def document(sender: str, to: list[str], number: str = "123", **overrides: Any) -> edxml.Message:
    """A công văn from `sender` with two PDF attachments."""
    fields: dict[str, Any] = {
        "sender": edxml.Organization(sender, AGENCIES[sender][0]),
        "to": [edxml.Organization(code, AGENCIES[code][0]) for code in to],
        "code": edxml.Code(number, "BTC-VP"),
        "subject": "Về việc báo cáo tình hình thực hiện nhiệm vụ năm 2019",
        "promulgation": edxml.PromulgationInfo("Hà Nội", dt.date(2019, 9, 20)),
        "document_type": edxml.DocumentType(1, "Công văn"),
        "signer": edxml.SignerInfo("Bộ trưởng", "Bộ trưởng", "Đinh Tiến Dũng"),
        "attachments": [
            edxml.Attachment("att1", "application/pdf", "Công văn 123.pdf", PDF_1),
            edxml.Attachment("att2", "application/pdf", "Phụ lục 1.pdf", PDF_2, "Danh sách đơn vị"),
        ],
        **overrides,
    }
    return edxml.Message(**fields)
