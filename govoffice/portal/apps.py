from __future__ import annotations

from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "govoffice.portal"
    label = "portal"
    verbose_name = "Cổng dịch vụ công"

    def ready(self) -> None:
        from govoffice.portal import permissions  # noqa: F401  (registers the dossier rules)
        from govoffice.textguard import guard

        guard("portal")  # no NUL character reaches the database (422 naming the field)
