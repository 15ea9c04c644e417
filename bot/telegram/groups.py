"""The handler groups, in the order PTB runs them for every update (lower first).

A handler that answered raises ``ApplicationHandlerStop`` (``handlers.handled``): the later groups do not
see the update. In one group only the first matching handler runs.
"""

from __future__ import annotations

__all__ = ["ADMIN", "COUNSELLOR", "DEDUPE", "DIALOGUE", "FEATURES"]

DEDUPE = -1  # an update already processed goes no further
ADMIN = 0  # admins' commands and knowledge uploads; the refusals for everyone else
COUNSELLOR = 1  # counsellors' commands, buttons and replies to their case's user
FEATURES = 2  # the journey's /jadwal, /pengingat and j: buttons
DIALOGUE = 3  # the job seeker's dialogue: everything nobody took before
