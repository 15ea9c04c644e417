"""Understanding short free-text answers: yes/no, ages, durations ("3 thn"), PHK dates ("2 bulan lalu").

These are vocabularies for *reading* what people type, not prose shown to them. Every function is pure;
the current date is always passed in.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from intents import normalise

YES, NO, UNSURE = "yes", "no", "unsure"

_YES = frozenset("ya iya iyaa iyah yes y yup yep yoi ok oke okay sudah udah udh sdh dah pernah benar betul bener true".split())
_NO = frozenset("tidak tdk gak ga gk nggak ngga enggak engga ndak nope no n belum blm blom bukan tak never".split())
_UNSURE = ("tidak tahu", "tidak tau", "tdk tahu", "tdk tau", "ga tau", "ga tahu", "gak tau", "gak tahu",
           "gk tau", "nggak tahu", "nggak tau", "ngga tau", "gatau", "gatahu", "kurang tahu", "kurang tau",
           "entah", "lupa", "ragu", "tidak yakin", "gak yakin", "ga yakin", "belum tahu", "belum tau",
           "dont know", "don t know", "do not know", "not sure", "no idea", "unsure", "idk")
_QUESTION_WORDS = frozenset("apa apakah bagaimana gimana gmn kenapa mengapa berapa brp kapan dimana siapa "
                            "how what why when where which who is are can does do could should".split())
MAX_ANSWER_WORDS = 8

NUMBER_WORDS: dict[str, float] = {
    "nol": 0, "satu": 1, "dua": 2, "tiga": 3, "empat": 4, "lima": 5, "enam": 6, "tujuh": 7, "delapan": 8,
    "sembilan": 9, "sepuluh": 10, "sebelas": 11, "dua belas": 12, "setengah": 0.5,
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "half": 0.5,
}
_NUM = r"\d+(?:[.,]\d+)?|" + "|".join(sorted(map(re.escape, NUMBER_WORDS), key=len, reverse=True))
_YEAR_UNIT = r"tahun|thn|th|thun|taun|years?|yrs?"
_MONTH_UNIT = r"bulan|bln|bl|bulanan|months?|mos?"
_DURATION = re.compile(rf"(?:(?P<num>{_NUM})(?:\s+(?P<half>setengah|half))?|(?P<se>se))\s*(?P<unit>{_YEAR_UNIT}|{_MONTH_UNIT})\b")
_MORE = re.compile(r"\b(lebih dari|lebih|lbh|more than|over|diatas|di atas)\b|>")
_LESS = re.compile(r"\b(kurang dari|kurang|krg|less than|under|dibawah|di bawah)\b|<")

MONTHS: dict[str, int] = {}
for _month_number, _names in enumerate((
        "januari jan january", "februari feb pebruari febuari february", "maret mar march", "april apr",
        "mei may", "juni jun june", "juli jul july", "agustus agu agt ags aug august", "september sep sept",
        "oktober okt oct october", "november nov nop", "desember des dec december"), start=1):
    MONTHS.update({name: _month_number for name in _names.split()})
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))


def _number(word: str) -> float:
    word = word.strip()
    return NUMBER_WORDS[word] if word in NUMBER_WORDS else float(word.replace(",", "."))


def looks_like_question(text: str) -> bool:
    """A question or a long sentence is not a short answer to our question."""
    words = normalise(text).split()
    return "?" in text or len(words) > MAX_ANSWER_WORDS or bool(words and words[0] in _QUESTION_WORDS)


def parse_yes_no(text: str) -> str | None:
    """'ya', 'sudah' -> YES; 'gak', 'belum' -> NO; 'ga tau' -> UNSURE; anything else -> None."""
    if looks_like_question(text):
        return None
    flat = f" {normalise(text)} "
    if any(f" {phrase} " in flat for phrase in _UNSURE):
        return UNSURE
    for word in flat.split():
        if word in _YES:
            return YES
        if word in _NO:
            return NO
    return None


def parse_age(text: str) -> int | None:
    """The first whole number in an answer about age ('35', 'umur 40 thn'), unless it counts months."""
    match = re.search(r"(\d{1,3})\s*(bulan|bln|months?)?", text.lower())
    if not match or match.group(2):
        return None
    return int(match.group(1))


def parse_duration_months(text: str) -> int | None:
    """'3 thn' -> 36, '36 bulan' -> 36, '1,5 tahun' -> 18, 'setahun' -> 12, '18' -> 18; None if no duration."""
    low = text.lower()
    total = 0.0
    found = False
    for match in _DURATION.finditer(low):
        count = 1.0 if match.group("se") else _number(match.group("num"))
        count += 0.5 if match.group("half") else 0.0
        total += count * (12 if re.fullmatch(_YEAR_UNIT, match.group("unit")) else 1)
        found = True
    if not found:
        bare = re.fullmatch(r"\s*(\d{1,3})\s*", low)
        if not bare:
            return None
        total = float(bare.group(1))
    months = round(total)
    if _MORE.search(low):
        months += 1
    elif _LESS.search(low):
        months = max(months - 1, 0)
    return months


def add_months(day: date, months: int) -> date:
    """Calendar months later (or earlier), clamped to the month's end: 31 Aug + 6 -> 28/29 Feb."""
    year, index = divmod(day.month - 1 + months, 12)
    year += day.year
    last = calendar.monthrange(year, index + 1)[1]
    return date(year, index + 1, min(day.day, last))


