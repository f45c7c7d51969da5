"""Sign-up with an e-mail confirmation link, confirmation, and (Django's) password reset."""

from __future__ import annotations

from django import forms
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from govoffice.lib.errors import DomainError
from govoffice.portal.models import AccountKind
from govoffice.portal.ratelimit import RateLimited, limit_address
from govoffice.portal.services import accounts
from govoffice.portal.views_public import limited_page


class SignUpForm(forms.Form):
    kind = forms.ChoiceField(label=_("I am"), choices=AccountKind.choices, widget=forms.RadioSelect, initial=AccountKind.CITIZEN)
    number = forms.CharField(label=_("Personal identity number (12 digits) or tax code"), max_length=20)
    name = forms.CharField(label=_("Full name or business name"), max_length=255)
    email = forms.EmailField(label=_("E-mail (the confirmation link goes there)"))
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    password = forms.CharField(label=_("Password (at least 10 characters)"), widget=forms.PasswordInput, max_length=128)
    password2 = forms.CharField(label=_("Password again"), widget=forms.PasswordInput, max_length=128)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("password") and data.get("password") != data.get("password2"):
            self.add_error("password2", _("The two passwords differ"))
        return data


def signup(request: HttpRequest) -> HttpResponse:
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            limit_address(request, "signup")
        except RateLimited as exc:
            return limited_page(request, exc)
        d = form.cleaned_data
        try:
            accounts.sign_up(accounts.SignUp(d["kind"], d["number"], d["name"], d["email"], d["password"], d["phone"]),
                             base_url=request.build_absolute_uri("/")[:-1])
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            return render(request, "portal/signup_sent.html", {"email": d["email"]})
    return render(request, "portal/signup.html", {"form": form}, status=422 if form.errors else 200)


def confirm(request: HttpRequest, token: str) -> HttpResponse:
    try:
        user = accounts.confirm_account(token)
    except DomainError as exc:
        return render(request, "portal/confirm.html", {"error": exc.message}, status=400)
    return render(request, "portal/confirm.html", {"confirmed": user})


password_reset = auth_views.PasswordResetView.as_view(
    template_name="portal/password_reset.html", email_template_name="portal/password_reset_email.txt",
    subject_template_name="portal/password_reset_subject.txt", success_url=reverse_lazy("portal:password_reset_done"))
password_reset_done = auth_views.PasswordResetDoneView.as_view(template_name="portal/password_reset_done.html")
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    template_name="portal/password_reset_confirm.html", success_url=reverse_lazy("portal:password_reset_complete"))
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(template_name="portal/password_reset_complete.html")
