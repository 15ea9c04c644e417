"""The text router: which messages go straight to a guided flow, and the lexicon read from place names.

Pure functions over the message text and (optionally) the knowledge base.
"""

from __future__ import annotations

import re
from typing import Any

from bot.dialogue.core import today_wib
from bot.knowledge import KnowledgeBase
from bot.services import regions, texts
from bot.services.freetext import looks_like_question
from bot.services.jkp.journey import wants_timeline
from bot.services.jobs import catalog as jobs_catalog
from bot.services.jobs.profile_flow import wants_alerts
from bot.services.jobs.scam import scam_warning
from bot.services.jobs.search import parse_job_query
from bot.services.money import MIN_WAGE_CHECK, read_money
from bot.services.training import catalogue as training
from bot.services.training.flow import FITS_ME, read_field, read_place
from intents import normalise

_BENEFIT_WORDS = re.compile(r"\b(jkp|jaminan kehilangan pekerjaan|uang tunai|manfaat tunai|cash benefit)\b")
_NOT_BENEFIT = re.compile(r"\b(iuran|premi|contribution|pesangon|severance|jht)\b")
_SEARCH_WORDS = re.compile(
    r"\b(loker|lowker|lowongan|lowongan kerja|vacancy|vacancies|cari kerja|cari kerjaan|"
    r"nyari kerja|mencari kerja|job|jobs|hiring)\b"
)
_PLACE_AFTER = re.compile(r"\b(di|daerah|wilayah|sekitar|area|in|at|near)\s+[a-z]{3,}")
_CALC_WORDS = re.compile(
    r"\b(hitung|hitungkan|hitungan|menghitung|kalkulator|simulasi|calculate|calculator|estimate)\b"
)
_CHECK_WORDS = re.compile(
    r"\b(cek|check|tes|test|periksa)\s+(kelayakan|eligibility|syarat jkp|apakah saya (berhak|layak)|"
    r"my eligibility|if i (qualify|am eligible))\b|\bself ?check\b"
)
_TRAINING_WORDS = re.compile(r"\b(pelatihan|latihan|kursus|training|course|courses|blk|bpvp|belajar)\b")
_FRAUD_WORDS = re.compile(
    r"\b(penipuan|penipu|nipu|tipu|ditipu|menipu|scam|scammer|fraud|fake|palsu|bodong|hoax|hoaks)\b"
)
_PAYING_WORDS = re.compile(r"\b(bayar|biaya|uang|duit|transfer|tf|setor|pay|paid|fee|fees|money)\b")
_ALERT_TOPIC = re.compile(r"\b(loker|lowker|lowongan|vacancy|vacancies|job|jobs|kerja|pekerjaan)\b")
_PROFILE_WORDS = re.compile(
    r"\b(profil kerja|profil pencari kerja|profil lamaran|job profile|job seeker profile)\b"
)
MAX_BARE_WORDS = 5


# Place names that are also everyday words: never read them as "a place".
_NOT_PLACES = frozenset(
    "batu barat timur utara selatan tengah raya baru kota pulau besar kecil lima puluh tanah laut gunung "
    "sungai bukit muara pasir jaya indah sumber agung mulia asahan".split()
)


def place_vocabulary(extras: dict[str, Any]) -> dict[str, str]:
    """Lexicon entries reading any one-word place name as the word "kota" (city).

    Example phrasings name a few cities ("loker di bekasi"); users name any of Indonesia's 514. Reading
    every place as "kota" lets "lowongan sopir di cirebon" meet the examples that mention a city.
    """
    found = extras.get(regions.SECTION)
    if not isinstance(found, regions.Regions):
        return {}
    return {
        name: "kota"
        for name in found.single_word_names()
        if len(name) >= 4 and name.isalpha() and name not in _NOT_PLACES
    }


