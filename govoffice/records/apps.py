from __future__ import annotations

from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "govoffice.records"
    label = "records"
    verbose_name = "Văn bản và hồ sơ công việc"

    def ready(self) -> None:
        import govoffice.records.worklist  # noqa: F401  (home-page sections of the incoming work)

        # rules, hub listeners, and the home-page sections of submissions and outgoing documents
        from govoffice.records import permissions, receivers, worklist_outgoing  # noqa: F401
