"""``knowledge/handoff.yaml``: service hours, timers, topics and every handoff sentence (id and en).

Registered with the knowledge loader as section ``handoff``, so ``python -m bot check`` validates it
(every text key the code uses must exist in both languages, with the same placeholders).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays

from bot.knowledge.model import Texts
from bot.knowledge.parse import Collector, parse_texts
from bot.knowledge.yamlio import YDict, YList

from .rules import DAYS, Hours, Timers, days_from_names

__all__ = ["SECTION", "HandoffConfig", "parse_handoff"]

SECTION = "handoff"
PATH = "handoff.yaml"

REQUIRED: frozenset[str] = (
    frozenset(
        """
topic_question description_question btn_skip btn_cancel queued queued_urgent after_hours no_one_on_duty
left_message already_waiting already_assigned cancelled not_active assigned_user relay_to_user
media_from_counsellor closed_user ended_by_user rate_question rated idle_closed_user returned_user transferred_user
not_authorised duty_on duty_off card urgent_mark no_description btn_take new_case sla_overdue reminder
idle_closed_counsellor taken taken_by_other case_gone transcript_head line_in line_out transcript_empty
queue_head queue_item queue_empty cases_head case_item cases_empty switched no_current_case note_saved
note_usage returned_counsellor transferred_counsellor transfer_unknown transfer_to_you closed_counsellor
relay_to_counsellor media_from_user user_cancelled user_deleted
day_names answered_none queued_urgent_absent escalated_user escalated_case returned_case crisis_flag
not_delivered cases_head_none transfer_now_current transfer_not_current
""".split()
    )
    | frozenset(
        """
wait_minutes wait_late wait_unknown queued_urgent_notified notes_head note_line line_button staff_no_case
escalated_case_said
""".split()
    )
    | frozenset(
        """
card_deadline card_deadline_passed queue_why_crisis queue_why_deadline
""".split()
    )
)  # desk (issue 14), journey (issue 10)

NATIONAL_HOLIDAYS = "ID"  # Indonesia's national holidays from the `holidays` package
HOLIDAY_YEARS = range(2024, 2032)  # the years the service calendar knows

TIMER_FIELDS = {
    "sla_minutes": ("sla", 60),
    "sla_urgent_minutes": ("sla_urgent", 60),
    "reply_reminder_minutes": ("reply_reminder", 60),
    "idle_close_hours": ("idle_close", 3600),
    "default_wait_minutes": ("default_wait", 60),
}


@dataclass(frozen=True)
class HandoffConfig:
    """The parsed file: hours, timers, topic labels by key, texts by key."""

    hours: Hours = field(default_factory=Hours)
    timers: Timers = field(default_factory=Timers)
    topics: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    texts: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    def text(self, key: str, lang: str, /, **values: object) -> str:
        """The text ``key`` in ``lang`` (Indonesian when missing), placeholders filled in."""
        return Texts(self.texts).get(key, lang, **values)

    def topic(self, key: str, lang: str) -> str:
        """A topic's label; the key itself for a topic no longer in the file."""
        return Texts(self.topics).get(key, lang)

    def hours_text(self, lang: str) -> str:
        """The service hours as users read them, from ``hours:`` (e.g. "Senin–Jumat 08.00–16.00 WIB")."""
        names = self._day_names(lang)
        days = sorted(self.hours.days)
        if days and days == list(range(days[0], days[-1] + 1)) and len(days) > 2:
            day_text = f"{names[days[0]]}–{names[days[-1]]}"
        else:
            day_text = ", ".join(names[d] for d in days)
        zone = self._zone_name()
        return f"{day_text} {self._clock(self.hours.start, lang)}–{self._clock(self.hours.end, lang)} {zone}"

    def moment_text(self, moment: datetime, lang: str) -> str:
        """A moment in the service time zone, e.g. "Senin 06/01/2025 08.00 WIB"."""
        local = moment.astimezone(ZoneInfo(self.hours.zone))
        day = self._day_names(lang)[local.weekday()]
        return f"{day} {local:%d/%m/%Y} {self._clock(local.time(), lang)} {self._zone_name()}"

    def _day_names(self, lang: str) -> list[str]:
        names = [n.strip() for n in self.text("day_names", lang).split(",")]
        return names if len(names) == 7 else list(DAYS)

    def _clock(self, moment: time, lang: str) -> str:
        return moment.strftime("%H.%M" if lang == "id" else "%H:%M")

    def _zone_name(self) -> str:
        return datetime(2025, 1, 1, 12, tzinfo=ZoneInfo(self.hours.zone)).tzname() or self.hours.zone


def parse_handoff(data: Any, out: Collector, root: Path) -> HandoffConfig:
    """Parser for knowledge/handoff.yaml."""
    if not isinstance(data, YDict):
        out.at(data, None, "handoff.yaml must be a mapping with hours, timers, topics and texts")
        return HandoffConfig()
    for key in sorted(data.keys() - {"hours", "timers", "topics", "texts"}):
        out.at(data, key, f"handoff.yaml: unknown field {key!r}")
    return HandoffConfig(
        _hours(data.get("hours"), data, out),
        _timers(data.get("timers"), data, out),
        _bilinguals(data, "topics", out, frozenset()),
        _bilinguals(data, "texts", out, REQUIRED),
    )


