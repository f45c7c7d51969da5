"""The office's document pages, mounted at /records/: one include per area."""

from __future__ import annotations

from django.urls import include, path

app_name = "records"

urlpatterns = [
    path("", include("govoffice.records.urls_incoming")),
    path("", include("govoffice.records.urls_submissions")),
    path("", include("govoffice.records.urls_outgoing")),
    path("", include("govoffice.records.urls_search")),
]
