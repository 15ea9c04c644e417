"""Guided services: JKP self-check, benefit calculator, vacancy search and training referral.

Pure, synchronous logic over knowledge data. The dialogue core drives the flows (see
:mod:`bot.dialogue.flows`); their data files are registered with the knowledge loader by
:func:`register_sections` and arrive in ``kb.extras`` under :data:`SECTIONS`' names.

Wiring notes for the core:

* ``FLOW_FOR_INTENT`` maps catalogue intents to the flow they start; :func:`direct_flow` spots
  messages that should go straight to a flow ("gaji 4 juta dapet jkp brp", "loker admin di bekasi").
* A button ``f:<flow>:...`` pressed while that flow is not running (offered by another flow, e.g.
  ``f:calculator:start`` after the self-check, or paging ``f:jobs:p:2:...`` after a result page)
  should go to ``FLOWS[flow].step(ctx, {}, incoming)``: every flow treats empty state as a fresh
  start and acts on the button. :func:`flow_of_button` tells which flow a button belongs to.
* :func:`scam_warning` says when to add the ``scam.warning`` text (:func:`scam_text`) to a reply.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from bot import knowledge
from bot.dialogue.flows import Flow
from bot.knowledge import KnowledgeBase, KnowledgeError, Problem, Section
from bot.knowledge.parse import Collector
from bot.knowledge.yamlio import load_yaml
from intents import normalise

from . import jkp_rules, jobs_catalog, regions, texts, training, vacancies
from .benefit import Schedule, benefit_schedule
from .calculator import CalculatorFlow, quote
from .eligibility import Answers, Assessment, assess
from .freetext import add_months, looks_like_question, parse_when
from .jobs_flow import JobsFlow
from .money import MIN_WAGE_CHECK, format_rupiah, parse_money, read_money
from .scam import scam_warning
from .search import JobQuery, SearchResult, parse_job_query, search
from .selfcheck import SelfCheckFlow
from .training import recommend
from .training_flow import TrainingFlow, read_field, read_place
from .vacancies import ImportReport, Vacancy, import_vacancies_csv

SECTIONS: dict[str, Section] = {
    jkp_rules.SECTION: Section(jkp_rules.PATH, jkp_rules.parse_jkp_rules, required=True),
    texts.SECTION: Section(texts.PATH, texts.parse_service_texts, required=True),
    regions.SECTION: Section(regions.PATH, regions.parse_regions, required=True),
    vacancies.SECTION: Section(vacancies.PATH, vacancies.parse_vacancies, required=True),
    jobs_catalog.SECTION: Section(jobs_catalog.PATH, jobs_catalog.parse_jobs, required=True),
    training.SECTION: Section(training.PATH, training.parse_training, required=True),
}

FLOWS: dict[str, Flow] = {flow.name: flow for flow in (SelfCheckFlow(), CalculatorFlow(), JobsFlow(), TrainingFlow())}

FLOW_FOR_INTENT: dict[str, str] = {
    "jkp.eligibility": "selfcheck",
    "jobs.search": "jobs",
    "training.recommend": "training",
    "jkp.cash_amount": "calculator",
}

_BENEFIT_WORDS = re.compile(r"\b(jkp|jaminan kehilangan pekerjaan|uang tunai|manfaat tunai|cash benefit)\b")
_NOT_BENEFIT = re.compile(r"\b(iuran|premi|contribution|pesangon|severance|jht)\b")
_SEARCH_WORDS = re.compile(r"\b(loker|lowker|lowongan|lowongan kerja|vacancy|vacancies|cari kerja|cari kerjaan|"
                           r"nyari kerja|mencari kerja|job|jobs|hiring)\b")
_PLACE_AFTER = re.compile(r"\b(di|daerah|wilayah|sekitar|area|in|at|near)\s+[a-z]{3,}")
_CALC_WORDS = re.compile(r"\b(hitung|hitungkan|hitungan|menghitung|kalkulator|simulasi|calculate|calculator|estimate)\b")
_CHECK_WORDS = re.compile(r"\b(cek|check|tes|test|periksa)\s+(kelayakan|eligibility|syarat jkp|apakah saya (berhak|layak)|"
                          r"my eligibility|if i (qualify|am eligible))\b|\bself ?check\b")
_TRAINING_WORDS = re.compile(r"\b(pelatihan|latihan|kursus|training|course|courses|blk|bpvp|belajar)\b")
_PAYING_WORDS = re.compile(r"\b(bayar|biaya|uang|duit|transfer|tf|setor|pay|paid|fee|fees|money)\b")
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
    return {name: "kota" for name in found.single_word_names()
            if len(name) >= 4 and name.isalpha() and name not in _NOT_PLACES}


def register_sections() -> None:
    """Add the services' data files to what ``bot.knowledge.load`` reads and ``python -m bot check`` checks."""
    for name, section in SECTIONS.items():
        knowledge.register(name, section)
    knowledge.register_vocabulary(place_vocabulary)


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
    if benefit and ((reading.problem is None and reading.amount and reading.amount >= MIN_WAGE_CHECK)
                    or _CALC_WORDS.search(flat)):
        return ("calculator", text)
    if _CHECK_WORDS.search(flat) and not _NOT_BENEFIT.search(flat):
        return ("selfcheck", text)
    if kb is None:
        return ("jobs", text) if _SEARCH_WORDS.search(flat) and _names_job_and_place(flat) else None
    return _search_or_training(text, flat, kb)


