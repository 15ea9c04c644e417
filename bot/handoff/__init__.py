"""The counsellor handoff: a queue of cases in the database that counsellors work from Telegram.

``rules`` decides (pure: ordering, SLA, service hours, expected wait), ``service`` does it in SQL
(atomic claims, timers claimed with conditional updates), ``telegram`` wires it into the bot.
"""

__all__ = ["config", "models", "rules", "service"]
