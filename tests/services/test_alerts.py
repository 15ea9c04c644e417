"""Digest selection for job alerts (bot.services.jobs.alerts) with an injected clock."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from bot.services.jobs.alerts import (
    DIGEST_SIZE,
    Subscriber,
    after_sending,
    collect,
    new_ids,
    render,
    select,
    zone_for,
)
from bot.services.jobs.profile import Profile
from bot.services.jobs.vacancies import Vacancy

TODAY = date(2026, 11, 22)
NOON_WIB = datetime(2026, 11, 22, 5, 0, tzinfo=UTC)  # 12:00 in Jakarta
NIGHT_WIB = datetime(2026, 11, 22, 15, 0, tzinfo=UTC)  # 22:00 in Jakarta
KASIR_SBY = Profile("SMK", ("kasir",), (), "Surabaya", False, None, True)


def _vacancy(
    ident: str, title: str = "Kasir Toko", city: str = "Surabaya", education: str = "SMA/SMK", days: int = 30
) -> Vacancy:
    return Vacancy(
        ident,
        title,
        "Toko Contoh",
        city,
        "Jawa Timur",
        education,
        None,
        None,
        TODAY + timedelta(days=days),
        "karirhub.kemnaker.go.id",
        False,
    )


def _run(data, subs, fresh, now=NOON_WIB, known=()):
    subs = collect(subs, fresh, TODAY, jobs=data["jobs"], regions=data["regions"])
    everything = {v.id: v for v in (*known, *fresh)}
    return subs, select(subs, everything, now, jobs=data["jobs"], regions=data["regions"])


def test_new_ids_are_the_ones_the_old_list_lacked() -> None:
    assert new_ids([_vacancy("A")], [_vacancy("A"), _vacancy("B")]) == {"B"}


def test_only_fitting_new_vacancies_make_a_digest_of_at_most_five(data) -> None:
    fresh = [_vacancy(f"K{i}", days=10 + i) for i in range(7)] + [
        _vacancy("S1", education="S1"),
        _vacancy("MDN", city="Medan"),
        _vacancy("OLD", days=-1),
        _vacancy("GURU", title="Guru TK"),
    ]
    _, digests = _run(data, [Subscriber(1, 1, "id", KASIR_SBY)], fresh)
    assert len(digests) == 1
    ids = [r.vacancy.id for r in digests[0].items]
    assert ids == ["K0", "K1", "K2", "K3", "K4"] and len(ids) == DIGEST_SIZE
    assert digests[0].day == TODAY and digests[0].not_before == NOON_WIB


def test_at_most_one_digest_a_day_and_the_rest_waits(data) -> None:
    sub = Subscriber(1, 1, "id", KASIR_SBY)
    subs, digests = _run(data, [sub], [_vacancy("A")])
    sent = after_sending(digests[0])
    assert sent.last_digest_day == TODAY and sent.pending == ()
    later, again = _run(
        data, [sent], [_vacancy("B")], now=NOON_WIB + timedelta(hours=2), known=[_vacancy("A")]
    )
    assert again == [] and later[0].pending == ("B",)
    tomorrow = select(
        later, {"B": _vacancy("B")}, NOON_WIB + timedelta(days=1), jobs=data["jobs"], regions=data["regions"]
    )
    assert [r.vacancy.id for r in tomorrow[0].items] == ["B"] and tomorrow[0].day == TODAY + timedelta(days=1)


def test_quiet_hours_move_the_digest_to_seven_in_the_morning(data) -> None:
    _, digests = _run(data, [Subscriber(1, 1, "id", KASIR_SBY)], [_vacancy("A")], now=NIGHT_WIB)
    assert digests[0].not_before == datetime(2026, 11, 23, 0, 0, tzinfo=UTC)  # 07:00 WIB
    assert digests[0].day == date(2026, 11, 23)
    wit = Subscriber(2, 2, "id", KASIR_SBY, zone="WIT")
    _, east = _run(data, [wit], [_vacancy("A")], now=NOON_WIB)  # 14:00 in Jayapura: fine
    assert east[0].not_before == NOON_WIB


def test_no_digest_without_alerts_or_without_matches(data) -> None:
    off = Subscriber(1, 1, "id", replace(KASIR_SBY, alerts=False))
    medan = Subscriber(2, 2, "id", replace(KASIR_SBY, place="Medan"))
    _, digests = _run(data, [off, medan], [_vacancy("A")])
    assert digests == []


def test_a_pending_vacancy_that_closed_is_not_sent(data) -> None:
    sub = Subscriber(1, 1, "id", KASIR_SBY, pending=("GONE",))
    assert (
        select(
            [sub], {"GONE": _vacancy("GONE", days=-3)}, NOON_WIB, jobs=data["jobs"], regions=data["regions"]
        )
        == []
    )


def test_the_digest_says_why_warns_about_scams_and_can_be_stopped(data, kb) -> None:
    _, digests = _run(data, [Subscriber(1, 1, "en", KASIR_SBY)], [_vacancy("A")])
    reply = render(kb, digests[0])[0]
    assert (
        "1 new vacancies fit your profile" in reply.text
        and "Fits: SMA/SMK · Surabaya · Cashier" in reply.text
    )
    assert "never ask for money" in reply.text
    assert [b.data for row in reply.buttons for b in row] == ["f:jobs:mine", "f:profile:alerts:off"]


def test_the_time_zone_follows_the_profile_place(data) -> None:
    assert zone_for(KASIR_SBY, data["regions"]) == "WIB"
    assert zone_for(replace(KASIR_SBY, place="Makassar"), data["regions"]) == "WITA"
    assert zone_for(replace(KASIR_SBY, place="Jayapura"), data["regions"]) == "WIT"
    assert zone_for(replace(KASIR_SBY, place=None), data["regions"]) == "WIB"
