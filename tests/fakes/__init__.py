"""Test doubles for external services (see telegram_api for the fake Bot API server)."""

from .telegram_api import BOT_USER, FakeTelegram, FakeUser, parse_html

__all__ = ["BOT_USER", "FakeTelegram", "FakeUser", "parse_html"]
