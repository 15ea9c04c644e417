"""Text normalisation: a pipeline of tiny ``str -> str`` steps, then tokens and lexicon expansion.

The same pipeline runs over knowledge examples and over what users type, so both sides meet in the
same vocabulary: ``"Gmn cr klaim JKP??? 🙏"`` and ``"bagaimana cara klaim jkp"`` end up equal once the
lexicon maps ``gmn`` and ``cr``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence

__all__ = [
    "DEFAULT_STEPS",
    "Lexicon",
    "Step",
    "collapse_spaces",
    "expand",
    "fold_unicode",
    "join_contractions",
    "lowercase",
    "normalise",
    "split_units",
    "squeeze_repeats",
    "undouble_words",
    "strip_symbols",
    "tokens",
    "tokens_many",
]

Step = Callable[[str], str]

_COMBINING = re.compile(r"[\u0300-\u036f]")
_APOSTROPHE = re.compile(r"(?<=\w)['\u2019`](?=\w)")
_NOT_WORD = re.compile(r"[^0-9a-z\s]+")
_REPEATS = re.compile(r"([a-z])\1{2,}")
_SPACES = re.compile(r"\s+")
_NUMBER_UNIT = re.compile(r"\b(\d+)([a-z]{1,4})\b")
_REDUPLICATED = re.compile(r"\b([a-z]{2,})2\b")
_ONE_LINE = re.compile(r"[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")


def fold_unicode(text: str) -> str:
    """Compatibility-fold (full-width letters, ligatures) and drop accents: 'Ｊｋｐ café' -> 'Jkp cafe'."""
    return _COMBINING.sub("", unicodedata.normalize("NFKD", text))


def lowercase(text: str) -> str:
    """Case-fold: 'JKP' -> 'jkp'."""
    return text.casefold()


def join_contractions(text: str) -> str:
    """Apostrophes inside words go, so contractions stay one word: "don't" -> 'dont', "i'm" -> 'im'."""
    return _APOSTROPHE.sub("", text)


def strip_symbols(text: str) -> str:
    """Punctuation, emoji and other symbols become spaces: 'di-PHK?!🙏' -> 'di phk'."""
    return _NOT_WORD.sub(" ", text)


def squeeze_repeats(text: str) -> str:
    """Letters stretched three times or more shrink to one: 'bangettt' -> 'banget', 'tolonggg' -> 'tolong'."""
    return _REPEATS.sub(r"\1", text)


def split_units(text: str) -> str:
    """A number glued to its unit comes apart, so the unit can be read: '7jt' -> '7 jt', '3bln' -> '3 bln'."""
    return _NUMBER_UNIT.sub(r"\1 \2", text)


def undouble_words(text: str) -> str:
    """Informal reduplication 'kata2' (for 'kata-kata') becomes the word: 'hak2' -> 'hak', 'hati2' -> 'hati'."""
    return _REDUPLICATED.sub(r"\1", text)


def collapse_spaces(text: str) -> str:
    """Runs of whitespace become one space, ends trimmed."""
    return _SPACES.sub(" ", text).strip()


DEFAULT_STEPS: tuple[Step, ...] = (
    fold_unicode,
    lowercase,
    join_contractions,
    strip_symbols,
    squeeze_repeats,
    split_units,
    undouble_words,
    collapse_spaces,
)


def normalise(text: str, *, steps: Sequence[Step] = DEFAULT_STEPS) -> str:
    """Run ``text`` through each step in order."""
    for step in steps:
        text = step(text)
    return text


def tokens(text: str, *, steps: Sequence[Step] = DEFAULT_STEPS) -> list[str]:
    """Normalised words of ``text``."""
    return normalise(text, steps=steps).split()


def tokens_many(texts: Sequence[str], *, steps: Sequence[Step] = DEFAULT_STEPS) -> list[list[str]]:
    """``tokens`` of many texts at once: each step runs once over all of them (much faster to index).

    The texts are joined line by line; ``collapse_spaces`` is skipped because ``split`` does its work
    and it would merge the lines.
    """
    blob = "\n".join(texts)
    if blob.count("\n") != len(texts) - 1:  # some text has line breaks of its own: make each one line
        blob = "\n".join(_ONE_LINE.sub(" ", text) for text in texts)
    for step in steps:
        if step is not collapse_spaces:
            blob = step(blob)
    lines = blob.split("\n")
    return [line.split() for line in lines] if texts else []


def expand(words: Iterable[str], lexicon: Mapping[str, str]) -> list[str]:
    """Replace slang, abbreviations and phrases by their standard words.

    ``['gmn', 'cr', 'klaim']`` -> ``['bagaimana', 'cara', 'klaim']``. A key of several words replaces
    the whole phrase, longest first: ``jaminan kehilangan pekerjaan`` -> ``jkp``.
    """
    return Lexicon(lexicon).expand(words)


class Lexicon:
    """A lexicon prepared for fast expansion: single words in a dict, phrases indexed by first word."""

    def __init__(self, mapping: Mapping[str, str]) -> None:
        self.words = {k: tuple(v.split()) for k, v in mapping.items() if " " not in k}
        phrases: dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]] = {}
        for key, value in mapping.items():
            parts = tuple(key.split())
            if len(parts) > 1:
                phrases.setdefault(parts[0], []).append((parts, tuple(value.split())))
        self.phrases = {first: sorted(found, key=lambda p: -len(p[0])) for first, found in phrases.items()}
        self._starts = frozenset(self.phrases)

    def expand(self, words: Iterable[str]) -> list[str]:
        items = list(words)
        if self._starts.isdisjoint(items):  # the common case: word by word
            return [out for word in items for out in self.words.get(word, (word,))]
        out: list[str] = []
        i = 0
        while i < len(items):
            word = items[i]
            for parts, replacement in self.phrases.get(word, ()):
                if tuple(items[i : i + len(parts)]) == parts:
                    out.extend(replacement)
                    i += len(parts)
                    break
            else:
                out.extend(self.words.get(word, (word,)))
                i += 1
        return out
