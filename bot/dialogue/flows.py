"""Guided flows (self-check, calculator, vacancy search, training referral): the contract the core drives.

A flow is pure and synchronous like the rest of the dialogue core. Its whole state is the JSON-able
``data`` dict, which the core stores in ``State.flow_data`` (so a flow survives a restart and can
continue on another instance). Button data for flows is ``f:<flow name>:<value>`` (at most 64 bytes);
``f:<flow name>:back`` is the Back button. ``/batal`` is handled by the core (it drops the flow).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from ..knowledge import KnowledgeBase
from .types import Button, Effect, Incoming, Reply


@dataclass(frozen=True)
class FlowContext:
    kb: KnowledgeBase
    lang: str
    today: date
    first_name: str = ""
    memory: dict[str, Any] = field(default_factory=dict)  # a copy of State.pending: what flows remember
    now: datetime | None = None  # the dialogue's clock, for flows whose steps expire


@dataclass
class FlowStep:
    """What a flow did with one input.

    ``data`` is the flow's new state, or None when the flow has finished. ``consumed`` is False when the
    input was not an answer to the flow's question (e.g. a question about something else): the core then
    answers it normally, keeps the flow, and shows ``replies`` (the re-asked question) after its answer.
    ``aside`` (with ``consumed`` False): the input is not for the flow at all; the core answers it as if
    no flow ran, keeping the flow (``data``) or dropping it (``data`` None).
    """

    data: dict[str, Any] | None
    replies: list[Reply] = field(default_factory=list)
    effects: list[Effect] = field(default_factory=list)
    consumed: bool = True
    remember: dict[str, Any] = field(default_factory=dict)  # State.pending keys to set (None: forget the key)
    aside: bool = False


class Flow(ABC):
    """A guided service: ``start`` asks the first question, ``step`` takes each answer."""

    name: str

    @abstractmethod
    def start(self, ctx: FlowContext, text: str = "") -> FlowStep:
        """Begin the flow; ``text`` is the message that started it (may already hold answers)."""

    @abstractmethod
    def step(self, ctx: FlowContext, data: dict[str, Any], incoming: Incoming) -> FlowStep:
        """Take one input (a button press ``f:<name>:<value>`` in ``incoming.data`` or free text)."""

    def button(self, label: str, value: str) -> Button:
        return Button(label, f"f:{self.name}:{value}")
