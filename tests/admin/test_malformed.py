"""What an admin who is not a programmer gets for a broken upload: the old knowledge stays, the
problem in *their* file comes first with its line, a plain-language hint follows, nothing crashes."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.admin import files, hints
from bot.admin.service import Knowledge
from bot.admin.telegram import result_text
from bot.admin.texts import admin_texts
from bot.conversation import KnowledgeHolder
from bot.dialogue import Dialogue
from bot.sections import load_knowledge
from bot.services import guided
from tests.admin.conftest import ADMIN
from tests.e2e.conftest import running

JKP = "intents/jkp.yaml"
LABEL = f"knowledge/{JKP}"


@pytest.fixture
def knowledge(kb_dir: Path) -> Knowledge:
    kb = load_knowledge(kb_dir)
    return Knowledge(KnowledgeHolder(Dialogue(kb, services=guided()), load_knowledge), kb_dir)


def jkp(kb_dir: Path) -> str:
    return (kb_dir / JKP).read_text(encoding="utf-8")


BROKEN = {  # name: (change the topic file, the hint the admin must get)
    "bad indentation": (lambda t: t.replace("    examples:\n", "  examples:\n", 1), "hint.indent"),
    "tab": (lambda t: t.replace("    examples:\n", "\texamples:\n", 1), "hint.tab"),
    "unclosed quote": (
        lambda t: t.replace("    examples:\n      - ", '    examples:\n      - "', 1),
        "hint.indent",
    ),
    "wrong type": (lambda t: t.replace("    examples:\n", "    examples: banyak\n    x:\n", 1), "hint.type"),
    "not a topic file": (lambda t: "- satu\n- dua\n", "hint.type"),
    "empty": (lambda t: "", "hint.empty"),
}


@pytest.mark.parametrize("name", list(BROKEN))
async def test_broken_upload_names_its_own_file_first_with_a_hint(
    knowledge: Knowledge, kb_dir: Path, name: str
):
    edit, hint = BROKEN[name]
    original, running_dialogue = jkp(kb_dir), knowledge.holder.dialogue
    change = await knowledge.upload(JKP, edit(original).encode())
    assert not change.result.ok
    assert change.result.problems[0].file == LABEL
    assert hint in hints.keys(change.result.problems)
    assert jkp(kb_dir) == original and files.backups(kb_dir) == []
    assert knowledge.holder.dialogue is running_dialogue
    t = admin_texts(running_dialogue.kb)
    text = result_text(change.result, t, "id")
    assert text.index(LABEL) < text.index("•") and t.get(hint, "id") in text


@pytest.mark.parametrize(
    ("content", "hint"),
    [
        (bytes(range(256)) * 8, "hint.not_text"),
        (b"intents:\x00\n", "hint.not_text"),
        (b"a: " + b"x" * (3 * 1024 * 1024), "hint.too_big"),
        (b"[" * 5000 + b"]" * 5000, "hint.unreadable"),
    ],
)
async def test_unreadable_upload_is_refused_without_crashing(
    knowledge: Knowledge, kb_dir: Path, content: bytes, hint: str
):
    original = jkp(kb_dir)
    change = await knowledge.upload(JKP, content)
    assert not change.result.ok and change.result.problems[0].file == LABEL
    assert hint in hints.keys(change.result.problems)
    text = result_text(change.result, admin_texts(knowledge.holder.dialogue.kb), "en")
    if len({p.file for p in change.result.problems}) > 1:
        assert f"Fix {LABEL} first" in text
    assert jkp(kb_dir) == original


async def test_broken_file_on_disk_is_listed_first_when_the_watcher_names_it(
    knowledge: Knowledge, kb_dir: Path
):
    running_dialogue = knowledge.holder.dialogue
    (kb_dir / JKP).write_bytes(b"\xff\xfe not text")
    result = await knowledge.reload_if_changed([kb_dir / JKP])
    assert result is not None and not result.ok
    assert result.problems[0].file == LABEL and knowledge.holder.dialogue is running_dialogue


def test_problems_of_unreadable_files_come_first_without_a_hint_of_which_changed():
    from bot.knowledge import Problem

    problems = [
        Problem("knowledge/intents/a.yaml", 3, "related id 'jkp.x' does not exist"),
        Problem("knowledge/intents/jkp.yaml", 1, "the file is not UTF-8 text (save it as UTF-8)"),
    ]
    assert hints.ordered(problems)[0].file.endswith("jkp.yaml")
    assert hints.ordered(problems, ["knowledge/intents/a.yaml"])[0].file.endswith("a.yaml")


@pytest.mark.parametrize("file_name", ["../../etc/x.yaml", "..\\..\\etc\\x.yaml"])
def test_path_traversal_in_a_file_name_keeps_only_the_name(kb_dir: Path, file_name: str):
    assert files.target_path(kb_dir, file_name, None) == "intents/x.yaml"


@pytest.mark.e2e
async def test_odd_uploads_get_clear_answers_and_the_bot_keeps_answering(tg, admin_settings, kb_dir: Path):
    admin, user = tg.user(ADMIN), tg.user(56)
    original = jkp(kb_dir)
    async with running(admin_settings):
        admin.send_document("catatan.txt", b"halo")
        admin.send_document("jkp.yaml", b"x", caption="../../etc/x.yaml")
        admin.send_document("jkp.yaml", bytes(range(256)) * 4)
        admin.send_document("jkp.yaml", b"a: " + b"x" * (3 * 1024 * 1024))
        await tg.wait_for_messages(ADMIN, 4, timeout=20)
        tg.fail_next("getFile", 400)
        admin.send_document("jkp.yaml", original.encode())
        got = [m["visible_text"] for m in await tg.wait_for_messages(ADMIN, 5, timeout=20)]
        user.send_text("berapa lama batas waktu pengajuan JKP setelah di PHK?")
        [answer] = await tg.wait_for_messages(56, 1)
    assert "catatan.txt" in got[0] and ".yaml" in got[0]
    assert "../../etc/x.yaml" in got[1] and "caption" in got[1].lower()
    assert f"{LABEL}:" in got[2] and "UTF-8" in got[2]
    assert "2048 KB" in got[3]
    assert "Telegram" in got[4]
    assert "6 bulan" in answer["visible_text"]
    assert jkp(kb_dir) == original and files.backups(kb_dir) == []
