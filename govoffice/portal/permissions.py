"""Who may do what with dossiers (deny by default): the applicant with their own, the portal
officers of the procedure's agency (or a parent of it) with its dossiers; nobody else."""

from __future__ import annotations

from typing import Any

from govoffice.directory.models import Role, User
from govoffice.directory.permissions import register, same_agency
from govoffice.portal.models import Dossier, Procedure


def _applicant_kinds(user: User) -> set[str]:
    kinds = set()
    if user.has_role(Role.CITIZEN):
        kinds.add("citizen")
    if user.has_role(Role.BUSINESS):
        kinds.add("business")
    return kinds


@register("portal.dossier.submit")
def _submit(user: User, procedure: Any) -> bool:
    return (isinstance(procedure, Procedure) and procedure.active and procedure.online
            and bool(_applicant_kinds(user) & set(procedure.applicants)))


@register("portal.dossier.view")
def _view(user: User, dossier: Any) -> bool:
    return isinstance(dossier, Dossier) and (dossier.applicant_id == user.pk or _officer(user, dossier))


@register("portal.dossier.apply")
def _apply(user: User, dossier: Any) -> bool:
    """The applicant's own moves: withdraw, add papers, see the fee."""
    return isinstance(dossier, Dossier) and dossier.applicant_id is not None and dossier.applicant_id == user.pk


@register("portal.dossier.handle")
def _handle(user: User, dossier: Any) -> bool:
    return isinstance(dossier, Dossier) and _officer(user, dossier)


def _officer(user: User, dossier: Dossier) -> bool:
    return user.has_role(Role.PORTAL_OFFICER) and same_agency(user, dossier.agency)
