"""Operations on users and tokens. Each flushes; the caller commits once."""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from lindungi.auth import credentials
from lindungi.auth.models import Agency, ApiToken, User, UserRole
from lindungi.auth.permissions import Principal, check_roles
from lindungi.db import utcnow
from lindungi.errors import AuthenticationError, ConflictError, InvalidInputError, NotFoundError

USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{2,63}")

LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


def list_agencies(session: Session) -> list[Agency]:
    """All agencies, by code."""
    return list(session.scalars(select(Agency).order_by(Agency.code)))


def get_agency(session: Session, code: str) -> Agency:
    """The agency with ``code``, or a 404 that lists the codes that exist."""
    agency = session.get(Agency, code)
    if agency is None:
        known = ", ".join(a.code for a in list_agencies(session))
        raise NotFoundError(f"unknown agency {code!r}; agencies: {known}")
    return agency


def get_user(session: Session, username: str) -> User:
    """The user called ``username``, or 404."""
    user = session.scalar(
        select(User).where(User.username == username).options(selectinload(User.roles))
    )
    if user is None:
        raise NotFoundError(f"no user {username!r}")
    return user


def acting_as(session: Session, username: str) -> Principal:
    """The principal of an active user acting through the server's command line
    (``--as``): their roles apply, as they would over the API."""
    user = get_user(session, username)
    if not user.is_active:
        raise ConflictError(f"user {username!r} is deactivated")
    return Principal.of(user.id, user.username, user.agency_code, user.role_codes, None)


def list_users(session: Session, agency: str | None = None) -> list[User]:
    """Users, optionally of one agency, by username."""
    query = select(User).options(selectinload(User.roles)).order_by(User.username)
    if agency is not None:
        query = query.where(User.agency_code == agency)
    return list(session.scalars(query))


def add_user(
    session: Session,
    username: str,
    *,
    agency: str,
    roles: list[str] | tuple[str, ...],
    full_name: str | None = None,
    password: str | None = None,
    synthetic: bool = False,
) -> User:
    """Create a user of ``agency`` holding ``roles``; refuse a duplicate username."""
    check_username(username)
    if full_name is not None and not 1 <= len(full_name) <= 200:
        raise InvalidInputError("full name must be 1 to 200 characters")
    get_agency(session, agency)
    codes = check_roles(agency, roles)
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise ConflictError(f"user {username!r} already exists")
    user = User(
        username=username,
        full_name=full_name or username,
        agency_code=agency,
        password_hash=credentials.hash_password(password) if password else None,
        synthetic=synthetic,
        roles=[UserRole(role=code) for code in codes],
    )
    session.add(user)
    try:
        session.flush()
    except IntegrityError:  # created by a concurrent request since the check above
        raise ConflictError(f"user {username!r} already exists") from None
    return user


def check_username(username: str) -> None:
    """Refuse a username the API would refuse too, saying what a valid one looks like."""
    if not USERNAME.fullmatch(username):
        raise InvalidInputError(
            "username must be 3 to 64 characters: lowercase letters, digits, '.', '_' or '-', "
            f"starting with a letter or digit; got {username!r}"
        )


def set_active(session: Session, user: User, active: bool) -> User:
    """Deactivate a user (their tokens stop working at once) or reactivate them."""
    user.is_active = active
    session.flush()
    return user


def set_password(session: Session, user: User, password: str) -> None:
    """Replace the user's password (stored as an Argon2id hash)."""
    user.password_hash = credentials.hash_password(password)
    session.flush()


@functools.cache
def _nobody() -> str:
    """Checked when the username is unknown, so a wrong name costs as long as a wrong
    password (made once, when first needed)."""
    return credentials.hash_password("nobody has this password")


def check_password(session: Session, username: str, password: str) -> User:
    """The active user with this username and password; 401 with one message for every
    refusal (unknown user, wrong password, no password, deactivated), so the answer
    does not tell which usernames exist."""
    user = session.scalar(
        select(User).where(User.username == username).options(selectinload(User.roles))
    )
    stored = user.password_hash if user is not None and user.password_hash else _nobody()
    matches = credentials.verify_password(stored, password)
    if user is None or not user.password_hash or not matches or not user.is_active:
        raise AuthenticationError("unknown username or wrong password")
    return user


@dataclass(frozen=True)
class Issued:
    """A token row and its secret, which exists only in this object."""

    token: ApiToken
    secret: str


def issue_token(
    session: Session,
    user: User,
    *,
    ttl: dt.timedelta,
    name: str = "",
    created_by: User | None = None,
) -> Issued:
    """Issue a bearer token for ``user`` that expires after ``ttl``."""
    if not user.is_active:
        raise ConflictError(f"user {user.username!r} is deactivated")
    secret = credentials.new_token()
    now = utcnow()
    token = ApiToken(
        user_id=user.id,
        token_hash=credentials.token_hash(secret),
        prefix=credentials.token_display_prefix(secret),
        name=name,
        created_at=now,
        expires_at=now + ttl,
        created_by_id=created_by.id if created_by else None,  # None: an operator's CLI
    )
    session.add(token)
    session.flush()
    token.user = user
    return Issued(token, secret)


def list_tokens(session: Session, user: User) -> list[ApiToken]:
    """The user's tokens, newest first (metadata only: secrets are not stored)."""
    query = (
        select(ApiToken)
        .where(ApiToken.user_id == user.id)
        .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
    )
    return list(session.scalars(query))


def get_token(session: Session, token_id: int) -> ApiToken:
    """The token with ``token_id``, or 404."""
    token = session.get(ApiToken, token_id)
    if token is None:
        raise NotFoundError(f"no token {token_id}")
    return token


def revoke_token(session: Session, token: ApiToken) -> ApiToken:
    """Revoke ``token`` now; revoking twice keeps the first revocation time."""
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        session.flush()
    return token


def authenticate(session: Session, secret: str, *, now: dt.datetime | None = None) -> Principal:
    """The principal a bearer token stands for, or 401 saying why it is refused."""
    token = session.scalar(
        select(ApiToken).where(ApiToken.token_hash == credentials.token_hash(secret))
    )
    if token is None:
        raise AuthenticationError("unknown bearer token")
    moment = now or utcnow()
    if token.revoked_at is not None:
        raise AuthenticationError("bearer token revoked")
    if token.expires_at <= moment:
        raise AuthenticationError("bearer token expired")
    user = session.scalar(
        select(User).where(User.id == token.user_id).options(selectinload(User.roles))
    )
    if user is None or not user.is_active:
        raise AuthenticationError("the token's user is deactivated")
    # Record use at most once a minute, so reads do not each become a write.
    if token.last_used_at is None or moment - token.last_used_at > LAST_USED_RESOLUTION:
        token.last_used_at = moment
        session.flush()
    return Principal.of(user.id, user.username, user.agency_code, user.role_codes, token.id)
