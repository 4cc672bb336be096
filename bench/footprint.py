"""Peak RSS of every service process, the figures the Helm chart's requests and limits come from.

Runs the fleet as real processes (gateway, talent, consent, extractor with its Chromium) against
the platform simulator, once per extractor concurrency, with as many logged-in seats per
platform as the concurrency (a seat renders one page at a time), sources `--requests` profiles
through the API and samples each process tree's RSS and PSS every 100 ms: idle once ready, peak
under load. The extractor's tree includes every Chromium process it started. Also prints
profiles per second, so the figure per pod can be read next to its throughput.

    AMQP_URL=... MONGODB_URL=... uv run python bench/footprint.py [--concurrency 1 2 4]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "e2e"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from fleet import Fleet, Proc, free_port, running_fleet, start_process, stop, wait_http

MIB = 2**20


def tree_memory(pid: int) -> tuple[int, int]:
    """(RSS, PSS) summed over a process and its descendants. RSS counts the libraries and shared
    memory Chromium's processes share once per process; PSS splits them among the sharers, so
    the PSS sum is what the tree costs the machine (and, near enough, its cgroup)."""
    rss = pss = 0
    try:
        procs = [psutil.Process(pid)]
        procs += procs[0].children(recursive=True)
    except psutil.Error:
        return 0, 0
    for proc in procs:
        try:
            info = proc.memory_full_info()
        except psutil.Error:
            continue
        rss += int(info.rss)
        pss += int(getattr(info, "pss", info.rss))
    return rss, pss


class Sampler:
    """Peak RSS per process tree, sampled every 100 ms in a thread."""

    def __init__(self, procs: list[Proc]) -> None:
        self.procs = procs
        self.peak = {p.name: (0, 0) for p in procs}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            for proc in self.procs:
                rss, pss = tree_memory(proc.process.pid)
                old_rss, old_pss = self.peak[proc.name]
                self.peak[proc.name] = (max(old_rss, rss), max(old_pss, pss))
            self._stop.wait(0.1)

    def __enter__(self) -> Sampler:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()


@contextmanager
def simulator(log_dir: Path) -> Iterator[str]:
    port = free_port()
    proc = start_process(
        "simulator", ["-m", "sourcer.simulator", "--port", str(port)], dict(os.environ), log_dir
    )
    try:
        wait_http(f"http://127.0.0.1:{port}/_sim/profiles", proc)
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(proc)


def add_seats(fleet: Fleet, sim_url: str, count: int) -> None:
    """`count` more shared seats per platform for the tenant, imported as ops would."""
    for i in range(count):
        for platform in ("linkedin", "xing"):
            login = httpx.get(
                f"{sim_url}/_sim/login",
                params={"account": f"footprint-{i}", "platform": platform},
            )
            login.raise_for_status()
            [cookie] = login.json()["cookies"].values()
            subprocess.run(
                [sys.executable, "-m", "sourcer.extractor.cli", "accounts", "import",
                 "--platform", platform, "--tenant", "acme", "--shared",
                 "--label", f"footprint-{i}-{platform}", "--cookie-file", "-"],
                input=cookie.encode(), env=fleet.env, check=True, capture_output=True,
            )  # fmt: skip


def source_all(fleet: Fleet, urls: list[str]) -> float:
    """POST every URL, wait until each request is ready or failed; seconds taken."""
    client = httpx.Client(base_url=fleet.gateway_url, headers=fleet.headers(), timeout=30)
    started = time.perf_counter()
    ids = []
    for url in urls:
        response = client.post("/v1/sourcing-requests", json={"url": url})
        response.raise_for_status()
        ids.append(response.json()["id"])
    pending = set(ids)
    deadline = time.monotonic() + 600
    while pending and time.monotonic() < deadline:
        for request_id in list(pending):
            status = client.get(f"/v1/sourcing-requests/{request_id}").json()["status"]
            if status in ("ready", "failed"):
                pending.discard(request_id)
        time.sleep(0.2)
    if pending:
        raise SystemExit(f"{len(pending)} requests never ended\n{fleet.logs()}")
    return time.perf_counter() - started


def measure(concurrency: int, requests: int, sim_url: str, log_dir: Path) -> None:
    amqp, mongo = os.environ.get("AMQP_URL"), os.environ.get("MONGODB_URL")
    if not amqp or not mongo:
        raise SystemExit("set AMQP_URL and MONGODB_URL (eval $(bash deploy/local/infra.sh env))")
    members = httpx.get(f"{sim_url}/_sim/profiles").json()
    urls = [members[i % len(members)]["profile_url"] for i in range(requests)]
    with running_fleet(
        amqp_url=amqp,
        mongodb_url=mongo,
        log_dir=log_dir,
        extractor=True,
        extra_env={
            "SOURCER_SIMULATOR_URL": sim_url,
            "SOURCER_EXTRACTOR_CONCURRENCY": str(concurrency),
            # One recruiter sources the whole batch at once.
            "SOURCER_GATEWAY_RATE_LIMIT_BURST": str(requests),
        },
    ) as fleet:
        add_seats(fleet, sim_url, concurrency - 1)
        time.sleep(2)  # let the processes settle after start
        idle = {p.name: tree_memory(p.process.pid) for p in fleet.procs}
        with Sampler(fleet.procs) as sampler:
            seconds = source_all(fleet, urls)
        for name in ("gateway", "talent", "consent", "extractor"):
            (idle_rss, idle_pss), (peak_rss, peak_pss) = idle[name], sampler.peak[name]
            print(
                f"concurrency {concurrency}  {name:<9} idle RSS {idle_rss / MIB:5.0f} MiB"
                f" PSS {idle_pss / MIB:5.0f} MiB   peak RSS {peak_rss / MIB:5.0f} MiB"
                f" PSS {peak_pss / MIB:5.0f} MiB"
            )
        print(
            f"concurrency {concurrency}  {requests} profiles in {seconds:.1f} s"
            f"  ({requests / seconds:.2f} profiles/s)"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--requests", type=int, default=24)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="footprint-") as tmp:
        log_dir = Path(tmp)
        with simulator(log_dir) as sim_url:
            for concurrency in args.concurrency:
                run_dir = log_dir / f"c{concurrency}"
                run_dir.mkdir()
                measure(concurrency, args.requests, sim_url, run_dir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
