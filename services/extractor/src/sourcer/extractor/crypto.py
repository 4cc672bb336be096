"""Platform sessions are cookies that log in as a person: stored only sealed (AES-GCM, see
`sourcer.runtime.crypto`), bound to the session id."""

from __future__ import annotations

from sourcer.runtime.crypto import Sealer, SealingKeyError, new_key

AccountsKeyError = SealingKeyError

__all__ = ["AccountsKeyError", "SessionCipher", "new_key"]


class SessionCipher:
    """Seals with the current key; opens with it or any previous one, so keys can rotate:
    configure the new key, keep the old one in `previous`, re-seal everything
    (`sourcer-extractor accounts rekey`), then drop the old one."""

    def __init__(self, key_b64: str, *, previous: tuple[str, ...] = ()) -> None:
        self._sealer = Sealer(
            key_b64,
            previous=previous,
            name="SOURCER_EXTRACTOR_ACCOUNTS_KEY",
            previous_name="SOURCER_EXTRACTOR_ACCOUNTS_PREVIOUS_KEYS",
        )

    def encrypt(self, plaintext: bytes, *, account_id: str) -> bytes:
        # The session id is authenticated data: a ciphertext moved to another session fails.
        return self._sealer.seal(plaintext, context=account_id)

    def decrypt(self, blob: bytes, *, account_id: str) -> bytes:
        return self._sealer.open(blob, context=account_id)
