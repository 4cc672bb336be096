"""`sourcer-extractor`: the worker, page replay, and platform account administration."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path
from urllib.parse import urlsplit

from pydantic import ValidationError

from sourcer.extractor.bootstrap import SERVICE, account_repository
from sourcer.extractor.cli_parse import PLATFORMS, run_parse
from sourcer.extractor.crypto import AccountsKeyError, new_key
from sourcer.extractor.drift import run_drift
from sourcer.extractor.scoring import run_score
from sourcer.extractor.settings import ExtractorSettings
from sourcer.proto.records import Platform
from sourcer.runtime.service import run_service
from sourcer.runtime.store import Store, connect_store

SESSION_COOKIE = {Platform.LINKEDIN: "li_at", Platform.XING: "login"}


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
    accounts = commands.add_parser("accounts", help="platform sessions")
    actions = accounts.add_subparsers(dest="action", required=True)
    imp = actions.add_parser("import", help="import or refresh an account's session")
    imp.add_argument("--platform", choices=PLATFORMS, required=True)
    imp.add_argument("--name", required=True, help="account id, e.g. the recruiter seat")
    source = imp.add_mutually_exclusive_group(required=True)
    source.add_argument("--storage-state", type=Path, help="Playwright storage_state JSON file")
    source.add_argument("--cookie", help="the platform's session cookie value (li_at / login)")
    actions.add_parser("list", help="accounts with state, use today and lease")
    disable = actions.add_parser("disable", help="take an account out of rotation")
    disable.add_argument("--name", required=True)
    return parser


def cookie_storage_state(platform: Platform, value: str, base_url: str) -> dict[str, object]:
    """A storage_state holding just the session cookie, for the configured platform host."""
    host = urlsplit(base_url).hostname or ""
    return {
        "cookies": [
            {
                "name": SESSION_COOKIE[platform],
                "value": value,
                "domain": host,
                "path": "/",
                "expires": -1,
                "httpOnly": True,
                "secure": base_url.startswith("https"),
                "sameSite": "Lax",
            }
        ],
        "origins": [],
    }


async def _with_store(settings: ExtractorSettings) -> Store:
    store = await connect_store(
        settings.mongodb_url,
        settings.mongodb_db,
        app_name="extractor",
        catalog=SERVICE.full_catalog,
    )
    await store.ensure_indexes()
    return store


async def accounts_command(args: argparse.Namespace, settings: ExtractorSettings) -> int:
    store = await _with_store(settings)
    try:
        accounts = account_repository(settings, store)
        if args.action == "import":
            platform = Platform(args.platform)
            if args.storage_state:
                state = json.loads(args.storage_state.read_text(encoding="utf-8"))
            else:
                base = (
                    settings.linkedin_base_url
                    if platform is Platform.LINKEDIN
                    else settings.xing_base_url
                )
                state = cookie_storage_state(platform, args.cookie, base)
            await accounts.upsert(account_id=args.name, platform=platform, storage_state=state)
            print(f"imported {args.name} ({platform.value})")
        elif args.action == "list":
            for account in await accounts.list():
                print(
                    json.dumps(
                        {
                            "account": account.account_id,
                            "platform": account.platform.value,
                            "state": account.state.value,
                            "used_today": account.used_today,
                            "leased_by": account.leased_by,
                            "cooldown_until": str(account.cooldown_until or ""),
                        }
                    )
                )
        elif not await accounts.disable(account_id=args.name):
            print(f"no account {args.name}", file=sys.stderr)
            return 1
        else:
            print(f"disabled {args.name}")
        return 0
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
