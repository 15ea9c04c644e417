"""Match a message to the closest intent: an index built once, ``match(text)`` pure and synchronous.

Scoring, in three parts (weights in :class:`Tuning`):

* **typicality** — how typical the query's words are of each intent: for every query word, the share of
  the intent's examples that contain it, weighted by the word's rarity. This is what makes one short
  distinctive word count: "klaim jkp" and "klaim jht" differ in the word that matters most.
* **closest example** — weighted overlap (Dice) with the single closest example phrasing.
* **whole-phrase similarity** — the best few intents are re-scored with rapidfuzz ``token_set_ratio``
  against their examples, which rewards word order and near-identical phrasing.
* **out-of-scope words** — words that only the out-of-scope examples use ("cpns", "umroh") weigh 1.5
  times more, so a question about them leans to the fallback even when its other words fit an intent.
* **unexplained words** — query words the knowledge has never seen ("SIM", "paspor", "kesehatan")
  keep their full weight in the denominator, so "cara daftar SIM" cannot borrow the score of the
  ubiquitous "cara daftar". Unknown words of one or two letters ("y", "dg") weigh like filler, and so do
  numbers, known or not ("udah 2 bulan", "kerja 5 tahun" tell the situation, not the question).
* **topic words** — a word used by many examples of one intent but by few intents ("jht",
  "prakerja") names a topic: an intent whose examples never use it loses 15% of its score, so "klaim
  jht tanpa paklaring" goes to JHT although "paklaring" is a JKP-documents word. A word mostly used by
  the out-of-scope examples ("kesehatan", "paspor", "pinjol") costs 30% in the same way.
* **courtesy** — greetings, thanks and honorifics ("selamat siang Bapak/Ibu", "punten") are dropped
  when content words outnumber them, so politeness does not dilute the question or pull to a greeting.
* **long messages** — with 7 or more content words the clarify limit is ``Thresholds.long_clarify``:
  the situation around a question dilutes every score.
* **noise** — gibberish, keyboard mash, a number alone or no letters at all (:mod:`.noise`) is a
  fallback flagged ``noise`` before any scoring.
* **out-of-scope margin** — when the out-of-scope examples come first, or within the answer margin
  of the top intent, the result is a fallback (except for intents with a floor, such as a crisis).

Words are matched exactly, then after trimming Indonesian particles (``klaimnya`` -> ``klaim``), then
by rapidfuzz edit similarity for typos (``pesangonn``, ``ketenagakerjan``). An unknown word with at most
one vowel is read as the only known word with its consonants (``lwt`` -> ``lewat``, ``brks`` -> ``berkas``). Short words (< 4 letters)
only match exactly, so JKP never becomes JHT; an unknown word with doubled letters is first read as the
known word it stretches ("yaa" -> "ya", "jhtt" -> "jht"), digits for letters are read when they spell a
known word ("s4y4" -> "saya"), and a long word nothing matches is split into the fewest known words
("caraklaimjkp" -> "cara klaim jkp"). What voice typing splits is put back: letters spelt by name
("je ha te" -> "jht") and an unknown word with the neighbour it completes ("pesan gon" -> "pesangon").
A word only the out-of-scope examples use
("syaratnya") also matches the intents' forms of it ("syarat").
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from functools import lru_cache

import numpy as np
from numpy.typing import NDArray
from rapidfuzz import fuzz, process

from .index import Posting, affix_variants, stem_index, topic_words
from .index import postings as build_postings
from .language import COURTESY_WORDS, FILLER_WORDS, detect_language
from .model import Model
from .noise import is_noise
from .normalise import Lexicon, tokens, tokens_many
from .stem import stem

__all__ = ["Candidate", "Confidence", "Match", "Matcher", "Thresholds", "Tuning"]

CHOICE_SPREAD = 15.0
GLUED_MIN, GLUED_MAX = 7, 40  # an unknown word this long may be several typed without spaces
SHORT_UNKNOWN = (
    2  # unknown words this short ('y', 'dg') are slang or stray letters, not a topic: filler weight
)
_DOUBLED = re.compile(r"([a-z])\1")
_VOWELS = re.compile(r"[aeiou]")
_LEET_DIGITS = str.maketrans("013457", "oieast")  # 's4y4', 'b1s4': only for a word the knowledge lacks
_ENGLISH_ENDINGS = ("s", "es", "ed", "d", "ing", "ion", "ions", "ly")
OUT_OF_SCOPE = "\x00out-of-scope"  # the pseudo-intent indexed from negative examples; never reported


class Confidence(Enum):
    """How sure the matcher is: answer directly, ask which one was meant, or admit it does not know."""

    ANSWER = "answer"
    CLARIFY = "clarify"
    FALLBACK = "fallback"


@dataclass(frozen=True)
class Thresholds:
    """Band limits on the 0-100 score, chosen from the dev evaluation set (see README)."""

    answer: float = 55.0
    clarify: float = 37.0
    margin: float = 6.0
    long_clarify: float = 28.0  # clarify limit for long messages, whose situation words dilute every score
    long_words: int = 7  # content words (not filler, courtesy or numbers) that make a message long
    long_margin: float = 1.0  # out-of-scope margin for long messages, whose scores are diluted too
    # a message below the clarify limit that names one of the knowledge's own topics (a topic word no
    # out-of-scope example uses: 'jkp', 'pesangon', 'siapkerja') is asked back, not given up, when its
    # first intent scores this much and leads the next by ``topic_lead`` (0: any lead; picked on dev..dev7)
    topic_clarify: float = 26.0
    topic_lead: float = 0.0
    # ... and goes to the out-of-scope examples, which never use that word, only when they lead its best
    # intent by this much (not merely come within ``margin`` of it); None: no exception, the margin applies
    topic_oos_lead: float | None = 3.0


@dataclass(frozen=True)
class Tuning:
    """Scoring knobs; defaults were tuned on the dev set with ``python -m bot eval``."""

    example_weight: float = 0.7
    query_side: float = 0.5
    filler_weight: float = 0.3
    unknown_weight: float = 1.3
    fuzzy_cutoff: float = 80.0
    rerank_weight: float = 0.2
    rerank_depth: int = 5
    rerank_examples: int = (
        16  # per re-ranked intent, its examples closest by words (same figures as all, on dev..dev6)
    )
    negative_word_factor: float = 1.5
    topic_share: float = 0.3
    topic_spread: float = 0.6  # a topic word's penalty is gone when this share of intents use it ...
    topic_spread_full: float = 0.4  # ... and whole up to this share
    oos_topic_examples: int = 4
    oos_topic_ratio: float = 4.0
    topic_penalty: float = 0.15
    oos_topic_penalty: float = 0.3
    model_weight: float = 0.25  # share of the n-gram ridge model (intents.model) in every score; 0 = off


@dataclass(frozen=True)
class Candidate:
    intent: str
    score: float


@dataclass(frozen=True)
class Match:
    """The result of matching one message."""

    confidence: Confidence
    candidates: tuple[Candidate, ...]
    lang: str
    words: tuple[str, ...] = ()
    out_of_scope: bool = False  # closest to the out-of-scope examples (a fallback whatever the score)
    noise: bool = False  # no question at all: gibberish, a number alone, no letters (see intents.noise)

    @property
    def intent(self) -> str | None:
        """The chosen intent, or None on fallback."""
        if self.confidence is Confidence.FALLBACK or not self.candidates:
            return None
        return self.candidates[0].intent

    @property
    def score(self) -> float:
        return self.candidates[0].score if self.candidates else 0.0

    @property
    def choices(self) -> tuple[str, ...]:
        """The 2-3 intents offered as choices when clarifying (empty otherwise)."""
        if self.confidence is not Confidence.CLARIFY:
            return ()
        top = self.score
        close = [c.intent for c in self.candidates[:3] if top - c.score <= CHOICE_SPREAD]
        return tuple(close if len(close) >= 2 else [c.intent for c in self.candidates[:2]])


@dataclass
class Matcher:
    """An index over intent examples. Build once with :meth:`build`; then :meth:`match` per message."""

    intent_ids: tuple[str, ...]
    lexicon: Mapping[str, str]
    thresholds: Thresholds
    tuning: Tuning
    _vocab: dict[str, int]
    _vocab_list: list[str]
    _weights: NDArray[np.float64]
    _postings: list[Posting]
    _example_weight: NDArray[np.float64]
    _intent_starts: NDArray[np.int64]
    _max_weight: float
    _stems: dict[str, list[int]]
    _phrases: list[str]
    _topics: dict[int, float] = field(default_factory=dict)  # topic word -> share lost by intents without it
    _negative_only: frozenset[int] = frozenset()  # words only the out-of-scope examples use
    _scope_topics: frozenset[int] = frozenset()  # topic words no out-of-scope example uses
    floors: dict[str, float] = field(default_factory=dict)
    negatives: tuple[str, ...] = ()
    _prepared: Lexicon = field(default_factory=lambda: Lexicon({}))
    _cache: dict[str, list[tuple[int, float]]] = field(default_factory=dict)
    _skeleton_map: dict[str, str] | None = None
    _model: Model | None = None
    _model_columns: NDArray[np.int64] | None = None  # per intent, its class in the model
    _example_phrases: frozenset[str] = frozenset()  # an example itself is scored by the fuzzy scorer alone

    @classmethod
    def build(
        cls,
        examples: Mapping[str, Sequence[str]],
        *,
        lexicon: Mapping[str, str] | None = None,
        negatives: Sequence[str] = (),
        floors: Mapping[str, float] | None = None,
        thresholds: Thresholds | None = None,
        tuning: Tuning | None = None,
    ) -> Matcher:
        """Index ``{intent_id: [example, ...]}``; examples are normalised with the same lexicon as queries.

        ``negatives`` are out-of-scope phrasings: a message closest to them is a fallback. ``floors``
        lowers the fallback limit for intents that must not be missed (a crisis): when such an intent
        comes first with at least its floor, the result is at least a clarify.
        """
        lexicon = dict(lexicon or {})
        tuning = tuning or Tuning()
        if negatives:
            examples = {**examples, OUT_OF_SCOPE: list(negatives)}
        intent_ids = tuple(examples)
        texts = [text for intent in intent_ids for text in examples[intent]]
        sizes = [len(examples[intent]) for intent in intent_ids]
        starts = (
            np.concatenate(([0], np.cumsum(sizes)[:-1])).astype(np.int64) if sizes else np.zeros(0, np.int64)
        )
        owners = np.repeat(np.arange(len(intent_ids), dtype=np.int64), sizes)
        vocab: dict[str, int] = {}
        rows: list[list[int]] = []
        phrases: list[str] = []
        prepared = Lexicon(lexicon)
        for words in tokens_many(texts):
            words = prepared.expand(words)
            rows.append(sorted({vocab.setdefault(w, len(vocab)) for w in words}))
            phrases.append(" ".join(words))
        matcher = cls._from_rows(
            intent_ids, lexicon, vocab, rows, starts, owners, phrases, thresholds or Thresholds(), tuning
        )
        matcher.floors = dict(floors or {})
        matcher.negatives = tuple(negatives)
        matcher._prepared = prepared
        if tuning.model_weight > 0:
            ends = [*starts[1:].tolist(), len(phrases)]
            grouped = {i: phrases[a:b] for i, a, b in zip(intent_ids, starts.tolist(), ends, strict=True)}
            matcher._train_model(grouped)
        return matcher

    def _train_model(self, phrases: Mapping[str, Sequence[str]]) -> None:
        model = Model.train({intent: list(texts) for intent, texts in phrases.items()})
        if model is None:
            return
        column = {c: i for i, c in enumerate(model.classes)}
        if any(intent not in column for intent in self.intent_ids):
            return
        self._model = model
        self._example_phrases = frozenset(self._phrases)
        self._model_columns = np.array([column[intent] for intent in self.intent_ids], dtype=np.int64)

    def rebuild(self, examples: Mapping[str, Sequence[str]], *, tuning: Tuning | None = None) -> Matcher:
        """A matcher over other examples with this one's lexicon, negatives, floors and tuning (or ``tuning``)."""
        return Matcher.build(
            examples,
            lexicon=self.lexicon,
            negatives=self.negatives,
            floors=self.floors,
            thresholds=self.thresholds,
            tuning=tuning or self.tuning,
        )

    @classmethod
    def _from_rows(
        cls,
        intent_ids: tuple[str, ...],
        lexicon: dict[str, str],
        vocab: dict[str, int],
        rows: list[list[int]],
        starts: NDArray[np.int64],
        owners: NDArray[np.int64],
        phrases: list[str],
        thresholds: Thresholds,
        tuning: Tuning,
    ) -> Matcher:
        vocab_list = [""] * len(vocab)
        for word, wid in vocab.items():
            vocab_list[wid] = word
        lengths = np.fromiter((len(row) for row in rows), dtype=np.int64, count=len(rows))
        flat_words = np.fromiter((w for row in rows for w in row), dtype=np.int64, count=int(lengths.sum()))
        flat_examples = np.repeat(np.arange(len(rows), dtype=np.int64), lengths)
        doc_freq = np.bincount(flat_words, minlength=len(vocab)).astype(np.float64)
        weights = np.log1p(max(len(rows), 1) / np.maximum(doc_freq, 1))
        for word in FILLER_WORDS.intersection(vocab):
            weights[vocab[word]] *= tuning.filler_weight
        numbers = [
            wid for word, wid in vocab.items() if word.isdigit()
        ]  # '2 bulan', '5 tahun': context, not topic
        weights[numbers] *= tuning.filler_weight
        postings = build_postings(flat_words, flat_examples, owners, len(vocab), len(intent_ids))
        only_negative: list[int] = []
        if intent_ids and intent_ids[-1] == OUT_OF_SCOPE:
            only_negative = [
                w
                for w, p in enumerate(postings)
                if len(p.intents) == 1 and p.intents[0] == len(intent_ids) - 1
            ]
            weights[only_negative] *= tuning.negative_word_factor
        has_negatives = bool(intent_ids) and intent_ids[-1] == OUT_OF_SCOPE
        topics = topic_words(
            flat_words,
            flat_examples,
            owners,
            vocab_list,
            len(intent_ids),
            tuning,
            has_negatives=has_negatives,
        )
        ends = np.cumsum(lengths)
        sums = np.concatenate(([0.0], np.cumsum(weights[flat_words])))
        example_weight = np.where(lengths > 0, sums[ends] - sums[ends - lengths], 1.0)
        return cls(
            intent_ids=intent_ids,
            lexicon=lexicon,
            thresholds=thresholds,
            tuning=tuning,
            _vocab=vocab,
            _vocab_list=vocab_list,
            _weights=weights,
            _postings=postings,
            _example_weight=example_weight,
            _intent_starts=starts,
            _max_weight=float(weights.max()) if len(weights) else 1.0,
            _stems=stem_index(vocab_list),
            _phrases=phrases,
            _topics=topics,
            _negative_only=frozenset(only_negative),
            _scope_topics=frozenset(w for w in topics if len(intent_ids) - 1 not in postings[w].intents)
            if has_negatives
            else frozenset(),
        )

    # -- query side -------------------------------------------------------------------------------

    def _lookup(self, word: str) -> list[tuple[int, float]]:
        """Vocabulary ids a query word stands for, with a similarity in 0-1."""
        cached = self._cache.get(word)
        if cached is not None:
            return cached
        found = self._lookup_uncached(word)
        if len(self._cache) < 50_000:
            self._cache[word] = found
        return found

    def _lookup_uncached(self, word: str) -> list[tuple[int, float]]:
        wid = self._vocab.get(word)
        if wid is not None and wid not in self._negative_only:
            return [(wid, 1.0)]
        exact = [(wid, 1.0)] if wid is not None else []
        forms = self._forms(word)
        if exact or forms or word in FILLER_WORDS:  # a filler word ('whether') is never a typo of 'weather'
            return exact + forms
        return self._similar(word)

    def _forms(self, word: str) -> list[tuple[int, float]]:
        """Other forms of ``word`` in the vocabulary: without particles ('syaratnya'), or the same stem."""
        for variant in affix_variants(word):
            wid = self._vocab.get(variant)
            if wid is not None:
                return [(wid, 0.95)]
        return [(wid, 0.9) for wid in self._stems.get(stem(word), ()) if self._vocab_list[wid] != word]

    def _similar(self, word: str) -> list[tuple[int, float]]:
        """Vocabulary words within a typo of ``word`` (words of 4 letters or more only)."""
        if len(word) < 4 or word.isdigit():
            return []
        cutoff = self.tuning.fuzzy_cutoff if len(word) >= 6 else max(self.tuning.fuzzy_cutoff, 85.0)
        hits = process.extract(word, self._vocab_list, scorer=fuzz.ratio, score_cutoff=cutoff, limit=2)
        return [
            (int(index), float(score) / 100.0)
            for _, score, index in hits
            if len(self._vocab_list[index]) >= 4
        ]

    def _query_terms(self, words: Sequence[str]) -> tuple[list[tuple[int, float, float]], float]:
        """(vocab id, similarity, weight) for known words, and the total weight of the query."""
        terms: list[tuple[int, float, float]] = []
        total = 0.0
        for word in dict.fromkeys(words):
            found = self._lookup(word)
            if not found:
                filler = word in FILLER_WORDS or word.isdigit() or len(word) <= SHORT_UNKNOWN
                total += self._max_weight * (
                    self.tuning.filler_weight if filler else self.tuning.unknown_weight
                )
                continue
            best = max(self._weights[wid] for wid, _ in found)
            total += best
            terms.extend((wid, sim, float(self._weights[wid])) for wid, sim in found)
        return terms, total

    def scores(self, words: Sequence[str], *, model: bool = True) -> NDArray[np.float64]:
        """Score (0-100) of every intent for already-normalised words (``model=False``: the fuzzy scorer alone)."""
        fuzzy, phrase = self._fuzzy_scores(words)
        return self._with_model(fuzzy, phrase) if model and phrase else fuzzy

    def _fuzzy_scores(self, words: Sequence[str]) -> tuple[NDArray[np.float64], str]:
        """The fuzzy scorer's scores and the phrase the model reads ('' when no word is known: all zeros)."""
        n_intents = len(self.intent_ids)
        words = _without_courtesy(words)
        terms, total = self._query_terms(words)
        if not terms or total <= 0:
            return np.zeros(n_intents), ""
        typical = np.zeros(n_intents)
        overlap = np.zeros(len(self._example_weight))
        for wid, sim, weight in terms:
            posting = self._postings[wid]
            typical[posting.intents] += weight * sim * posting.typicality
            overlap[posting.examples] += weight * sim
        side = self.tuning.query_side
        dice = overlap / (side * total + (1.0 - side) * self._example_weight)
        closest = np.maximum.reduceat(dice, self._intent_starts) if len(dice) else np.zeros(n_intents)
        mix = self.tuning.example_weight
        scores = 100.0 * (mix * closest + (1.0 - mix) * typical / total)
        phrase = " ".join(words)
        return np.clip(self._rerank(scores, phrase, dice) * self._topic_factor(terms), 0.0, 100.0), phrase

    def _with_model(self, scores: NDArray[np.float64], phrase: str) -> NDArray[np.float64]:
        """Blend in the n-gram ridge model's score of each intent (its share is ``Tuning.model_weight``); not
        for a message that is one of the examples, which an admin wrote for that intent."""
        if self._model is None or self._model_columns is None or phrase in self._example_phrases:
            return scores
        share = self.tuning.model_weight
        learned = np.clip(self._model.scores(phrase)[self._model_columns], 0.0, 1.0)
        blended: NDArray[np.float64] = (1.0 - share) * scores + share * 100.0 * learned
        return blended

    def _topic_factor(self, terms: Sequence[tuple[int, float, float]]) -> NDArray[np.float64] | float:
        """Intents whose examples never use a topic word of the query ('jht', 'kesehatan') lose a share."""
        topics = {wid for wid, sim, _ in terms if sim >= 0.9 and wid in self._topics}
        if not topics:
            return 1.0
        log_factor = np.zeros(len(self.intent_ids))
        for wid in topics:
            keep = np.log1p(-self._topics[wid])
            log_factor += keep
            log_factor[self._postings[wid].intents] -= keep
        factor: NDArray[np.float64] = np.exp(log_factor)
        return factor

    def _rerank(
        self, scores: NDArray[np.float64], phrase: str, dice: NDArray[np.float64]
    ) -> NDArray[np.float64]:
        """Blend whole-phrase similarity (to each one's examples closest by words) into the best few intents;
        the rest keep their share only."""
        weight, depth = self.tuning.rerank_weight, min(self.tuning.rerank_depth, len(scores))
        if weight <= 0 or depth == 0:
            return scores
        top = np.argpartition(-scores, depth - 1)[:depth]
        bounds = np.append(self._intent_starts, len(self._phrases))
        blended = scores * (1.0 - weight)
        keep = self.tuning.rerank_examples
        rows: list[int] = []  # the re-ranked intents (those with examples) ...
        choices: list[str] = []  # ... and each one's closest examples by words, one after another
        for i in top:
            start, end = int(bounds[i]), int(bounds[i + 1])
            if end > start:
                rows.append(int(i))
                nearest = np.argsort(-dice[start:end], kind="stable")[:keep] + start
                choices.extend(self._phrases[j] for j in nearest)
        if rows:  # one rapidfuzz call for all of them, then the best per intent
            similar = process.cdist([phrase], choices, scorer=fuzz.token_set_ratio, dtype=np.float64)[0]
            sizes = [min(keep, int(bounds[i + 1] - bounds[i])) for i in rows]
            starts = np.cumsum([0, *sizes[:-1]])
            blended[rows] += weight * np.maximum.reduceat(similar, starts)
        return blended

    def words(self, text: str) -> tuple[list[str], str]:
        """Normalised, lexicon-expanded words of ``text`` and its language."""
        raw = [form for word in self._joined(tokens(text)) for form in self._read(word)]
        return self._prepared.expand(raw), detect_language(raw)

    def _joined(self, words: list[str]) -> list[str]:
        """Words a keyboard or voice typing split, put back together: letters spelt out by name ('je ha
        te' -> 'jht', 'bee el ka' -> 'blk') when they spell a known word, then an unknown word joined to a
        neighbour when the two spell one known word ('pesan gon' -> 'pesangon', 'pe kerjaan', 'inter
        view'), exactly first, else within a typo ('karir hab' -> 'karirhab', read as 'karirhub'). Known
        words side by side stay apart ('di phk')."""
        if len(words) < 2:
            return words
        vocab, lexicon = self._vocab, self._prepared.words
        letters = [_letter(w) for w in words]
        if sum(map(bool, letters)) < 2 and all(w in vocab or w in lexicon for w in words):
            return words  # every word known and no letters to spell
        spelt: list[str] = []
        i = 0
        while i < len(words):
            end = i
            while end < len(words) and letters[end]:
                end += 1
            stop = next((s for s in range(end, i + 1, -1) if self._knows("".join(letters[i:s]))), 0)
            if stop:  # the longest run of two or more letter names that spells a known word
                spelt.append("".join(letters[i:stop]))
                i = stop
            else:
                spelt.append(words[i])
                i += 1
        out: list[str] = []
        i = 0
        while i < len(spelt):
            word = spelt[i]
            if word in vocab or self._knows(word) or self._lookup(word):
                out.append(word)
                i += 1
                continue
            after = word + spelt[i + 1] if i + 1 < len(spelt) else ""
            before = out[-1] + word if out else ""
            for typo in (False, True) if len(word) <= 3 else (False,):  # a typo only with a fragment ('hab')
                if after and self._knows(after, typo=typo):
                    out.append(after)
                    i += 2
                    break
                if before and self._knows(before, typo=typo):
                    out[-1] = before
                    i += 1
                    break
            else:
                out.append(word)
                i += 1
        return out

    def _knows(self, word: str, *, typo: bool = False) -> bool:
        """``word`` is known: a word of the knowledge or the lexicon, or a form of one ('yaa', 's4y4').
        With ``typo``, a joined word (of at least ``GLUED_MIN`` letters) may also be one edit of a known
        word of its length ('karirhab' -> 'karirhub')."""
        if word in FILLER_WORDS:
            return True
        form = self._known_form(word)
        if form in self._vocab or form in self._prepared.words:
            return True
        if not typo or len(word) < GLUED_MIN:
            return False
        return any(len(self._vocab_list[wid]) == len(word) and sim >= 0.85 for wid, sim in self._lookup(word))

    def _read(self, word: str) -> list[str]:
        """The known form of ``word``; a long word nothing matches, typed without spaces, as the known
        words it is made of ('caraklaimjkp' -> 'cara klaim jkp')."""
        form = self._known_form(word)
        if form != word or len(word) < GLUED_MIN or len(word) > GLUED_MAX or not word.isalpha():
            return [form]
        if word in FILLER_WORDS or self._lookup(word):  # 'apabila' is a word, not 'apa bila'
            return [form]
        return self._split_glued(word) or [form]

    def _split_glued(self, word: str) -> list[str] | None:
        """The fewest known words (each of 3 letters or more) that spell ``word`` exactly; None if none do."""
        vocab, lexicon = self._vocab, self._prepared.words
        best: list[list[str] | None] = [[]] + [None] * len(word)  # best[i]: the split of word[:i]
        for end in range(3, len(word) + 1):
            for start in range(0, end - 2):
                head = best[start]
                part = word[start:end]
                if head is not None and (part in vocab or part in lexicon):
                    if best[end] is None or len(head) + 1 < len(best[end] or ()):
                        best[end] = [*head, part]
        found = best[len(word)]
        return found if found is not None and len(found) > 1 else None

    def _known_form(self, word: str) -> str:
        """An unknown word read as the known word it is a form of: digits written for letters ('s4y4' ->
        'saya'; 'ak1' is known and stays), doubled letters undone ('yaa' -> 'ya', 'jhtt' -> 'jht'), an
        English ending dropped ('suggestion' -> 'suggest', 'trainings'), or a slang word of the lexicon
        with a particle ('ngajuinnya' -> 'ngajuin', which the lexicon reads 'ajukan')."""
        if word in self._vocab or word in self._prepared.words:
            return word
        if word[:1].isalpha() and (leet := word.translate(_LEET_DIGITS)) != word and leet.isalpha():
            if leet in self._vocab or leet in self._prepared.words:  # digits for letters: 's4y4' -> 'saya'
                return leet
        for form in _other_forms(word):
            if form in self._vocab or form in self._prepared.words:
                return form
        # regional spellings, also with a particle: 'tahapannyo' -> 'tahapannya'; 'batasna', 'gajine' -> 'batasnya'
        for dialect in (_malay_a, _regional_nya):
            if (form := dialect(word)) and self._forms(form):
                return form
        for form in affix_variants(
            word
        ):  # a lexicon word with a particle: 'ngajuinnya', 'diajuin' -> 'ajukan'
            if form in self._prepared.words:
                return form
        return self._skeletons().get(word, word) if _vowelless(word) else word

    def _skeletons(self) -> dict[str, str]:
        """Known words by their consonants ('lwt' -> 'lewat', 'crnya' -> 'caranya'), where only one has them."""
        if self._skeleton_map is None:
            found: dict[str, set[str]] = {}
            for known in (*self._vocab_list, *self._prepared.words):
                if len(known) >= 4 and known.isalpha():
                    found.setdefault(_VOWELS.sub("", known), set()).add(known)
            self._skeleton_map = {
                sk: next(iter(ws)) for sk, ws in found.items() if len(ws) == 1 and len(sk) >= 3
            }
        return self._skeleton_map

    def rank(self, text: str, *, limit: int = 5) -> list[Candidate]:
        """The ``limit`` best intents for ``text``, best first (out-of-scope examples excluded)."""
        words, _ = self.words(text)
        return [c for c in self._top(self.scores(words), limit + 1) if c.intent != OUT_OF_SCOPE][:limit]

    def _top(self, scores: NDArray[np.float64], limit: int) -> list[Candidate]:
        if not len(scores):
            return []
        limit = min(limit, len(scores))
        best = np.argpartition(-scores, limit - 1)[:limit]
        best = best[np.argsort(-scores[best], kind="stable")]
        return [Candidate(self.intent_ids[i], round(float(scores[i]), 1)) for i in best if scores[i] > 0]

    def match(self, text: str, *, prefer: Mapping[str, float] | None = None, rest: float = 1.0) -> Match:
        """Match one message: candidates, confidence band and language. For a follow-up question the
        conversation so far can weigh in: the scores of the intents in ``prefer`` are multiplied by their
        factor and those of all other intents by ``rest`` (the out-of-scope examples keep theirs)."""
        words, lang = self.words(text)
        if is_noise(text):
            return Match(Confidence.FALLBACK, (), lang, tuple(words), noise=True)
        fuzzy, phrase = self._fuzzy_scores(words)
        scores = self._with_model(fuzzy, phrase) if phrase else fuzzy
        if prefer:
            scores = self._preferred(scores, prefer, rest)
        ranked = self._top(scores, 4)
        shown = tuple(c for c in ranked if c.intent != OUT_OF_SCOPE)[:3]
        long = sum(map(_is_content, dict.fromkeys(words))) >= self.thresholds.long_words
        if self._out_of_scope(ranked, long=long, own_topic=self._names_own_topic(words)):
            return Match(Confidence.FALLBACK, shown, lang, tuple(words), out_of_scope=True)
        band = self._band(shown, long=long)
        if band is Confidence.FALLBACK and not prefer and self._names_topic(words, shown):
            band = Confidence.CLARIFY
        if band is Confidence.ANSWER and self._model is not None:
            band = self._fuzzy_band(fuzzy, prefer, rest, long=long)
        return Match(band, shown, lang, tuple(words))

    def _fuzzy_band(
        self, scores: NDArray[np.float64], prefer: Mapping[str, float] | None, rest: float, *, long: bool
    ) -> Confidence:
        """The band of the fuzzy scores alone: the n-gram model may reorder and hold back an answer, never
        turn a clarify into one (a bare topic word such as 'jkp' or 'klaim' stays a question back)."""
        if prefer:
            scores = self._preferred(scores, prefer, rest)
        ranked = tuple(c for c in self._top(scores, 4) if c.intent != OUT_OF_SCOPE)[:3]
        return (
            Confidence.CLARIFY
            if self._band(ranked, long=long) is not Confidence.ANSWER
            else Confidence.ANSWER
        )

    def _preferred(
        self, scores: NDArray[np.float64], prefer: Mapping[str, float], rest: float
    ) -> NDArray[np.float64]:
        factors = np.full(len(scores), rest)
        if self.intent_ids and self.intent_ids[-1] == OUT_OF_SCOPE:
            factors[-1] = 1.0
        index = {intent: i for i, intent in enumerate(self.intent_ids)}
        for intent, factor in prefer.items():
            if intent in index:
                factors[index[intent]] = factor
        preferred: NDArray[np.float64] = np.clip(scores * factors, 0.0, 100.0)
        return preferred

    def _out_of_scope(
        self, ranked: Sequence[Candidate], *, long: bool = False, own_topic: bool = False
    ) -> bool:
        """The out-of-scope examples come first, or within the answer margin (a smaller one for long
        messages) of an intent that may be missed (intents with a floor, such as a crisis, are never
        given up for them). For a message that names one of the knowledge's own topics they must lead its
        best intent by ``Thresholds.topic_oos_lead``."""
        negative = next((c.score for c in ranked if c.intent == OUT_OF_SCOPE), None)
        if negative is None:
            return False
        best = next((c for c in ranked if c.intent != OUT_OF_SCOPE), None)
        lead = self.thresholds.topic_oos_lead
        if own_topic and best is not None and lead is not None:
            return best.intent not in self.floors and negative >= best.score + lead
        top = ranked[0]
        margin = self.thresholds.long_margin if long else self.thresholds.margin
        return top.intent == OUT_OF_SCOPE or (
            top.intent not in self.floors and negative >= top.score - margin
        )

    def _names_topic(self, words: Sequence[str], ranked: Sequence[Candidate]) -> bool:
        """A weak match worth a question back: the message names a topic of the knowledge's own and its
        first intent scores ``Thresholds.topic_clarify`` and leads the next by ``topic_lead`` (0 as shipped:
        a close second is shown beside it rather than both given up)."""
        t = self.thresholds
        if not ranked or ranked[0].score < t.topic_clarify:
            return False
        runner_up = ranked[1].score if len(ranked) > 1 else 0.0
        if ranked[0].score - runner_up < t.topic_lead:
            return False
        return self._names_own_topic(words)

    def _names_own_topic(self, words: Sequence[str]) -> bool:
        """The message uses a topic word of the knowledge's own, one no out-of-scope example uses."""
        return any(self._vocab.get(word, -1) in self._scope_topics for word in words)

    def _band(self, ranked: Sequence[Candidate], *, long: bool = False) -> Confidence:
        t = self.thresholds
        if not ranked:
            return Confidence.FALLBACK
        if ranked[0].score < (t.long_clarify if long else t.clarify):
            floor = self.floors.get(ranked[0].intent)
            return (
                Confidence.CLARIFY if floor is not None and ranked[0].score >= floor else Confidence.FALLBACK
            )
        runner_up = ranked[1].score if len(ranked) > 1 else 0.0
        if ranked[0].score >= t.answer and ranked[0].score - runner_up >= t.margin:
            return Confidence.ANSWER
        return Confidence.CLARIFY


