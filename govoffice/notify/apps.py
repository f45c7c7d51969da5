from __future__ import annotations

from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "govoffice.notify"
    label = "notify"
    verbose_name = "Thông báo"

    def ready(self) -> None:
        from govoffice.notify import tasks  # noqa: F401  (registers the queue tasks)
