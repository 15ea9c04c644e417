"""Matcher generalisation, side by side on every labelled set in one run (issue 12).

    pip install -e '.[bench]'            # scikit-learn, for the supervised model
    python benchmarks/compare.py         # from the repository root; about a minute

Methods, all given the same knowledge (examples, lexicon, out-of-scope examples):

* **current** — ``intents.Matcher``'s fuzzy scorer alone (``Tuning(model_weight=0)``): ``match(text).intent``
  (None on fallback). The LR and centroid rows below re-rank this one.
* **current + numpy model (shipped)** — ``intents.Matcher`` as shipped: the fuzzy scores blended with the
  numpy char n-gram ridge model of ``intents/model.py`` (``Tuning.model_weight``), bands unchanged.
* **LR** — a supervised model trained at load time on the knowledge examples: TF-IDF over character
  2-4-grams (``char_wb``, sublinear tf) of the matcher's normalised words (so the lexicon applies),
  multinomial logistic regression (C=10) with the out-of-scope examples as one more class. Rejects when
  that class wins or the best probability is under ``t``.
* **current + LR re-rank** — the current matcher decides answer/clarify/fallback (so out-of-scope
  rejection is unchanged); the intent is the best of ``a * current score + (1 - a) * 100 * P(intent)``.
* **... + LR out-of-scope vote** — as the re-rank, and also a fallback when LR gives the out-of-scope
  class a probability of at least ``P``.
* **current + centroid re-rank** — as the LR re-rank with a model that needs no training loop (and so
  scales to 10,000 intents): per intent the mean TF-IDF vector of its examples; cosine similarity.

The free parameters (``t``, ``a``) are picked on dev..dev7 (each set's sum of top-1 and rejection),
never on dev8 and later sets (``FIRST_HELD_OUT``; their first readings were blind); those are the held-out columns.
The shipped ``model_weight`` was picked the same way (see README). Latency: per query over all
labelled texts, wall clock, after a warm-up; the re-rank pays for both models.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import dataclasses  # noqa: E402

import numpy as np  # noqa: E402
from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402

from bot.cli.evaluate import Labelled, read_dev_sets, set_order  # noqa: E402
from bot.sections import load_knowledge  # noqa: E402
from intents import Confidence, Matcher  # noqa: E402

NULL = "\x00null"
FIRST_HELD_OUT = 8  # dev8 and every later set were read blind first: never used to pick a parameter
Predict = Callable[[str], "str | None"]


def held_out(name: str) -> bool:
    """dev8, dev9, ...: a set read blind first, never used to pick a parameter."""
    return set_order(Path(name)) >= FIRST_HELD_OUT


class Supervised:
    """Char n-gram TF-IDF + logistic regression over the matcher's normalised words."""

    def __init__(
        self, matcher: Matcher, examples: dict[str, Sequence[str]], negatives: Sequence[str]
    ) -> None:
        self.matcher = matcher
        texts, labels = [], []
        for intent, phrasings in examples.items():
            texts += [self.norm(p) for p in phrasings]
            labels += [intent] * len(phrasings)
        texts += [self.norm(n) for n in negatives]
        labels += [NULL] * len(negatives)
        start = time.perf_counter()
        self.vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True)
        features = self.vectorizer.fit_transform(texts)
        self.model = LogisticRegression(C=10.0, max_iter=1000).fit(features, labels)
        self.train_seconds = time.perf_counter() - start
        self.classes = list(self.model.classes_)
        self.column = {c: i for i, c in enumerate(self.classes)}

    def norm(self, text: str) -> str:
        return " ".join(self.matcher.words(text[:500])[0])

    def proba(self, text: str) -> np.ndarray:
        return self.model.predict_proba(self.vectorizer.transform([self.norm(text)]))[0]

    def predict(self, text: str, threshold: float) -> str | None:
        p = self.proba(text)
        best = int(np.argmax(p))
        return None if self.classes[best] == NULL or p[best] < threshold else self.classes[best]


class Centroid:
    """Char n-gram TF-IDF, one centroid per intent (mean of its examples' unit vectors): trains in one pass."""

    def __init__(self, matcher: Matcher, examples: dict[str, Sequence[str]]) -> None:
        self.matcher = matcher
        start = time.perf_counter()
        texts = [" ".join(matcher.words(p)[0]) for phrasings in examples.values() for p in phrasings]
        self.vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True)
        features = self.vectorizer.fit_transform(texts)
        sizes = [len(p) for p in examples.values()]
        owners = np.repeat(np.arange(len(sizes)), sizes)
        rows = [np.asarray(features[owners == k].mean(axis=0)).ravel() for k in range(len(sizes))]
        centroids = np.vstack(rows)
        self.centroids = centroids / np.maximum(np.linalg.norm(centroids, axis=1, keepdims=True), 1e-12)
        self.classes = list(examples)
        self.column = {c: i for i, c in enumerate(self.classes)}
        self.train_seconds = time.perf_counter() - start

    def proba(self, text: str) -> np.ndarray:
        vector = self.vectorizer.transform([" ".join(self.matcher.words(text[:500])[0])])
        return np.asarray(vector @ self.centroids.T).ravel()


