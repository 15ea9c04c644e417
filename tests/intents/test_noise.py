"""The noise guard: gibberish, keyboard mash, a number alone or no letters never reach a band."""

from __future__ import annotations

import pytest

from intents import Confidence, Matcher
from intents.noise import is_gibberish_word, is_noise, is_number_only


@pytest.mark.parametrize(
    "text",
    [
        "xxxxx",
        "x" * 5000,
        "asdfghjkl",
        "zzzzzz",
        "asdasdasd",
        "qwrtypsdfg",
        "🙏",
        "👍👍",
        "...",
        "1",
        "20",
        "3 4",
        "jkjkjkjk hjhjhjhj",
        "2+2 brp",
        "25 x 48 = ?",
        "7 kali 8 berapa?",
        "what is 3*4",
    ],
)
def test_noise(text):
    assert is_noise(text)


@pytest.mark.parametrize(
    "text",
    [
        "p",
        "ok",
        "hlo",
        "jkp",
        "bpjs",
        "pkwtt",
        "wkwk",
        "hahaha",
        "pagiii 😊",
        "hmm",
        "umur 30an",
        "5 juta",
        "kapan jkp cair?",
        "qwerty",
        "5jt x 60% berapa",  # a JKP sum: units and a percentage
        "gaji 5 jt brp",
        "2 bulan brp",
    ],
)
def test_not_noise(text):
    assert not is_noise(text)


def test_a_number_alone_is_told_apart():
    assert is_number_only("1") and not is_number_only("umur 30") and not is_number_only("👍")
    assert is_gibberish_word("x" * 30) and not is_gibberish_word("ketenagakerjaan")


def test_the_matcher_gives_noise_no_candidates_whatever_the_examples():
    matcher = Matcher.build({"jkp.rejected": ["klaim x ditolak", "x x x"], "jobs.ak1": ["ak 1", "kartu ak1"]})
    for text in ("xxxxx", "x" * 5000, "1"):
        found = matcher.match(text)
        assert found.confidence is Confidence.FALLBACK and found.noise and found.candidates == ()
    assert matcher.match("klaim ditolak").intent == "jkp.rejected"
