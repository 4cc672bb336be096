"""`sourcer-bus parked list|replay|purge --consumer NAME`: the parking queue, for ops."""

from __future__ import annotations

import argparse
import asyncio
import sys

from sourcer.runtime.parking import ParkingLot
from sourcer.runtime.settings import ServiceSettings


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sourcer-bus", description=__doc__)
    groups = parser.add_subparsers(dest="group", required=True)
    parked = groups.add_parser("parked", help="messages a consumer gave up on")
    actions = parked.add_subparsers(dest="action", required=True)
    for action, help_text in (
        ("list", "print parked messages as JSON lines, leaving them parked"),
        ("replay", "move parked messages back to the consumer's queue"),
        ("purge", "delete all parked messages of the consumer"),
    ):
        sub = actions.add_parser(action, help=help_text)
        sub.add_argument("--consumer", required=True, help="consumer name, e.g. talent")
        if action != "purge":
            sub.add_argument("--limit", type=int, default=None)
    return parser


async def run(args: argparse.Namespace, settings: ServiceSettings) -> int:
    lot = ParkingLot(url=settings.amqp_url, queue_name=f"{settings.bus_namespace}{args.consumer}")
    if args.action == "list":
        for message in await lot.list(limit=args.limit or 100):
            print(message.as_json())
    elif args.action == "replay":
        print(f"replayed {await lot.replay(limit=args.limit)} message(s)")
    else:
        print(f"purged {await lot.purge()} message(s)")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return asyncio.run(run(args, ServiceSettings()))
    except Exception as exc:
        print(f"sourcer-bus: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
