"""Saved pages of failed extractions, for replay with `sourcer-extractor parse`.

Pages hold personal data, so snapshots are kept only for a retention period and pruned.
"""

from __future__ import annotations

import asyncio
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sourcer.extractor.navigation import Rendered
from sourcer.extractor.parsing import build_snapshot
from sourcer.proto.events import SourcingRequested


class SnapshotStore:
    def __init__(self, *, directory: Path, retention_days: int) -> None:
        self.directory = directory
        self.retention = timedelta(days=retention_days)

    async def save(self, *, request: SourcingRequested, rendered: Rendered) -> Path:
        day = datetime.now(UTC).date().isoformat()
        folder = self.directory / day
        stem = f"{request.request_id}-{request.platform.value}"
        html = build_snapshot(
            rendered.main,
            rendered.details,
            rendered.contact,
            url=rendered.url,
            status=rendered.status,
            platform=request.platform.value,
        )
        await asyncio.to_thread(self._write, folder, stem, html, rendered.screenshot)
        return folder / f"{stem}.html"

    @staticmethod
    def _write(folder: Path, stem: str, html: str, screenshot: bytes | None) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{stem}.html").write_text(html, encoding="utf-8")
        if screenshot:
            (folder / f"{stem}.png").write_bytes(screenshot)

    def prune(self, now: datetime | None = None) -> int:
        """Delete day folders older than the retention period; returns how many."""
        if not self.directory.exists():
            return 0
        cutoff = ((now or datetime.now(UTC)) - self.retention).date()
        removed = 0
        for folder in self.directory.iterdir():
            try:
                day = datetime.strptime(folder.name, "%Y-%m-%d").date()
            except ValueError:
                continue  # not ours
            if day < cutoff:
                shutil.rmtree(folder, ignore_errors=True)
                removed += 1
        return removed
