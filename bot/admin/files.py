"""Knowledge files on disk: where an upload goes, staged validation copies, backups, atomic writes.

Backups live in ``<knowledge>/.backups/<UTC timestamp>/<relative path>`` with a ``manifest.json``
beside them, so an upload can be rolled back after a restart and from any instance sharing the folder.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath

BACKUPS = ".backups"
MANIFEST = "manifest.json"
SUFFIXES = (".yaml", ".yml")


class BadTarget(ValueError):
    """The requested knowledge path is not a relative .yaml path inside the knowledge folder.

    ``from_caption``: the path came from the document's caption (else from its file name)."""

    def __init__(self, path: str, *, from_caption: bool) -> None:
        super().__init__(path)
        self.path = path
        self.from_caption = from_caption


@dataclass(frozen=True)
class Backup:
    """One stored change: which file, whether it existed before, and when (the folder name)."""

    stamp: str
    kind: str  # "upload" or "rollback"
    file: str
    existed: bool
    undoes: str | None = None


def target_path(root: Path, file_name: str, caption: str | None) -> str:
    """Relative path an uploaded document replaces: the caption, the same name found, or intents/NAME."""
    wanted = (caption or "").strip().split()[0] if (caption or "").strip() else ""
    if wanted:
        return _checked(wanted, from_caption=True)
    name = _checked(PurePosixPath(file_name.replace("\\", "/")).name, from_caption=False)
    found = sorted(p for p in root.rglob(name) if BACKUPS not in p.relative_to(root).parts)
    return found[0].relative_to(root).as_posix() if found else f"intents/{name}"


def _checked(path: str, *, from_caption: bool) -> str:
    pure = PurePosixPath(path.replace("\\", "/"))
    parts = pure.parts
    if (
        pure.is_absolute()
        or not parts
        or pure.suffix not in SUFFIXES
        or ".." in parts
        or any(part.startswith(".") for part in parts)
    ):
        raise BadTarget(path, from_caption=from_caption)
    return pure.as_posix()


@contextmanager
def staged(root: Path, rel: str, content: bytes | None) -> Iterator[Path]:
    """A temporary copy of ``root`` (same folder name, so problems read like ``check``'s) with
    ``rel`` replaced by ``content`` (removed when None); deleted afterwards."""
    with tempfile.TemporaryDirectory(prefix="pandu-stage-") as tmp:
        copy = Path(tmp) / root.resolve().name
        shutil.copytree(root, copy, ignore=shutil.ignore_patterns(BACKUPS))
        target = copy / rel
        if content is None:
            target.unlink(missing_ok=True)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        yield copy


def write_atomic(path: Path, content: bytes) -> None:
    """Write via a hidden temporary file in the same folder and ``os.replace`` it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(content)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def stamp(now: datetime) -> str:
    """Folder name for a backup taken at ``now`` (UTC, sortable, microseconds against collisions)."""
    return now.strftime("%Y%m%dT%H%M%S%fZ")


def back_up(root: Path, rel: str, backup: Backup) -> Path:
    """Keep the current version of ``rel`` (if any) under .backups/<stamp>/ with its manifest."""
    folder = root / BACKUPS / backup.stamp
    folder.mkdir(parents=True, exist_ok=False)
    current = root / rel
    if backup.existed:
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(current, folder / rel)
    manifest = {"kind": backup.kind, "file": backup.file, "existed": backup.existed, "undoes": backup.undoes}
    write_atomic(folder / MANIFEST, json.dumps(manifest, indent=1).encode())
    return folder


def backups(root: Path) -> list[Backup]:
    """Every backup with a readable manifest, oldest first."""
    found = []
    for manifest in sorted((root / BACKUPS).glob(f"*/{MANIFEST}")):
        try:
            data = json.loads(manifest.read_text(encoding="utf-8"))
            found.append(
                Backup(
                    manifest.parent.name,
                    data["kind"],
                    data["file"],
                    bool(data["existed"]),
                    data.get("undoes"),
                )
            )
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return found


def last_upload(root: Path) -> Backup | None:
    """The newest upload not yet rolled back."""
    history = backups(root)
    undone = {b.undoes for b in history if b.kind == "rollback"}
    uploads = [b for b in history if b.kind == "upload" and b.stamp not in undone]
    return uploads[-1] if uploads else None


def previous_content(root: Path, backup: Backup) -> bytes | None:
    """The file's content before ``backup``'s upload (None: it did not exist)."""
    return (root / BACKUPS / backup.stamp / backup.file).read_bytes() if backup.existed else None
