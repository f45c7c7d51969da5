from __future__ import annotations

import pytest

from govoffice.audit.models import Event
from govoffice.directory.models import Agency, User
from govoffice.directory.services import create_user, grant_role, revoke_role
from govoffice.lib.errors import DomainError

pytestmark = pytest.mark.django_db


def test_passwords_are_hashed_with_argon2(office: Agency) -> None:
    user = create_user(actor=None, username="lan", password="Mật-khẩu-thử-2026", agency=office, roles=["clerk"])
    assert user.password.startswith("argon2")
    assert user.check_password("Mật-khẩu-thử-2026")
    assert user.has_role("clerk") and not user.has_role("administrator")


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"username": " "}, "required"),
        ({"password": "123"}, "weak_password"),
        ({"roles": ["emperor"]}, "invalid_role"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(office: Agency, kwargs: dict, code: str) -> None:
    args = {"username": "lan", "password": "Mật-khẩu-thử-2026", "roles": ["clerk"], **kwargs}
    before = Event.objects.count()
    with pytest.raises(DomainError) as err:
        create_user(actor=None, agency=office, **args)
    assert err.value.code == code
    assert not User.objects.exists()
    assert Event.objects.count() == before


def test_usernames_are_unique_regardless_of_case(office: Agency) -> None:
    create_user(actor=None, username="Lan", password="Mật-khẩu-thử-2026", agency=office)
    with pytest.raises(DomainError) as err:
        create_user(actor=None, username="lan", password="Mật-khẩu-thử-2026", agency=office)
    assert err.value.code == "duplicate_username"


def test_roles_can_be_granted_and_revoked_with_an_audit_trail(office: Agency) -> None:
    user = create_user(actor=None, username="lan", password="Mật-khẩu-thử-2026", agency=office)
    grant_role(actor=None, user=user, role="specialist")
    assert User.objects.get(pk=user.pk).has_role("specialist")
    revoke_role(actor=None, user=user, role="specialist")
    assert not User.objects.get(pk=user.pk).has_role("specialist")
    assert list(Event.objects.filter(object_type="directory.user", object_id=str(user.pk)).values_list("action", flat=True)) == [
        "user.created", "user.role_granted", "user.role_revoked",
    ]
