"""The local OpenID provider (deploy/local/oidc.py, the one `make dev` runs) for the extension's
sign-in, served in a thread of the test process.

The extension calls the provider's discovery and token endpoints from its own origin, so the
provider answers that origin with CORS, as identity providers do for browser clients (the
gateway does the same for the API).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import quote

import httpx
from oidc_provider import CLIENT_ID, CLIENT_SECRET, runner

TENANT = "acme"


@contextmanager
def provider_for_extension(origin: str, users: list[dict[str, Any]]) -> Iterator[str]:
    """The provider on a free loopback port with `users`; its issuer URL."""
    import werkzeug.serving

    app = runner.build_app(
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        redirect_uris=[],
        users=users,
        token_max_age=timedelta(hours=1),
        allowed_origins=[origin],
    )

    server = werkzeug.serving.make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


@dataclass
class Accounts:
    """Users of the tenant at its identity provider, and their ID tokens (the bearer the
    extension sends), signed in the way the extension does it."""

    issuer: str

    def user(self, sub: str, role: str = "recruiter") -> None:
        claims = {"tenant": TENANT, "role": role, "name": sub.replace("-", " ").title()}
        httpx.put(f"{self.issuer}/users/{quote(sub, safe='')}", json=claims).raise_for_status()

    def token(self, sub: str, role: str = "recruiter") -> str:
        self.user(sub, role)
        return str(runner.sign_in(self.issuer, sub)["id_token"])

    def headers(self, sub: str, role: str = "recruiter") -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(sub, role)}"}


__all__ = ["CLIENT_ID", "CLIENT_SECRET", "Accounts", "provider_for_extension"]
