"""``ask``, ``check`` and ``export``: the answering engine from the command line."""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TextIO

from ..dialogue import Dialogue, Incoming, Kind, State
from ..knowledge import KnowledgeBase, KnowledgeError
from .render import render


def answer_record(dialogue: Dialogue, text: str) -> dict[str, Any]:
    """The contract's JSON object for one query."""
    outcome = dialogue.handle(State(), Incoming(Kind.TEXT, text=text))
    found = outcome.match or dialogue.kb.matcher.match(text[:500])  # empty text is not matched
    return {
        "intent": found.intent,
        "confidence": found.confidence.value,
        "score": round(found.score),
        "candidates": [{"intent": c.intent, "score": round(c.score)} for c in found.candidates],
        "lang": found.lang,
        "answer": render(outcome.replies) or dialogue.kb.text("handoff_unavailable", found.lang),
    }


def utf8_stdio() -> None:
    """Read and write UTF-8 whatever the locale: undecodable input bytes become U+FFFD instead of
    stopping a 20,000-line run, and only ``\n`` ends a line (a stray ``\r`` stays inside its query)."""
    for stream, newline in ((sys.stdin, "\n"), (sys.stdout, None)):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(encoding="utf-8", errors="replace", newline=newline)


def ask(dialogue: Dialogue, text: str, *, as_json: bool, out: TextIO = sys.stdout) -> None:
    record = answer_record(dialogue, text)
    out.write((json.dumps(record, ensure_ascii=False) if as_json else record["answer"]) + "\n")


def ask_lines(dialogue: Dialogue, lines: Iterable[str], out: TextIO = sys.stdout) -> int:
    """One JSON object per input line, in order; blank lines get a fallback record too."""
    count = 0
    for line in lines:
        text = line.rstrip("\r\n")
        record = {"text": text, **answer_record(dialogue, text)}
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        count += 1
    out.flush()
    return count


def check(root: Path, out: TextIO = sys.stdout) -> int:
    """Print every problem as FILE:LINE: message; 0 when valid, 1 when not."""
    from ..sections import load_knowledge

    try:
        kb = load_knowledge(root)
    except KnowledgeError as exc:
        exc.report(out, f"{{count}} problem(s) found in {root}")
        return 1
    out.write(
        f"OK: {len(kb.intents)} intents, {sum(len(i.examples) for i in kb.intents.values())} examples, "
        f"{len(kb.lexicon)} lexicon words, {len(kb.ui)} UI texts in {root}\n"
    )
    return 0


def export(kb: KnowledgeBase) -> dict[str, Any]:
    return {
        "intents": [
            {"id": i.id, "examples": list(i.examples), "answers": dict(i.answer)} for i in kb.intents.values()
        ]
    }
