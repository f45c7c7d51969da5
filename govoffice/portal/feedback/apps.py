from __future__ import annotations

from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "govoffice.portal.feedback"
    label = "feedback"
    verbose_name = "Phản ánh, kiến nghị"

    def ready(self) -> None:
        # rules, hub listeners, and the home-page section of the office's portal officers
        from govoffice.portal.feedback import permissions, receivers, worklist  # noqa: F401
        from govoffice.textguard import guard

        guard("feedback")  # no NUL character reaches the database (422 naming the field)
