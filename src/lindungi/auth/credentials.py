"""Token and password primitives: random bearer tokens kept only as hashes, and
Argon2id password hashes through ``argon2-cffi``."""

from __future__ import annotations

import hashlib
import secrets as _secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

TOKEN_PREFIX = "lgi_"  # noqa: S105 - a label, not a secret
_hasher = PasswordHasher()


def new_token() -> str:
    """A fresh bearer token: a recognisable prefix and 256 random bits."""
    return TOKEN_PREFIX + _secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """The stored form of a token (SHA-256, hex).

    A token carries 256 random bits, so a fast hash is safe here, and it lets the
    hub find a token by its hash in one indexed lookup.
    """
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def token_display_prefix(token: str) -> str:
    """The first characters of a token, safe to show so a user can tell tokens apart."""
    return token[: len(TOKEN_PREFIX) + 6]


def hash_password(password: str) -> str:
    """An Argon2id hash of ``password`` with the library's current parameters."""
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Whether ``password`` matches; never raises for a wrong or malformed hash."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def password_needs_rehash(password_hash: str) -> bool:
    """Whether the hash was made with weaker parameters than today's."""
    return _hasher.check_needs_rehash(password_hash)
