"""Job alerts in the bot: the subscribers' table, its SQL, and the Telegram wiring (effects, digests)."""
