"""`sourcer-db roles --db NAME` prints each service's MongoDB role and user as JSON: the
collections it owns writable, the ones it reads read-only, derived from the service catalogs."""

from __future__ import annotations

import argparse
import json
import sys

from sourcer.runtime.mongo_roles import role_for, user_for
from sourcer.runtime.registry import installed_services
from sourcer.runtime.settings import ServiceSettings


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sourcer-db", description=__doc__)
    groups = parser.add_subparsers(dest="group", required=True)
    roles = groups.add_parser("roles", help="each service's role and user, as JSON")
    roles.add_argument("--db", default=None, help="database name (default: MONGODB_DB)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    db = args.db or ServiceSettings().mongodb_db
    services = installed_services()
    print(
        json.dumps(
            {
                "db": db,
                "roles": [role_for(s, db=db) for s in services],
                "users": [user_for(s, db=db) for s in services],
            },
            indent=2,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
