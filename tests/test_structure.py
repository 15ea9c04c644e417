"""Structure guards: the matching library stays pure, the catalogue copy stays in sync."""

import ast
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
BANNED = ("telegram", "sqlalchemy", "aiohttp", "bot")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_intents_package_imports_no_telegram_sql_or_application_code():
    for path in (ROOT / "intents").rglob("*.py"):
        assert not imported_modules(path) & set(BANNED), path


def test_intents_package_declares_public_api():
    import intents

    assert set(intents.__all__) >= {"Matcher", "Match", "Confidence", "normalise"}


def test_catalogue_copy_matches_shared_catalogue():
    shared = ROOT.parent / "shared" / "intents.yaml"
    ours = ROOT / "bot" / "knowledge" / "catalogue.yaml"
    if shared.exists():
        assert yaml.safe_load(shared.read_text()) == yaml.safe_load(ours.read_text())
    assert len(yaml.safe_load(ours.read_text())["intents"]) >= 35


def test_no_user_facing_prose_in_python():
    """User-facing sentences live in knowledge YAML; Python holds none."""
    import re

    pattern = re.compile(r"\"[^\"]*\b(Anda|silakan|Silakan|terima kasih|Terima kasih|petugas)\b[^\"]{25,}\"")
    offenders = [
        f"{p}:{i}"
        for p in (ROOT / "bot").rglob("*.py")
        for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line)
    ]
    assert offenders == []


def test_intents_package_passes_mypy_strict():
    """The matching library is typed strictly (pyproject's [tool.mypy] is strict for the whole tree)."""
    from mypy import api

    out, err, status = api.run(["--config-file", str(ROOT / "pyproject.toml"), str(ROOT / "intents")])
    assert status == 0, out + err


def test_bot_package_passes_mypy():
    """The bot is type-checked strictly with the project's [tool.mypy] settings and has no errors."""
    from mypy import api

    out, err, status = api.run(["--config-file", str(ROOT / "pyproject.toml"), str(ROOT / "bot")])
    assert status == 0, out + err


def test_the_tree_is_formatted_with_ruff():
    """`ruff format --check` is part of the suite: run `ruff format bot tests benchmarks intents` to fix."""
    import subprocess
    import sys

    found = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--check", "bot", "tests", "benchmarks", "intents"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert found.returncode == 0, found.stdout + found.stderr
