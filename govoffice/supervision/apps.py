from __future__ import annotations

from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "govoffice.supervision"
    label = "supervision"
    verbose_name = "Theo dõi nhiệm vụ"
