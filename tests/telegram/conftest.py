"""Telegram adapter fixtures: the fake Bot API."""

from tests.e2e.conftest import tg  # noqa: F401  (fixture)
