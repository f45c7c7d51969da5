"""Open311 GeoReport v2 at /open311/v2/: services, service definitions, requests (GET with the
spec's filters, POST with api_key), one request, tokens. Each answers in .json or .xml.

What is public: a request's status, service, agency and dates; its description only once the
answer is published (the moderated text, personal data hidden). Nobody's contacts or address.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.views.decorators.csrf import csrf_exempt

from govoffice.lib.errors import DomainError
from govoffice.portal.feedback import codes, ratelimit
from govoffice.portal.feedback.conf import conf
from govoffice.portal.feedback.models import CLOSED_STATES, Feedback, State, Topic, Via
from govoffice.portal.feedback.services.clients import client_for_key
from govoffice.portal.feedback.services.intake import NewFeedback, submit_feedback
from govoffice.portal.open311 import render
from govoffice.portal.open311.services import definition, service_list, service_name

# Our field names as an Open311 client knows them.
FIELDS = {"name": "first_name", "content": "description", "agency": "attribute[agency]", "source": "attribute[source]",
          "subject": "attribute[subject]", "tax_code": "attribute[tax_code]", "topic": "service_code", "lat": "lat", "long": "long"}
ROW_FIELDS = ("code", "state", "topic", "received_at", "updated_at", "hub_status", "published_question", "published_at",
              "forwarded_to__name_vi", "answer_agency__name_vi")


def services(request: HttpRequest, fmt: str) -> HttpResponse:
    rows = service_list()
    return render.respond(fmt, rows, render.to_xml("services", "service", rows))


def service_definition(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    if code not in Topic.values:
        return render.errors(fmt, 404, f"service_code {code} not found")
    data = definition(code)
    return render.respond(fmt, data, render.one_to_xml("service_definition", data))


def _iso(value: dt.datetime | None) -> str | None:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def _labels() -> tuple[dict[str, str], dict[str, str]]:
    """The Vietnamese state and service names, once per answer rather than once per row."""
    with translation.override("vi"):
        return {s.value: str(s.label) for s in State}, {t.value: service_name(t.value) for t in Topic}


def _status_notes(row: dict[str, Any], states: dict[str, str]) -> str:
    label = states[row["state"]]
    return f"{label} (trạng thái {row['hub_status']})" if row["hub_status"] else label


def as_request(row: dict[str, Any], states: dict[str, str], services: dict[str, str]) -> dict[str, Any]:
    """One service request in the spec's fields (finer states in status_notes)."""
    published = row["state"] == State.PUBLISHED
    return {
        "service_request_id": row["code"],
        "status": "closed" if row["state"] in CLOSED_STATES else "open",
        "status_notes": _status_notes(row, states),
        "service_name": services.get(row["topic"], ""),
        "service_code": row["topic"],
        "description": row["published_question"] if published else "",
        "agency_responsible": row["answer_agency__name_vi"] or row["forwarded_to__name_vi"] or "Văn phòng Chính phủ",
        "service_notice": "",
        "requested_datetime": _iso(row["received_at"]),
        "updated_datetime": _iso(row["updated_at"]),
        "expected_datetime": None,
        "address": "",
        "address_id": "",
        "zipcode": "",
        "lat": None,
        "long": None,
        "media_url": "",
    }


def _rows(fmt: str, rows: list[dict[str, Any]]) -> HttpResponse:
    states, services = _labels()
    out = [as_request(r, states, services) for r in rows]
    return render.respond(fmt, out, render.to_xml("service_requests", "request", out))


def _date(value: str, name: str) -> dt.datetime:
    parsed = parse_datetime(value.strip().replace(" ", "+")) if value else None
    if parsed is None or timezone.is_naive(parsed):
        raise DomainError("invalid_date", f"{name} must be an ISO 8601 date and time with a time zone (e.g. 2019-05-01T00:00:00+07:00)")
    return parsed


def _list(request: HttpRequest, fmt: str) -> HttpResponse:
    wait = ratelimit.check(request, "open311-get", "lookup_limit")
    if wait:
        return render.errors(fmt, 429, f"Too many requests; try again in {wait} seconds", retry_after=wait)
    qs = Feedback.objects.all()
    ids = [c for c in (codes.normalise(x) for x in request.GET.get("service_request_id", "").split(",")) if c]
    if request.GET.get("service_request_id"):
        qs = qs.filter(code__in=ids)  # the spec: with ids, the other filters are ignored
    else:
        try:
            start = _date(request.GET["start_date"], "start_date") if request.GET.get("start_date") else None
            end = _date(request.GET["end_date"], "end_date") if request.GET.get("end_date") else None
        except DomainError as exc:
            return render.errors(fmt, 400, exc.message)
        if start is None and end is None:
            start = timezone.now() - dt.timedelta(days=int(conf("open311_default_days")))
        if start and end and start > end:
            return render.errors(fmt, 400, "start_date is after end_date")
        if start:
            qs = qs.filter(received_at__gte=start)
        if end:
            qs = qs.filter(received_at__lte=end)
        if request.GET.get("service_code"):
            wanted = [c.strip() for c in request.GET["service_code"].split(",") if c.strip()]
            unknown = [c for c in wanted if c not in Topic.values]
            if unknown:
                return render.errors(fmt, 400, f"service_code {unknown[0]} not found")
            qs = qs.filter(topic__in=wanted)
        if request.GET.get("status"):
            statuses = {s.strip().lower() for s in request.GET["status"].split(",") if s.strip()}
            if not statuses <= {"open", "closed"}:
                return render.errors(fmt, 400, "status is open, closed, or both separated by a comma")
            if statuses == {"open"}:
                qs = qs.exclude(state__in=CLOSED_STATES)
            elif statuses == {"closed"}:
                qs = qs.filter(state__in=CLOSED_STATES)
    rows = list(qs.order_by("-received_at", "-pk").values(*ROW_FIELDS)[: int(conf("open311_max_results"))])
    return _rows(fmt, rows)


