"""A counsellor's shift end to end (fake Bot API, SQLite and PostgreSQL): every way a case opens,
crisis handling at each stage, and no message reaching the wrong user."""

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


async def _queue_skip(tg: FakeTelegram, user) -> None:  # type: ignore[no-untyped-def]
    await wait_text(tg, user.id, "tentang apa")
    user.press("h:t:jkp")
    await wait_text(tg, user.id, "Lewati")
    user.press("h:skip")


async def _take(tg: FakeTelegram, counsellor, user) -> None:  # type: ignore[no-untyped-def]
    start = len(tg.sent(counsellor.id))
    user.send_command("/petugas")
    await _queue_skip(tg, user)
    counsellor.press(button_data(await wait_text(tg, counsellor.id, "Kasus baru", start=start), "h:take:"))
    await wait_text(tg, user.id, f"Petugas {counsellor.first_name}")


async def test_fallback_offer_flagged_answer_and_menu_open_a_case(tg, make_settings):
    """Two fallbacks -> the offer's button; a handoff-flagged answer's button; the main menu's button."""
    async with running(make_settings(COUNSELLOR_IDS=COUNSELLORS), FakeClock()):
        ani = tg.user(121, "Ani")
        ani.send_text("xqzv blorp")
        await tg.wait_for_messages(121, 1)
        ani.send_text("blorp xqzv")
        offer = await wait_text(tg, 121, "Mau saya hubungkan")
        assert ("Bicara dengan petugas", "m:human") in tg.buttons(offer)
        ani.press("m:human")
        await wait_text(tg, 121, "tentang apa")

        dedi = tg.user(122, "Dedi")
        dedi.send_text("JKP saya ditolak kenapa")
        answer = (await tg.wait_for_messages(122, 1))[0]
        assert ("Bicara dengan petugas", "m:human") in tg.buttons(answer)

        rina = tg.user(123, "Rina")
        rina.send_command("/menu")
        await tg.wait_for_messages(123, 1)
        menu = tg.sent(123)[-1]
        assert ("Bicara dengan petugas", "m:human") in tg.buttons(menu)
        rina.press("m:human")
        await wait_text(tg, 123, "tentang apa")


async def test_card_says_what_the_bot_answered_and_masks_numbers(tg, make_settings):
    async with running(make_settings(COUNSELLOR_IDS=COUNSELLORS), FakeClock()):
        await _on_duty(tg, 900, "Budi")
        siti = tg.user(131, "Siti")
        siti.send_text("JKP saya ditolak kenapa")
        await tg.wait_for_messages(131, 1)
        siti.send_command("/petugas")
        await wait_text(tg, 131, "tentang apa")
        siti.press("h:t:jkp")
        await wait_text(tg, 131, "Lewati")
        siti.send_text("rekening saya 1234567890123 dan HP 081234567890")
        card = (await wait_text(tg, 900, "Kasus baru"))["visible_text"]
        assert "Sudah dijawab bot: " in card and "(belum ada)" not in card
        assert "1234567890123" not in card and "081234567890" not in card and "Bahasa: id" in card


async def test_crisis_while_waiting_makes_the_case_urgent(tg, make_settings):
    """A waiting user who then writes a crisis message: contacts first, the same case goes urgent and
    jumps the queue, counsellors are told."""
    clock = FakeClock()
    async with running(make_settings(COUNSELLOR_IDS=COUNSELLORS), clock) as h:
        await _on_duty(tg, 900, "Budi")
        for user_id, name in ((141, "Ani"), (142, "Dewi")):
            user = tg.user(user_id, name)
            user.send_command("/petugas")
            await _queue_skip(tg, user)
            await wait_text(tg, user_id, "antrean nomor")
            clock.advance(timedelta(minutes=1))
        start = len(tg.sent(142))
        tg.user(142).send_text(CRISIS)
        contacts = await wait_text(tg, 142, "healing119.id", start=start)
        assert all(n in contacts["visible_text"] for n in ("119", "112"))
        await wait_text(tg, 142, "MENDESAK", start=start)
        await wait_text(tg, 900, "sekarang MENDESAK")
        assert [(c.user_id, c.urgent) for c in await h.service.waiting()] == [(142, True), (141, False)]
        assert len([c for c in await h.service.waiting() if c.user_id == 142]) == 1


