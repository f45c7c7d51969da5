"""A signed-in person's language choice is theirs, not only their browser's: the language
switch (Django's set_language, POST /i18n/setlang/) also stores it in User.language, which
e-mails and notices use; signing in without a choice on that computer brings the stored
one back as the language cookie."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from govoffice.audit.services import record_event
from govoffice.directory.models import User

LANGUAGE_CODES = frozenset(code for code, _name in settings.LANGUAGES)


def set_user_language(*, user: User, language: str) -> bool:
    """Store `language` as the person's choice (True if it changed); unknown codes are ignored."""
    if language not in LANGUAGE_CODES:
        return False
    with transaction.atomic():
        changed = User.objects.filter(pk=user.pk).exclude(language=language).update(language=language)
        if changed:
            record_event("web.language_chosen", actor=user, obj=user, data={"language": language})
    user.language = language
    return bool(changed)


def remember_choice(request: HttpRequest, response: HttpResponse) -> None:
    """After Django's set_language answered a signed-in person's POST, keep the choice."""
    if request.method != "POST" or request.path != reverse("set_language") or response.status_code not in (200, 204, 302):
        return
    user = getattr(request, "user", None)
    language = response.cookies.get(settings.LANGUAGE_COOKIE_NAME)
    if isinstance(user, User) and user.is_authenticated and language is not None:
        set_user_language(user=user, language=language.value)


def on_sign_in(request: HttpRequest, user: User, response: HttpResponse) -> None:
    """The latest choice wins: one made on the sign-in page (the cookie) becomes the person's;
    without one, the person's stored choice becomes the cookie."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    if chosen in LANGUAGE_CODES:
        set_user_language(user=user, language=chosen)
    else:
        restore_choice(user, response)


def restore_choice(user: User, response: HttpResponse) -> None:
    """The person's stored language becomes the language cookie."""
    if user.language in LANGUAGE_CODES:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME, user.language, max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH, domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE, httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
