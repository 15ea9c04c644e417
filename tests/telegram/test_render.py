"""Rendering replies for Telegram: HTML escaping, 4096-character split at paragraphs, keyboards."""

from __future__ import annotations

from bot.dialogue import Button, Reply
from bot.telegram.render import MAX_MESSAGE, messages, split


def test_user_text_is_escaped_for_html() -> None:
    [(text, markup)] = messages(Reply("<script>alert(1)</script> & <3"))
    assert text == "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;3" and markup is None


def test_long_text_splits_at_paragraphs_and_keyboard_goes_last() -> None:
    paragraphs = [f"Paragraf {n}. " + "kata " * 300 for n in range(8)]
    parts = messages(Reply("\n\n".join(paragraphs), ((Button("OK", "m:main"),),)))
    assert len(parts) > 1 and all(len(text) <= MAX_MESSAGE for text, _ in parts)
    assert all(text.startswith("Paragraf") for text, _ in parts)
    assert [markup is not None for _, markup in parts] == [False] * (len(parts) - 1) + [True]


def test_escaping_growth_is_counted_before_splitting() -> None:
    parts = messages(Reply("<" * 9000))
    assert all(len(text) <= MAX_MESSAGE for text, _ in parts)
    assert "".join(text for text, _ in parts) == "&lt;" * 9000


def test_a_paragraph_longer_than_the_limit_is_cut_between_words() -> None:
    chunks = split("kata " * 2000, 100)
    assert all(len(c) <= 100 for c in chunks) and all(not c.startswith(" ") for c in chunks)