async def test_crisis_typed_as_the_description_opens_an_urgent_case(tg, make_settings):
    async with running(make_settings(COUNSELLOR_IDS=COUNSELLORS), FakeClock()) as h:
        await _on_duty(tg, 900, "Budi")
        rina = tg.user(151, "Rina")
        rina.send_command("/petugas")
        await wait_text(tg, 151, "tentang apa")
        rina.press("h:t:phk")
        await wait_text(tg, 151, "Lewati")
        start = len(tg.sent(151))
        rina.send_text(CRISIS)
        contacts = await wait_text(tg, 151, "healing119.id", start=start)
        urgent = await wait_text(tg, 151, "MENDESAK", start=start)
        assert tg.sent(151).index(contacts) < tg.sent(151).index(urgent)
        [case] = await h.service.waiting()
        assert case.urgent and case.topic == "crisis"


async def test_crisis_during_a_conversation_shows_contacts_and_flags_the_counsellor(tg, make_settings):
    async with running(make_settings(COUNSELLOR_IDS=COUNSELLORS), FakeClock()) as h:
        budi = await _on_duty(tg, 900, "Budi")
        siti = tg.user(161, "Siti")
        await _take(tg, budi, siti)
        start = len(tg.sent(161))
        siti.send_text(CRISIS)
        await wait_text(tg, 900, CRISIS)
        await wait_text(tg, 900, "tanda krisis")
        await wait_text(tg, 161, "healing119.id", start=start)
        [case] = await h.service.cases_of(900)
        assert case.urgent


async def test_crisis_after_hours_is_honest_that_nobody_is_there(tg, make_settings):
    async with running(make_settings(COUNSELLOR_IDS=COUNSELLORS), FakeClock(NIGHT)) as h:
        tg.user(171, "Rina").send_text(CRISIS)
        first = await wait_text(tg, 171, "healing119.id")
        told = await wait_text(tg, 171, "belum ada petugas yang bertugas")
        assert tg.sent(171).index(first) == 0 and "112" in told["visible_text"]
        [case] = await h.service.waiting()
        assert case.urgent


async def test_after_hours_text_follows_the_configured_hours(tg, make_settings):
    async with running(make_settings(COUNSELLOR_IDS=COUNSELLORS), FakeClock(NIGHT)):
        tg.user(181, "Siti").send_command("/petugas")
        told = await wait_text(tg, 181, "di luar jam layanan")
        assert "Senin–Jumat 08.00–16.00 WIB" in told["visible_text"]
        assert "Selasa 07/01/2025 08.00 WIB" in told["visible_text"]


async def test_message_left_at_night_reaches_the_morning_shift(tg, make_settings):
    """Nobody on duty at night: the SLA reminder is not used up; /siaga in the morning lists the case
    and the overdue notice then reaches the counsellor once."""
    clock = FakeClock(NIGHT)
    settings = make_settings(COUNSELLOR_IDS=COUNSELLORS)
    async with running(settings, clock, tick_seconds=0.05) as h:
        siti = tg.user(191, "Siti")
        siti.send_command("/petugas")
        await _queue_skip(tg, siti)
        await wait_text(tg, 191, "Pesan Anda tersimpan")
        clock.advance(timedelta(hours=13))  # Tuesday 08:00 WIB
        await asyncio.sleep(0.3)
        [case] = await h.service.waiting()
        budi = tg.user(900, "Budi")
        budi.send_command("/siaga")
        await wait_text(tg, 900, "Antrean: 1")
        await wait_text(tg, 900, "sudah menunggu lebih dari 10 menit")
        await asyncio.sleep(0.3)
    assert len([m for m in tg.sent(900) if "sudah menunggu lebih dari" in m["visible_text"]]) == 1
    assert case.user_id == 191


