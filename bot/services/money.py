"""Reading rupiah amounts the way people type them, and writing them back: ``Rp2.400.000``.

``read_money`` finds the first amount in a message ("gaji 4,5jt dapet jkp brp") and says what is wrong
with it, if anything; ``parse_money`` returns just the amount. Understood: digits with Indonesian or
English separators ("4.500.000", "4,500,000", "Rp 4.500.000,-"), decimals before a unit ("4,5 juta",
"4.5jt"), units (ribu/rb/k, juta/jt, miliar/M), sums ("2 jt 500 rb", "4 juta 500") and Indonesian
number words ("empat setengah juta", "dua juta lima ratus ribu").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .freetext import NUMBER_WORDS

MIN_WAGE_CHECK = 100_000  # below this we ask the user to check the figure
MAX_AMOUNT = 1_000_000_000  # above Rp1 miliar is not a monthly wage

UNREADABLE, NEGATIVE, ZERO, TOO_HIGH, TOO_LOW = "unreadable", "negative", "zero", "too_high", "too_low"

_BIG = {
    "ribu": 1_000,
    "rb": 1_000,
    "rbu": 1_000,
    "rebu": 1_000,
    "k": 1_000,
    "thousand": 1_000,
    "juta": 1_000_000,
    "jt": 1_000_000,
    "jta": 1_000_000,
    "jeti": 1_000_000,
    "million": 1_000_000,
    "mio": 1_000_000,
    "miliar": 1_000_000_000,
    "milyar": 1_000_000_000,
    "billion": 1_000_000_000,
}
_SMALL = {"puluh": 10, "ratus": 100, "hundred": 100}
_SE = {
    "seribu": ("ribu", 1),
    "sejuta": ("juta", 1),
    "seratus": ("ratus", 1),
    "sepuluh": (None, 10),
    "sebelas": (None, 11),
}
_HALF = ("setengah", "half")
_DIGITS = {word: int(n) for word, n in NUMBER_WORDS.items() if n in range(10) and " " not in word} | {
    "ten": 10
}
_NOT_MONEY_UNITS = frozenset(
    "bulan bln bl tahun thn th hari minggu jam persen % kali orang x months month "
    "years year days hours".split()
)
_TOKEN = re.compile(r"\d(?:[\d.,]*\d)?|[a-z%]+|-")
_THOUSANDS = re.compile(r"\d{1,3}([.,])\d{3}(?:\1\d{3})*")


@dataclass(frozen=True)
class MoneyReading:
    """An amount in whole rupiah (None when unreadable) and what is wrong with it (None when fine)."""

    amount: int | None
    problem: str | None = None


def format_rupiah(amount: int) -> str:
    """12400000 -> 'Rp12.400.000'."""
    sign = "-" if amount < 0 else ""
    return f"{sign}Rp{abs(amount):,}".replace(",", ".")


def parse_money(text: str) -> int | None:
    """The amount in ``text`` in rupiah, or None for nonsense, zero, negative or over Rp1 miliar."""
    reading = read_money(text)
    return reading.amount if reading.problem in (None, TOO_LOW) else None


def read_money(text: str) -> MoneyReading:
    """The first amount in ``text`` and its problem: unreadable, negative, zero, too_high or too_low."""
    words = _tokens(text)
    values = [value for start, end in _runs(words) if (value := _signed(words, start, end)) is not None]
    if not values:
        return MoneyReading(None, UNREADABLE)
    plausible = [value for value in values if abs(value) >= MIN_WAGE_CHECK]
    return _judge((plausible or values)[0])


def _signed(words: list[str], start: int, end: int) -> float | None:
    """The run's value, negative when a minus stands before it (not a range such as '4-5 juta')."""
    value = _evaluate(words[start:end])
    before = words[start - 1] if start > 0 else ""
    negative = before in ("minus", "min") or (
        before == "-" and (start < 2 or not _is_number_word(words[start - 2]))
    )
    return -value if value is not None and negative else value


def _judge(value: float) -> MoneyReading:
    amount = round(value)
    if amount < 0:
        return MoneyReading(None, NEGATIVE)
    if amount == 0:
        return MoneyReading(None, ZERO)
    if amount > MAX_AMOUNT:
        return MoneyReading(None, TOO_HIGH)
    return MoneyReading(amount, TOO_LOW if amount < MIN_WAGE_CHECK else None)


def _tokens(text: str) -> list[str]:
    low = text.lower().replace(",-", " ").replace("rp.", " ").replace("idr", " ")
    low = re.sub(r"\brp\s*", " ", low)
    low = re.sub(r"(\d)rp\b", r"\1", low)
    return _TOKEN.findall(low)


def _is_number_word(word: str) -> bool:
    return (
        word[0].isdigit()
        or word in _DIGITS
        or word in _SE
        or word in _BIG
        or word in _SMALL
        or word in _HALF
        or word == "belas"
    )


def _runs(words: list[str]) -> list[tuple[int, int]]:
    """Spans of consecutive number-ish words that contain a digit or a number word, not followed by a time unit."""
    spans, i = [], 0
    while i < len(words):
        if not _is_number_word(words[i]) or words[i] in _BIG or words[i] in _SMALL:
            i += 1
            continue
        j = i
        while j < len(words) and (_is_number_word(words[j]) or words[j] in ("rupiah", "dan", "and")):
            j += 1
        if j >= len(words) or words[j] not in _NOT_MONEY_UNITS:
            spans.append((i, j))
        i = j
    return spans


def _numeral(word: str) -> float | None:
    """'4.500.000' -> 4500000, '4,500' -> 4500, '4.500.000,00' -> 4500000, '4,5' -> 4.5."""
    match = _THOUSANDS.fullmatch(word)
    if match:
        return float(word.replace(match.group(1), ""))
    cents = re.fullmatch(r"(\d{1,3}(?:\.\d{3})+),(\d{1,2})", word)
    if cents:
        return float(cents.group(1).replace(".", ""))
    decimal = re.fullmatch(r"(\d+)[.,](\d{1,2})", word)
    if decimal:
        return float(f"{decimal.group(1)}.{decimal.group(2)}")
    return float(word) if word.isdigit() else None


def _evaluate(words: list[str]) -> float | None:
    """Indonesian-style number grammar: groups below a thousand, scaled by ribu/juta/miliar, summed."""
    total = group = current = 0.0
    last_big = 0
    for word in words:
        if word in ("rupiah", "dan", "and"):
            continue
        if word[0].isdigit():
            value = _numeral(word)
            if value is None:
                return None
            current = value
        elif word in _DIGITS:
            current = _DIGITS[word]
        elif word in _HALF:
            current += 0.5
        elif word in _SE:
            unit, value = _SE[word]
            if unit in _BIG:
                total += _BIG[unit]
                group, current, last_big = 0.0, 0.0, _BIG[unit]
            elif unit in _SMALL:
                group += _SMALL[unit]
            else:
                current = value
        elif word == "belas":
            group += current + 10
            current = 0.0
        elif word in _SMALL:
            group += (current or 1) * _SMALL[word]
            current = 0.0
        elif word in _BIG:
            total += (group + current or 1) * _BIG[word]
            group, current, last_big = 0.0, 0.0, _BIG[word]
    rest = group + current
    if last_big >= 1_000_000 and 100 <= rest < 1000:
        return total + rest * last_big / 1000  # "4 juta 500" and "dua juta lima ratus" mean 2.500.000
    return total + rest
