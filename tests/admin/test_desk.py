"""Staff are not job seekers (issue 14): counsellors and admins are not counted as users, their messages
and a stranger's knowledge file never become unanswered questions, near-identical questions are one
line, and ``python -m bot suggest`` writes answer drafts as a real subprocess (whatever was imported)."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import yaml

from bot.admin import report, unanswered
from bot.handoff.models import Case
from bot.sections import load_knowledge
from bot.storage import Database, Repository
from tests.admin.conftest import ADMIN
from tests.conftest import FakeClock
from tests.e2e.conftest import running
from tests.handoff.conftest import wait_text

ROOT = Path(__file__).resolve().parents[2]
SIM = ["cara bikin SIM", "gimana cara buat sim?", "bikin sim gmn ya kak"]
COUNSELLOR = 950


def test_three_sim_questions_are_one_group(kb_dir: Path):
    kb = load_knowledge(kb_dir)
    groups = unanswered.group(
        [*SIM, "resep nasi goreng enak", "syarat dapat jkp apa aja kak"], lexicon=kb.lexicon
    )
    assert [g.count for g in groups] == [3, 1, 1]
    assert groups[0].examples == tuple(SIM)


async def test_staff_are_not_users_in_the_figures(db: Database, kb_dir: Path):
    repo = Repository(db)
    for user_id in (ADMIN, COUNSELLOR, 501):
        await repo.log(user_id, "in", "jkp itu apa", intent="jkp.about", band="answer", score=90.0)
    async with db.session() as session:  # a counsellor trying /petugas themselves, and a real case
        session.add_all(
            [Case(user_id=user_id, status="waiting", topic="jkp", lang="id") for user_id in (COUNSELLOR, 501)]
        )
    figures = await report.figures(
        db, load_knowledge(kb_dir), None, None, date(2025, 1, 6), staff={ADMIN, COUNSELLOR}
    )
    assert (figures.users, figures.messages_in, figures.handoffs) == (1, 1, 1)


async def test_admins_text_and_a_strangers_yaml_do_not_reach_belumterjawab(tg, make_settings, kb_dir: Path):
    settings = make_settings(KNOWLEDGE_DIR=str(kb_dir), ADMIN_IDS=str(ADMIN), COUNSELLOR_IDS=str(COUNSELLOR))
    async with running(settings):
        admin = tg.user(ADMIN, "Admin")
        admin.send_text("masih di sana bu?")
        [told] = await tg.wait_for_messages(ADMIN, 1)
        assert "tidak dijawab sebagai pertanyaan" in told["visible_text"] and "/coba" in told["visible_text"]
        admin.send_command("/coba syarat jkp apa aja")
        await wait_text(tg, ADMIN, "JKP", start=1)

        stranger = tg.user(4343)
        stranger.send_document("jkp.yaml", b"intents: []\n", caption="kenapa ini ga bisa dibuka ya")
        [refused] = await tg.wait_for_messages(4343, 1)
        assert "hanya bisa diunggah oleh admin" in refused["visible_text"]
        for n, text in enumerate(SIM):
            tg.user(4400 + n).send_text(text)
            await tg.wait_for_messages(4400 + n, 1)

        start = len(tg.sent(ADMIN))
        admin.send_command("/belumterjawab")
        text = (await wait_text(tg, ADMIN, "belum terjawab", start=start))["visible_text"]
        assert "masih di sana" not in text and "kenapa ini" not in text and "syarat jkp" not in text
        assert "(3 pesan)" in text  # the three SIM questions only
        assert len([line for line in text.splitlines() if "SIM" in line or "sim" in line]) == 1


async def seed(url: str) -> None:
    """A closed case with a counsellor's reply; the counsellor's own stray line; a user's unanswered line."""
    db = Database(url)
    try:
        await db.upgrade()
        kb = load_knowledge(ROOT / "knowledge")
        t0 = datetime(2025, 1, 6, 8, 0, tzinfo=UTC)
        clock = FakeClock(t0)
        repo = Repository(db, clock=clock)
        await repo.log(41, "in", "kapan batas akhir klaim jkp?", band="fallback", score=30.0)
        clock.advance(timedelta(minutes=5))
        relay = kb.extras["handoff"].text(
            "relay_to_user", "id", name="Sari", text="Paling lambat 6 bulan setelah PHK."
        )
        await repo.log(41, "out", relay)
        await repo.log(COUNSELLOR, "in", "masih di sana bu?", band="fallback", score=20.0)
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
                    description="",
                )
            )
    finally:
        await db.dispose()


def run(*args: str, url: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "KNOWLEDGE_DIR"))}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**env, "DATABASE_URL": url, "COUNSELLOR_IDS": str(COUNSELLOR)},
        timeout=120,
    )


async def test_suggest_from_the_command_line_writes_answer_drafts_without_staff_lines(tmp_path: Path):
    url = f"sqlite+aiosqlite:///{tmp_path / 'pandu.db'}"
    await seed(url)
    done = await asyncio.to_thread(run, "suggest", url=url)
    assert done.returncode == 0, done.stderr
    proposals = yaml.safe_load(done.stdout)
    [draft] = proposals["answer_drafts"]
    assert draft["answer"]["id"] == "Paling lambat 6 bulan setelah PHK." and draft["topic"] == "jkp"
    assert "masih di sana" not in done.stdout
    stats = await asyncio.to_thread(run, "stats", "--lang", "en", url=url)
    assert stats.returncode == 0, stats.stderr
    assert "Users: 1" in stats.stdout
