"""Webhook signing secrets sealed at rest. The hub must sign with a subscription's secret,
so it cannot keep only a hash of it, as it does for tokens; it keeps it encrypted
(Fernet: AES-128-CBC with HMAC-SHA256, from ``cryptography``) under a key derived from
``LINDUNGI_SECRET_KEY``. A copy of the database alone then lets nobody forge an event an
agency would accept. A secret stored before sealing (no prefix) is still read as it is.

Changing ``LINDUNGI_SECRET_KEY`` makes the sealed secrets unreadable: their deliveries
fail naming the cause, and the agencies subscribe again for new secrets.
"""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

PREFIX = "sealed:v1:"


class UnsealError(ValueError):
    """A sealed secret that this key cannot open."""


def key_from(secret_key: str) -> bytes:
    """The sealing key for this deployment's ``LINDUNGI_SECRET_KEY`` (HKDF-SHA256, bound
    to its one purpose)."""
    derived = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"lindungi webhook secrets v1"
    ).derive(secret_key.encode())
    return base64.urlsafe_b64encode(derived)


def seal(secret: str, key: bytes) -> str:
    """The stored form of ``secret``."""
    return PREFIX + Fernet(key).encrypt(secret.encode()).decode()


def unseal(stored: str, key: bytes | None) -> str:
    """The secret behind its stored form (a legacy unsealed one as it is)."""
    if not stored.startswith(PREFIX):
        return stored
    if key is None:
        raise UnsealError("the secret is sealed and no sealing key was given")
    try:
        return Fernet(key).decrypt(stored[len(PREFIX) :].encode()).decode()
    except InvalidToken:
        raise UnsealError(
            "the sealed secret does not open with this LINDUNGI_SECRET_KEY (was it changed? "
            "the agency must subscribe again)"
        ) from None