async def test_messages_never_go_to_another_users_case(tg, make_settings):
    """Budi holds Siti's and Rina's cases, answering Siti; Siti's case closes. His next message is not
    sent to Rina: he is told it was not delivered and asked to choose."""
    async with running(make_settings(COUNSELLOR_IDS=COUNSELLORS), FakeClock()) as h:
        budi = await _on_duty(tg, 900, "Budi")
        siti, rina = tg.user(201, "Siti"), tg.user(202, "Rina")
        await _take(tg, budi, rina)
        await _take(tg, budi, siti)  # taking makes Siti's case the current one
        budi.send_command("/selesai")
        await wait_text(tg, 201, "Seberapa membantu")
        choose = await wait_text(tg, 900, "belum ada yang dipilih")
        rina_case = (await h.service.cases_of(900))[0]
        assert (f"#{rina_case.id} Rina", f"h:sw:{rina_case.id}") in tg.buttons(choose)
        before = len(tg.sent(202))
        budi.send_text("Bu Siti, terima kasih")
        await wait_text(tg, 900, "TIDAK terkirim")
        await asyncio.sleep(0.2)
        assert not any("Bu Siti" in (m["visible_text"] or "") for m in tg.sent(202)[before:])
        budi.send_command(f"/kasus {rina_case.id}")
        await wait_text(tg, 900, f"kasus #{rina_case.id}")
        budi.send_text("Bu Rina, saya cek")
        await wait_text(tg, 202, "Budi (petugas): Bu Rina, saya cek")


async def test_transfer_does_not_steal_the_receivers_current_case(tg, make_settings):
    async with running(make_settings(COUNSELLOR_IDS=COUNSELLORS), FakeClock()):
        budi, ani = await _on_duty(tg, 900, "Budi"), await _on_duty(tg, 901, "Ani")
        siti, rina = tg.user(211, "Siti"), tg.user(212, "Rina")
        await _take(tg, ani, rina)
        await _take(tg, budi, siti)
        budi.send_command("/alihkan Ani")
        await wait_text(tg, 901, "Kasus aktif Anda tidak berubah")
        ani.send_text("untuk Rina")
        await wait_text(tg, 212, "Ani (petugas): untuk Rina")
        assert not any("untuk Rina" in (m["visible_text"] or "") for m in tg.sent(211))


async def test_returned_case_keeps_its_place_and_its_sla_counts_again(tg, make_settings):
    clock = FakeClock()
    async with running(make_settings(COUNSELLOR_IDS=COUNSELLORS), clock) as h:
        budi = await _on_duty(tg, 900, "Budi")
        siti = tg.user(221, "Siti")
        await _take(tg, budi, siti)
        clock.advance(timedelta(minutes=20))
        budi.send_command("/alihkan")
        await wait_text(tg, 900, "Budi mengembalikan kasus")
        [case] = await h.service.waiting()
        assert await h.service.due_sla(h.config.timers) == []  # 10 minutes from the return, not the opening
        clock.advance(timedelta(minutes=11))
        assert [c.id for c in await h.service.due_sla(h.config.timers)] == [case.id]


async def test_an_old_unanswered_description_prompt_does_not_swallow_a_question(tg, make_settings):
    clock = FakeClock()
    async with running(make_settings(COUNSELLOR_IDS=COUNSELLORS), clock) as h:
        siti = tg.user(231, "Siti")
        siti.send_command("/petugas")
        await wait_text(tg, 231, "tentang apa")
        siti.press("h:t:jkp")
        prompt = await wait_text(tg, 231, "Lewati")
        assert ("Batalkan permintaan", "h:x") in tg.buttons(prompt)
        clock.advance(timedelta(hours=2))
        start = len(tg.sent(231))
        siti.send_text("berapa lama batas waktu pengajuan JKP?")
        await tg.wait_for_messages(231, start + 1)
        assert await h.service.waiting() == []


