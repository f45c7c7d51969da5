from __future__ import annotations

from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "govoffice.reports"
    label = "reports"
    verbose_name = "Báo cáo"
