"""The web shell: sign in and out, the home page of pending work, health."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from govoffice.directory.models import Role, User
from govoffice.directory.permissions import may
from govoffice.web.language import on_sign_in
from govoffice.web.worklist import sections_for

# What each role's home page says it is for, in the order a person with several roles sees it.
ROLE_INTROS = {
    Role.CLERK: gettext_lazy("Receive, register, number and dispatch documents."),
    Role.SPECIALIST: gettext_lazy("Handle assigned documents and draft submissions and replies."),
    Role.DEPARTMENT_HEAD: gettext_lazy("Assign work to your department and review its drafts."),
    Role.OFFICE_LEADER: gettext_lazy("Assign, approve and sign for the office."),
    Role.GOVERNMENT_LEADER: gettext_lazy("Decide on submissions and sign."),
    Role.GOVERNMENT_MEMBER: gettext_lazy("Read meeting dossiers and answer written ballots."),
    Role.AGENCY_SYSTEM: gettext_lazy("A machine account for an agency's software."),
    Role.CITIZEN: gettext_lazy("Follow your dossiers and feedback."),
    Role.BUSINESS: gettext_lazy("Follow your business's dossiers and feedback."),
    Role.CABINET_STAFF: gettext_lazy("Prepare Government meetings and written ballots."),
    Role.PORTAL_OFFICER: gettext_lazy("Answer dossiers and feedback from the Government portal."),
    Role.SUPERVISION_OFFICER: gettext_lazy("Follow up the tasks the Government assigns and inspect their progress."),
    Role.AUDITOR: gettext_lazy("Read and verify the audit log."),
    Role.ADMINISTRATOR: gettext_lazy("Manage agencies, people, roles and keys."),
}


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        """Signed in: the person's language choice is kept or comes back (web.language)."""
        response = super().form_valid(form)
        user = form.get_user()
        if isinstance(user, User):
            on_sign_in(self.request, user, response)
        return response



@never_cache
@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)  # login_required
    roles = [r for r in Role if user.has_role(r)]
    intros = [(r.label, ROLE_INTROS[r]) for r in roles]
    search_url = reverse("records:search") if may(user, "records.read_register", user.agency) else ""
    return render(request, "web/home.html", {
        "roles": roles, "intros": intros, "sections": sections_for(user), "search_url": search_url,
    })


def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and database reachability, for load balancers and operators."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        db = "ok"
    except Exception:  # any database failure means "not healthy", whatever its type
        db = "unavailable"
    status = 200 if db == "ok" else 503
    return JsonResponse({"status": "ok" if status == 200 else "degraded", "database": db}, status=status)

