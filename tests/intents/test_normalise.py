"""Each normalisation step on its own, then the pipeline and lexicon expansion."""

import pytest

from intents import expand, normalise, tokens
from intents.normalise import (
    collapse_spaces,
    fold_unicode,
    join_contractions,
    lowercase,
    split_units,
    squeeze_repeats,
    strip_symbols,
    undouble_words,
)
from intents.stem import stem


@pytest.mark.parametrize(
    ("step", "text", "expected"),
    [
        (fold_unicode, "Ｊｋｐ café", "Jkp cafe"),
        (lowercase, "JKP BPJS", "jkp bpjs"),
        (join_contractions, "don't can’t i'm 'quoted'", "dont cant im 'quoted'"),
        (strip_symbols, "di-phk?!🙏 ak/1", "di phk  ak 1"),
        (squeeze_repeats, "bangettt tolonggg maaf", "banget tolong maaf"),
        (split_units, "gaji 7jt 3bln 2x bp2mi ak1", "gaji 7 jt 3 bln 2 x bp2mi ak1"),
        (undouble_words, "hak2 hati2 kira2 ak1 d3 s2", "hak hati kira ak1 d3 s2"),
        (collapse_spaces, "  a \t b\n c ", "a b c"),
    ],
)
def test_each_step(step, text, expected):
    assert step(text) == expected


def test_pipeline_handles_emoji_case_and_stretching():
    assert normalise("Gmn CR klaim JKP??? 🙏🙏 tolonggg") == "gmn cr klaim jkp tolong"


def test_tokens_of_odd_unicode_and_empty_text():
    assert tokens("\u200b\u200b") == []
    assert tokens("ＮＩＫ saya") == ["nik", "saya"]
    assert tokens("") == []


def test_expand_replaces_slang_with_standard_words():
    lexicon = {"gmn": "bagaimana", "bpjstk": "bpjs ketenagakerjaan"}
    assert expand(["gmn", "klaim", "bpjstk"], lexicon) == ["bagaimana", "klaim", "bpjs", "ketenagakerjaan"]


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("pengajuan", "aju"),
        ("mengajukan", "aju"),
        ("ngajuin", "aju"),
        ("pekerjaan", "kerja"),
        ("dibutuhkan", "butuh"),
        ("klaimnya", "klaim"),
        ("jkp", "jkp"),
        ("2025", "2025"),
    ],
)
def test_stem_reduces_indonesian_word_forms(word, expected):
    assert stem(word) == expected