async def test_cancel_while_waiting(tg, make_settings):
    """The user cancels: cancelled with a timestamp, counsellors told, a late Take explains."""
    async with running(make_settings(COUNSELLOR_IDS=COUNSELLORS), FakeClock()) as h:
        budi = await _on_duty(tg, 900, "Budi")
        siti = tg.user(241, "Siti")
        siti.send_command("/petugas")
        await _queue_skip(tg, siti)
        queued = await wait_text(tg, 241, "antrean nomor 1")
        notice = await wait_text(tg, 900, "Kasus baru")
        siti.press(button_data(queued, "h:c:"))
        await wait_text(tg, 241, "dibatalkan")
        await wait_text(tg, 900, "membatalkan permintaan")
        budi.press(button_data(notice, "h:take:"))
        await wait_text(tg, 900, "tidak sedang menunggu")
        case = await h.service.get(int(button_data(notice, "h:take:").rsplit(":", 1)[1]))
        assert case is not None and case.status == "cancelled"


async def test_english_commands_and_documents_both_ways(tg, make_settings):
    """An English-speaking counsellor: /duty, /next, /note, /done; documents are copied both ways."""
    async with running(make_settings(COUNSELLOR_IDS=COUNSELLORS), FakeClock()) as h:
        joe = tg.user(901, "Joe", language_code="en")
        joe.send_command("/duty")
        await wait_text(tg, 901, "ON DUTY")
        siti = tg.user(251, "Siti")
        siti.send_command("/petugas")
        await _queue_skip(tg, siti)
        await wait_text(tg, 901, "Kasus baru")
        joe.send_command("/next")
        await wait_text(tg, 901, "You are handling case")
        await wait_text(tg, 251, "Petugas Joe")
        siti.send_document("surat_phk.pdf", b"%PDF-1.4")
        await tg.wait_for_call("copyMessage", lambda p: int(p["chat_id"]) == 901)
        joe.send_document("formulir.pdf", b"%PDF-1.4")
        await tg.wait_for_call("copyMessage", lambda p: int(p["chat_id"]) == 251)
        await wait_text(tg, 251, "Joe (petugas) mengirim")
        joe.send_command("/note called the office")
        await wait_text(tg, 901, "Note saved")
        joe.send_command("/done")
        await wait_text(tg, 901, "is closed")
        [case] = [c for c in [await h.service.get(1)] if c]
        assert case.status == "closed" and await h.service.notes(case.id) == ["called the office"]


async def test_the_user_can_end_the_conversation_and_rate_it(tg, make_settings):
    """/selesai from the job seeker closes their case, tells the counsellor, frees them, asks for a rating."""
    async with running(make_settings(COUNSELLOR_IDS=COUNSELLORS), FakeClock()) as handoff:
        budi = await _on_duty(tg, 900, "Budi")
        siti = tg.user(161, "Siti")
        await _take(tg, budi, siti)
        start = len(tg.sent(siti.id))
        siti.send_command("/selesai")
        await wait_text(tg, budi.id, "Siti mengakhiri percakapan")
        rating = await wait_text(tg, siti.id, "Seberapa membantu", start=start)
        assert not any(
            "hanya untuk petugas" in (m.get("visible_text") or "") for m in tg.sent(siti.id)[start:]
        )
        data = button_data(rating, "h:r:")
        case_id = int(data.split(":")[2])
        siti.press(data.rsplit(":", 1)[0] + ":4")
        await wait_text(tg, siti.id, "Terima kasih", start=start)
        case = await handoff.service.get(case_id)
        assert case is not None and (case.status, case.rating) == ("closed", 4)
        assert await handoff.service.current_case(900) is None
        siti.send_text("halo lagi")  # back with the bot, not relayed
        await tg.wait_until(lambda: len(tg.sent(siti.id)) > start + 3, 10)
        assert not any("halo lagi" in (m.get("visible_text") or "") for m in tg.sent(budi.id))