def _bad_jurisdiction(request: HttpRequest) -> bool:
    given = (request.POST.get("jurisdiction_id") or request.GET.get("jurisdiction_id") or "").strip()
    return bool(given) and given != conf("open311_jurisdiction")


def _create(request: HttpRequest, fmt: str) -> HttpResponse:
    wait = ratelimit.check(request, "open311-post", "open311_post_limit")
    if wait:
        return render.errors(fmt, 429, f"Too many requests; try again in {wait} seconds", retry_after=wait)
    data = request.POST
    client = client_for_key(data.get("api_key", "").strip())
    if client is None:
        return render.errors(fmt, 403, "Invalid api_key received -- can't proceed with create_request.")
    if _bad_jurisdiction(request):
        return render.errors(fmt, 404, f"jurisdiction_id {data.get('jurisdiction_id')} not found")
    code = data.get("service_code", "").strip()
    if not code:
        return render.errors(fmt, 400, "service_code is required")
    if code not in Topic.values:
        return render.errors(fmt, 404, f"service_code {code} not found")
    key = request.headers.get("Idempotency-Key", "").strip()
    if len(key) > 200:
        return render.errors(fmt, 400, "Idempotency-Key is at most 200 characters")
    try:
        lat = float(data["lat"]) if data.get("lat") else None
        lon = float(data["long"]) if data.get("long") else None
    except ValueError:
        return render.errors(fmt, 400, "lat and long are decimal degrees (WGS84)")
    description = data.get("description", "")
    if not description.strip():
        return render.errors(fmt, 400, "description: the content of the feedback is required")
    name = " ".join(p for p in (data.get("first_name", "").strip(), data.get("last_name", "").strip()) if p)
    new = NewFeedback(
        source=data.get("attribute[source]", "citizen").strip() or "citizen", name=name,
        subject=data.get("attribute[subject]", "").strip() or description.strip()[:100],
        content=description, email=data.get("email", ""), phone=data.get("phone", ""),
        agency_code=data.get("attribute[agency]", ""), topic=code, address=data.get("address_string", ""),
        tax_code=data.get("attribute[tax_code]", ""), lat=lat, long=lon,
    )
    try:
        row, _created = submit_feedback(new=new, via=Via.OPEN311, client=client, idempotency_key=key or None)
    except DomainError as exc:
        where = FIELDS.get(exc.field or "", exc.field or "")
        return render.errors(fmt, exc.status, f"{where}: {exc.message}" if where else exc.message)
    out = [{"service_request_id": row.code, "token": row.open311_token, "service_notice": "", "account_id": None}]
    return render.respond(fmt, out, render.to_xml("service_requests", "request", out), status=201)


@csrf_exempt  # a machine API: clients authenticate with api_key, they hold no session
def requests(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _create(request, fmt)
    if request.method in ("GET", "HEAD"):
        return _list(request, fmt)
    response = render.errors(fmt, 405, f"{request.method} is not allowed here")
    response["Allow"] = "GET, POST"
    return response


def one_request(request: HttpRequest, request_id: str, fmt: str) -> HttpResponse:
    wait = ratelimit.check(request, "lookup", "lookup_limit")
    if wait:
        return render.errors(fmt, 429, f"Too many requests; try again in {wait} seconds", retry_after=wait)
    code = codes.normalise(request_id)
    rows = list(Feedback.objects.filter(code=code).values(*ROW_FIELDS)[:1]) if code else []
    if not rows:
        return render.errors(fmt, 404, f"service_request_id {request_id} not found")
    return _rows(fmt, rows)


def token(request: HttpRequest, token_id: str, fmt: str) -> HttpResponse:
    wanted = token_id.strip().lower()
    # Tokens are 32 hex digits (codes.new_token): anything else names nothing, and is not asked of the database.
    row = Feedback.objects.filter(open311_token=wanted).values("code", "open311_token").first() if wanted.isascii() and wanted.isalnum() else None
    if row is None:
        return render.errors(fmt, 404, f"token {token_id} not found")
    out = [{"service_request_id": row["code"], "token": row["open311_token"]}]
    return render.respond(fmt, out, render.to_xml("service_requests", "request", out))


def not_found(request: HttpRequest, rest: str) -> HttpResponse:
    return render.errors("json" if rest.endswith(".json") else "xml", 404, "No such resource; formats are .json and .xml")


