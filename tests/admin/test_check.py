"""``python -m bot check`` as an admin runs it: the regression gate and ``--stale`` with sources."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from bot.sections import load_knowledge
from intents import normalise

ROOT = Path(__file__).resolve().parents[2]


def check(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "KNOWLEDGE_DIR"}
    return subprocess.run(
        [sys.executable, "-m", "bot", "check", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
    )


def add_example(path: Path, intent: str, example: str) -> None:
    text = path.read_text(encoding="utf-8")
    at = text.index("    examples:\n", text.index(f"  - id: {intent}\n")) + len("    examples:\n")
    path.write_text(text[:at] + f'      - "{example}"\n' + text[at:], encoding="utf-8")


def test_check_fails_with_file_and_line_when_a_tests_phrase_no_longer_resolves(kb_dir: Path):
    kb = load_knowledge(kb_dir)
    guarded = next(i for i in kb.intents.values() if i.tests and i.file.endswith("jkp.yaml"))
    phrase = guarded.tests[0]
    thief = next(
        i
        for i in kb.intents.values()
        if i.file.endswith("jkp.yaml")
        and i.id != guarded.id
        and normalise(phrase) not in {normalise(e) for e in i.examples}
    )
    add_example(kb_dir / "intents" / "jkp.yaml", thief.id, phrase)  # an edit that steals the phrase
    result = check(str(kb_dir))
    assert result.returncode == 1
    assert re.search(
        rf"knowledge/intents/jkp.yaml:\d+: intent '{re.escape(guarded.id)}': test phrase "
        rf"'{re.escape(phrase)}' now matches {re.escape(thief.id)}",
        result.stdout + result.stderr,
    )


def test_check_stale_lists_old_entries_with_their_sources(kb_dir: Path):
    path = kb_dir / "intents" / "jkp.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("  - id: jkp.about")
    path.write_text(
        text[:start] + re.sub(r"reviewed: \S+", "reviewed: 2020-01-01", text[start:], count=1), "utf-8"
    )
    about = load_knowledge(kb_dir).intents["jkp.about"]
    result = check(str(kb_dir), "--stale", "--months", "6")
    assert result.returncode == 1
    line = f"{about.file}:{about.line}: jkp.about reviewed 2020-01-01 — sources: {'; '.join(about.sources)}"
    assert line in result.stdout
    assert "jkp.about" not in check(str(kb_dir), "--stale", "--months", "1200").stdout  # 100 years: not stale
