"""The one slash-command parser, shared by Telegram's handlers and the console."""

from __future__ import annotations

import pytest

from bot.cli.console import Console
from bot.dialogue import Kind, parse_command


@pytest.mark.parametrize(
    ("text", "parsed"),
    [
        ("/start", ("start", "")),
        ("/START", ("start", "")),
        ("/catatan@PanduBot  telat bayar  ", ("catatan", "telat bayar")),
        ("/catatan\nbaris satu\nbaris dua", ("catatan", "baris satu\nbaris dua")),
        ("/coba\tsyarat jkp", ("coba", "syarat jkp")),
        ("/kasus 12", ("kasus", "12")),
        ("/siaga, tolong", ("siaga", ", tolong")),
    ],
)
def test_a_command_is_its_lower_case_name_without_the_bot_and_its_arguments(text, parsed):
    assert parse_command(text) == parsed


@pytest.mark.parametrize("text", ["", "/", "/ halo", "@PanduBot", "halo /start", " /start", "/@PanduBot"])
def test_anything_else_is_not_a_command(text):
    assert parse_command(text) is None


def test_the_console_reads_commands_with_the_same_parser():
    incoming = Console(None).incoming("/Catatan@PanduBot\nhalo")  # type: ignore[arg-type]
    assert (incoming.kind, incoming.text, incoming.command_args) == (Kind.COMMAND, "catatan", "halo")
