"""Answer drafts from counsellors: what they wrote to people in closed cases, for an admin to reuse.

Pure: case threads (already masked in storage) and a knowledge base in, YAML-ready entries out. A
counsellor's reply is recognised by the handoff text ``relay_to_user`` it was sent with, in either
language, so bot messages in the same window are not mistaken for it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.knowledge import KnowledgeBase
from intents import Confidence

from .unanswered import askable

RELAY = "relay_to_user"


@dataclass(frozen=True)
class Thread:
    """One closed case: its topic, language, description, and the user's transcript while it was open."""

    case_id: int
    topic: str
    lang: str
    closed_at: datetime
    description: str
    lines: tuple[tuple[str, str], ...]  # (direction, masked text), oldest first


def relay_patterns(kb: KnowledgeBase) -> list[re.Pattern[str]]:
    """One pattern per language of ``relay_to_user`` (e.g. ``{name} (petugas): {text}``)."""
    config = kb.extras.get("handoff")
    entry: Mapping[str, str] = getattr(config, "texts", {}).get(RELAY, {})
    return [_pattern(template) for template in dict.fromkeys(entry.values()) if "{text}" in template]


def _pattern(template: str) -> re.Pattern[str]:
    parts = re.split(r"(\{name\}|\{text\})", template)
    regex = "".join(
        ".*?" if p == "{name}" else "(?P<text>.*)" if p == "{text}" else re.escape(p) for p in parts
    )
    return re.compile(f"^{regex}$", re.DOTALL)


def replies(lines: Iterable[tuple[str, str]], patterns: list[re.Pattern[str]]) -> list[str]:
    """The counsellor's words in the outgoing lines (the relay prefix taken off)."""
    found = []
    for direction, text in lines:
        match = next((m for p in patterns if direction == "out" and (m := p.match(text))), None)
        if match and match.group("text").strip():
            found.append(match.group("text").strip())
    return found


def drafts(threads: Iterable[Thread], kb: KnowledgeBase) -> list[dict[str, Any]]:
    """For each closed case with counsellor replies: the question, the nearest intent, the reply as an
    ``answer`` draft in the case's language (the other language left TODO)."""
    patterns = relay_patterns(kb)
    out = []
    for thread in threads:
        said = replies(thread.lines, patterns)
        if not said:
            continue
        asked = [text for direction, text in thread.lines if direction == "in" and askable(text)]
        question = thread.description.strip() or (asked[0] if asked else "")
        found = kb.matcher.match(question) if question else None
        nearest = (
            found.candidates[0].intent if found and found.confidence is not Confidence.FALLBACK else None
        )
        answer = {
            "id": "TODO",
            "en": "TODO",
            thread.lang if thread.lang in ("id", "en") else "id": "\n".join(said),
        }
        out.append(
            {
                "case": thread.case_id,
                "closed": thread.closed_at.date().isoformat(),
                "topic": thread.topic,
                "question": question,
                "nearest_intent": nearest,
                "answer": answer,
            }
        )
    return out
