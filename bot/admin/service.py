"""Admin operations on the knowledge folder: reload, upload a file, roll the last upload back.

Each takes the admin lock, validates a staged copy first (exactly as a reload would) and only then
touches the real folder: back up, write atomically, reload. Returns data; the caller renders it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from bot.conversation import KnowledgeHolder
from bot.knowledge import KnowledgeBase, Problem
from bot.knowledge.loader import fingerprint

from . import files
from .reload import Result, label, reload, validate


@dataclass(frozen=True)
class Change:
    """An upload or rollback: the file, the backup folder name, and the reload that followed."""

    target: str
    backup: str
    result: Result


class Knowledge:
    """The running knowledge of one instance: its folder, the holder to swap, and one lock."""

    def __init__(self, holder: KnowledgeHolder, root: Path, *, clock: type[datetime] = datetime) -> None:
        self.holder = holder
        self.root = Path(root)
        self.lock = asyncio.Lock()
        self._clock = clock

    async def reload(self) -> Result:
        """Validate the folder and swap it in; on problems the running knowledge stays."""
        async with self.lock:
            return await reload(self.holder, self.root)

    async def reload_if_changed(self, changed: Iterable[Path] = ()) -> Result | None:
        """Reload unless the folder holds exactly what is running (None then), checked under the lock;
        problems in the ``changed`` files are listed first."""
        first = [label(self.root, rel) for rel in self._relative(changed)]
        async with self.lock:
            if fingerprint(self.root) == self.holder.dialogue.kb.fingerprint:
                return None
            return await reload(self.holder, self.root, first)

    def _relative(self, paths: Iterable[Path]) -> list[str]:
        root = self.root.resolve()
        return [
            Path(p).resolve().relative_to(root).as_posix()
            for p in paths
            if Path(p).resolve().is_relative_to(root)
        ]

    async def upload(self, rel: str, content: bytes) -> Change:
        """Replace (or add) ``rel`` with ``content`` when the folder with it passes every check."""
        async with self.lock:
            return await self._replace(rel, content, kind="upload", undoes=None)

    async def rollback(self) -> Change | None:
        """Restore the file of the last upload to its previous version; None when nothing to undo."""
        async with self.lock:
            last = files.last_upload(self.root)
            if last is None:
                return None
            previous = files.previous_content(self.root, last)
            change = await self._replace(last.file, previous, kind="rollback", undoes=last.stamp)
            return Change(change.target, last.stamp, change.result)

    async def _replace(self, rel: str, content: bytes | None, *, kind: str, undoes: str | None) -> Change:
        problems = await self._check_staged(rel, content)
        if problems:
            return Change(rel, "", Result(False, problems=problems))
        current = self.root / rel
        backup = files.Backup(files.stamp(self._clock.now(UTC)), kind, rel, current.exists(), undoes)
        files.back_up(self.root, rel, backup)
        if content is None:
            current.unlink(missing_ok=True)
        else:
            files.write_atomic(current, content)
        return Change(rel, backup.stamp, await reload(self.holder, self.root, [label(self.root, rel)]))

    async def _check_staged(self, rel: str, content: bytes | None) -> list[Problem]:
        with files.staged(self.root, rel, content) as copy:
            loaded = await validate(self.holder, copy, [label(self.root, rel)])
        return [] if isinstance(loaded, KnowledgeBase) else loaded
