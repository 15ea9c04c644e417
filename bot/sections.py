"""Assembly: every knowledge data file the bot reads, as values, and the one way to load them.

Nothing registers itself at import: what ``python -m bot check`` validates is exactly what the running
bot loads, whichever modules happen to have been imported before (issue 13).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from . import services
from .admin import texts as admin_texts
from .dialogue import followup
from .handoff import config as handoff_config
from .knowledge import KnowledgeBase, Section, load
from .knowledge.loader import Vocabulary

SECTIONS: Mapping[str, Section] = {
    **services.SECTIONS,
    handoff_config.SECTION: Section(handoff_config.PATH, handoff_config.parse_handoff, required=True),
    admin_texts.SECTION: Section(admin_texts.PATH, admin_texts.parse_admin_texts, required=False),
    followup.SECTION: Section(
        followup.PATH, followup.parse_followups, required=False, names_intents=followup.named_intents
    ),
}
"""Every data file beyond intents, lexicon and UI texts, by the ``kb.extras`` name it arrives under."""

VOCABULARY: tuple[Vocabulary, ...] = services.VOCABULARY


def load_knowledge(root: Path, **options: Any) -> KnowledgeBase:
    """Load ``root`` with every data file the bot uses; raises KnowledgeError listing every problem."""
    return load(root, SECTIONS, vocabulary=VOCABULARY, **options)


__all__ = ["SECTIONS", "VOCABULARY", "load_knowledge"]
