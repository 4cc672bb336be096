"""Reading a profile section as blocks of text lines, whatever the layout generation.

LinkedIn has shipped at least five markups for the same list of roles: `li` items with labelled
fields and visually-hidden labels (2019-21), `pvs-list` items with sighted/visually-hidden
twins (2022), `profile-component-entity` items (2024), `entity-collection-item` cards made
of `<p>` lines (2025-26), and the public page's `li` items with `h3`/`h4`. What they share is
meaning, not markup: a section holds a list of items; an item is a sequence of visible lines;
a nested list holds either further items (several roles at one company) or sub-texts (a
description, the skills used). `Block` is that shape; `read_blocks` finds it in any of them.

Lines are read as a sighted reader sees them: the screen-reader copy of a doubled text is
skipped, a visually-hidden text without a twin is a *label* of the next line (the 2019-21
"Company Name", "Dates Employed"), and buttons, icons and "see more" links are chrome.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from selectolax.lexbor import LexborNode

from sourcer.extractor.parsing.dates import is_date_range, is_duration
from sourcer.extractor.parsing.text import norm

_SKIP_TAGS = {
    "script", "style", "button", "svg", "img", "figure", "template", "noscript", "li-icon",
    "input", "select", "textarea", "code", "video", "iframe",
}  # fmt: skip
_LISTS = {"ul", "ol"}
# Controls that print text but are not content.
_CHROME = re.compile(
    r"^(?:…|\.\.\.)?\s*(?:see more|see less|show more|show less|mehr anzeigen|weniger anzeigen|"
    r"mehr|more|…mehr|…more)$",
    re.IGNORECASE,
)
_ITEM_KEYS = ("entity-collection-item", "com.linkedin.sdui.profile.skill")
EMPLOYMENT_TYPES = {
    "full-time", "part-time", "self-employed", "freelance", "contract", "internship",
    "apprenticeship", "seasonal", "permanent", "temporary", "trainee", "volunteer",
    "vollzeit", "teilzeit", "selbstständig", "selbständig", "freiberuflich", "befristet",
    "praktikum", "ausbildung", "saisonal", "werkstudent", "werkstudentin", "festanstellung",
    "unbefristet", "minijob", "duales studium", "freie mitarbeit", "ehrenamt",
}  # fmt: skip


@dataclass
class Block:
    """One item of a section: its own lines, the labels some lines carry, sub-texts, children."""

    lines: list[str] = field(default_factory=list)
    labels: dict[int, str] = field(default_factory=dict)
    """Index into `lines` -> the visually-hidden label printed before that line."""
    subs: list[str] = field(default_factory=list)
    children: list[Block] = field(default_factory=list)

    def labelled(self, names: set[str]) -> str | None:
        for index, label in self.labels.items():
            if label in names:
                return self.lines[index]
        return None


def is_employment_type(text: str) -> bool:
    return norm(text).lower() in EMPLOYMENT_TYPES


_HIDDEN_CLASSES = {"visually-hidden", "sr-only"}


def _hidden_class(classes: str | None) -> bool:
    return bool(classes) and not _HIDDEN_CLASSES.isdisjoint((classes or "").split())


def _visually_hidden(node: LexborNode) -> bool:
    return _hidden_class(node.attributes.get("class"))


def _has_sighted_twin(node: LexborNode) -> bool:
    """Whether a visually-hidden text repeats a sighted sibling (so it is not a label)."""
    parent = node.parent
    if parent is None:
        return False
    for sibling in parent.iter():
        if sibling is not node and sibling.attributes.get("aria-hidden") == "true":
            return True
    return False


def _direct_text(node: LexborNode) -> bool:
    """Whether text sits directly in `node`, beside (not only inside) its child elements."""
    return bool((node.text(deep=False) or "").strip())


def _piece_text(node: LexborNode) -> str:
    pieces: list[str] = []
    for child in node.iter(include_text=True):
        tag = child.tag
        if tag == "-text":
            pieces.append(norm(child.text_content))
        elif (
            tag in _SKIP_TAGS
            or not isinstance(tag, str)
            or tag.startswith("-")
            or _visually_hidden(child)
        ):
            continue
        else:
            pieces.append(_piece_text(child))
    return _join([p for p in pieces if p])


def _join(pieces: list[str]) -> str:
    """Join inline pieces; an employment type or duration set apart is joined by " · "."""
    out = ""
    for piece in pieces:
        if _CHROME.match(piece):
            continue
        if not out:
            out = piece
        elif is_employment_type(piece) or is_duration(piece):
            out = f"{out} · {piece}"
        elif piece[0] in ",.;:)":
            out = f"{out}{piece}"
        else:
            out = f"{out} {piece}"
    return norm(out)


class _Reader:
    def __init__(self, *, flat: bool = False) -> None:
        self.label: str | None = None
        self.flat = flat

    def walk(self, node: LexborNode, block: Block) -> None:
        for child in node.iter():
            tag = child.tag
            if tag in _SKIP_TAGS:
                continue
            if tag in _LISTS and not self.flat:
                self.nested_list(child, block)
                continue
            attributes = child.attributes  # selectolax builds this dict anew on every access
            if _hidden_class(attributes.get("class")):
                if not _has_sighted_twin(child):
                    self.label = norm(child.text(deep=True, separator=" ")).lower().rstrip(":")
            elif attributes.get("aria-hidden") == "true":
                self.line(block, norm(child.text(deep=True, separator=" ")))
            elif _direct_text(child):
                self.line(block, _piece_text(child))
            else:
                self.walk(child, block)

    def line(self, block: Block, text: str) -> None:
        if not text or _CHROME.match(text) or not any(ch.isalnum() for ch in text):
            return
        if block.lines and block.lines[-1] == text and not self.label:
            return  # today's cards render some lines twice in a row (dates, places)
        if self.label:
            block.labels[len(block.lines)] = self.label
            self.label = None
        block.lines.append(text)

    def nested_list(self, node: LexborNode, block: Block) -> None:
        for li in node.iter():
            if li.tag != "li" or _is_attachment(li):
                continue
            inner = read_block(li)
            if looks_like_item(inner):
                block.children.append(inner)
                continue
            texts = inner.lines + inner.subs
            if texts:
                block.subs.append(" ".join(texts))
            block.children.extend(inner.children)


# Sub-entries that link to a role's skill list or to a media viewer are attachments of the
# item ("React.js and +2 skills", a thumbnail's title), never its description.
_ATTACHMENT_LINKS = ("/skill-associations-details", "/single-media-viewer", "/treasury/")


def _is_attachment(li: LexborNode) -> bool:
    links = li.css("a[href]")
    if not links or len(links) != len(li.css("a")):
        return False
    hrefs = [link.attributes.get("href") or "" for link in links]
    return all(any(part in href for part in _ATTACHMENT_LINKS) for href in hrefs)


def read_block(node: LexborNode, *, flat: bool = False) -> Block:
    """The lines of an item; `flat` reads nested lists as lines too (a top card's rows)."""
    block = Block()
    reader = _Reader(flat=flat)
    if _direct_text(node):
        # An item whose own text sits beside its child elements (a bare `<li>` or `<p>`).
        reader.line(block, _piece_text(node))
        return block
    reader.walk(node, block)
    return block


def looks_like_item(block: Block) -> bool:
    """A nested entry is a role of its own when it has a title and a date range."""
    return len(block.lines) >= 2 and any(is_date_range(line) for line in block.lines[1:])


def _outermost(nodes: list[LexborNode], scope: LexborNode) -> list[LexborNode]:
    """The nodes not inside another of `nodes`, in document order.

    Compares nodes by identity (`mem_id`): comparing selectolax nodes with `==` serialises them,
    which made this the slowest step on a real 600 KB page.
    """
    kept: list[LexborNode] = []
    kept_ids: set[int] = set()
    for node in nodes:
        if not _has_ancestor_in(node, kept_ids, scope.mem_id):
            kept.append(node)
            kept_ids.add(node.mem_id)
    return kept


def _has_ancestor_in(node: LexborNode, ids: set[int], stop: int) -> bool:
    current = node.parent
    while current is not None and current.mem_id != stop:
        if current.mem_id in ids:
            return True
        current = current.parent
    return False


def _keyed_items(scope: LexborNode) -> list[LexborNode]:
    found = [
        node
        for node in scope.css("[componentkey]")
        if (node.attributes.get("componentkey") or "").startswith(_ITEM_KEYS)
    ]
    return _outermost(found, scope)


def _outer_lists(scope: LexborNode) -> list[LexborNode]:
    lists = [n for n in scope.css("ul, ol") if n.css_first("li") is not None]
    return _outermost(lists, scope)


def item_nodes(scope: LexborNode) -> list[LexborNode]:
    """The nodes of a section's items: keyed cards, else the items of its outermost lists."""
    keyed = _keyed_items(scope)
    if keyed:
        return keyed
    items: list[LexborNode] = []
    for outer in _outer_lists(scope):
        items.extend(child for child in outer.iter() if child.tag == "li")
    return items


def read_blocks(scope: LexborNode, *, skip_first_line: str | None = None) -> list[Block]:
    """Every item of a section as a `Block`, in page order; empty blocks are dropped."""
    blocks = [read_block(node) for node in item_nodes(scope)]
    if not blocks:
        blocks = _sibling_blocks(scope, skip_first_line)
    return [b for b in blocks if b.lines]


def _sibling_blocks(scope: LexborNode, heading: str | None) -> list[Block]:
    """Fallback for list-less markup: the repeated child blocks under the heading."""
    node = scope
    while True:
        children = [
            c
            for c in node.iter()
            if c.tag not in _SKIP_TAGS and not _visually_hidden(c) and norm(c.text(deep=True))
        ]
        if len(children) != 1:
            break
        node = children[0]
    blocks = [read_block(child) for child in children]
    for block in blocks:
        if heading and block.lines[:1] == [heading]:
            block.lines.pop(0)
            block.labels = {i - 1: v for i, v in block.labels.items() if i > 0}
    return [b for b in blocks if b.lines]
