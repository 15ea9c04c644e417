"""Understanding short free-text answers: yes/no, ages, durations ("3 thn"), PHK dates ("2 bulan lalu").

These are vocabularies for *reading* what people type, not prose shown to them. Every function is pure;
the current date is always passed in.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from rapidfuzz import fuzz, process

from intents import normalise

YES, NO, UNSURE = "yes", "no", "unsure"

_YES = frozenset(
    "ya iya iyaa iyah yes y yup yep yoi ok oke okay sudah udah udh sdh dah pernah benar betul bener true".split()
)
_NO = frozenset(
    "tidak tdk gak ga gk nggak ngga enggak engga ndak nope no n belum blm blom bukan tak never".split()
)
_UNSURE = (
    "tidak tahu",
    "tidak tau",
    "tdk tahu",
    "tdk tau",
    "ga tau",
    "ga tahu",
    "gak tau",
    "gak tahu",
    "gk tau",
    "nggak tahu",
    "nggak tau",
    "ngga tau",
    "gatau",
    "gatahu",
    "kurang tahu",
    "kurang tau",
    "entah",
    "lupa",
    "ragu",
    "tidak yakin",
    "gak yakin",
    "ga yakin",
    "belum tahu",
    "belum tau",
    "dont know",
    "don t know",
    "do not know",
    "not sure",
    "no idea",
    "unsure",
    "idk",
)
_QUESTION_WORDS = frozenset(
    "apa apakah bagaimana gimana gmn kenapa mengapa berapa brp kapan dimana siapa "
    "how what why when where which who is are can does do could should".split()
)
MAX_ANSWER_WORDS = 8

NUMBER_WORDS: dict[str, float] = {
    "nol": 0,
    "satu": 1,
    "dua": 2,
    "tiga": 3,
    "empat": 4,
    "lima": 5,
    "enam": 6,
    "tujuh": 7,
    "delapan": 8,
    "sembilan": 9,
    "sepuluh": 10,
    "sebelas": 11,
    "dua belas": 12,
    "setengah": 0.5,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "half": 0.5,
}
_NUM = r"\d+(?:[.,]\d+)?|" + "|".join(sorted(map(re.escape, NUMBER_WORDS), key=len, reverse=True))
_YEAR_UNIT = r"tahun|thn|th|thun|taun|years?|yrs?"
_MONTH_UNIT = r"bulan|bln|bl|bulanan|months?|mos?"
_DURATION = re.compile(
    rf"(?:(?P<num>{_NUM})(?:\s+(?P<half>setengah|half))?|(?P<se>se))\s*(?P<unit>{_YEAR_UNIT}|{_MONTH_UNIT})\b"
)
_MORE = re.compile(r"\b(lebih dari|lebih|lbh|more than|over|diatas|di atas)\b|>")
_LESS = re.compile(r"\b(kurang dari|kurang|krg|less than|under|dibawah|di bawah)\b|<")

MONTHS: dict[str, int] = {}
for _month_number, _names in enumerate(
    (
        "januari jan january",
        "februari feb pebruari febuari february",
        "maret mar march",
        "april apr",
        "mei may",
        "juni jun june",
        "juli jul july",
        "agustus agu agt ags aug august",
        "september sep sept",
        "oktober okt oct october",
        "november nov nop",
        "desember des dec december",
    ),
    start=1,
):
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
    """A day the user named; ``exact`` is False when only the month was given (day is then the 1st).

    A day after ``today`` is returned as read ("besok", "1 Januari 2027"): callers ask back.
    """

    day: date
    exact: bool


# Words around a date that carry no date: "tanggal", "tgl", "pada", "on the ... of", "di-PHK".
_FILLER = re.compile(
    r"\b(tanggal|tanggalnya|tgl|tg|tang|pada|pd|on|the|of|sejak|since|dari|from)\b"
    r"|(?<=\d)(st|nd|rd|th)\b|\bke-?(?=\d)"
)
_WEEKDAYS = {
    name: index
    for index, names in enumerate(
        (
            "senin monday",
            "selasa tuesday",
            "rabu wednesday",
            "kamis thursday",
            "jumat jum'at friday",
            "sabtu saturday",
            "minggu ahad sunday",
        )
    )
    for name in names.split()
}
_WEEKDAY = "|".join(sorted(_WEEKDAYS, key=len, reverse=True))
_AGO = r"(?:yang |yg )?(?:lalu|lewat|kemarin|kemaren|kmrn|ago|yang lalu)"
_BEFORE = r"(?:lalu|kemarin|kemaren|kmrn|kmrin)"
_PARTS = {
    "awal": 1,
    "permulaan": 1,
    "early": 1,
    "beginning": 1,
    "start": 1,
    "pertengahan": 15,
    "tengah": 15,
    "mid": 15,
    "middle": 15,
    "akhir": 31,
    "ujung": 31,
    "late": 31,
    "end": 31,
}
_PART = "|".join(sorted(_PARTS, key=len, reverse=True))
_FUTURE = re.compile(
    r"\b(besok|besuk|lusa|tomorrow|bulan depan|minggu depan|pekan depan|tahun depan|next month|"
    r"next week|next year)\b"
)
_VAGUE = re.compile(
    r"\b(beberapa|bbrp|brp|berapa|several|a few|few|some)\s+(hari|minggu|pekan|bulan|bln|tahun|thn|"
    r"days?|weeks?|months?|years?)\b"
)
_HOLIDAY = re.compile(
    r"\b(lebaran|idul fitri|idulfitri|natal|christmas|imlek|ramadhan|ramadan|puasa|tahun baru|new year)\b"
)
_FULL_MONTHS = (
    "januari",
    "februari",
    "maret",
    "april",
    "mei",
    "juni",
    "juli",
    "agustus",
    "september",
    "oktober",
    "november",
    "desember",
    "january",
    "february",
    "march",
    "june",
    "july",
    "august",
    "october",
    "december",
)
MONTH_TYPO_CUTOFF = 85

_JOINERS = frozenset({"puluh", "belas", "ribu", "thousand", "ratus", "hundred"})
_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth")
_UNITS = {word: int(n) for word, n in NUMBER_WORDS.items() if n in range(1, 10) and " " not in word} | {
    word: n for n, word in enumerate(_ORDINALS, 1)
}
_TEENS = {
    "sepuluh": 10,
    "sebelas": 11,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
    "thirteenth": 13,
    "fourteenth": 14,
    "fifteenth": 15,
    "sixteenth": 16,
    "seventeenth": 17,
    "eighteenth": 18,
    "nineteenth": 19,
}
_TENS = {"twenty": 20, "thirty": 30, "twentieth": 20, "thirtieth": 30}


def parse_when(text: str, today: date) -> When | None:
    """'2 bulan lalu', 'bulan lalu', 'Maret 2026', '03/2026', '22 Mei 2026', '2026-05-22', 'kemarin',
    'tgl 10 januari 2026', '1/7/2026', 'awal Maret', 'laid off on 15 March', 'March 15, 2026', 'jumat lalu'.

    Day-first numbers (Indonesian order) unless the first number cannot be a month (7/13/2026 is 13 July);
    without a year the most recent such day (on or before ``today``); "N bulan lalu" is the same day N
    months back and "awal/pertengahan/akhir Maret" the 1st/15th/last day, all with ``exact`` False.
    "besok", "bulan depan", "20 Desember nanti" give the future day, which callers ask back about;
    vague spans ("beberapa bulan lalu", "lebaran kemarin") give None.
    """
    low = _clean(text)
    for reader in (_weekday, _numeric_date, _named_month):
        found = reader(low, today)
        if found is not None:
            return found
    if _VAGUE.search(low) or _HOLIDAY.search(low):  # "beberapa bulan lalu", "lebaran kemarin": ask
        return None
    for reader in (_relative_days, _relative_months, _future):
        found = reader(low, today)
        if found is not None:
            return found
    return None


def _clean(text: str) -> str:
    """Lower case, fillers out, number words as digits, misspelt month names corrected."""
    low = re.sub(r"(?<!\d),|,(?!\d)|'|(?<=[a-z])-(?=[a-z])", " ", text.lower())
    low = _FILLER.sub(" ", low.replace("jum at", "jumat"))
    return " ".join(_fix_month(word) for word in _digits(low.split()))


def _digits(words: list[str]) -> list[str]:
    """'dua puluh lima' -> '25', 'dua ribu dua puluh enam' -> '2026', 'twenty-first' -> '21'."""
    out: list[str] = []
    total, current, reading = 0, 0, False
    for word in [*words, ""]:
        parts = word.split("-") if word.count("-") == 1 and word.replace("-", "").isalpha() else [word]
        value = [_word_value(part, reading or i > 0) for i, part in enumerate(parts)]
        if word and all(v is not None for v in value):
            for part, v in zip(parts, value, strict=True):
                total, current = _accumulate(part, v, total, current)  # type: ignore[arg-type]
            reading = True
            continue
        if reading:
            out.append(str(total + current))
            total, current, reading = 0, 0, False
        if word:
            out.append(word)
    return out


def _word_value(word: str, reading: bool) -> int | None:
    if word in _JOINERS:
        return 0 if reading else None  # "puluh" alone is not a number; "500 ribu" stays as it is
    return next((table[word] for table in (_UNITS, _TEENS, _TENS) if word in table), None)


def _accumulate(word: str, value: int, total: int, current: int) -> tuple[int, int]:
    if word == "puluh":
        return total, current * 10
    if word == "belas":
        return total, current + 10
    if word in ("ratus", "hundred"):
        return total, current * 100
    if word in ("ribu", "thousand"):
        return total + current * 1000, 0
    return total, current + value


def _fix_month(word: str) -> str:
    if len(word) < 5 or not word.isalpha() or word in MONTHS:
        return word
    found = process.extractOne(word, _FULL_MONTHS, scorer=fuzz.ratio, score_cutoff=MONTH_TYPO_CUTOFF)
    return found[0] if found else word


def _month_start(day: date) -> When:
    return When(day.replace(day=1), exact=False)


def _relative_days(low: str, today: date) -> When | None:
    if re.search(r"\b(hari ini|today|tadi|barusan|tadi pagi)\b", low):
        return When(today, exact=True)
    if re.search(r"\b(kemarin lusa|kemaren lusa|day before yesterday)\b", low):
        return When(today - timedelta(days=2), exact=True)
    if re.search(r"\b(kemarin|kemaren|kmrn|kmrin|yesterday)\b", low) and not re.search(
        rf"\b(minggu|pekan|bulan|tahun)\s+{_BEFORE}\b", low
    ):
        return When(today - timedelta(days=1), exact=True)
    if re.search(rf"\b(minggu|pekan) {_BEFORE}\b|\blast week\b|\bseminggu {_AGO}\b", low) and not re.search(
        rf"({_NUM})\s*(minggu|pekan)", low
    ):
        return When(today - timedelta(days=7), exact=True)
    match = re.search(
        rf"\b(?:(?P<num>{_NUM}|a|an)\s*|(?P<se>se))(?P<unit>hari|hr|days?|minggu|mgg|pekan|weeks?)\s*{_AGO}\b",
        low,
    )
    if not match:
        return None
    count = 1 if match.group("se") or match.group("num") in ("a", "an") else int(_number(match.group("num")))
    days = count * (1 if match.group("unit") in ("hari", "hr", "day", "days") else 7)
    return When(today - timedelta(days=days), exact=True)


def _weekday(low: str, today: date) -> When | None:
    """'jumat lalu', 'hari senin kemarin', 'last friday': the most recent such day before today;
    'senin minggu lalu': that day in the previous Monday-to-Sunday week."""
    match = re.search(
        rf"\b(?P<day>{_WEEKDAY}) (?:minggu|pekan) (?:lalu|kemarin|kemaren|kmrn)\b|\b(?P<day2>{_WEEKDAY}) last week\b",
        low,
    )
    if match:
        monday = today - timedelta(days=today.weekday() + 7)
        return When(monday + timedelta(days=_WEEKDAYS[match.group("day") or match.group("day2")]), exact=True)
    match = re.search(
        rf"\b(?:(?:last|this past|past) (?P<en>{_WEEKDAY})|(?:hari )?(?P<id>{_WEEKDAY}) {_BEFORE})\b", low
    )
    if not match or (match.group("id") == "minggu" and not match.group(0).startswith("hari")):
        return None
    target = _WEEKDAYS[match.group("en") or match.group("id")]
    back = (today.weekday() - target - 1) % 7 + 1
    return When(today - timedelta(days=back), exact=True)


def _relative_months(low: str, today: date) -> When | None:
    """'3 bulan lalu' (same day, 3 months back), 'bulan lalu' (its 1st), 'akhir tahun lalu', '15 bulan ini'."""
    match = re.search(
        rf"\b(?:(?P<num>{_NUM}|a|an)\s*(?:(?P<half>setengah|and a half|half)\s+)?|(?P<se>se))"
        rf"(?P<unit>{_MONTH_UNIT}|{_YEAR_UNIT})\s*(?:(?P<half2>setengah|and a half)\s+)?{_AGO}\b",
        low,
    )
    if not match:
        return _calendar_month(low, today)
    count = 1.0 if match.group("se") or match.group("num") in ("a", "an") else _number(match.group("num"))
    count += 0.5 if match.group("half") or match.group("half2") else 0.0
    months = round(count * (12 if re.fullmatch(_YEAR_UNIT, match.group("unit")) else 1))
    return When(add_months(today, -months), exact=False)


def _calendar_month(low: str, today: date) -> When | None:
    """A named calendar month or year without its name: 'bulan lalu', 'pertengahan bulan ini', 'awal tahun ini'."""
    match = re.search(
        rf"(?:\b(?P<day>\d{{1,2}}) (?=(?:bulan|bln) ini)|\b(?P<part>{_PART}) )?\b(?:(?P<month>bulan|bln)|(?P<year>tahun|thn|th)) "
        rf"(?P<when>ini|lalu|kemarin|kemaren|kmrn)\b|\b(?P<en>this|last) (?P<unit>month|year)\b",
        low,
    )
    if not match or (match.group("year") and not match.group("part") and not match.group("en")):
        return None
    back = 0 if (match.group("when") or match.group("en")) in ("ini", "this") else 1
    if match.group("year") or match.group("unit") == "year":
        first = date(today.year - back, 1 if _PARTS.get(match.group("part") or "", 1) < 31 else 12, 1)
    else:
        first = add_months(today.replace(day=1), -back)
    if match.group("day"):
        return _make(first.year, first.month, int(match.group("day")))
    return _part(first, match.group("part"))


def _part(first: date, part: str | None) -> When:
    """The 1st, 15th or last day of ``first``'s month for awal/pertengahan/akhir; the 1st without a part."""
    wanted = _PARTS.get(part or "", 1)
    return When(first.replace(day=min(wanted, calendar.monthrange(first.year, first.month)[1])), exact=False)


