from __future__ import annotations

from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "govoffice.directory"
    label = "directory"
    verbose_name = "Danh bạ cơ quan và người dùng"
