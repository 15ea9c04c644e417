"""Command line: ``python -m bot [run|serve|ask|check|export|eval|chat|db|...]``. Wiring only."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from .admin import cli as admin_cli
from .journey import cli as journey_cli
from .settings import ConfigError, Settings


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m bot", description="Pandu, the job seeker's assistant.")
    p.add_argument(
        "--knowledge", type=Path, help="knowledge directory (default: KNOWLEDGE_DIR or knowledge/)"
    )
    sub = p.add_subparsers(dest="command")
    sub.add_parser("run", help="run the Telegram bot with long polling (console chat without a token)")
    sub.add_parser("serve", help="run the Telegram webhook server on PORT")
    ask = sub.add_parser("ask", help="answer one question (or stdin lines with --jsonl)")
    ask.add_argument("text", nargs="?")
    ask.add_argument("--json", action="store_true", help="print one JSON object")
    ask.add_argument("--jsonl", action="store_true", help="read one query per stdin line, write JSON lines")
    check = sub.add_parser("check", help="validate a knowledge directory")
    check.add_argument("dir", nargs="?", type=Path)
    check.add_argument("--stale", action="store_true", help="list entries whose 'reviewed' date is old")
    check.add_argument("--months", type=int, default=6)
    export = sub.add_parser("export", help="print the loaded knowledge")
    export.add_argument("--json", action="store_true", required=True)
    ev = sub.add_parser("eval", help="measure the matcher on a labelled YAML file")
    ev.add_argument("file", type=Path)
    ev.add_argument("--misses", action="store_true", help="also list every wrong result")
    sub.add_parser("chat", help="talk to the bot in this terminal")
    imp = sub.add_parser(
        "import-vacancies", help="load a vacancy CSV export into knowledge/data/vacancies.csv"
    )
    imp.add_argument("file", type=Path)
    imp.add_argument(
        "--append", action="store_true", help="add to the current vacancies instead of replacing them"
    )
    purge = sub.add_parser(
        "purge", help="delete transcripts and anonymise ended cases older than RETENTION_MONTHS"
    )
    purge.add_argument("--dry-run", action="store_true", help="only count what would be removed")
    db = sub.add_parser("db", help="database tasks")
    db.add_argument("action", choices=["upgrade"])
    outbox = sub.add_parser("outbox", help="what the delivery outbox holds: counts by age, the oldest errors")
    outbox.add_argument(
        "--purge", action="store_true", help="first delete rows older than OUTBOX_RETENTION_DAYS"
    )
    admin_cli.add_commands(sub)
    journey_cli.add_commands(sub)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        settings = Settings.from_env()
        if args.knowledge:
            settings = _with_knowledge(settings, args.knowledge)
        return _dispatch(args, settings)
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `python -m bot eval ... | head`: the reader has all it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error at exit
        return 141


def _with_knowledge(settings: Settings, path: Path) -> Settings:
    from dataclasses import replace

    return replace(settings, knowledge_dir=path)


def _dispatch(args: argparse.Namespace, settings: Settings) -> int:
    from . import app
    from .sections import load_knowledge

    handled = admin_cli.dispatch(args, settings, load_knowledge)
    if handled is None:
        handled = journey_cli.dispatch(args, settings, load_knowledge)
    if handled is not None:
        return handled
    command = args.command or "run"
    if command == "check":
        from .cli.answering import check

        root = args.dir or settings.knowledge_dir
        return app.stale_report(root, args.months) if args.stale else check(root)
    if command == "db":
        return app.db_upgrade(settings)
    if command == "purge":
        from .cli.retention import run_purge

        return run_purge(settings, dry_run=args.dry_run)
    if command == "outbox":
        from .cli import outbox

        return outbox.run(settings, purge=args.purge)
    if command == "import-vacancies":
        from .cli.vacancies import run_import

        return run_import(args.file, settings.knowledge_dir, append=args.append)
    if command in ("run", "serve") and settings.token:
        return app.run_telegram(settings, webhook=command == "serve")
    if command == "serve":
        raise ConfigError("TELEGRAM_BOT_TOKEN", "is required for webhook mode (python -m bot serve)")
    dialogue = app.load_dialogue(settings.knowledge_dir)
    if dialogue is None:
        return 1
    if command == "ask":
        return _ask(args, dialogue)
    if command == "export":
        from .cli.answering import export

        print(json.dumps(export(dialogue.kb), ensure_ascii=False, indent=1))
        return 0
    if command == "eval":
        return app.run_eval(dialogue, args.file, show_misses=args.misses)
    return app.run_console(dialogue, settings)


def _ask(args: argparse.Namespace, dialogue: object) -> int:
    from .cli.answering import ask, ask_lines, utf8_stdio

    utf8_stdio()
    if args.jsonl:
        ask_lines(dialogue, sys.stdin)  # type: ignore[arg-type]
        return 0
    if args.text is None:
        print('usage: python -m bot ask [--json] "TEXT"  (or --jsonl with queries on stdin)', file=sys.stderr)
        return 2
    ask(dialogue, args.text, as_json=args.json)  # type: ignore[arg-type]
    return 0


if __name__ == "__main__":
    sys.exit(main())
