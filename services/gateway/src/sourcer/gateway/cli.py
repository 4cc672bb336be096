"""`sourcer-gateway serve` runs the API; `sourcer-gateway token` mints development tokens."""

from __future__ import annotations

import argparse
import sys
from datetime import timedelta

from sourcer.proto.envelope import Role
from sourcer.runtime.auth import AuthSettings, mint_token


def _serve(args: argparse.Namespace) -> int:
    from sourcer.gateway.bootstrap import SERVICE
    from sourcer.runtime.service import run_service

    settings = SERVICE.settings()
    if args.host:
        settings.http_host = args.host
    if args.port:
        settings.http_port = args.port
    return run_service(SERVICE, settings)


def _token(args: argparse.Namespace) -> int:
    auth = AuthSettings()
    secret = args.secret or auth.jwt_secret
    if not secret:
        print("set SOURCER_AUTH_JWT_SECRET or pass --secret", file=sys.stderr)
        return 2
    print(
        mint_token(
            secret=secret,
            sub=args.sub,
            tenant=args.tenant,
            role=Role(args.role),
            issuer=auth.issuer,
            audience=auth.audience,
            ttl=timedelta(hours=args.hours),
        )
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="sourcer-gateway", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="Run the API and the status consumers.")
    serve.add_argument("--host", default=None)
    serve.add_argument("--port", type=int, default=None)
    serve.set_defaults(run=_serve)
    token = commands.add_parser("token", help="Mint a development token (HS256).")
    token.add_argument("--tenant", required=True)
    token.add_argument("--role", required=True, choices=[r.value for r in Role])
    token.add_argument("--sub", required=True)
    token.add_argument("--hours", type=float, default=8.0)
    token.add_argument("--secret", default=None, help="Defaults to SOURCER_AUTH_JWT_SECRET.")
    token.set_defaults(run=_token)
    args = parser.parse_args(argv)
    result: int = args.run(args)
    return result


if __name__ == "__main__":
    sys.exit(main())
