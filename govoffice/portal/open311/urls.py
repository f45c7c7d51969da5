"""Open311 GeoReport v2, mounted at /open311/v2/."""

from __future__ import annotations

from django.urls import path  # noqa: F401

app_name = "open311"

urlpatterns: list = []
