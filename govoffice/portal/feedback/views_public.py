"""Public pages, no sign-in: file feedback, follow it by receipt code, read published answers,
rate an answer through the link in the e-mail. Thin: services decide, pages show."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from govoffice.directory.models import Role, User
from govoffice.lib.errors import DomainError
from govoffice.portal.feedback import codes, ratelimit, selectors
from govoffice.portal.feedback.files import read_upload
from govoffice.portal.feedback.forms import FeedbackForm, LookupForm, RatingForm, SearchForm
from govoffice.portal.feedback.models import Feedback, Source, Via
from govoffice.portal.feedback.services.intake import NewFeedback, submit_feedback
from govoffice.portal.feedback.services.replies import check_rating_token, rate_answer

PAGE_SIZE = 20


def too_many(request: HttpRequest, wait: int) -> HttpResponse:
    response = render(request, "feedback/too_many.html", {"wait": wait}, status=429)
    response["Retry-After"] = str(wait)
    return response


def _account(request: HttpRequest) -> User | None:
    user = request.user
    return user if isinstance(user, User) and user.is_active and user.has_role(Role.CITIZEN, Role.BUSINESS) else None


@never_cache
@require_http_methods(["GET", "POST"])
def new_feedback(request: HttpRequest) -> HttpResponse:
    account = _account(request)
    if request.method != "POST":
        initial = {}
        if account is not None:
            initial = {"name": account.full_name, "email": account.email, "phone": account.phone,
                       "source": Source.BUSINESS if account.has_role(Role.BUSINESS) else Source.CITIZEN}
        return render(request, "feedback/new.html", {"form": FeedbackForm(initial=initial)})
    wait = ratelimit.check(request, "submit", "submit_limit", "submit_limit_account")
    if wait:
        return too_many(request, wait)
    form = FeedbackForm(request.POST, request.FILES)
    if form.is_valid():
        d = form.cleaned_data
        try:
            new = NewFeedback(
                source=d["source"], name=d["name"], email=d["email"], phone=d["phone"], address=d["address"],
                tax_code=d["tax_code"], agency_code=d["agency"], topic=d["topic"], subject=d["subject"],
                content=d["content"], files=[read_upload(f) for f in request.FILES.getlist("attachments")],
            )
            row, _created = submit_feedback(new=new, account=account, via=Via.WEB)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Your feedback was received. Keep the receipt code %(code)s.") % {"code": row.code})
            return redirect(f"{reverse('feedback:status')}?code={row.code}")
    return render(request, "feedback/new.html", {"form": form}, status=400)


@never_cache
def status(request: HttpRequest) -> HttpResponse:
    """The public status of a receipt code: the same answer whoever asks, no hint about other codes."""
    found, asked = None, False
    form = LookupForm(request.GET or None)
    if request.GET.get("code"):
        wait = ratelimit.check(request, "lookup", "lookup_limit")
        if wait:
            return too_many(request, wait)
        asked = True
        if form.is_valid():
            found = selectors.public_status(form.cleaned_data["code"])
    answer = selectors.published_answer(found["code"]) if found else None
    return render(request, "feedback/status.html", {"form": form, "found": found, "asked": asked, "answer": answer},
                  status=404 if asked and found is None else 200)


def answers(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    q = form.cleaned_data["q"] if form.is_valid() else ""
    page = Paginator(selectors.published_answers(q), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "feedback/answers.html", {"form": form, "page": page, "q": q})


def answer_detail(request: HttpRequest, code: str) -> HttpResponse:
    row = selectors.published_answer(code)
    if row is None:
        raise Http404
    return render(request, "feedback/answer_detail.html", {"row": row})


@never_cache
@require_http_methods(["GET", "POST"])
def rate(request: HttpRequest, code: str, token: str) -> HttpResponse:
    wanted = codes.normalise(code)
    row = Feedback.objects.filter(code=wanted).first() if wanted else None
    if row is None or not check_rating_token(row, token):
        raise Http404
    if row.rated_at is not None:
        return render(request, "feedback/rated.html", {"row": row})
    form = RatingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            rate_answer(code=code, token=token, satisfied=form.cleaned_data["satisfied"], comment=form.cleaned_data["comment"])
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Thank you for rating the answer."))
            return redirect(request.path)
    return render(request, "feedback/rate.html", {"row": row, "form": form}, status=400 if form.errors else 200)
