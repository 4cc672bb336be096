"""Reading a JavaScript object literal (not strict JSON) into Python values.

Pages embed state as `window.x = {...};`: keys unquoted, strings in single quotes, `undefined`,
`!0`/`!1`, trailing commas. `json.loads` refuses all of that; this reads it without running any
code. Anything it does not understand (a function, a `new Date(...)`) becomes None.
"""

from __future__ import annotations

import json
import re
from typing import Any

_NUMBER = re.compile(r"-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_IDENT = re.compile(r"[A-Za-z_$][\w$]*")
_WORDS: dict[str, Any] = {"true": True, "false": False, "null": None, "undefined": None}
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}


class JsLiteralError(ValueError):
    pass


class _Reader:
    def __init__(self, text: str, pos: int) -> None:
        self.text = text
        self.pos = pos

    def skip(self) -> None:
        text = self.text
        while self.pos < len(text):
            if text[self.pos].isspace():
                self.pos += 1
            elif text.startswith("//", self.pos):
                end = text.find("\n", self.pos)
                self.pos = len(text) if end < 0 else end
            elif text.startswith("/*", self.pos):
                end = text.find("*/", self.pos)
                self.pos = len(text) if end < 0 else end + 2
            else:
                return

    def peek(self) -> str:
        self.skip()
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def value(self) -> Any:
        char = self.peek()
        if char == "{":
            return self.obj()
        if char == "[":
            return self.array()
        if char in "'\"`":
            return self.string()
        if char == "!":
            self.pos += 1
            return not self.value()
        if match := _NUMBER.match(self.text, self.pos):
            self.pos = match.end()
            return json.loads(match.group()) if "." in match.group() else int(match.group())
        if match := _IDENT.match(self.text, self.pos):
            self.pos = match.end()
            word = match.group()
            if word in _WORDS:
                return _WORDS[word]
            self.skip_call()
            return None
        raise JsLiteralError(f"unexpected {char!r} at {self.pos}")

    def skip_call(self) -> None:
        """`new Date(...)`, `Symbol(...)`: skip the call, balanced, as a value we do not read."""
        if self.peek() == "(" or _IDENT.match(self.text, self.pos):
            depth = 0
            while self.pos < len(self.text):
                char = self.text[self.pos]
                self.pos += 1
                if char == "(":
                    depth += 1
                elif char == ")":
                    depth -= 1
                    if depth <= 0:
                        return

    def string(self) -> str:
        quote = self.text[self.pos]
        self.pos += 1
        out: list[str] = []
        while self.pos < len(self.text):
            char = self.text[self.pos]
            self.pos += 1
            if char == quote:
                return "".join(out)
            if char == "\\":
                out.append(self.escape())
            else:
                out.append(char)
        raise JsLiteralError("unterminated string")

    def escape(self) -> str:
        char = self.text[self.pos]
        self.pos += 1
        if char == "u":
            if self.text[self.pos] == "{":
                end = self.text.index("}", self.pos)
                code, self.pos = int(self.text[self.pos + 1 : end], 16), end + 1
                return chr(code)
            code, self.pos = int(self.text[self.pos : self.pos + 4], 16), self.pos + 4
            return chr(code)
        if char == "x":
            code, self.pos = int(self.text[self.pos : self.pos + 2], 16), self.pos + 2
            return chr(code)
        return _ESCAPES.get(char, char)

    def key(self) -> str:
        char = self.peek()
        if char in "'\"":
            return self.string()
        if match := (_IDENT.match(self.text, self.pos) or _NUMBER.match(self.text, self.pos)):
            self.pos = match.end()
            return match.group()
        raise JsLiteralError(f"bad key at {self.pos}")

    def obj(self) -> dict[str, Any]:
        self.pos += 1
        out: dict[str, Any] = {}
        while self.peek() != "}":
            name = self.key()
            if self.peek() != ":":
                raise JsLiteralError(f"expected ':' at {self.pos}")
            self.pos += 1
            out[name] = self.value()
            if self.peek() == ",":
                self.pos += 1
        self.pos += 1
        return out

    def array(self) -> list[Any]:
        self.pos += 1
        out: list[Any] = []
        while self.peek() != "]":
            out.append(self.value())
            if self.peek() == ",":
                self.pos += 1
        self.pos += 1
        return out


def read_assignment(source: str, target: str) -> Any:
    """The value assigned to `target` (e.g. "window.crate") in a script; None when absent."""
    match = re.search(re.escape(target) + r"\s*=\s*", source)
    if match is None:
        return None
    try:
        return _Reader(source, match.end()).value()
    except (JsLiteralError, IndexError, ValueError):
        return None
