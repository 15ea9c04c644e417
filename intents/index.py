"""The index behind :class:`intents.Matcher`: per-word postings, topic words and word forms, built with
numpy in one pass over all examples (no Python loop per intent, so 10,000 intents load in about a second)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

import numpy as np
from numpy.typing import NDArray

from .language import FILLER_WORDS
from .stem import stem

__all__ = ["Posting", "TopicKnobs", "affix_variants", "postings", "stem_index", "topic_words"]

_SUFFIXES = ("nya", "kah", "lah", "ku", "mu")
# nge-/nga-: Betawi, Javanese and Sundanese verbs ("ngeklaim", "ngaklaim")
_PREFIXES = ("di", "ke", "se", "nge", "nga")


class TopicKnobs(Protocol):
    """The tuning values :func:`topic_words` reads (``intents.Tuning`` has them)."""

    @property
    def topic_share(self) -> float: ...

    @property
    def topic_spread(self) -> float: ...

    @property
    def topic_spread_full(self) -> float: ...

    @property
    def topic_penalty(self) -> float: ...

    @property
    def oos_topic_examples(self) -> int: ...

    @property
    def oos_topic_ratio(self) -> float: ...

    @property
    def oos_topic_penalty(self) -> float: ...


@dataclass
class Posting:
    examples: NDArray[np.int64]
    intents: NDArray[np.int64]
    typicality: NDArray[np.float64]


def postings(
    flat_words: NDArray[np.int64],
    flat_examples: NDArray[np.int64],
    owners: NDArray[np.int64],
    n_words: int,
    n_intents: int,
) -> list[Posting]:
    """Per word: the examples holding it, and per intent the share of its examples that do (scaled so
    the intent where the word is most typical gets 1). Vectorised: one sort instead of a loop per word."""
    order = np.lexsort((flat_examples, flat_words))
    words, exs = flat_words[order], flat_examples[order]
    bounds = np.concatenate(([0], np.cumsum(np.bincount(words, minlength=n_words))))
    pairs, pair_counts = np.unique(words * n_intents + owners[exs], return_counts=True)
    pair_words, pair_intents = np.divmod(pairs, n_intents)
    sizes = np.bincount(owners, minlength=n_intents).astype(np.float64)
    share = pair_counts / np.maximum(sizes[pair_intents], 1.0)
    pair_bounds = np.concatenate(([0], np.cumsum(np.bincount(pair_words, minlength=n_words))))
    best = np.zeros(n_words)
    np.maximum.at(best, pair_words, share)
    share = share / np.maximum(best[pair_words], 1e-12)
    return [
        Posting(
            exs[bounds[w] : bounds[w + 1]],
            pair_intents[pair_bounds[w] : pair_bounds[w + 1]],
            share[pair_bounds[w] : pair_bounds[w + 1]],
        )
        for w in range(n_words)
    ]


def topic_words(
    flat_words: NDArray[np.int64],
    flat_examples: NDArray[np.int64],
    owners: NDArray[np.int64],
    vocab_list: Sequence[str],
    n_intents: int,
    knobs: TopicKnobs,
    *,
    has_negatives: bool,
) -> dict[int, float]:
    """Words that name a topic: used by many of one intent's examples but by few intents ('jht',
    'prakerja'), or used mostly by the out-of-scope examples ('kesehatan', 'paspor')."""
    n_words = len(vocab_list)
    real = n_intents - 1 if has_negatives else n_intents
    pairs, counts = np.unique(flat_words * n_intents + owners[flat_examples], return_counts=True)
    words, intents = np.divmod(pairs, n_intents)
    inside = intents < real
    sizes = np.maximum(np.bincount(owners, minlength=n_intents), 1).astype(np.float64)
    share = np.zeros(n_words)
    np.maximum.at(share, words[inside], counts[inside] / sizes[intents[inside]])
    spread = np.bincount(words[inside], minlength=n_words) / max(real, 1)
    plain = np.fromiter(
        (w not in FILLER_WORDS and not w.isdigit() for w in vocab_list), dtype=bool, count=n_words
    )
    # the penalty fades from full (used by at most ``topic_spread_full`` of the intents) to none (at
    # ``topic_spread``), so one more intent using 'jkp' moves the scores a little, not off a cliff
    fade = max(knobs.topic_spread - knobs.topic_spread_full, 1e-9)
    strength = np.clip((knobs.topic_spread - spread) / fade, 0.0, 1.0)
    topic = (share >= knobs.topic_share) & (strength > 0) & plain
    found = {int(w): knobs.topic_penalty * float(strength[w]) for w in np.flatnonzero(topic)}
    if has_negatives:
        outside = np.bincount(words[~inside], weights=counts[~inside], minlength=n_words)
        used = np.bincount(words[inside], weights=counts[inside], minlength=n_words)
        negative = (outside >= knobs.oos_topic_examples) & (outside >= knobs.oos_topic_ratio * used) & plain
        found.update(dict.fromkeys(np.flatnonzero(negative).tolist(), knobs.oos_topic_penalty))
    return found


def stem_index(vocab_list: Sequence[str]) -> dict[str, list[int]]:
    stems: dict[str, list[int]] = defaultdict(list)
    for wid, word in enumerate(vocab_list):
        stems[stem(word)].append(wid)
    return dict(stems)


@lru_cache(maxsize=65_536)
def affix_variants(word: str) -> tuple[str, ...]:
    """Forms of ``word`` without Indonesian particles and clitics: 'klaimnya' -> 'klaim', 'diphk' -> 'phk'."""
    out: list[str] = []
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            out.append(word[: -len(suffix)])
    for prefix in _PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 3:
            out.append(word[len(prefix) :])
    return tuple(out)
