"""Unanswered questions: grouping, /belumterjawab, and ``suggest`` proposals that ``check`` accepts."""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path

import pytest
import yaml

from bot.admin import cli, unanswered
from bot.app import load_knowledge
from bot.cli.answering import check
from bot.storage import Database, Repository
from tests.admin.conftest import ADMIN
from tests.e2e.conftest import running

NEAR = ["cara klaim jkp lewat hp gimana", "cara klaim jkp lewat hp gmn ya", "gimana cara klaim jkp lewat hape",
        "syarat dapat jkp apa aja kak"]
FAR = ["resep nasi goreng enak", "resep nasi goreng yang enak", "resep nasi goreng enak dong"]


def test_similar_questions_are_grouped_biggest_first():
    groups = unanswered.group([*FAR, "/start", "[button] m:jkp", *NEAR[:3]])
    assert [g.count for g in groups] == [3, 3]
    assert groups[0].examples[0] == "resep nasi goreng enak"


def test_skeleton_id_is_a_valid_unique_intent_id():
    g = unanswered.Group("resep nasi goreng enak", 3, tuple(FAR))
    first = unanswered.skeleton(g, FAR, date(2025, 1, 6), set())
    second = unanswered.skeleton(g, FAR, date(2025, 1, 6), {first["id"]})
    assert first["id"] == "new.resep_nasi_goreng_enak" and second["id"] == "new.resep_nasi_goreng_enak_2"
    assert first["answer"] == {"id": "TODO", "en": "TODO"} and first["related"] == [] and first["handoff"] is False


async def seed(db: Database, texts: list[str]) -> None:
    repo = Repository(db)
    for n, text in enumerate(texts):
        await repo.log(500 + n, "in", text, band="fallback", score=10.0)
        await repo.log(500 + n, "out", "maaf")
    await repo.log(600, "in", "jkp itu apa", intent="jkp.about", band="answer", score=90.0)


def merge(root: Path, proposals: dict) -> None:
    """Apply every add_examples proposal to the topic files (as an admin would)."""
    wanted = unanswered.merge_examples(proposals)
    for path in (root / "intents").glob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for intent in data["intents"]:
            intent["examples"] += wanted.pop(intent["id"], [])
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert not wanted


async def test_suggest_writes_valid_yaml_that_check_accepts_after_merging(db: Database, kb_dir: Path, tmp_path: Path):
    await seed(db, NEAR + FAR)
    out = tmp_path / "suggestions.yaml"
    kb = load_knowledge(kb_dir)
    assert await cli.suggest(db.url, kb, None, out, today=date(2025, 1, 6)) == 0
    proposals = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert set(proposals) == {"generated", "since", "add_examples", "new_intents"}
    assert proposals["add_examples"], "the near questions should be proposed as examples"
    assert all(p["intent"] in kb.intents and p["examples"] for p in proposals["add_examples"])
    [new] = [n for n in proposals["new_intents"] if "nasi goreng" in n["intent"]["examples"][0]]
    assert new["count"] == 3 and new["intent"]["id"].startswith("new.") and new["intent"]["sources"] == ["TODO"]
    merge(kb_dir, proposals)
    assert check(kb_dir) == 0


@pytest.mark.e2e
async def test_belumterjawab_lists_frequent_unanswered_groups(tg, admin_settings):
    user, admin = tg.user(77), tg.user(ADMIN)
    async with running(admin_settings):
        for text in ["qwerty zxcv asdf", "qwerty zxcv asdf lagi", "blorp fnord wibble"]:
            before = len(tg.sent(77))
            user.send_text(text)
            await tg.wait_for_messages(77, before + 1)
            await asyncio.sleep(0.2)  # the remaining replies of this turn
        admin.send_command("/belumterjawab")
        [message] = await tg.wait_for_messages(ADMIN, 1)
    text = message["visible_text"]
    assert "1. 2× — qwerty zxcv asdf" in text and "2. 1× — blorp fnord wibble" in text