def _hours(node: Any, parent: YDict, out: Collector) -> Hours:
    if not isinstance(node, YDict):
        out.at(
            parent,
            "hours",
            "handoff.yaml: 'hours' must be a mapping (days, start, end, timezone, holidays, "
            "national_holidays)",
        )
        return Hours()
    days = node.get("days")
    if days is None:
        days = list(DAYS[:5])
    elif not isinstance(days, YList) or any(d not in DAYS for d in days):
        out.at(node, "days", f"hours.days must list day names from {list(DAYS)}")
        days = list(DAYS[:5])
    start, end = _clock(node, "start", "08:00", out), _clock(node, "end", "16:00", out)
    if start >= end:
        out.at(node, "end", "hours.end must be later than hours.start")
    zone = str(node.get("timezone", "Asia/Jakarta"))
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        out.at(node, "timezone", f"hours.timezone {zone!r} is not a known time zone (e.g. Asia/Jakarta)")
        zone = "Asia/Jakarta"
    return Hours(days_from_names(days), start, end, zone, _holidays(node, out))


def _clock(node: YDict, key: str, default: str, out: Collector) -> time:
    value = str(node.get(key, default))
    try:
        return time.fromisoformat(value)
    except ValueError:
        out.at(node, key, f"hours.{key} must be a time like 08:00, got {value!r}")
        return time.fromisoformat(default)


def _holidays(node: YDict, out: Collector) -> frozenset[date]:
    """National holidays (``national_holidays``: a country code for the ``holidays`` package, default ID;
    false: none) plus the admins' ``holidays``: dates, or ``{from, to, note}`` ranges (cuti bersama, local
    closures)."""
    found = set(_national(node, out))
    value = node.get("holidays", [])
    if not isinstance(value, YList):
        out.at(node, "holidays", "hours.holidays must be a list of dates like 2025-12-25")
        return frozenset(found)
    for i, item in enumerate(value):
        if isinstance(item, YDict):
            found |= _closure(item, i, out)
            continue
        try:
            found.add(item if isinstance(item, date) else date.fromisoformat(str(item)))
        except ValueError:
            out.at(
                value, i, f"hours.holidays item {i + 1} must be a date like 2025-12-25 or {{from, to, note}}"
            )
    return frozenset(found)


def _national(node: YDict, out: Collector) -> set[date]:
    country = node.get("national_holidays", NATIONAL_HOLIDAYS)
    if country is False or country is None:
        return set()
    try:
        return set(holidays.country_holidays(str(country), years=HOLIDAY_YEARS))
    except NotImplementedError:
        out.at(
            node,
            "national_holidays",
            f"hours.national_holidays: {country!r} is not a country the holidays "
            "package knows (use ID, or false for none)",
        )
        return set()


def _closure(item: YDict, index: int, out: Collector) -> set[date]:
    """``{from: 2026-03-18, to: 2026-03-24, note: cuti bersama}`` -> every day from ``from`` to ``to``."""
    where = f"hours.holidays item {index + 1}"
    for key in sorted(item.keys() - {"from", "to", "note"}):
        out.at(item, key, f"{where}: unknown field {key!r} (use from, to, note)")
    start, end = item.get("from"), item.get("to", item.get("from"))
    if not isinstance(start, date) or not isinstance(end, date):
        out.at(
            item,
            "from" if not isinstance(start, date) else "to",
            f"{where}: 'from' and 'to' must be dates like 2026-03-18",
        )
        return set()
    if end < start:
        out.at(item, "to", f"{where}: 'to' is before 'from'")
        return set()
    return {start + timedelta(days=n) for n in range((end - start).days + 1)}


def _timers(node: Any, parent: YDict, out: Collector) -> Timers:
    if not isinstance(node, YDict):
        out.at(parent, "timers", "handoff.yaml: 'timers' must be a mapping")
        return Timers()
    values: dict[str, Any] = {}
    for key, (name, seconds) in TIMER_FIELDS.items():
        number = node.get(key)
        if isinstance(number, bool) or not isinstance(number, int | float) or number <= 0:
            out.at(node, key, f"timers.{key} must be a positive number")
        else:
            values[name] = timedelta(seconds=number * seconds)
    tick = node.get("tick_seconds", 5)
    if isinstance(tick, bool) or not isinstance(tick, int | float) or tick <= 0:
        out.at(node, "tick_seconds", "timers.tick_seconds must be a positive number")
    else:
        values["tick_seconds"] = float(tick)
    return Timers(**values)


def _bilinguals(
    data: YDict, key: str, out: Collector, required: frozenset[str]
) -> Mapping[str, Mapping[str, str]]:
    """``topics:`` or ``texts:`` of handoff.yaml, checked by the shared bilingual-text rules."""
    if not isinstance(data.get(key), YDict):
        out.at(data, key, f"handoff.yaml: '{key}' must map keys to {{id: ..., en: ...}}")
        return {}
    return parse_texts(data[key], out, required=required, what=f"handoff {key[:-1]}")
