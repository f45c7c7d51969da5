"""agent.toml: where the hub is, the agency's API key, its key and certificate, whom to trust."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path


class ConfigError(ValueError):
    pass


@dataclass(frozen=True)
class AgentConfig:
    hub_url: str
    agency: str
    api_key: str
    key_pem: bytes
    cert_pem: bytes
    hub_cert_pem: bytes
    ca_cert_pem: bytes
    folder: Path

    @classmethod
    def load(cls, path: str | Path) -> AgentConfig:
        path = Path(path)
        if path.is_dir():
            path = path / "agent.toml"
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise ConfigError(f"{path}: no such file") from exc
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: not valid TOML ({exc})") from exc
        missing = [k for k in ("hub_url", "agency", "api_key", "key", "certificate", "hub_certificate", "ca_certificate") if not data.get(k)]
        if missing:
            raise ConfigError(f"{path}: missing {', '.join(missing)}")
        folder = path.parent

        def read(name: str) -> bytes:
            file = folder / data[name]
            try:
                return file.read_bytes()
            except OSError as exc:
                raise ConfigError(f"{file}: {exc.strerror}") from exc

        return cls(
            hub_url=str(data["hub_url"]).rstrip("/"),
            agency=str(data["agency"]),
            api_key=str(data["api_key"]),
            key_pem=read("key"),
            cert_pem=read("certificate"),
            hub_cert_pem=read("hub_certificate"),
            ca_cert_pem=read("ca_certificate"),
            folder=folder,
        )
