"""`sourcer-consent serve`: landing page, internal API, consumer, scheduler and webhook
dispatcher in one process. SIGTERM stops taking HTTP requests and events, lets in-flight work
finish, closes."""

from __future__ import annotations

import argparse
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="sourcer-consent", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("serve", help="Serve the landing page and internal API, run the scheduler")
    missing = sub.add_parser(
        "missing-translations",
        help="List the landing page and mail texts each language lacks (talents read English)",
    )
    missing.add_argument(
        "languages", nargs="*", help="Languages to check (default: the tenants' default list)"
    )
    args = parser.parse_args(argv)
    if args.command == "missing-translations":
        from sourcer.consent.translations import report
        from sourcer.proto.tenant_settings import DEFAULT_LANGUAGES

        print(report(args.languages or DEFAULT_LANGUAGES))
        return 0
    from sourcer.consent.bootstrap import SERVICE
    from sourcer.runtime.service import run_service

    return run_service(SERVICE)


if __name__ == "__main__":
    sys.exit(main())
