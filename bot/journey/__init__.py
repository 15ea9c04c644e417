"""The claimant's journey in the bot: saved timelines (/jadwal), reminders (/pengingat), their table."""
