"""Configuration: read the environment once, into a frozen object that is passed in everywhere.

Tests pass a plain dict instead of patching ``os.environ``. A bad value raises :class:`ConfigError`
naming the variable; the command line prints it as one line and exits non-zero.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

DEFAULT_API = "https://api.telegram.org"
_TOKEN = re.compile(r"^\d{3,20}:[A-Za-z0-9_-]{20,}$")


class ConfigError(Exception):
    """A configuration variable is missing or malformed."""

    def __init__(self, variable: str, problem: str) -> None:
        self.variable = variable
        super().__init__(f"configuration error: {variable} {problem}")


class StartupError(ConfigError):
    """The configuration is well-formed but what it points at cannot be used (database down, ...)."""

    def __init__(self, variable: str, problem: str, cause: BaseException | None = None) -> None:
        reason = f" ({describe(cause)})" if cause is not None else ""
        Exception.__init__(self, f"cannot start: {variable} {problem}{reason}")
        self.variable = variable


def describe(exc: BaseException, *, limit: int = 200) -> str:
    """One short line about ``exc`` (the driver's own error when SQLAlchemy wraps one)."""
    inner = getattr(exc, "orig", None) or exc
    first = (str(inner).strip().splitlines() or [""])[0]
    text = f"{type(inner).__name__}: {first}" if first else type(inner).__name__
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True)
class OutboxSettings:
    """The delivery worker's knobs (``OUTBOX_*``); see README's configuration table."""

    rate: float = 30.0  # OUTBOX_RATE: Bot API calls per second from one process (0: unpaced)
    retry_hours: float = 24.0  # OUTBOX_RETRY_HOURS: how long network errors and 5xx are retried
    retention_days: float = 7.0  # OUTBOX_RETENTION_DAYS: sent rows are kept this long
    lease_seconds: float = 30.0  # OUTBOX_LEASE_SECONDS: a crashed instance's rows come back after this
    timeout_seconds: float = 10.0  # OUTBOX_TIMEOUT_SECONDS: one Bot API call
    backoff_seconds: float = 1.0  # OUTBOX_BACKOFF_SECONDS: the first retry's delay (doubles each time)
    poll_seconds: float = 1.0  # OUTBOX_POLL_SECONDS: how often an idle worker looks for due rows


OUTBOX_ENV = {
    "rate": "OUTBOX_RATE",
    "retry_hours": "OUTBOX_RETRY_HOURS",
    "retention_days": "OUTBOX_RETENTION_DAYS",
    "lease_seconds": "OUTBOX_LEASE_SECONDS",
    "timeout_seconds": "OUTBOX_TIMEOUT_SECONDS",
    "backoff_seconds": "OUTBOX_BACKOFF_SECONDS",
    "poll_seconds": "OUTBOX_POLL_SECONDS",
}


@dataclass(frozen=True)
class Settings:
    token: str | None = field(default=None, repr=False)
    api_base_url: str = DEFAULT_API
    database_url: str = ""
    knowledge_dir: Path = Path("knowledge")
    counsellor_ids: frozenset[int] = frozenset()
    admin_ids: frozenset[int] = frozenset()
    counsellor_chat_id: int | None = None
    webhook_url: str | None = None
    webhook_secret: str | None = field(default=None, repr=False)
    port: int = 8080
    log_salt: str = field(default="pandu", repr=False)
    retention_months: int = 12
    outbox: OutboxSettings = field(default_factory=OutboxSettings)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, *, cwd: Path | None = None) -> Settings:
        env = os.environ if environ is None else environ
        cwd = cwd or Path.cwd()
        token = _get(env, "TELEGRAM_BOT_TOKEN")
        if token is not None and not _TOKEN.match(token):
            raise ConfigError(
                "TELEGRAM_BOT_TOKEN", "does not look like a bot token (digits:letters from BotFather)"
            )
        return cls(
            token=token,
            api_base_url=_url(env, "TELEGRAM_API_BASE_URL", DEFAULT_API),
            database_url=_database_url(env, cwd),
            knowledge_dir=Path(_get(env, "KNOWLEDGE_DIR") or "knowledge"),
            counsellor_ids=_ids(env, "COUNSELLOR_IDS"),
            admin_ids=_ids(env, "ADMIN_IDS"),
            counsellor_chat_id=_int(env, "COUNSELLOR_CHAT_ID"),
            webhook_url=_optional_url(env, "WEBHOOK_URL"),
            webhook_secret=_secret(env),
            port=_port(env),
            log_salt=token or "pandu",
            retention_months=_retention(env),
            outbox=_outbox(env),
        )

    def check_database(self) -> None:
        _check_database_url(self.database_url)


