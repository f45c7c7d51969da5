"""The search pages, mounted with the other records pages at /records/."""

from __future__ import annotations

from django.urls import path

from govoffice.records import views_search as views

urlpatterns = [
    path("search/", views.search_page, name="search"),
    path("search/ket-qua.csv", views.search_csv, name="search_csv"),
]
