"""`sourcer-bus consumers` lists every consumer of the installed services with its queues;
`sourcer-bus parked list|replay|purge --consumer NAME` works on a consumer's parking queue;
`sourcer-bus permissions [--apply]` prints (or creates) each service's broker user and what it
may publish and consume, derived from the services' declarations."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path
from typing import Any

import aio_pika

from sourcer.proto.envelope import EXCHANGE
from sourcer.runtime import bus_admin
from sourcer.runtime.bus_permissions import USER_PREFIX, permissions_for
from sourcer.runtime.consumer_spec import ConsumerSpec, delay_queue_name, parked_queue_name
from sourcer.runtime.parking import ParkingLot
from sourcer.runtime.registry import installed_services
from sourcer.runtime.settings import ServiceSettings
from sourcer.runtime.topology import ensure_events_exchange


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sourcer-bus", description=__doc__)
    groups = parser.add_subparsers(dest="group", required=True)
    listing = groups.add_parser("consumers", help="every consumer, its keys and its queues")
    listing.add_argument("--json", action="store_true", help="one JSON object per consumer")
    perms = groups.add_parser(
        "permissions", help="each service's broker user: what it may publish and consume"
    )
    perms.add_argument("--json", action="store_true", help="one JSON object per service")
    perms.add_argument(
        "--apply",
        action="store_true",
        help="create missing users and set their permissions with rabbitmqctl (run on the "
        "broker's host; AMQP_URL must be an administrator's, to create the events exchange)",
    )
    perms.add_argument(
        "--passwords-dir",
        type=Path,
        default=Path(".local/amqp"),
        help="one password file per service, created when missing (with --apply)",
    )
    perms.add_argument("--user-prefix", default=USER_PREFIX, help="user name = prefix + service")
    perms.add_argument("--service", action="append", help="only these services (repeatable)")
    parked = groups.add_parser("parked", help="messages a consumer gave up on")
    actions = parked.add_subparsers(dest="action", required=True)
    for action, help_text in (
        ("list", "print parked messages as JSON lines, leaving them parked"),
        ("replay", "move parked messages back to the consumer's queue"),
        ("purge", "delete all parked messages of the consumer"),
    ):
        sub = actions.add_parser(action, help=help_text)
        sub.add_argument("--consumer", required=True, help="consumer name, e.g. talent.previews")
        if action != "purge":
            sub.add_argument("--limit", type=int, default=None)
    return parser


def all_consumers() -> list[tuple[str, ConsumerSpec[Any]]]:
    return [(service.name, spec) for service in installed_services() for spec in service.consumers]


def describe(service: str, spec: ConsumerSpec[Any], namespace: str) -> dict[str, Any]:
    queue = spec.queue(namespace)
    return {
        "service": service,
        "consumer": spec.name,
        "description": spec.description,
        "keys": spec.keys,
        "queue": queue,
        "parked_queue": parked_queue_name(queue),
        "delay_queues": [delay_queue_name(queue, ms) for ms in spec.retry.delays_ms],
        "max_attempts": spec.retry.max_attempts,
    }


def print_consumers(namespace: str, *, as_json: bool) -> None:
    for service, spec in all_consumers():
        row = describe(service, spec, namespace)
        if as_json:
            print(json.dumps(row))
        else:
            print(f"{row['consumer']:<26} {row['service']:<10} {', '.join(row['keys'])}")


async def permissions(args: argparse.Namespace, settings: ServiceSettings) -> int:
    services = [s for s in installed_services() if not args.service or s.name in args.service]
    found = [
        permissions_for(s, namespace=settings.bus_namespace, user_prefix=args.user_prefix)
        for s in services
    ]
    if not args.apply:
        for p in found:
            if args.json:
                print(json.dumps(p.as_dict()))
            else:
                print(f"{p.user:<20} publishes {', '.join(p.publishes) or '-'}")
                print(f"{'':<20} consumes  {', '.join(p.consumes) or '-'}")
        return 0
    # The events exchange exists before any service's user needs it (they may not create it).
    connection = await aio_pika.connect(settings.amqp_url)
    try:
        await ensure_events_exchange(connection, f"{settings.bus_namespace}{EXCHANGE}")
    finally:
        await connection.close()
    ctl = bus_admin.Rabbitmqctl()
    vhost = bus_admin.vhost_of(settings.amqp_url)
    users = ctl.users()
    for p in found:
        password = bus_admin.password_for(args.passwords_dir, p.service)
        for line in bus_admin.apply(p, ctl=ctl, vhost=vhost, password=password, users=users):
            print(line)
    return 0


async def run(args: argparse.Namespace, settings: ServiceSettings) -> int:
    if args.group == "consumers":
        print_consumers(settings.bus_namespace, as_json=args.json)
        return 0
    if args.group == "permissions":
        return await permissions(args, settings)
    known = {spec.name for _, spec in all_consumers()}
    if args.consumer not in known:
        print(
            f"sourcer-bus: no consumer {args.consumer!r}; known: {', '.join(sorted(known))}",
            file=sys.stderr,
        )
        return 2
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
