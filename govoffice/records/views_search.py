"""The search page (/records/search/) and its CSV export: a GET form that works without
JavaScript, results with the matched words marked on the server, paging, facet counts."""

from __future__ import annotations

import csv
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from govoffice.directory.models import Agency, Clearance, User
from govoffice.directory.permissions import STAFF_ROLES, may
from govoffice.records import search as engine
from govoffice.records.models import (
    DocType,
    Incoming,
    IncomingState,
    Outgoing,
    OutgoingState,
    SearchEntry,
    Urgency,
)
from govoffice.records.permissions import visible_to
from govoffice.records.search_text import Query, highlight, snippet

PER_PAGE = 20
DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
SORT_LABELS = {
    "relevance": gettext_lazy("Relevance"),
    "-date": gettext_lazy("Newest first"),
    "date": gettext_lazy("Oldest first"),
    "number": gettext_lazy("Number (highest first)"),
}
KIND_LABELS = {"incoming": gettext_lazy("Incoming"), "outgoing": gettext_lazy("Outgoing")}


def state_choices() -> list[tuple[str, Any]]:
    """Incoming and outgoing states under one list (a value names the same state in both)."""
    seen: dict[str, Any] = {}
    for value, label in [*IncomingState.choices, *OutgoingState.choices]:
        seen.setdefault(value, label)
    return list(seen.items())


class SearchForm(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("Words"), required=False, max_length=200, strip=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    kind = forms.ChoiceField(label=gettext_lazy("Incoming or outgoing"), required=False)
    doc_type = forms.ChoiceField(label=gettext_lazy("Type"), required=False)
    sender = forms.ChoiceField(label=gettext_lazy("Author agency"), required=False)
    date_from = forms.DateField(
        label=gettext_lazy("From (dd/mm/yyyy)"), required=False, input_formats=DATE_FORMATS,
        widget=forms.DateInput(format="%d/%m/%Y", attrs={"inputmode": "numeric", "placeholder": "dd/mm/yyyy"}),
    )
    date_to = forms.DateField(
        label=gettext_lazy("To (dd/mm/yyyy)"), required=False, input_formats=DATE_FORMATS,
        widget=forms.DateInput(format="%d/%m/%Y", attrs={"inputmode": "numeric", "placeholder": "dd/mm/yyyy"}),
    )
    urgency = forms.TypedChoiceField(label=gettext_lazy("Urgency"), required=False, coerce=int, empty_value=None)
    state = forms.ChoiceField(label=gettext_lazy("Status"), required=False)
    handler = forms.TypedChoiceField(label=gettext_lazy("Handler"), required=False, coerce=int, empty_value=None)
    sort = forms.ChoiceField(label=gettext_lazy("Sort by"), required=False)
    page = forms.IntegerField(required=False, min_value=1, max_value=engine.MAX_RESULTS // PER_PAGE)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        everything = [("", _("All"))]
        fields: Any = self.fields
        fields["kind"].choices = everything + list(KIND_LABELS.items())
        fields["doc_type"].choices = everything + [(v, f"{label} ({v})") for v, label in DocType.choices]
        agencies = Agency.objects.filter(active=True).exclude(kind="unit").order_by("name_vi")
        fields["sender"].choices = everything + [(a.code, a.name_vi) for a in agencies]
        fields["urgency"].choices = everything + [(str(v), label) for v, label in Urgency.choices]
        fields["state"].choices = everything + state_choices()
        people = User.objects.filter(agency_id=user.agency_id or 0, is_active=True, roles__role__in=STAFF_ROLES).distinct()
        fields["handler"].choices = everything + [(str(p.pk), str(p)) for p in people.order_by("full_name", "username")]
        fields["sort"].choices = [("", _("Best first")), *list(SORT_LABELS.items())]

    def mark_errors(self) -> None:
        """Point each invalid input at its message (aria-invalid, aria-describedby)."""
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs.update({"aria-invalid": "true", "aria-describedby": f"id_{name}-error"})

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        return data

    def filters(self) -> engine.Filters:
        d = self.cleaned_data
        return engine.Filters(
            kind=d.get("kind") or "", doc_type=d.get("doc_type") or "", sender=d.get("sender") or "",
            date_from=d.get("date_from"), date_to=d.get("date_to"), urgency=d.get("urgency"),
            state=d.get("state") or "", handler_id=d.get("handler"),
        )


def _detail_url(entry: SearchEntry) -> str:
    name = "records:incoming_detail" if entry.kind == "incoming" else "records:outgoing_detail"
    try:
        return reverse(name, args=[entry.object_id])
    except NoReverseMatch:  # the registers' pages are another part of records
        return ""


def _texts(user: User, entries: list[SearchEntry]) -> dict[tuple[str, int], str]:
    """The full text behind each shown entry (notes, OCR, body), for a snippet; visible only."""
    wanted = {kind: [e.object_id for e in entries if e.kind == kind] for kind in engine.KINDS}
    out: dict[tuple[str, int], str] = {}
    for pk, note, text in Incoming.objects.filter(visible_to(user), pk__in=wanted["incoming"]).values_list("pk", "note", "text"):
        out["incoming", pk] = f"{note}\n{text}"
    for pk, body in Outgoing.objects.filter(visible_to(user), pk__in=wanted["outgoing"]).values_list("pk", "body"):
        out["outgoing", pk] = body
    return out


def result_items(user: User, results: engine.Results) -> list[dict[str, Any]]:
    """Each result as the page shows it: fields with the matched words marked (escaped HTML)."""
    query: Query = results.query
    texts = _texts(user, results.entries) if query else {}
    items = []
    for e in results.entries:
        in_head = bool(query) and query.matched_by(e.head)
        items.append({
            "entry": e,
            "url": _detail_url(e),
            "kind": KIND_LABELS.get(e.kind, e.kind),
            "type": DocType(e.doc_type).label if e.doc_type in DocType.values else e.doc_type,
            "urgency": Urgency(e.urgency).label if e.urgency else "",
            "secret": Clearance(e.confidentiality).label if e.confidentiality else "",
            "state": dict(state_choices()).get(e.state, e.state),
            "number": mark_safe(highlight(e.number_notation, query)),  # noqa: S308  (escaped by highlight)
            "subject": mark_safe(highlight(e.subject, query)),  # noqa: S308
            "sender": mark_safe(highlight(e.sender_name, query)),  # noqa: S308
            "snippet": "" if in_head else mark_safe(snippet(texts.get((e.kind, e.object_id), ""), query)),  # noqa: S308
        })
    return items


def _query_string(data: dict[str, Any], **change: Any) -> str:
    params = {k: v for k, v in {**data, **change}.items() if v not in (None, "")}
    return urlencode(params)


def _facet_links(results: engine.Results, raw: dict[str, Any]) -> list[dict[str, Any]]:
    if not results.facets:
        return []
    names: dict[str, tuple[Any, dict[str, Any]]] = {
        "kind": (gettext_lazy("Incoming or outgoing"), dict(KIND_LABELS)),
        "doc_type": (gettext_lazy("Type"), dict(DocType.choices)),
        "urgency": (gettext_lazy("Urgency"), {str(v): label for v, label in Urgency.choices}),
        "state": (gettext_lazy("Status"), dict(state_choices())),
    }
    groups = []
    for key, counts in results.facets.items():
        title, labels = names[key]
        links = [
            {"label": labels.get(value, value), "count": n, "href": "?" + _query_string(raw, **{key: value, "page": ""}),
             "current": str(raw.get(key, "")) == value}
            for value, n in sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0])))
        ]
        if len(links) > 1 or raw.get(key):
            groups.append({"title": title, "links": links})
    return groups


