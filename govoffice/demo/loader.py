"""Loads the demo: the real directory of agencies and one person per role to sign in with."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction

from govoffice.directory.models import Agency, Clearance, Role, User
from govoffice.directory.services import create_user, import_agencies
from govoffice.exchange.models import Member
from govoffice.exchange.services.members import enroll_member

AGENCIES_CSV = Path(__file__).resolve().parent.parent / "directory" / "data" / "agencies.csv"
OFFICE_CODE = "000.00.00.G22"

# username, full name, position, roles, unit short name (None = the office itself), clearance
DEMO_PEOPLE: list[tuple[str, str, str, tuple[str, ...], int]] = [
    ("vanthu", "Nguyễn Thị Lan", "Văn thư", (Role.CLERK,), Clearance.MAT),
    ("chuyenvien", "Trần Văn Minh", "Chuyên viên", (Role.SPECIALIST,), Clearance.NONE),
    ("vutruong", "Lê Hoàng Đức", "Vụ trưởng", (Role.DEPARTMENT_HEAD,), Clearance.MAT),
    ("phochunhiem", "Phạm Thu Hà", "Phó Chủ nhiệm Văn phòng Chính phủ", (Role.OFFICE_LEADER,), Clearance.TOI_MAT),
    ("bonhiem", "Đỗ Quang Vinh", "Bộ trưởng, Chủ nhiệm Văn phòng Chính phủ", (Role.OFFICE_LEADER, Role.GOVERNMENT_MEMBER), Clearance.TUYET_MAT),
    ("thutuong", "Vũ Đức Thắng", "Thủ tướng Chính phủ", (Role.GOVERNMENT_LEADER, Role.GOVERNMENT_MEMBER), Clearance.TUYET_MAT),
    ("thanhvien", "Hoàng Minh Tuấn", "Bộ trưởng", (Role.GOVERNMENT_MEMBER,), Clearance.TOI_MAT),
    ("thuky", "Ngô Thị Hồng", "Chuyên viên phục vụ phiên họp Chính phủ", (Role.CABINET_STAFF, Role.SPECIALIST), Clearance.MAT),
    ("motcua", "Lý Văn Phúc", "Cán bộ tiếp nhận hồ sơ, phản ánh", (Role.PORTAL_OFFICER,), Clearance.NONE),
    ("theodoi", "Trịnh Thị Thu", "Chuyên viên theo dõi nhiệm vụ", (Role.SUPERVISION_OFFICER,), Clearance.NONE),
    ("kiemtoan", "Bùi Thị Mai", "Kiểm soát viên", (Role.AUDITOR,), Clearance.NONE),
    ("quantri", "Đặng Văn Khoa", "Quản trị hệ thống", (Role.ADMINISTRATOR,), Clearance.NONE),
]


# Agencies whose agent folders the demo writes to DATA_DIR/agents/CODE/, to try govoffice-agent.
AGENT_FOLDERS = ("000.00.00.G12", "000.00.00.H41")


@dataclass
class DemoResult:
    agencies: int
    members: int
    password: str
    usernames: list[str]
    agent_folders: list[Path]


def demo_password() -> str:
    """One password for every demo login, made once per data folder and kept there."""
    path = Path(settings.DATA_DIR) / "demo-password"
    if not path.exists():
        path.write_text(f"demo-{secrets.token_urlsafe(9)}")
        path.chmod(0o600)
    return path.read_text().strip()


def load_demo() -> DemoResult:
    """Load the directory and the demo people; running it again changes nothing."""
    import_agencies(AGENCIES_CSV.read_text(encoding="utf-8"))
    password = demo_password()
    office = Agency.objects.get(code=OFFICE_CODE)
    with transaction.atomic():
        for username, full_name, position, roles, clearance in DEMO_PEOPLE:
            if User.objects.filter(username=username).exists():
                continue
            create_user(
                actor=None,
                username=username,
                password=password,
                agency=office,
                roles=roles,
                full_name=full_name,
                position=position,
                clearance=clearance,
                email=f"{username}@demo.govoffice.invalid",
            )
    setup_office_work(office)
    folders = enroll_hub_members()
    return DemoResult(
        Agency.objects.count(), Member.objects.filter(active=True).count(), password,
        [p[0] for p in DEMO_PEOPLE], folders,
    )


def setup_office_work(office: Agency) -> None:
    """The office's approval chain for submissions and signing certificates for its leaders."""
    from govoffice.records.permissions import LEADERS
    from govoffice.records.services.submissions import seed_chains
    from govoffice.signing.people import current_key, issue_signer_key

    seed_chains(office)
    for leader in User.objects.filter(agency=office, roles__role__in=LEADERS).distinct():
        if current_key(leader) is None:
            issue_signer_key(actor=None, user=leader)


def enroll_hub_members() -> list[Path]:
    """Every top-level body joins the hub, as all 95 had by 2019; a few get agent folders."""
    from govoffice.exchange.management.commands.hub import write_agent_folder

    folders = []
    enrolled = set(Member.objects.values_list("agency_id", flat=True))
    for agency in Agency.objects.filter(parent__isnull=True, active=True).order_by("code"):
        if agency.pk in enrolled:
            continue
        enrolment = enroll_member(actor=None, agency=agency)
        if agency.code == OFFICE_CODE:
            # The office's own identity on the hub: records sign and send with it.
            folder = Path(settings.AGENT_CONFIG).parent
        elif agency.code in AGENT_FOLDERS:
            folder = Path(settings.DATA_DIR) / "agents" / agency.code
        else:
            folder = None
        if folder is not None:
            write_agent_folder(
                folder, agency_code=agency.code, api_key=enrolment.api_key,
                key_pem=enrolment.private_key_pem, cert_pem=enrolment.certificate.pem,
            )
            if agency.code != OFFICE_CODE:
                folders.append(folder)
    return folders
