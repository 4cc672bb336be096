"""Secrets at rest, sealed with AES-GCM under a configured key (platform sessions, webhook
signing secrets).

A sealed value is bound to a context (the id of the record that holds it) as authenticated
data: a ciphertext copied into another record does not open there. Keys rotate: seal with the
current key, open with it or any previous one, re-seal everything, then drop the old key.
"""

from __future__ import annotations

import base64
import binascii
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

NONCE_BYTES = 12


class SealingKeyError(ValueError):
    """The configured key is missing or malformed."""


def _aead(key_b64: str, name: str) -> AESGCM:
    try:
        key = base64.b64decode(key_b64, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise SealingKeyError(f"{name} is not valid base64") from exc
    if len(key) != 32:
        raise SealingKeyError(f"{name} must be 32 bytes, base64-encoded")
    return AESGCM(key)


class Sealer:
    """Seals with the current key; opens with it or any of `previous`. `name` and
    `previous_name` are the settings the keys come from, for error messages."""

    def __init__(
        self,
        key_b64: str,
        *,
        previous: tuple[str, ...] = (),
        name: str = "key",
        previous_name: str = "previous keys",
    ) -> None:
        self._aead = _aead(key_b64, name)
        self._previous = [_aead(old, previous_name) for old in previous]

    def seal(self, plaintext: bytes, *, context: str) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        return nonce + self._aead.encrypt(nonce, plaintext, context.encode())

    def open(self, blob: bytes, *, context: str) -> bytes:
        """Raises InvalidTag when no configured key opens it (or it belongs elsewhere)."""
        for aead in (self._aead, *self._previous):
            try:
                return aead.decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], context.encode())
            except InvalidTag:
                continue
        raise InvalidTag("no configured key opens this value")


def new_key() -> str:
    """32 random bytes, base64: a value for a sealing key setting."""
    return base64.b64encode(AESGCM.generate_key(bit_length=256)).decode()
