"""Shared fixtures: the real service data (parsed by the registered parsers) and a flow driver."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from bot.dialogue.flows import Flow, FlowContext, FlowStep
from bot.dialogue.types import Incoming, Kind
from bot.knowledge.model import KnowledgeBase
from bot.services import FLOWS, load_service_data

KNOWLEDGE = Path(__file__).resolve().parents[2] / "knowledge"
TODAY = date(2026, 11, 22)


@pytest.fixture(scope="session")
def data() -> dict[str, Any]:
    """The real knowledge/ service files, through the services' own section parsers."""
    return load_service_data(KNOWLEDGE)


@pytest.fixture(scope="session")
def kb(data: dict[str, Any]) -> KnowledgeBase:
    """A knowledge base holding only the service data (flows need nothing else)."""
    return KnowledgeBase(KNOWLEDGE, {}, {}, {}, None, data)  # type: ignore[arg-type]


@pytest.fixture
def ctx(kb: KnowledgeBase) -> FlowContext:
    return FlowContext(kb, "id", TODAY)


@pytest.fixture
def ctx_en(kb: KnowledgeBase) -> FlowContext:
    return FlowContext(kb, "en", TODAY)


def say(text: str) -> Incoming:
    return Incoming(Kind.TEXT, text=text)


def press(data: str) -> Incoming:
    return Incoming(Kind.BUTTON, data=data)


@dataclass
class Driver:
    """Drives one flow like the dialogue core would: keeps its state between inputs."""

    flow: Flow
    ctx: FlowContext
    data: dict[str, Any] | None = None
    last: FlowStep | None = field(default=None, repr=False)

    def start(self, text: str = "") -> FlowStep:
        return self._keep(self.flow.start(self.ctx, text))

    def say(self, text: str) -> FlowStep:
        return self._keep(self.flow.step(self.ctx, self.data or {}, say(text)))

    def press(self, value: str) -> FlowStep:
        return self._keep(self.flow.step(self.ctx, self.data or {}, press(f"f:{self.flow.name}:{value}")))

    def _keep(self, step: FlowStep) -> FlowStep:
        self.last = step
        if step.consumed:
            self.data = step.data
        return step

    @property
    def text(self) -> str:
        assert self.last is not None
        return "\n".join(reply.text for reply in self.last.replies)

    @property
    def buttons(self) -> list[str]:
        assert self.last is not None
        return [b.data for reply in self.last.replies for row in reply.buttons for b in row]


@pytest.fixture
def drive(ctx: FlowContext):
    """``drive("selfcheck")`` -> a :class:`Driver` for that flow in Indonesian (``lang="en"`` for English)."""

    def make(name: str, lang: str = "id") -> Driver:
        return Driver(FLOWS[name], FlowContext(ctx.kb, lang, ctx.today))

    return make
