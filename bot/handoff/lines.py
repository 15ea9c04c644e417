"""Transcript lines as a counsellor reads them: a button press shows its label, not its callback data.

Pure: the stored line text, the knowledge base and the handoff texts in, one readable line out. The
transcript records ``[button] DATA | LABEL`` when Telegram sent the keyboard with the press; older
lines (``[button] h:t:jkp``) get their label found again here from the same knowledge the buttons
were built from (intent titles, menus, handoff topics, the handoff's own buttons). A press no rule
knows (a flow's option) shows its last part, e.g. ``pkwt``.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.dialogue.menus import title
from bot.knowledge import KnowledgeBase

from .config import HandoffConfig

__all__ = ["BUTTON_PREFIX", "button_label", "readable"]

BUTTON_PREFIX = "[button] "
LABEL_SEPARATOR = " | "  # "[button] f:jobs:city:bdg | Bandung": the label as recorded from Telegram


def readable(text: str, kb: KnowledgeBase, config: HandoffConfig, lang: str) -> str:
    """``text`` as stored, with a button press turned into "[Tombol: JKP]" (``line_button``)."""
    if not text.startswith(BUTTON_PREFIX):
        return text
    data, _, seen = text[len(BUTTON_PREFIX) :].partition(LABEL_SEPARATOR)
    label = seen.strip() or button_label(data.strip(), kb, config, lang)
    return config.text("line_button", lang, label=label)


def button_label(data: str, kb: KnowledgeBase, config: HandoffConfig, lang: str) -> str:
    """The label the user saw on the button that sent ``data``."""
    head, _, rest = data.partition(":")
    rule = RULES.get(head)
    found = rule(rest, kb, config, lang) if rule else None
    return found or _last_part(data)


def _intent(rest: str, kb: KnowledgeBase, config: HandoffConfig, lang: str) -> str | None:
    return title(kb, rest, lang) if rest in kb.intents else None


def _menu(rest: str, kb: KnowledgeBase, config: HandoffConfig, lang: str) -> str | None:
    if rest == "main":
        return kb.text("button_main_menu", lang)
    return next((kb.text(key, lang) for section, key in kb.menus.main if section == rest), None)


def _handoff(rest: str, kb: KnowledgeBase, config: HandoffConfig, lang: str) -> str | None:
    head, _, value = rest.partition(":")
    if head == "t":
        return config.topic(value, lang)
    if head == "skip":
        return config.text("btn_skip", lang)
    if head in ("x", "c"):
        return config.text("btn_cancel", lang)
    if head == "r":
        return value.rpartition(":")[2] or None
    return None


def _flow(rest: str, kb: KnowledgeBase, config: HandoffConfig, lang: str) -> str | None:
    flow, _, value = rest.partition(":")
    key = f"button_{flow}"
    return kb.text(key, lang) if value == "start" and key in kb.ui else None


def _language(rest: str, kb: KnowledgeBase, config: HandoffConfig, lang: str) -> str | None:
    return dict(kb.menus.languages).get(rest)


def _delete(rest: str, kb: KnowledgeBase, config: HandoffConfig, lang: str) -> str | None:
    key = f"button_delete_{rest}"
    return kb.text(key, lang) if key in kb.ui else None


def _last_part(data: str) -> str:
    return data.rstrip(":").rpartition(":")[2] or data


Rule = Callable[[str, KnowledgeBase, HandoffConfig, str], "str | None"]
RULES: dict[str, Rule] = {"i": _intent, "m": _menu, "h": _handoff, "f": _flow, "l": _language, "del": _delete}
