"""The two quick steps before a case is queued, as a dialogue flow: the topic (buttons), then one line
about the problem (or Skip). Pure; its state is the flow's data, stored with the user's dialogue state.

The first question (the topic buttons under the honest word about who can answer now) needs the
queue, so the flow's start only asks the adapter for it (the ``handoff`` effect, ``intake``); the
buttons it sends are ``h:t:<topic>``, ``h:skip`` and ``h:x``, which the dialogue core hands to this
flow while it runs. The last step asks the adapter to open the case (``handoff_open``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from ..dialogue.flows import Flow, FlowContext, FlowStep
from ..dialogue.types import Button, Effect, Incoming, Kind, Reply
from .config import HandoffConfig
from .routing import CRISIS_INTENT, INTAKE_FLOW, is_crisis

__all__ = ["CRISIS_TOPIC", "INTAKE_TTL", "IntakeFlow", "topic_buttons"]

CRISIS_TOPIC = "crisis"
INTAKE_TTL = timedelta(minutes=30)  # a description asked for longer ago than this is no longer awaited


class IntakeFlow(Flow):
    """topic -> description -> the case is opened (by the adapter, from the ``handoff_open`` effect)."""

    name = INTAKE_FLOW

    def __init__(self, clock: Callable[[], datetime] | None = None) -> None:
        self.clock = clock  # the queue's clock (tests move it); else the dialogue's

    def start(self, ctx: FlowContext, text: str = "") -> FlowStep:
        data = {"step": "topic", "lang": ctx.lang, "at": self._stamp(ctx)}
        return FlowStep(
            data, effects=[Effect("handoff", {"reason": "asked", "lang": ctx.lang, "intake": True})]
        )

    def step(self, ctx: FlowContext, data: dict[str, Any], incoming: Incoming) -> FlowStep:
        lang = str(data.get("lang") or ctx.lang)
        if incoming.kind is Kind.BUTTON:
            return self._button(ctx, data, incoming.data, lang)
        if data.get("step") != "desc" or not incoming.text.strip() or self._stale(ctx, data):
            # a question while the topic buttons wait is answered (the buttons still work);
            # one long after the description was asked for is the bot's again
            return FlowStep(None if data.get("step") == "desc" else data, consumed=False, aside=True)
        return self._open(ctx, data, incoming.text, lang)

    def _button(self, ctx: FlowContext, data: dict[str, Any], pressed: str, lang: str) -> FlowStep:
        head, _, rest = pressed.removeprefix("h:").partition(":")
        config = _config(ctx)
        if head == "t" and data.get("step") == "topic":
            question = Reply(
                config.text("description_question", lang),
                (
                    (Button(config.text("btn_skip", lang), "h:skip"),),
                    (Button(config.text("btn_cancel", lang), "h:x"),),
                ),
            )
            return FlowStep({**data, "step": "desc", "topic": rest, "at": self._stamp(ctx)}, [question])
        if head == "skip" and data.get("step") == "desc":
            return self._open(ctx, data, "", lang)
        if head == "x":
            return FlowStep(None, [Reply(config.text("cancelled", lang))])
        return FlowStep(data, consumed=False)  # not this flow's button (cancel a case, a rating, an old one)

    def _open(self, ctx: FlowContext, data: dict[str, Any], description: str, lang: str) -> FlowStep:
        """The last step: open the case; a crisis description gets the hotlines first and jumps the queue."""
        crisis = bool(description) and is_crisis(ctx.kb, description)
        args = {
            "topic": CRISIS_TOPIC if crisis else str(data.get("topic", "other")),
            "description": description,
            "lang": lang,
            "urgent": crisis,
        }
        replies = [Reply(ctx.kb.answer(CRISIS_INTENT, lang))] if crisis else []
        return FlowStep(None, replies, [Effect("handoff_open", args)])

    def _now(self, ctx: FlowContext) -> datetime | None:
        return self.clock() if self.clock else ctx.now

    def _stamp(self, ctx: FlowContext) -> str:
        now = self._now(ctx)
        return now.isoformat() if now else ""

    def _stale(self, ctx: FlowContext, data: dict[str, Any]) -> bool:
        now = self._now(ctx)
        try:
            asked = datetime.fromisoformat(str(data.get("at")))
        except ValueError:
            return False  # no time recorded: treat as fresh
        return now is not None and now - asked > INTAKE_TTL


def topic_buttons(config: HandoffConfig, lang: str) -> list[list[Button]]:
    """The first question's buttons: the topics two by two (never the crisis one), then Cancel."""
    topics = [k for k in config.topics if k != CRISIS_TOPIC]
    rows = [
        [Button(config.topic(k, lang), f"h:t:{k}") for k in topics[i : i + 2]]
        for i in range(0, len(topics), 2)
    ]
    return [*rows, [Button(config.text("btn_cancel", lang), "h:x")]]


def _config(ctx: FlowContext) -> HandoffConfig:
    config: HandoffConfig = ctx.kb.extras["handoff"]
    return config
