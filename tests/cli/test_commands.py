"""The command-line contract of shared/CONTRACT.md, run as a real subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
KEYS = {"intent", "confidence", "score", "candidates", "lang", "answer"}


def run(
    *args: str, stdin: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("TELEGRAM_", "DATABASE_URL", "KNOWLEDGE_DIR"))
    }
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**base, **(env or {})},
        timeout=300,
    )


def test_ask_prints_the_answer_text():
    result = run("ask", "batas waktu pengajuan klaim jkp setelah phk")
    assert result.returncode == 0
    assert "6 bulan" in result.stdout


def test_ask_json_has_the_contract_fields():
    result = run("ask", "--json", "how do i claim jkp online")
    record = json.loads(result.stdout)
    assert set(record) == KEYS
    assert record["confidence"] in {"answer", "clarify", "fallback"}
    assert record["lang"] == "en"
    assert 0 <= record["score"] <= 100
    assert all(set(c) == {"intent", "score"} for c in record["candidates"])
    assert record["intent"] == record["candidates"][0]["intent"]


def test_out_of_scope_question_is_a_fallback_with_null_intent():
    record = json.loads(run("ask", "--json", "cara perpanjang SIM online").stdout)
    assert record["confidence"] == "fallback" and record["intent"] is None
    assert record["answer"]


def test_jsonl_keeps_order_and_shape_and_handles_odd_lines():
    lines = [
        "apa itu jkp",
        "",
        "cara klaim jht",
        "x" * 10_000,
        "🙏🙏🙏",
        "<script>alert(1)</script>",
        "resep rendang",
    ]
    result = run("ask", "--jsonl", stdin="\n".join(lines) + "\n")
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["text"] for r in records] == lines
    assert all(set(r) == KEYS | {"text"} for r in records)
    assert records[0]["intent"] == "jkp.about" and records[2]["intent"] == "jht.claim"
    assert records[1]["intent"] is None and records[6]["intent"] is None


@pytest.mark.slow
def test_jsonl_handles_twenty_thousand_lines_in_one_process():
    queries = ["gmn cr klaim jkp", "syarat jht", "loker bekasi", "halo", "cuaca hari ini"] * 4000
    result = run("ask", "--jsonl", stdin="\n".join(queries) + "\n")
    assert result.returncode == 0, result.stderr[-500:]
    out = result.stdout.splitlines()
    assert len(out) == 20_000
    assert json.loads(out[-1])["text"] == "cuaca hari ini"


def test_check_passes_on_shipped_knowledge_and_fails_with_file_line(tmp_path: Path):
    assert run("check").returncode == 0
    import shutil

    broken = tmp_path / "knowledge"
    shutil.copytree(ROOT / "knowledge", broken)
    target = broken / "intents" / "jkp.yaml"
    target.write_text(
        target.read_text(encoding="utf-8").replace("    handoff: false\n", "    handoff: maybe\n", 1),
        encoding="utf-8",
    )
    result = run("check", str(broken))
    assert result.returncode == 1
    assert (
        "knowledge/intents/jkp.yaml:" in result.stdout and "'handoff' must be true or false" in result.stdout
    )


def test_knowledge_option_selects_another_directory(tmp_path: Path):
    result = run("--knowledge", str(tmp_path / "nowhere"), "ask", "halo")
    assert result.returncode == 1
    assert "knowledge directory not found" in result.stderr


def test_export_json_lists_every_intent_with_both_answers():
    data = json.loads(run("export", "--json").stdout)
    ids = {i["id"] for i in data["intents"]}
    assert {"jkp.eligibility", "urgent.crisis", "chat.human"} <= ids
    assert all(set(i["answers"]) == {"id", "en"} and i["examples"] for i in data["intents"])


def test_eval_prints_accuracy_and_threshold_table():
    result = run("eval", "tests/data/dev.yaml")
    assert result.returncode == 0
    assert "top-1 accuracy (in scope)" in result.stdout and "threshold" in result.stdout


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        ({"TELEGRAM_BOT_TOKEN": "not-a-token"}, "TELEGRAM_BOT_TOKEN"),
        ({"COUNSELLOR_IDS": "12,abc"}, "COUNSELLOR_IDS"),
        ({"PORT": "99999"}, "PORT"),
        ({"TELEGRAM_API_BASE_URL": "ftp://x"}, "TELEGRAM_API_BASE_URL"),
    ],
)
def test_bad_configuration_is_one_line_naming_the_variable(env, variable):
    result = run("ask", "halo", env=env)
    assert result.returncode != 0
    assert result.stderr.strip().count("\n") == 0 and variable in result.stderr
    assert "Traceback" not in result.stderr


def test_console_chat_uses_numbered_buttons():
    result = run("chat", stdin="/start\n1\n/keluar\n")
    assert result.returncode == 0
    assert "[1] JKP" in result.stdout
    assert "Apa itu JKP?" in result.stdout  # pressing 1 opened the JKP section


def test_jsonl_survives_bytes_that_are_not_utf8_and_a_strict_locale():
    """One bad byte must not stop a long run: it reads as U+FFFD, and every line still gets its record."""
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("TELEGRAM_", "DATABASE_URL", "KNOWLEDGE_DIR"))
    }
    result = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "--jsonl"],
        input=b"apa itu jkp\n\xff\xfe jht\ncara klaim jht\n",
        capture_output=True,
        cwd=ROOT,
        env={**base, "PYTHONIOENCODING": "ascii:strict"},
        timeout=300,
    )
    assert result.returncode == 0, result.stderr.decode()[-500:]
    records = [json.loads(line) for line in result.stdout.decode("utf-8").splitlines()]
    assert [r["text"] for r in records] == ["apa itu jkp", "\ufffd\ufffd jht", "cara klaim jht"]


def test_a_reader_closing_the_pipe_early_is_no_traceback():
    """`python -m bot ask --jsonl < big | head -1`: the rest is dropped quietly."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "ask", "--jsonl"],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdin.write(("syarat jkp\n" * 3000).encode())
    proc.stdin.close()
    assert json.loads(proc.stdout.readline())["intent"]
    proc.stdout.close()
    assert proc.wait(timeout=120) == 141
    assert proc.stderr is not None
    with proc.stderr:
        assert b"Traceback" not in proc.stderr.read()
