"""Settings: where the database is and the business thresholds, from env and secrets.toml."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields
from functools import lru_cache
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SECRETS_PATH = PROJECT_ROOT / ".streamlit" / "secrets.toml"
DEFAULT_DATABASE_URL = f"sqlite:///{PROJECT_ROOT / 'data' / 'kam.db'}"


@dataclass(frozen=True)
class Settings:
    """Business settings; each can be set in the ``[kam]`` table of secrets.toml."""

    country: str = "RU"  # public holidays for working days
    currency: str = "RUB"
    language: str = "en"
    timezone: str = "Europe/Moscow"  # times are stored in UTC and shown in this zone (IANA name)
    abc_a: float = 0.80
    abc_b: float = 0.95
    xyz_x: float = 0.25
    xyz_y: float = 0.50
    silent_fallback_days: int = 60
    coverage_days_a: int = 14
    coverage_days_b: int = 30
    coverage_days_c: int = 60
    contract_alert_days: int = 30
    claim_alert_days: int = 7
    require_sign_in: bool = False
    extra: dict = field(default_factory=dict, compare=False, repr=False)


def secrets_path() -> Path:
    """The secrets file: KAM_SECRETS_FILE when set (give Streamlit the same with
    ``--secrets.files``), else .streamlit/secrets.toml in the project."""
    return Path(os.environ.get("KAM_SECRETS_FILE") or SECRETS_PATH)


def _read_secrets(path: Path | None = None) -> dict:
    path = path or secrets_path()
    if not path.exists():
        return {}
    with path.open("rb") as fh:
        return tomllib.load(fh)


def database_url(explicit: str | None = None) -> str:
    """The database URL: argument, else KAM_DATABASE_URL, else secrets.toml, else embedded SQLite."""
    if explicit:
        return normalise_url(explicit)
    env = os.environ.get("KAM_DATABASE_URL")
    if env:
        return normalise_url(env)
    url = _read_secrets().get("connections", {}).get("kam", {}).get("url")
    return normalise_url(url) if url else DEFAULT_DATABASE_URL


def normalise_url(url: str) -> str:
    """Route plain ``postgresql://`` URLs to psycopg 3, the only PostgreSQL driver we ship."""
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


@lru_cache(maxsize=1)
def settings() -> Settings:
    """Settings from the ``[kam]`` table of secrets.toml, over the defaults."""
    raw = dict(_read_secrets().get("kam", {}))
    known = {f.name for f in fields(Settings)} - {"extra"}
    values = {k: raw.pop(k) for k in list(raw) if k in known}
    return Settings(**values, extra=raw)
