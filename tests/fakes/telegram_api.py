"""A fake Telegram Bot API server for end-to-end tests.

The real bot (a python-telegram-bot ``Application``) talks real HTTP to this
server on 127.0.0.1, so tests exercise PTB's request encoding, error mapping,
polling and webhook code exactly as in production, without reaching Telegram.

Usage::

    async with FakeTelegram() as tg:
        app = (
            ApplicationBuilder()
            .token("123:TEST")
            .base_url(tg.base_url)            # f"{root}/bot"
            .base_file_url(tg.base_file_url)  # f"{root}/file/bot"
            .build()
        )
        ...start the app and its updater (polling)...
        siti = tg.user(42, first_name="Siti", language_code="id")
        siti.send_command("/start")
        [reply] = await tg.wait_for_messages(42, 1)
        assert "Halo" in reply["visible_text"]
        siti.press("menu:jkp")              # presses a button of the latest bot message
        await tg.wait_for_call("answerCallbackQuery")

What the fake does like Telegram:

* Responses are ``{"ok": true, "result": ...}`` or ``{"ok": false, "error_code": N,
  "description": ...}`` with the HTTP status equal to ``error_code``, so PTB raises
  ``BadRequest``, ``Forbidden``, ``Conflict``, ``RetryAfter``... as it would in production.
* ``getUpdates`` long-polls and honours ``offset`` (updates below it are dropped for
  good), ``limit``, ``timeout`` and ``allowed_updates``; a second concurrent
  ``getUpdates`` terminates the first one with 409, and ``getUpdates`` while a
  webhook is set returns 409.
* Validation: empty or too long text (4096 characters after entity parsing),
  captions over 1024 characters, invalid HTML for ``parse_mode="HTML"`` (only
  Telegram's tags and the entities ``&lt; &gt; &amp; &quot;`` and numeric ones),
  ``callback_data`` over 64 UTF-8 bytes, inline buttons without an action, unknown
  chats ("chat not found", see ``strict_chats``), users who blocked the bot (403),
  edits of unknown messages or edits that change nothing, double answers to one
  callback query, invalid bot commands and chat actions.
* ``editMessageText`` without ``reply_markup`` removes the inline keyboard, as on Telegram.

Deliberate simplifications: Markdown/MarkdownV2 text is accepted unchecked and
its ``visible_text`` is the raw text; webhooks may use plain http on loopback and
each update is POSTed once (no retries); unknown methods answer 400
"Bad Request: method not found" (Telegram answers 404); only private chats are
created by users (``add_chat`` registers other chats the bot may write to).

Failure modes: ``fail_next`` (the next calls answer 429 with ``retry_after``, 5xx, 400...), ``fail_for``
(an outage: every call of a method fails for some seconds), ``delay`` (calls hang past the client's
timeout, or are delivered but answered late), and users who ``block()`` the bot (403).

Inspecting what the bot did: ``calls`` (each with its ``time.monotonic()``), ``calls_to(method)``, ``sent(chat_id)``
(bot messages, current state after edits, with raw ``text``, ``visible_text``
and ``parse_mode``), ``chat_actions(chat_id)``, ``callback_answers``,
``webhook_deliveries``, ``errors`` (every error the fake answered) and the
waiters ``wait_for_messages`` and ``wait_for_call``.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import re
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath
from types import EllipsisType, TracebackType
from typing import Any, NamedTuple

import aiohttp
from aiohttp import web

Params = dict[str, Any]
Handler = Callable[[Params], Awaitable[Any]]

BOT_USER: dict[str, Any] = {
    "id": 7000001,
    "is_bot": True,
    "first_name": "Pandu",
    "username": "pandu_test_bot",
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}

MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
MAX_CALLBACK_DATA_BYTES = 64
REPLY_KEYBOARD_KEYS = frozenset({"keyboard", "remove_keyboard", "force_reply"})
FIRST_UPDATE_ID = 100_001
GET_UPDATES_CONFLICT = (
    "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"
)
WEBHOOK_CONFLICT = "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"
NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)

# Update types Telegram sends when allowed_updates is empty or was never given.
OPT_IN_UPDATE_TYPES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
CHAT_ACTIONS = frozenset(
    {
        "typing", "upload_photo", "record_video", "upload_video", "record_voice", "upload_voice",
        "upload_document", "choose_sticker", "find_location", "record_video_note", "upload_video_note",
    }
)  # fmt: skip

DEFAULT_ERROR_DESCRIPTIONS: dict[int, str] = {
    400: "Bad Request: injected failure",
    401: "Unauthorized",
    403: "Forbidden: bot was blocked by the user",
    404: "Not Found",
    409: GET_UPDATES_CONFLICT,
    429: "Too Many Requests: retry after {retry_after}",
    500: "Internal Server Error",
    502: "Bad Gateway",
}

# Free-text fields that must stay strings even when they look like JSON ("123", "true").
PLAIN_STRING_FIELDS = frozenset(
    {
        "text", "caption", "secret_token", "url", "callback_query_id", "inline_message_id",
        "file_id", "description", "short_description", "name", "title", "query", "emoji",
        "language_code", "ip_address", "question", "explanation", "custom_emoji_id",
    }
)  # fmt: skip
_JSON_LOOKING = re.compile(r"\s*(?:[\[{]|-?\d|true\s*$|false\s*$)")
_COMMAND_RE = re.compile(r"/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]+)?")
_BOT_COMMAND_NAME_RE = re.compile(r"[a-z0-9_]{1,32}")
_SECRET_TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{1,256}")

# Fake but recognisable file contents for media a user sends.
FAKE_JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32 + b"\xff\xd9"
FAKE_OGG = b"OggS\x00\x02" + b"\x00" * 32
FAKE_WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 24


# --------------------------------------------------------------------------- errors


class ApiError(Exception):
    """An error answered to the bot in the Bot API error shape."""

    def __init__(self, error_code: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.error_code = error_code
        self.description = description
        self.retry_after = retry_after

    @classmethod
    def bad_request(cls, detail: str) -> ApiError:
        return cls(400, f"Bad Request: {detail}")

    def payload(self) -> dict[str, Any]:
        body: dict[str, Any] = {"ok": False, "error_code": self.error_code, "description": self.description}
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


class EntityParseError(ValueError):
    """Text could not be parsed for its parse_mode (Telegram: "can't parse entities")."""


# --------------------------------------------------------------------------- HTML parsing


@dataclass(frozen=True)
class FormattedText:
    """Text as the user sees it, plus the message entities Telegram would report."""

    visible: str
    entities: tuple[dict[str, Any], ...] = ()


_HTML_TAG_ENTITIES = {
    "b": "bold", "strong": "bold", "i": "italic", "em": "italic", "u": "underline",
    "ins": "underline", "s": "strikethrough", "strike": "strikethrough", "del": "strikethrough",
    "tg-spoiler": "spoiler", "span": "spoiler", "a": "text_link", "code": "code", "pre": "pre",
    "blockquote": "blockquote",
}  # fmt: skip
_TAG_START_RE = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)")
_ATTRIBUTE_RE = re.compile(r"""\s+([A-Za-z][\w-]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""")
_TAG_END_RE = re.compile(r"\s*/?>")
_HTML_ENTITY_RE = re.compile(r"&(?:(lt|gt|amp|quot)|#([0-9]{1,8})|#[xX]([0-9A-Fa-f]{1,8}));")
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}


def utf16_length(text: str) -> int:
    """Length in UTF-16 code units, the unit of Telegram entity offsets."""
    return len(text.encode("utf-16-le")) // 2


def _decode_html_entity(match: re.Match[str]) -> str:
    named, decimal, hexadecimal = match.groups()
    if named:
        return _NAMED_ENTITIES[named]
    code_point = int(decimal) if decimal else int(hexadecimal, 16)
    if not 0 < code_point <= 0x10FFFF or 0xD800 <= code_point <= 0xDFFF:
        raise EntityParseError(f"Invalid character code {code_point}")
    return chr(code_point)


@dataclass
class _OpenTag:
    name: str
    entity: dict[str, Any] | None
    start: int


class _HtmlParser:
    """Parses Telegram's HTML subset; raises EntityParseError where Telegram refuses."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._pos = 0
        self._pieces: list[str] = []
        self._offset = 0  # UTF-16 offset in the visible text
        self._open: list[_OpenTag] = []
        self._entities: list[dict[str, Any]] = []

    def parse(self) -> FormattedText:
        while self._pos < len(self._text):
            char = self._text[self._pos]
            if char == "<":
                self._read_tag()
            elif char == "&":
                self._read_entity()
            else:
                self._read_plain()
        if self._open:
            raise EntityParseError(f'Can\'t find end tag corresponding to start tag "{self._open[-1].name}"')
        entities = sorted(self._entities, key=lambda e: (e["offset"], -e["length"]))
        return FormattedText("".join(self._pieces), tuple(entities))

    def _byte_offset(self) -> int:
        return len(self._text[: self._pos].encode("utf-8"))

    def _emit(self, visible: str) -> None:
        self._pieces.append(visible)
        self._offset += utf16_length(visible)

    def _read_plain(self) -> None:
        end = self._pos
        while end < len(self._text) and self._text[end] not in "<&":
            end += 1
        self._emit(self._text[self._pos : end])
        self._pos = end

    def _read_entity(self) -> None:
        match = _HTML_ENTITY_RE.match(self._text, self._pos)
        if match is None:
            raise EntityParseError(
                f'Unsupported HTML entity or bare "&" at byte offset {self._byte_offset()}'
            )
        self._emit(_decode_html_entity(match))
        self._pos = match.end()

    def _read_tag(self) -> None:
        byte_offset = self._byte_offset()
        match = _TAG_START_RE.match(self._text, self._pos)
        if match is None:
            raise EntityParseError(f"Unexpected end of name token at byte offset {byte_offset}")
        closing, name = match.group(1) == "/", match.group(2).lower()
        attributes, self._pos = self._read_attributes(match.end(), byte_offset)
        if closing:
            self._close_tag(name, byte_offset)
        else:
            self._open_tag(name, attributes, byte_offset)

    def _read_attributes(self, pos: int, byte_offset: int) -> tuple[dict[str, str], int]:
        attributes: dict[str, str] = {}
        while (match := _ATTRIBUTE_RE.match(self._text, pos)) is not None:
            value = next((group for group in match.groups()[1:] if group is not None), "")
            attributes[match.group(1).lower()] = _HTML_ENTITY_RE.sub(_decode_html_entity, value)
            pos = match.end()
        end = _TAG_END_RE.match(self._text, pos)
        if end is None:
            raise EntityParseError(f"Unclosed start tag at byte offset {byte_offset}")
        return attributes, end.end()

    def _open_tag(self, name: str, attributes: dict[str, str], byte_offset: int) -> None:
        if name not in _HTML_TAG_ENTITIES:
            raise EntityParseError(f'Unsupported start tag "{name}" at byte offset {byte_offset}')
        if name == "span" and attributes.get("class") != "tg-spoiler":
            raise EntityParseError(f'Tag "span" must have class "tg-spoiler" at byte offset {byte_offset}')
        self._open.append(_OpenTag(name, self._entity_for(name, attributes), self._offset))

    def _entity_for(self, name: str, attributes: dict[str, str]) -> dict[str, Any] | None:
        entity: dict[str, Any] = {"type": _HTML_TAG_ENTITIES[name]}
        if name == "a":
            if "href" not in attributes:
                return None
            entity["url"] = attributes["href"]
        elif name == "blockquote" and "expandable" in attributes:
            entity["type"] = "expandable_blockquote"
        elif name == "code" and self._open and self._open[-1].name == "pre":
            language = attributes.get("class", "").removeprefix("language-")
            parent = self._open[-1].entity
            if language and parent is not None:
                parent["language"] = language
            return None
        return entity

    def _close_tag(self, name: str, byte_offset: int) -> None:
        if not self._open:
            raise EntityParseError(f"Unexpected end tag at byte offset {byte_offset}")
        tag = self._open[-1]
        if tag.name != name:
            raise EntityParseError(
                f'Unmatched end tag at byte offset {byte_offset}, expected "</{tag.name}>", found "</{name}>"'
            )
        self._open.pop()
        length = self._offset - tag.start
        if tag.entity is not None and length > 0:
            self._entities.append({**tag.entity, "offset": tag.start, "length": length})


def parse_html(text: str) -> FormattedText:
    """Parse Telegram-flavoured HTML into visible text and entities."""
    return _HtmlParser(text).parse()


def format_text(
    text: str, parse_mode: str | None, entities: Iterable[dict[str, Any]] | None = None
) -> FormattedText:
    """Apply parse_mode like Telegram; raise ApiError for what Telegram refuses."""
    mode = (parse_mode or "").lower()
    if mode == "html":
        try:
            return parse_html(text)
        except EntityParseError as exc:
            raise ApiError.bad_request(f"can't parse entities: {exc}") from exc
    if mode in ("", "markdown", "markdownv2"):
        return FormattedText(text, tuple(entities or ()))
    raise ApiError.bad_request("unsupported parse_mode")


# --------------------------------------------------------------------------- request parsing


@dataclass(frozen=True)
class UploadedFile:
    """A file part of a multipart request."""

    file_name: str
    content: bytes
    mime_type: str


def decode_field(name: str, value: Any) -> Any:
    """Decode a form value PTB JSON-encoded (numbers, booleans, objects, lists)."""
    if not isinstance(value, str) or name in PLAIN_STRING_FIELDS or not _JSON_LOOKING.match(value):
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


async def read_params(request: web.Request) -> Params:
    """Collect the parameters of a Bot API request from query, JSON, form or multipart body."""
    raw: dict[str, Any] = dict(request.query)
    if request.content_type == "application/json" and request.body_exists:
        body = await request.json()
        if not isinstance(body, dict):
            raise ApiError.bad_request("request body must be a JSON object")
        raw.update(body)
    elif request.content_type.startswith("multipart/"):
        raw.update(await _read_multipart(request))
    elif request.body_exists:
        raw.update(await request.post())
    return {name: decode_field(name, value) for name, value in raw.items()}


async def _read_multipart(request: web.Request) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    reader = await request.multipart()
    while (part := await reader.next()) is not None:
        if not isinstance(part, aiohttp.BodyPartReader) or part.name is None:
            continue
        if part.filename is None:
            fields[part.name] = await part.text()
        else:
            mime_type = part.headers.get(aiohttp.hdrs.CONTENT_TYPE, "application/octet-stream")
            fields[part.name] = UploadedFile(part.filename, bytes(await part.read()), mime_type)
    return fields


def _json_response(payload: dict[str, Any], status: int = 200) -> web.Response:
    return web.json_response(payload, status=status, dumps=lambda obj: json.dumps(obj, ensure_ascii=False))


# --------------------------------------------------------------------------- state helpers


class Call(NamedTuple):
    """One request the bot made: canonical method name, decoded parameters, and when (``time.monotonic``)."""

    method: str
    params: Params
    at: float = 0.0


class ErrorAnswer(NamedTuple):
    """An error the fake answered (validation, injection, unknown method...)."""

    method: str
    error_code: int
    description: str
    params: Params


class WebhookDelivery(NamedTuple):
    """One POST of an update to the webhook: receiver's HTTP status (0: no connection) and the update."""

    status: int
    body: dict[str, Any]


@dataclass
class StoredFile:
    """A file known to the fake, downloadable at /file/bot<token>/<file_path>."""

    file_id: str
    file_unique_id: str
    file_path: str
    content: bytes
    file_name: str
    mime_type: str

    def api_dict(self, **extra: Any) -> dict[str, Any]:
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": len(self.content),
            **extra,
        }


