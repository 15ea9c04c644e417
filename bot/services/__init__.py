"""Guided services: JKP self-check, benefit calculator, vacancy search and training referral.

Pure, synchronous logic over knowledge data, grouped by domain (:mod:`.jkp`, :mod:`.jobs`,
:mod:`.training`) with shared helpers beside them. The dialogue core drives the flows (see
:mod:`bot.dialogue.flows`); their data files are listed in :data:`SECTIONS` (given to
``bot.knowledge.load`` by :mod:`bot.sections`) and arrive in ``kb.extras`` under those names.

Wiring notes for the core:

* ``knowledge/menus.yaml: flow_for_intent`` maps intents to the flow they offer; :func:`.router.direct_flow`
  spots messages that should go straight to a flow ("gaji 4 juta dapet jkp brp", "loker admin di bekasi").
* A button ``f:<flow>:...`` pressed while that flow is not running (offered by another flow, e.g.
  ``f:calculator:start`` after the self-check, or paging ``f:jobs:p:2:...`` after a result page)
  should go to ``FLOWS[flow].step(ctx, {}, incoming)``: every flow treats empty state as a fresh
  start and acts on the button. :func:`flow_of_button` tells which flow a button belongs to.
* :func:`scam_warning` says when to add the ``scam.warning`` text (:func:`scam_text`) to a reply.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from bot.dialogue import Services
from bot.dialogue.flows import Flow
from bot.knowledge import KnowledgeError, Problem, Section
from bot.knowledge.loader import read_sections

from . import regions, texts
from .freetext import add_months, looks_like_question, parse_when
from .jkp import journey
from .jkp import rules as jkp_rules
from .jkp.benefit import Schedule, benefit_schedule
from .jkp.calculator import CalculatorFlow, quote
from .jkp.eligibility import Answers, Assessment, assess
from .jkp.journey import TimelineFlow
from .jkp.selfcheck import SelfCheckFlow
from .jobs import catalog as jobs_catalog
from .jobs import vacancies
from .jobs.flow import JobsFlow
from .jobs.profile_flow import ProfileFlow
from .jobs.scam import scam_warning
from .jobs.search import JobQuery, SearchResult, parse_job_query, search
from .jobs.vacancies import ImportReport, Vacancy, import_vacancies_csv
from .money import format_rupiah, parse_money, read_money
from .router import direct_flow, place_vocabulary, scam_reminders, scam_text
from .training import catalogue as training
from .training.catalogue import recommend
from .training.flow import TrainingFlow, read_field, read_place

SECTIONS: Mapping[str, Section] = {
    jkp_rules.SECTION: Section(jkp_rules.PATH, jkp_rules.parse_jkp_rules, required=True),
    texts.SECTION: Section(texts.PATH, texts.parse_service_texts, required=True),
    regions.SECTION: Section(regions.PATH, regions.parse_regions, required=True),
    vacancies.SECTION: Section(vacancies.PATH, vacancies.parse_vacancies, required=True),
    jobs_catalog.SECTION: Section(jobs_catalog.PATH, jobs_catalog.parse_jobs, required=True),
    training.SECTION: Section(training.PATH, training.parse_training, required=True),
    journey.SECTION: Section(journey.PATH, journey.parse_journey, required=True),
}
"""The services' data files, by the ``kb.extras`` name each arrives under."""

VOCABULARY: tuple[Callable[[dict[str, Any]], Mapping[str, str]], ...] = (place_vocabulary,)
"""Lexicon entries the services derive from their data (place names); the admins' lexicon wins."""

FLOWS: dict[str, Flow] = {
    flow.name: flow
    for flow in (SelfCheckFlow(), CalculatorFlow(), JobsFlow(), TrainingFlow(), ProfileFlow(), TimelineFlow())
}

FLOW_FOR_COMMAND: dict[str, str] = {"profil": "profile", "profile": "profile"}

EFFECT_FOR_INTENT: dict[str, str] = {"jkp.deadline": "journey_remembered"}
"""After these answers the adapter adds what the user saved (their own deadline, from /jadwal)."""


def guided() -> Services:
    """The guided services as the dialogue core takes them."""
    return Services(
        flows=FLOWS,
        flow_for_command=FLOW_FOR_COMMAND,
        direct_flow=direct_flow,
        scam_warning=scam_warning,
        scam_text=scam_text,
        scam_reminders=scam_reminders,
        effect_for_intent=EFFECT_FOR_INTENT,
    )


def flow_of_button(data: str) -> str | None:
    """The flow a ``f:<flow>:...`` button belongs to, if it is one of ours."""
    parts = data.split(":", 2)
    return parts[1] if len(parts) == 3 and parts[0] == "f" and parts[1] in FLOWS else None


def load_service_data(root: Path) -> dict[str, Any]:
    """Parse only the services' files under ``root`` (for tests and tools); raises KnowledgeError."""
    problems: list[Problem] = []
    found = read_sections(Path(root), SECTIONS, problems)
    if problems:
        raise KnowledgeError(problems)
    return found


__all__ = [
    "FLOWS",
    "SECTIONS",
    "VOCABULARY",
    "Answers",
    "Assessment",
    "ImportReport",
    "JobQuery",
    "Schedule",
    "SearchResult",
    "Vacancy",
    "add_months",
    "assess",
    "benefit_schedule",
    "direct_flow",
    "flow_of_button",
    "format_rupiah",
    "guided",
    "import_vacancies_csv",
    "load_service_data",
    "looks_like_question",
    "parse_job_query",
    "parse_money",
    "parse_when",
    "quote",
    "read_field",
    "read_money",
    "read_place",
    "recommend",
    "scam_text",
    "scam_warning",
    "search",
]
