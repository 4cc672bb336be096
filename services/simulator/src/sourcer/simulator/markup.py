"""Tiny HTML building helpers: escaping, elements, and the doubled LinkedIn text spans."""

from __future__ import annotations

from html import escape


def esc(text: str) -> str:
    """Escape text for element content."""
    return escape(text, quote=False)


def attrs(**values: str | None) -> str:
    """Render attributes; `_` in names becomes `-`, a trailing `_` is dropped (class_)."""
    parts = []
    for name, value in values.items():
        if value is None:
            continue
        key = name.rstrip("_").replace("_", "-")
        parts.append(f' {key}="{escape(value, quote=True)}"')
    return "".join(parts)


def el(tag: str, inner: str = "", **values: str | None) -> str:
    """An element with already-rendered inner HTML."""
    return f"<{tag}{attrs(**values)}>{inner}</{tag}>"


def void(tag: str, **values: str | None) -> str:
    """A void element (img, input, meta...)."""
    return f"<{tag}{attrs(**values)}>"


def doubled(text: str) -> str:
    """LinkedIn prints every visible text twice: once for sight, once for screen readers.

    The empty comments are the framework's render markers the real pages carry.
    """
    shown = esc(text)
    return (
        f'<span aria-hidden="true"><!---->{shown}<!----></span>'
        f'<span class="visually-hidden"><!---->{shown}<!----></span>'
    )
