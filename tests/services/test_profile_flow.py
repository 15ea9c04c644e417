"""The job profile: read from free text, built with buttons, saved only on consent, used by search and training."""

from __future__ import annotations

from datetime import date

import pytest

from bot.dialogue import Dialogue, Incoming, Kind, State
from bot.knowledge import KnowledgeBase
from bot.sections import load_knowledge
from bot.services import guided
from bot.services.jobs.profile import MEMORY_KEY, Profile, read_profile

from .conftest import KNOWLEDGE

PROFILE = {
    "education": "SMK",
    "occupations": ["kasir"],
    "words": [],
    "place": "Surabaya",
    "nearby": False,
    "wage": None,
    "alerts": False,
}


def test_free_text_fills_education_job_and_place(data) -> None:
    found = read_profile(
        "saya lulusan smk teknik mesin di surabaya, cari kerja operator", data["regions"], data["jobs"]
    )
    assert found.education == "SMK" and "operator_produksi" in found.occupations and found.place == "Surabaya"
    wage = read_profile("sarjana akuntansi, di jakarta saja, gaji 6 juta", data["regions"], data["jobs"])
    assert (wage.education, wage.occupations, wage.place, wage.nearby, wage.wage) == (
        "S1",
        ("akuntansi",),
        "DKI Jakarta",
        False,
        6_000_000,
    )


def test_stored_json_round_trips_and_junk_is_dropped() -> None:
    profile = Profile.from_json(PROFILE)
    assert Profile.from_json(profile.to_json()) == profile
    assert Profile.from_json({"education": "PhD?", "wage": "lots", "occupations": [3]}) == Profile()
    assert Profile.from_json("nonsense") == Profile()


def test_one_message_then_save_is_the_consent(drive) -> None:
    d = drive("profile")
    step = d.start("saya lulusan smk teknik mesin di surabaya, cari kerja operator")
    assert "Simpan profil ini?" in d.text and "f:profile:save" in d.buttons and not step.remember
    step = d.press("save")
    assert d.data is None and step.remember[MEMORY_KEY]["education"] == "SMK"
    assert [e.name for e in step.effects] == ["job_profile"]


def test_step_by_step_with_buttons_asks_everything_once(drive) -> None:
    d = drive("profile", lang="en")
    d.start()
    assert "optional" in d.text and "f:profile:e:SMK" in d.buttons
    d.press("e:SMA")
    assert "Which job" in d.text
    d.press("j:kasir")
    d.say("bandung")
    assert "near Bandung" in d.text
    d.press("n:0")
    assert "expect" in d.text
    d.say("4,5 juta")
    assert "Save this profile?" in d.text and "Rp4.500.000" in d.text and "only there" in d.text
    step = d.press("save")
    assert Profile.from_json(step.remember[MEMORY_KEY]) == Profile(
        "SMA", ("kasir",), (), "Bandung", False, 4_500_000
    )


def test_a_question_while_asking_is_not_taken_as_an_answer(drive) -> None:
    d = drive("profile")
    d.start()
    step = d.say("apa itu jkp?")
    assert not step.consumed


@pytest.fixture(scope="module")
def full_kb() -> KnowledgeBase:
    return load_knowledge(KNOWLEDGE)


def _dialogue(kb: KnowledgeBase) -> Dialogue:
    return Dialogue(kb, services=guided(), today=lambda: date(2026, 11, 22))


def test_profil_command_shows_and_edits_and_deletes(full_kb) -> None:
    dialogue = _dialogue(full_kb)
    state = State(pending={MEMORY_KEY: PROFILE})
    shown = dialogue.handle(state, Incoming(Kind.COMMAND, text="profil"))
    assert "Pendidikan: SMK" in shown.replies[0].text and "Kasir" in shown.replies[0].text
    edit = dialogue.handle(shown.state, Incoming(Kind.BUTTON, data="f:profile:edit:place"))
    assert "kota atau provinsi" in edit.replies[0].text
    confirm = dialogue.handle(edit.state, Incoming(Kind.TEXT, text="medan"))
    saved = dialogue.handle(confirm.state, Incoming(Kind.BUTTON, data="f:profile:save"))
    assert saved.state.pending[MEMORY_KEY]["place"] == "Medan"
    gone = dialogue.handle(saved.state, Incoming(Kind.BUTTON, data="f:profile:del"))
    assert MEMORY_KEY not in gone.state.pending and gone.effects[0].args == {"profile": None}


def test_search_fills_what_the_message_leaves_out_from_the_profile(full_kb) -> None:
    dialogue = _dialogue(full_kb)
    state = State(pending={MEMORY_KEY: PROFILE})
    out = dialogue.handle(state, Incoming(Kind.TEXT, text="loker kasir"))
    text = out.replies[0].text
    assert "Lowongan Kasir di Surabaya" in text and "✅ Cocok: SMA/SMK · Surabaya · Kasir" in text
    mine = dialogue.handle(State(pending={MEMORY_KEY: PROFILE}), Incoming(Kind.BUTTON, data="f:jobs:mine"))
    assert "Lowongan Kasir di Surabaya" in mine.replies[0].text


def test_alert_words_subscribe_with_the_saved_profile(full_kb) -> None:
    dialogue = _dialogue(full_kb)
    out = dialogue.handle(
        State(pending={MEMORY_KEY: PROFILE}), Incoming(Kind.TEXT, text="kabari saya kalau ada lowongan baru")
    )
    assert out.state.pending[MEMORY_KEY]["alerts"] is True and out.state.pending[MEMORY_KEY][
        "occupations"
    ] == ["kasir"]
    assert "sekali sehari" in out.replies[0].text
    assert out.effects[0].name == "job_profile" and out.effects[0].args["profile"]["alerts"] is True
    off = dialogue.handle(out.state, Incoming(Kind.BUTTON, data="f:profile:alerts:off"))
    assert off.state.pending[MEMORY_KEY]["alerts"] is False


def test_the_alert_button_under_results_builds_the_profile_from_the_search(full_kb) -> None:
    dialogue = _dialogue(full_kb)
    results = dialogue.handle(State(), Incoming(Kind.TEXT, text="loker kurir sby lulusan sma"))
    button = next(
        b.data
        for r in results.replies
        for row in r.buttons
        for b in row
        if b.data.startswith("f:profile:sub")
    )
    asked = dialogue.handle(results.state, Incoming(Kind.BUTTON, data=button))
    assert "Simpan profil ini?" in asked.replies[-1].text
    saved = dialogue.handle(asked.state, Incoming(Kind.BUTTON, data="f:profile:save"))
    profile = Profile.from_json(saved.state.pending[MEMORY_KEY])
    assert (profile.education, profile.occupations, profile.place, profile.alerts) == (
        "SMA",
        ("kurir",),
        "Surabaya",
        True,
    )


def test_training_that_fits_me_uses_the_profile(full_kb) -> None:
    dialogue = _dialogue(full_kb)
    state = State(pending={MEMORY_KEY: {**PROFILE, "occupations": ["operator_produksi"]}})
    out = dialogue.handle(state, Incoming(Kind.TEXT, text="pelatihan yang cocok untuk saya"))
    assert "Surabaya" in out.replies[0].text and out.state.flow is None
