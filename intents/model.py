"""A small supervised model over the knowledge examples: char n-gram TF-IDF and a ridge classifier.

Numpy only, trained in closed form when the knowledge is loaded (issue 12). Features are the character
2-4-grams of each word padded with spaces (scikit-learn's ``char_wb``), sublinear term frequency, smoothed
idf, rows scaled to unit length. The classifier is one-vs-rest ridge regression solved in the dual,
``A = (X Xᵀ + λ I)⁻¹ Y``, kept as the primal weights ``W = Xᵀ A`` (n-grams x classes), so a query costs
one small gather and a dot product. The dual has one row per example: above ``max_rows`` examples (the
10,000-intent synthetic knowledge) training is skipped and :meth:`Model.train` returns None.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

__all__ = ["Model", "char_grams"]

MAX_ROWS = 2500  # rows x rows dual system: 2,500 rows ~2.8 s, 228 MiB under load; shipped 1,906
SIZES = (2, 3, 4)
WORD_CACHE = 50_000  # words whose known n-gram ids are kept (the examples' words are there from the start)


def char_grams(text: str, *, sizes: tuple[int, ...] = SIZES) -> Counter[str]:
    """Counts of the character n-grams of each space-padded word of ``text``."""
    found: Counter[str] = Counter()
    for word in text.split():
        padded = f" {word} "
        for n in sizes:
            found.update(padded[k : k + n] for k in range(len(padded) - n + 1))
    return found


@dataclass(frozen=True)
class Model:
    """Per-class scores (about 0-1; the least-squares fit of a one-hot target) for a normalised text."""

    classes: tuple[str, ...]
    _grams: dict[str, int]
    _idf: NDArray[np.float64]
    _weights: NDArray[np.float64]  # n-grams x classes
    _word_ids: dict[str, NDArray[np.intp]] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def train(
        cls,
        examples: Mapping[str, Sequence[str]],
        *,
        ridge: float = 1.0,
        max_rows: int = MAX_ROWS,
    ) -> Model | None:
        """Fit on ``{class: [normalised text, ...]}``; None when there is nothing to learn or too much."""
        classes = tuple(c for c, texts in examples.items() if texts)
        n_rows = sum(len(examples[c]) for c in classes)
        if len(classes) < 2 or not n_rows or n_rows > max_rows:
            return None  # counted before any n-gram is computed: at 10,000 intents that alone took ~4 s
        rows = [char_grams(text) for c in classes for text in examples[c]]
        labels = np.repeat(np.arange(len(classes)), [len(examples[c]) for c in classes])
        grams: dict[str, int] = {}
        for row in rows:
            for gram in row:
                grams.setdefault(gram, len(grams))
        doc_freq = np.zeros(len(grams))
        for row in rows:
            doc_freq[[grams[g] for g in row]] += 1.0
        idf = np.log((1.0 + len(rows)) / (1.0 + doc_freq)) + 1.0
        features = np.zeros((len(rows), len(grams)), dtype=np.float32)
        for i, row in enumerate(rows):
            ids = [grams[g] for g in row]
            values = (1.0 + np.log(np.fromiter(row.values(), float, len(row)))) * idf[ids]
            features[i, ids] = values / max(float(np.linalg.norm(values)), 1e-12)
        target = np.zeros((len(rows), len(classes)))
        target[np.arange(len(rows)), labels] = 1.0
        kernel = (features @ features.T).astype(np.float64)
        kernel[np.diag_indices_from(kernel)] += ridge
        dual = np.linalg.solve(kernel, target)
        weights = (features.T @ dual.astype(np.float32)).astype(np.float64)
        model = cls(classes, grams, idf, weights)
        for text in (text for c in classes for text in examples[c]):
            for word in text.split():
                model._grams_of(word)
        return model

    def _grams_of(self, word: str) -> NDArray[np.intp]:
        """The ids of the known n-grams of one word, with repeats (cached: a query's words mostly recur)."""
        ids = self._word_ids.get(word)
        if ids is None:
            padded, grams = f" {word} ", self._grams
            found = (grams.get(padded[k : k + n]) for n in SIZES for k in range(len(padded) - n + 1))
            ids = np.array([i for i in found if i is not None], dtype=np.intp)
            if len(self._word_ids) < WORD_CACHE:
                self._word_ids[word] = ids
        return ids

    def scores(self, text: str) -> NDArray[np.float64]:
        """One score per class (same order as ``classes``); zeros when no n-gram of ``text`` is known."""
        words = text.split()
        found = np.concatenate([self._grams_of(word) for word in words]) if words else ()
        if not len(found):
            return np.zeros(len(self.classes))
        ids, counts = np.unique(found, return_counts=True)
        values = (1.0 + np.log(counts)) * self._idf[ids]
        values /= max(float(np.linalg.norm(values)), 1e-12)
        result: NDArray[np.float64] = values @ self._weights[ids]
        return result
