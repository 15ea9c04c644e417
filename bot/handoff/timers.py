"""One pass of the handoff timers, run every few seconds by the task ``Handoff.start`` creates.

Each due item is claimed in the database first (see ``HandoffService.due_*``), so with several
instances ticking every reminder still goes out once.
"""

from __future__ import annotations

from .rules import in_service, minutes
from .telegram import COUNSELLOR_LANG, Handoff


async def tick(h: Handoff) -> None:
    """SLA re-announcements (while someone is on duty), reply reminders, idle closes."""
    timers = h.config.timers
    # Overdue cases wait for someone on duty: claiming the reminder while nobody can read it would
    # use it up (a message left at night would never be re-announced in the morning).
    # On holidays and closures (the service calendar) the SLA clock waits for the next opening as well.
    open_now = in_service(h.service.clock(), h.config.hours)
    overdue = await h.service.due_sla(timers) if open_now and await h.counsellors_on_duty() else []
    for case in overdue:
        limit = timers.sla_urgent if case.urgent else timers.sla
        await h.announce(case, "sla_overdue", minutes=minutes(limit))
    for case in await h.service.due_reminders(timers):
        if case.counsellor_id is not None:
            await h.say(
                case.counsellor_id,
                h.text(
                    "reminder",
                    COUNSELLOR_LANG,
                    case=case.id,
                    name=case.first_name,
                    minutes=minutes(timers.reply_reminder),
                ),
            )
    for case in await h.service.due_idle(timers):
        await h.say(case.user_id, h.text("idle_closed_user", case.lang))
        if case.counsellor_id is not None:
            await h.say(case.counsellor_id, h.text("idle_closed_counsellor", COUNSELLOR_LANG, case=case.id))
