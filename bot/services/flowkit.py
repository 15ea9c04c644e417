"""What the four guided flows share: button data, texts, and an engine for question-by-question flows.

Button data is ``f:<flow>:<question>:<value>`` for an answer, ``f:<flow>:back`` for Back and
``f:<flow>:start`` to (re)start. A flow's state is a JSON-able dict: ``{"answers": {...}, "history": [...]}``.
Empty state with a button (a button pressed after the flow ended, or offered by another flow) starts
the flow afresh, so old buttons never crash anything.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.dialogue.flows import Flow, FlowContext, FlowStep
from bot.dialogue.types import Button, Incoming, Kind, Reply
from bot.services.texts import ServiceTexts

BACK, START = "back", "start"


class _NotAnswer:
    def __repr__(self) -> str:
        return "NOT_ANSWER"


NOT_ANSWER: Any = _NotAnswer()


@dataclass(frozen=True)
class Invalid:
    """A reply that was meant as an answer but cannot be used; ``key`` names the explanation text."""

    key: str
    values: Mapping[str, object] = field(default_factory=dict)


def texts(ctx: FlowContext) -> ServiceTexts:
    """The service texts loaded with the knowledge."""
    return ctx.kb.extras["service_texts"]  # type: ignore[no-any-return]


def tx(ctx: FlowContext, key: str, /, **values: object) -> str:
    """The service text ``key`` in the user's language."""
    return texts(ctx).get(key, ctx.lang, **values)


def button_value(flow: str, incoming: Incoming) -> str | None:
    """``<value>`` of a ``f:<flow>:<value>`` button, None for text or another flow's button."""
    prefix = f"f:{flow}:"
    if incoming.kind is Kind.BUTTON and incoming.data.startswith(prefix):
        return incoming.data[len(prefix) :]
    return None


def rows(buttons: Sequence[Button], columns: int) -> tuple[tuple[Button, ...], ...]:
    """Lay buttons out ``columns`` to a row."""
    return tuple(tuple(buttons[i : i + columns]) for i in range(0, len(buttons), columns))


def ended(ctx: FlowContext) -> FlowStep:
    """Back from the first question: leave the flow."""
    return FlowStep(None, [Reply(tx(ctx, "common.back_to_menu"))])


Options = Callable[[FlowContext], Sequence[tuple[str, str]]]
Reader = Callable[[str, FlowContext], Any]


@dataclass(frozen=True)
class Question:
    """One question: its text key, button options ``(value, label)`` and a free-text reader.

    The reader returns the answer, :data:`NOT_ANSWER` (the text is about something else) or
    :class:`Invalid` (meant as an answer but unusable). ``choose`` may turn a button value into
    :class:`Invalid` too (a button that asks for typing instead).
    """

    key: str
    prompt: str
    options: Options
    read: Reader
    columns: int = 1
    prompt_values: Callable[[FlowContext], Mapping[str, object]] = lambda ctx: {}
    choose: Callable[[str], Any] = lambda value: value
    hint: str = "common.hint"  # one line on what to type, with an example, when a typed answer is unreadable


class QuestionFlow(Flow):
    """A flow that asks :attr:`questions` in order, with Back, then calls :meth:`finish`."""

    questions: tuple[Question, ...] = ()

    def finish(self, ctx: FlowContext, answers: dict[str, Any]) -> FlowStep:  # pragma: no cover - abstract
        raise NotImplementedError

    def prefill(self, ctx: FlowContext, text: str) -> dict[str, Any]:
        """Answers already contained in the message that started the flow."""
        return {}

    def start(self, ctx: FlowContext, text: str = "") -> FlowStep:
        answers = self.prefill(ctx, text) if text else {}
        return self._next(ctx, {"answers": answers, "history": list(answers)})

    def step(self, ctx: FlowContext, data: dict[str, Any], incoming: Incoming) -> FlowStep:
        value = button_value(self.name, incoming)
        if not data or "answers" not in data or value == START:
            return self.start(ctx)
        data = {"answers": dict(data["answers"]), "history": list(data.get("history", []))}
        if value == BACK:
            return self._back(ctx, data)
        question = self._current(data)
        if question is None:
            return self._next(ctx, data)
        parsed = (
            self._from_button(ctx, question, value)
            if value is not None
            else question.read(incoming.text, ctx)
        )
        if parsed is NOT_ANSWER and value is None:  # unreadable text: a new question, or say what to type
            return FlowStep(data, [Reply(tx(ctx, question.hint)), self.ask(ctx, question)], consumed=False)
        if parsed is NOT_ANSWER:
            return FlowStep(data, [self.ask(ctx, question)])
        if isinstance(parsed, Invalid):
            return FlowStep(data, [Reply(tx(ctx, parsed.key, **parsed.values)), self.ask(ctx, question)])
        data["answers"][question.key] = parsed
        data["history"].append(question.key)
        return self._next(ctx, data)

    def ask(self, ctx: FlowContext, question: Question) -> Reply:
        """The question with its option buttons and a Back button."""
        buttons = [self.button(label, f"{question.key}:{value}") for value, label in question.options(ctx)]
        back = (self.button(tx(ctx, "common.back"), BACK),)
        return Reply(
            tx(ctx, question.prompt, **question.prompt_values(ctx)), rows(buttons, question.columns) + (back,)
        )

    def _from_button(self, ctx: FlowContext, question: Question, value: str) -> Any:
        key, _, choice = value.partition(":")
        if key != question.key or choice not in {v for v, _ in question.options(ctx)}:
            return NOT_ANSWER  # a stale button from an earlier question: ask the current one again
        return question.choose(choice)

    def _current(self, data: dict[str, Any]) -> Question | None:
        return next((q for q in self.questions if q.key not in data["answers"]), None)

    def _next(self, ctx: FlowContext, data: dict[str, Any]) -> FlowStep:
        question = self._current(data)
        if question is None:
            return self.finish(ctx, data["answers"])
        return FlowStep(data, [self.ask(ctx, question)])

    def _back(self, ctx: FlowContext, data: dict[str, Any]) -> FlowStep:
        if not data["history"]:
            return ended(ctx)
        data["answers"].pop(data["history"].pop(), None)
        return self._next(ctx, data)