def _numeric_date(low: str, today: date) -> When | None:
    match = re.search(r"\b(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})\b", low)
    if match:
        return _make(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    match = re.search(r"\b(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{4}|\d{2}))?\b", low)
    if match and (match.group(3) or "/" in match.group(0) or "-" in match.group(0)):
        first, second = int(match.group(1)), int(match.group(2))
        day, month = (second, first) if second > 12 >= first else (first, second)
        if match.group(3):
            return _make(_year(match.group(3)), month, day)
        return _latest(today, month, day)
    for pattern, (m, y) in (
        (r"\b(\d{4})[/-](\d{1,2})\b", (2, 1)),
        (r"\b(\d{1,2})[/-](\d{4})\b", (1, 2)),
        (r"\b(?:bulan|bln|bl|month) (\d{1,2}) (?:tahun |thn |th |year )?(\d{4})\b", (1, 2)),
    ):
        found = re.search(pattern, low)
        if found:
            return _make(int(found.group(y)), int(found.group(m)), None)
    return None


def _named_month(low: str, today: date) -> When | None:
    """'22 Mei 2026', 'March 15 2026', 'awal Maret', 'Juli tahun lalu', 'desember ini', '20 Desember nanti'."""
    year_part = r"(?:\s+(?:tahun |thn |th |year )?(?P<year>\d{4}|\d{2}(?!\d)))?"
    after = r"(?:\s+(?P<after>ini|nanti|depan|lalu|kemarin|kemaren|kmrn|tahun ini|tahun lalu|thn lalu|this year|last year))?"
    match = (
        re.search(rf"\b(?P<day>\d{{1,2}})\s+(?:bulan |bln )?(?P<month>{_MONTH})\b{year_part}{after}", low)
        or re.search(rf"\b(?P<month>{_MONTH})\s+(?P<day>\d{{1,2}})(?!\d){year_part}{after}", low)
        or re.search(
            rf"(?:\b(?P<part>{_PART}) (?:bulan |bln )?|\b(?:bulan|bln|in|during) )?\b(?P<month>{_MONTH})\b"
            rf"{year_part}{after}",
            low,
        )
    )
    if not match:
        return None
    groups = match.groupdict()
    if (
        not any(groups.get(k) for k in ("day", "year", "part", "after"))
        and len(low.split()) > 3
        and not re.search(rf"\b(bulan|bln|in|during) {match.group('month')}\b", low)
    ):
        return None
    month, day, part = (
        MONTHS[match.group("month")],
        int(groups["day"]) if groups.get("day") else None,
        groups.get("part"),
    )
    year = _year(groups["year"]) if groups.get("year") else _year_after(groups.get("after") or "", today)
    if year is None:  # the most recent such day that is not in the future
        probe = _make(today.year, month, day) if day else _part(date(today.year, month, 1), part)
        year = today.year if probe is None or probe.day <= today else today.year - 1
    return _make(year, month, day) if day else _part(date(year, month, 1), part)


def _year_after(after: str, today: date) -> int | None:
    """'ini'/'nanti'/'this year' -> this year, 'depan' -> next, 'tahun lalu' -> last; None: most recent."""
    if after in ("ini", "nanti", "tahun ini", "this year"):
        return today.year
    if after == "depan":
        return today.year + 1
    if after in ("tahun lalu", "thn lalu", "last year"):
        return today.year - 1
    return None


def _future(low: str, today: date) -> When | None:
    """'besok', 'bulan depan': a day after today, so the caller asks back."""
    match = _FUTURE.search(low)
    if not match:
        return None
    word = match.group(1)
    if word in ("besok", "besuk", "tomorrow"):
        return When(today + timedelta(days=1), exact=True)
    if word == "lusa":
        return When(today + timedelta(days=2), exact=True)
    if "week" in word or "minggu" in word or "pekan" in word:
        return When(today + timedelta(days=7), exact=True)
    return _month_start(add_months(today, 12 if ("year" in word or "tahun" in word) else 1))


def _year(text: str) -> int:
    return int(text) if len(text) == 4 else 2000 + int(text)


def _latest(today: date, month: int, day: int | None) -> When | None:
    """The most recent ``day``/``month`` on or before ``today`` (a month without a day: its 1st)."""
    found = _make(today.year, month, day)
    if found is not None and found.day > today:
        found = _make(today.year - 1, month, day)
    return found


def _make(year: int, month: int, day: int | None) -> When | None:
    try:
        return When(date(year, month, day or 1), exact=day is not None)
    except ValueError:
        return None
