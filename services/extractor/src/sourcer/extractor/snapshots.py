"""Saved pages of failed extractions, for replay with `sourcer-extractor parse`.

Pages (and their full-page screenshots) hold personal data, so snapshots are kept only for a
retention period and up to a count, pruned by a periodic job, and erased with the person: each
file name carries the request id and the person key of the profile (`sourcer.proto.person_keys`,
tenant-bound), which `talent.erased` names.

    <directory>/<day>/<request id>-<platform>-<person key>.html (and .png)
"""

from __future__ import annotations

import asyncio
import re
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sourcer.extractor.navigation import Rendered
from sourcer.extractor.parsing import build_snapshot
from sourcer.proto.events import SourcingRequested
from sourcer.proto.person_keys import profile_person_key

SUFFIXES = (".html", ".png")
_DAY = "%Y-%m-%d"
# Request ids come from the bus: never let one name a path outside the day folder.
_UNSAFE = re.compile(r"[^A-Za-z0-9_]")


def _safe(request_id: str) -> str:
    return _UNSAFE.sub("_", request_id)[:80] or "_"


@dataclass(frozen=True)
class Snapshot:
    """One saved page: its files (HTML, screenshot) share the stem."""

    folder: Path
    stem: str
    day: datetime

    @property
    def request_id(self) -> str:
        return self.stem.split("-", 1)[0]

    @property
    def person_key(self) -> str | None:
        last = self.stem.rsplit("-", 1)[-1]
        return last if last.startswith("pk_") else None

    def delete(self) -> None:
        for suffix in SUFFIXES:
            (self.folder / f"{self.stem}{suffix}").unlink(missing_ok=True)


class SnapshotStore:
    def __init__(self, *, directory: Path, retention_days: int, max_count: int = 500) -> None:
        self.directory = directory
        self.retention = timedelta(days=retention_days)
        self.max_count = max_count

    async def save(self, *, request: SourcingRequested, rendered: Rendered, tenant_id: str) -> Path:
        day = datetime.now(UTC).date().isoformat()
        folder = self.directory / day
        key = profile_person_key(
            tenant_id=tenant_id, platform=request.platform.value, profile_id=request.profile_id
        )
        stem = f"{_safe(request.request_id)}-{request.platform.value}-{key}"
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

    def _day_folders(self) -> list[tuple[datetime, Path]]:
        if not self.directory.exists():
            return []
        days = []
        for folder in self.directory.iterdir():
            try:
                day = datetime.strptime(folder.name, _DAY).replace(tzinfo=UTC)
            except ValueError:
                continue  # not ours
            if folder.is_dir():
                days.append((day, folder))
        return sorted(days)

    def snapshots(self) -> list[Snapshot]:
        """Every saved page, oldest first."""
        found: list[tuple[datetime, float, Snapshot]] = []
        for day, folder in self._day_folders():
            stems: dict[str, float] = {}
            for path in folder.iterdir():
                if path.suffix in SUFFIXES:
                    mtime = path.stat().st_mtime
                    stems[path.stem] = min(stems.get(path.stem, mtime), mtime)
            found += [(day, t, Snapshot(folder, stem, day)) for stem, t in stems.items()]
        return [snapshot for _, _, snapshot in sorted(found, key=lambda f: (f[0], f[1]))]

    def prune(self, now: datetime | None = None) -> int:
        """Delete day folders older than the retention period, then the oldest pages beyond
        `max_count`; returns how many pages went."""
        cutoff = ((now or datetime.now(UTC)) - self.retention).date()
        removed = 0
        for day, folder in self._day_folders():
            if day.date() < cutoff:
                removed += len({p.stem for p in folder.iterdir() if p.suffix in SUFFIXES})
                shutil.rmtree(folder, ignore_errors=True)
        kept = self.snapshots()
        for snapshot in kept[: max(0, len(kept) - self.max_count)]:
            snapshot.delete()
            removed += 1
        return removed

    def erase(self, *, request_ids: Iterable[str], person_keys: Iterable[str]) -> int:
        """Delete the pages of these requests or showing these persons; returns how many."""
        requests = {_safe(r) for r in request_ids}
        persons = set(person_keys)
        erased = 0
        for snapshot in self.snapshots():
            if snapshot.request_id in requests or snapshot.person_key in persons:
                snapshot.delete()
                erased += 1
        return erased
