"""Token and password primitives: random bearer tokens kept only as hashes, and
Argon2id password hashes through ``argon2-cffi``."""

from __future__ import annotations

import hashlib
import secrets as _secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

TOKEN_PREFIX = "lgi_"  # noqa: S105 - a label, not a secret
_hasher = PasswordHasher()
#: For secrets the hub draws at random (a report's status secret: 12 letters of 31, about
#: 59 bits), which no dictionary holds: a guess costs the attacker the same 2^58 tries
#: on average whatever the hash's cost, so the password parameters (64 MiB, 3 passes,
#: ~230 ms here) would only slow the hotline. Argon2id still, so the stored form and its
#: verification stay one kind.
_random_secret_hasher = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1)


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


def hash_random_secret(secret: str) -> str:
    """An Argon2id hash, at a low cost, of a secret the hub drew at random (never of a
    password a person chose); :func:`verify_password` checks it like any other."""
    return _random_secret_hasher.hash(secret)


def verify_password(password_hash: str, password: str) -> bool:
    """Whether ``password`` matches; never raises for a wrong or malformed hash."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def password_needs_rehash(password_hash: str) -> bool:
    """Whether the hash was made with weaker parameters than today's."""
    return _hasher.check_needs_rehash(password_hash)
