from __future__ import annotations

from django.apps import AppConfig


class CabinetConfig(AppConfig):
    name = "govoffice.cabinet"
    label = "cabinet"
    verbose_name = "Phiên họp và phiếu lấy ý kiến"
