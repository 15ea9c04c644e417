"""The counsellor desk (issue 14), end to end over the fake Bot API on SQLite and PostgreSQL: notes on
the card, honest wait estimates, one opening text, the crisis card's message, readable transcripts,
and a counsellor's own messages never taken for a job seeker's question."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from tests.conftest import FakeClock
from tests.fakes.telegram_api import FakeTelegram
from tests.handoff.conftest import COUNSELLORS, button_data, running, wait_text

pytestmark = pytest.mark.e2e

CRISIS = "saya putus asa dan rasanya ingin menyakiti diri sendiri"
NIGHT = datetime(2025, 1, 6, 12, 0, tzinfo=UTC)  # Monday 19:00 WIB


async def _on_duty(tg: FakeTelegram, user_id: int, name: str):  # type: ignore[no-untyped-def]
    counsellor = tg.user(user_id, name)
    counsellor.send_command("/siaga")
    await wait_text(tg, user_id, "BERTUGAS")
    return counsellor


async def _queue(tg: FakeTelegram, user) -> None:  # type: ignore[no-untyped-def]
    user.send_command("/petugas")
    await wait_text(tg, user.id, "tentang apa")
    user.press("h:t:jkp")
    await wait_text(tg, user.id, "Lewati")
    user.press("h:skip")


def _texts(tg: FakeTelegram, chat_id: int, start: int = 0) -> list[str]:
    return [m.get("visible_text") or "" for m in tg.sent(chat_id)[start:]]


async def test_notes_are_on_the_card_after_a_return_to_the_queue_and_after_a_transfer(tg, make_settings):
    """/catatan is read again: the next counsellor sees it on the card at pickup and at a transfer."""
    async with running(make_settings(COUNSELLOR_IDS=COUNSELLORS), FakeClock()):
        budi = await _on_duty(tg, 900, "Budi")
        sari = await _on_duty(tg, 901, "Sari")
        siti = tg.user(301, "Siti")
        await _queue(tg, siti)
        budi.press(button_data(await wait_text(tg, 900, "Kasus baru"), "h:take:"))
        await wait_text(tg, 301, "Petugas Budi")
        budi.send_text("/catatan sudah dijelaskan syarat JKP, NIK 3174012345678901")
        await wait_text(tg, 900, "Catatan tersimpan")

        start = len(tg.sent(901))
        budi.send_command("/alihkan")
        sari.press(button_data(await wait_text(tg, 901, "mengembalikan kasus", start=start), "h:take:"))
        card = (await wait_text(tg, 901, "Anda menangani kasus", start=start))["visible_text"]
        assert "Catatan petugas (1" in card and "Budi" in card and "sudah dijelaskan syarat JKP" in card
        assert "3174012345678901" not in card

        sari.send_text("/catatan user minta ditelepon besok")
        await wait_text(tg, 901, "Catatan tersimpan")
        start = len(tg.sent(900))
        sari.send_text("/alihkan Budi")
        handed = (await wait_text(tg, 900, "mengalihkan kasus", start=start))["visible_text"]
        assert "Catatan petugas (2" in handed
        assert handed.index("sudah dijelaskan") < handed.index("minta ditelepon besok")


async def test_wait_estimate_counts_time_already_waited_and_position(tg, make_settings):
    """ "sekitar 10 menit" is never said after 13 minutes of waiting; position 2 waits longer than 1."""
    clock = FakeClock()
    async with running(make_settings(COUNSELLOR_IDS=COUNSELLORS), clock):
        await _on_duty(tg, 900, "Budi")
        ani, dewi = tg.user(311, "Ani"), tg.user(312, "Dewi")
        await _queue(tg, ani)
        first = (await wait_text(tg, 311, "antrean nomor 1"))["visible_text"]
        assert "sekitar 10 menit" in first
        await _queue(tg, dewi)
        second = (await wait_text(tg, 312, "antrean nomor 2"))["visible_text"]
        assert "sekitar 20 menit" in second

        clock.advance(timedelta(minutes=4))
        start = len(tg.sent(311))
        ani.send_command("/petugas")
        again = (await wait_text(tg, 311, "sudah di antrean", start=start))["visible_text"]
        assert "sekitar 6 menit" in again

        clock.advance(timedelta(minutes=9))  # 13 minutes in
        start = len(tg.sent(311))
        ani.send_command("/petugas")
        late = (await wait_text(tg, 311, "sudah di antrean", start=start))["visible_text"]
        assert "menit" not in late and "lebih lama dari biasanya" in late


async def test_no_wait_estimate_when_nobody_is_on_duty(tg, make_settings):
    """In service hours with nobody on duty: no "sekitar 1 menit", the truth instead."""
    async with running(make_settings(COUNSELLOR_IDS=COUNSELLORS), FakeClock()):
        ani = tg.user(321, "Ani")
        await _queue(tg, ani)
        await wait_text(tg, 321, "Pesan Anda tersimpan")
        start = len(tg.sent(321))
        ani.send_command("/petugas")
        again = (await wait_text(tg, 321, "sudah di antrean", start=start))["visible_text"]
        assert "menit" not in again and "belum bisa memperkirakan" in again


async def test_the_opening_is_one_consistent_message(tg, make_settings):
    """Asking for a person with nobody on duty: no "Mohon tunggu sebentar" / "saya hubungkan Anda" next
    to "belum ada petugas"; the absence and the topic question arrive as one message."""
    async with running(make_settings(COUNSELLOR_IDS=COUNSELLORS), FakeClock()):
        ani = tg.user(331, "Ani")
        ani.send_text("saya mau bicara dengan petugas")
        opening = await wait_text(tg, 331, "tentang apa")
        said = " ".join(_texts(tg, 331))
        assert "Mohon tunggu" not in said and "saya hubungkan Anda" not in said
        assert "belum ada petugas" in opening["visible_text"]
        assert len([t for t in _texts(tg, 331) if "petugas" in t]) == 2  # the answer's line, then the opening

        budi = await _on_duty(tg, 900, "Budi")
        assert budi
        start = len(tg.sent(332))
        tg.user(332, "Dewi").send_command("/petugas")
        opening = await wait_text(tg, 332, "tentang apa", start=start)
        assert "belum ada petugas" not in opening["visible_text"]


async def test_after_hours_crisis_is_told_the_on_duty_counsellor_was_notified(tg, make_settings):
    """After hours with a counsellor on duty: the crisis case reaches them, and the user is told so."""
    async with running(make_settings(COUNSELLOR_IDS=COUNSELLORS), FakeClock(NIGHT)):
        await _on_duty(tg, 900, "Budi")
        tg.user(341, "Rina").send_text(CRISIS)
        await wait_text(tg, 341, "healing119.id")
        told = (await wait_text(tg, 341, "MENDESAK"))["visible_text"]
        assert "belum ada petugas" not in told and "petugas yang sedang bertugas" in told
        card = (await wait_text(tg, 900, "Kasus baru"))["visible_text"]
        assert "MENDESAK" in card


async def test_crisis_card_carries_the_message_and_the_transcript_shows_button_labels(tg, make_settings):
    """The card says what the user wrote (not "Deskripsi: (tidak ada)"); a press reads "[menekan tombol: JKP]"."""
    async with running(make_settings(COUNSELLOR_IDS=COUNSELLORS), FakeClock()):
        budi = await _on_duty(tg, 900, "Budi")
        rina = tg.user(351, "Rina")
        rina.send_command("/menu")
        await tg.wait_for_messages(351, 1)
        rina.press("m:jkp")
        section = (await tg.wait_for_messages(351, 2))[-1]
        flow_start = next(data for _, data in tg.buttons(section) if data and data.endswith(":start"))
        rina.press(flow_start)
        question = (await tg.wait_for_messages(351, 3))[-1]
        label, option = next(
            (label, data)
            for label, data in tg.buttons(question)
            if data and data.startswith("f:") and not data.endswith((":start", ":back"))
        )
        rina.press(option)
        await tg.wait_for_messages(351, 4)
        rina.send_command("/batal")
        await wait_text(tg, 351, "dihentikan", start=4)
        rina.send_command("/petugas")
        await wait_text(tg, 351, "tentang apa")
        rina.press("h:t:jkp")
        await wait_text(tg, 351, "Lewati")
        rina.press("h:x")
        await wait_text(tg, 351, "dibatalkan")
        rina.send_text("cape bgt, saya ingin bunuh diri saja")
        card = (await wait_text(tg, 900, "Kasus baru"))["visible_text"]
        assert "(tidak ada)" not in card and "ingin bunuh diri saja" in card
        budi.press(button_data(await wait_text(tg, 900, "Kasus baru"), "h:take:"))
        history = (await wait_text(tg, 900, "Percakapan terakhir"))["visible_text"]
        assert "h:t:jkp" not in history and "[button]" not in history
        assert "[menekan tombol: JKP]" in history and "[menekan tombol: Batalkan permintaan]" in history
        assert (
            f"[menekan tombol: {label}]" in history and option not in history
        )  # a flow's option, by its label


async def test_counsellors_message_after_a_case_ends_is_not_a_question(tg, make_settings):
    """ "masih di sana bu?" after /selesai: a short counsellor-side reply, no answer, nothing unanswered."""
    async with running(make_settings(COUNSELLOR_IDS=COUNSELLORS), FakeClock()) as h:
        budi = await _on_duty(tg, 900, "Budi")
        siti = tg.user(361, "Siti")
        await _queue(tg, siti)
        budi.press(button_data(await wait_text(tg, 900, "Kasus baru"), "h:take:"))
        await wait_text(tg, 361, "Petugas Budi")
        budi.send_command("/selesai")
        await wait_text(tg, 361, "Seberapa membantu")
        start = len(tg.sent(900))
        budi.send_text("masih di sana bu?")
        reply = (await wait_text(tg, 900, "tidak diteruskan", start=start))["visible_text"]
        assert "tidak dijawab sebagai pertanyaan" in reply
        await asyncio.sleep(0.2)
        assert len(tg.sent(900)) == start + 1
        assert not [line for line in await h.rt.store.unanswered() if "masih di sana" in line.text]
        assert not [line for line in await h.rt.store.transcript(900, 50) if "masih di sana" in line.text]


async def test_a_crisis_while_waiting_tells_counsellors_what_was_written(tg, make_settings):
    async with running(make_settings(COUNSELLOR_IDS=COUNSELLORS), FakeClock()):
        await _on_duty(tg, 900, "Budi")
        ani = tg.user(371, "Ani")
        await _queue(tg, ani)
        await wait_text(tg, 371, "antrean nomor 1")
        ani.send_text(CRISIS)
        notice = (await wait_text(tg, 900, "sekarang MENDESAK"))["visible_text"]
        assert CRISIS in notice
