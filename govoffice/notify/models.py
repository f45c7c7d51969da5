"""Notices to people: one row per message and channel, kept so nothing sent is lost or sent twice."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")


class NoticeState(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class Notice(models.Model):
    """A message to one person (or address) on one channel, written in the change's transaction."""

    channel = models.CharField(max_length=8, choices=Channel.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="notices")
    address = models.CharField(max_length=255)  # e-mail address or phone number, as sent
    subject = models.CharField(max_length=255)
    body = models.TextField()
    kind = models.CharField(max_length=64)  # what it is about, e.g. "ballot.opened"
    ref = models.CharField(max_length=64, blank=True)  # the object, e.g. "ballot:12"
    state = models.CharField(max_length=8, choices=NoticeState.choices, default=NoticeState.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # Taken by the one sender sending it now (outside any transaction); another one leaves it
    # alone until then, and a sender that died lets it go when this time has passed.
    claimed_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["kind", "ref"], name="notice_kind_ref"),
            models.Index(fields=["state", "created_at"], name="notice_state_created"),
        ]

    def __str__(self) -> str:
        return f"{self.channel} → {self.address}: {self.subject}"
