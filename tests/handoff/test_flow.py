"""The handoff end to end: the production Application, a fake Bot API, SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from bot.handoff.models import Case
from tests.conftest import FakeClock
from tests.handoff.conftest import COUNSELLORS, button_data, running, wait_text

pytestmark = pytest.mark.e2e


async def _on_duty(tg, user_id: int, name: str):
    counsellor = tg.user(user_id, name)
    counsellor.send_command("/siaga")
    await wait_text(tg, user_id, "BERTUGAS")
    return counsellor


async def _ask_for_person(tg, user, description: str | None = "JKP saya belum cair") -> None:
    """/petugas -> topic JKP -> a one-line description (or Skip)."""
    user.send_command("/petugas")
    await wait_text(tg, user.id, "tentang apa")
    user.press("h:t:jkp")
    await wait_text(tg, user.id, "Lewati")
    if description is None:
        user.press("h:skip")
    else:
        user.send_text(description)


async def test_escalate_take_relay_close_and_rate(tg, make_settings):
    """Escalate -> counsellor notified -> take -> relay both ways (text and photo) -> close -> rating stored."""
    clock = FakeClock()
    async with running(make_settings(COUNSELLOR_IDS=COUNSELLORS), clock) as h:
        budi = await _on_duty(tg, 900, "Budi")
        siti = tg.user(101, "Siti")
        siti.send_text("berapa lama batas waktu pengajuan JKP?")
        await tg.wait_for_messages(101, 1)
        await _ask_for_person(tg, siti, "NIK saya 3174012345678901, JKP belum cair")
        queued = await wait_text(tg, 101, "antrean nomor 1")
        assert "10 menit" in queued["visible_text"]
        notice = await wait_text(tg, 900, "Kasus baru")
        assert "3174012345678901" not in notice["visible_text"] and "Siti" in notice["visible_text"]
        assert "Topik: JKP" in notice["visible_text"]

        budi.press(button_data(notice, "h:take:"))
        await wait_text(tg, 900, "Anda menangani kasus")
        history = await wait_text(tg, 900, "Percakapan terakhir")
        assert "batas waktu pengajuan JKP" in history["visible_text"]
        await wait_text(tg, 101, "Petugas Budi sekarang menangani")

        siti.send_text("halo pak, <tolong> dibantu")
        relayed = await wait_text(tg, 900, "Siti (#")
        assert relayed["visible_text"].endswith("halo pak, <tolong> dibantu")
        budi.send_text("Halo Siti, <b>saya</b> bantu & cek dulu")
        reply = await wait_text(tg, 101, "Budi (petugas)")
        assert reply["visible_text"] == "Budi (petugas): Halo Siti, <b>saya</b> bantu & cek dulu"
        siti.send_photo(caption="surat PHK")
        await tg.wait_for_call("copyMessage", lambda p: int(p["chat_id"]) == 900)

        budi.send_command("/selesai")
        await wait_text(tg, 900, "ditutup")
        rate = await wait_text(tg, 101, "Seberapa membantu")
        siti.press(button_data(rate, "h:r:")[:-1] + "5")
        await wait_text(tg, 101, "Terima kasih atas penilaian")
        async with h.rt.db.session() as session:
            case = (await session.scalars(select(Case))).one()
        assert (case.status, case.rating, case.counsellor_id) == ("closed", 5, 900)

        siti.send_text("berapa lama batas waktu pengajuan JKP?")  # back with the bot
        count = len(tg.sent(900))
        await tg.wait_for_messages(101, len(tg.sent(101)) + 1)
        assert len(tg.sent(900)) == count


async def test_two_counsellors_race_for_one_case(tg, make_settings):
    """Both press Take: exactly one gets the case, the other is told who has it."""
    async with running(make_settings(COUNSELLOR_IDS=COUNSELLORS), FakeClock()) as h:
        budi, ani = await _on_duty(tg, 900, "Budi"), await _on_duty(tg, 901, "Ani")
        await _ask_for_person(tg, tg.user(101, "Siti"), None)
        notice = await wait_text(tg, 901, "Kasus baru")
        data = button_data(notice, "h:take:")
        ani.press(data)
        budi.press(data)
        await wait_text(tg, 901, "Anda menangani kasus")
        await wait_text(tg, 900, "sudah diambil oleh Ani")
        [case] = await h.service.cases_of(901)
        assert await h.service.cases_of(900) == []
        assert case.counsellor_id == 901


async def test_stranger_cannot_use_counsellor_commands(tg, make_settings, caplog):
    async with running(make_settings(COUNSELLOR_IDS=COUNSELLORS), FakeClock()):
        stranger = tg.user(555, "Eko")
        for command in ("/antrian", "/siaga", "/selesai", "/queue"):
            stranger.send_command(command)
        await tg.wait_for_messages(555, 4)
        assert all("hanya untuk petugas" in m["visible_text"] for m in tg.sent(555))
        assert "not authorised" in caplog.text and "555" not in caplog.text.split("not authorised")[1][:40]
        stranger.press("h:take:1", message_id=tg.sent(555)[-1]["message_id"])
        await tg.wait_until(
            lambda: any("hanya untuk petugas" in (a.get("text") or "") for a in tg.callback_answers), 10
        )


async def test_relay_survives_a_restart(tg, make_settings):
    """New Application on the same database: the assigned case still relays both ways."""
    settings = make_settings(COUNSELLOR_IDS=COUNSELLORS)
    clock = FakeClock()
    async with running(settings, clock):
        budi = await _on_duty(tg, 900, "Budi")
        siti = tg.user(101, "Siti")
        await _ask_for_person(tg, siti)
        budi.press(button_data(await wait_text(tg, 900, "Kasus baru"), "h:take:"))
        await wait_text(tg, 101, "Petugas Budi")
    async with running(settings, clock):
        siti.send_text("masih di sana?")
        await wait_text(tg, 900, "masih di sana?")
        budi.send_text("Masih, Bu.")
        await wait_text(tg, 101, "Budi (petugas): Masih, Bu.")


async def test_crisis_opens_an_urgent_case_ahead_of_older_ones(tg, make_settings):
    async with running(make_settings(COUNSELLOR_IDS=COUNSELLORS), FakeClock()) as h:
        await _on_duty(tg, 900, "Budi")
        await _ask_for_person(tg, tg.user(101, "Siti"))
        await wait_text(tg, 101, "antrean nomor 1")
        tg.user(102, "Rina").send_text("saya putus asa dan rasanya ingin menyakiti diri sendiri")
        urgent = await wait_text(tg, 102, "MENDESAK")
        first = tg.sent(102)[0]
        assert first is not urgent and first["visible_text"] == h.rt.holder.dialogue.kb.answer(
            "urgent.crisis", "id"
        )
        assert "nomor 1" in urgent["visible_text"]
        waiting = await h.service.waiting()
        assert [(c.user_id, c.urgent) for c in waiting] == [(102, True), (101, False)]
        tg.user(900).send_command("/antrian")
        listing = await wait_text(tg, 900, "Antrean: 2")
        assert listing["visible_text"].index("Rina") < listing["visible_text"].index("Siti")


async def test_after_hours_message_becomes_a_waiting_case(tg, make_settings):
    """19:00 WIB: told honestly, may leave a message (a waiting case), and the bot keeps answering."""
    clock = FakeClock(datetime(2025, 1, 6, 12, 0, tzinfo=UTC))
    async with running(make_settings(COUNSELLOR_IDS=COUNSELLORS), clock) as h:
        siti = tg.user(101, "Siti")
        siti.send_command("/petugas")
        await wait_text(tg, 101, "di luar jam layanan")
        await wait_text(tg, 101, "tentang apa")
        siti.press("h:t:phk")
        await wait_text(tg, 101, "Lewati")
        siti.send_text("pesangon saya tidak dibayar")
        await wait_text(tg, 101, "Pesan Anda tersimpan")
        [case] = await h.service.waiting()
        assert (case.user_id, case.topic, case.description) == (101, "phk", "pesangon saya tidak dibayar")
        before = len(tg.sent(101))
        siti.send_text("berapa lama batas waktu pengajuan JKP?")
        await tg.wait_for_messages(101, before + 1)


async def test_sla_reminder_fires_once_even_after_a_restart(tg, make_settings):
    """The background timer re-announces an overdue case once; a restarted bot does not repeat it."""
    import asyncio
    from datetime import timedelta

    settings = make_settings(COUNSELLOR_IDS=COUNSELLORS)
    clock = FakeClock()
    async with running(settings, clock, tick_seconds=0.05):
        await _on_duty(tg, 900, "Budi")
        await _ask_for_person(tg, tg.user(101, "Siti"), None)
        await wait_text(tg, 900, "Kasus baru")
        clock.advance(timedelta(minutes=11))
        await wait_text(tg, 900, "sudah menunggu lebih dari 10 menit")
    async with running(settings, clock, tick_seconds=0.05):
        await asyncio.sleep(0.5)
    overdue = [m for m in tg.sent(900) if "sudah menunggu lebih dari" in m["visible_text"]]
    assert len(overdue) == 1
    assert ("Ambil kasus #1", "h:take:1") in tg.buttons(overdue[0])


async def test_delete_my_data_ends_and_anonymises_the_users_case(tg, make_settings):
    """/hapus while a counsellor holds the case: the case is cancelled, stripped of the user's data,
    its notes deleted, and the counsellor told."""
    clock = FakeClock()
    async with running(make_settings(COUNSELLOR_IDS=COUNSELLORS), clock) as h:
        budi = await _on_duty(tg, 900, "Budi")
        siti = tg.user(102, "Siti")
        await _ask_for_person(tg, siti, "JKP saya ditolak")
        notice = await wait_text(tg, 900, "Kasus baru")
        budi.press(button_data(notice, "h:take:"))
        await wait_text(tg, 102, "Petugas Budi sekarang menangani")
        budi.send_command("/catatan pengguna minta ditelepon")
        await wait_text(tg, 900, "Catatan")
        siti.send_command("/hapus")
        confirm = await wait_text(tg, 102, "Hapus semua data")
        siti.press("del:yes", message_id=confirm["message_id"])
        await wait_text(tg, 102, "sudah dihapus")
        await wait_text(tg, 900, "menghapus datanya")
        async with h.rt.db.session() as session:
            case = (await session.scalars(select(Case))).one()
            notes = await h.service.notes(case.id)
        assert (case.status, case.user_id, case.first_name, case.description) == ("cancelled", 0, "", "")
        assert notes == []


async def test_switch_between_cases_transfer_and_return_to_queue(tg, make_settings):
    """/kasus switches the case messages go to; /alihkan NAME hands it over; /alihkan returns it."""
    async with running(make_settings(COUNSELLOR_IDS=COUNSELLORS), FakeClock()) as h:
        budi, ani = await _on_duty(tg, 900, "Budi"), await _on_duty(tg, 901, "Ani")
        siti, rina = tg.user(111, "Siti"), tg.user(112, "Rina")
        for user in (siti, rina):
            start = len(tg.sent(900))
            await _ask_for_person(tg, user, None)
            budi.press(button_data(await wait_text(tg, 900, "Kasus baru", start=start), "h:take:"))
            await wait_text(tg, user.id, "Petugas Budi")
        first, second = sorted(c.id for c in await h.service.cases_of(900))

        start = len(tg.sent(900))
        budi.send_command("/kasus")
        listing = await wait_text(tg, 900, "Kasus yang Anda tangani", start=start)
        budi.press(f"h:sw:{first}", message_id=listing["message_id"])
        await wait_text(tg, 900, f"kasus #{first}", start=start + 1)
        budi.send_text("untuk Siti")
        await wait_text(tg, 111, "Budi (petugas): untuk Siti")
        assert not any("untuk Siti" in (m["visible_text"] or "") for m in tg.sent(112))

        start = len(tg.sent(900))
        budi.send_command("/alihkan Ani")
        await wait_text(tg, 900, "dialihkan ke Ani", start=start)
        await wait_text(tg, 901, f"mengalihkan kasus #{first} kepada Anda")
        assert (await h.service.get(first)).counsellor_id == 901

        start = len(tg.sent(901))
        ani.send_command("/alihkan")
        await wait_text(tg, 901, "dikembalikan ke antrean", start=start)
        assert (await h.service.get(first)).status == "waiting"
        assert (await h.service.get(second)).counsellor_id == 900


async def test_take_button_in_the_counsellors_group(tg, make_settings):
    """With COUNSELLOR_CHAT_ID set, new cases are announced in the group and Take works from there."""
    group = -100123
    tg.add_chat(group, type="supergroup", title="Petugas")
    settings = make_settings(COUNSELLOR_IDS=COUNSELLORS, COUNSELLOR_CHAT_ID=str(group))
    async with running(settings, FakeClock()) as h:
        await _on_duty(tg, 900, "Budi")
        await _ask_for_person(tg, tg.user(113, "Siti"), None)
        notice = await wait_text(tg, group, "Kasus baru")
        tg.user(901, "Ani").press(button_data(notice, "h:take:"), chat_id=group)
        await wait_text(tg, 901, "Anda menangani kasus")
        [case] = await h.service.cases_of(901)
        assert case.status == "assigned"
