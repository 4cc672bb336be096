"""The local OpenID Connect provider (deploy/local/oidc.py) as a real process for tests.

`oidc_provider` (session-scoped) starts it once on a free loopback port with the extension
registered (`CLIENT_ID`, `CLIENT_SECRET`, any https://<id>.chromiumapp.org/ redirect URI).
Use `set_user` to give a subject the claims it signs in with, `sign_in` to run the extension's
authorization-code + PKCE flow, `auth_settings` for a gateway that verifies its ID tokens.
`start_oidc_provider` starts another one, e.g. with short-lived tokens.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from e2e.fleet import Proc, free_port, start_process, stop, wait_http

from sourcer.runtime.auth import AuthSettings

RUNNER = Path(__file__).resolve().parents[1] / "deploy" / "local" / "oidc.py"


def _load_runner() -> Any:
    spec = importlib.util.spec_from_file_location("local_oidc", RUNNER)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("local_oidc", module)
    spec.loader.exec_module(module)
    return module


runner = _load_runner()
CLIENT_ID: str = runner.CLIENT_ID
CLIENT_SECRET: str = runner.CLIENT_SECRET
REDIRECT_URI: str = runner.TEST_REDIRECT_URI


@dataclass
class OidcProvider:
    issuer: str
    process: Proc

    @property
    def jwks_url(self) -> str:
        return f"{self.issuer}/jwks"

    def set_user(self, sub: str, **claims: Any) -> None:
        """The claims `sub` gets in its ID token from now on (e.g. tenant, role, name, email)."""
        httpx.put(f"{self.issuer}/users/{quote(sub, safe='')}", json=claims).raise_for_status()

    def sign_in(self, sub: str, *, redirect_uri: str = REDIRECT_URI) -> dict[str, Any]:
        """The token response of the extension's sign-in as `sub` (id_token is its bearer)."""
        tokens: dict[str, Any] = runner.sign_in(self.issuer, sub, redirect_uri=redirect_uri)
        return tokens

    def auth_settings(self, **overrides: Any) -> AuthSettings:
        """Production auth against this provider, audience the extension's client id."""
        values = {
            "mode": "production",
            "jwks_url": self.jwks_url,
            "issuer": self.issuer,
            "audience": CLIENT_ID,
            **overrides,
        }
        return AuthSettings(**values)


@contextlib.contextmanager
def start_oidc_provider(log_dir: Path, *args: str) -> Iterator[OidcProvider]:
    """A provider process on a free loopback port; `args` go to `oidc.py serve`."""
    port = free_port()
    proc = start_process(
        f"oidc-{port}",
        [str(RUNNER), "serve", "--port", str(port), *args],
        dict(os.environ),
        log_dir,
    )
    issuer = f"http://127.0.0.1:{port}"
    try:
        wait_http(f"{issuer}/.well-known/openid-configuration", proc)
        yield OidcProvider(issuer=issuer, process=proc)
    finally:
        stop(proc)


@pytest.fixture(scope="session")
def oidc_provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OidcProvider]:
    with start_oidc_provider(tmp_path_factory.mktemp("oidc")) as provider:
        yield provider
