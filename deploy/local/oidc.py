"""A local OpenID Connect provider for `make dev` and tests, and a sign-in as the extension does it.

    python deploy/local/oidc.py serve [--port 9400] [--redirect-uri URI ...] [--user JSON ...]
    python deploy/local/oidc.py token --issuer http://127.0.0.1:9400 --sub admin@demo.example

`serve` runs oidc-provider-mock (a development dependency) on a loopback address with one
registered client, the extension (client id `sourcer-extension`, a development secret,
`client_secret_basic`), and users whose claims carry `tenant` and `role`. Its ID tokens are
RS256 JWTs with `aud` = the client id and `iss` = the provider's URL, signed without `kid` by
the one key of its JWKS (`/jwks`). Its access tokens are opaque: the extension sends the ID
token as bearer. Refreshing returns no new ID token; sign in again (non-interactively) instead.
It checks no PKCE `code_challenge` and needs the client secret at the token endpoint, so the
extension's development build carries the development secret; production providers get the
public-client flow with PKCE. Everything it holds (keys, users, tokens) lives in memory: a
restart signs everyone out.

`token` signs a user in the way the extension does (authorization code with PKCE: open the
authorization endpoint, pick the user, exchange the code with the verifier) and prints the
token response as JSON; `sign_in` is the same for tests.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import logging
import os
import re
import secrets
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx

CLIENT_ID = "sourcer-extension"
# A development secret, not a secret: the provider runs on loopback with test users only.
CLIENT_SECRET = "sourcer-extension-dev-secret"  # noqa: S105
# chrome.identity.getRedirectURL(): https://<extension id>.chromiumapp.org/<path>
CHROMIUMAPP_REDIRECT = re.compile(r"https://[a-p]{32}\.chromiumapp\.org/[^\s#]*")
TEST_REDIRECT_URI = "https://abcdefghijklmnopabcdefghijklmnop.chromiumapp.org/signed-in"
SCOPE = "openid profile email"
DEV_USERS = (
    {
        "sub": "admin@demo.example",
        "email": "admin@demo.example",
        "tenant": "demo",
        "role": "admin",
        "name": "Dana Admin",
    },
    {
        "sub": "super@demo.example",
        "email": "super@demo.example",
        "tenant": "demo",
        "role": "super_recruiter",
        "name": "Sam Super",
    },
    {
        "sub": "recruiter@demo.example",
        "tenant": "demo",
        "role": "recruiter",
        "name": "Rita Recruiter",
    },
)


def build_app(
    *,
    client_id: str,
    client_secret: str,
    redirect_uris: list[str],
    users: list[dict[str, Any]],
    token_max_age: timedelta,
    allowed_origins: Sequence[str] = (),
) -> Any:
    """The provider's WSGI app with the extension registered as its only client, answering
    `allowed_origins` (the extension's, e.g. chrome-extension://<id>) with CORS."""
    # OAuth insists on https; on loopback plain http is what the redirect rules allow too.
    os.environ.setdefault("AUTHLIB_INSECURE_TRANSPORT", "1")
    import flask
    import oidc_provider_mock
    from oidc_provider_mock._storage import Client

    @dataclass(kw_only=True, frozen=True)
    class ExtensionClient(Client):
        """Exact redirect URIs when given, else any extension's chromiumapp.org redirect."""

        def check_redirect_uri(self, redirect_uri: str) -> bool:
            if self.redirect_uris:
                return redirect_uri in self.redirect_uris
            return CHROMIUMAPP_REDIRECT.fullmatch(redirect_uri) is not None

        def get_default_redirect_uri(self) -> str | None:
            return self.redirect_uris[0] if self.redirect_uris else None

    client = ExtensionClient(
        id=client_id,
        secret=client_secret,
        redirect_uris=redirect_uris,
        allowed_scopes=Client.SCOPES_SUPPORTED,
        token_endpoint_auth_method="client_secret_basic",  # noqa: S106 (a method, not a secret)
    )
    app = oidc_provider_mock.app(
        require_client_registration=True,
        access_token_max_age=token_max_age,
        user_claims=[
            oidc_provider_mock.User(
                sub=user["sub"], claims={k: v for k, v in user.items() if k != "sub"}
            )
            for user in users
        ],
    )

    @app.before_request
    def register_the_extension() -> None:
        # The mock registers clients only through its API, with ids of its own choosing; the
        # extension needs a fixed one, so it goes into the storage the mock put in `g`.
        storage = flask.g.oidc_provider_mock_storage
        if storage.get_client(client_id) is None:
            storage.store_client(client)

    @app.after_request
    def cors(response: Any) -> Any:
        # The extension fetches the discovery document and the token endpoint from its own
        # origin, as browser clients of identity providers do: exactly the allowed ones.
        origin = flask.request.headers.get("Origin")
        if origin is not None and origin in allowed_origins:
            response.headers["Access-Control-Allow-Origin"] = origin
            response.headers["Access-Control-Allow-Headers"] = "Authorization, Content-Type"
            response.headers["Access-Control-Allow-Methods"] = "GET, POST"
            response.headers["Vary"] = "Origin"
        return response

    return app


def _pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def sign_in(
    issuer: str,
    sub: str,
    *,
    client_id: str = CLIENT_ID,
    client_secret: str = CLIENT_SECRET,
    redirect_uri: str = TEST_REDIRECT_URI,
) -> dict[str, Any]:
    """The extension's sign-in: authorization code with PKCE; the token endpoint's answer."""
    verifier, challenge = _pkce_pair()
    state, nonce = secrets.token_urlsafe(16), secrets.token_urlsafe(16)
    params = {
        "response_type": "code",
        "client_id": client_id,
        "redirect_uri": redirect_uri,
        "scope": SCOPE,
        "state": state,
        "nonce": nonce,
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    with httpx.Client(timeout=10.0) as http:
        config = http.get(f"{issuer}/.well-known/openid-configuration").raise_for_status().json()
        authorize = config["authorization_endpoint"]
        http.get(authorize, params=params).raise_for_status()  # the sign-in page
        chosen = http.post(authorize, params=params, data={"sub": sub})
        if chosen.status_code != 302:
            raise RuntimeError(f"the provider did not redirect: {chosen.status_code} {chosen.text}")
        location = chosen.headers["location"]
        answer = {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}
        if not location.startswith(redirect_uri) or answer.get("state") != state:
            raise RuntimeError(f"unexpected redirect: {location}")
        tokens = http.post(
            config["token_endpoint"],
            data={
                "grant_type": "authorization_code",
                "code": answer["code"],
                "redirect_uri": redirect_uri,
                "code_verifier": verifier,
            },
            auth=(client_id, client_secret),
        )
        result: dict[str, Any] = tokens.raise_for_status().json()
        return result


def serve(args: argparse.Namespace) -> int:
    import werkzeug.serving

    logging.basicConfig(level=logging.INFO, stream=sys.stderr)
    users = [*DEV_USERS, *(json.loads(u) for u in args.user)]
    app = build_app(
        client_id=args.client_id,
        client_secret=args.client_secret,
        redirect_uris=args.redirect_uri,
        users=users,
        token_max_age=timedelta(seconds=args.token_max_age),
        allowed_origins=args.allow_origin,
    )
    server = werkzeug.serving.make_server(args.host, args.port, app, threaded=True)
    print(f"OpenID provider at http://{args.host}:{server.server_port}", flush=True)
    server.serve_forever()
    return 0


def token(args: argparse.Namespace) -> int:
    tokens = sign_in(
        args.issuer,
        args.sub,
        client_id=args.client_id,
        client_secret=args.client_secret,
        redirect_uri=args.redirect_uri,
    )
    print(json.dumps(tokens))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("serve", help="run the provider")
    run.add_argument("--host", default="127.0.0.1", choices=["127.0.0.1", "::1", "localhost"])
    run.add_argument("--port", type=int, default=9400)
    run.add_argument("--redirect-uri", action="append", default=[], help="exact; repeatable")
    run.add_argument("--user", action="append", default=[], help='JSON with "sub"; repeatable')
    run.add_argument("--token-max-age", type=int, default=3600, help="seconds")
    run.add_argument(
        "--allow-origin", action="append", default=[], help="browser origin for CORS; repeatable"
    )
    run.set_defaults(handler=serve)
    get = commands.add_parser("token", help="sign a user in and print the tokens")
    get.add_argument("--issuer", default="http://127.0.0.1:9400")
    get.add_argument("--sub", required=True)
    get.add_argument("--redirect-uri", default=TEST_REDIRECT_URI)
    get.set_defaults(handler=token)
    for command in (run, get):
        command.add_argument("--client-id", default=CLIENT_ID)
        command.add_argument("--client-secret", default=CLIENT_SECRET)
    args = parser.parse_args(argv)
    result: int = args.handler(args)
    return result


if __name__ == "__main__":
    sys.exit(main())
