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

log = logging.getLogger("pandu.webhook")
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


def webhook_path(url: str) -> str:
    return urlparse(url).path or "/"


def make_app(application: Application, *, secret: str, path: str) -> web.Application:  # type: ignore[type-arg]
    """POST ``path`` takes updates (403 without the right secret); GET /healthz answers ok."""

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
        return web.json_response({"ok": True, "running": application.running})

    app = web.Application(client_max_size=1024 * 1024)
    app.router.add_post(path, receive)
    app.router.add_get("/healthz", health)
    return app
