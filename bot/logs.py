"""Logging set-up: one line per event, personal numbers masked, the bot token never written.

Redaction happens when a record is created (a log-record factory), so it covers every logger and
every handler — including libraries such as httpx that put the token in request URLs.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterable

from .privacy import RedactingFilter
from .settings import Settings

_redactor: RedactingFilter | None = None
_base_factory = logging.getLogRecordFactory()


def _factory(*args: object, **kwargs: object) -> logging.LogRecord:
    record = _base_factory(*args, **kwargs)
    if _redactor is not None:
        _redactor.filter(record)
    return record


def install_redaction(secrets: Iterable[str | None]) -> None:
    """Mask personal numbers and remove ``secrets`` from every log record from now on."""
    global _redactor
    _redactor = RedactingFilter([s for s in secrets if s])
    logging.setLogRecordFactory(_factory)


def setup_logging(settings: Settings, *, level: int = logging.INFO) -> None:
    install_redaction([settings.token, settings.webhook_secret])
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for noisy in ("httpx", "httpcore", "apscheduler", "aiohttp.access"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
