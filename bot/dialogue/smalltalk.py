"""Messages that are not questions: acknowledgements, thanks, "I have another question", emoji, stickers,
gibberish and a number typed alone.

They get a short friendly reply (``smalltalk.<kind>`` in ``ui.yaml``), never a topic answer, and they are
not fallbacks. Pure: the words come from the matcher (normalised and lexicon-expanded, so "sy mau tanya
lg" arrives as "saya ingin tanya lagi" and "makasih" as "terima kasih").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from enum import Enum

from intents import Match
from intents.noise import is_number_only

__all__ = ["Talk", "is_yes", "recognise", "sticker", "without_thanks"]


class Talk(Enum):
    ACK = "ack"  # "ok siap", "sip", "oh gitu", "👍", a bare "tidak"
    THANKS = "thanks"  # "jkp sy udh cair, makasih infonya", "🙏"
    SAD = "sad"  # "😭", "💔": an emoji of distress gets a gentle word and the way to help
    MORE = "more"  # "sy mau tanya lg", "I have another question"
    NUMBER = "number"  # "1": a choice typed instead of pressed
    GIBBERISH = "gibberish"  # "xxxxx", "asdfghjkl"


ACK_WORDS = frozenset(
    """
    ok oke okay okey okeh okee k kk sip sipp siap baik baiklah noted paham mengerti ngerti dimengerti jelas
    mantap mantab mantul oh ohh oo gitu begitu begini gini hmm hm hmmm iya ya yaa yah yup yoi yes sure alright
    right fine good great nice cool understood got see wkwk wkwkwk haha hehe hihi lol mau boleh yuk ayo gas
    tidak tdk gak ga gk nggak enggak engga no nope belum blm
    """.split()
)
FRAME_WORDS = frozenset(
    """
    saya aku gw gue kak ka min gan bang pak bu mas mbak mba dong deh sih nih kok lah kan ya nya aja saja
    kalau kalo begitu i it that is thats okay then pandu bot admin sekali banget deh terus
    """.split()
)
THANKS_WORDS = frozenset("makasih makasi mksh thanks thank thx tq tengkyu trims suwun nuwun nuhun".split())
ASK_WORDS = frozenset("tanya nanya bertanya pertanyaan question questions ask".split())
MORE_WORDS = frozenset("lagi lain lainnya another more else satu one".split())
MORE_FRAME = frozenset(
    """
    saya aku gw gue ingin mau pengen boleh bisa ada masih i have got can may want to a an one something
    kak min ya dong nih sih please pls
    """.split()
)
QUESTION_WORDS = frozenset(
    """
    apa apakah apa bagaimana gimana gmn bgmn kenapa mengapa kapan dimana mana siapa berapa cara caranya
    bisakah bolehkah gmana how what when where why which who can could should is are do does did
    tanya nanya bertanya tolong mohon bantu minta
    """.split()
)
GOODBYE_WORDS = frozenset(
    "bye dadah sekian pamit jumpa wassalam segitu cukup selesai goodbye udahan cabut".split()
)
PROBLEM_WORDS = frozenset(
    "belum tidak tdk gak ga gk nggak enggak tapi tetapi namun masih kok but not yet still ditolak gagal".split()
)
THANKS_EMOJI = frozenset("🙏")
SAD_EMOJI = frozenset("😭😢😞😔💔😿🥺😩😫😥😓😰😣")
_LETTERS = re.compile(r"[^\W_]")
MAX_TALK_WORDS = 12


def recognise(text: str, found: Match) -> Talk | None:
    """What kind of non-question ``text`` is, or None when it may be a question."""
    if not _LETTERS.search(text):
        if any(ch in SAD_EMOJI for ch in text):
            return Talk.SAD
        return Talk.THANKS if any(ch in THANKS_EMOJI for ch in text) else Talk.ACK if text.strip() else None
    if is_number_only(text):
        return Talk.NUMBER
    if found.noise:
        return Talk.GIBBERISH
    words = [w for w in found.words if w]
    if not words or len(words) > MAX_TALK_WORDS:
        return None
    if _only(words, ACK_WORDS, FRAME_WORDS) and any(w in ACK_WORDS for w in words):
        return Talk.ACK
    if _asks_for_more(words):
        return Talk.MORE
    if _thanks(words) and not _questioning(text, words) and not any(w in GOODBYE_WORDS for w in words):
        return Talk.THANKS
    return None


_THANKS_PHRASE = re.compile(
    r"\b(terima\s*kasih|makasih|makasi|mksh|thanks|thank you|thx|tq|tengkyu|trims)\b[^\w]*", re.IGNORECASE
)


def without_thanks(text: str, found: Match) -> str | None:
    """'makasih, jkp sy kok blm cair ya': the question without its thanks, to match again when the
    thanks won the match; None when the message is only thanks or asks nothing."""
    words = list(found.words)
    if not _thanks(words) or not _questioning(text, words):
        return None
    rest = _THANKS_PHRASE.sub(" ", text).strip(" ,.!")
    return rest if rest and rest != text else None


YES_WORDS = frozenset("ya yaa iya iyaa mau boleh yes yup yuk ayo gas sure please pls".split())


def is_yes(found: Match) -> bool:
    """'ya', 'mau dong', 'boleh kak': a plain yes (to a question such as "Mau saya carikan lowongan?")."""
    words = [w for w in found.words if w]
    return bool(words) and _only(words, YES_WORDS, FRAME_WORDS) and any(w in YES_WORDS for w in words)


def sticker() -> Talk:
    """A sticker is a reaction, like an emoji."""
    return Talk.ACK


def _only(words: Sequence[str], *allowed: frozenset[str]) -> bool:
    return all(any(w in group for group in allowed) for w in words)


def _asks_for_more(words: Sequence[str]) -> bool:
    """'mau tanya lagi', 'ada pertanyaan lain', 'one more question': asking to ask, nothing asked yet."""
    return (
        any(w in ASK_WORDS for w in words)
        and any(w in MORE_WORDS for w in words)
        and _only(words, ASK_WORDS, MORE_WORDS, MORE_FRAME, THANKS_WORDS, ACK_WORDS)
    )


def _thanks(words: Sequence[str]) -> bool:
    """A thanks word, or "terima kasih" (alone, "terima" is to receive: "sy lg terima jkp")."""
    pairs = zip(words, words[1:], strict=False)
    return any(w in THANKS_WORDS for w in words) or any(a == "terima" and b == "kasih" for a, b in pairs)


def _questioning(text: str, words: Sequence[str]) -> bool:
    """A question or a problem still open ('makasih, tapi kok belum cair')."""
    return "?" in text or any(w in QUESTION_WORDS or w in PROBLEM_WORDS for w in words)
