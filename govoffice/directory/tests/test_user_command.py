from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from govoffice.audit.models import Event
from govoffice.directory.models import Agency, User

pytestmark = pytest.mark.django_db


def test_the_first_administrator_is_created_from_the_command_line(office: Agency, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("Mật-khẩu-quản-trị-2026\n"))
    call_command("user", "create", "admin", "--agency", office.code, "--role", "administrator", "--password-stdin")
    admin = User.objects.get(username="admin")
    assert admin.has_role("administrator") and admin.check_password("Mật-khẩu-quản-trị-2026")
    assert Event.objects.filter(action="user.created", object_id=str(admin.pk)).exists()


def test_a_weak_password_is_refused_and_nobody_is_created(office: Agency, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("123\n"))
    with pytest.raises(CommandError):
        call_command("user", "create", "admin", "--agency", office.code, "--password-stdin")
    assert not User.objects.filter(username="admin").exists()


def test_an_unknown_agency_is_refused(monkeypatch: pytest.MonkeyPatch, db: None) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("Mật-khẩu-quản-trị-2026\n"))
    with pytest.raises(CommandError, match="No agency"):
        call_command("user", "create", "admin", "--agency", "000.00.00.G77", "--password-stdin")