@dataclass(frozen=True)
class When:
    """A day the user named; ``exact`` is False when only the month was given (day is then the 1st)."""

    day: date
    exact: bool


def parse_when(text: str, today: date) -> When | None:
    """'2 bulan lalu', 'bulan lalu', 'Maret 2026', '03/2026', '22 Mei 2026', '2026-05-22', 'kemarin'."""
    low = " ".join(text.lower().replace(",", " ").split())
    for reader in (_relative_days, _relative_months, _numeric_date, _named_month):
        found = reader(low, today)
        if found is not None:
            return found
    return None


def _month_start(day: date) -> When:
    return When(day.replace(day=1), exact=False)


def _relative_days(low: str, today: date) -> When | None:
    if re.search(r"\b(hari ini|today|tadi)\b", low):
        return When(today, exact=True)
    if re.search(r"\b(kemarin|kemaren|yesterday)\b", low):
        return When(today - timedelta(days=1), exact=True)
    match = re.search(rf"\b(?:(?P<num>{_NUM})\s*|(?P<se>se))(?P<unit>hari|days?|minggu|mgg|pekan|weeks?)\s*(yang |yg )?(lalu|lewat|ago)\b", low)
    if not match:
        return None
    count = 1 if match.group("se") else int(_number(match.group("num")))
    days = count * (1 if match.group("unit") in ("hari", "day", "days") else 7)
    return When(today - timedelta(days=days), exact=True)


def _relative_months(low: str, today: date) -> When | None:
    if re.search(r"\b(bulan ini|this month)\b", low):
        return _month_start(today)
    if re.search(r"\b(bulan lalu|bulan kemarin|last month)\b", low) and not re.search(rf"({_NUM})\s*bulan lalu", low):
        return _month_start(add_months(today, -1))
    match = re.search(rf"\b(?:(?P<num>{_NUM})\s*|(?P<se>se))(?P<unit>{_MONTH_UNIT}|{_YEAR_UNIT})\s*(yang |yg )?(lalu|lewat|ago|kemarin)\b", low)
    if not match:
        return None
    count = 1 if match.group("se") else int(_number(match.group("num")))
    months = count * (12 if re.fullmatch(_YEAR_UNIT, match.group("unit")) else 1)
    return _month_start(add_months(today, -months))


def _numeric_date(low: str, today: date) -> When | None:
    patterns = ((r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b", (3, 2, 1)), (r"\b(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\b", (1, 2, 3)),
                (r"\b(\d{4})[/-](\d{1,2})\b", (None, 2, 1)), (r"\b(\d{1,2})[/-](\d{4})\b", (None, 1, 2)))
    for pattern, (d, m, y) in patterns:
        match = re.search(pattern, low)
        if match:
            return _make(int(match.group(y)), int(match.group(m)), int(match.group(d)) if d else None)
    return None


def _named_month(low: str, today: date) -> When | None:
    match = re.search(rf"(?:\b(\d{{1,2}})\s+)?\b({_MONTH})\b(?:\s+(\d{{4}}))?", low)
    if not match or (not match.group(1) and not match.group(3) and len(low.split()) > 3):
        return None
    month = MONTHS[match.group(2)]
    day = int(match.group(1)) if match.group(1) else None
    if match.group(3):
        return _make(int(match.group(3)), month, day)
    found = _make(today.year, month, day)
    if found is not None and found.day > today:
        found = _make(today.year - 1, month, day)
    return found


def _make(year: int, month: int, day: int | None) -> When | None:
    try:
        return When(date(year, month, day or 1), exact=day is not None)
    except ValueError:
        return None
