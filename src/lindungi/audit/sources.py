"""Where a witness reads the hub's checkpoints from: the hub's API, or its database."""

from __future__ import annotations

import contextlib
import json
import urllib.error
import urllib.parse
import urllib.request
from typing import Any, Protocol

from sqlalchemy.orm import Session

from lindungi.audit import service
from lindungi.audit.signing import Checkpoint, checkpoint_from_json
from lindungi.errors import LindungiError, NotFoundError


class CheckpointSource(Protocol):
    """What a witness needs from the hub."""

    def latest(self) -> Checkpoint:
        """The newest signed checkpoint."""
        ...

    def consistency(self, first: int, second: int) -> list[bytes]:
        """The consistency proof between two sizes."""
        ...

    def public_key_pem(self) -> str:
        """The hub's checkpoint signing key (trusted on first use only)."""
        ...


class SourceError(LindungiError):
    """The hub could not be asked."""

    status = 502
    slug = "witness-source"
    title = "Checkpoint source unavailable"


class HubSource:
    """The hub's HTTP API, with a bearer token."""

    def __init__(self, base_url: str, token: str, timeout: float = 30.0) -> None:
        self.base = base_url.rstrip("/") + "/api/v1/audit"
        self.token = token
        self.timeout = timeout

    def _get(self, path: str, **query: int) -> Any:
        url = self.base + path + (f"?{urllib.parse.urlencode(query)}" if query else "")
        if not url.startswith(("http://", "https://")):
            raise SourceError(f"the hub URL must start with http:// or https://, got {url!r}")
        request = urllib.request.Request(  # noqa: S310 - scheme checked above
            url, headers={"Authorization": f"Bearer {self.token}", "Accept": "application/json"}
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                return json.loads(response.read())
        except urllib.error.HTTPError as err:
            detail = ""
            with contextlib.suppress(ValueError, AttributeError):
                detail = json.loads(err.read()).get("detail", "")
            raise SourceError(f"{url}: HTTP {err.code} {detail}".rstrip()) from None
        except (urllib.error.URLError, OSError) as err:
            raise SourceError(f"cannot reach {url}: {err}") from None

    def latest(self) -> Checkpoint:
        """The hub's newest checkpoint."""
        return checkpoint_from_json(self._get("/checkpoints/latest"))

    def consistency(self, first: int, second: int) -> list[bytes]:
        """The hub's consistency proof."""
        body = self._get("/consistency", first=first, second=second)
        return [bytes.fromhex(h) for h in body["proof"]]

    def public_key_pem(self) -> str:
        """The hub's announced public key."""
        return str(self._get("/public-key")["public_key_pem"])


class DatabaseSource:
    """The hub's database, read directly (for a witness on the same premises)."""

    def __init__(self, session: Session, public_key_pem: str | None = None) -> None:
        self.session = session
        self._pem = public_key_pem

    def latest(self) -> Checkpoint:
        """The newest stored checkpoint."""
        checkpoint = service.latest_checkpoint(self.session)
        if checkpoint is None:
            raise NotFoundError("no checkpoint has been signed yet")
        return checkpoint

    def consistency(self, first: int, second: int) -> list[bytes]:
        """A consistency proof over the stored log."""
        return service.prove_consistency(self.session, first, second)

    def public_key_pem(self) -> str:
        """The key given by the operator (a database does not announce one)."""
        if self._pem is None:
            raise SourceError("reading from a database, the witness needs --public-key FILE")
        return self._pem
