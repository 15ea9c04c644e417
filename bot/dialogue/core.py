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
from intents.language import FILLER_WORDS, clearly_other

from ..knowledge import KnowledgeBase
from . import clarify, followup, menus, smalltalk
from .flows import Flow, FlowContext, FlowStep
from .types import Button, Effect, Incoming, Kind, Outcome, Reply, State, Turn

WIB = ZoneInfo("Asia/Jakarta")
MAX_MATCH_CHARS = 500
FALLBACKS_BEFORE_OFFER = 2
OFFERED = "offered"  # state.pending key: the flow the last answer offered (its next message may be for it)
SEARCHES = frozenset({"jobs", "training"})  # "las Bekasi" names a job and a course alike
CRISIS = "urgent.crisis"
THANKS = "chat.thanks"
SCAM_INTENT = "jobs.scam"  # its answer is the scam warning: no second one under it
HANDOFF_FLOW = "handoff"  # the counsellor intake, when the handoff plugs it in (bot.handoff.intake)
LANG_HELD = "lang_held"  # state.pending key: a conversation language is established (short messages keep it)


def _filler(word: str) -> bool:
    return word in FILLER_WORDS


def today_wib() -> date:
    return datetime.now(WIB).date()


@dataclass
class Services:
    """Guided services plugged into the core (empty until they are registered)."""

    flows: Mapping[str, Flow] = field(default_factory=dict)
    flow_for_command: Mapping[str, str] = field(default_factory=dict)  # "/profil" starts the "profile" flow
    direct_flow: Callable[[str, KnowledgeBase], tuple[str, str] | None] = lambda text, kb: None
    scam_warning: Callable[[str], bool] = lambda text: False
    scam_text: Callable[[KnowledgeBase, str], str] = lambda kb, lang: ""
    scam_reminders: Callable[[KnowledgeBase, str], tuple[str, ...]] = lambda kb, lang: ()  # other scam texts
    effect_for_intent: Mapping[str, str] = field(
        default_factory=dict
    )  # e.g. the saved timeline after jkp.deadline


