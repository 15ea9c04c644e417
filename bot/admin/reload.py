"""Validate a knowledge directory off the event loop, and swap the running dialogue atomically.

Nothing is replaced unless the whole directory loads: on a problem the running knowledge stays.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bot.conversation import KnowledgeHolder
from bot.dialogue import Dialogue
from bot.knowledge import KnowledgeBase, KnowledgeError, Problem, diff

from . import hints

log = logging.getLogger("pandu.admin")

MAX_PROBLEMS_SHOWN = 25


@dataclass(frozen=True)
class Result:
    """What a reload attempt did: the changes applied, or the problems that stopped it."""

    ok: bool
    changes: Mapping[str, list[str]] = field(default_factory=dict)
    problems: Sequence[Problem] = ()


async def validate(
    holder: KnowledgeHolder, root: Path, first: Sequence[str] = ()
) -> KnowledgeBase | list[Problem]:
    """Load ``root`` in a worker thread: the knowledge base, or every problem found.

    Problems in the files labelled ``first`` (e.g. the upload) come first. Any other failure of the
    loader (a file nested thousands deep, a bug) is a problem too: the running knowledge must stay."""
    try:
        return await asyncio.to_thread(holder.load, root)
    except KnowledgeError as exc:
        return hints.ordered(exc.problems, first)
    except Exception:  # RecursionError included
        log.exception("loading knowledge from %s failed", root)
        return [Problem(first[0] if first else str(root), 1, hints.UNREADABLE)]


async def reload(holder: KnowledgeHolder, root: Path, first: Sequence[str] = ()) -> Result:
    """Validate ``root`` and, when valid, replace the holder's dialogue in one assignment.

    Callers hold the admin lock, so reloads, uploads and rollbacks never interleave."""
    loaded = await validate(holder, root, first)
    if not isinstance(loaded, KnowledgeBase):
        log.warning("knowledge reload refused: %d problem(s) in %s", len(loaded), root)
        return Result(False, problems=loaded)
    changes = diff(holder.dialogue.kb, loaded)
    holder.dialogue = Dialogue(loaded, services=holder.dialogue.services)
    log.info("knowledge reloaded from %s: %s", root, {k: len(v) for k, v in changes.items()})
    return Result(True, changes=changes)


def label(root: Path, rel: str) -> str:
    """How the loader names ``rel`` inside ``root`` in its problems (``knowledge/intents/jkp.yaml``)."""
    return f"{Path(root).resolve().name}/{rel}"


def problem_lines(problems: Sequence[Problem], more: str) -> str:
    """The first problems as ``FILE:LINE: message`` lines; ``more`` is the line for the rest."""
    lines = [str(p) for p in problems[:MAX_PROBLEMS_SHOWN]]
    if len(problems) > MAX_PROBLEMS_SHOWN:
        lines.append(more)
    return "\n".join(lines)
