"""A light Indonesian stemmer, used only to match word forms the examples do not contain.

"pengajuan", "mengajukan", "diajukan" and "ngajuin" all reduce to "aju"; "pekerjaan" to "kerja". It
errs on the side of stripping too little: a wrong stem only costs a missed match, since the matcher
tries the exact word first and both sides of a comparison are stemmed the same way.
"""

from __future__ import annotations

from functools import lru_cache

__all__ = ["stem"]

_PARTICLES = ("lah", "kah", "tah", "pun")
_POSSESSIVES = ("nya", "ku", "mu")
_SUFFIXES = ("kan", "an", "in", "i")
_PREFIXES = (
    "meng",
    "meny",
    "mem",
    "men",
    "me",
    "peng",
    "peny",
    "pem",
    "pen",
    "pe",
    "ber",
    "be",
    "ter",
    "per",
    "di",
    "ke",
    "se",
    "ng",
    "ny",
)
MIN_STEM = 3


def _strip_suffix(word: str, suffixes: tuple[str, ...]) -> str:
    for suffix in suffixes:
        if word.endswith(suffix) and len(word) - len(suffix) >= MIN_STEM + 1:
            return word[: -len(suffix)]
    return word


def _strip_prefix(word: str) -> str:
    for prefix in _PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= MIN_STEM:
            return word[len(prefix) :]
    return word


@lru_cache(maxsize=131_072)
def stem(word: str) -> str:
    """Reduce an Indonesian word to a rough stem; words of 5 letters or fewer, and numbers, stay."""
    if len(word) <= 5 or not word.isalpha():
        return word
    word = _strip_suffix(word, _PARTICLES)
    word = _strip_suffix(word, _POSSESSIVES)
    word = _strip_suffix(word, _SUFFIXES)
    return _strip_prefix(word)
