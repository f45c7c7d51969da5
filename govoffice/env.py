"""Typed settings read from the environment (one place; settings.py turns them into Django's)."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Env(BaseSettings):
    """Every knob an operator can turn. Names are the environment variables (see README)."""

    model_config = SettingsConfigDict(env_prefix="", case_sensitive=False, extra="ignore")

    govoffice_mode: Literal["development", "production"] = "development"
    govoffice_data_dir: Path = Path("var")
    database_url: str = ""
    secret_key: str = ""
    govoffice_allowed_hosts: str = "localhost,127.0.0.1,[::1],testserver"
    govoffice_public_url: str = "http://127.0.0.1:8000"
    govoffice_csrf_trusted_origins: str = ""
    govoffice_time_zone: str = "Asia/Ho_Chi_Minh"
    govoffice_log_level: str = "INFO"
    # E-mail (SMTP). Unset host = mails are written to the data folder (development).
    email_host: str = ""
    email_port: int = 25
    email_host_user: str = ""
    email_host_password: str = ""
    email_use_tls: bool = False
    email_use_ssl: bool = False
    default_from_email: str = "govoffice <no-reply@localhost>"
    # SMS: "file" writes each text to DATA_DIR/sms (development); an https:// URL is a gateway
    # that takes POST {"to": ..., "text": ...} with the token as a bearer credential.
    govoffice_sms_provider: str = "file"
    govoffice_sms_token: str = ""
    # Files: local folder under the data dir, or any S3-compatible store.
    govoffice_storage: Literal["local", "s3"] = "local"
    s3_bucket: str = ""
    s3_endpoint_url: str = ""
    s3_access_key_id: str = ""
    s3_secret_access_key: str = ""
    s3_region: str = ""
    # Background queue: sqlite (default, a file in the data dir), redis://… , or immediate (tests).
    govoffice_queue: str = "sqlite"
    # Cache (rate limits, the portal's public pages): empty = each process's memory; redis://…
    # shared by every process and machine; file:// = files under DATA_DIR/cache, one machine.
    govoffice_cache_url: str = ""
    # Working days: extra public holidays and make-up working days, comma-separated ISO dates.
    govoffice_extra_holidays: str = ""
    govoffice_removed_holidays: str = ""
    govoffice_extra_workdays: str = ""
    # Login throttling: failures before a lock-out, and the lock-out in minutes.
    govoffice_login_failure_limit: int = Field(default=5, ge=1)
    govoffice_login_cooloff_minutes: int = Field(default=15, ge=1)
    govoffice_session_hours: int = Field(default=8, ge=1)
    # How many reverse proxies (nginx) stand in front; 0 = trust no X-Forwarded-For.
    govoffice_proxy_count: int = Field(default=0, ge=0)
    # The document hub.
    govoffice_trusted_ca_files: str = ""
    govoffice_hub_url: str = ""
    govoffice_agent_config: str = ""  # agent.toml for reaching GOVOFFICE_HUB_URL; default DATA_DIR/agent/agent.toml
    govoffice_hub_max_message_bytes: int = Field(default=20 * 1024 * 1024, ge=1024)
    govoffice_hub_lease_seconds: int = Field(default=300, ge=1)
    govoffice_hub_stuck_minutes: int = Field(default=60, ge=1)
    # What sending one document on paper costs (VND), for the "paper saved" figure: the
    # Government Office's estimate of 1,200 billion VND a year for about 1 million documents.
    govoffice_hub_paper_cost_vnd: int = Field(default=1_200_000, ge=0)
    # Pushes are tried until the member acknowledges (0); a positive number stops after so many
    # tries, and the delivery then waits to be pulled.
    govoffice_hub_push_attempts: int = Field(default=0, ge=0)
    # The office's document work.
    govoffice_office_codes: str = "000.00.00.G22"
    govoffice_series_per_type: str = "NQ,QĐ,CT"
    govoffice_max_upload_bytes: int = Field(default=50 * 1024 * 1024, ge=1024)
    govoffice_reminder_days: int = Field(default=2, ge=0)
    # Tests only: Argon2 with a small memory and time cost (ignored in production mode).
    govoffice_fast_password_hash: bool = False

    @field_validator("govoffice_data_dir")
    @classmethod
    def _absolute(cls, value: Path) -> Path:
        return value.expanduser().resolve()

    @property
    def production(self) -> bool:
        return self.govoffice_mode == "production"

    def split(self, value: str) -> list[str]:
        return [part.strip() for part in value.split(",") if part.strip()]

    def resolved_secret_key(self) -> str:
        """The secret key: from the environment, or (development only) kept in the data folder."""
        if self.secret_key:
            return self.secret_key
        if self.production:
            raise RuntimeError("SECRET_KEY must be set when GOVOFFICE_MODE=production")
        path = self.govoffice_data_dir / "secret_key"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(secrets.token_urlsafe(50))
            path.chmod(0o600)
        return path.read_text().strip()


ENV = Env()