def _search_or_training(text: str, flat: str, kb: KnowledgeBase) -> tuple[str, str] | None:
    searching, learning = _SEARCH_WORDS.search(flat), _TRAINING_WORDS.search(flat)
    if not (searching or learning) and (len(flat.split()) > MAX_BARE_WORDS or looks_like_question(text)):
        return None  # decided before the (costly) job-and-place parse: most messages end here
    query = parse_job_query(text, kb.extras[regions.SECTION], kb.extras[jobs_catalog.SECTION])
    if searching:
        return ("jobs", text) if query.occupations or query.place is not None else None
    field = read_field(text, kb.extras[training.SECTION])
    if learning:
        return ("training", text) if (field or read_place(text, kb.extras[regions.SECTION])) and not _PAYING_WORDS.search(flat) else None
    if len(flat.split()) > MAX_BARE_WORDS or query.place is None or looks_like_question(text):
        return None
    if query.occupations and not query.words:
        return ("jobs", text)     # "operator produksi Bekasi", "kasir medan"
    return ("training", text) if field and not query.occupations else None  # "komputer perkantoran Medan"


def _names_job_and_place(flat: str) -> bool:
    match = _PLACE_AFTER.search(flat)
    before = _SEARCH_WORDS.sub(" ", flat[:match.start()]).split() if match else []
    return bool(match and before)


def flow_of_button(data: str) -> str | None:
    """The flow a ``f:<flow>:...`` button belongs to, if it is one of ours."""
    parts = data.split(":", 2)
    return parts[1] if len(parts) == 3 and parts[0] == "f" and parts[1] in FLOWS else None


def scam_text(kb: KnowledgeBase, lang: str) -> str:
    """The scam warning (how to recognise and report recruitment fraud) in ``lang``."""
    return kb.extras[texts.SECTION].get("scam.warning", lang)  # type: ignore[no-any-return]


def load_service_data(root: Path) -> dict[str, Any]:
    """Parse only the services' files under ``root`` (for tests and tools); raises KnowledgeError."""
    root = Path(root)
    problems: list[Problem] = []
    found: dict[str, Any] = {}
    for name, section in SECTIONS.items():
        path = root / section.path
        label = str(Path(root.name) / section.path)
        if not path.exists():
            problems.append(Problem(label, 1, "file is missing"))
            continue
        data, read = (None, []) if path.suffix == ".csv" else load_yaml(path, label=label)
        problems += read
        collector = Collector(label)
        found[name] = section.parse(data, collector, root)
        problems += collector.problems
    if problems:
        raise KnowledgeError(problems)
    return found


__all__ = [
    "FLOWS", "FLOW_FOR_INTENT", "SECTIONS", "Answers", "Assessment", "ImportReport", "JobQuery", "Schedule",
    "SearchResult", "Vacancy", "add_months", "assess", "benefit_schedule", "direct_flow", "flow_of_button",
    "format_rupiah", "import_vacancies_csv", "load_service_data", "parse_job_query", "parse_money",
    "parse_when", "quote", "read_money", "recommend", "register_sections", "scam_text", "scam_warning", "search",
]
