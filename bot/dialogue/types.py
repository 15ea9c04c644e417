"""Channel-free dialogue values: what comes in, what goes out, and the state kept between messages.

The Telegram adapter and the console chat both translate their input into :class:`Incoming`, call the
dialogue core, store the new :class:`State` and render the :class:`Reply` list. Side effects the core
cannot do itself (it is pure and synchronous) come back as :class:`Effect` values for the adapter.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import Enum
from typing import Any

from intents import Match

MAX_CALLBACK_BYTES = 64


class Kind(Enum):
    TEXT = "text"
    BUTTON = "button"
    COMMAND = "command"
    MEDIA = "media"
    EDITED = "edited"


@dataclass(frozen=True)
class Button:
    """An inline button: ``data`` is sent back when pressed (at most 64 bytes), or ``url`` opens a link."""

    label: str
    data: str = ""
    url: str = ""

    def __post_init__(self) -> None:
        if len(self.data.encode()) > MAX_CALLBACK_BYTES:
            raise ValueError(f"callback data over {MAX_CALLBACK_BYTES} bytes: {self.data!r}")


@dataclass(frozen=True)
class Reply:
    """One message to show. ``text`` is plain text: renderers escape it."""

    text: str
    buttons: tuple[tuple[Button, ...], ...] = ()


@dataclass(frozen=True)
class Incoming:
    """What the user did. ``text`` for text and commands (without the slash), ``data`` for buttons."""

    kind: Kind
    text: str = ""
    data: str = ""
    first_name: str = ""
    language_code: str = ""
    command_args: str = ""
    label: str = ""  # a pressed button's label as the user saw it (for the transcript), when known
    message_id: int = 0  # the channel's id of the message (a counsellor gets media as a copy of it)
    media: str = ""  # the kind of media a captioned message carries ("photo"), when it carries one


@dataclass(frozen=True)
class Effect:
    """Something the adapter must do after the reply (open a handoff case, delete data, ...)."""

    name: str
    args: dict[str, Any] = field(default_factory=dict)


@dataclass
class State:
    """Per-user conversation state, stored as JSON in the database after every update."""

    lang: str | None = None  # fixed by the user with /bahasa; None = follow each message
    last_lang: str = "id"  # language of the last message
    fallbacks: int = 0  # fallbacks in a row
    flow: str | None = None  # guided flow in progress (e.g. "selfcheck")
    flow_data: dict[str, Any] = field(default_factory=dict)
    pending: dict[str, Any] = field(default_factory=dict)  # small per-feature scratch values
    handoff: dict[str, Any] = field(default_factory=dict)  # the open counsellor case: {case, status, lang}

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> State:
        if not data:
            return cls()
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**known)

    def reply_lang(self, detected: str | None = None) -> str:
        return self.lang or detected or self.last_lang


@dataclass(frozen=True)
class Turn:
    """What matching one message decided, kept in the transcript."""

    intent: str | None = None
    score: float = 0.0
    band: str | None = None
    lang: str = "id"


@dataclass
class Outcome:
    """The result of one dialogue step."""

    state: State
    replies: list[Reply] = field(default_factory=list)
    effects: list[Effect] = field(default_factory=list)
    turn: Turn = field(default_factory=Turn)
    match: Match | None = None  # what the matcher found, for free text
