from __future__ import annotations

from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "govoffice.portal"
    label = "portal"
    verbose_name = "Cổng dịch vụ công"
