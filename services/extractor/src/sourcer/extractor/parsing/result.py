"""What a parse produced besides the profile: the layout it read and what it could not read."""

from __future__ import annotations

from dataclasses import dataclass, field

from sourcer.proto.records import Profile


@dataclass(frozen=True)
class ParseResult:
    profile: Profile
    layout: str
    """Layout signature, e.g. "linkedin/anchored-2022" (see `layout.py`)."""
    recovered: list[str] = field(default_factory=list)
    """Sections whose markup was unreadable but whose items the page's embedded data held."""
    disagreements: list[str] = field(default_factory=list)
    """Where the embedded data and the DOM reading differ, for ops; the DOM reading is kept."""

    @property
    def missing(self) -> list[str]:
        return self.profile.missing_sections

    @property
    def status(self) -> str:
        """ "full", or "partial" when a section on the page could not be read."""
        return "partial" if self.missing else "full"
