from __future__ import annotations

from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "govoffice.exchange"
    label = "exchange"
    verbose_name = "Trục liên thông văn bản"

    def ready(self) -> None:
        from govoffice.exchange import permissions  # noqa: F401  (registers the hub's rules)
