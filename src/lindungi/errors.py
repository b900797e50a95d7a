"""Domain errors. Each carries its HTTP status and is rendered once, as
``application/problem+json`` by the API and as a one-line message by the CLI."""

from __future__ import annotations

from typing import Any, ClassVar


class LindungiError(Exception):
    """Base of every error a user can cause and understand."""

    status: ClassVar[int] = 400
    slug: ClassVar[str] = "bad-request"
    title: ClassVar[str] = "Bad request"

    def __init__(self, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extra = extra

    @property
    def type_uri(self) -> str:
        """A stable identifier of the problem type (RFC 9457 ``type``)."""
        return f"urn:lindungi:problem:{self.slug}"


class ConfigurationError(LindungiError):
    status = 500
    slug = "configuration"
    title = "Invalid configuration"


class DatabaseError(LindungiError):
    status = 503
    slug = "database-unavailable"
    title = "Database unavailable"


class NotInitialisedError(DatabaseError):
    slug = "database-not-initialised"
    title = "Database not initialised"


class NotFoundError(LindungiError):
    status = 404
    slug = "not-found"
    title = "Not found"


class ConflictError(LindungiError):
    status = 409
    slug = "conflict"
    title = "Conflict"


class InvalidInputError(LindungiError):
    status = 422
    slug = "invalid-input"
    title = "Invalid input"


class TooManyRequestsError(LindungiError):
    """A public endpoint asked too often from one address."""

    status = 429
    slug = "too-many-requests"
    title = "Too many requests"

    def __init__(self, detail: str, *, retry_after: int) -> None:
        super().__init__(detail)
        self.retry_after = retry_after


class AuthenticationError(LindungiError):
    status = 401
    slug = "unauthenticated"
    title = "Authentication required"


class PermissionDeniedError(LindungiError):
    """A refused attempt; it carries what the audit log records about it."""

    status = 403
    slug = "forbidden"
    title = "Forbidden"

    def __init__(
        self,
        detail: str,
        *,
        actor: str = "",
        agency: str = "",
        resource: str = "",
        action: str = "",
        resource_id: str = "",
    ) -> None:
        super().__init__(detail)
        self.actor = actor
        self.agency = agency
        self.resource = resource
        self.action = action
        self.resource_id = resource_id
