from __future__ import annotations

from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "govoffice.reports"
    label = "reports"
    verbose_name = "Báo cáo"

    def ready(self) -> None:
        from govoffice.reports import permissions, worklist  # noqa: F401  (rules; the home page's link section)
