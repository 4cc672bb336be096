"""Throughput with 1 and then 2 extractor processes on the same queue, against the same simulator.

The fleet runs as real processes (bench/footprint.py's setup): the tenant's shared pool holds
enough seats per platform for two processes at `--concurrency` (a seat renders one page at a
time, so seats never bound the run), pacing is off, and `--requests` profiles are sourced
through the API with one extractor, then again after a second extractor process joined the
same queue (a scale-out, as KEDA would do it). Prints profiles per second for each and the ratio
of two processes to one. On a machine with fewer cores than browsers the ratio is bounded by
CPU (Chromium's renderers), not by the design: the queue hands each process `concurrency`
messages at a time and the processes share nothing but the broker and the database.

    AMQP_URL=... MONGODB_URL=... uv run python bench/scale.py [--requests 24] [--concurrency 2]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "e2e"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from fleet import free_port, running_fleet, start_process, stop, wait_http
from footprint import add_seats, simulator, source_all


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=24)
    parser.add_argument("--concurrency", type=int, default=2)
    args = parser.parse_args()
    amqp, mongo = os.environ.get("AMQP_URL"), os.environ.get("MONGODB_URL")
    if not amqp or not mongo:
        raise SystemExit("set AMQP_URL and MONGODB_URL (eval $(bash deploy/local/infra.sh env))")
    with tempfile.TemporaryDirectory(prefix="scale-") as tmp:
        log_dir = Path(tmp)
        with simulator(log_dir) as sim_url:
            members = httpx.get(f"{sim_url}/_sim/profiles").json()
            urls = [members[i % len(members)]["profile_url"] for i in range(args.requests)]
            with running_fleet(
                amqp_url=amqp,
                mongodb_url=mongo,
                log_dir=log_dir,
                extractor=True,
                extra_env={
                    "SOURCER_SIMULATOR_URL": sim_url,
                    "SOURCER_EXTRACTOR_CONCURRENCY": str(args.concurrency),
                    "SOURCER_GATEWAY_RATE_LIMIT_BURST": str(args.requests),
                },
            ) as fleet:
                add_seats(fleet, sim_url, 2 * args.concurrency - 1)
                source_all(fleet, urls[: args.concurrency])  # warm: contexts and tabs open
                one = args.requests / source_all(fleet, urls)
                env = {
                    **fleet.env,
                    "SOURCER_EXTRACTOR_HTTP_PORT": str(free_port()),
                    "SOURCER_EXTRACTOR_WORKER_ID": "scale-2",
                }
                second = start_process(
                    "extractor-2", ["-m", "sourcer.extractor.cli", "worker"], env, log_dir
                )
                try:
                    wait_http(
                        f"http://127.0.0.1:{env['SOURCER_EXTRACTOR_HTTP_PORT']}/readyz", second
                    )
                    source_all(fleet, urls[: 2 * args.concurrency])  # warm the second one too
                    two = args.requests / source_all(fleet, urls)
                finally:
                    stop(second)
    print(f"1 extractor : {one:.2f} profiles/s")
    print(f"2 extractors: {two:.2f} profiles/s")
    print(f"ratio 2/1   : {two / one:.2f}  (cores here: {os.cpu_count()})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
