from __future__ import annotations

from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "govoffice.supervision"
    label = "supervision"
    verbose_name = "Theo dõi nhiệm vụ"

    def ready(self) -> None:
        # rules, the hub's statuses, the home page's sections
        from govoffice.supervision import permissions, receivers, worklist  # noqa: F401
        from govoffice.textguard import guard

        guard("supervision")  # no NUL character reaches the database (422 naming the field)

        receivers.connect_cabinet()
