"""Bearer tokens: verification shared by every service that answers users, and dev minting.

Development signs with HS256 and a shared secret; production verifies RS256 against the
identity provider's JWKS. The algorithm is pinned per mode (a token cannot choose it), and
issuer, audience and expiry are always checked. Claims: `sub`, `tenant`, `role`.

The mode has no default: whoever holds the development secret can mint an admin token for any
tenant, so a deployment has to ask for that mode by name, with a secret of at least 32 bytes;
production names its issuer and audience, since defaults there would accept another
application's tokens from the same identity provider.
"""

from __future__ import annotations

import asyncio
import ipaddress
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal
from urllib.parse import urlsplit

import jwt
from pydantic import AliasChoices, Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from sourcer.proto.envelope import Actor, ActorKind, Role
from sourcer.runtime.capabilities import Capability, role_may

DEV_ISSUER = "sourcer-dev"
DEV_AUDIENCE = "sourcer"
MIN_SECRET_BYTES = 32
MAX_DISPLAY_CLAIM = 256


class AuthSettings(BaseSettings):
    """`SOURCER_AUTH_*`: the same variables configure every service that verifies tokens."""

    model_config = SettingsConfigDict(env_prefix="SOURCER_AUTH_", extra="ignore")

    mode: Literal["development", "production"] | None = Field(
        default=None,
        description="development: HS256 with `jwt_secret`; production: RS256 via `jwks_url`. "
        "No default: a service refuses to start without it.",
    )
    jwt_secret: str | None = Field(
        default=None,
        validation_alias=AliasChoices("jwt_secret", "SOURCER_AUTH_JWT_SECRET"),
        description="HS256 secret (development only), at least 32 bytes; no default on purpose.",
    )
    jwks_url: str | None = Field(default=None, description="JWKS URL of the identity provider.")
    issuer: str | None = Field(
        default=None,
        description=f"Expected `iss` claim; required in production ({DEV_ISSUER} in development).",
    )
    audience: str | None = Field(
        default=None,
        description=f"Expected `aud` claim; required in production ({DEV_AUDIENCE} in "
        "development).",
    )
    leeway_seconds: int = Field(default=30, ge=0, description="Clock skew tolerated on exp.")

    @model_validator(mode="after")
    def _complete_for_its_mode(self) -> AuthSettings:
        if self.mode is None:
            raise ValueError(
                "SOURCER_AUTH_MODE is not set: set it to production (RS256 tokens of your "
                "identity provider: SOURCER_AUTH_JWKS_URL, SOURCER_AUTH_ISSUER, "
                "SOURCER_AUTH_AUDIENCE) or development (HS256 with SOURCER_AUTH_JWT_SECRET)"
            )
        if self.mode == "development":
            if len((self.jwt_secret or "").encode()) < MIN_SECRET_BYTES:
                raise ValueError(
                    f"SOURCER_AUTH_JWT_SECRET must be set to at least {MIN_SECRET_BYTES} bytes in "
                    "development mode (e.g. python -c 'import secrets; "
                    "print(secrets.token_urlsafe(32))')"
                )
            self.issuer = self.issuer or DEV_ISSUER
            self.audience = self.audience or DEV_AUDIENCE
            return self
        missing = [
            f"SOURCER_AUTH_{name.upper()}"
            for name in ("jwks_url", "issuer", "audience")
            if not getattr(self, name)
        ]
        if missing:
            raise ValueError(f"production mode requires {', '.join(missing)}")
        if not str(self.jwks_url).startswith("https://") and not is_loopback_http(
            str(self.jwks_url)
        ):
            raise ValueError(
                "SOURCER_AUTH_JWKS_URL must be an https URL in production mode (plain http only "
                "on 127.0.0.1, ::1 or localhost, for a local identity provider)"
            )
        return self


