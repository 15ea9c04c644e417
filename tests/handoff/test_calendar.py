"""The service calendar: Indonesia's national holidays (holidays package) plus the admins' closures."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from bot.handoff.config import parse_handoff
from bot.handoff.rules import in_service, next_opening
from bot.knowledge.parse import Collector
from bot.knowledge.yamlio import load_yaml

KNOWLEDGE = Path(__file__).resolve().parents[2] / "knowledge"


def parse(path: Path) -> tuple[object, list[str]]:
    data, problems = load_yaml(path, label=path.name)
    out = Collector(path.name)
    config = parse_handoff(data, out, path.parent)
    return config, [f"{p.file}:{p.line}: {p.message}" for p in problems + out.problems]


def with_hours(tmp_path: Path, hours: str) -> Path:
    text = (KNOWLEDGE / "handoff.yaml").read_text(encoding="utf-8")
    start, end = text.index("hours:"), text.index("timers:")
    path = tmp_path / "handoff.yaml"
    path.write_text(text[:start] + hours + "\n" + text[end:], encoding="utf-8")
    return path


def test_national_holidays_come_from_the_holidays_package() -> None:
    config, problems = parse(KNOWLEDGE / "handoff.yaml")
    assert problems == []
    days = config.hours.holidays  # type: ignore[attr-defined]
    assert {date(2026, 8, 17), date(2026, 3, 21), date(2026, 12, 25), date(2027, 1, 1)} <= days
    assert date(2026, 8, 18) not in days


def test_the_next_opening_skips_holidays_and_closures(tmp_path: Path) -> None:
    path = with_hours(
        tmp_path,
        'hours:\n  days: [mon, tue, wed, thu, fri]\n  start: "08:00"\n  end: "16:00"\n'
        "  timezone: Asia/Jakarta\n  holidays:\n    - {from: 2026-08-18, to: 2026-08-19, "
        'note: "cuti bersama"}\n',
    )
    config, problems = parse(path)
    assert problems == []
    hours = config.hours  # type: ignore[attr-defined]
    monday = datetime(2026, 8, 17, 2, tzinfo=UTC)  # 09:00 WIB on Independence Day
    assert not in_service(monday, hours)
    assert next_opening(monday, hours) == datetime(2026, 8, 20, 1, tzinfo=UTC)  # Thursday 08:00 WIB


def test_national_holidays_can_be_switched_off(tmp_path: Path) -> None:
    path = with_hours(tmp_path, "hours:\n  national_holidays: false\n  holidays: []\n")
    config, _ = parse(path)
    assert config.hours.holidays == frozenset()  # type: ignore[attr-defined]


def test_bad_closures_name_file_and_line(tmp_path: Path) -> None:
    path = with_hours(
        tmp_path,
        "hours:\n  national_holidays: XX\n  holidays:\n    - {from: 2026-08-19, to: 2026-08-18}\n"
        "    - {from: besok}\n    - tomorrow\n",
    )
    _, problems = parse(path)
    assert problems == [
        "handoff.yaml:5: hours.national_holidays: 'XX' is not a country the holidays package knows (use ID, or false for none)",
        "handoff.yaml:7: hours.holidays item 1: 'to' is before 'from'",
        "handoff.yaml:8: hours.holidays item 2: 'from' and 'to' must be dates like 2026-03-18",
        "handoff.yaml:9: hours.holidays item 3 must be a date like 2025-12-25 or {from, to, note}",
    ]
