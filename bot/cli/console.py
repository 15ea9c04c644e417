"""The console chat: the same dialogue core as Telegram, with buttons as numbered choices."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TextIO

from ..dialogue import Dialogue, Incoming, Kind, Reply, State, parse_command
from ..dialogue.types import Button
from .render import buttons_of, render

QUIT = {"/keluar", "/quit", "/exit"}


class Console:
    """One terminal conversation. State lives in this object: a console has one user."""

    def __init__(self, dialogue: Dialogue) -> None:
        self.dialogue = dialogue
        self.state = State()
        self.buttons: list[Button] = []

    def run(self, lines: Iterable[str], out: TextIO) -> None:
        out.write(self.dialogue.kb.text("console_intro", "id") + "\n> ")
        out.flush()
        for line in lines:
            text = line.strip()
            if text in QUIT:
                break
            out.write(render(self.step(text)) + "\n> ")
            out.flush()

    def step(self, text: str) -> list[Reply]:
        outcome = self.dialogue.handle(self.state, self.incoming(text))
        self.state = outcome.state
        replies = list(outcome.replies)
        for effect in outcome.effects:
            if effect.name in ("handoff", "handoff_button"):
                replies.append(Reply(self.dialogue.kb.text("handoff_unavailable", self.state.reply_lang())))
            elif effect.name == "delete_user":
                self.state = State()
        self.buttons = buttons_of(replies) or self.buttons
        return replies

    def incoming(self, text: str) -> Incoming:
        if text.isdigit() and 0 < int(text) <= len(self.buttons):
            button = self.buttons[int(text) - 1]
            return Incoming(Kind.BUTTON, data=button.data)
        command = parse_command(text)
        if command is not None:
            return Incoming(Kind.COMMAND, text=command[0], command_args=command[1])
        return Incoming(Kind.TEXT, text=text)
