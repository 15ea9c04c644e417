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
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

__all__ = ["Model", "char_grams"]

MAX_ROWS = 2500  # rows x rows dual system: 2,500 rows ~2.8 s, 228 MiB under load; shipped 1,906


def char_grams(text: str, *, sizes: tuple[int, ...] = (2, 3, 4)) -> Counter[str]:
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
        return cls(classes, grams, idf, weights)

    def scores(self, text: str) -> NDArray[np.float64]:
        """One score per class (same order as ``classes``); zeros when no n-gram of ``text`` is known."""
        found = [(self._grams[g], n) for g, n in char_grams(text).items() if g in self._grams]
        if not found:
            return np.zeros(len(self.classes))
        ids = [i for i, _ in found]
        values = (1.0 + np.log(np.array([n for _, n in found], dtype=float))) * self._idf[ids]
        values /= max(float(np.linalg.norm(values)), 1e-12)
        result: NDArray[np.float64] = values @ self._weights[ids]
        return result
