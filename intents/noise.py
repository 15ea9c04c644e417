"""Messages that carry no question at all: gibberish, keyboard mash, a number alone, or no letters.

``xxxxx`` (5 or 5,000 of them), ``asdfghjkl`` and ``1`` used to borrow the score of whatever intent
shares a stray letter or digit with them; this guard runs before scoring so they never reach a band
above fallback. Pure string checks, no knowledge needed: a word counts as gibberish when it is

* one character or one short unit repeated (``xxxxx``, ``asdasdasd``, ``zzzzzz``) — four characters
  or more, so ``p`` and ``ok`` stay greetings and acknowledgements;
* a run of six or more consonants (``sdfghjkl`` in ``asdfghjkl``; Indonesian abbreviations such as
  ``bpjs`` or ``pkwtt`` have at most five);
* long (over 25 letters) with few different letters (``akakakakakakakak…``).

A message is noise when it has no letters or digits at all, when it is only numbers (``1``, ``20``),
when it is a sum and nothing else (``2+2 brp``, ``7 kali 8 berapa?``), or when every word is
gibberish. Laughter (``wkwk``, ``haha``) is left to the caller.
"""

from __future__ import annotations

import re

__all__ = ["is_arithmetic", "is_noise", "is_number_only", "is_gibberish_word"]

_REPEATED = re.compile(r"(.{1,3})\1+")
_CONSONANT_RUN = re.compile(r"[bcdfghjklmnpqrstvwxyz]{6,}")
_WORD = re.compile(r"[^\W_]+")
_LAUGHS = re.compile(r"(wk|ha|he|hi|xi|ak|kw)+[a-z]?")
_SUM_PART = re.compile(r"\d+(?:[.,]\d+)?|[-+*/×:^=?]|[^\W\d_]+")
_OPERATORS = frozenset(
    "+ - * / × : ^ x kali dikali tambah ditambah kurang dikurangi bagi dibagi pangkat plus minus times divided".split()
)
_ASKING = frozenset("= ? berapa brp hasilnya jadi sama dengan by equals is what whats".split())
MAX_SUM_CHARS = 200
MIN_REPEAT_CHARS = 4
LONG_WORD = 25
LONG_WORD_LETTERS = 6


def is_gibberish_word(word: str) -> bool:
    """A word no language writes: one unit repeated, a consonant run, or a long string of few letters."""
    word = word.lower()
    if word.isdigit() or _LAUGHS.fullmatch(word):
        return False
    if len(word) >= MIN_REPEAT_CHARS and _REPEATED.fullmatch(word):
        return True
    if _CONSONANT_RUN.search(word):
        return True
    return len(word) > LONG_WORD and len(set(word)) < LONG_WORD_LETTERS


def is_number_only(text: str) -> bool:
    """'1', '20', '3 4': numbers and nothing else (a menu choice typed instead of pressed)."""
    words = _WORD.findall(text)
    return bool(words) and all(w.isdigit() for w in words)


def is_arithmetic(text: str) -> bool:
    """A sum to work out and nothing else: '2+2 brp', '25 x 48 = ?', '7 kali 8 berapa', 'what is 3*4'."""
    if len(text) > MAX_SUM_CHARS:
        return False
    parts = _SUM_PART.findall(text.casefold())
    if _SUM_PART.sub("", text.casefold()).strip(" \t\n?!."):
        return False  # something else in it: '5jt x 60%', a question
    numbers = sum(p[0].isdigit() for p in parts)
    operators = sum(p in _OPERATORS for p in parts)
    known = all(p[0].isdigit() or p in _OPERATORS or p in _ASKING for p in parts)
    return known and numbers >= 2 and operators >= 1


def is_noise(text: str) -> bool:
    """No letters or digits, only numbers, a sum, or only gibberish words."""
    words = _WORD.findall(text)
    if not words or is_arithmetic(text):
        return True
    return all(w.isdigit() for w in words) or all(is_gibberish_word(w) for w in words if not w.isdigit())
