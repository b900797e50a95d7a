"""Ed25519 keys and signed checkpoints (signed tree heads)."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import rfc8785
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from lindungi.audit.entry import format_time
from lindungi.errors import ConfigurationError, InvalidInputError


def key_id(public_key: Ed25519PublicKey) -> str:
    """A short, stable name of a public key: the first 8 bytes of SHA-256 of its raw form."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).digest()[:8].hex()


def public_pem(public_key: Ed25519PublicKey) -> str:
    """The public key in PEM (SubjectPublicKeyInfo), for witnesses and auditors."""
    return public_key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode("ascii")


def load_public_key(pem: str | bytes) -> Ed25519PublicKey:
    """Read a PEM public key, refusing anything but Ed25519."""
    data = pem.encode("ascii") if isinstance(pem, str) else pem
    try:
        key = serialization.load_pem_public_key(data)
    except ValueError:
        raise InvalidInputError("not a PEM public key") from None
    if not isinstance(key, Ed25519PublicKey):
        raise InvalidInputError("the audit key must be an Ed25519 key")
    return key


def write_private_key(path: Path) -> Ed25519PrivateKey:
    """Generate a key and write it to ``path`` (mode 0600); refuse to overwrite."""
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise InvalidInputError(f"{path} already exists; not overwriting a signing key") from None
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
    return key


def load_private_key(path: Path, *, create: bool) -> Ed25519PrivateKey:
    """Read the signing key; generate it first when ``create`` and it is missing."""
    if not path.exists():
        if create:
            return write_private_key(path)
        raise ConfigurationError(
            f"audit signing key {path} does not exist; create it with "
            "`lindungi audit keygen --out FILE` and set LINDUNGI_AUDIT_KEY_FILE"
        )
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (ValueError, TypeError):
        raise ConfigurationError(f"{path} is not an unencrypted PEM private key") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise ConfigurationError(f"{path} is not an Ed25519 key")
    return key


@dataclass(frozen=True)
class Checkpoint:
    """A signed tree head: the log had ``size`` entries with root ``root_hash``."""

    size: int
    root_hash: bytes
    timestamp: dt.datetime
    key_id: str
    signature: bytes

    def to_json(self) -> dict[str, Any]:
        """The contract-6 form: size, root_hash (hex), timestamp, signature, key_id."""
        return {
            "size": self.size,
            "root_hash": self.root_hash.hex(),
            "timestamp": format_time(self.timestamp),
            "signature": base64.b64encode(self.signature).decode("ascii"),
            "key_id": self.key_id,
        }


def signed_message(size: int, root_hash: bytes, timestamp: dt.datetime, key: str) -> bytes:
    """The bytes a checkpoint's signature covers: RFC 8785 JSON of everything but it."""
    return rfc8785.dumps(
        {
            "key_id": key,
            "root_hash": root_hash.hex(),
            "size": size,
            "timestamp": format_time(timestamp),
        }
    )


def sign_checkpoint(
    private_key: Ed25519PrivateKey, size: int, root_hash: bytes, timestamp: dt.datetime
) -> Checkpoint:
    """Sign a tree head."""
    kid = key_id(private_key.public_key())
    signature = private_key.sign(signed_message(size, root_hash, timestamp, kid))
    return Checkpoint(size, root_hash, timestamp, kid, signature)


def verify_checkpoint(public_key: Ed25519PublicKey, checkpoint: Checkpoint) -> bool:
    """Whether ``checkpoint`` was signed by ``public_key`` and is unaltered."""
    if checkpoint.key_id != key_id(public_key):
        return False
    message = signed_message(
        checkpoint.size, checkpoint.root_hash, checkpoint.timestamp, checkpoint.key_id
    )
    try:
        public_key.verify(checkpoint.signature, message)
    except InvalidSignature:
        return False
    return True


def checkpoint_from_json(obj: Any) -> Checkpoint:
    """Parse the contract-6 JSON form, naming the field that is wrong."""
    from lindungi.audit.entry import parse_time

    if not isinstance(obj, dict):
        raise InvalidInputError("a checkpoint is a JSON object")
    try:
        size = obj["size"]
        if not isinstance(size, int) or size < 0:
            raise InvalidInputError("checkpoint size must be a non-negative integer")
        root = bytes.fromhex(obj["root_hash"])
        if len(root) != 32:
            raise InvalidInputError("checkpoint root_hash must be 32 bytes of hex")
        return Checkpoint(
            size=size,
            root_hash=root,
            timestamp=parse_time(obj["timestamp"]),
            key_id=str(obj["key_id"]),
            signature=base64.b64decode(obj["signature"], validate=True),
        )
    except KeyError as err:
        raise InvalidInputError(f"checkpoint lacks the field {err.args[0]!r}") from None
    except (ValueError, TypeError) as err:
        raise InvalidInputError(f"malformed checkpoint: {err}") from None