def rerank(
    matcher: Matcher, lr: Supervised | Centroid, text: str, a: float, *, veto: float | None = None
) -> str | None:
    found = matcher.match(text[:500])
    if found.confidence is Confidence.FALLBACK:
        return None
    words, _ = matcher.words(text[:500])
    current = matcher.scores(words)
    p = lr.proba(text)
    if veto is not None and NULL in lr.column and p[lr.column[NULL]] >= veto:
        return None
    best, best_score = None, -1.0
    for i, intent in enumerate(matcher.intent_ids):
        column = lr.column.get(intent)
        if column is None:
            continue
        score = a * current[i] + (1 - a) * 100.0 * p[column]
        if score > best_score:
            best, best_score = intent, score
    return best


def figures(predict: Predict, items: list[Labelled]) -> tuple[float, float]:
    scope = [i for i in items if i.intent is not None]
    oos = [i for i in items if i.intent is None]
    top1 = sum(predict(i.text) == i.intent for i in scope) / max(len(scope), 1)
    rejection = sum(predict(i.text) is None for i in oos) / max(len(oos), 1)
    return top1, rejection


def latency(predict: Predict, texts: list[str]) -> tuple[float, float]:
    for text in texts[:30]:
        predict(text)
    times = []
    for text in texts:
        start = time.perf_counter_ns()
        predict(text)
        times.append((time.perf_counter_ns() - start) / 1e6)
    return float(np.percentile(times, 50)), float(np.percentile(times, 99))


def pick(make: Callable[[float], Predict], values: Sequence[float], sets: dict[str, list[Labelled]]) -> float:
    tuning = [items for name, items in sets.items() if not held_out(name)]
    return max(values, key=lambda v: sum(sum(figures(make(v), items)) for items in tuning))


def main() -> None:
    kb = load_knowledge(ROOT / "knowledge")
    shipped = kb.matcher
    matcher = Matcher.build(
        {i.id: i.examples for i in kb.intents.values()},
        lexicon=shipped.lexicon,
        negatives=shipped.negatives,
        floors=shipped.floors,
        thresholds=shipped.thresholds,
        tuning=dataclasses.replace(shipped.tuning, model_weight=0.0),
    )
    sets = read_dev_sets(ROOT / "tests" / "data")
    lr = Supervised(matcher, {i.id: i.examples for i in kb.intents.values()}, matcher.negatives)
    t = pick(lambda v: lambda text: lr.predict(text, v), (0.0, 0.1, 0.2, 0.3, 0.4, 0.5), sets)
    a = pick(lambda v: lambda text: rerank(matcher, lr, text, v), (0.3, 0.5, 0.7, 0.85), sets)
    veto = pick(
        lambda v: lambda text: rerank(matcher, lr, text, a, veto=v), (0.3, 0.4, 0.5, 0.6, 0.7, 0.8), sets
    )
    centroid = Centroid(matcher, {i.id: i.examples for i in kb.intents.values()})
    b = pick(lambda v: lambda text: rerank(matcher, centroid, text, v), (0.3, 0.5, 0.7, 0.85), sets)
    methods: dict[str, Predict] = {
        "current": lambda text: matcher.match(text[:500]).intent,
        f"LR (t={t})": lambda text: lr.predict(text, t),
        f"current + LR re-rank (a={a})": lambda text: rerank(matcher, lr, text, a),
        f"current + LR re-rank + LR out-of-scope vote (a={a}, P>={veto})": lambda text: rerank(
            matcher, lr, text, a, veto=veto
        ),
        f"current + centroid re-rank (a={b})": lambda text: rerank(matcher, centroid, text, b),
        f"current + numpy model (shipped, w={shipped.tuning.model_weight})": lambda text: (
            shipped.match(text[:500]).intent
        ),
    }
    texts = [i.text for items in sets.values() for i in items]
    print(
        f"centroids built in {centroid.train_seconds:.2f} s; LR trained at load in {lr.train_seconds:.2f} s on {sum(len(i.examples) for i in kb.intents.values())} "
        f"examples + {len(matcher.negatives)} out-of-scope; parameters picked on dev..dev7, {', '.join(n for n in sets if held_out(n))} held out\n"
    )
    print("top-1 in scope / out-of-scope rejection, %\n")
    print("| method | " + " | ".join(sets) + " | p50 ms | p99 ms |")
    print("|---" * (len(sets) + 3) + "|")
    for name, predict in methods.items():
        cells = [
            f"{100 * top:.1f} / {100 * rej:.1f}"
            for top, rej in (figures(predict, items) for items in sets.values())
        ]
        p50, p99 = latency(predict, texts)
        print(f"| {name} | " + " | ".join(cells) + f" | {p50:.2f} | {p99:.2f} |")


if __name__ == "__main__":
    main()