def _may_search(user: Any) -> bool:
    return may(user, "records.read_register", getattr(user, "agency", None))


@never_cache
@login_required
def search_page(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)  # login_required
    if not _may_search(user):
        return render(request, "records/search/forbidden.html", status=403)
    form = SearchForm(request.GET or None, user=user)
    context: dict[str, Any] = {"form": form, "results": None}
    if request.GET and not form.is_valid():
        form.mark_errors()
    elif request.GET:
        page = form.cleaned_data.get("page") or 1
        results = engine.search(
            user, form.cleaned_data["q"], form.filters(), sort=form.cleaned_data.get("sort") or "",
            offset=(page - 1) * PER_PAGE, limit=PER_PAGE,
        )
        raw = {k: v for k, v in request.GET.items() if k in form.fields}
        context.update(
            results=results, items=result_items(user, results), page=page,
            first=results.offset + 1, last=results.offset + len(results.entries),
            prev_href="?" + _query_string(raw, page=page - 1) if page > 1 else "",
            next_href="?" + _query_string(raw, page=page + 1) if results.has_next and results.entries else "",
            export_href=reverse("records:search_csv") + "?" + _query_string(raw, page=""),
            facets=_facet_links(results, raw), sort_label=SORT_LABELS.get(results.sort, ""),
        )
    return render(request, "records/search/search.html", context)


CSV_COLUMNS = [
    gettext_lazy("Incoming or outgoing"), gettext_lazy("Number and notation"), gettext_lazy("Date"), gettext_lazy("Type"),
    gettext_lazy("Summary"), gettext_lazy("Author agency"), gettext_lazy("Urgency"), gettext_lazy("Status"),
    gettext_lazy("Handler"),
]


@never_cache
@login_required
def search_csv(request: HttpRequest) -> HttpResponse:
    """The matches (up to 10,000) as CSV for a spreadsheet, in the page's order."""
    user = request.user
    assert isinstance(user, User)
    if not _may_search(user):
        return render(request, "records/search/forbidden.html", status=403)
    form = SearchForm(request.GET, user=user)
    if not form.is_valid():
        form.mark_errors()
        return render(request, "records/search/search.html", {"form": form, "results": None}, status=400)
    entries = engine.export_entries(user, form.cleaned_data["q"], form.filters(), sort=form.cleaned_data.get("sort") or "")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="tim-kiem-van-ban-{stamp}.csv"'
    response.write("\ufeff")  # a BOM, so spreadsheets read the Vietnamese as UTF-8
    writer = csv.writer(response)
    writer.writerow([str(c) for c in CSV_COLUMNS])
    states = dict(state_choices())
    for e in entries:
        writer.writerow([
            str(KIND_LABELS.get(e.kind, e.kind)), e.number_notation, timezone.localtime(e.date).strftime("%d/%m/%Y"),
            DocType(e.doc_type).label if e.doc_type in DocType.values else e.doc_type, e.subject, e.sender_name,
            Urgency(e.urgency).label if e.urgency else "", str(states.get(e.state, e.state)),
            str(e.handler) if e.handler else "",
        ])
    return response
