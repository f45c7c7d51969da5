"""The portal API (/api/v1/portal/…): the public catalogue and status lookup (no authentication),
sign-up, the applicant's dossiers and the agency officer's moves. A dossier the caller may not
see answers 404, as if it did not exist."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Status, UploadedFile

from govoffice.apiauth import current_user
from govoffice.apischema import errors
from govoffice.directory.models import User
from govoffice.lib.errors import DomainError, NotFound
from govoffice.portal import public_cache, receipts, selectors
from govoffice.portal.models import Dossier, Payment, Procedure
from govoffice.portal.models import Status as DossierStatus
from govoffice.portal.ratelimit import RateLimited, limit_account, limit_address
from govoffice.portal.schemas import (
    AccountOut,
    CatalogueFilter,
    DossierDetail,
    DossierFilter,
    DossierPage,
    FacetsOut,
    FeesIn,
    FinishIn,
    NoteIn,
    ProcedureDetail,
    ProcedurePage,
    ReasonIn,
    SignUpIn,
    StatusOut,
)
from govoffice.portal.services import accounts
from govoffice.portal.services import dossiers as flow
from govoffice.portal.views_public import LOOKUP_SHARED_SECONDS

router = Router(tags=["portal"])
NO_FILES = File(None)
IDEMPOTENCY = {
    "parameters": [
        {"name": "Idempotency-Key", "in": "header", "required": False, "schema": {"type": "string", "maxLength": 200},
         "description": "a retry with the same key returns the dossier the first request filed (200), never a second one"}
    ],
}


def too_many(exc: RateLimited) -> HttpResponse:
    response = JsonResponse(exc.as_dict(), status=429)
    response["Retry-After"] = str(exc.retry_after)
    return response


def rate_limited(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Turn RateLimited into 429 with Retry-After (the shared handler knows no headers)."""

    @functools.wraps(fn)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        try:
            return fn(request, *args, **kwargs)
        except RateLimited as exc:
            return too_many(exc)

    return wrapper


def procedure_out(p: Procedure, detail: bool = False) -> dict[str, Any]:
    out = {
        "code": p.code, "name": p.name, "agency_code": p.agency.code, "agency_name": p.agency.name_vi, "field": p.field,
        "field_slug": p.field_slug, "level": p.level, "papers": p.papers, "fee_text": p.fee_text, "fee_amount": p.fee_amount,
        "processing_days": p.processing_days, "result": p.result, "applicants": p.applicants, "online": p.online,
    }
    if detail:
        out.update(form=p.form, min_attachments=p.min_attachments, legal_basis=p.legal_basis)
    return out


@router.get("/procedures", auth=None, response={200: ProcedurePage, **errors(422, 429)},
            summary="The procedure catalogue: words with or without diacritics, filters by field, agency, level, applicant")
@rate_limited
def list_procedures(request: HttpRequest, filters: Query[CatalogueFilter]) -> Any:
    limit_address(request, "search")
    qs = selectors.procedures(selectors.CatalogueQuery(filters.q, filters.field, filters.agency, filters.level, filters.applicant))
    return {"count": qs.count(), "items": [procedure_out(p) for p in qs[filters.offset: filters.offset + filters.limit]]}


@router.get("/procedures/{code}", auth=None, response={200: ProcedureDetail, **errors(404)},
            summary="One procedure with its papers, fees, time limit and its own form fields")
def procedure_detail(request: HttpRequest, code: str) -> Any:
    found = selectors.procedure(code)
    if found is None:
        raise NotFound("not_found", _("No procedure has this code"))
    return procedure_out(found, detail=True)


@router.get("/facets", auth=None, response={200: FacetsOut}, summary="The catalogue's fields and agencies with counts")
def catalogue_facets(request: HttpRequest) -> Any:
    data = selectors.facets()
    return {"fields": data["fields"], "total": data["total"],
            "agencies": [{"code": a["code"], "name": a["name"], "count": a["count"]} for a in data["agencies"]]}


@router.get("/status/{code}", auth=None, response={200: StatusOut, **errors(404, 422, 429)},
            summary="The public status of a dossier or a feedback by its receipt code",
            description="Only the status and when it changed. A malformed code (wrong check symbol) is 422; "
                        "a well-formed code that names nothing is 404, the same whoever's it would be.")
@rate_limited
def status_lookup(request: HttpRequest, response: HttpResponse, code: str) -> Any:
    limit_address(request, "lookup")
    if receipts.parse(code) is None:
        raise DomainError("invalid_code", _("This is not a receipt code: check the characters"), field="code", status=422)
    found = public_cache.public_status(code)
    if found is None:
        raise NotFound("not_found", _("No dossier or feedback has this receipt code"))
    # Browsers ask again each time; nginx may answer for a few seconds (docs/portal.md).
    patch_cache_control(response, public=True, max_age=0, s_maxage=LOOKUP_SHARED_SECONDS)
    patch_vary_headers(response, ("Cookie",))  # the status label follows the language cookie
    return found