@dataclass
class _Webhook:
    url: str
    secret_token: str | None
    last_error_date: int | None = None
    last_error_message: str | None = None


@dataclass
class _Pending:
    update: dict[str, Any]
    redelivery: bool  # pushed with an id already confirmed: deliver once regardless of offset

    @property
    def update_id(self) -> int:
        return int(self.update["update_id"])

    @property
    def kind(self) -> str:
        return next((key for key in self.update if key != "update_id"), "")


class UpdateQueue:
    """Pending updates with Telegram's confirmation-by-offset semantics."""

    def __init__(self, first_update_id: int = FIRST_UPDATE_ID) -> None:
        self._pending: list[_Pending] = []
        self._next_id = first_update_id
        self._confirmed_below = 0

    def __len__(self) -> int:
        return len(self._pending)

    def new_id(self) -> int:
        update_id = self._next_id
        self._next_id += 1
        return update_id

    def push(self, update: dict[str, Any]) -> int:
        """Queue an update (assigning update_id if missing); re-pushed old ids are delivered again."""
        if "update_id" not in update:
            update = {"update_id": self.new_id(), **update}
        pending = _Pending(update, redelivery=int(update["update_id"]) < self._confirmed_below)
        self._next_id = max(self._next_id, pending.update_id + 1)
        self._pending.append(pending)
        self._pending.sort(key=lambda item: item.update_id)  # stable: duplicates keep push order
        return pending.update_id

    def confirm(self, offset: int) -> None:
        """Apply getUpdates' offset: positive drops older updates, negative keeps the last -offset."""
        if offset < 0:
            self._pending = self._pending[offset:]
            return
        self._pending = [item for item in self._pending if item.update_id >= offset or item.redelivery]
        self._confirmed_below = max(self._confirmed_below, offset)

    def peek(self, limit: int, allowed: frozenset[str] | None) -> list[dict[str, Any]]:
        """Updates to hand out now; updates of types not allowed are discarded, as Telegram does."""
        self._pending = [item for item in self._pending if _is_allowed(item.kind, allowed)]
        batch = self._pending[:limit]
        for item in batch:
            item.redelivery = False
        return [item.update for item in batch]

    def pop(self, allowed: frozenset[str] | None) -> dict[str, Any] | None:
        batch = self.peek(1, allowed)
        if not batch:
            return None
        self._pending.pop(0)
        return batch[0]

    def clear(self) -> None:
        self._pending.clear()


