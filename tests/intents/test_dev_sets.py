"""Every labelled dev set, read by the shipped matcher, stays at or above the floor set from its figures
(`python -m bot eval tests/data/devN.yaml`); dev9's floor sits just under its blind first reading."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli.evaluate import evaluate, read_labelled
from bot.sections import load_knowledge

ROOT = Path(__file__).resolve().parents[2]
# set: (top-1 in scope, out-of-scope rejection, precision of direct answers), fractions
FLOORS = {
    "dev8": (0.98, 0.94, 0.98),
    "dev9": (0.975, 0.95, 0.985),  # first reading 98.3 / 96.1 / 99.4 with the shipped model
    "dev10": (0.965, 0.95, 0.99),  # blind first reading 97.0 / 96.4 / 100.0 (2026-12-06, header of the file)
    "dev11": (0.96, 0.97, 0.99),  # blind first reading 96.6 / 100.0 / 100.0 (2026-12-06, header of the file)
    "dev12": (0.97, 0.94, 0.99),  # blind first reading 97.6 / 95.0 / 100.0 (2026-12-06, header of the file)
    "dev13": (0.965, 0.955, 0.99),  # blind first reading 97.4 / 96.7 / 99.6 (2026-12-06, header of the file)
    "dev14": (0.965, 0.98, 0.99),  # blind first reading 96.8 / 100.0 / 99.5 (2026-12-07, header of the file)
    "dev15": (0.965, 0.98, 0.985),  # blind first reading 96.1 / 100.0 / 99.2 (2026-12-07, header of the file)
    "dev16": (0.955, 0.98, 0.99),  # blind first reading 96.0 / 100.0 / 99.6 (2026-12-07, header of the file)
    "dev17": (0.98, 0.96, 0.99),  # blind first reading 99.1 / 98.4 / 99.6 (2026-12-07, header of the file)
    "dev18": (0.985, 0.95, 0.99),  # blind first 96.8 / 95.1 / 100.0; tuned on: 99.4 / 96.7 / 100.0
    "dev19": (0.985, 0.96, 0.99),  # blind first 98.5 / 90.3 / 99.3; tuned on: 99.1 / 98.4 / 100.0
    "dev20": (0.99, 0.97, 0.99),  # blind first 98.6 / 100.0 / 100.0; tuned on: 99.7 / 100.0 / 100.0
    "dev21": (0.985, 0.985, 0.99),  # blind first 97.7 / 97.1 / 100.0; tuned on: 99.1 / 100.0 / 100.0
    "dev22": (0.99, 0.955, 0.99),  # blind first 98.8 / 95.4 / 99.6; tuned on: 99.7 / 96.9 / 99.6
    "dev23": (0.99, 0.97, 0.99),  # blind first 99.4 / 97.1 / 100.0; tuned on: 100.0 / 98.6 / 100.0
    "dev24": (0.99, 0.97, 0.99),  # blind first 96.4 / 98.6 / 99.6; tuned on: 99.7 / 98.6 / 100.0
    "dev25": (0.945, 0.98, 0.99),  # blind first reading 94.9 / 100.0 / 99.6 (2026-12-07, header of the file)
    "dev26": (0.965, 0.98, 0.99),  # blind first reading 96.9 / 100.0 / 100.0 (2026-12-07, header of the file)
    "dev27": (0.975, 0.98, 0.99),  # blind first reading 98.0 / 98.6 / 99.6 (2026-12-07, header of the file)
    "dev28": (0.97, 0.965, 0.99),  # blind first reading 97.5 / 97.2 / 100.0 (2026-12-07, header of the file)
    "dev29": (0.94, 0.98, 0.99),  # blind first reading 94.1 / 98.6 / 99.1 (2026-12-07, header of the file)
    "dev30": (0.96, 0.965, 0.99),  # blind first reading 96.6 / 97.1 / 100.0 (2026-12-07, header of the file)
    "dev31": (0.96, 0.965, 0.99),  # blind first reading 96.6 / 97.1 / 100.0 (2026-12-07, header of the file)
    "dev32": (0.97, 0.98, 0.99),  # blind first reading 97.4 / 98.6 / 99.6 (2026-12-07, header of the file)
    "dev33": (0.965, 0.92, 0.985),  # blind first reading 97.0 / 92.4 / 98.7 (2026-12-07, header of the file)
    "dev34": (0.94, 0.94, 0.99),  # blind first reading 94.4 / 94.3 / 99.5 (2026-12-07, header of the file)
    "dev35": (0.96, 0.92, 0.98),  # blind first reading 96.6 / 92.9 / 98.4 (2026-12-07, header of the file)
    "dev36": (0.94, 0.95, 0.99),  # blind first reading 94.7 / 95.7 / 99.5 (2026-12-07, header of the file)
    "dev37": (0.955, 0.91, 0.99),  # blind first reading 95.8 / 91.3 / 99.5 (2026-12-07, header of the file)
    "dev38": (0.955, 0.97, 0.99),  # blind first reading 95.8 / 97.1 / 99.5 (2026-12-07, header of the file)
    "dev39": (0.945, 0.84, 0.99),  # blind first reading 94.7 / 84.3 / 99.3 (2026-12-07, header of the file)
    "dev40": (0.95, 0.91, 0.99),  # blind first reading 95.5 / 91.4 / 99.1 (2026-12-07, header of the file)
    "dev41": (0.945, 0.90, 0.99),  # blind first reading 94.8 / 90.0 / 99.5 (2026-12-08, header of the file)
    "dev42": (0.95, 0.88, 0.99),  # blind first reading 95.3 / 88.6 / 100 (2026-12-08, header of the file)
}


@pytest.fixture(scope="module")
def matcher():  # type: ignore[no-untyped-def]
    return load_knowledge(ROOT / "knowledge").matcher


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_dev_set_stays_above_its_floor(matcher, name):  # type: ignore[no-untyped-def]
    report = evaluate(matcher, read_labelled(ROOT / "tests" / "data" / f"{name}.yaml"))
    top1, rejection, precision = FLOORS[name]
    wrong = [(r.item.text, r.item.intent, r.predicted) for r in report.results if not r.correct]
    assert report.top1() >= top1, wrong
    assert report.rejection() >= rejection, wrong
    assert report.answered_precision() >= precision, wrong
