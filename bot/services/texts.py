"""The sentences the guided services show (knowledge/services.yaml), and date formatting.

``texts: {key: {id: ..., en: ...}}`` with ``{placeholders}``; ``months: {id: [...12], en: [...12]}``.
Python code refers to texts by key only; :data:`REQUIRED` lists every key the code uses, so
``python -m bot check`` catches a key deleted from the file.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date as Date  # the name ``date`` is ServiceTexts.date in the class body
from pathlib import Path
from typing import Any

from bot.knowledge.model import LANGS, Texts
from bot.knowledge.parse import Collector, parse_text_file
from bot.knowledge.yamlio import YDict, YList
from bot.services.common import freeze

SECTION = "service_texts"
PATH = "services.yaml"

REQUIRED: frozenset[str] = frozenset(
    """
common.back common.back_to_menu common.yes common.no common.unsure common.decides
sc.q.termination sc.opt.dismissed sc.opt.resigned sc.opt.contract_expired sc.opt.contract_early sc.opt.retired
sc.opt.other sc.q.age sc.opt.under_age sc.opt.over_age sc.bad.age sc.q.contributions sc.opt.12plus sc.opt.under12
sc.q.consecutive sc.q.membership sc.opt.mem_all sc.opt.mem_small sc.opt.mem_missing_jp sc.opt.mem_none sc.q.jkn
sc.q.phk_date sc.opt.older sc.q.phk_type sc.bad.phk_future sc.q.working sc.opt.working_yes sc.opt.working_no
sc.result.eligible sc.result.not_eligible sc.result.unclear sc.regime_note sc.reason.pass sc.reason.fail
sc.reason.unknown sc.deadline sc.deadline_month sc.deadline_unsure sc.deadline_passed sc.next.eligible
sc.next.not_eligible sc.next.unclear sc.offer_calc sc.restart
calc.q.wage calc.bad.unreadable calc.bad.negative calc.bad.zero calc.bad.too_high calc.bad.too_low
calc.result.head calc.result.month calc.result.total calc.result.cap calc.result.nocap calc.result.regime calc.result.note
calc.btn.old calc.btn.new calc.btn.again
jobs.q.job jobs.q.place jobs.q.place_for jobs.any_job jobs.anywhere jobs.bad.job jobs.bad.place
jobs.results.head jobs.item jobs.item_salary jobs.item_salary_from jobs.item_salary_upto jobs.item_apply
jobs.item_sample jobs.reminder jobs.btn.prev jobs.btn.next jobs.btn.new jobs.none jobs.suggest_places
jobs.suggest_jobs jobs.suggest_other_jobs jobs.suggest_karirhub
tr.q.field tr.q.place tr.opt.online tr.bad.place tr.head tr.head_anywhere tr.item tr.tier.city tr.tier.province
tr.tier.national tr.tier.elsewhere tr.item_unverified tr.item_details tr.item_schedule tr.register tr.jkp
tr.btn.again tr.btn.jobs
scam.warning
common.hint sc.hint.termination sc.hint.age sc.hint.contributions sc.hint.yes_no sc.hint.membership sc.hint.phk_date
sc.hint.working sc.regime_short sc.reason.more sc.reason.met sc.reason.all_met sc.sources sc.sources_head sc.sources_item
calc.result.months
jobs.item_why jobs.results.level jobs.place_nearby jobs.none_education profile.intro profile.q.education profile.q.job profile.q.place profile.q.nearby profile.q.wage
profile.opt.nearby_yes profile.opt.nearby_no profile.opt.skip profile.bad profile.summary profile.nearby_yes
profile.nearby_no profile.alerts_on profile.alerts_off profile.confirm profile.btn.save profile.btn.edit_education
profile.btn.edit_job profile.btn.edit_place profile.btn.edit_wage profile.btn.delete profile.btn.search
profile.btn.training profile.saved profile.view profile.deleted alerts.btn.search alerts.btn.on alerts.btn.off
alerts.on alerts.off alerts.digest.head alerts.btn.more
""".split()
)


@dataclass(frozen=True)
class ServiceTexts(Texts):
    """Texts by key and language, plus month names for dates."""

    months: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def month(self, month: int, lang: str) -> str:
        """Month name: 5 -> 'Mei' / 'May'."""
        return (self.months.get(lang) or self.months["id"])[month - 1]

    def date(self, day: Date, lang: str) -> str:
        """'22 Mei 2027' / '22 May 2027'."""
        return f"{day.day} {self.month(day.month, lang)} {day.year}"

    def month_year(self, day: Date, lang: str) -> str:
        """'Mei 2027' / 'May 2027'."""
        return f"{self.month(day.month, lang)} {day.year}"


def parse_service_texts(data: Any, out: Collector, root: Path) -> ServiceTexts:
    """Parser for knowledge/services.yaml (registered as ``service_texts``)."""
    texts = parse_text_file(
        data, out, required=REQUIRED, what="service text", allowed=frozenset({"texts", "months"})
    )
    months = _months(data, out) if isinstance(data, YDict) else freeze({})
    return ServiceTexts(freeze(texts), months)


def _months(data: YDict, out: Collector) -> Mapping[str, tuple[str, ...]]:
    node = data.get("months")
    if not isinstance(node, YDict):
        out.at(data, "months", "services.yaml needs 'months:' with 12 names in id and en")
        return freeze({})
    months = {}
    for lang in LANGS:
        names = node.get(lang)
        if (
            not isinstance(names, YList)
            or len(names) != 12
            or not all(isinstance(n, str) and n for n in names)
        ):
            out.at(node, lang, f"months.{lang} must list the 12 month names")
        else:
            months[lang] = tuple(names)
    return freeze(months)
