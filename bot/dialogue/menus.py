"""Menus and button rows, built from knowledge texts and menus.yaml. Button data is short (at most 64 bytes)."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from ..knowledge import Intent, KnowledgeBase
from .types import Button, Reply


def title(kb: KnowledgeBase, intent_id: str, lang: str) -> str:
    """The short button label of an intent (``title.<id>`` in ui.yaml), or its id."""
    key = f"title.{intent_id}"
    return kb.text(key, lang) if key in kb.ui else intent_id


def intent_button(kb: KnowledgeBase, intent_id: str, lang: str) -> Button:
    return Button(title(kb, intent_id, lang), f"i:{intent_id}")


def rows(buttons: Sequence[Button], per_row: int = 2) -> tuple[tuple[Button, ...], ...]:
    return tuple(tuple(buttons[i : i + per_row]) for i in range(0, len(buttons), per_row))


def main(kb: KnowledgeBase, lang: str) -> Reply:
    buttons = [Button(kb.text(key, lang), f"m:{section}") for section, key in kb.menus.main]
    return Reply(kb.text("menu_title", lang), rows(buttons))


def section(kb: KnowledgeBase, name: str, lang: str, *, flows: Collection[str] = ()) -> Reply | None:
    """A topic menu: its guided services first (when available), then its questions."""
    menu = kb.menus.sections.get(name)
    ids = [i for i in menu.intents if i in kb.intents] if menu else []
    if not menu or not ids:
        return None
    services = [flow_button(kb, f, lang) for f in menu.flows if f in flows]
    buttons = (
        services
        + [intent_button(kb, i, lang) for i in ids]
        + [Button(kb.text("button_main_menu", lang), "m:main")]
    )
    return Reply(kb.text(f"menu_{name}_intro", lang), rows(buttons, 1))


def flow_button(kb: KnowledgeBase, flow: str, lang: str) -> Button:
    return Button(kb.text(f"button_{flow}", lang), f"f:{flow}:start")


def answer(kb: KnowledgeBase, intent: Intent, lang: str) -> Reply:
    """An intent's answer with follow-up buttons, and the counsellor offer when it is flagged."""
    buttons = [intent_button(kb, r, lang) for r in intent.related if r in kb.intents]
    extra = [Button(kb.text("button_counsellor", lang), "m:human")] if intent.handoff else []
    return Reply(intent.text(lang), rows(buttons, 1) + rows(extra, 1))


def clarify(kb: KnowledgeBase, choices: Sequence[str], lang: str) -> Reply:
    buttons = [intent_button(kb, c, lang) for c in choices]
    return Reply(kb.text("clarify", lang), rows(buttons, 1))


def offer_counsellor(kb: KnowledgeBase, lang: str) -> Reply:
    return Reply(
        kb.text("counsellor_offer", lang),
        (
            (Button(kb.text("button_counsellor", lang), "m:human"),),
            (Button(kb.text("button_main_menu", lang), "m:main"),),
        ),
    )


def offer_flow(kb: KnowledgeBase, flow: str, lang: str) -> Reply:
    return Reply(kb.text(f"offer_{flow}", lang), ((flow_button(kb, flow, lang),),))


def language(kb: KnowledgeBase, lang: str) -> Reply:
    return Reply(
        kb.text("language_choose", lang),
        (tuple(Button(label, f"l:{code}") for code, label in kb.menus.languages),),
    )


def confirm_delete(kb: KnowledgeBase, lang: str) -> Reply:
    return Reply(
        kb.text("delete_confirm", lang),
        (
            (
                Button(kb.text("button_delete_yes", lang), "del:yes"),
                Button(kb.text("button_delete_no", lang), "del:no"),
            ),
        ),
    )
