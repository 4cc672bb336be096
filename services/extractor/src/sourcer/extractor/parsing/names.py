# ruff: noqa: RUF001 - platforms print en dashes and typographic apostrophes
"""Split a full name as a profile shows it into first and last name.

Shown names carry more than the name: academic titles ("Prof. Dr."), credentials after a comma
("Jane Doe, MBA"), pronouns in parentheses, emojis. Family names may start with particles
("von", "van der", "de la"), which belong to the last name.
"""

from __future__ import annotations

import re
import unicodedata

from sourcer.extractor.parsing.text import norm

# Titles that may precede a name, compared lowercased without a trailing dot.
_TITLES = {
    "dr", "prof", "professor", "univ.-prof", "apl. prof", "pd", "priv.-doz", "mag", "ing",
    "dipl.-ing", "dipl.-kfm", "dipl.-kff", "dipl.-inf", "dipl.-psych", "dipl.-päd",
    "dipl.-wirt.-ing", "dipl.-betriebsw", "dipl.-volksw", "dipl.-math", "dipl.-phys",
    "dipl.-chem", "dipl.-des", "dipl.-oec", "dr.-ing", "dr.med", "dr.rer.nat", "dr.phil",
    "mr", "mrs", "ms", "mx", "herr", "frau", "sir", "dame",
}  # fmt: skip
# Qualifiers of a doctorate ("Dr. med.", "Dr. rer. nat."): only stripped right after a title,
# and only with their dot, because "Phil" or "Nat" are also given names.
_DOCTORATE_PARTS = {"med.", "rer.", "nat.", "phil.", "jur.", "oec.", "pol.", "habil.", "dent.",
                    "vet.", "h.c.", "h.", "c.", "mult.", "sc.", "techn.", "ing."}  # fmt: skip
_PARTICLES: tuple[tuple[str, ...], ...] = tuple(
    tuple(p.split())
    for p in sorted(
        (
            "von und zu", "van der", "van den", "van de", "von der", "von dem", "de la",
            "de los", "de las", "de le", "van", "von", "zu", "vom", "zum", "zur", "de", "del",
            "della", "delle", "dei", "degli", "di", "da", "das", "do", "dos", "du", "des",
            "la", "le", "ten", "ter", "te", "bin", "binti", "bint", "ibn", "al", "el", "af",
            "av", "st.",
        ),
        key=lambda p: -len(p.split()),
    )
)  # fmt: skip
_KNOWN_CREDENTIALS = {"phd", "mba", "cfa", "cpa", "pmp", "msc", "bsc", "ma", "ba", "md", "jd",
                      "meng", "beng", "llm", "frm", "acca", "cissp", "ceng", "pe"}  # fmt: skip
_PARENS = re.compile(r"\([^()]*\)|\[[^\[\]]*\]|\{[^{}]*\}")
_DROP = {"Cf", "Co", "Cs", "Cn", "So", "Sk", "Sm"}


def _strip_symbols(text: str) -> str:
    """Drop emojis, pictographs, variation selectors and similar decoration."""
    kept = []
    for ch in unicodedata.normalize("NFC", text):
        if ch in "\ufe0e\ufe0f\u20e3" or unicodedata.category(ch) in _DROP:
            kept.append(" ")
        else:
            kept.append(ch)
    return "".join(kept)


def _is_credential(word: str) -> bool:
    """ "MBA", "PhD", "M.Sc.", "Dipl.-Ing.": several capitals, a dot, or a known abbreviation."""
    return (
        sum(ch.isupper() for ch in word) >= 2
        or "." in word
        or word.lower().strip(".") in _KNOWN_CREDENTIALS
    )


def _is_title(token: str) -> bool:
    bare = token.lower().rstrip(".")
    if bare in _TITLES:
        return True
    # Run-together titles such as "Prof.Dr." or "Dr.rer.nat.".
    parts = [p for p in bare.split(".") if p]
    return (
        "." in token
        and len(parts) > 1
        and all(p in _TITLES or f"{p}." in _DOCTORATE_PARTS for p in parts)
    )


def _drop_credentials(text: str) -> str:
    """Cut what follows the first comma when it reads as credentials ("MBA", "PhD, CFA")."""
    if "," not in text:
        return text
    head, tail = text.split(",", 1)
    parts = [p.strip() for p in re.split(r"[,/]", tail) if p.strip()]
    if all(_is_credential(word) for part in parts for word in part.split()):
        return head
    # "Doe, Jane": a lone family name before the comma and a given name after it.
    if len(head.split()) == 1 and len(parts) == 1:
        return f"{parts[0]} {head}"
    return head


def _strip_titles(tokens: list[str]) -> list[str]:
    index = 0
    after_title = False
    while index < len(tokens) - 1:
        token = tokens[index]
        if _is_title(token):
            after_title = True
        elif after_title and token.lower() in _DOCTORATE_PARTS:
            pass
        else:
            break
        index += 1
    return tokens[index:]


def _particle_at(tokens: list[str], index: int) -> bool:
    lowered = [t.lower() for t in tokens[index:]]
    for particle in _PARTICLES:
        size = len(particle)
        if tuple(lowered[:size]) == particle and len(lowered) > size:
            return True
    return False


def split_name(display: str) -> tuple[str | None, str | None]:
    """(first name(s), last name) of a shown name; (token, None) for a single name."""
    # A separator often follows the name with a tagline: "Jane Doe | Recruiting".
    text = re.split(r"\s[|•·–—]\s|\s-\s", norm(display), maxsplit=1)[0]
    text = norm(_PARENS.sub(" ", _strip_symbols(text)))
    text = norm(_drop_credentials(text))
    tokens = [t for t in text.split(" ") if any(ch.isalpha() for ch in t)]
    tokens = _strip_titles(tokens)
    if not tokens:
        return None, None
    if len(tokens) == 1:
        return tokens[0], None
    split_at = len(tokens) - 1
    for index in range(1, len(tokens) - 1):
        if _particle_at(tokens, index):
            split_at = index
            break
    return " ".join(tokens[:split_at]), " ".join(tokens[split_at:])
