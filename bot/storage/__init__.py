"""Storage: SQLAlchemy models, migrations, and the only code that writes SQL.

``Database`` owns the engine; ``Repository`` implements the ``Store`` contract on it; ``MemoryStore``
is the in-memory twin for the console chat and tests.
"""

from bot.storage.base import KEEP, Line, StaleState, Store, TranscriptLine, TurnRecord, UserRecord
from bot.storage.db import Database, default_url, upgrade_url
from bot.storage.memory import MemoryStore
from bot.storage.repo import Repository

__all__ = [
    "KEEP",
    "Database",
    "Line",
    "MemoryStore",
    "Repository",
    "StaleState",
    "Store",
    "TranscriptLine",
    "TurnRecord",
    "UserRecord",
    "default_url",
    "upgrade_url",
]
