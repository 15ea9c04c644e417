"""Entry points for the dialogue core: flows, intents, direct starts, buttons."""

from __future__ import annotations

import pytest

from bot.dialogue.flows import Flow
from bot.knowledge.loader import catalogue_ids
from bot.sections import load_knowledge
from bot.services import FLOWS, direct_flow, flow_of_button

from .conftest import KNOWLEDGE


def test_five_flows_by_name() -> None:
    assert set(FLOWS) == {"selfcheck", "calculator", "jobs", "training", "profile", "timeline"}
    assert all(isinstance(flow, Flow) and flow.name == name for name, flow in FLOWS.items())


def test_intents_map_to_flows_that_exist() -> None:
    kb = load_knowledge(KNOWLEDGE)
    offers = kb.menus.flow_for_intent
    assert offers == {
        "jkp.eligibility": "selfcheck",
        "jobs.search": "jobs",
        "training.recommend": "training",
        "jkp.cash_amount": "calculator",
        "jkp.deadline": "timeline",
    }
    assert set(offers) <= set(catalogue_ids()) and set(offers.values()) <= set(FLOWS)
    assert {f for s in kb.menus.sections.values() for f in s.flows} <= set(FLOWS)


@pytest.mark.parametrize(
    ("text", "flow"),
    [
        ("gaji 4 juta dapet jkp brp", "calculator"),
        ("upah saya Rp5.500.000, uang tunai jkp berapa?", "calculator"),
        ("loker operator produksi di bekasi", "jobs"),
        ("lowongan admin di jakarta selatan", "jobs"),
        ("any warehouse jobs in tangerang", "jobs"),
        ("berapa iuran jkp dari gaji 4 juta", None),
        ("jkp itu apa", None),
        ("loker di bekasi", "jobs"),  # the search asks for the job
        ("loker kasir", "jobs"),  # ... or for the place
        ("operator produksi Bekasi", "jobs"),  # the examples the jobs.search answer gives
        ("kasir Medan", "jobs"),
        ("admin Jakarta", "jobs"),
        ("loker palsu", None),  # no known job, no place: the intents answer it
        ("lowongan kerja luar negeri", None),
        ("saya kerja di pabrik bekasi lalu di-PHK", None),
        ("disnaker bekasi", None),
        ("kantor bpjs jakarta", None),
        ("gaji 4 juta", None),
        ("hitung jkp", "calculator"),
        ("kalkulator jkp dong", "calculator"),
        ("hitung pesangon", None),
        ("cek kelayakan jkp", "selfcheck"),
        ("check my eligibility for jkp", "selfcheck"),
        ("pelatihan las di bekasi", "training"),
        ("kursus komputer", "training"),
        ("computer course in Medan", "training"),
        ("komputer perkantoran Medan", "training"),  # an example the training.recommend answer gives
        ("pelatihan dari jkp", None),  # a question about the JKP training benefit
        ("pelatihan gratis blk", None),
        ("disuruh bayar biaya pelatihan di bekasi", None),  # a scam question, not a training search
    ],
)
def test_direct_flow_with_the_knowledge(kb, text: str, flow: str | None) -> None:
    found = direct_flow(text, kb)
    assert (found[0] if found else None) == flow
    if found:
        assert found[1] == text


@pytest.mark.parametrize(
    ("text", "flow"),
    [
        ("gaji 4 juta dapet jkp brp", "calculator"),
        ("loker kasir di bandung", "jobs"),
        ("loker di bandung", None),
        ("cara klaim jkp", None),
    ],
)
def test_direct_flow_without_the_knowledge(text: str, flow: str | None) -> None:
    found = direct_flow(text)
    assert (found[0] if found else None) == flow


def test_direct_flow_messages_start_the_flow_with_an_answer(kb, ctx) -> None:
    name, text = direct_flow("loker operator produksi di bekasi", kb)
    step = FLOWS[name].start(ctx, text)
    assert step.data is None and "Operator Produksi" in step.replies[0].text


@pytest.mark.parametrize(
    ("data", "flow"),
    [
        ("f:calculator:start:old", "calculator"),
        ("f:jobs:p:2:kasir:Medan", "jobs"),
        ("f:nope:x", None),
        ("menu:main", None),
        ("f:selfcheck", None),
    ],
)
def test_flow_of_button(data: str, flow: str | None) -> None:
    assert flow_of_button(data) == flow
