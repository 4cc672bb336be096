"""`sourcer-gateway serve` runs the API; `sourcer-gateway token` mints development tokens."""

from __future__ import annotations

import argparse
import sys
from datetime import timedelta

from pydantic import ValidationError

from sourcer.proto.envelope import Role
from sourcer.runtime.auth import DEV_AUDIENCE, DEV_ISSUER, AuthSettings, mint_token
from sourcer.runtime.settings import config_error_message


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
    try:
        auth = (
            AuthSettings(mode="development", jwt_secret=args.secret)
            if args.secret
            else AuthSettings()
        )
    except ValidationError as exc:
        print(config_error_message("gateway", exc), file=sys.stderr)
        return 2
    if auth.mode != "development" or not auth.jwt_secret:
        print("tokens are minted in development mode only; production tokens come from the "
              "identity provider", file=sys.stderr)  # fmt: skip
        return 2
    secret = auth.jwt_secret
    print(
        mint_token(
            secret=secret,
            sub=args.sub,
            tenant=args.tenant,
            role=Role(args.role),
            issuer=auth.issuer or DEV_ISSUER,
            audience=auth.audience or DEV_AUDIENCE,
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
