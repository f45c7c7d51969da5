"""SMS providers: one interface, a file provider for development and an HTTP gateway for real use."""

from __future__ import annotations

import json
import urllib.request
import uuid
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.utils import timezone


class SmsError(Exception):
    """The provider did not take the message; the notice stays failed and can be retried."""


class SmsProvider(Protocol):
    def send(self, to: str, text: str) -> str:
        """Hand one text to the provider; return the provider's message reference."""
        ...


class FileSmsProvider:
    """Writes each text to a file under DATA_DIR/sms: what a development machine "sends"."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def send(self, to: str, text: str) -> str:
        self.folder.mkdir(parents=True, exist_ok=True)
        ref = f"{timezone.now():%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}"
        (self.folder / f"{ref}.txt").write_text(f"To: {to}\n\n{text}\n", encoding="utf-8")
        return ref


class HttpSmsProvider:
    """A gateway that takes POST {"to", "text"} as JSON with a bearer token and answers 2xx."""

    def __init__(self, url: str, token: str, timeout: float = 10.0) -> None:
        self.url, self.token, self.timeout = url, token, timeout

    def send(self, to: str, text: str) -> str:
        body = json.dumps({"to": to, "text": text}, ensure_ascii=False).encode()
        request = urllib.request.Request(self.url, data=body, method="POST", headers={  # noqa: S310  (operator's URL)
            "Content-Type": "application/json; charset=utf-8", "Authorization": f"Bearer {self.token}"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310  (operator's URL)
                answer = response.read(4096).decode("utf-8", "replace")
        except OSError as exc:  # URLError and HTTPError are OSErrors
            raise SmsError(f"SMS gateway: {exc}") from exc
        try:
            return str(json.loads(answer).get("id", "")) if answer.strip() else ""
        except (ValueError, AttributeError):
            return ""


def provider() -> SmsProvider:
    """The provider the deployment configured (GOVOFFICE_SMS_PROVIDER)."""
    name = settings.SMS_PROVIDER
    if name.startswith(("http://", "https://")):
        return HttpSmsProvider(name, settings.SMS_TOKEN)
    if name == "file":
        return FileSmsProvider(Path(settings.SMS_FILE_PATH))
    raise SmsError(f"unknown SMS provider {name!r} (use 'file' or a gateway URL)")
