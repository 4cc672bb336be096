"""Random, build-specific class names and wrapper nesting.

Real profile pages ship obfuscated class names that change with every front-end build. The
simulator derives them from a seed per app instance, so a parser that leans on a class name
breaks in tests exactly as it would in production. The layout variant also changes how deep
the wrappers nest, for parsers that count ancestors.
"""

from __future__ import annotations

import random
import string
from dataclasses import dataclass, field

_LETTERS = string.ascii_letters


class ClassNames:
    """Maps a semantic role to a random class list, stable for one seed."""

    def __init__(self, seed: str) -> None:
        self._seed = seed
        self._cache: dict[str, str] = {}

    def __call__(self, role: str) -> str:
        cached = self._cache.get(role)
        if cached is None:
            rng = random.Random(f"{self._seed}:{role}")
            # Letters only, so a generated name can never equal a real stable class such as
            # "visually-hidden".
            words = [
                "".join(rng.choice(_LETTERS) for _ in range(rng.randint(6, 11)))
                for _ in range(rng.randint(1, 3))
            ]
            cached = " ".join(words)
            self._cache[role] = cached
        return cached


@dataclass(frozen=True)
class Layout:
    """One front-end build: class names plus how deeply content is wrapped."""

    seed: str
    variant: bool = False
    cls: ClassNames = field(init=False, compare=False)

    def __post_init__(self) -> None:
        suffix = ":variant" if self.variant else ""
        object.__setattr__(self, "cls", ClassNames(self.seed + suffix))

    def c(self, role: str) -> str:
        return self.cls(role)

    def wrap(self, role: str, inner: str) -> str:
        """One wrapper div in the standard build, two in the variant build."""
        html = f'<div class="{self.c(role)}">{inner}</div>'
        if self.variant:
            html = f'<div class="{self.c(role + "-outer")}">{html}</div>'
        return html

    def variant_wrap(self, role: str, inner: str) -> str:
        """A wrapper that only the variant build has."""
        if not self.variant:
            return inner
        return f'<div class="{self.c(role + "-extra")}">{inner}</div>'