def is_loopback_http(url: str) -> bool:
    """A plain-http URL on this machine: keys fetched from it never cross a network, the same
    exception OAuth makes for loopback redirect URIs (RFC 8252, section 7.3)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if parts.scheme != "http" or parts.username is not None:
        return False
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class Caller:
    """Who is calling, as the verified token says."""

    sub: str
    tenant: str
    role: Role
    # Shown to the user only (`GET /v1/me`); never used to decide anything.
    name: str | None = None
    email: str | None = None

    def actor(self) -> Actor:
        return Actor(kind=ActorKind.USER, id=self.sub, role=self.role)

    def has_role(self, *roles: Role) -> bool:
        return self.role in roles

    def may(self, capability: Capability) -> bool:
        return role_may(self.role, capability)


class AuthError(Exception):
    """The token is missing, malformed, expired, or not ours; `code` is stable."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class TokenVerifier:
    def __init__(self, settings: AuthSettings) -> None:
        self.settings = settings
        self._jwks: jwt.PyJWKClient | None = None
        # AuthSettings refuses an incomplete configuration; checked again because settings
        # can be built without validation (model_construct).
        if settings.mode == "development" and settings.jwt_secret:
            self.algorithm = "HS256"
        elif settings.mode == "production" and settings.jwks_url:
            self.algorithm = "RS256"
            self._jwks = jwt.PyJWKClient(settings.jwks_url, cache_keys=True, lifespan=600)
        else:
            raise ValueError("incomplete auth settings: see AuthSettings")
        if not settings.issuer or not settings.audience:
            raise ValueError("incomplete auth settings: issuer and audience are required")
        self.issuer: str = settings.issuer
        self.audience: str = settings.audience

    def verify(self, token: str, *, key: Any = None) -> Caller:
        """Verify signature, algorithm, iss, aud and exp; return the caller."""
        if key is None:
            if self._jwks is not None:
                try:
                    key = self._signing_key(self._jwks, token)
                except jwt.PyJWTError as exc:
                    raise AuthError("invalid_token", "The token's signing key is unknown.") from exc
            else:
                key = self.settings.jwt_secret
        try:
            claims = jwt.decode(
                token,
                key,
                algorithms=[self.algorithm],
                audience=self.audience,
                issuer=self.issuer,
                leeway=self.settings.leeway_seconds,
                options={"require": ["exp", "iss", "aud", "sub"]},
            )
        except jwt.ExpiredSignatureError as exc:
            raise AuthError("token_expired", "The token has expired.") from exc
        except jwt.PyJWTError as exc:
            raise AuthError("invalid_token", "The token is not valid.") from exc
        return caller_from_claims(claims)

    @staticmethod
    def _signing_key(jwks: jwt.PyJWKClient, token: str) -> Any:
        """The key named by the token's `kid`; without a `kid`, the provider's only signing key.

        Some providers (local test ones among them) sign without a `kid`. With exactly one
        signing key in the JWKS there is nothing to choose, so that key must have signed; with
        more, guessing would be trying keys until one fits, so the token is refused."""
        kid = jwt.get_unverified_header(token).get("kid")
        if kid is not None:
            return jwks.get_signing_key(str(kid)).key
        signing = [k for k in jwks.get_jwk_set().keys if k.public_key_use in ("sig", None)]
        if len(signing) != 1:
            raise jwt.PyJWKClientError("a token without kid needs a JWKS of one signing key")
        return signing[0].key

    async def verify_async(self, token: str) -> Caller:
        """Fetching a JWKS is blocking I/O, so production verification leaves the loop."""
        if self._jwks is None:
            return self.verify(token)
        return await asyncio.to_thread(self.verify, token)


def caller_from_claims(claims: dict[str, Any]) -> Caller:
    sub, tenant, role = claims.get("sub"), claims.get("tenant"), claims.get("role")
    if not isinstance(sub, str) or not sub or not isinstance(tenant, str) or not tenant:
        raise AuthError("invalid_token", "The token lacks a subject or a tenant.")
    if len(tenant) > 64 or len(sub) > 128:
        raise AuthError("invalid_token", "The token's subject or tenant is too long.")
    try:
        parsed_role = Role(str(role))
    except ValueError as exc:
        raise AuthError("invalid_token", "The token's role is not one Sourcer knows.") from exc
    return Caller(
        sub=sub,
        tenant=tenant,
        role=parsed_role,
        name=_display_claim(claims, "name"),
        email=_display_claim(claims, "email"),
    )


def _display_claim(claims: dict[str, Any], name: str) -> str | None:
    """An optional profile claim (OpenID Connect `name`, `email`); odd values are left out."""
    value = claims.get(name)
    if isinstance(value, str) and 0 < len(value) <= MAX_DISPLAY_CLAIM and value.isprintable():
        return value
    return None


def mint_token(
    *,
    secret: str,
    sub: str,
    tenant: str,
    role: Role | str,
    issuer: str = DEV_ISSUER,
    audience: str = DEV_AUDIENCE,
    ttl: timedelta = timedelta(hours=8),
    now: datetime | None = None,
) -> str:
    """A development token (HS256); production tokens come from the identity provider."""
    issued = now or datetime.now(UTC)
    claims = {
        "sub": sub,
        "tenant": tenant,
        "role": Role(role).value,
        "iss": issuer,
        "aud": audience,
        "iat": int(issued.timestamp()),
        "exp": int((issued + ttl).timestamp()),
    }
    return jwt.encode(claims, secret, algorithm="HS256")


def bearer_token(authorization: str | None) -> str:
    """The token of an `Authorization: Bearer ...` header value."""
    if not authorization:
        raise AuthError("unauthenticated", "A bearer token is required.")
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise AuthError("unauthenticated", "A bearer token is required.")
    return token.strip()