# letters spoken by name, as voice typing writes them: Indonesian names and a few English ones
_LETTER_NAMES = {
    **dict(
        zip(
            "a be ce de e ef ge ha i je ka el em en o pe ki er es te u fe we eks ye zet".split(),
            "abcdefghijklmnopqrstuvwxyz",  # "fe" is V as Indonesians spell it; "ve" is added below
            strict=True,
        )
    ),
    "ve": "v",
    "jay": "j",
    "kay": "k",
    "aitch": "h",
    "ar": "r",
    "ex": "x",
    "zed": "z",
}
_LETTER_NAMES |= {name + name[-1]: letter for name, letter in _LETTER_NAMES.items()}  # 'bee', 'jee', 'kaa'


def _letter(word: str) -> str:
    """The letter ``word`` names ('je', 'bee' -> 'b'), a digit as itself ('ak 1'), or ''."""
    return _LETTER_NAMES.get(word) or (word if len(word) == 1 and word.isdigit() else "")


def _is_content(word: str) -> bool:
    """A word that can carry a question: not filler, courtesy, a number or a stray letter or two."""
    return (
        len(word) > SHORT_UNKNOWN
        and not word.isdigit()
        and word not in FILLER_WORDS
        and word not in COURTESY_WORDS
    )


def _vowelless(word: str) -> bool:
    """A word typed without its vowels ('lwt', 'crnya', 'dftr'): three letters or more, at most one vowel."""
    return len(word) >= 3 and word.isalpha() and len(_VOWELS.findall(word)) <= 1


