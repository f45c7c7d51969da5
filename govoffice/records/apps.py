from __future__ import annotations

from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "govoffice.records"
    label = "records"
    verbose_name = "Văn bản và hồ sơ công việc"

    def ready(self) -> None:
        from govoffice.records import permissions, receivers  # noqa: F401  (rules and hub listeners)
