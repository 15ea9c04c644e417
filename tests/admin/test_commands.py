"""``python -m bot stats`` and ``python -m bot suggest`` as real subprocesses on a seeded SQLite file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml

from bot.storage import Database, Repository

ROOT = Path(__file__).resolve().parents[2]


async def seed(url: str) -> None:
    db = Database(url)
    try:
        await db.upgrade()
        repo = Repository(db)
        for n, text in enumerate(["resep nasi goreng enak", "resep nasi goreng yang enak", "apa itu jkp"]):
            band, intent = ("answer", "jkp.about") if "jkp" in text else ("fallback", None)
            await repo.log(700 + n, "in", text, intent=intent, band=band, score=20.0)
            await repo.log(700 + n, "out", "balasan")
    finally:
        await db.dispose()


def run(*args: str, url: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "KNOWLEDGE_DIR"))}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**env, "DATABASE_URL": url},
        timeout=120,
    )


async def test_stats_and_suggest_commands(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'pandu.db'}"
    await seed(url)
    chart = tmp_path / "daily.png"
    stats = run("stats", "--chart", str(chart), "--lang", "en", url=url)
    assert stats.returncode == 0, stats.stderr
    assert "Users: 3" in stats.stdout
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    out = tmp_path / "proposals.yaml"
    suggest = run("suggest", "--out", str(out), url=url)
    assert suggest.returncode == 0, suggest.stderr
    proposals = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert any("nasi goreng" in n["intent"]["examples"][0] for n in proposals["new_intents"])
