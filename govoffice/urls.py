"""URL map: pages at the root, the JSON API under /api/v1/."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from govoffice.api import api
from govoffice.web import views

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", views.healthz, name="healthz"),
    path("hub/", include("govoffice.exchange.urls")),
    path("records/", include("govoffice.records.urls")),
    path("cabinet/", include("govoffice.cabinet.urls")),
    path("portal/", include("govoffice.portal.urls")),
    path("portal/feedback/", include("govoffice.portal.feedback.urls")),
    path("open311/v2/", include("govoffice.portal.open311.urls")),
    path("supervision/", include("govoffice.supervision.urls")),
    path("reports/", include("govoffice.reports.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]
