"""Settings are read once from a mapping; a bad value is a ConfigError naming the variable."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import ConfigError, Settings, StartupError, describe


def test_defaults_need_no_environment(tmp_path: Path) -> None:
    settings = Settings.from_env({}, cwd=tmp_path)
    assert settings.token is None and settings.port == 8080
    assert settings.database_url == f"sqlite+aiosqlite:///{tmp_path / 'pandu.db'}"


@pytest.mark.parametrize(
    ("url", "hint"),
    [
        ("mysql://user@host/db", "sqlite+aiosqlite://"),
        ("postgres://user:pw@host/db", "postgresql+asyncpg://"),  # what hosting platforms hand out
        ("postgresql://user@host/db", "postgresql+asyncpg://"),
    ],
)
def test_a_database_url_without_a_supported_async_driver_is_refused_when_read(url: str, hint: str) -> None:
    with pytest.raises(ConfigError) as raised:
        Settings.from_env({"DATABASE_URL": url})
    assert raised.value.variable == "DATABASE_URL" and hint in str(raised.value)
    assert "pw" not in str(raised.value)


def test_startup_error_is_one_line_with_the_drivers_reason() -> None:
    class Wrapped(Exception):
        orig = ConnectionRefusedError("[Errno 111] Connect call failed\n(more detail)")

    error = StartupError("DATABASE_URL", "cannot be reached", Wrapped("wrapper text"))
    assert str(error) == (
        "cannot start: DATABASE_URL cannot be reached "
        "(ConnectionRefusedError: [Errno 111] Connect call failed)"
    )
    assert isinstance(error, ConfigError) and error.variable == "DATABASE_URL"


def test_describe_shortens_long_reasons() -> None:
    assert len(describe(ValueError("x" * 500))) == 200


def test_outbox_settings_have_defaults_and_read_their_variables() -> None:
    from bot.settings import OutboxSettings

    assert Settings.from_env({}).outbox == OutboxSettings()
    custom = Settings.from_env(
        {
            "OUTBOX_RATE": "10",
            "OUTBOX_RETRY_HOURS": "48",
            "OUTBOX_RETENTION_DAYS": "3",
            "OUTBOX_LEASE_SECONDS": "60",
            "OUTBOX_TIMEOUT_SECONDS": "5",
        }
    ).outbox
    assert (
        custom.rate,
        custom.retry_hours,
        custom.retention_days,
        custom.lease_seconds,
        custom.timeout_seconds,
    ) == (10, 48, 3, 60, 5)


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        ({"OUTBOX_RATE": "fast"}, "OUTBOX_RATE"),
        ({"OUTBOX_RETRY_HOURS": "-1"}, "OUTBOX_RETRY_HOURS"),
        ({"OUTBOX_LEASE_SECONDS": "5", "OUTBOX_TIMEOUT_SECONDS": "10"}, "OUTBOX_LEASE_SECONDS"),
    ],
)
def test_bad_outbox_settings_name_their_variable(env: dict[str, str], variable: str) -> None:
    with pytest.raises(ConfigError) as error:
        Settings.from_env(env)
    assert error.value.variable == variable