@router.post("/accounts", auth=None, response={201: AccountOut, **errors(422, 429)},
             summary="Sign up as a citizen (12-digit identity number) or a business (tax code); a confirmation link is e-mailed",
             description="The account stays inactive until the link (valid 48 hours) is opened. A number or e-mail address that already has an account gets the same answer (nothing is created; that account's owner is e-mailed), so the answer never tells whose numbers are registered.")
@rate_limited
def sign_up(request: HttpRequest, body: SignUpIn) -> Any:
    limit_address(request, "signup")
    username = accounts.sign_up(accounts.SignUp(body.kind, body.number, body.name, body.email, body.password, body.phone),
                                base_url=request.build_absolute_uri("/")[:-1])
    # The same answer whether or not the number already had an account (its owner is e-mailed).
    return Status(201, {"username": username, "kind": body.kind, "active": False})


def dossier_out(d: Dossier, detail: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "receipt_code": d.receipt_code, "procedure": d.procedure.code, "procedure_name": d.procedure.name, "agency": d.agency.code,
        "applicant_kind": d.applicant_kind, "applicant_name": d.applicant_name, "status": d.status,
        "status_label": str(DossierStatus(d.status).label), "status_note": d.status_note, "submitted_at": d.submitted_at,
        "due_date": d.due_date, "overdue": selectors.is_overdue(d), "finished_late": d.finished_late, "data": d.data,
    }
    if detail:
        out["steps"] = [{"at": s.at, "status": s.status, "status_label": str(DossierStatus(s.status).label), "note": s.note}
                        for s in d.steps.all()]
        out["files"] = [{"id": f.pk, "role": f.role, "name": f.name, "content_type": f.content_type, "size": f.size, "sha256": f.sha256}
                        for f in d.files.all()]
        out["payments"] = [{"reference": p.reference, "provider": p.provider, "amount": p.amount, "state": p.state,
                            "instructions": p.instructions} for p in d.payments.all()]
        out["result_document"] = d.result_outgoing.notation if d.result_outgoing_id and d.result_outgoing else None
    return out


def _dossier(user: User, code: str) -> Dossier:
    found = selectors.visible_dossier(user, code)
    if found is None:
        raise NotFound("not_found", _("No such dossier"))
    return found


@router.get("/dossiers", response={200: DossierPage, **errors(401, 422)},
            summary="The caller's dossiers: an applicant's own, or an officer's agency's (filter by status, overdue)")
def list_dossiers(request: HttpRequest, filters: Query[DossierFilter]) -> Any:
    user = current_user(request)
    qs = selectors.officer_dossiers(user) if user.has_role("portal_officer") else selectors.applicant_dossiers(user)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.overdue:
        qs = qs.filter(selectors.overdue_q())
    return {"count": qs.count(), "items": [dossier_out(d) for d in qs[filters.offset: filters.offset + filters.limit]]}


@router.post("/dossiers", response={201: DossierDetail, 200: DossierDetail, **errors(401, 403, 404, 413, 415, 422, 429)},
             summary="File a dossier (multipart: `procedure`, `values` as a JSON object of the form's fields, `files`)",
             description="Files are checked by content (PDF, JPEG, PNG; else 415) and size (413). The form's fields are "
                         "checked as the procedure defines them (422 names the field).",
             openapi_extra=IDEMPOTENCY)
@rate_limited
def submit(request: HttpRequest, procedure: Form[str], values: Form[str] = "{}",
           files: list[UploadedFile] | None = NO_FILES) -> Any:
    user = current_user(request)
    key = request.headers.get("Idempotency-Key", "").strip() or None
    if key and len(key) > 200:
        raise DomainError("invalid_idempotency_key", "Idempotency-Key is at most 200 characters", field="Idempotency-Key", status=422)
    if key:
        earlier = Dossier.objects.filter(applicant=user, idempotency_key=key).first()
        if earlier is not None:
            return Status(200, dossier_out(_dossier(user, earlier.receipt_code), detail=True))
    limit_account(user, "submit")
    limit_address(request, "submit")
    found = selectors.procedure(procedure)
    if found is None:
        raise NotFound("unknown_procedure", _("No procedure has this code"))
    try:
        parsed = json.loads(values or "{}")
    except json.JSONDecodeError as exc:
        raise DomainError("invalid_input", "values must be a JSON object", field="values", status=422) from exc
    if not isinstance(parsed, dict):
        raise DomainError("invalid_input", "values must be a JSON object", field="values", status=422)
    uploads = [flow.Upload(f.name or "file", f.read()) for f in files or []]
    row = flow.submit_dossier(applicant=user, procedure=found, values=parsed, files=uploads, idempotency_key=key)
    return Status(201, dossier_out(_dossier(user, row.receipt_code), detail=True))


@router.get("/dossiers/{code}", response={200: DossierDetail, **errors(401, 404)},
            summary="One dossier with its timeline, files and payments (its applicant or the agency's officers)")
def dossier_detail(request: HttpRequest, code: str) -> Any:
    return dossier_out(_dossier(current_user(request), code), detail=True)


def _act(request: HttpRequest, code: str, move: Callable[[User, Dossier], Any]) -> Any:
    user = current_user(request)
    dossier = _dossier(user, code)
    limit_account(user, "write")
    move(user, dossier)
    return dossier_out(_dossier(user, code), detail=True)


