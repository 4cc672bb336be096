"""`sourcer-talent worker`: consumers plus the internal API, until SIGTERM."""

from __future__ import annotations

import argparse
import sys


def _worker(_: argparse.Namespace) -> int:
    from sourcer.runtime.service import run_service
    from sourcer.talent.bootstrap import SERVICE

    return run_service(SERVICE)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="sourcer-talent", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    worker = commands.add_parser("worker", help="Run the consumers and the internal API.")
    worker.set_defaults(run=_worker)
    args = parser.parse_args(argv)
    result: int = args.run(args)
    return result


if __name__ == "__main__":
    sys.exit(main())
