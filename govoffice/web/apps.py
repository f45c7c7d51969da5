from __future__ import annotations

from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "govoffice.web"
    label = "web"
    verbose_name = "Giao diện"
