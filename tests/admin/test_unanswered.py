"""Unanswered questions: grouping, /belumterjawab, and ``suggest`` proposals that ``check`` accepts."""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path

import pytest
import yaml

from bot.admin import cli, unanswered
from bot.cli.answering import check
from bot.sections import load_knowledge
from bot.storage import Database, Repository
from tests.admin.conftest import ADMIN
from tests.e2e.conftest import running

NEAR = [
    "cara klaim jkp lewat hp gimana",
    "cara klaim jkp lewat hp gmn ya",
    "gimana cara klaim jkp lewat hape",
    "syarat dapat jkp apa aja kak",
]
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
    assert (
        first["answer"] == {"id": "TODO", "en": "TODO"}
        and first["related"] == []
        and first["handoff"] is False
    )


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


async def test_suggest_writes_valid_yaml_that_check_accepts_after_merging(
    db: Database, kb_dir: Path, tmp_path: Path
):
    await seed(db, NEAR + FAR)
    out = tmp_path / "suggestions.yaml"
    kb = load_knowledge(kb_dir)
    assert await cli.suggest(db.url, kb, None, out, today=date(2025, 1, 6)) == 0
    proposals = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert set(proposals) == {"generated", "since", "add_examples", "new_intents", "answer_drafts"}
    assert proposals["add_examples"], "the near questions should be proposed as examples"
    assert all(p["intent"] in kb.intents and p["examples"] for p in proposals["add_examples"])
    [new] = [n for n in proposals["new_intents"] if "nasi goreng" in n["intent"]["examples"][0]]
    assert (
        new["count"] == 3 and new["intent"]["id"].startswith("new.") and new["intent"]["sources"] == ["TODO"]
    )
    merge(kb_dir, proposals)
    assert check(kb_dir) == 0
    paste_completed_skeleton(kb_dir, new["intent"])
    assert check(kb_dir) == 0
    assert new["intent"]["id"] in load_knowledge(kb_dir).intents


def paste_completed_skeleton(root: Path, skeleton: dict) -> None:
    """What the guide asks: answers, a summary, a source and 12 examples written, then pasted under a topic's intents."""
    done = {
        **skeleton,
        "answer": {
            "id": "Maaf, Pandu hanya membantu soal pekerjaan.",
            "en": "Sorry, Pandu only helps with work.",
        },
        "summary": {"id": "Pandu hanya membantu soal pekerjaan.", "en": "Pandu only helps with work."},
        "sources": ["https://kemnaker.go.id"],
        "examples": [*skeleton["examples"], *(f"resep nasi goreng nomor {n}" for n in range(12))],
    }
    path = root / "intents" / "jkp.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["intents"].append(done)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


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


async def seed_closed_case(db: Database, kb_dir: Path) -> None:
    """A closed case with a counsellor's reply (and a phone number in it), plus a case still open."""
    from datetime import UTC, datetime, timedelta

    from bot.handoff.models import Case
    from tests.conftest import FakeClock

    kb = load_knowledge(kb_dir)
    relay = kb.extras["handoff"].text
    t0 = datetime(2025, 1, 6, 8, 0, tzinfo=UTC)
    clock = FakeClock(t0)
    repo = Repository(db, clock=clock)
    await repo.log(41, "in", "berapa lama batas waktu klaim jkp setelah phk?", band="fallback", score=30.0)
    clock.advance(timedelta(minutes=5))
    await repo.log(41, "out", "Anda sudah terhubung dengan petugas.")
    await repo.log(
        41,
        "out",
        relay(
            "relay_to_user",
            "id",
            name="Sari",
            text="Paling lambat 6 bulan setelah PHK. Hubungi 081234567890 bila perlu.",
        ),
    )
    await repo.log(42, "out", relay("relay_to_user", "id", name="Sari", text="kasus yang masih terbuka"))
    async with db.session() as session:
        session.add(
            Case(
                user_id=41,
                status="closed",
                topic="jkp",
                lang="id",
                created_at=t0,
                assigned_at=t0 + timedelta(minutes=4),
                closed_at=t0 + timedelta(minutes=30),
                last_activity_at=t0,
                description="batas waktu klaim JKP setelah PHK berapa lama?",
            )
        )
        session.add(
            Case(
                user_id=42,
                status="assigned",
                topic="other",
                lang="id",
                created_at=t0,
                assigned_at=t0,
                last_activity_at=t0,
            )
        )


async def test_counsellor_replies_to_closed_cases_become_answer_drafts(
    db: Database, kb_dir: Path, tmp_path: Path
):
    await seed_closed_case(db, kb_dir)
    out = tmp_path / "suggestions.yaml"
    assert await cli.suggest(db.url, load_knowledge(kb_dir), None, out, today=date(2025, 1, 6)) == 0
    [draft] = yaml.safe_load(out.read_text(encoding="utf-8"))["answer_drafts"]
    assert draft["question"] == "batas waktu klaim JKP setelah PHK berapa lama?" and draft["topic"] == "jkp"
    assert draft["answer"]["en"] == "TODO" and draft["answer"]["id"].startswith(
        "Paling lambat 6 bulan setelah PHK."
    )
    assert "081234567890" not in draft["answer"]["id"] and "Sari" not in draft["answer"]["id"]
    assert draft["nearest_intent"] == "jkp.deadline" and draft["closed"] == "2025-01-06"
