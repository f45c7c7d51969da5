"""The marks every new record carries, checked the same way wherever one is made: its urgency
(Hỏa tốc, Thượng khẩn, Khẩn or none), its confidentiality (Mật, Tối mật, Tuyệt mật or none),
and that nobody makes a record more secret than they may see themselves."""

from __future__ import annotations

from django.utils.translation import gettext as _

from govoffice.directory.models import Clearance, User
from govoffice.lib.errors import DomainError, Forbidden
from govoffice.records.models import Urgency


def check_marks(actor: User, *, urgency: int, confidentiality: int, above_clearance: str, status: int | None = None) -> None:
    """Refuse an unknown urgency or confidentiality (`status`: the API's code for a bad choice,
    400 unless given) and a confidentiality above `actor`'s clearance (403, `above_clearance`)."""
    if urgency not in Urgency.values:
        raise DomainError("invalid_choice", _("Unknown urgency"), field="urgency", status=status)
    if confidentiality not in Clearance.values:
        raise DomainError("invalid_choice", _("Unknown confidentiality"), field="confidentiality", status=status)
    if confidentiality > actor.clearance:
        raise Forbidden("clearance", above_clearance, field="confidentiality")
