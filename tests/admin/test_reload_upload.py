"""Hot reload, uploads, rollback and refusals, through the real Application and the fake Bot API."""

from __future__ import annotations

import asyncio
import json
import logging
import re
from pathlib import Path

import pytest

from bot.admin import files
from bot.admin.telegram import Admin
from bot.sections import load_knowledge
from tests.admin.conftest import ADMIN
from tests.e2e.conftest import running

pytestmark = pytest.mark.e2e

JKP = "intents/jkp.yaml"


def runtime(application: object):  # type: ignore[no-untyped-def]
    return application.bot_data["runtime"]  # type: ignore[attr-defined]


def with_new_example(text: str, example: str) -> str:
    """The topic file with ``example`` added to its first intent."""
    return text.replace("    examples:\n", f"    examples:\n      - {example}\n", 1)


def with_bad_date(text: str) -> str:
    """The topic file with its first ``reviewed:`` date replaced by a word."""
    broken = re.sub(r"reviewed: \S+", "reviewed: kemarin", text, count=1)
    assert broken != text
    return broken


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


async def test_broken_edit_on_disk_keeps_old_knowledge_and_tells_admins(tg, admin_settings, kb_dir: Path):
    tg.user(ADMIN)
    async with running(admin_settings) as application:
        old = runtime(application).holder.dialogue
        await asyncio.sleep(0.8)  # let the watcher start
        path = kb_dir / JKP
        text = path.read_text(encoding="utf-8")
        broken = with_bad_date(text)
        path.write_text(broken, encoding="utf-8")
        [message] = await tg.wait_for_messages(ADMIN, 1, timeout=15)
        assert "ditolak" in message["visible_text"]
        assert f"knowledge/{JKP}:{line_of(broken, 'reviewed: kemarin')}:" in message["visible_text"]
        assert runtime(application).holder.dialogue is old
        tg.user(55).send_text("berapa lama batas waktu pengajuan JKP setelah di PHK?")
        [answer] = await tg.wait_for_messages(55, 1)
        assert "6 bulan" in answer["visible_text"]


async def test_good_edit_on_disk_is_picked_up_by_the_watcher(tg, admin_settings, kb_dir: Path):
    tg.user(ADMIN)
    async with running(admin_settings) as application:
        await asyncio.sleep(0.8)
        path = kb_dir / JKP
        path.write_text(
            with_new_example(path.read_text(encoding="utf-8"), "jkp itu sebenernya apa min"), "utf-8"
        )
        [message] = await tg.wait_for_messages(ADMIN, 1, timeout=15)
        assert "dimuat ulang" in message["visible_text"] and "jkp.about" in message["visible_text"]
        examples = runtime(application).holder.dialogue.kb.intents["jkp.about"].examples
        assert "jkp itu sebenernya apa min" in examples


async def test_an_edited_vacancy_csv_is_picked_up_by_the_watcher(tg, admin_settings, kb_dir: Path):
    """Vacancies live in data/vacancies.csv: an export copied over it reaches users without a restart."""
    tg.user(ADMIN)
    async with running(admin_settings) as application:
        await asyncio.sleep(0.8)
        path = kb_dir / "data" / "vacancies.csv"
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        before = len(runtime(application).holder.dialogue.kb.extras["vacancies"])
        path.write_text("".join(lines[:-1]), encoding="utf-8")  # one vacancy fewer
        [message] = await tg.wait_for_messages(ADMIN, 1, timeout=15)
        assert "dimuat ulang" in message["visible_text"]
        assert len(runtime(application).holder.dialogue.kb.extras["vacancies"]) == before - 1


async def test_reload_command_reports_problems_with_file_and_line(tg, admin_settings, kb_dir: Path):
    admin = tg.user(ADMIN)
    async with running(admin_settings) as application:
        await stop_watcher(application)
        old = runtime(application).holder.dialogue
        path = kb_dir / JKP
        broken = path.read_text(encoding="utf-8").replace("    handoff: false\n", "    handoff: maybe\n", 1)
        path.write_text(broken, encoding="utf-8")
        admin.send_command("/muatulang")
        [message] = await tg.wait_for_messages(ADMIN, 1)
        assert "TIDAK dimuat ulang" in message["visible_text"]
        assert f"knowledge/{JKP}:{line_of(broken, 'handoff: maybe')}:" in message["visible_text"]
        assert runtime(application).holder.dialogue is old
        path.write_text(
            with_new_example(broken.replace("handoff: maybe", "handoff: false", 1), "jkp tuh apaan"), "utf-8"
        )
        admin.send_command("/reload")
        messages = await tg.wait_for_messages(ADMIN, 2)
        assert "Diubah: jkp.about" in messages[1]["visible_text"]
        assert runtime(application).holder.dialogue is not old


