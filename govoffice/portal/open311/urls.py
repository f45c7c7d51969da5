"""Open311 GeoReport v2, mounted at /open311/v2/."""

from __future__ import annotations

from django.urls import re_path

from govoffice.portal.open311 import views

app_name = "open311"
FMT = r"\.(?P<fmt>json|xml)$"

urlpatterns = [
    re_path(r"^services" + FMT, views.services, name="services"),
    re_path(r"^services/(?P<code>[^/.]+)" + FMT, views.service_definition, name="service"),
    re_path(r"^requests" + FMT, views.requests, name="requests"),
    re_path(r"^requests/(?P<request_id>[^/.]+)" + FMT, views.one_request, name="request"),
    re_path(r"^tokens/(?P<token_id>[^/.]+)" + FMT, views.token, name="token"),
    re_path(r"^(?P<rest>.*)$", views.not_found),
]
