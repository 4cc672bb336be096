"""Platform sessions are cookies that log in as a person: stored only encrypted (AES-GCM)."""

from __future__ import annotations

import base64
import binascii
import os

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

NONCE_BYTES = 12


class AccountsKeyError(ValueError):
    """The configured key is missing or malformed."""


class SessionCipher:
    def __init__(self, key_b64: str) -> None:
        try:
            key = base64.b64decode(key_b64, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise AccountsKeyError("SOURCER_EXTRACTOR_ACCOUNTS_KEY is not valid base64") from exc
        if len(key) != 32:
            raise AccountsKeyError(
                "SOURCER_EXTRACTOR_ACCOUNTS_KEY must be 32 bytes, base64-encoded"
            )
        self._aead = AESGCM(key)

    def encrypt(self, plaintext: bytes, *, account_id: str) -> bytes:
        # The account id is authenticated data: a ciphertext moved to another account fails.
        nonce = os.urandom(NONCE_BYTES)
        return nonce + self._aead.encrypt(nonce, plaintext, account_id.encode())

    def decrypt(self, blob: bytes, *, account_id: str) -> bytes:
        return self._aead.decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], account_id.encode())


def new_key() -> str:
    return base64.b64encode(AESGCM.generate_key(bit_length=256)).decode()
