"""Job-alert rows in the database and one digest run (AlertStore + send_digests), on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from bot.alerts.digests import send_digests
from bot.alerts.store import AlertStore
from bot.knowledge.model import KnowledgeBase
from bot.services import load_service_data
from bot.services.jobs.profile import Profile
from bot.services.jobs.vacancies import Vacancy
from bot.services.proactive import MemorySink
from bot.storage import Repository

KNOWLEDGE = Path(__file__).resolve().parents[2] / "knowledge"
NOON_WIB = datetime(2026, 11, 22, 5, 0, tzinfo=UTC)
KASIR = Profile("SMK", ("kasir",), (), "Surabaya", False, None, True)


def _vacancy(ident: str, education: str = "SMA/SMK") -> Vacancy:
    return Vacancy(
        ident,
        "Kasir Toko",
        "Toko Contoh",
        "Surabaya",
        "Jawa Timur",
        education,
        None,
        None,
        date(2026, 12, 31),
        "karirhub.kemnaker.go.id",
        False,
    )


@pytest.fixture(scope="module")
def kb_with() -> object:
    data = load_service_data(KNOWLEDGE)

    def make(vacancies: list[Vacancy]) -> KnowledgeBase:
        return KnowledgeBase(KNOWLEDGE, {}, {}, {}, None, {**data, "vacancies": tuple(vacancies)})  # type: ignore[arg-type]

    return make


async def test_profile_rows_follow_the_user_and_alerts(db) -> None:
    store = AlertStore(db)
    assert not await store.save(7, 7, "id", KASIR), "no user row: nothing is written"
    await Repository(db).save_user(7, first_name="Sari", state={})
    assert await store.save(7, 70, "en", KASIR)
    [sub] = await store.subscribers()
    assert (sub.user_id, sub.chat_id, sub.lang, sub.profile, sub.zone) == (7, 70, "en", KASIR, "WIB")
    assert await store.save(7, 70, "en", KASIR, "WITA")
    assert [s.zone for s in await store.subscribers()] == ["WITA"]
    assert await store.save(7, 70, "en", Profile("SMK", ("kasir",), (), "Surabaya", False, None, False))
    assert await store.subscribers() == [] and (await store.load(7)) is not None
    assert await store.forget(7) == 1 and await store.load(7) is None


async def test_deleting_the_user_deletes_the_profile_row(db) -> None:
    repo, store = Repository(db), AlertStore(db)
    await repo.save_user(8, first_name="", state={})
    await store.save(8, 8, "id", KASIR)
    await repo.delete_user(8)
    assert await store.load(8) is None


async def test_one_digest_a_day_through_the_sink_and_pending_kept_when_refused(db, kb_with) -> None:
    repo, store = Repository(db), AlertStore(db)
    for user in (1, 2):
        await repo.save_user(user, first_name="", state={})
        await store.save(user, user, "id", KASIR)
    sink = MemorySink(unreachable={2})
    fresh = [_vacancy("N1"), _vacancy("N2"), _vacancy("S1", education="S1")]
    kb = kb_with(fresh)
    assert await send_digests(store, kb, fresh, sink, NOON_WIB) == 1
    [queued] = sink.queued
    assert queued.user_id == 1 and queued.day == date(2026, 11, 22) and queued.kind == "job_alert"
    assert "Kasir Toko" in queued.replies[0].text
    one, two = await store.load(1), await store.load(2)
    assert one is not None and one.pending == () and one.last_digest_day == date(2026, 11, 22)
    assert two is not None and two.pending == ("N1", "N2") and two.last_digest_day is None
    more = [_vacancy("N3")]
    assert await send_digests(store, kb_with(fresh + more), more, sink, NOON_WIB + timedelta(hours=3)) == 0
    again = await store.load(1)
    assert again is not None and again.pending == ("N3",)
    assert await send_digests(store, kb_with(fresh + more), [], sink, NOON_WIB + timedelta(days=1)) == 1
    assert [q.day for q in sink.queued] == [date(2026, 11, 22), date(2026, 11, 23)]


async def test_the_store_remembers_which_vacancies_were_matched(db) -> None:
    store = AlertStore(db)
    assert not await store.any_seen()
    assert await store.claim_new(["A", "B"]) == {"A", "B"}
    assert await store.any_seen()
    assert await store.claim_new(["B", "C"]) == {"C"}, "a second instance (or a restart) gets only the new id"
    assert await store.claim_new([]) == set()


async def test_an_import_while_the_bot_was_down_is_still_news_after_a_restart(db, kb_with) -> None:
    """The watcher's memory of which vacancies are new lives in the database: start, import, restart."""
    from types import SimpleNamespace

    from bot.alerts.telegram import Alerts

    repo, store = Repository(db), AlertStore(db)
    await repo.save_user(1, first_name="", state={})
    await store.save(1, 1, "id", KASIR)
    sink = MemorySink()
    first = [_vacancy("OLD1"), _vacancy("OLD2")]

    def runtime(vacancies: list[Vacancy]) -> SimpleNamespace:
        holder = SimpleNamespace(dialogue=SimpleNamespace(kb=kb_with(vacancies)))
        return SimpleNamespace(db=db, holder=holder, proactive_sink=sink)

    started = Alerts(runtime(first), clock=lambda: NOON_WIB)
    await started.baseline()
    assert await started.tick() == 0, "the list the bot first started with is not news"
    assert sink.queued == []
    # the bot stops, an import adds NEW1, the bot starts again with the bigger list
    restarted = Alerts(runtime([*first, _vacancy("NEW1")]), clock=lambda: NOON_WIB + timedelta(hours=1))
    assert await restarted.tick() == 1
    [queued] = sink.queued
    assert "Kasir Toko" in queued.replies[0].text
    again = Alerts(runtime([*first, _vacancy("NEW1")]), clock=lambda: NOON_WIB + timedelta(days=1))
    assert await again.tick() == 0, "another restart: nothing is new any more"
