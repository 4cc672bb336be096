"""Tables in the docs that come from the code: consumers and their queues, services and the
collections they own, and what a talent's consent state allows. `sourcer-docs` rewrites the
marked blocks; a test fails when they are stale.

A block is the text between `<!-- generated:NAME -->` and `<!-- end:NAME -->`.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from pathlib import Path

from sourcer.proto.restrictions import markdown_table as consent_restrictions_table
from sourcer.runtime.consumer_spec import parked_queue_name
from sourcer.runtime.idempotency import RUNTIME_CATALOG
from sourcer.runtime.registry import installed_services


def consumers_table() -> str:
    rows = [
        "| consumer (queue) | service | takes | retries after (s) |",
        "|---|---|---|---|",
    ]
    for service in installed_services():
        for spec in service.consumers:
            delays = ", ".join(f"{d:g}" for d in spec.retry.delays)
            keys = ", ".join(f"`{key}`" for key in spec.keys)
            rows.append(f"| `{spec.name}` | {service.name} | {keys} | {delays} |")
    parked = parked_queue_name("<consumer>")
    return "\n".join(rows) + (
        f"\n\nEach consumer also has `{parked}` and one `<consumer>.delay.<ms>` queue per wait."
    )


def collections_table() -> str:
    rows = ["| service | command | owns |", "|---|---|---|"]
    for service in installed_services():
        owned = ", ".join(f"`{spec.name}`" for spec in service.catalog.owns)
        rows.append(f"| {service.name} | `{service.command}` | {owned} |")
    shared = ", ".join(f"`{spec.name}`" for spec in RUNTIME_CATALOG.owns)
    return "\n".join(rows) + f"\n\nEvery service also records handled event ids in {shared}."


BLOCKS: dict[str, Callable[[], str]] = {
    "consumers": consumers_table,
    "collections": collections_table,
    "consent-restrictions": consent_restrictions_table,
}
FILES = ("README.md", "docs/operations.md", "docs/consent.md")


def _escaped(replacement: str) -> str:
    """Literal text for `re.sub`'s replacement (backslashes would be read as escapes)."""
    return replacement.replace("\\", "\\\\")


def render(text: str) -> str:
    """`text` with every generated block filled in anew."""
    for name, table in BLOCKS.items():
        pattern = re.compile(
            rf"(<!-- generated:{name} -->\n)(?:.*?\n)?(<!-- end:{name} -->)", re.DOTALL
        )
        text = pattern.sub(rf"\g<1>{_escaped(table())}\n\g<2>", text)
    return text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="sourcer-docs", description=__doc__)
    parser.add_argument("--root", type=Path, default=Path.cwd())
    parser.add_argument("--check", action="store_true", help="fail when a file is stale")
    args = parser.parse_args(argv)
    stale = []
    for name in FILES:
        path = args.root / name
        current = path.read_text(encoding="utf-8")
        wanted = render(current)
        if wanted != current:
            stale.append(name)
            if not args.check:
                path.write_text(wanted, encoding="utf-8")
    if args.check and stale:
        print(f"stale: {', '.join(stale)}; run `make docs`", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
