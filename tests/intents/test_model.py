"""The n-gram ridge model (intents.model): deterministic, fits its examples, learns the out-of-scope class."""

from __future__ import annotations

import numpy as np

from intents.model import Model, char_grams

EXAMPLES = {
    "jkp.claim": ["cara klaim jkp", "bagaimana ajukan jkp", "klaim jkp lewat siapkerja"],
    "jht.claim": ["cara klaim jht", "cairkan jht", "klaim jht lewat jmo"],
    "account": ["cara daftar akun siapkerja", "lupa password siapkerja", "daftar akun baru"],
    "\x00out-of-scope": ["resep nasi goreng", "cuaca besok", "skor bola semalam"],
}


def test_char_grams_are_word_bounded() -> None:
    grams = char_grams("ab cd")
    assert grams[" a"] == 1 and grams["b "] == 1 and grams[" ab "] == 1
    assert "b c" not in grams  # no n-gram crosses a word boundary


def test_training_is_deterministic() -> None:
    first, second = Model.train(EXAMPLES), Model.train(EXAMPLES)
    assert first is not None and second is not None
    assert first.classes == second.classes
    assert np.array_equal(first.scores("klaim jht"), second.scores("klaim jht"))


def test_each_example_classifies_to_its_own_class() -> None:
    model = Model.train(EXAMPLES)
    assert model is not None
    for label, texts in EXAMPLES.items():
        for text in texts:
            assert model.classes[int(np.argmax(model.scores(text)))] == label, text


def test_unseen_phrasings_and_the_out_of_scope_class() -> None:
    model = Model.train(EXAMPLES)
    assert model is not None
    best = lambda text: model.classes[int(np.argmax(model.scores(text)))]  # noqa: E731
    assert best("gimana cairin jht") == "jht.claim"
    assert best("resep goreng ayam") == "\x00out-of-scope"


def test_nothing_to_learn_gives_no_model() -> None:
    assert Model.train({}) is None
    assert Model.train({"only": ["one class"]}) is None
    assert Model.train({"a": ["x"], "b": []}) is None
    assert Model.train(EXAMPLES, max_rows=5) is None  # too many rows for the dual system


def test_unknown_text_scores_zero() -> None:
    model = Model.train(EXAMPLES)
    assert model is not None
    assert not model.scores("").any() and not model.scores("qqqq").any()


def test_scores_are_the_tf_idf_features_of_the_whole_text_times_the_weights() -> None:
    """The per-word n-gram cache gives exactly the text's features: counts summed over its words (a word
    repeated, words seen and unseen in training), sublinear tf, idf, unit length."""
    model = Model.train(EXAMPLES)
    assert model is not None
    for text in ("klaim jkp jkp", "cara klaimm jht lewat jmo jmo jmo", "siapkerja qqqq", "cairkan"):
        known = {g: n for g, n in char_grams(text).items() if g in model._grams}
        ids = [model._grams[g] for g in known]
        values = (1.0 + np.log(np.array(list(known.values()), dtype=float))) * model._idf[ids]
        expected = (values / np.linalg.norm(values)) @ model._weights[ids]
        for _ in range(2):  # the second time from the cache
            assert np.allclose(model.scores(text), expected, rtol=0, atol=1e-12), text
