"""Where uploads go, and the backup history that /rollback reads."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.admin import files


def test_target_is_the_caption_or_the_same_name_or_intents(kb_dir: Path):
    assert files.target_path(kb_dir, "x.yaml", "intents/jkp.yaml") == "intents/jkp.yaml"
    assert files.target_path(kb_dir, "jkp.yaml", None) == "intents/jkp.yaml"
    assert files.target_path(kb_dir, "lexicon.yaml", "") == "lexicon.yaml"
    assert files.target_path(kb_dir, "baru.yml", None) == "intents/baru.yml"


@pytest.mark.parametrize(
    "caption", ["../etc/x.yaml", "/abs/x.yaml", "intents/x.txt", ".backups/x.yaml", "jkp"]
)
def test_unsafe_targets_are_refused(kb_dir: Path, caption: str):
    with pytest.raises(files.BadTarget):
        files.target_path(kb_dir, "x.yaml", caption)


def test_rollback_walks_back_through_uploads(tmp_path: Path):
    (tmp_path / "a.yaml").write_text("one")
    files.back_up(tmp_path, "a.yaml", files.Backup("20250101T000000000000Z", "upload", "a.yaml", True))
    files.back_up(tmp_path, "b.yaml", files.Backup("20250102T000000000000Z", "upload", "b.yaml", False))
    assert files.last_upload(tmp_path).file == "b.yaml"
    files.back_up(
        tmp_path,
        "b.yaml",
        files.Backup("20250103T000000000000Z", "rollback", "b.yaml", False, "20250102T000000000000Z"),
    )
    last = files.last_upload(tmp_path)
    assert last.file == "a.yaml" and files.previous_content(tmp_path, last) == b"one"


def test_atomic_write_leaves_no_temporary_file(tmp_path: Path):
    files.write_atomic(tmp_path / "intents" / "x.yaml", b"intents: []\n")
    assert [p.name for p in (tmp_path / "intents").iterdir()] == ["x.yaml"]