def direct_flow(text: str, kb: KnowledgeBase | None = None) -> tuple[str, str] | None:
    """``(flow, text)`` when a message should start a flow right away, else None.

    A wage with a JKP word, or "hitung jkp" -> the calculator; "cek kelayakan jkp" -> the self-check.
    With ``kb``: a vacancy word with a known job or a place ("loker kasir", "loker di bandung"), or a
    short job-and-place message ("operator produksi Bekasi") -> the search, which asks what is
    missing; a training word with a field or a place ("kursus komputer", "pelatihan las di bekasi")
    -> the training referral. Without ``kb`` a place is assumed after "di"/"in" and a job before it.
    """
    flat = normalise(text)
    reading = read_money(text)
    benefit = _BENEFIT_WORDS.search(flat) and not _NOT_BENEFIT.search(flat)
    if benefit and (
        (reading.problem is None and reading.amount and reading.amount >= MIN_WAGE_CHECK)
        or _CALC_WORDS.search(flat)
    ):
        return ("calculator", text)
    if _CHECK_WORDS.search(flat) and not _NOT_BENEFIT.search(flat):
        return ("selfcheck", text)
    if wants_timeline(text, today_wib()):
        return ("timeline", text)  # "di-PHK 1 Juli 2026, kapan batas klaim jkp?": the person's own deadline
    if wants_alerts(text) and _ALERT_TOPIC.search(flat):
        return ("profile", text)  # "kabari saya kalau ada lowongan baru"
    if _PROFILE_WORDS.search(flat):
        return ("profile", text)  # "profil kerja saya", "buat profil"
    if kb is None:
        return ("jobs", text) if _SEARCH_WORDS.search(flat) and _names_job_and_place(flat) else None
    return _search_or_training(text, flat, kb)


def _search_or_training(text: str, flat: str, kb: KnowledgeBase) -> tuple[str, str] | None:
    searching, learning = _SEARCH_WORDS.search(flat), _TRAINING_WORDS.search(flat)
    if not (searching or learning) and (len(flat.split()) > MAX_BARE_WORDS or looks_like_question(text)):
        return None  # decided before the (costly) job-and-place parse: most messages end here
    query = parse_job_query(text, kb.extras[regions.SECTION], kb.extras[jobs_catalog.SECTION])
    if searching and (_FRAUD_WORDS.search(flat) or (scam_warning(text) and looks_like_question(text))):
        return None  # "loker minta biaya admin, penipuan ga?" asks about a scam, it is not a search
    if searching:
        return ("jobs", text) if query.occupations or query.place is not None else None
    field = read_field(text, kb.extras[training.SECTION])
    if learning and FITS_ME.search(flat) and not _PAYING_WORDS.search(flat):
        return ("training", text)  # "pelatihan yang cocok untuk saya": the flow reads the job profile
    if learning:
        return (
            ("training", text)
            if (field or read_place(text, kb.extras[regions.SECTION])) and not _PAYING_WORDS.search(flat)
            else None
        )
    if len(flat.split()) > MAX_BARE_WORDS or query.place is None or looks_like_question(text):
        return None
    if query.occupations and not query.words:
        return ("jobs", text)  # "operator produksi Bekasi", "kasir medan"
    return ("training", text) if field and not query.occupations else None  # "komputer perkantoran Medan"


def _names_job_and_place(flat: str) -> bool:
    match = _PLACE_AFTER.search(flat)
    before = _SEARCH_WORDS.sub(" ", flat[: match.start()]).split() if match else []
    return bool(match and before)


def scam_reminders(kb: KnowledgeBase, lang: str) -> tuple[str, ...]:
    """Other texts that already warn about scams (a vacancy page's reminder): no second warning under them."""
    return (kb.extras[texts.SECTION].get("jobs.reminder", lang),)


def scam_text(kb: KnowledgeBase, lang: str) -> str:
    """The scam warning (how to recognise and report recruitment fraud) in ``lang``."""
    return kb.extras[texts.SECTION].get("scam.warning", lang)  # type: ignore[no-any-return]
