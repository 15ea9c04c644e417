"""Pure desk rules: the honest wait estimate, and transcript lines with button labels."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from bot.handoff.estimate import Estimate, estimate_wait
from bot.handoff.lines import readable
from bot.handoff.rules import Timers
from bot.sections import load_knowledge

ROOT = Path(__file__).resolve().parents[2]
MIN = timedelta(minutes=1)


def test_no_number_when_nobody_is_on_duty():
    assert estimate_wait(1, timedelta(0), [4 * MIN], 0, Timers()).unknown


def test_position_and_counsellors_on_duty_set_the_turns():
    picks = [4 * MIN, 6 * MIN, 5 * MIN]  # median 5
    assert estimate_wait(1, timedelta(0), picks, 1, Timers()) == Estimate(5)
    assert estimate_wait(3, timedelta(0), picks, 1, Timers()) == Estimate(15)
    assert estimate_wait(3, timedelta(0), picks, 2, Timers()) == Estimate(10)


def test_time_already_waited_is_taken_off_and_never_promised_again():
    assert estimate_wait(1, 4 * MIN, [], 1, Timers()) == Estimate(6)  # default 10 minutes
    late = estimate_wait(1, 13 * MIN, [], 1, Timers())
    assert late.late and late.minutes is None and not late.unknown


def test_button_presses_read_as_their_labels():
    kb = load_knowledge(ROOT / "knowledge")
    config = kb.extras["handoff"]
    assert readable("[button] h:t:jkp", kb, config, "id") == "[menekan tombol: JKP]"
    assert readable("[button] h:skip", kb, config, "en") == "[pressed: Skip]"
    assert readable("[button] m:jkp", kb, config, "id") == f"[menekan tombol: {kb.text('menu_jkp', 'id')}]"
    assert (
        readable("[button] i:jkp.about", kb, config, "id")
        == f"[menekan tombol: {kb.text('title.jkp.about', 'id')}]"
    )
    assert readable("[button] f:selfcheck:contract:pkwt", kb, config, "id") == "[menekan tombol: pkwt]"
    assert readable("[button] f:jobs:city:bdg | Bandung", kb, config, "id") == "[menekan tombol: Bandung]"
    assert readable("jkp saya kapan cair", kb, config, "id") == "jkp saya kapan cair"
