"""Admin test fixtures: a loadable copy of the knowledge folder, and the e2e harness with an admin."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.settings import Settings
from tests.e2e.conftest import ROOT, db_url, make_settings, tg  # noqa: F401  (fixtures)

ADMIN = 900


@pytest.fixture
def kb_dir(tmp_path: Path) -> Path:
    """A private copy of the project's knowledge folder, named ``knowledge``."""
    copy = tmp_path / "kb" / "knowledge"
    shutil.copytree(ROOT / "knowledge", copy, ignore=shutil.ignore_patterns(".backups"))
    return copy


@pytest.fixture
def admin_settings(make_settings: Callable[..., Settings], kb_dir: Path) -> Settings:  # noqa: F811
    return make_settings(KNOWLEDGE_DIR=str(kb_dir), ADMIN_IDS=str(ADMIN))
