"""`sourcer-simulator`: serve the platform simulator."""

from __future__ import annotations

import argparse
from datetime import date

import uvicorn

from sourcer.simulator.app import create_app


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="sourcer-simulator", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8600)
    parser.add_argument("--seed", default=None, help="fix the generated class names")
    parser.add_argument("--today", type=date.fromisoformat, default=None, help="YYYY-MM-DD")
    parser.add_argument("--render-delay-ms", type=int, default=50)
    parser.add_argument("--log-level", default="warning")
    args = parser.parse_args(argv)
    app = create_app(seed=args.seed, today=args.today, render_delay_ms=args.render_delay_ms)
    uvicorn.run(app, host=args.host, port=args.port, log_level=args.log_level)


if __name__ == "__main__":
    main()