def _is_allowed(kind: str, allowed: frozenset[str] | None) -> bool:
    return kind not in OPT_IN_UPDATE_TYPES if not allowed else kind in allowed


class _Signal:
    """Wakes all waiters whenever something changed; waiters re-check their own condition."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def fire(self) -> None:
        self._event.set()
        self._event = asyncio.Event()

    async def wait(self, timeout: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._event.wait(), max(timeout, 0))

    async def wait_until(self, predicate: Callable[[], bool], timeout: float) -> bool:
        deadline = asyncio.get_running_loop().time() + timeout
        while not predicate():
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                return False
            await self.wait(remaining)
        return True


def _now() -> int:
    return int(time.time())


def _as_bool(value: Any) -> bool:
    return value is True or (isinstance(value, str) and value.lower() == "true")


# Keys of a message record that exist only for tests, never in Bot API answers.
_RECORD_ONLY_KEYS = frozenset(
    {"visible_text", "parse_mode", "method", "deleted", "file_bytes", "file_name", "mime_type"}
)


def public_message(record: dict[str, Any]) -> dict[str, Any]:
    """The Bot API Message object for a stored message record."""
    message = {key: value for key, value in record.items() if key not in _RECORD_ONLY_KEYS}
    for key in ("text", "caption"):
        if key in message:
            message[key] = record["visible_text"]
    markup = inline_keyboard(message.pop("reply_markup", None))
    if markup is not None:
        message["reply_markup"] = markup  # Telegram only echoes non-empty inline keyboards
    return message


def inline_keyboard(markup: Any) -> dict[str, Any] | None:
    """The markup if it is an inline keyboard with at least one button, else None."""
    return markup if _inline_buttons(markup) else None


def _inline_buttons(markup: Any) -> list[dict[str, Any]]:
    if not isinstance(markup, dict) or not isinstance(markup.get("inline_keyboard"), list):
        return []
    return [button for row in markup["inline_keyboard"] if isinstance(row, list) for button in row]


def validate_reply_markup(markup: Any) -> None:
    """Reject what Telegram rejects in reply_markup (callback_data size, action-less buttons)."""
    if markup is None:
        return
    if not isinstance(markup, dict):
        raise ApiError.bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" not in markup:
        return
    rows = markup["inline_keyboard"]
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise ApiError.bad_request(
            'field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays'
        )
    for button in _inline_buttons(markup):
        _validate_inline_button(button)


def _validate_inline_button(button: Any) -> None:
    if not isinstance(button, dict) or not str(button.get("text", "")).strip():
        raise ApiError.bad_request("can't parse inline keyboard button: Text must be non-empty")
    if "callback_data" in button:
        data = str(button["callback_data"])
        if not 1 <= len(data.encode("utf-8")) <= MAX_CALLBACK_DATA_BYTES:
            raise ApiError.bad_request("BUTTON_DATA_INVALID")
    elif len(button) == 1:
        raise ApiError.bad_request(
            "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
        )


# --------------------------------------------------------------------------- users


class FakeUser:
    """A Telegram user in a private chat with the bot. Every action enqueues an update and returns its update_id."""

    def __init__(self, tg: FakeTelegram, user: dict[str, Any]) -> None:
        self._tg = tg
        self.user = user
        self.last_message_id: int | None = None  # id of this user's latest own message
        self._message_ids_by_update: dict[int, int] = {}

    @property
    def id(self) -> int:
        return int(self.user["id"])

    @property
    def first_name(self) -> str:
        return str(self.user["first_name"])

    @property
    def chat(self) -> dict[str, Any]:
        return self._tg.chat(self.id)

    # -- messages

    def send_text(self, text: str) -> int:
        """A text message; a leading /command gets its bot_command entity like Telegram adds."""
        content: dict[str, Any] = {"text": text}
        command = _COMMAND_RE.match(text)
        if command and (command.end() == len(text) or text[command.end()].isspace()):
            content["entities"] = [
                {"type": "bot_command", "offset": 0, "length": utf16_length(command.group())}
            ]
        return self._send(content)

    def send_command(self, command: str) -> int:
        """A command such as "/start" or "/start payload"."""
        if not _COMMAND_RE.match(command):
            raise ValueError(f"not a bot command: {command!r}")
        return self.send_text(command)

    def send_sticker(self, emoji: str = "👍") -> int:
        stored = self._tg.add_file(FAKE_WEBP, "stickers", "sticker.webp", "image/webp")
        sticker = stored.api_dict(
            type="regular", width=512, height=512, is_animated=False, is_video=False, emoji=emoji
        )
        return self._send({"sticker": sticker})

    def send_photo(self, caption: str | None = None) -> int:
        stored = self._tg.add_file(FAKE_JPEG, "photos", "photo.jpg", "image/jpeg")
        return self._send({"photo": self._tg.photo_sizes(stored), **_caption(caption)})

    def send_voice(self, duration: int = 3) -> int:
        stored = self._tg.add_file(FAKE_OGG, "voice", "voice.oga", "audio/ogg")
        return self._send({"voice": stored.api_dict(duration=duration, mime_type="audio/ogg")})

    def send_location(self, latitude: float, longitude: float) -> int:
        return self._send({"location": {"latitude": latitude, "longitude": longitude}})

    def send_contact(
        self, phone_number: str, first_name: str | None = None, *, user_id: int | None = None
    ) -> int:
        """Share a contact; without first_name the user shares their own (as a request_contact button does)."""
        contact: dict[str, Any] = {"phone_number": phone_number, "first_name": first_name or self.first_name}
        if first_name is None or user_id is not None:
            contact["user_id"] = user_id if user_id is not None else self.id
        return self._send({"contact": contact})

    def send_document(
        self,
        file_name: str,
        content: bytes,
        mime_type: str = "application/octet-stream",
        *,
        caption: str | None = None,
    ) -> int:
        """A document; the bot can fetch it with getFile and download it from the file URL."""
        stored = self._tg.add_file(content, "documents", file_name, mime_type)
        document = stored.api_dict(file_name=file_name, mime_type=mime_type)
        return self._send({"document": document, **_caption(caption)})

    def edit_text(self, message_id: int, new_text: str) -> int:
        """Edit one of this user's own text messages (an edited_message update).

        message_id may also be the update_id a send_text call returned."""
        return self._tg.user_edit(self, self._message_ids_by_update.get(message_id, message_id), new_text)

    def press(self, callback_data: str, message_id: int | None = None, *, chat_id: int | None = None) -> int:
        """Press an inline button: by default on the latest bot message in this chat that has it.

        ``chat_id`` presses a button in another chat the user is in (e.g. a counsellors' group)."""
        return self._tg.user_press(self, callback_data, message_id, chat_id=chat_id)

    # -- chat membership

    def block(self) -> int:
        """Block the bot: its sends to this user fail with 403; enqueues the my_chat_member update."""
        return self._tg.set_blocked(self, blocked=True)

    def unblock(self) -> int:
        return self._tg.set_blocked(self, blocked=False)

    # -- what the bot sent

    def received(self) -> list[dict[str, Any]]:
        return self._tg.sent(self.id)

    async def wait_for_messages(self, count: int, timeout: float = 10.0) -> list[dict[str, Any]]:
        return await self._tg.wait_for_messages(self.id, count, timeout)

    def _send(self, content: dict[str, Any]) -> int:
        record = self._tg.store_user_message(self, content)
        self.last_message_id = record["message_id"]
        update_id = self._tg.enqueue("message", public_message(record))
        self._message_ids_by_update[update_id] = record["message_id"]
        return update_id


def _caption(caption: str | None) -> dict[str, Any]:
    return {} if caption is None else {"caption": caption}


# --------------------------------------------------------------------------- the server


class FakeTelegram:
    """The fake Bot API server. See the module docstring for usage."""

    def __init__(self, *, bot_user: dict[str, Any] | None = None, strict_chats: bool = True) -> None:
        """strict_chats: sending to a chat no user/add_chat created fails with "chat not found"."""
        self.bot_user: dict[str, Any] = dict(bot_user or BOT_USER)
        self.strict_chats = strict_chats
        self.tokens_seen: set[str] = set()
        self.calls: list[Call] = []
        self.errors: list[ErrorAnswer] = []
        self.callback_answers: list[dict[str, Any]] = []
        self.webhook_deliveries: list[WebhookDelivery] = []
        self.commands: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self._queue = UpdateQueue()
        self._signal = _Signal()
        self._chats: dict[int, dict[str, Any]] = {}
        self._users: dict[int, FakeUser] = {}
        self._blocked: set[int] = set()
        self._messages: dict[tuple[int, int], dict[str, Any]] = {}
        self._bot_messages: dict[int, list[dict[str, Any]]] = {}
        self._message_counters: dict[int, int] = {}
        self._chat_actions: dict[int, list[str]] = {}
        self._files: dict[str, StoredFile] = {}
        self._files_by_path: dict[str, StoredFile] = {}
        self._file_counter = itertools.count(1)
        self._callback_queries: dict[str, dict[str, Any]] = {}
        self._callback_counter = itertools.count(4_000_000_000_001)
        self._failures: dict[str, list[ApiError]] = {}
        self._outages: dict[str, tuple[float, ApiError]] = {}  # method -> (until, error): fail_for
        self._delays: dict[str, tuple[float, bool, int]] = {}  # method -> (seconds, after?, times): delay
        self._stubs: dict[str, Any] = {}
        self._allowed_updates: frozenset[str] | None = None
        self._poll_generation = 0
        self._webhook: _Webhook | None = None
        self._webhook_task: asyncio.Task[None] | None = None
        self._client: aiohttp.ClientSession | None = None
        self._runner: web.AppRunner | None = None
        self._closing = False
        self.root = ""
        self._handlers: dict[str, tuple[str, Handler]] = {
            name.lower(): (name, handler) for name, handler in self._api_methods().items()
        }

    # -- lifecycle

    async def start(self) -> str:
        """Serve on 127.0.0.1 (free port); returns the root URL "http://127.0.0.1:PORT"."""
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        app.router.add_get("/file/bot{token}/{file_path:.+}", self._handle_file)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=2.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self.root = f"http://127.0.0.1:{port}"
        self._client = aiohttp.ClientSession()
        return self.root

    async def stop(self) -> None:
        """Release long polls, stop webhook delivery, close the client session and the server."""
        self._closing = True
        self._signal.fire()
        await self._stop_webhook_worker()
        if self._client is not None:
            await self._client.close()
            self._client = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeTelegram:
        await self.start()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.stop()

    @property
    def base_url(self) -> str:
        """For Bot(base_url=...) / ApplicationBuilder().base_url(...)."""
        return f"{self.root}/bot"

    @property
    def base_file_url(self) -> str:
        """For Bot(base_file_url=...) / ApplicationBuilder().base_file_url(...)."""
        return f"{self.root}/file/bot"

    # -- test controls

    def user(
        self,
        user_id: int,
        first_name: str = "Siti",
        language_code: str | None = "id",
        *,
        last_name: str | None = None,
        username: str | None = None,
    ) -> FakeUser:
        """The user with this id (created on first call); their private chat id equals user_id."""
        if user_id in self._users:
            return self._users[user_id]
        user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first_name}
        optional = {"last_name": last_name, "username": username, "language_code": language_code}
        user.update({key: value for key, value in optional.items() if value is not None})
        chat = {"id": user_id, "type": "private", "first_name": first_name}
        chat.update(
            {key: value for key, value in optional.items() if value is not None and key != "language_code"}
        )
        self._chats[user_id] = chat
        self._users[user_id] = FakeUser(self, user)
        return self._users[user_id]

    def add_chat(self, chat_id: int, *, type: str = "group", title: str = "Test group") -> dict[str, Any]:
        """Register a non-private chat (e.g. a counsellors' group) the bot may send to."""
        chat = {"id": chat_id, "type": type, "title": title}
        self._chats[chat_id] = chat
        return chat

    def chat(self, chat_id: int) -> dict[str, Any]:
        return self._chats[chat_id]

    def push_raw_update(self, update: dict[str, Any]) -> int:
        """Enqueue any update dict. An update_id already confirmed is delivered again (duplicates)."""
        for query in _callback_queries_in(update):
            self._callback_queries.setdefault(
                str(query["id"]), {"data": query.get("data"), "answered": False}
            )
        update_id = self._queue.push(update)
        self._signal.fire()
        return update_id

    def fail_next(
        self,
        method: str,
        error_code: int = 429,
        retry_after: int = 1,
        *,
        description: str | None = None,
        times: int = 1,
    ) -> None:
        """The next `times` calls of `method` fail with error_code (429 carries parameters.retry_after)."""
        default = DEFAULT_ERROR_DESCRIPTIONS.get(error_code, f"Error {error_code}")
        text = description or default.format(retry_after=retry_after)
        error = ApiError(error_code, text, retry_after if error_code == 429 else None)
        self._failures.setdefault(method.lower(), []).extend([error] * times)

    def fail_for(
        self, method: str, seconds: float, error_code: int = 502, *, description: str | None = None
    ) -> None:
        """Every call of `method` fails with error_code for the next `seconds` (an outage); see `end_outage`."""
        text = description or DEFAULT_ERROR_DESCRIPTIONS.get(error_code, f"Error {error_code}")
        self._outages[method.lower()] = (time.monotonic() + seconds, ApiError(error_code, text))

    def end_outage(self, method: str) -> None:
        self._outages.pop(method.lower(), None)

    def delay(self, method: str, seconds: float, *, after: bool = False, times: int = 1_000_000) -> None:
        """The next `times` calls of `method` wait `seconds` (a client timeout: the call is lost) before they
        are handled, or with `after=True` are handled at once and *answered* late (the message is delivered
        but the bot does not learn it: the source of duplicates)."""
        self._delays[method.lower()] = (seconds, after, times)

    def stub(self, method: str, result: Any = True) -> None:
        """Answer `method` with a fixed result (for methods the fake does not implement)."""
        self._stubs[method.lower()] = result

    async def deliver_webhook(
        self, update: dict[str, Any], secret: str | None | EllipsisType = ..., *, url: str | None = None
    ) -> int:
        """POST one update to the webhook (or `url`) now; secret defaults to the configured secret_token
        (None sends no header). Returns the receiver's HTTP status and records it in webhook_deliveries."""
        if url is None:
            if self._webhook is None:
                raise AssertionError("no webhook is set; pass url=...")
            url = self._webhook.url
        if isinstance(secret, EllipsisType):
            secret = self._webhook.secret_token if self._webhook else None
        update = update if "update_id" in update else {"update_id": self._queue.new_id(), **update}
        return await self._post_update(url, secret, update)

    # -- reading what the bot did

    def calls_to(self, method: str) -> list[Params]:
        """Parameters of every call of `method` (case-insensitive)."""
        return [call.params for call in self.calls if call.method.lower() == method.lower()]

    def sent(self, chat_id: int) -> list[dict[str, Any]]:
        """Messages the bot sent to the chat, oldest first, in their current state (edits applied).

        Each has message_id, date, chat, from, text (raw, as the bot sent it) or caption,
        visible_text (what the user sees), parse_mode, reply_markup, entities, method,
        deleted, and for uploads file_name, file_bytes and mime_type."""
        return [dict(record) for record in self._bot_messages.get(chat_id, [])]

    def chat_actions(self, chat_id: int) -> list[str]:
        return list(self._chat_actions.get(chat_id, []))

    @staticmethod
    def buttons(message: dict[str, Any]) -> list[tuple[str, str | None]]:
        """Flat (text, callback_data or url) list of a message's keyboard (reply keyboards: (text, None))."""
        markup = message.get("reply_markup")
        if not isinstance(markup, dict):
            return []
        if "inline_keyboard" in markup:
            return [(b["text"], b.get("callback_data", b.get("url"))) for b in _inline_buttons(markup)]
        rows = markup.get("keyboard", [])
        return [(b if isinstance(b, str) else b.get("text", ""), None) for row in rows for b in row]

    async def wait_until(self, predicate: Callable[[], bool], timeout: float = 10.0) -> None:
        """Wait until predicate() is true; it is re-checked whenever the fake sees activity."""
        if not await self._signal.wait_until(predicate, timeout):
            raise AssertionError(
                f"condition still false after {timeout}s; calls seen: {[c.method for c in self.calls]!r}"
            )

    async def wait_for_messages(
        self, chat_id: int, count: int, timeout: float = 10.0
    ) -> list[dict[str, Any]]:
        """Wait until the bot sent at least `count` messages to the chat; returns them all."""
        if await self._signal.wait_until(lambda: len(self._bot_messages.get(chat_id, [])) >= count, timeout):
            return self.sent(chat_id)
        texts = [record.get("visible_text") for record in self.sent(chat_id)]
        errors = [f"{e.method}: {e.description}" for e in self.errors if e.params.get("chat_id") == chat_id]
        raise AssertionError(
            f"expected at least {count} message(s) to chat {chat_id} within {timeout}s, got {len(texts)}: "
            f"{texts!r}; errors answered for this chat: {errors!r}"
        )

    async def wait_for_call(
        self,
        method: str,
        predicate: Callable[[Params], bool] | None = None,
        timeout: float = 10.0,
        *,
        after: int = 0,
    ) -> Params:
        """Wait for a call of `method` (index >= `after` in `calls`) matching `predicate`; returns its params."""

        def find() -> Params | None:
            for call in self.calls[after:]:
                if call.method.lower() == method.lower() and (predicate is None or predicate(call.params)):
                    return call.params
            return None

        if await self._signal.wait_until(lambda: find() is not None, timeout):
            return find() or {}
        seen = [call.method for call in self.calls[after:]]
        raise AssertionError(f"no matching {method} call within {timeout}s; calls seen: {seen!r}")

    # -- internals used by FakeUser

    def enqueue(self, kind: str, payload: dict[str, Any]) -> int:
        update_id = self._queue.push({"update_id": self._queue.new_id(), kind: payload})
        self._signal.fire()
        return update_id

    def store_user_message(self, user: FakeUser, content: dict[str, Any]) -> dict[str, Any]:
        record = self._new_message(user.chat, user.user, content)
        record["visible_text"] = content.get("text", content.get("caption"))
        self._messages[(user.id, record["message_id"])] = record
        return record

    def user_edit(self, user: FakeUser, message_id: int, new_text: str) -> int:
        record = self._messages.get((user.id, message_id))
        if record is None or record["from"].get("id") != user.id or "text" not in record:
            raise AssertionError(f"user {user.id} has no text message {message_id} to edit")
        record.update(text=new_text, visible_text=new_text, edit_date=_now())
        record.pop("entities", None)
        return self.enqueue("edited_message", public_message(record))

    def user_press(
        self, user: FakeUser, callback_data: str, message_id: int | None, *, chat_id: int | None = None
    ) -> int:
        record = self._message_to_press(user.id if chat_id is None else chat_id, callback_data, message_id)
        query_id = str(next(self._callback_counter))
        self._callback_queries[query_id] = {"data": callback_data, "answered": False, "user_id": user.id}
        query = {
            "id": query_id,
            "from": user.user,
            "message": public_message(record),
            "chat_instance": f"-{user.id}00",
            "data": callback_data,
        }
        return self.enqueue("callback_query", query)

    def set_blocked(self, user: FakeUser, *, blocked: bool) -> int:
        (self._blocked.add if blocked else self._blocked.discard)(user.id)
        old, new = ("member", "kicked") if blocked else ("kicked", "member")
        bot_member = {"user": self._bot_sender()}
        update = {
            "chat": user.chat,
            "from": user.user,
            "date": _now(),
            "old_chat_member": {
                "status": old,
                **bot_member,
                **({"until_date": 0} if old == "kicked" else {}),
            },
            "new_chat_member": {
                "status": new,
                **bot_member,
                **({"until_date": 0} if new == "kicked" else {}),
            },
        }
        return self.enqueue("my_chat_member", update)

    def add_file(self, content: bytes, folder: str, file_name: str, mime_type: str) -> StoredFile:
        """Register file content; getFile answers its file_path, served under /file/bot<token>/."""
        number = next(self._file_counter)
        suffix = PurePosixPath(file_name).suffix
        stored = StoredFile(
            file_id=f"FAKEFILE{number:06d}{folder.upper()}",
            file_unique_id=f"AgAD{number:06d}",
            file_path=f"{folder}/file_{number}{suffix}",
            content=content,
            file_name=file_name,
            mime_type=mime_type,
        )
        self._files[stored.file_id] = stored
        self._files_by_path[stored.file_path] = stored
        return stored

    def photo_sizes(self, stored: StoredFile) -> list[dict[str, Any]]:
        thumbnail = self.add_file(stored.content, "photos", "thumb.jpg", stored.mime_type)
        return [thumbnail.api_dict(width=90, height=90), stored.api_dict(width=800, height=800)]

    # -- HTTP handlers

    async def _handle_api(self, request: web.Request) -> web.Response:
        self.tokens_seen.add(request.match_info["token"])
        name = request.match_info["method"]
        method, handler = self._handlers.get(name.lower(), (name, None))
        params: Params = {}
        try:
            params = await self._read_request(request)
            self.calls.append(Call(method, params, time.monotonic()))
            self._signal.fire()
            seconds, after = self._take_delay(method)
            if seconds and not after:
                await asyncio.sleep(seconds)
                if request.transport is None or request.transport.is_closing():  # the client gave up: lost
                    return _json_response({"ok": False, "error_code": 504, "description": "lost"}, status=504)
            result = await self._dispatch(method, handler, params)
            if seconds and after:
                await asyncio.sleep(seconds)
        except ApiError as error:
            if request.transport is not None:  # not a long poll whose client already hung up
                self.errors.append(ErrorAnswer(method, error.error_code, error.description, params))
                self._signal.fire()
            return _json_response(error.payload(), status=error.error_code)
        return _json_response({"ok": True, "result": result})

    @staticmethod
    async def _read_request(request: web.Request) -> Params:
        try:
            return await read_params(request)
        except ValueError as exc:
            raise ApiError.bad_request(f"can't parse request body: {exc}") from exc

    def _take_delay(self, method: str) -> tuple[float, bool]:
        seconds, after, times = self._delays.get(method.lower(), (0.0, False, 0))
        if times <= 0:
            return 0.0, False
        self._delays[method.lower()] = (seconds, after, times - 1)
        return seconds, after

    async def _dispatch(self, method: str, handler: Handler | None, params: Params) -> Any:
        outage = self._outages.get(method.lower())
        if outage is not None and time.monotonic() < outage[0]:
            raise outage[1]
        failures = self._failures.get(method.lower())
        if failures:
            raise failures.pop(0)
        if method.lower() in self._stubs:
            return self._stubs[method.lower()]
        if handler is None:
            raise ApiError.bad_request("method not found")
        try:
            return await handler(params)
        except (TypeError, ValueError) as exc:  # e.g. int("abc") on a parameter Telegram types strictly
            raise ApiError.bad_request(f"invalid parameter value: {exc}") from exc

    async def _handle_file(self, request: web.Request) -> web.Response:
        self.tokens_seen.add(request.match_info["token"])
        stored = self._files_by_path.get(request.match_info["file_path"])
        if stored is None:
            return _json_response({"ok": False, "error_code": 404, "description": "Not Found"}, status=404)
        return web.Response(body=stored.content, content_type=stored.mime_type)

    def _api_methods(self) -> dict[str, Handler]:
        return {
            "getMe": self._get_me,
            "getUpdates": self._get_updates,
            "sendMessage": self._send_message,
            "editMessageText": self._edit_message_text,
            "editMessageCaption": self._edit_message_caption,
            "editMessageReplyMarkup": self._edit_message_reply_markup,
            "deleteMessage": self._delete_message,
            "answerCallbackQuery": self._answer_callback_query,
            "sendChatAction": self._send_chat_action,
            "setMyCommands": self._set_my_commands,
            "deleteMyCommands": self._delete_my_commands,
            "getMyCommands": self._get_my_commands,
            "setWebhook": self._set_webhook,
            "deleteWebhook": self._delete_webhook,
            "getWebhookInfo": self._get_webhook_info,
            "close": self._return_true,
            "logOut": self._return_true,
            "sendPhoto": self._send_photo,
            "sendDocument": self._send_document,
            "copyMessage": self._copy_message,
            "forwardMessage": self._forward_message,
            "getFile": self._get_file,
        }

    # -- API: bot and updates

    async def _get_me(self, params: Params) -> dict[str, Any]:
        return dict(self.bot_user)

    async def _return_true(self, params: Params) -> bool:
        return True

    async def _get_updates(self, params: Params) -> list[dict[str, Any]]:
        if self._webhook is not None:
            raise ApiError(409, WEBHOOK_CONFLICT)
        offset = int(params.get("offset") or 0)
        if offset:
            self._queue.confirm(offset)
        if params.get("allowed_updates") is not None:
            self._allowed_updates = frozenset(params["allowed_updates"])
        limit = min(max(int(params.get("limit") or 100), 1), 100)
        timeout = max(float(params.get("timeout") or 0), 0.0)
        return await self._long_poll(limit, timeout)

    async def _long_poll(self, limit: int, timeout: float) -> list[dict[str, Any]]:
        self._poll_generation += 1
        generation = self._poll_generation
        self._signal.fire()  # an older poll still waiting is now superseded
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            if generation != self._poll_generation:
                raise ApiError(409, GET_UPDATES_CONFLICT)
            batch = self._queue.peek(limit, self._allowed_updates)
            remaining = deadline - asyncio.get_running_loop().time()
            if batch or remaining <= 0 or self._closing or self._webhook is not None:
                return batch
            await self._signal.wait(remaining)

    # -- API: messages

    async def _send_message(self, params: Params) -> dict[str, Any]:
        chat = self._chat_for(params.get("chat_id"))
        body = self._text_fields(params)
        validate_reply_markup(params.get("reply_markup"))
        record = self._store_bot_message(chat, "sendMessage", body, params)
        return public_message(record)

    async def _send_photo(self, params: Params) -> dict[str, Any]:
        chat = self._chat_for(params.get("chat_id"))
        stored = self._input_file(params.get("photo"), "photo", "photos", "image/jpeg")
        content = {"photo": self.photo_sizes(stored), **self._caption_fields(params)}
        validate_reply_markup(params.get("reply_markup"))
        return public_message(self._store_bot_message(chat, "sendPhoto", content, params, stored))

    async def _send_document(self, params: Params) -> dict[str, Any]:
        chat = self._chat_for(params.get("chat_id"))
        stored = self._input_file(params.get("document"), "document", "documents", "application/octet-stream")
        document = stored.api_dict(file_name=stored.file_name, mime_type=stored.mime_type)
        content = {"document": document, **self._caption_fields(params)}
        validate_reply_markup(params.get("reply_markup"))
        return public_message(self._store_bot_message(chat, "sendDocument", content, params, stored))

    async def _copy_message(self, params: Params) -> dict[str, Any]:
        chat = self._chat_for(params.get("chat_id"))
        source = self._source_message(params, "message to copy not found")
        content = {key: source[key] for key in _COPIED_KEYS if key in source}
        if params.get("caption") is not None and "text" not in source:
            replaced = ("caption", "caption_entities", "visible_text", "parse_mode")
            content = {key: value for key, value in content.items() if key not in replaced}
            content.update(self._caption_fields(params))
        validate_reply_markup(params.get("reply_markup"))
        record = self._store_bot_message(chat, "copyMessage", content, params)
        return {"message_id": record["message_id"]}

    async def _forward_message(self, params: Params) -> dict[str, Any]:
        chat = self._chat_for(params.get("chat_id"))
        source = self._source_message(params, "message to forward not found")
        content = {key: source[key] for key in _COPIED_KEYS if key in source}
        content["forward_origin"] = {"type": "user", "sender_user": source["from"], "date": source["date"]}
        params = {key: value for key, value in params.items() if key != "reply_markup"}
        return public_message(self._store_bot_message(chat, "forwardMessage", content, params))

    async def _edit_message_text(self, params: Params) -> dict[str, Any]:
        record = self._message_to_edit(params)
        if "text" not in record:
            raise ApiError.bad_request("there is no text in the message to edit")
        body = self._text_fields(params)
        return self._apply_edit(record, body, params.get("reply_markup"))

    async def _edit_message_caption(self, params: Params) -> dict[str, Any]:
        record = self._message_to_edit(params)
        if not any(key in record for key in ("photo", "document", "voice")):
            raise ApiError.bad_request("there is no caption in the message to edit")
        body = self._caption_fields(params) or {"caption": None, "visible_text": None, "parse_mode": None}
        return self._apply_edit(record, body, params.get("reply_markup"), "caption_entities")

    async def _edit_message_reply_markup(self, params: Params) -> dict[str, Any]:
        record = self._message_to_edit(params)
        return self._apply_edit(record, {}, params.get("reply_markup"))

    async def _delete_message(self, params: Params) -> bool:
        key = (self._chat_for(params.get("chat_id"))["id"], int(params.get("message_id") or 0))
        record = self._messages.get(key)
        if record is None or record.get("deleted"):
            raise ApiError.bad_request("message to delete not found")
        record["deleted"] = True
        return True

    # -- API: other bot actions

    async def _answer_callback_query(self, params: Params) -> bool:
        query_id = str(params.get("callback_query_id", ""))
        query = self._callback_queries.get(query_id)
        if query is None or query["answered"]:
            raise ApiError.bad_request("query is too old and response timeout expired or query ID is invalid")
        query["answered"] = True
        answer = {
            key: params.get(key) for key in ("callback_query_id", "text", "show_alert", "url", "cache_time")
        }
        self.callback_answers.append({**answer, "data": query.get("data"), "user_id": query.get("user_id")})
        return True

    async def _send_chat_action(self, params: Params) -> bool:
        chat = self._chat_for(params.get("chat_id"))
        action = params.get("action")
        if action not in CHAT_ACTIONS:
            raise ApiError.bad_request("wrong parameter action in request")
        self._chat_actions.setdefault(chat["id"], []).append(str(action))
        return True

    async def _set_my_commands(self, params: Params) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise ApiError.bad_request("commands must be a list of at most 100 BotCommand")
        for command in commands:
            if not _BOT_COMMAND_NAME_RE.fullmatch(str(command.get("command", ""))):
                raise ApiError.bad_request("BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", "")).strip()) <= 256:
                raise ApiError.bad_request("command description must be non-empty")
        self.commands[_commands_key(params)] = [dict(command) for command in commands]
        return True

    async def _delete_my_commands(self, params: Params) -> bool:
        self.commands.pop(_commands_key(params), None)
        return True

    async def _get_my_commands(self, params: Params) -> list[dict[str, Any]]:
        return self.commands.get(_commands_key(params), [])

    async def _get_file(self, params: Params) -> dict[str, Any]:
        stored = self._files.get(str(params.get("file_id", "")))
        if stored is None:
            raise ApiError.bad_request("invalid file_id")
        return stored.api_dict(file_path=stored.file_path)

    # -- API: webhook

    async def _set_webhook(self, params: Params) -> bool:
        url = str(params.get("url") or "")
        if not url:
            return await self._delete_webhook(params)
        secret = params.get("secret_token")
        if secret is not None and not _SECRET_TOKEN_RE.fullmatch(str(secret)):
            raise ApiError.bad_request("secret token contains unallowed characters")
        if _as_bool(params.get("drop_pending_updates")):
            self._queue.clear()
        if params.get("allowed_updates") is not None:
            self._allowed_updates = frozenset(params["allowed_updates"])
        await self._stop_webhook_worker()
        self._webhook = _Webhook(url, None if secret is None else str(secret))
        self._webhook_task = asyncio.create_task(self._deliver_pending(self._webhook))
        self._signal.fire()  # getUpdates waiting now must answer
        return True

    async def _delete_webhook(self, params: Params) -> bool:
        if _as_bool(params.get("drop_pending_updates")):
            self._queue.clear()
        await self._stop_webhook_worker()
        return True

    async def _get_webhook_info(self, params: Params) -> dict[str, Any]:
        info: dict[str, Any] = {
            "url": "",
            "has_custom_certificate": False,
            "pending_update_count": len(self._queue),
        }
        hook = self._webhook
        if hook is None:
            return info
        info.update(url=hook.url, max_connections=40)
        if self._allowed_updates:
            info["allowed_updates"] = sorted(self._allowed_updates)
        if hook.last_error_date is not None:
            info.update(last_error_date=hook.last_error_date, last_error_message=hook.last_error_message)
        return info

    async def _deliver_pending(self, hook: _Webhook) -> None:
        while self._webhook is hook and not self._closing:
            update = self._queue.pop(self._allowed_updates)
            if update is None:
                await self._signal.wait(1.0)
                continue
            await self._post_update(hook.url, hook.secret_token, update)

    async def _post_update(self, url: str, secret: str | None, update: dict[str, Any]) -> int:
        if self._client is None:
            raise RuntimeError("FakeTelegram is not started")
        headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}
        try:
            async with self._client.post(
                url, json=update, headers=headers, timeout=aiohttp.ClientTimeout(total=10)
            ) as resp:
                await resp.read()
                status, error = resp.status, f"Wrong response from the webhook: {resp.status} {resp.reason}"
        except (aiohttp.ClientError, TimeoutError) as exc:
            status, error = 0, f"Connection failed: {exc!r}"
        self.webhook_deliveries.append(WebhookDelivery(status, update))
        if self._webhook is not None and not 200 <= status <= 299:
            self._webhook.last_error_date, self._webhook.last_error_message = _now(), error
        self._signal.fire()
        return status

    async def _stop_webhook_worker(self) -> None:
        self._webhook = None
        task, self._webhook_task = self._webhook_task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    # -- message helpers

    def _chat_for(self, chat_id: Any) -> dict[str, Any]:
        chat = self._find_chat(chat_id)
        if chat is None:
            raise ApiError.bad_request("chat not found")
        if chat["id"] in self._blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        return chat

    def _find_chat(self, chat_id: Any) -> dict[str, Any] | None:
        if isinstance(chat_id, str) and chat_id.startswith("@"):
            return next((c for c in self._chats.values() if c.get("username") == chat_id[1:]), None)
        try:
            numeric = int(chat_id)
        except (TypeError, ValueError):
            return None
        if numeric not in self._chats and not self.strict_chats:
            self._chats[numeric] = {"id": numeric, "type": "private", "first_name": f"User{numeric}"}
        return self._chats.get(numeric)

    def _text_fields(self, params: Params) -> dict[str, Any]:
        text = params.get("text")
        if text is None or str(text) == "":
            raise ApiError.bad_request("message text is empty")
        text, parse_mode = str(text), params.get("parse_mode")
        formatted = format_text(text, parse_mode, params.get("entities"))
        if not formatted.visible.strip():
            raise ApiError.bad_request("message text is empty")
        if len(formatted.visible) > MAX_TEXT_LENGTH:
            raise ApiError.bad_request("message is too long")
        fields = {"text": text, "visible_text": formatted.visible, "parse_mode": parse_mode}
        return fields | ({"entities": list(formatted.entities)} if formatted.entities else {})

    def _caption_fields(self, params: Params) -> dict[str, Any]:
        caption = params.get("caption")
        if caption is None or str(caption) == "":
            return {}
        caption, parse_mode = str(caption), params.get("parse_mode")
        formatted = format_text(caption, parse_mode, params.get("caption_entities"))
        if len(formatted.visible) > MAX_CAPTION_LENGTH:
            raise ApiError.bad_request("message caption is too long")
        fields = {"caption": caption, "visible_text": formatted.visible, "parse_mode": parse_mode}
        return fields | ({"caption_entities": list(formatted.entities)} if formatted.entities else {})

    def _input_file(self, value: Any, kind: str, folder: str, mime_type: str) -> StoredFile:
        if isinstance(value, UploadedFile):
            return self.add_file(value.content, folder, value.file_name, value.mime_type or mime_type)
        if isinstance(value, str) and value in self._files:
            return self._files[value]
        if isinstance(value, str) and value.startswith(("http://", "https://")):
            name = PurePosixPath(value.split("?", 1)[0]).name or kind
            return self.add_file(FAKE_JPEG if kind == "photo" else b"", folder, name, mime_type)
        if value is None:
            raise ApiError.bad_request(f"there is no {kind} in the request")
        raise ApiError.bad_request("wrong file identifier/HTTP URL specified")

    def _next_message_id(self, chat_id: int) -> int:
        self._message_counters[chat_id] = self._message_counters.get(chat_id, 0) + 1
        return self._message_counters[chat_id]

    def _bot_sender(self) -> dict[str, Any]:
        return {
            key: self.bot_user[key]
            for key in ("id", "is_bot", "first_name", "username")
            if key in self.bot_user
        }

    def _new_message(
        self, chat: dict[str, Any], sender: dict[str, Any], content: dict[str, Any]
    ) -> dict[str, Any]:
        message_id = self._next_message_id(chat["id"])
        return {"message_id": message_id, "from": sender, "chat": chat, "date": _now(), **content}

    def _store_bot_message(
        self,
        chat: dict[str, Any],
        method: str,
        content: dict[str, Any],
        params: Params,
        stored: StoredFile | None = None,
    ) -> dict[str, Any]:
        reply_to = self._reply_target(chat["id"], params)
        record = self._new_message(chat, self._bot_sender(), content)
        if reply_to is not None:
            record["reply_to_message"] = public_message(reply_to)
        record.setdefault("visible_text", None)
        record.setdefault("parse_mode", None)
        record.update(method=method, reply_markup=params.get("reply_markup"), deleted=False)
        if stored is not None:
            record.update(file_name=stored.file_name, file_bytes=stored.content, mime_type=stored.mime_type)
        self._messages[(chat["id"], record["message_id"])] = record
        self._bot_messages.setdefault(chat["id"], []).append(record)
        self._signal.fire()
        return record

    def _reply_target(self, chat_id: int, params: Params) -> dict[str, Any] | None:
        reply = params.get("reply_parameters")
        if not isinstance(reply, dict):
            reply = (
                {"message_id": params["reply_to_message_id"]} if params.get("reply_to_message_id") else None
            )
        if reply is None:
            return None
        target = self._messages.get((int(reply.get("chat_id", chat_id)), int(reply["message_id"])))
        if target is None and not _as_bool(reply.get("allow_sending_without_reply")):
            raise ApiError.bad_request("message to be replied not found")
        return target

    def _source_message(self, params: Params, not_found: str) -> dict[str, Any]:
        chat = self._find_chat(params.get("from_chat_id"))
        record = (
            None if chat is None else self._messages.get((chat["id"], int(params.get("message_id") or 0)))
        )
        if record is None or record.get("deleted"):
            raise ApiError.bad_request(not_found)
        return record

    def _message_to_edit(self, params: Params) -> dict[str, Any]:
        if params.get("inline_message_id"):
            raise ApiError.bad_request("message to edit not found")
        chat = self._chat_for(params.get("chat_id"))
        record = self._messages.get((chat["id"], int(params.get("message_id") or 0)))
        if record is None or record.get("deleted"):
            raise ApiError.bad_request("message to edit not found")
        if record["from"].get("id") != self.bot_user["id"]:
            raise ApiError.bad_request("message can't be edited")
        return record

    def _apply_edit(
        self, record: dict[str, Any], body: dict[str, Any], reply_markup: Any, entity_key: str = "entities"
    ) -> dict[str, Any]:
        """Replace text/caption (when body is given) and the markup; an omitted reply_markup removes
        the inline keyboard, as on Telegram. Identical content answers "message is not modified"."""
        validate_reply_markup(reply_markup)
        if isinstance(reply_markup, dict) and REPLY_KEYBOARD_KEYS & reply_markup.keys():
            raise ApiError.bad_request("inline keyboard expected")
        old_keyboard = inline_keyboard(record.get("reply_markup"))
        current = (record.get("visible_text"), record.get(entity_key, []), old_keyboard)
        content = (body["visible_text"], body.get(entity_key, [])) if body else current[:2]
        if (*content, inline_keyboard(reply_markup)) == current:
            raise ApiError.bad_request(NOT_MODIFIED)
        if body:
            record.pop(entity_key, None)
            record.update(body)
        if record.get("caption", "") is None:
            del record["caption"]
        if reply_markup is not None or old_keyboard is not None:  # a reply keyboard is not touched
            record["reply_markup"] = reply_markup
        record["edit_date"] = _now()
        self._signal.fire()
        return public_message(record)

    def _message_to_press(self, chat_id: int, callback_data: str, message_id: int | None) -> dict[str, Any]:
        records = self._bot_messages.get(chat_id, [])
        if message_id is not None:
            record = self._messages.get((chat_id, message_id))
            if record is None:
                raise AssertionError(f"chat {chat_id} has no message {message_id}")
            return record
        for record in reversed(records):
            if not record["deleted"] and any(
                b.get("callback_data") == callback_data for b in _inline_buttons(record.get("reply_markup"))
            ):
                return record
        available = [self.buttons(record) for record in records if not record["deleted"]]
        raise AssertionError(
            f"no bot message in chat {chat_id} has callback_data {callback_data!r}; buttons: {available!r}"
        )


_COPIED_KEYS = (
    "text", "entities", "caption", "caption_entities", "visible_text", "parse_mode", "photo", "document",
    "voice", "sticker", "location", "contact", "file_name", "file_bytes", "mime_type",
)  # fmt: skip


def _commands_key(params: Params) -> tuple[str, str]:
    scope = params.get("scope") or {"type": "default"}
    return json.dumps(scope, sort_keys=True), str(params.get("language_code") or "")


def _callback_queries_in(update: dict[str, Any]) -> list[dict[str, Any]]:
    query = update.get("callback_query")
    return [query] if isinstance(query, dict) and "id" in query else []
