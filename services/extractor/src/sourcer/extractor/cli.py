"""`sourcer-extractor`: the worker, page replay, drift reports, and platform sessions."""

from __future__ import annotations

import argparse
import asyncio
import sys

from pydantic import ValidationError

from sourcer.extractor.bootstrap import SERVICE
from sourcer.extractor.cli_parse import PLATFORMS, run_parse
from sourcer.extractor.cli_sessions import add_commands, run_accounts
from sourcer.extractor.crypto import AccountsKeyError, new_key
from sourcer.extractor.drift import run_drift
from sourcer.extractor.scoring import run_score
from sourcer.extractor.settings import ExtractorSettings
from sourcer.runtime.service import run_service
from sourcer.runtime.store import connect_store


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sourcer-extractor", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("worker", help="consume sourcing requests and render profiles")
    parse = commands.add_parser("parse", help="print the Profile of a saved page as JSON")
    parse.add_argument("--platform", choices=PLATFORMS, required=True)
    parse.add_argument("file")
    drift = commands.add_parser(
        "drift", help="per layout signature: saved pages parsed fully, partially, not at all"
    )
    drift.add_argument("directory")
    drift.add_argument("--json", action="store_true", help="machine-readable report")
    score = commands.add_parser(
        "score", help="per layout: field precision/recall of saved pages against <name>.json"
    )
    score.add_argument("directory")
    score.add_argument("--json", action="store_true", help="machine-readable report")
    score.add_argument("--pages", action="store_true", help="also score each page")
    commands.add_parser("new-key", help="print a fresh SOURCER_EXTRACTOR_ACCOUNTS_KEY")
    add_commands(commands)
    return parser


async def accounts_command(args: argparse.Namespace, settings: ExtractorSettings) -> int:
    store = await connect_store(
        settings.mongodb_url,
        settings.mongodb_db,
        app_name="extractor",
        catalog=SERVICE.full_catalog,
    )
    try:
        await store.ensure_indexes()
        return await run_accounts(args, settings, store)
    finally:
        await store.close()


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "parse":
        return run_parse(args.platform, args.file)
    if args.command == "drift":
        return run_drift(args.directory, as_json=args.json)
    if args.command == "score":
        return run_score(args.directory, as_json=args.json, per_page=args.pages)
    if args.command == "new-key":
        print(new_key())
        return 0
    try:
        settings = ExtractorSettings()
    except ValidationError as exc:
        missing = ", ".join("SOURCER_EXTRACTOR_" + str(e["loc"][0]).upper() for e in exc.errors())
        print(f"sourcer-extractor: missing or invalid settings: {missing}", file=sys.stderr)
        return 2
    try:
        if args.command == "worker":
            return run_service(SERVICE, settings)
        return asyncio.run(accounts_command(args, settings))
    except AccountsKeyError as exc:
        print(f"sourcer-extractor: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