async def stop_watcher(application: object) -> None:
    """Commands alone, without the watcher racing them."""
    watching = runtime(application).features.get(Admin).watching
    assert watching is not None
    stop, task = watching
    stop.set()
    await asyncio.wait_for(task, 5)


async def test_upload_is_applied_backed_up_and_rolled_back(tg, admin_settings, kb_dir: Path):
    admin = tg.user(ADMIN)
    original = (kb_dir / JKP).read_bytes()
    new = with_new_example(original.decode(), "apa itu jkp ya min").encode()
    async with running(admin_settings) as application:
        admin.send_document("jkp.yaml", new, "application/x-yaml")
        [message] = await tg.wait_for_messages(ADMIN, 1)
        assert (
            "intents/jkp.yaml" in message["visible_text"] and "Diubah: jkp.about" in message["visible_text"]
        )
        assert (kb_dir / JKP).read_bytes() == new
        [backup] = files.backups(kb_dir)
        assert (backup.kind, backup.file, backup.existed) == ("upload", JKP, True)
        assert (kb_dir / ".backups" / backup.stamp / JKP).read_bytes() == original
        assert json.loads((kb_dir / ".backups" / backup.stamp / "manifest.json").read_text())["file"] == JKP
        assert "apa itu jkp ya min" in runtime(application).holder.dialogue.kb.intents["jkp.about"].examples
        admin.send_command("/rollback")
        messages = await tg.wait_for_messages(ADMIN, 2)
        assert backup.stamp in messages[1]["visible_text"]
        assert (kb_dir / JKP).read_bytes() == original
        assert (
            "apa itu jkp ya min" not in runtime(application).holder.dialogue.kb.intents["jkp.about"].examples
        )
        admin.send_command("/rollback")
        messages = await tg.wait_for_messages(ADMIN, 3)
        assert "Tidak ada unggahan" in messages[2]["visible_text"]


async def test_broken_upload_is_refused_and_nothing_changes(tg, admin_settings, kb_dir: Path):
    admin = tg.user(ADMIN)
    original = (kb_dir / JKP).read_bytes()
    broken = with_bad_date(original.decode())
    async with running(admin_settings) as application:
        old = runtime(application).holder.dialogue
        admin.send_document("jkp.yaml", broken.encode(), caption="intents/jkp.yaml")
        [message] = await tg.wait_for_messages(ADMIN, 1)
        assert f"knowledge/{JKP}:{line_of(broken, 'reviewed: kemarin')}:" in message["visible_text"]
        assert runtime(application).holder.dialogue is old
    assert (kb_dir / JKP).read_bytes() == original
    assert files.backups(kb_dir) == []


async def test_upload_breaking_a_tests_phrase_is_refused_by_the_regression_gate(
    tg, admin_settings, kb_dir: Path
):
    kb = load_knowledge(kb_dir)
    other = (
        kb.intents["jkp.deadline"]
        if "jkp.deadline" in kb.intents
        else next(i for i in kb.intents.values() if i.file.endswith("jkp.yaml") and i.id != "jkp.about")
    )
    phrase = next(e for e in other.examples if kb.matcher.match(e).intent == other.id)
    original = (kb_dir / JKP).read_text(encoding="utf-8")
    start = original.index("  - id: jkp.about")
    at = original.index("    tests:", start)
    end = original.index("\n", at)
    bad = original[:end].replace("tests: []", "tests:") + f"\n      - {phrase}" + original[end:]
    admin = tg.user(ADMIN)
    async with running(admin_settings):
        admin.send_document("jkp.yaml", bad.encode())
        [message] = await tg.wait_for_messages(ADMIN, 1)
    assert "jkp.about" in message["visible_text"] and "test phrase" in message["visible_text"]
    assert (kb_dir / JKP).read_text(encoding="utf-8") == original


async def test_non_admin_is_refused_and_logged_without_their_id(tg, admin_settings, kb_dir: Path, caplog):
    caplog.set_level(logging.WARNING, logger="pandu.admin")
    user = tg.user(4242)
    original = (kb_dir / JKP).read_bytes()
    async with running(admin_settings):
        user.send_command("/muatulang")
        [message] = await tg.wait_for_messages(4242, 1)
        assert "hanya untuk admin" in message["visible_text"]
        user.send_command("/statistik")
        await tg.wait_for_messages(4242, 2)
        user.send_document(
            "jkp.yaml", b"intents: []\n", caption="intents/jkp.yaml"
        )  # refused, not a question
        [*_, refused] = await tg.wait_for_messages(4242, 3)
        assert "hanya bisa diunggah oleh admin" in refused["visible_text"]
    assert (kb_dir / JKP).read_bytes() == original
    refusals = [r.getMessage() for r in caplog.records if "refused" in r.getMessage()]
    assert len(refusals) == 3 and all("4242" not in r for r in refusals)
