"""Webhook mode: an aiohttp server that checks Telegram's secret header and processes each update
before answering, so an instance that dies mid-update leaves it unanswered and Telegram delivers it
again (the processed-update claim keeps a repeat from being answered twice)."""

from __future__ import annotations

import hmac
import json
import logging
from urllib.parse import urlparse

from aiohttp import web
from telegram import Update
from telegram.ext import Application

from .handlers import runtime_of

log = logging.getLogger("pandu.webhook")
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


def webhook_path(url: str) -> str:
    return urlparse(url).path or "/"


async def outbox_health(application: Application) -> dict[str, object]:  # type: ignore[type-arg]
    """Pending and stopped messages and the lag (age of the oldest due pending one), for /healthz."""
    outbox = runtime_of(application.bot_data).outbox
    assert outbox is not None
    try:
        stats = await outbox.stats(errors=0)
    except Exception as exc:
        log.warning("outbox health unavailable: %s", exc.__class__.__name__)
        return {"error": "unavailable"}
    return {
        "pending": stats.counts["pending"],
        "failed": stats.counts["failed"],
        "dead": stats.counts["dead"],
        "lag_seconds": round(stats.lag_seconds, 1),
    }


def make_app(application: Application, *, secret: str, path: str) -> web.Application:  # type: ignore[type-arg]
    """POST ``path`` takes updates (403 without the right secret); GET /healthz answers ok, with the
    outbox's lag."""

    async def receive(request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), secret.encode()):
            log.warning("webhook call with a wrong or missing secret refused")
            return web.json_response({"ok": False}, status=403)
        try:
            data = await request.json()
        except (json.JSONDecodeError, UnicodeDecodeError):
            return web.json_response({"ok": False, "error": "bad json"}, status=400)
        update = Update.de_json(data, application.bot)
        await application.process_update(update)
        return web.json_response({"ok": True})

    async def health(request: web.Request) -> web.Response:
        return web.json_response(
            {"ok": True, "running": application.running, "outbox": await outbox_health(application)}
        )

    app = web.Application(client_max_size=1024 * 1024)
    app.router.add_post(path, receive)
    app.router.add_get("/healthz", health)
    return app
