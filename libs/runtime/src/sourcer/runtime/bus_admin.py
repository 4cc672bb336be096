"""Create the services' broker users and set their permissions with `rabbitmqctl`.

Only adds: a user that does not exist is created with a generated password and tagged
`sourcer-service`; a user with that tag gets its permissions (and, if the stored password no
longer opens it, its password) set again; any other existing user, `guest` included, is never
changed or deleted. Passwords go to rabbitmqctl on stdin, never on its command line, and are
kept in one file per service (mode 0600) from which `infra.sh env --service` builds its URL.
"""

from __future__ import annotations

import json
import secrets
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit, urlunsplit

from sourcer.runtime.bus_permissions import BrokerPermissions

MANAGED_TAG = "sourcer-service"


class BrokerAdminError(RuntimeError):
    """rabbitmqctl failed, or a user exists that these tools do not manage."""


@dataclass
class Rabbitmqctl:
    """The broker's own CLI (on the broker's host, with its Erlang cookie)."""

    command: Sequence[str] = ("rabbitmqctl",)
    timeout: float = 120.0

    def _call(self, args: Sequence[str], stdin: str | None) -> subprocess.CompletedProcess[str]:
        # A fixed program with arguments we build (no shell); secrets only on stdin.
        return subprocess.run(  # noqa: S603
            [*self.command, "-q", *args],
            input=stdin,
            capture_output=True,
            text=True,
            timeout=self.timeout,
            check=False,
        )

    def run(self, *args: str, stdin: str | None = None) -> str:
        done = self._call(args, stdin)
        if done.returncode != 0:
            raise BrokerAdminError(f"rabbitmqctl {args[0]} failed: {done.stderr.strip()[:500]}")
        return done.stdout

    def check(self, *args: str, stdin: str | None = None) -> bool:
        """Whether a command succeeds (e.g. authenticate_user)."""
        return self._call(args, stdin).returncode == 0

    def users(self) -> dict[str, list[str]]:
        """User name → tags."""
        rows = json.loads(self.run("list_users", "--formatter", "json") or "[]")
        return {row["user"]: [str(tag) for tag in row.get("tags", [])] for row in rows}

    def delete_user(self, user: str) -> None:
        self.run("delete_user", user)


def vhost_of(amqp_url: str) -> str:
    path = urlsplit(amqp_url).path
    return unquote(path[1:]) if len(path) > 1 else "/"


def url_for(amqp_url: str, *, user: str, password: str) -> str:
    """The broker URL with another user's credentials."""
    parts = urlsplit(amqp_url)
    host = parts.hostname or "127.0.0.1"
    if ":" in host:
        host = f"[{host}]"
    netloc = f"{quote(user, safe='')}:{quote(password, safe='')}@{host}"
    if parts.port:
        netloc += f":{parts.port}"
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def password_for(directory: Path, service: str) -> str:
    """The stored password of a service's user, created on first use."""
    path = directory / service
    if path.exists():
        return path.read_text().strip()
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    password = secrets.token_hex(24)
    path.touch(mode=0o600)
    path.write_text(password + "\n")
    return password


def apply(
    permissions: BrokerPermissions,
    *,
    ctl: Rabbitmqctl,
    vhost: str,
    password: str,
    users: dict[str, list[str]] | None = None,
) -> list[str]:
    """Create or update one service's user; returns what was done, for the operator.
    `users` is the broker's user list when the caller has it already (each call takes time)."""
    done: list[str] = []
    user = permissions.user
    users = ctl.users() if users is None else users
    if user not in users:
        ctl.run("add_user", user, stdin=password)
        ctl.run("set_user_tags", user, MANAGED_TAG)
        done.append(f"created user {user}")
    elif MANAGED_TAG not in users[user]:
        raise BrokerAdminError(
            f"user {user} exists and was not created by these tools (no {MANAGED_TAG} tag); "
            "it is left alone: remove it or give the service another user prefix"
        )
    elif not ctl.check("authenticate_user", user, stdin=password):
        ctl.run("change_password", user, stdin=password)
        done.append(f"reset the password of {user} to the stored one")
    p = permissions
    ctl.run("set_permissions", "-p", vhost, user, p.configure, p.write, p.read)
    ctl.run("set_topic_permissions", "-p", vhost, user, p.exchange, p.topic_write, p.topic_read)
    done.append(f"set permissions of {user} on vhost {vhost}")
    return done
