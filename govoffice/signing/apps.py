from __future__ import annotations

from django.apps import AppConfig


class SigningConfig(AppConfig):
    name = "govoffice.signing"
    label = "signing"
    verbose_name = "Chữ ký số"
