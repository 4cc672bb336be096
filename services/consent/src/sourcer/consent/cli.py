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
    parser.parse_args(argv)
    from sourcer.consent.bootstrap import SERVICE
    from sourcer.runtime.service import run_service

    return run_service(SERVICE)


if __name__ == "__main__":
    sys.exit(main())