MOVE = {**errors(401, 403, 404, 409, 422, 429)}


@router.post("/dossiers/{code}/accept", response={200: DossierDetail, **MOVE}, summary="Officer: accept (2); the deadline starts")
@rate_limited
def accept(request: HttpRequest, code: str, body: NoteIn) -> Any:
    return _act(request, code, lambda u, d: flow.accept_dossier(actor=u, dossier=d, note=body.note))


@router.post("/dossiers/{code}/refuse", response={200: DossierDetail, **MOVE}, summary="Officer: not accepted (3), with the reason")
@rate_limited
def refuse(request: HttpRequest, code: str, body: ReasonIn) -> Any:
    return _act(request, code, lambda u, d: flow.refuse_dossier(actor=u, dossier=d, reason=body.reason))


@router.post("/dossiers/{code}/request-papers", response={200: DossierDetail, **MOVE}, summary="Officer: ask for more papers (5)")
@rate_limited
def ask_papers(request: HttpRequest, code: str, body: NoteIn) -> Any:
    return _act(request, code, lambda u, d: flow.request_papers(actor=u, dossier=d, note=body.note))


@router.post("/dossiers/{code}/request-fees", response={200: DossierDetail, **MOVE},
             summary="Officer: ask for the fee (6); the applicant gets a bank-transfer reference")
@rate_limited
def ask_fees(request: HttpRequest, code: str, body: FeesIn) -> Any:
    return _act(request, code, lambda u, d: flow.request_fees(actor=u, dossier=d, amount=body.amount, note=body.note))


@router.post("/dossiers/{code}/payments/{reference}/confirm", response={200: DossierDetail, **MOVE},
             summary="Officer: the transfer arrived; processing resumes (4)")
@rate_limited
def confirm(request: HttpRequest, code: str, reference: str) -> Any:
    def move(user: User, dossier: Dossier) -> Any:
        payment = Payment.objects.select_related("dossier").filter(dossier=dossier, reference=reference).first()
        if payment is None:
            raise NotFound("not_found", _("No such payment for this dossier"))
        return flow.confirm_payment(actor=user, payment=payment)

    return _act(request, code, move)


@router.post("/dossiers/{code}/process", response={200: DossierDetail, **MOVE}, summary="Officer: processing (4)")
@rate_limited
def process(request: HttpRequest, code: str, body: NoteIn) -> Any:
    return _act(request, code, lambda u, d: flow.start_processing(actor=u, dossier=d, note=body.note))


@router.post("/dossiers/{code}/finish", response={200: DossierDetail, **MOVE, **errors(413, 415)},
             summary="Officer: processed (9) with the result: an issued document's id, or a PDF with a valid PAdES signature")
@rate_limited
def finish(request: HttpRequest, code: str, data: Form[FinishIn], result: UploadedFile | None = NO_FILES) -> Any:
    from govoffice.records.models import Outgoing

    def move(user: User, dossier: Dossier) -> Any:
        outgoing = None
        if data.outgoing_id is not None:
            outgoing = Outgoing.objects.filter(pk=data.outgoing_id).first()
            if outgoing is None:
                raise DomainError("not_issued", _("No such issued document"), field="outgoing", status=422)
        pdf = flow.Upload(result.name or "result.pdf", result.read()) if result is not None else None
        return flow.finish_dossier(actor=user, dossier=dossier, outgoing=outgoing, pdf=pdf, note=data.note)

    return _act(request, code, move)


@router.post("/dossiers/{code}/return", response={200: DossierDetail, **MOVE}, summary="Officer: result returned (10)")
@rate_limited
def give_back(request: HttpRequest, code: str, body: NoteIn) -> Any:
    return _act(request, code, lambda u, d: flow.return_result(actor=u, dossier=d, note=body.note))


@router.post("/dossiers/{code}/stop", response={200: DossierDetail, **MOVE}, summary="Officer: processing stopped (8), with the reason")
@rate_limited
def stop(request: HttpRequest, code: str, body: ReasonIn) -> Any:
    return _act(request, code, lambda u, d: flow.stop_dossier(actor=u, dossier=d, reason=body.reason))


@router.post("/dossiers/{code}/withdraw", response={200: DossierDetail, **MOVE}, summary="Applicant: ask to withdraw (7)")
@rate_limited
def withdraw(request: HttpRequest, code: str, body: NoteIn) -> Any:
    return _act(request, code, lambda u, d: flow.withdraw_dossier(actor=u, dossier=d, reason=body.note))


@router.post("/dossiers/{code}/papers", response={200: DossierDetail, **MOVE, **errors(413, 415)},
             summary="Applicant: send the papers asked for (multipart `files`); back to 1, or 4 if accepted")
@rate_limited
def papers(request: HttpRequest, code: str, note: Form[str] = "", files: list[UploadedFile] | None = NO_FILES) -> Any:
    uploads = [flow.Upload(f.name or "file", f.read()) for f in files or []]
    return _act(request, code, lambda u, d: flow.add_papers(actor=u, dossier=d, files=uploads, note=note))


