"""Starting Sourcer's services as real processes, the way they run in production.

Each process gets the same infrastructure, database and bus namespace through its
environment, logs JSON lines to a file per service, and is stopped with SIGTERM (then killed
if it does not drain in time). `start_extractor` is the one place that knows how to start the
extractor worker.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from support import delete_topology, service_queue_names

from sourcer.extractor.crypto import new_key
from sourcer.extractor.entrypoints import extraction
from sourcer.extractor.settings import ExtractorSettings
from sourcer.proto.envelope import Role
from sourcer.runtime.auth import mint_token

SECRET = "fleet-secret-0123456789abcdef0123"
# Short waits, so a fleet run does not sit out production's retry delays; the queues they make
# come from the extractor's own consumer spec.
RETRY_DELAYS = (0.5, 0.5)
NO_SESSION_WAIT = 0.5
EXTRACTOR_RETRY = extraction(
    ExtractorSettings(
        accounts_key=new_key(), retry_delays=RETRY_DELAYS, no_account_retry_delay=NO_SESSION_WAIT
    )
).retry
SUPPRESSION_KEY = "fleet-suppression-key"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class Proc:
    name: str
    process: subprocess.Popen[bytes]
    log: Path

    def tail(self, lines: int = 40) -> str:
        with contextlib.suppress(OSError):
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        return ""


def start_process(name: str, args: list[str], env: dict[str, str], log_dir: Path) -> Proc:
    log = log_dir / f"{name}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, *args], env=env, stdout=out, stderr=subprocess.STDOUT
        )
    return Proc(name=name, process=process, log=log)


def wait_http(url: str, proc: Proc, *, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.process.poll() is not None:
            raise RuntimeError(f"{proc.name} exited:\n{proc.tail()}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(url, timeout=1.0).status_code < 500:
                return
        time.sleep(0.1)
    # Not yet in any fleet's list of processes, so nobody else would stop it.
    stop(proc)
    raise RuntimeError(f"{proc.name} did not answer {url} in {timeout}s:\n{proc.tail()}")


def stop(proc: Proc, *, timeout: float = 15.0) -> None:
    if proc.process.poll() is not None:
        return
    proc.process.send_signal(signal.SIGTERM)
    try:
        proc.process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.process.kill()
        proc.process.wait(timeout=5)


def start_talent(env: dict[str, str], log_dir: Path) -> Proc:
    proc = start_process("talent", ["-m", "sourcer.talent.cli", "worker"], env, log_dir)
    wait_http(f"http://127.0.0.1:{env['SOURCER_TALENT_INTERNAL_PORT']}/readyz", proc)
    return proc


def start_consent(env: dict[str, str], log_dir: Path) -> Proc:
    proc = start_process("consent", ["-m", "sourcer.consent.cli", "serve"], env, log_dir)
    wait_http(f"http://127.0.0.1:{env['SOURCER_CONSENT_INTERNAL_PORT']}/readyz", proc)
    return proc


def start_gateway(env: dict[str, str], log_dir: Path) -> Proc:
    proc = start_process("gateway", ["-m", "sourcer.gateway.cli", "serve"], env, log_dir)
    wait_http(f"http://127.0.0.1:{env['SOURCER_GATEWAY_INTERNAL_PORT']}/readyz", proc)
    return proc


def start_extractor(env: dict[str, str], log_dir: Path) -> Proc | None:
    """The extractor worker, with one seat per platform logged in to the simulator at
    env["SOURCER_SIMULATOR_URL"] and imported through the accounts CLI, as ops would."""
    simulator = env["SOURCER_SIMULATOR_URL"]
    port = env["SOURCER_EXTRACTOR_INTERNAL_PORT"]
    env.update(
        {
            "SOURCER_EXTRACTOR_ACCOUNTS_KEY": new_key(),
            "SOURCER_EXTRACTOR_LINKEDIN_BASE_URL": simulator,
            "SOURCER_EXTRACTOR_XING_BASE_URL": simulator,
            "SOURCER_EXTRACTOR_PACE_MIN_SECONDS": "0",
            "SOURCER_EXTRACTOR_PACE_MAX_SECONDS": "0",
            "SOURCER_EXTRACTOR_RETRY_DELAYS": json.dumps(RETRY_DELAYS),
            "SOURCER_EXTRACTOR_NO_ACCOUNT_RETRY_DELAY": str(NO_SESSION_WAIT),
            "SOURCER_EXTRACTOR_SNAPSHOT_DIR": str(log_dir / "snapshots"),
        }
    )
    # Ops import one seat per platform into the tenant's shared pool and switch the pool on;
    # each import is checked with one page load, as a recruiter's own connection is.
    for platform in ("linkedin", "xing"):
        login = httpx.get(
            f"{simulator}/_sim/login", params={"account": "e2e-seat", "platform": platform}
        )
        login.raise_for_status()
        [cookie] = login.json()["cookies"].values()
        subprocess.run(
            [sys.executable, "-m", "sourcer.extractor.cli", "accounts", "import",
             "--platform", platform, "--tenant", "acme", "--shared",
             "--label", f"e2e-seat-{platform}", "--cookie-file", "-"],
            input=cookie.encode(), env=env, check=True, capture_output=True,
        )  # fmt: skip
    subprocess.run(
        [sys.executable, "-m", "sourcer.extractor.cli", "accounts", "shared-pool",
         "--tenant", "acme", "on"],
        env=env, check=True, capture_output=True,
    )  # fmt: skip
    proc = start_process("extractor", ["-m", "sourcer.extractor.cli", "worker"], env, log_dir)
    wait_http(f"http://127.0.0.1:{port}/readyz", proc)
    return proc


@dataclass
class Fleet:
    env: dict[str, str]
    gateway_url: str
    procs: list[Proc] = field(default_factory=list)

    def token(
        self, *, tenant: str = "acme", sub: str = "alice", role: Role = Role.RECRUITER
    ) -> str:
        return mint_token(secret=SECRET, sub=sub, tenant=tenant, role=role)

    def headers(self, **claims: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(**claims)}"}  # type: ignore[arg-type]

    def logs(self) -> str:
        return "\n".join(f"== {p.name}\n{p.tail()}" for p in self.procs)


def wait_request(
    client: httpx.Client, fleet: Fleet, request_id: str, status: str
) -> dict[str, Any]:
    """Poll the sourcing request until it has `status`; its body."""
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        body: dict[str, Any] = client.get(f"/v1/sourcing-requests/{request_id}").json()
        if body["status"] == status:
            return body
        assert body["status"] != "failed", f"{body}\n{fleet.logs()}"
        time.sleep(0.2)
    raise AssertionError(f"{request_id} never became {status}\n{fleet.logs()}")


def source(client: httpx.Client, fleet: Fleet, url: str) -> dict[str, Any]:
    """Source a profile through the gateway and wait for its preview."""
    response = client.post("/v1/sourcing-requests", json={"url": url})
    assert response.status_code == 202, response.text
    return wait_request(client, fleet, response.json()["id"], "ready")


def fleet_env(
    *, amqp_url: str, mongodb_url: str, extra: dict[str, str] | None = None
) -> dict[str, str]:
    run = uuid.uuid4().hex[:10]
    # Public listeners: the gateway's API and the consent page; every service has an internal
    # one (internal API, /readyz, /metrics).
    gateway_port, gateway_internal, consent_port = free_port(), free_port(), free_port()
    talent_port, consent_internal, extractor_port = free_port(), free_port(), free_port()
    return {
        **os.environ,
        "AMQP_URL": amqp_url,
        "MONGODB_URL": mongodb_url,
        "MONGODB_DB": f"fleet_{run}",
        "SOURCER_BUS_NAMESPACE": f"fleet.{run}.",
        "SOURCER_LOG_FORMAT": "json",
        "SOURCER_AUTH_MODE": "development",
        "SOURCER_AUTH_JWT_SECRET": SECRET,
        "SOURCER_TALENT_SUPPRESSION_KEY": SUPPRESSION_KEY,
        "SOURCER_TALENT_INTERNAL_PORT": str(talent_port),
        "SOURCER_GATEWAY_HTTP_PORT": str(gateway_port),
        "SOURCER_GATEWAY_INTERNAL_PORT": str(gateway_internal),
        "SOURCER_GATEWAY_PUBLIC_BASE_URL": f"http://127.0.0.1:{gateway_port}",
        "SOURCER_GATEWAY_TALENT_API_URL": f"http://127.0.0.1:{talent_port}",
        "SOURCER_CONSENT_HTTP_PORT": str(consent_port),
        "SOURCER_CONSENT_INTERNAL_PORT": str(consent_internal),
        "SOURCER_CONSENT_PUBLIC_BASE_URL": f"http://127.0.0.1:{consent_port}",
        "SOURCER_CONSENT_SECRET_KEY": "fleet-consent-secret-0123456789",
        "SOURCER_CONSENT_WEBHOOK_SECRETS_KEY": new_key(),
        "SOURCER_CONSENT_SMTP_PORT": str(free_port()),
        "SOURCER_GATEWAY_CONSENT_API_URL": f"http://127.0.0.1:{consent_internal}",
        "SOURCER_EXTRACTOR_INTERNAL_PORT": str(extractor_port),
        "SOURCER_GATEWAY_EXTRACTOR_API_URL": f"http://127.0.0.1:{extractor_port}",
        **(extra or {}),
    }


@contextlib.contextmanager
def running_fleet(
    *,
    amqp_url: str,
    mongodb_url: str,
    log_dir: Path,
    extractor: bool = False,
    extra_env: dict[str, str] | None = None,
) -> Iterator[Fleet]:
    """Talent, consent and gateway (and the extractor when asked), stopped and cleaned up."""
    env = fleet_env(amqp_url=amqp_url, mongodb_url=mongodb_url, extra=extra_env)
    fleet = Fleet(env=env, gateway_url=env["SOURCER_GATEWAY_PUBLIC_BASE_URL"])
    try:
        fleet.procs.append(start_talent(env, log_dir))
        fleet.procs.append(start_consent(env, log_dir))
        fleet.procs.append(start_gateway(env, log_dir))
        if extractor:
            proc = start_extractor(env, log_dir)
            if proc is not None:
                fleet.procs.append(proc)
        yield fleet
    finally:
        for proc in reversed(fleet.procs):
            stop(proc)
        _drop(env)


def _drop(env: dict[str, str]) -> None:
    """Delete the fleet's database and queues so runs leave nothing behind."""
    from pymongo import MongoClient

    with MongoClient(env["MONGODB_URL"], serverSelectionTimeoutMS=3000) as client:
        client.drop_database(env["MONGODB_DB"])
    namespace = env["SOURCER_BUS_NAMESPACE"]
    queues = service_queue_names(namespace, extractor_retry=EXTRACTOR_RETRY)
    asyncio.run(delete_topology(env["AMQP_URL"], namespace, queues))