DATABASE_SCHEMES = ("sqlite+aiosqlite://", "postgresql+asyncpg://")


def _database_url(env: Mapping[str, str], cwd: Path) -> str:
    url = _get(env, "DATABASE_URL") or f"sqlite+aiosqlite:///{cwd / 'pandu.db'}"
    _check_database_url(url)
    return url


def _check_database_url(url: str) -> None:
    if url.startswith(("postgres://", "postgresql://")):
        raise ConfigError(
            "DATABASE_URL",
            f"must use the asyncpg driver: write postgresql+asyncpg:// instead of {url.split(':', 1)[0]}://",
        )
    if not url.startswith(DATABASE_SCHEMES):
        raise ConfigError("DATABASE_URL", "must start with sqlite+aiosqlite:// or postgresql+asyncpg://")


def _get(env: Mapping[str, str], name: str) -> str | None:
    value = env.get(name, "").strip()
    return value or None


def _url(env: Mapping[str, str], name: str, default: str) -> str:
    return _optional_url(env, name) or default


def _optional_url(env: Mapping[str, str], name: str) -> str | None:
    value = _get(env, name)
    if value is None:
        return None
    parsed = urlparse(value)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise ConfigError(name, f"must be an http(s) URL, got {value!r}")
    return value.rstrip("/")


def _ids(env: Mapping[str, str], name: str) -> frozenset[int]:
    value = _get(env, name)
    if value is None:
        return frozenset()
    try:
        return frozenset(int(part) for part in value.replace(" ", "").split(",") if part)
    except ValueError:
        raise ConfigError(name, "must be comma-separated Telegram user ids, e.g. 12345,67890") from None


def _int(env: Mapping[str, str], name: str) -> int | None:
    value = _get(env, name)
    if value is None:
        return None
    try:
        return int(value)
    except ValueError:
        raise ConfigError(name, f"must be a number, got {value!r}") from None


def _port(env: Mapping[str, str]) -> int:
    port = _int(env, "PORT")
    if port is None:
        return 8080
    if not 0 < port < 65536:
        raise ConfigError("PORT", f"must be between 1 and 65535, got {port}")
    return port


def _secret(env: Mapping[str, str]) -> str | None:
    secret = _get(env, "WEBHOOK_SECRET")
    if secret is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", secret):
        raise ConfigError(
            "WEBHOOK_SECRET", "may only hold letters, digits, _ and - (1-256 characters, Telegram's rule)"
        )
    return secret


def _retention(env: Mapping[str, str]) -> int:
    """RETENTION_MONTHS: how long transcripts and ended cases are kept (1-120 months, default 12)."""
    months = _int(env, "RETENTION_MONTHS")
    if months is None:
        return 12
    if not 0 < months <= 120:
        raise ConfigError("RETENTION_MONTHS", f"must be a number of months between 1 and 120, got {months}")
    return months


def _outbox(env: Mapping[str, str]) -> OutboxSettings:
    values = {name: _number(env, variable) for name, variable in OUTBOX_ENV.items()}
    settings = OutboxSettings(**{name: value for name, value in values.items() if value is not None})
    if settings.lease_seconds <= settings.timeout_seconds:
        raise ConfigError(
            "OUTBOX_LEASE_SECONDS",
            f"must be longer than OUTBOX_TIMEOUT_SECONDS "
            f"({settings.timeout_seconds:g}), or a slow call would be sent twice",
        )
    return settings


def _number(env: Mapping[str, str], name: str) -> float | None:
    value = _get(env, name)
    if value is None:
        return None
    try:
        number = float(value)
    except ValueError:
        raise ConfigError(name, f"must be a number, got {value!r}") from None
    if number < 0 or number != number or number == float("inf"):
        raise ConfigError(name, f"must be zero or more, got {value!r}")
    return number
