"""The dialogue core: ``(state, incoming) -> (new state, replies, effects)``, pure and synchronous.

It drives Telegram and the console chat alike. Everything the user reads comes from the knowledge
base (answers and ``ui.yaml``); this module only decides which texts and buttons to show.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

from intents import Confidence, Match

from ..knowledge import KnowledgeBase
from . import menus
from .flows import Flow, FlowContext, FlowStep
from .types import Effect, Incoming, Kind, Outcome, Reply, State, Turn

WIB = ZoneInfo("Asia/Jakarta")
MAX_MATCH_CHARS = 500
FALLBACKS_BEFORE_OFFER = 2
HANDOFF_INTENTS = {"chat.human": "asked", "urgent.crisis": "crisis"}
OFFERED = "offered"  # state.pending key: the flow the last answer offered (its next message may be for it)
SEARCHES = frozenset({"jobs", "training"})  # "las Bekasi" names a job and a course alike


def today_wib() -> date:
    return datetime.now(WIB).date()


@dataclass
class Services:
    """Guided services plugged into the core (empty until they are registered)."""

    flows: Mapping[str, Flow] = field(default_factory=dict)
    flow_for_intent: Mapping[str, str] = field(default_factory=dict)
    direct_flow: Callable[[str, KnowledgeBase], tuple[str, str] | None] = lambda text, kb: None
    scam_warning: Callable[[str], bool] = lambda text: False
    scam_text: Callable[[KnowledgeBase, str], str] = lambda kb, lang: ""
    effect_for_intent: Mapping[str, str] = field(default_factory=dict)  # e.g. the saved timeline after jkp.deadline


class Dialogue:
    """Decides what to answer. Build one per knowledge base; it holds no per-user state."""

    def __init__(self, kb: KnowledgeBase, *, services: Services | None = None,
                 today: Callable[[], date] = today_wib) -> None:
        self.kb = kb
        self.services = services or Services()
        self.today = today

    # -- entry point -------------------------------------------------------------------------------

    def handle(self, state: State, incoming: Incoming) -> Outcome:
        """One user action in, the new state and what to show out."""
        state = replace(state, flow_data=dict(state.flow_data), pending=dict(state.pending))
        offered = state.pending.pop(OFFERED, None)  # the flow the last answer invited: for this action only
        if incoming.kind is Kind.COMMAND:
            return self.command(state, incoming)
        if incoming.kind is Kind.BUTTON:
            return self.button(state, incoming)
        if incoming.kind is Kind.MEDIA:
            return self._say(state, "media_unsupported")
        if incoming.kind is Kind.EDITED:
            return self._say(state, "edited_ignored")
        return self.text(state, incoming, offered=offered)

    # -- commands and buttons -----------------------------------------------------------------------

    def command(self, state: State, incoming: Incoming) -> Outcome:
        name = incoming.text.lower()
        if name == "start":
            if not state.lang and incoming.language_code.startswith("en"):
                state.last_lang = "en"
            lang = state.reply_lang()
            welcome = (self.kb.text("welcome", lang, name=incoming.first_name) if incoming.first_name.strip()
                       else self.kb.text("welcome_noname", lang))
            return Outcome(state, [Reply(welcome),
                                   Reply(self.kb.text("privacy", lang)), menus.main(self.kb, lang)],
                           [Effect("consent")])
        if name == "menu":
            return Outcome(state, [menus.main(self.kb, state.reply_lang())])
        if name in ("help", "bantuan"):
            lang = state.reply_lang()
            return Outcome(state, [Reply(self.kb.text("help", lang)), menus.main(self.kb, lang)])
        if name in ("bahasa", "language"):
            return Outcome(state, [menus.language(self.kb, state.reply_lang())])
        if name in ("hapus", "delete"):
            return Outcome(state, [menus.confirm_delete(self.kb, state.reply_lang())])
        if name in ("batal", "cancel"):
            return self.cancel(state)
        if name in ("petugas", "human", "counsellor"):
            return self.handoff(state, "asked", state.reply_lang())
        return self._say(state, "unknown_command")

    def button(self, state: State, incoming: Incoming) -> Outcome:
        data = incoming.data
        lang = state.reply_lang()
        head, _, rest = data.partition(":")
        if head == "i" and rest in self.kb.intents:
            return self.answer_intent(state, rest, lang, Turn(rest, 100.0, None, lang))
        if head == "m":
            return self.menu(state, rest, lang)
        if head == "l" and rest in ("id", "en"):
            state.lang = state.last_lang = rest
            return Outcome(state, [Reply(self.kb.text("language_set", rest)), menus.main(self.kb, rest)])
        if head == "del":
            if rest == "yes":
                return Outcome(State(last_lang=lang), [Reply(self.kb.text("deleted", lang))], [Effect("delete_user")])
            return self._say(state, "delete_cancelled")
        if head == "f":
            return self.flow_input(state, incoming, lang)
        if head == "h":
            return Outcome(state, [], [Effect("handoff_button", {"data": rest, "lang": lang})])
        return self._say(state, "button_expired")

    def menu(self, state: State, section: str, lang: str) -> Outcome:
        if section == "human":
            return self.handoff(state, "asked", lang)
        if section == "lang":
            return Outcome(state, [menus.language(self.kb, lang)])
        reply = menus.section(self.kb, section, lang, flows=self.services.flows)
        return Outcome(state, [reply or menus.main(self.kb, lang)])

    def cancel(self, state: State) -> Outcome:
        had_flow = state.flow is not None
        state.flow, state.flow_data = None, {}
        lang = state.reply_lang()
        key = "flow_cancelled" if had_flow else "nothing_to_cancel"
        return Outcome(state, [Reply(self.kb.text(key, lang)), menus.main(self.kb, lang)])

    # -- free text ---------------------------------------------------------------------------------

    def text(self, state: State, incoming: Incoming, *, offered: str | None = None) -> Outcome:
        text = incoming.text.strip()
        if not text:
            return self._say(state, "empty_message")
        found = self.kb.matcher.match(text[:MAX_MATCH_CHARS])
        outcome = self._text(state, text, incoming, found, offered)
        outcome.match = found
        return outcome

    def _text(self, state: State, text: str, incoming: Incoming, found: Match, offered: str | None) -> Outcome:
        lang = state.lang or (found.lang if found.words else state.last_lang)
        state.last_lang = found.lang if found.words else state.last_lang
        if state.flow:
            return self.flow_text(state, incoming, found, lang)
        direct = self.services.direct_flow(text, self.kb)
        if direct and direct[0] in SEARCHES and offered in SEARCHES:
            direct = (offered, direct[1])  # "menjahit Bandung" after "type a field and a city" is training
        if direct and found.intent not in HANDOFF_INTENTS:
            outcome = self.start_flow(state, direct[0], lang, direct[1])
            outcome.turn = Turn(found.intent, found.score, found.confidence.value, lang)
            return self._with_scam(outcome, text, lang)
        return self._with_scam(self.matched(state, found, lang), text, lang)

    def matched(self, state: State, found: Match, lang: str) -> Outcome:
        turn = Turn(found.intent, found.score, found.confidence.value, lang)
        if found.confidence is Confidence.ANSWER and found.intent:
            return self.answer_intent(state, found.intent, lang, turn)
        if found.confidence is Confidence.CLARIFY:
            state.fallbacks = 0
            return Outcome(state, [menus.clarify(self.kb, found.choices, lang)], turn=turn)
        return self.fallback(state, lang, turn)

    def fallback(self, state: State, lang: str, turn: Turn) -> Outcome:
        state.fallbacks += 1
        if state.fallbacks >= FALLBACKS_BEFORE_OFFER:
            return Outcome(state, [Reply(self.kb.text("fallback_again", lang)),
                                   menus.offer_counsellor(self.kb, lang)], turn=turn)
        return Outcome(state, [Reply(self.kb.text("fallback", lang)), menus.main(self.kb, lang)], turn=turn)

    def answer_intent(self, state: State, intent_id: str, lang: str, turn: Turn) -> Outcome:
        state.fallbacks = 0
        if intent_id == "chat.language":
            return Outcome(state, [menus.language(self.kb, lang)], turn=turn)
        if intent_id in HANDOFF_INTENTS:
            outcome = self.handoff(state, HANDOFF_INTENTS[intent_id], lang)
            outcome.replies.insert(0, Reply(self.kb.answer(intent_id, lang)))
            outcome.turn = turn
            return outcome
        intent = self.kb.intents[intent_id]
        replies = [menus.answer(self.kb, intent, lang)]
        if intent_id == "chat.help":
            replies.append(menus.main(self.kb, lang))
        flow = self.services.flow_for_intent.get(intent_id)
        if flow is not None and flow in self.services.flows:
            replies.append(menus.offer_flow(self.kb, flow, lang))
            state.pending[OFFERED] = flow
        effect = self.services.effect_for_intent.get(intent_id)
        return Outcome(state, replies, [Effect(effect, {"lang": lang})] if effect else [], turn=turn)

    def handoff(self, state: State, reason: str, lang: str) -> Outcome:
        """Ask the adapter to start a counsellor handoff; it replies with what happens next."""
        state.fallbacks = 0
        return Outcome(state, [], [Effect("handoff", {"reason": reason, "lang": lang})])

    def _with_scam(self, outcome: Outcome, text: str, lang: str) -> Outcome:
        """Add the scam warning when the message mentions paying for a job."""
        if self.services.scam_warning(text):
            warning = self.services.scam_text(self.kb, lang)
            if warning and all(warning not in r.text for r in outcome.replies):
                outcome.replies.append(Reply(warning))
        return outcome

    def _say(self, state: State, key: str) -> Outcome:
        lang = state.reply_lang()
        return Outcome(state, [Reply(self.kb.text(key, lang)), menus.main(self.kb, lang)])

    # -- guided flows ------------------------------------------------------------------------------

    def _context(self, lang: str, first_name: str = "") -> FlowContext:
        return FlowContext(self.kb, lang, self.today(), first_name)

    def start_flow(self, state: State, name: str, lang: str, text: str) -> Outcome:
        flow = self.services.flows.get(name)
        if flow is None:
            return self._say(state, "button_expired")
        step = flow.start(self._context(lang), text)
        return self._apply_step(state, name, step)

    def flow_input(self, state: State, incoming: Incoming, lang: str) -> Outcome:
        """A flow's button; one of a flow that is not running starts it afresh (empty state)."""
        name = incoming.data.split(":", 2)[1] if incoming.data.count(":") >= 1 else ""
        flow = self.services.flows.get(name)
        if flow is None:
            return self._say(state, "button_expired")
        data = state.flow_data if name == state.flow else {}
        step = flow.step(self._context(lang, incoming.first_name), data, incoming)
        return self._apply_step(state, name, step)

    def flow_text(self, state: State, incoming: Incoming, found: Match, lang: str) -> Outcome:
        assert state.flow is not None
        flow = self.services.flows.get(state.flow)
        if flow is None:
            state.flow, state.flow_data = None, {}
            return self.matched(state, found, lang)
        step = flow.step(self._context(lang, incoming.first_name), state.flow_data, incoming)
        if step.consumed:
            return self._apply_step(state, state.flow, step)
        if found.confidence is not Confidence.ANSWER or found.intent in self.services.flow_for_intent:
            return Outcome(state, step.replies, step.effects)  # not a clear side question: just re-ask
        side = self.matched(state, found, lang)
        side.replies.extend(step.replies)
        return side

    def _apply_step(self, state: State, name: str, step: FlowStep) -> Outcome:
        state.flow, state.flow_data = (name, step.data) if step.data is not None else (None, {})
        return Outcome(state, list(step.replies), list(step.effects))
