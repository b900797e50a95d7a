"""Users and tokens on both databases."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from lindungi.auth import credentials, service
from lindungi.auth.models import ApiToken
from lindungi.db import utcnow
from lindungi.errors import AuthenticationError, ConflictError, NotFoundError

DAY = dt.timedelta(days=1)


def test_add_user_stores_agency_roles_and_an_argon2_password(session: Session) -> None:
    user = service.add_user(
        session, "bp2mi.siti", agency="bp2mi", roles=["case_worker"], password="correct horse"
    )
    assert user.agency_code == "bp2mi"
    assert user.role_codes == ("case_worker",)
    assert user.password_hash is not None
    assert user.password_hash.startswith("$argon2id$")
    assert credentials.verify_password(user.password_hash, "correct horse")
    assert not credentials.verify_password(user.password_hash, "wrong horse")


def test_duplicate_username_is_a_conflict(session: Session) -> None:
    service.add_user(session, "kemlu.budi", agency="kemlu", roles=["consular"])
    with pytest.raises(ConflictError) as err:
        service.add_user(session, "kemlu.budi", agency="kemlu", roles=["consular"])
    assert str(err.value) == "user 'kemlu.budi' already exists"


def test_unknown_agency_names_the_agencies(session: Session) -> None:
    with pytest.raises(NotFoundError) as err:
        service.add_user(session, "x.y", agency="bnp2tki", roles=["admin"])
    assert (
        str(err.value)
        == "unknown agency 'bnp2tki'; agencies: bp2mi, imigrasi, kemlu, kemnaker, polri"
    )


def test_token_is_stored_only_as_its_hash_and_authenticates(session: Session) -> None:
    user = service.add_user(session, "polri.andi", agency="polri", roles=["investigator"])
    issued = service.issue_token(session, user, ttl=DAY)
    stored = session.scalars(select(ApiToken)).all()
    assert [t.token_hash for t in stored] == [credentials.token_hash(issued.secret)]
    assert all(issued.secret not in (t.token_hash, t.prefix, t.name) for t in stored)
    assert issued.secret.startswith("lgi_")
    assert len(issued.secret) > 40

    principal = service.authenticate(session, issued.secret)
    assert (principal.username, principal.agency, principal.roles) == (
        "polri.andi",
        "polri",
        ("investigator",),
    )
    assert issued.token.last_used_at is not None


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("revoke", "bearer token revoked"),
        ("expire", "bearer token expired"),
        ("deactivate", "the token's user is deactivated"),
        ("unknown", "unknown bearer token"),
    ],
)
def test_refused_tokens_say_why(session: Session, change: str, message: str) -> None:
    user = service.add_user(session, "imigrasi.rina", agency="imigrasi", roles=["officer"])
    issued = service.issue_token(session, user, ttl=DAY)
    secret, now = issued.secret, utcnow()
    if change == "revoke":
        service.revoke_token(session, issued.token)
    elif change == "expire":
        now = issued.token.expires_at
    elif change == "deactivate":
        user.is_active = False
        session.flush()
    else:
        secret = credentials.new_token()
    with pytest.raises(AuthenticationError) as err:
        service.authenticate(session, secret, now=now)
    assert str(err.value) == message


def test_revoking_twice_keeps_the_first_time(session: Session) -> None:
    user = service.add_user(session, "kemnaker.dewi", agency="kemnaker", roles=["licensing"])
    token = service.issue_token(session, user, ttl=DAY).token
    first = service.revoke_token(session, token).revoked_at
    assert service.revoke_token(session, token).revoked_at == first


def test_timestamps_come_back_timezone_aware_utc(session: Session) -> None:
    user = service.add_user(session, "bp2mi.tz", agency="bp2mi", roles=["analyst"])
    token = service.issue_token(session, user, ttl=DAY).token
    session.expire_all()
    reread = session.get(ApiToken, token.id)
    assert reread is not None
    assert reread.expires_at.tzinfo is not None
    assert reread.expires_at.utcoffset() == dt.timedelta(0)
    assert reread.expires_at - reread.created_at == DAY


def test_random_secrets_are_hashed_cheaply_and_passwords_are_not() -> None:
    """A report's status secret (random, ~59 bits) gets a low-cost Argon2id; a person's
    password keeps the library's full parameters. Both verify the same way."""
    secret = credentials.hash_random_secret("K7QM-2XDA-PQRS")
    assert secret.startswith("$argon2id$v=19$m=8192,t=1,p=1$")
    assert credentials.verify_password(secret, "K7QM-2XDA-PQRS")
    assert not credentials.verify_password(secret, "K7QM-2XDA-PQRT")
    password = credentials.hash_password("correct horse")
    assert "$m=65536,t=3,p=4$" in password
