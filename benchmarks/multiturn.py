"""Multi-turn accuracy: conversations read through the dialogue with its follow-up context.

    python benchmarks/multiturn.py [FILE]     # from the repository root; default tests/data/multiturn.yaml

Prints turn accuracy (all turns, follow-ups only), the share of conversations with every turn right,
and the same read with the follow-up context switched off (every turn matched alone) as the baseline
in the same run; then the turns it gets wrong.
"""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bot.cli.multiturn import MultiTurnReport, evaluate_conversations, read_conversations  # noqa: E402
from bot.dialogue.followup import SECTION, FollowUps  # noqa: E402
from bot.sections import load_knowledge  # noqa: E402
from bot.services import guided  # noqa: E402


def row(name: str, report: MultiTurnReport) -> str:
    return (
        f"| {name} | {100 * report.accuracy():.1f} | {100 * report.accuracy(follow_ups_only=True):.1f} | "
        f"{100 * report.conversations_right():.1f} |"
    )


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "tests" / "data" / "multiturn.yaml"
    kb = load_knowledge(ROOT / "knowledge")
    conversations = read_conversations(path)
    with_context = evaluate_conversations(kb, conversations, services=guided())
    alone = evaluate_conversations(
        replace(kb, extras={**kb.extras, SECTION: FollowUps(topic_of={})}), conversations, services=guided()
    )
    n_turns = len(with_context.turns)
    follow = sum(t.position > 0 for t in with_context.turns)
    print(f"{path.name}: {len(conversations)} conversations, {n_turns} turns ({follow} follow-ups)\n")
    print("| reading | turns right % | follow-ups right % | conversations all right % |")
    print("|---|---|---|---|")
    print(row("with follow-up context", with_context))
    print(row("each turn alone (baseline)", alone))
    print("\nwrong with context:")
    for t in with_context.turns:
        if not t.correct:
            print(f"  [{t.conversation}.{t.position}] {t.text!r}: expected {t.label}, got {t.got} ({t.band})")


if __name__ == "__main__":
    main()
