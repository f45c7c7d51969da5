"""The hub's operations pages, mounted at /hub/."""

from __future__ import annotations

from django.urls import path

from govoffice.exchange import views

app_name = "hub"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("members/", views.members, name="members"),
    path("traffic/", views.traffic, name="traffic"),
    path("traffic.csv", views.traffic_csv, name="traffic_csv"),
    path("alerts/", views.alerts, name="alerts"),
]
