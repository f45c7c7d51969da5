"""The reports pages."""

from __future__ import annotations

from django.urls import path

from govoffice.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("clerk/", views.clerk, name="clerk"),
    path("leader/", views.leader, name="leader"),
    path("national/", views.national, name="national"),
    path("annual/", views.annual, name="annual"),
]
