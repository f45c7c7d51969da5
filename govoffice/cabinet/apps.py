from __future__ import annotations

from django.apps import AppConfig


class CabinetConfig(AppConfig):
    name = "govoffice.cabinet"
    label = "cabinet"
    verbose_name = "Phiên họp và phiếu lấy ý kiến"

    def ready(self) -> None:
        # permission rules, the home-page sections, the periodic tasks
        from govoffice.cabinet import permissions, tasks, worklist  # noqa: F401
