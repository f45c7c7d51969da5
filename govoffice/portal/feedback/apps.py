from __future__ import annotations

from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "govoffice.portal.feedback"
    label = "feedback"
    verbose_name = "Phản ánh, kiến nghị"
