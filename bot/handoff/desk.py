"""The counsellor desk's shared pieces: the case card with its notes, the readable transcript, the
honest wait sentence, the one opening message, and the message that made a crisis case.

Kept apart from ``counsellor.py`` and ``user.py`` (which call these) so the card and the queue's texts
have one home.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from .estimate import Estimate, estimate_wait
from .lines import readable
from .rules import next_opening
from .service import CaseRecord, NoteEntry
from .telegram import TRANSCRIPT_LINES, Handoff

__all__ = [
    "card_with_notes",
    "notes_block",
    "opening",
    "queue_text",
    "transcript_text",
    "triggering_message",
    "wait_sentence",
]

TRIGGER_SCAN = 6  # the crisis message is among the user's last few lines (their message, then the answer)


async def card_with_notes(h: Handoff, case: CaseRecord, lang: str) -> str:
    """The case card, followed by the private notes earlier counsellors left on it (if any)."""
    notes = await h.service.note_entries(case.id)
    card = h.card(case, lang)
    return f"{card}\n\n{notes_block(h, notes, lang)}" if notes else card


def notes_block(h: Handoff, notes: list[NoteEntry], lang: str) -> str:
    zone = ZoneInfo(h.config.hours.zone)
    lines = [
        h.text(
            "note_line",
            lang,
            name=n.author,
            when=n.created_at.astimezone(zone).strftime("%d/%m %H:%M"),
            text=n.text,
        )
        for n in notes
    ]
    return "\n".join([h.text("notes_head", lang, count=len(notes)), *lines])


async def transcript_text(h: Handoff, case: CaseRecord, lang: str) -> str:
    """The user's last lines with the bot (already masked), oldest first, button presses by label."""
    kb = h.rt.holder.dialogue.kb
    lines = await h.rt.store.transcript(case.user_id, TRANSCRIPT_LINES)
    body = [
        h.text(
            "line_in" if line.direction == "in" else "line_out",
            lang,
            text=readable(line.text, kb, h.config, lang),
        )
        for line in lines
    ]
    return "\n".join([h.text("transcript_head", lang), *(body or [h.text("transcript_empty", lang)])])


async def estimate(h: Handoff, case: CaseRecord) -> Estimate:
    """The wait still ahead of a waiting case (no number when nobody can pick it up now)."""
    on_duty = len(await h.counsellors_on_duty()) if await h.available() else 0
    waited = h.service.clock() - (case.queued_at or case.created_at)
    return estimate_wait(
        await h.service.position(case), waited, await h.service.pickups(), on_duty, h.config.timers
    )


def wait_sentence(h: Handoff, found: Estimate, lang: str) -> str:
    if found.late:
        return h.text("wait_late", lang)
    if found.minutes is None:
        return h.text("wait_unknown", lang)
    return h.text("wait_minutes", lang, minutes=found.minutes)


async def queue_text(h: Handoff, case: CaseRecord, key: str, lang: str) -> str:
    """``queued`` / ``already_waiting``: the position and the honest wait sentence."""
    found = await estimate(h, case)
    return h.text(key, lang, position=await h.service.position(case), wait=wait_sentence(h, found, lang))


def absence_text(h: Handoff, lang: str) -> str:
    """Why nobody can answer now: outside service hours (with the next opening), or nobody on duty."""
    now = h.service.clock()
    opening_at = next_opening(now, h.config.hours)
    if opening_at == now:
        return h.text("no_one_on_duty", lang)
    return h.text(
        "after_hours", lang, hours=h.config.hours_text(lang), opening=h.config.moment_text(opening_at, lang)
    )


async def opening(h: Handoff, lang: str) -> str:
    """The one message that starts a handoff: the truth about who can answer, then the topic question."""
    question = h.text("topic_question", lang)
    return question if await h.available() else f"{absence_text(h, lang)}\n\n{question}"


async def triggering_message(h: Handoff, user_id: int) -> str:
    """The user's latest typed message (masked, as stored): what made the bot open a crisis case."""
    for line in reversed(await h.rt.store.transcript(user_id, TRIGGER_SCAN)):
        if line.direction == "in" and not line.text.startswith(("/", "[")):
            return line.text
    return ""
