"""Pandu's intent matching library: normalise text, index example phrasings, match a message.

Pure and synchronous: no Telegram, no SQL, no I/O.
"""

from .language import detect_language
from .matcher import Candidate, Confidence, Match, Matcher, Thresholds, Tuning
from .normalise import expand, normalise, tokens

__all__ = [
    "Candidate",
    "Confidence",
    "Match",
    "Matcher",
    "Thresholds",
    "Tuning",
    "detect_language",
    "expand",
    "normalise",
    "tokens",
]
