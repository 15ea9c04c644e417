"""`python -m bot check` reads every knowledge file the running bot reads: break any one of them and
`check` fails naming that file and line (issue 13: a broken handoff.yaml used to pass)."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

from bot.cli.answering import check
from bot.sections import SECTIONS

ROOT = Path(__file__).resolve().parents[2]
KNOWLEDGE = ROOT / "knowledge"
DATA_FILES = sorted(
    str(p.relative_to(KNOWLEDGE)) for p in KNOWLEDGE.rglob("*") if p.suffix in (".yaml", ".csv")
)


def copy(tmp_path: Path) -> Path:
    target = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, target)
    return target


def run_check(root: Path) -> tuple[int, str]:
    out = io.StringIO()
    return check(root, out), out.getvalue()


def test_the_shipped_knowledge_passes(tmp_path: Path) -> None:
    status, printed = run_check(copy(tmp_path))
    assert status == 0, printed


def test_every_data_file_is_one_the_bot_loads() -> None:
    """No file under knowledge/ is silently ignored: each is the intents, lexicon, UI, out-of-scope
    list or one of the sections the bot loads (so breaking it below must fail the check)."""
    core = {"lexicon.yaml", "ui.yaml", "out_of_scope.yaml", "menus.yaml"}
    sections = {section.path for section in SECTIONS.values()}
    unread = [rel for rel in DATA_FILES if rel not in core | sections and not rel.startswith("intents/")]
    assert unread == []


@pytest.mark.parametrize("rel", DATA_FILES)
def test_a_syntax_error_in_any_file_fails_check_with_file_and_line(tmp_path: Path, rel: str) -> None:
    root = copy(tmp_path)
    path = root / rel
    lines = path.read_text(encoding="utf-8").splitlines()
    broken = len(lines) + 1
    if path.suffix == ".csv":
        lines.append("BROKEN-1,too,few,columns")
    else:
        lines.append("broken: one: two")  # 'mapping values are not allowed here', on this line
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    status, printed = run_check(root)
    assert status == 1, printed
    assert f"knowledge/{rel}:{broken}:" in printed, printed


def line_of(path: Path, needle: str) -> int:
    return next(
        i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line
    )


@pytest.mark.parametrize(
    ("rel", "old", "new", "needle"),
    [
        ("handoff.yaml", "sla_minutes: 10", "sla_minutes: soon", "sla_minutes"),
        ("handoff.yaml", 'start: "08:00"', 'start: "8 pagi"', "start:"),
        ("admin.yaml", "\n  ", "\n  zzz.not_a_text: 42\n  ", "zzz.not_a_text"),
        ("menus.yaml", "  urgent.crisis: crisis", "  urgent.krisis: crisis", "urgent.krisis"),
        ("menus.yaml", "  chat.human: asked", "  chat.human: maybe", "chat.human"),
        ("menus.yaml", "{section: jht, label: menu_jht}", "{section: jht, label: menu_jhtt}", "menu_jhtt"),
        ("menus.yaml", "{command: menu,", "{command: Menu-Utama,", "Menu-Utama"),
    ],
)
def test_a_wrong_value_in_handoff_admin_or_menus_fails_check(
    tmp_path: Path, rel: str, old: str, new: str, needle: str
) -> None:
    root = copy(tmp_path)
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    status, printed = run_check(root)
    assert status == 1, printed
    assert f"knowledge/{rel}:{line_of(path, needle)}" in printed, printed
