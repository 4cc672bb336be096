"""`sourcer-extractor accounts ...`: platform sessions for ops, on the command line.

Secrets never go on the command line (the process list shows it to every user of the host):
a cookie comes from a file or stdin (`--cookie-file -`), a storage state from a file. An
imported session is checked with one page load, as the API checks it, before it is used.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from pathlib import Path

from pydantic import ValidationError

from sourcer.extractor.browser import BrowserHost
from sourcer.extractor.cli_parse import PLATFORMS
from sourcer.extractor.session_check import SessionChecker
from sourcer.extractor.session_input import SessionInputError, storage_state_for
from sourcer.extractor.session_store import MongoSessionRepository, session_repository
from sourcer.extractor.sessions import SessionState
from sourcer.extractor.settings import ExtractorSettings
from sourcer.proto.records import Platform
from sourcer.proto.session_api import SessionConnect, StorageState
from sourcer.runtime.store import Store

CLI_USER = "ops-cli"


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    accounts = commands.add_parser("accounts", help="platform sessions")
    actions = accounts.add_subparsers(dest="action", required=True)
    # No abbreviations: `--cookie` must not be taken for `--cookie-file` (a secret as argument).
    imp = actions.add_parser(
        "import", help="connect a session and check it with one page load", allow_abbrev=False
    )
    imp.add_argument("--platform", choices=PLATFORMS, required=True)
    imp.add_argument("--tenant", required=True)
    whose = imp.add_mutually_exclusive_group(required=True)
    whose.add_argument("--user", help="the recruiter (token `sub`) whose own session it is")
    whose.add_argument("--shared", action="store_true", help="for the tenant's shared pool")
    imp.add_argument("--label", help="name of a shared session, e.g. the seat")
    source = imp.add_mutually_exclusive_group(required=True)
    source.add_argument("--storage-state", type=Path, help="Playwright storage_state JSON file")
    source.add_argument(
        "--cookie-file", help="file holding the session cookie's value (li_at / login); - reads "
        "stdin",
    )  # fmt: skip
    listing = actions.add_parser("list", help="sessions with owner, state, use today and lease")
    listing.add_argument("--tenant")
    disable = actions.add_parser("disable", help="take a session out of rotation")
    disable.add_argument("--id", required=True)
    delete = actions.add_parser("delete", help="erase sessions of a tenant, or of one recruiter")
    delete.add_argument("--tenant", required=True)
    delete.add_argument("--user")
    policy = actions.add_parser("shared-pool", help="let recruiters without own session use it")
    policy.add_argument("--tenant", required=True)
    policy.add_argument("state", choices=["on", "off"])
    actions.add_parser(
        "rekey",
        help="seal every session again under SOURCER_EXTRACTOR_ACCOUNTS_KEY (the old key in "
        "SOURCER_EXTRACTOR_ACCOUNTS_PREVIOUS_KEYS still opens them)",
    )


def _read_cookie(path: str) -> str:
    text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    return text.strip()


def _login(args: argparse.Namespace) -> SessionConnect:
    if args.storage_state:
        state = StorageState.model_validate_json(args.storage_state.read_text(encoding="utf-8"))
        return SessionConnect(storage_state=state)
    return SessionConnect(cookie=_read_cookie(args.cookie_file))


async def _import(
    args: argparse.Namespace, settings: ExtractorSettings, sessions: MongoSessionRepository
) -> int:
    platform = Platform(args.platform)
    try:
        login = _login(args)
        storage_state = storage_state_for(platform, login, settings.base_url(platform))
    except (ValidationError, SessionInputError, OSError) as exc:
        print(f"sourcer-extractor: the login is not usable: {exc}", file=sys.stderr)
        return 2
    summary = await sessions.connect(
        tenant_id=args.tenant,
        platform=platform,
        owner=None if args.shared else args.user,
        label=args.label,
        storage_state=storage_state,
        by=CLI_USER,
    )
    browser = BrowserHost(
        executable=settings.chromium_path,
        headless=settings.headless,
        pages_per_context=1,
        no_sandbox=settings.chromium_no_sandbox,
    )
    await browser.start()
    try:
        checker = SessionChecker(
            sessions=sessions,
            browser=browser,
            base_urls={p: settings.base_url(p) for p in Platform},
            navigation_ms=settings.navigation_timeout * 1000,
            holder=CLI_USER,
            clock=lambda: datetime.now(UTC),
        )
        checked = await checker.check(summary.session_id)
    finally:
        await browser.close()
    state = checked[1].state.value if checked else "gone"
    print(json.dumps({"session": summary.session_id, "platform": platform.value, "state": state}))
    return 0 if state == "connected" else 1


async def run_accounts(args: argparse.Namespace, settings: ExtractorSettings, store: Store) -> int:
    sessions = session_repository(settings, store)
    if args.action == "import":
        return await _import(args, settings, sessions)
    if args.action == "list":
        for s in await sessions.list(tenant_id=args.tenant):
            row = {
                "session": s.session_id,
                "tenant": s.tenant_id,
                "platform": s.platform.value,
                "owner": s.owner,
                "shared": s.shared,
                "label": s.label,
                "state": s.state.value,
                "used_today": s.used_today,
                "leased_by": s.leased_by,
                "cooldown_until": str(s.cooldown_until or ""),
            }
            print(json.dumps(row))
        return 0
    if args.action == "disable":
        released = await sessions.set_state(
            session_id=args.id, state=SessionState.DISABLED, now=datetime.now(UTC)
        )
        if released.previous is None:
            print(f"no session {args.id}", file=sys.stderr)
            return 1
        print(f"disabled {args.id}")
        return 0
    if args.action == "delete":
        query = {"owner": args.user} if args.user else {}
        print(f"deleted {await sessions.delete(tenant_id=args.tenant, query=query)} session(s)")
        return 0
    if args.action == "shared-pool":
        await sessions.set_shared_pool(
            tenant_id=args.tenant, allowed=args.state == "on", by=CLI_USER
        )
        print(f"shared pool {args.state} for {args.tenant}")
        return 0
    print(f"re-sealed {await sessions.rekey()} session(s)")
    return 0
