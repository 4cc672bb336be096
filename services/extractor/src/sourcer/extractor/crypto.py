"""Platform sessions are cookies that log in as a person: stored only encrypted (AES-GCM)."""

from __future__ import annotations

import base64
import binascii
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

NONCE_BYTES = 12


class AccountsKeyError(ValueError):
    """The configured key is missing or malformed."""


def _aead(key_b64: str, name: str) -> AESGCM:
    try:
        key = base64.b64decode(key_b64, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise AccountsKeyError(f"{name} is not valid base64") from exc
    if len(key) != 32:
        raise AccountsKeyError(f"{name} must be 32 bytes, base64-encoded")
    return AESGCM(key)


class SessionCipher:
    """Seals with the current key; opens with it or any previous one, so keys can rotate:
    configure the new key, keep the old one in `previous`, re-seal everything
    (`sourcer-extractor accounts rekey`), then drop the old one."""

    def __init__(self, key_b64: str, *, previous: tuple[str, ...] = ()) -> None:
        self._aead = _aead(key_b64, "SOURCER_EXTRACTOR_ACCOUNTS_KEY")
        self._previous = [
            _aead(old, "SOURCER_EXTRACTOR_ACCOUNTS_PREVIOUS_KEYS") for old in previous
        ]

    def encrypt(self, plaintext: bytes, *, account_id: str) -> bytes:
        # The session id is authenticated data: a ciphertext moved to another session fails.
        nonce = os.urandom(NONCE_BYTES)
        return nonce + self._aead.encrypt(nonce, plaintext, account_id.encode())

    def decrypt(self, blob: bytes, *, account_id: str) -> bytes:
        for aead in (self._aead, *self._previous):
            try:
                return aead.decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], account_id.encode())
            except InvalidTag:
                continue
        raise InvalidTag("no configured key opens this session")


def new_key() -> str:
    return base64.b64encode(AESGCM.generate_key(bit_length=256)).decode()
