"""The sentences the admin tools show (knowledge/admin.yaml, loaded as the ``admin`` section by bot.sections).

``texts: {key: {id: ..., en: ...}}`` with ``{placeholders}``, parsed by the shared
:func:`bot.knowledge.parse.parse_text_file`. Python refers to texts by key only; :data:`REQUIRED` lists
every key the code uses, so ``python -m bot check`` catches a deleted key.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bot.knowledge import KnowledgeBase
from bot.knowledge.model import Texts
from bot.knowledge.parse import Collector, parse_text_file

SECTION = "admin"
PATH = "admin.yaml"

REQUIRED: frozenset[str] = frozenset(
    """
refused none reload.ok reload.failed reload.watch_failed reload.more upload.bad_target upload.too_big
upload.saved rollback.nothing rollback.done unanswered.head unanswered.item unanswered.none stats.body stats.journey
stats.chart_title stats.chart_volume stats.chart_fallback stats.no_data failed upload.not_yaml
upload.download_failed hint.tab hint.quote hint.indent hint.not_text hint.too_big hint.empty hint.type
hint.regression hint.unreadable hint.follow_on
""".split()
) | frozenset(
    """
staff.not_a_question upload.refused try.usage
""".split()
)  # desk (issue 14)

AdminTexts = Texts


def parse_admin_texts(data: Any, out: Collector, root: Path) -> Texts:
    """Parser for knowledge/admin.yaml."""
    return Texts(
        parse_text_file(data, out, required=REQUIRED, what="admin text", allowed=frozenset({"texts"}))
    )


def admin_texts(kb: KnowledgeBase) -> Texts:
    """The admin texts of ``kb`` (empty when admin.yaml is absent: keys show instead of sentences)."""
    texts = kb.extras.get(SECTION)
    return texts if isinstance(texts, Texts) else Texts({})
