"""The Store contract, run against MemoryStore and against Repository on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from bot.storage import KEEP, Line, StaleState, Store, TurnRecord, UserRecord
from tests.conftest import FakeClock

BIG_ID = 8_000_000_000  # Telegram ids no longer fit in 32 bits


def test_store_implements_the_protocol(store: Store) -> None:
    assert isinstance(store, Store)


async def test_seen_update_reads_what_claim_update_wrote(store: Store) -> None:
    assert await store.seen_update(1003) is False
    assert await store.seen_update(1003) is False  # asking writes nothing
    assert await store.claim_update(1003) is True
    assert await store.seen_update(1003) is True


async def test_claim_update_is_true_once_then_false(store: Store) -> None:
    assert await store.claim_update(1001) is True
    assert await store.claim_update(1001) is False
    assert await store.claim_update(1002) is True


async def test_concurrent_claims_of_one_update_have_exactly_one_winner(store: Store) -> None:
    results = await asyncio.gather(*(store.claim_update(BIG_ID) for _ in range(20)))
    assert sorted(results) == [False] * 19 + [True]


async def test_prune_updates_forgets_only_old_ids(store: Store, clock: FakeClock) -> None:
    await store.claim_update(1)
    clock.advance(timedelta(days=2))
    await store.claim_update(2)
    assert await store.prune_updates(timedelta(days=1)) == 1
    assert await store.claim_update(1) is True
    assert await store.claim_update(2) is False


async def test_load_user_of_a_stranger_is_none(store: Store) -> None:
    assert await store.load_user(42) is None


async def test_state_round_trips_nested_dicts_unicode_and_64_bit_ids(store: Store) -> None:
    state = {
        "flow": "selfcheck",
        "flow_data": {"answers": [1, "ya", None], "nested": {"ok": True}},
        "pending": {"note": "Gaji belum dibayar — ünïcödé ✓ 🙏"},
        "fallbacks": 2,
    }
    await store.save_user(BIG_ID, first_name="Siti", state=state)
    user = await store.load_user(BIG_ID)
    assert user is not None
    assert (user.id, user.first_name, user.state) == (BIG_ID, "Siti", state)


async def test_save_user_updates_name_and_state(store: Store) -> None:
    await store.save_user(7, first_name="Budi", state={"step": 1})
    await store.save_user(7, first_name="Budi S.", state={"step": 2})
    user = await store.load_user(7)
    assert user is not None
    assert (user.first_name, user.state) == ("Budi S.", {"step": 2})


async def test_language_is_kept_unless_given_and_cleared_by_none(store: Store) -> None:
    await store.save_user(7, first_name="A", state={})
    assert (await _user(store, 7)).language is None
    await store.save_user(7, first_name="A", state={}, language="en")
    await store.save_user(7, first_name="A", state={}, language=KEEP)
    assert (await _user(store, 7)).language == "en"
    await store.save_user(7, first_name="A", state={}, language=None)
    assert (await _user(store, 7)).language is None


async def test_consent_is_stamped_the_first_time_only(store: Store, clock: FakeClock) -> None:
    await store.save_user(7, first_name="A", state={})
    assert (await _user(store, 7)).consent_at is None
    await store.save_user(7, first_name="A", state={}, consent=True)
    first = clock()
    clock.advance(timedelta(hours=1))
    await store.save_user(7, first_name="A", state={}, consent=True)
    await store.save_user(7, first_name="A", state={})
    assert (await _user(store, 7)).consent_at == first


async def test_log_masks_personal_numbers(store: Store) -> None:
    await store.log(7, "in", "NIK 3201234567890123, HP 0812-3456-7890, a@b.co, gaji Rp4.500.000")
    [line] = await store.transcript(7)
    assert line.text == "NIK [NIK], HP [TELEPON], [EMAIL], gaji Rp4.500.000"


async def test_log_creates_the_user_when_missing(store: Store) -> None:
    await store.log(BIG_ID, "out", "Halo")
    user = await _user(store, BIG_ID)
    assert (user.id, user.first_name, user.state, user.consent_at) == (BIG_ID, "", {}, None)


async def test_log_keeps_what_matching_decided(store: Store, clock: FakeClock) -> None:
    await store.log(7, "in", "jkp syarat", intent="jkp.eligibility", score=87.5, band="answer", lang="id")
    [line] = await store.transcript(7)
    assert (line.user_id, line.direction, line.intent, line.score, line.band, line.lang) == (
        7,
        "in",
        "jkp.eligibility",
        87.5,
        "answer",
        "id",
    )
    assert line.created_at == clock()


@pytest.mark.parametrize(("direction", "band"), [("sideways", None), ("in", "maybe")])
async def test_log_rejects_unknown_direction_or_band(store: Store, direction: str, band: str | None) -> None:
    with pytest.raises(ValueError):
        await store.log(7, direction, "x", band=band)


async def test_transcript_is_the_last_lines_oldest_first(store: Store) -> None:
    for n in range(5):
        await store.log(7, "in", f"pesan {n}")
    await store.log(8, "in", "orang lain")
    lines = await store.transcript(7, limit=3)
    assert [line.text for line in lines] == ["pesan 2", "pesan 3", "pesan 4"]
    assert len(await store.transcript(7)) == 5


async def test_delete_user_removes_user_and_transcript(store: Store) -> None:
    await store.save_user(7, first_name="A", state={"x": 1})
    for text in ("a", "b", "c"):
        await store.log(7, "in", text)
    await store.log(8, "in", "tetap")
    assert await store.delete_user(7) == 4
    assert await store.load_user(7) is None
    assert await store.transcript(7) == []
    assert [line.text for line in await store.transcript(8)] == ["tetap"]
    assert await store.delete_user(7) == 0


async def test_unanswered_lists_incoming_fallbacks_and_clarifications(store: Store, clock: FakeClock) -> None:
    await store.log(7, "in", "lama", band="fallback")
    since = clock.advance(timedelta(days=1))
    await store.log(7, "in", "tidak tahu", band="fallback")
    await store.log(7, "out", "Maaf", band="fallback")
    await store.log(8, "in", "jkp atau jht?", band="clarify")
    await store.log(8, "in", "jkp syarat", band="answer")
    await store.log(8, "in", "tanpa band")
    assert [line.text for line in await store.unanswered(since)] == ["tidak tahu", "jkp atau jht?"]
    assert [line.text for line in await store.unanswered()] == ["lama", "tidak tahu", "jkp atau jht?"]


async def _user(store: Store, user_id: int) -> UserRecord:
    user = await store.load_user(user_id)
    assert user is not None
    return user


# --- one processed update in one transaction ---------------------------------------------------------


def _turn(update_id: int | None, text: str = "NIK 3174012345678901 jkp?", **kw: object) -> TurnRecord:
    return TurnRecord(
        7,
        "Siti",
        {"fallbacks": 1},
        "en",
        (Line("in", text, band="fallback", score=12.0), Line("out", "maaf")),
        update_id=update_id,
        **kw,
    )


async def test_record_turn_writes_state_and_masked_lines_together(store: Store) -> None:
    assert await store.record_turn(_turn(41, consent=True)) is True
    user = await store.load_user(7)
    assert user is not None and user.state == {"fallbacks": 1} and user.language == "en" and user.consent_at
    lines = await store.transcript(7)
    assert [(line.direction, line.text) for line in lines] == [("in", "NIK [NIK] jkp?"), ("out", "maaf")]


async def test_record_turn_of_a_duplicate_delivery_writes_nothing(store: Store) -> None:
    assert await store.record_turn(_turn(42)) is True
    assert await store.record_turn(_turn(42, text="again")) is False
    assert len(await store.transcript(7)) == 2


async def test_record_turn_can_delete_the_user(store: Store) -> None:
    await store.record_turn(_turn(43))
    assert await store.record_turn(_turn(44, delete_user=True)) is True
    assert await store.load_user(7) is None and await store.transcript(7) == []


async def test_concurrent_record_turns_of_one_update_have_one_winner(store: Store) -> None:
    results = await asyncio.gather(*(store.record_turn(_turn(45)) for _ in range(10)))
    assert sorted(results) == [False] * 9 + [True]
    assert len(await store.transcript(7)) == 2


async def test_each_state_write_counts_a_version(store: Store) -> None:
    assert await store.load_user(7) is None
    await store.record_turn(_turn(46, version=0))
    await store.save_user(7, first_name="Siti", state={"fallbacks": 0})
    user = await store.load_user(7)
    assert user is not None and user.version == 2


async def test_record_turn_on_a_stale_version_writes_nothing(store: Store) -> None:
    """Two updates of one user computed from the same state: the second must not undo the first."""
    await store.record_turn(_turn(47, version=0))
    with pytest.raises(StaleState):
        await store.record_turn(_turn(48, version=0, text="computed from the old state"))
    user = await store.load_user(7)
    assert user is not None and user.version == 1 and len(await store.transcript(7)) == 2
    assert await store.record_turn(_turn(48, version=1)) is True  # its claim was not kept: it can be retried


async def test_a_new_users_first_turns_racing_have_one_winner(store: Store) -> None:
    results = await asyncio.gather(
        *(store.record_turn(_turn(50 + n, version=0)) for n in range(4)), return_exceptions=True
    )
    assert sorted(type(r).__name__ for r in results) == ["StaleState"] * 3 + ["bool"]


async def test_a_user_only_logged_so_far_is_at_version_0(store: Store) -> None:
    await store.log(7, "in", "halo")
    user = await store.load_user(7)
    assert user is not None and user.version == 0
    assert await store.record_turn(_turn(55, version=0)) is True
