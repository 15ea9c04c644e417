"""Plugging the counsellor handoff into the Telegram application: the handlers, effects and timers.

The shared context (:class:`~bot.handoff.telegram.Handoff`) lives apart from this wiring, so the user
and counsellor handlers import the context and the wiring imports them — one direction, no cycle.
"""

from __future__ import annotations

from dataclasses import replace

from telegram.ext import Application

from bot.telegram.groups import COUNSELLOR
from bot.telegram.handlers import Runtime

from . import counsellor, timers, user
from .intake import IntakeFlow
from .telegram import Handoff


def extend(application: Application, rt: Runtime) -> None:  # type: ignore[type-arg]
    """Plug the handoff into the bot (listed in ``bot.telegram.app.EXTENSIONS``)."""
    handoff = rt.features.add(Handoff(rt, timers.tick))
    rt.effects["handoff"] = user.on_handoff
    rt.effects["handoff_button"] = user.on_button
    rt.effects["handoff_open"] = user.on_open
    rt.effects["handoff_relay"] = user.on_relay
    rt.effects["delete_user"] = user.on_delete
    application.add_handlers(counsellor.handlers(rt.settings.counsellor_ids), group=COUNSELLOR)
    dialogue = rt.holder.dialogue  # the intake flow (a reload keeps the services)
    dialogue.services = replace(
        dialogue.services,
        flows={**dialogue.services.flows, IntakeFlow.name: IntakeFlow(lambda: handoff.service.clock())},
    )
    rt.on_start.append(handoff.start)
    rt.on_stop.append(handoff.stop)