def _without_courtesy(words: Sequence[str]) -> Sequence[str]:
    """Greetings, thanks and honorifics dropped when content words outnumber them (at least two): then
    they frame a question; otherwise they are the message ('terima kasih atas penjelasannya, Bu')."""
    unique = list(dict.fromkeys(words))
    content = sum(map(_is_content, unique))
    if content < 2 or content <= sum(word in COURTESY_WORDS for word in unique):
        return words
    return [word for word in words if word not in COURTESY_WORDS]


@lru_cache(maxsize=65_536)
def _other_forms(word: str) -> tuple[str, ...]:
    """Spellings ``word`` may stand for, most likely first: without doubled letters, without an ending."""
    forms = [_DOUBLED.sub(r"\1", word)] if _DOUBLED.search(word) else []
    forms += [
        word[: -len(end)] for end in _ENGLISH_ENDINGS if word.endswith(end) and len(word) - len(end) >= 3
    ]
    if malay := _malay_a(word):
        forms.append(malay)
    return tuple(forms)


def _regional_nya(word: str) -> str:
    """The possessive '-nya' as Sundanese ('-na': 'syaratna') and Javanese ('-ne': 'gajine') write it, put
    back; '' when ``word`` does not end so."""
    if len(word) >= 6 and word.isalpha() and word.endswith(("na", "ne")):
        return word[:-2] + "nya"
    return ""


def _malay_a(word: str) -> str:
    """A final 'a' as Minang, Palembang and Jambi speech writes it, as 'o' ('caro', 'mano' -> 'cara',
    'mana'), put back; '' when ``word`` does not end so."""
    return word[:-1] + "a" if word.endswith("o") and len(word) >= 4 and word.isalpha() else ""