class Dialogue:
    """Decides what to answer. Build one per knowledge base; it holds no per-user state."""

    def __init__(
        self,
        kb: KnowledgeBase,
        *,
        services: Services | None = None,
        today: Callable[[], date] = today_wib,
        now: Callable[[], datetime] = followup.utc_now,
    ) -> None:
        self.kb = kb
        self.services = services or Services()
        self.today = today
        self.now = now  # for how long the last answer stays the context of a follow-up
        self.followups = followup.section_value(kb)

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
            if incoming.text == "sticker":
                return self.small_talk(state, smalltalk.sticker(), state.reply_lang())
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
            welcome = (
                self.kb.text("welcome", lang, name=incoming.first_name)
                if incoming.first_name.strip()
                else self.kb.text("welcome_noname", lang)
            )
            return Outcome(
                state,
                [Reply(welcome), Reply(self.kb.text("privacy", lang)), menus.main(self.kb, lang)],
                [Effect("consent")],
            )
        if name == "menu":
            if state.flow is not None:
                return self.cancel(state)  # /menu always leaves a flow
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
        if name in self.services.flow_for_command:
            return self.start_flow(
                state, self.services.flow_for_command[name], state.reply_lang(), incoming.command_args
            )
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
                return Outcome(
                    State(last_lang=lang), [Reply(self.kb.text("deleted", lang))], [Effect("delete_user")]
                )
            return self._say(state, "delete_cancelled")
        if head == "f":
            return self.flow_input(state, incoming, lang)
        if head == "h":
            return self.handoff_button(state, incoming, lang)
        return self._say(state, "button_expired")

    def handoff_button(self, state: State, incoming: Incoming, lang: str) -> Outcome:
        """A handoff button: the intake's own (topic, skip, cancel) while it runs, else for the adapter."""
        flow = self.services.flows.get(HANDOFF_FLOW)
        if flow is not None and state.flow == HANDOFF_FLOW:
            step = flow.step(self._context(state, lang, incoming.first_name), state.flow_data, incoming)
            if step.consumed:
                return self._apply_step(state, HANDOFF_FLOW, step)
        return Outcome(state, [], [Effect("handoff_button", {"data": incoming.data[2:], "lang": lang})])

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
        if found.intent == THANKS and (question := smalltalk.without_thanks(text[:MAX_MATCH_CHARS], found)):
            found = self.kb.matcher.match(
                question
            )  # "makasih, jkp sy kok blm cair": the question, not the thanks
        if not state.flow and (again := self._choices_again_in(state, found)) is not None:
            return again
        last = followup.recall(state, self.now(), self.followups) or followup.recall_clarified(
            state, self.now(), self.followups
        )
        if last is not None and smalltalk.recognise(text, found) is None:  # "ok siap" is no follow-up
            # a follow-up to the last answer ("dokumennya?", "in English please")
            again = None if state.flow else self._again_in(state, found, last)
            if again is not None:
                return again
            found = followup.contextual(
                self.kb.matcher, text[:MAX_MATCH_CHARS], found, last, self.followups, _filler
            )
        found, others = clarify.decide(self.kb, found, keep=self.kb.menus.handoff_intents)
        outcome = self._text(state, text, incoming, found, offered, others)
        outcome.match = found
        return outcome

    def _choices_again_in(self, state: State, found: Match) -> Outcome | None:
        """ "in English please" right after a clarify: the same choices again in the language asked for."""
        lang = self.followups.language_asked(found.words) if found.intent == "chat.language" else None
        if lang is None or found.confidence is not Confidence.ANSWER:
            return None
        choices = followup.recall_choices(state, self.now(), self.followups)
        choices = [c for c in choices or () if c in self.kb.intents]
        if not choices:
            return None
        state.last_lang = lang
        state.pending[LANG_HELD] = True
        reply_lang = state.lang or lang
        followup.remember_choices(state, choices, self.now())
        outcome = Outcome(
            state,
            [clarify.choices_reply(self.kb, choices, reply_lang)],
            turn=Turn(choices[0], found.score, Confidence.CLARIFY.value, reply_lang),
        )
        outcome.match = found
        return outcome

    def _again_in(self, state: State, found: Match, last: followup.Recalled) -> Outcome | None:
        """ "in English please" after an answer: that answer again in the language asked for."""
        if not last.answered:
            return None
        lang = self.followups.language_asked(found.words) if found.intent == "chat.language" else None
        if lang is None or found.confidence is not Confidence.ANSWER:
            return None
        state.last_lang = lang
        state.pending[LANG_HELD] = True
        outcome = self.answer_intent(
            state, last.intent, state.lang or lang, Turn(last.intent, found.score, "answer", lang)
        )
        outcome.match = found
        return outcome

    def _text(
        self,
        state: State,
        text: str,
        incoming: Incoming,
        found: Match,
        offered: str | None,
        others: tuple[str, ...] = (),
    ) -> Outcome:
        lang = self._language(state, found)
        talk = smalltalk.recognise(text, found)
        if state.flow and talk is smalltalk.Talk.THANKS:  # "makasih ya" at "which city?" is no city
            return self._with_way_out(self.small_talk(state, talk, lang, found), lang)
        if state.flow:
            in_flow = self.flow_text(state, incoming, found, lang)
            if in_flow is not None:
                return in_flow
        if offered is not None and offered in self.services.flows and smalltalk.is_yes(found):
            return self.start_flow(state, offered, lang, "")  # "ya" to "Mau saya carikan lowongan?"
        if (
            offered in SEARCHES
            and offered in self.services.flows
            and talk is None
            and found.confidence is Confidence.FALLBACK
            and not found.out_of_scope
        ):  # "I'm interested in welding" after "type the field and your city": the search, started with it
            return self.start_flow(state, offered, lang, text)
        if talk is not None:
            return self.small_talk(state, talk, lang, found)
        direct = self.services.direct_flow(text, self.kb)
        if direct and direct[0] in SEARCHES and offered in SEARCHES:
            direct = (offered, direct[1])  # "menjahit Bandung" after "type a field and a city" is training
        if direct and found.intent not in self.kb.menus.handoff_intents:
            outcome = self.start_flow(state, direct[0], lang, direct[1])
            outcome.turn = Turn(found.intent, found.score, found.confidence.value, lang)
            return self._with_scam(outcome, text, lang)
        return self._with_scam(self.matched(state, found, lang, others=others), text, lang)

    def _language(self, state: State, found: Match) -> str:
        """The reply language: fixed by /bahasa, else the conversation's, which a message changes only
        when it is clearly in the other language ("ok siap", "umur 30an" keep Indonesian)."""
        if found.words and (
            not state.pending.get(LANG_HELD)
            or found.lang == state.last_lang
            or clearly_other(found.words, found.lang)
        ):
            state.last_lang = found.lang
        if found.words:
            state.pending[LANG_HELD] = True
        return state.lang or state.last_lang

    def small_talk(
        self, state: State, talk: smalltalk.Talk, lang: str, found: Match | None = None
    ) -> Outcome:
        """A short friendly reply to a non-question (not an answer, not a fallback)."""
        if talk is smalltalk.Talk.THANKS and THANKS in self.kb.intents:
            return self.answer_intent(
                state, THANKS, lang, Turn(THANKS, found.score if found else 100.0, "answer", lang)
            )
        buttons = (
            ((Button(self.kb.text("button_crisis", lang), f"i:{CRISIS}"),),)
            if talk is smalltalk.Talk.SAD
            else ()
        )
        replies = [Reply(self.kb.text(f"smalltalk_{talk.value}", lang), buttons)]
        if talk in (smalltalk.Talk.NUMBER, smalltalk.Talk.GIBBERISH):
            replies.append(menus.main(self.kb, lang))
        return Outcome(state, replies, turn=Turn(None, 0.0, None, lang))

    def matched(self, state: State, found: Match, lang: str, *, others: tuple[str, ...] = ()) -> Outcome:
        turn = Turn(found.intent, found.score, found.confidence.value, lang)
        if found.confidence is Confidence.ANSWER and found.intent:
            outcome = self.answer_intent(state, found.intent, lang, turn)
            if (
                others
            ):  # a fact question answered from a clarify: the other choices below ("Atau maksud Anda")
                outcome.replies.insert(1, clarify.others_reply(self.kb, others, lang))
            return outcome
        if found.confidence is Confidence.CLARIFY and CRISIS in found.choices and CRISIS in self.kb.intents:
            return self.crisis_first(state, found, lang, turn)
        if found.confidence is Confidence.CLARIFY:
            state.fallbacks = 0
            followup.remember_choices(state, found.choices, self.now())
            return Outcome(state, [clarify.choices_reply(self.kb, found.choices, lang)], turn=turn)
        return self.fallback(state, lang, turn)

    def fallback(self, state: State, lang: str, turn: Turn) -> Outcome:
        state.fallbacks += 1
        state.pending.pop(followup.CLARIFIED, None)
        if state.fallbacks >= FALLBACKS_BEFORE_OFFER:
            return Outcome(
                state,
                [Reply(self.kb.text("fallback_again", lang)), menus.offer_counsellor(self.kb, lang)],
                turn=turn,
            )
        return Outcome(state, [Reply(self.kb.text("fallback", lang)), menus.main(self.kb, lang)], turn=turn)

    def answer_intent(self, state: State, intent_id: str, lang: str, turn: Turn) -> Outcome:
        state.fallbacks = 0
        state.pending.pop(followup.CLARIFIED, None)
        followup.remember(state, intent_id, self.now(), self.followups)
        if intent_id == "chat.language":
            return Outcome(state, [menus.language(self.kb, lang)], turn=turn)
        if intent_id in self.kb.menus.handoff_intents:
            outcome = self.handoff(state, self.kb.menus.handoff_intents[intent_id], lang)
            outcome.replies.insert(0, Reply(self.kb.answer(intent_id, lang)))
            outcome.turn = turn
            return outcome
        intent = self.kb.intents[intent_id]
        replies = [menus.answer(self.kb, intent, lang)]
        if intent_id == "chat.help":
            replies.append(menus.main(self.kb, lang))
        flow = self.kb.menus.flow_for_intent.get(intent_id)
        if flow is not None and flow in self.services.flows:
            replies.append(menus.offer_flow(self.kb, flow, lang))
            state.pending[OFFERED] = flow
        effect = self.services.effect_for_intent.get(intent_id)
        return Outcome(state, replies, [Effect(effect, {"lang": lang})] if effect else [], turn=turn)

    def crisis_first(self, state: State, found: Match, lang: str, turn: Turn) -> Outcome:
        """Crisis among the choices: the hotlines come first, always. When it leads the match, it is the
        crisis answer and a counsellor is called at once (a person in distress is not asked to choose);
        otherwise the hotlines with a button that calls a person now, then the other choices."""
        others = [c for c in found.choices if c != CRISIS]
        if found.choices[0] == CRISIS:
            outcome = self.answer_intent(state, CRISIS, lang, replace(turn, intent=CRISIS))
        else:
            state.fallbacks = 0
            help_now = Button(self.kb.text("button_crisis", lang), f"i:{CRISIS}")
            outcome = Outcome(state, [Reply(self.kb.text("crisis_first", lang), ((help_now,),))], turn=turn)
        if others and found.choices[0] != CRISIS:
            outcome.replies.append(clarify.choices_reply(self.kb, others, lang))
        return outcome

    def handoff(self, state: State, reason: str, lang: str) -> Outcome:
        """Ask the adapter to start a counsellor handoff; it replies with what happens next. With no
        open case (``state.handoff``) and no crisis, that is the intake flow (topic, then one line)."""
        state.fallbacks = 0
        if reason != "crisis" and not state.handoff and HANDOFF_FLOW in self.services.flows:
            return self.start_flow(state, HANDOFF_FLOW, lang, "")
        if state.flow == HANDOFF_FLOW:  # a crisis during the intake: the case opens at once
            state.flow, state.flow_data = None, {}
        return Outcome(state, [], [Effect("handoff", {"reason": reason, "lang": lang})])

    def _with_scam(self, outcome: Outcome, text: str, lang: str) -> Outcome:
        """Add the scam warning when the message mentions paying for a job, unless a warning is already
        there (the scam answer itself, its summary among choices, or a vacancy page's reminder): it never
        appears twice."""
        if (
            not self.services.scam_warning(text)
            or outcome.turn.intent == SCAM_INTENT
            and outcome.turn.band == "answer"
        ):
            return outcome
        warning = self.services.scam_text(self.kb, lang)
        scam = self.kb.intents.get(SCAM_INTENT)
        summary = scam.brief(lang) if scam is not None else ""  # a choice's summary already says it
        shown = (warning, summary, *self.services.scam_reminders(self.kb, lang))
        if warning and not any(t and t in r.text for t in shown for r in outcome.replies):
            outcome.replies.append(Reply(warning))
        return outcome

    def _say(self, state: State, key: str) -> Outcome:
        lang = state.reply_lang()
        return Outcome(state, [Reply(self.kb.text(key, lang)), menus.main(self.kb, lang)])

    @staticmethod
    def _remember(state: State, step: FlowStep) -> None:
        for key, value in step.remember.items():
            if value is None:
                state.pending.pop(key, None)
            else:
                state.pending[key] = value

    # -- guided flows ------------------------------------------------------------------------------

    def _context(self, state: State, lang: str, first_name: str = "") -> FlowContext:
        return FlowContext(self.kb, lang, self.today(), first_name, dict(state.pending), self.now())

    def start_flow(self, state: State, name: str, lang: str, text: str) -> Outcome:
        flow = self.services.flows.get(name)
        if flow is None:
            return self._say(state, "button_expired")
        step = flow.start(self._context(state, lang), text)
        for intent_id in (i for i, f in self.kb.menus.flow_for_intent.items() if f == name):
            followup.remember(state, intent_id, self.now(), self.followups)  # "kalau di Cimahi?" follows it
        return self._with_way_out(self._apply_step(state, name, step), lang)

    def flow_input(self, state: State, incoming: Incoming, lang: str) -> Outcome:
        """A flow's button; one of a flow that is not running starts it afresh (empty state)."""
        name = incoming.data.split(":", 2)[1] if incoming.data.count(":") >= 1 else ""
        flow = self.services.flows.get(name)
        if flow is None:
            return self._say(state, "button_expired")
        running = name == state.flow
        data = state.flow_data if running else {}
        step = flow.step(self._context(state, lang, incoming.first_name), data, incoming)
        outcome = self._apply_step(state, name, step)
        return outcome if running else self._with_way_out(outcome, lang)

    def flow_text(self, state: State, incoming: Incoming, found: Match, lang: str) -> Outcome | None:
        """The running flow's step; None when the flow set the message aside (it is answered normally)."""
        assert state.flow is not None
        flow = self.services.flows.get(state.flow)
        if flow is None:
            state.flow, state.flow_data = None, {}
            return self.matched(state, found, lang)
        step = flow.step(self._context(state, lang, incoming.first_name), state.flow_data, incoming)
        if step.aside and not step.consumed:
            self._remember(state, step)
            state.flow, state.flow_data = (state.flow, step.data) if step.data is not None else (None, {})
            return None
        if step.consumed:
            return self._apply_step(state, state.flow, step)
        self._remember(state, step)
        if self._new_topic(state.flow, found):
            return self.leave_flow(state, found, lang)
        return self._with_way_out(
            Outcome(state, step.replies, step.effects), lang
        )  # the hint and the question again

    def _new_topic(self, flow: str, found: Match) -> bool:
        """A clear answer about something other than the flow's own topic, or a crisis leading the match
        (only leading: a bare "tidak" has the crisis among its choices)."""
        if found.intent == CRISIS:
            return True
        return (
            found.confidence is Confidence.ANSWER
            and found.intent is not None
            and self.kb.menus.flow_for_intent.get(found.intent) != flow
        )

    def leave_flow(self, state: State, found: Match, lang: str) -> Outcome:
        """Leave the flow for a new question, say so, and answer it (a button starts the flow again)."""
        name = state.flow or ""
        state.flow, state.flow_data = None, {}
        outcome = self.matched(state, found, lang)
        if name in self.services.flows and found.intent != CRISIS:
            again = menus.flow_button(self.kb, name, lang)
            outcome.replies.insert(0, Reply(self.kb.text("flow_left", lang, flow=again.label), ((again,),)))
        return outcome

    def _with_way_out(self, outcome: Outcome, lang: str) -> Outcome:
        """While a flow runs, its question says how to leave (/batal, /menu)."""
        if outcome.state.flow is None or not outcome.replies:
            return outcome
        last = outcome.replies[-1]
        way_out = self.kb.text("flow_way_out", lang)
        if way_out not in last.text:
            outcome.replies[-1] = replace(last, text=f"{last.text}\n\n{way_out}")
        return outcome

    def _apply_step(self, state: State, name: str, step: FlowStep) -> Outcome:
        self._remember(state, step)
        state.flow, state.flow_data = (name, step.data) if step.data is not None else (None, {})
        return Outcome(state, list(step.replies), list(step.effects))
