"""The ``lindungi`` command as a user runs it (contract 7)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner, Result

from lindungi.api.app import create_app
from lindungi.cli import app
from lindungi.db import make_engine, session_factory
from lindungi.migrate import head_revision
from tests_support import POSTGRES_URL, fresh_postgres_database, make_settings

runner = CliRunner()


def run(*args: str, stdin: str | None = None) -> Result:
    return runner.invoke(app, list(args), input=stdin)


@pytest.fixture
def db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    assert run("init", "--db", url).exit_code == 0
    return url


def test_init_twice_reports_nothing_changed(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'hub.db'}"
    first = run("init", "--db", url)
    assert first.exit_code == 0
    assert first.stdout == f"{url}: upgraded from empty to {head_revision()}\n"
    second = run("init", "--db", url)
    assert second.exit_code == 0
    assert second.stdout == f"{url}: up to date at {head_revision()}; nothing changed\n"


@pytest.mark.postgres
def test_init_twice_on_postgresql() -> None:
    url = fresh_postgres_database(POSTGRES_URL.replace("lindungi_test", "lindungi_test_cli"))
    assert "upgraded from empty" in run("init", "--db", url).stdout
    assert "nothing changed" in run("init", "--db", url).stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--agency", "bnp2tki", "--role", "admin"],
            "error: unknown agency 'bnp2tki'; agencies: bp2mi, imigrasi, kemlu, kemnaker, polri\n",
        ),
        (
            ["--agency", "bp2mi", "--role", "root"],
            "error: unknown role 'root'; known roles: admin, agency_system, analyst, auditor, "
            "case_supervisor, case_worker, consular, gateway, investigator, licensing, officer\n",
        ),
    ],
)
def test_users_add_refuses_unknown_agency_and_role(db: str, args: list[str], message: str) -> None:
    result = run("users", "add", "someone", *args, "--db", db)
    assert result.exit_code == 1
    assert result.stderr == message
    assert result.stdout == ""


def test_duplicate_user_is_refused_and_the_first_is_kept(db: str) -> None:
    assert (
        run(
            "users", "add", "bp2mi.sri", "--agency", "bp2mi", "--role", "case_worker", "--db", db
        ).exit_code
        == 0
    )
    again = run("users", "add", "bp2mi.sri", "--agency", "bp2mi", "--role", "admin", "--db", db)
    assert again.exit_code == 1
    assert again.stderr == "error: user 'bp2mi.sri' already exists\n"
    assert run("users", "list", "--db", db).stdout == "bp2mi.sri\tbp2mi\tcase_worker\n"


def test_bad_and_unreachable_databases_are_one_line_errors(tmp_path: Path) -> None:
    bad = run("users", "list", "--db", "nonsense")
    assert bad.exit_code == 1
    assert bad.stderr.startswith("error: bad database URL 'nonsense'")
    down = run("init", "--db", "postgresql://hub:pw@127.0.0.1:1/hub")
    assert down.exit_code == 1
    assert down.stderr.startswith(
        "error: cannot connect to postgresql+psycopg://hub:***@127.0.0.1:1/hub"
    )
    assert "pw@" not in down.stderr
    empty = run("users", "list", "--db", f"sqlite:///{tmp_path / 'empty.db'}")
    assert empty.exit_code == 1
    assert empty.stderr == (
        f"error: there is no database at {tmp_path / 'empty.db'}; "
        "run `lindungi init` first (or check --db)\n"
    )
    assert not (tmp_path / "empty.db").exists()  # a mistyped path creates nothing


def test_issued_token_authenticates_against_the_api(db: str, tmp_path: Path) -> None:
    run("users", "add", "kemlu.nur", "--agency", "kemlu", "--role", "consular", "--db", db)
    issued = run("tokens", "issue", "kemlu.nur", "--expires-days", "3", "--db", db)
    assert issued.exit_code == 0
    token = issued.stdout.strip()
    assert token.startswith("lgi_")
    assert "\n" not in token
    engine = make_engine(db)
    api = create_app(make_settings(tmp_path, database_url=db), sessions=session_factory(engine))
    with TestClient(api) as client:
        me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200
    assert me.json()["username"] == "kemlu.nur"

    listed = run("tokens", "list", "kemlu.nur", "--db", db).stdout.split("\t")
    assert listed[2] == "active"
    assert run("tokens", "revoke", listed[0], "--db", db).exit_code == 0
    assert run("tokens", "list", "kemlu.nur", "--db", db).stdout.split("\t")[2] == "revoked"
    with TestClient(api) as client:
        after = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert after.status_code == 401
    engine.dispose()


def test_password_is_read_from_stdin_and_stored_hashed(db: str) -> None:
    result = run(
        "users", "add", "polri.eko", "--agency", "polri", "--role", "investigator",
        "--password-stdin", "--db", db, stdin="kata sandi rahasia\n",
    )  # fmt: skip
    assert result.exit_code == 0
    engine = make_engine(db)
    with engine.connect() as conn:
        stored = conn.exec_driver_sql("SELECT password_hash FROM users").scalar_one()
    engine.dispose()
    assert stored.startswith("$argon2id$")
    assert "rahasia" not in stored


def test_token_for_unknown_user_fails(db: str) -> None:
    result = run("tokens", "issue", "nobody", "--db", db)
    assert result.exit_code == 1
    assert result.stderr == "error: no user 'nobody'\n"


@pytest.mark.parametrize("name", ["Bad Name!", "ab", "x" * 65, "_lead"])
def test_users_add_refuses_usernames_the_api_refuses(db: str, name: str) -> None:
    result = run("users", "add", name, "--agency", "bp2mi", "--role", "admin", "--db", db)
    assert result.exit_code == 1
    assert result.stderr.startswith("error: username must be 3 to 64 characters: lowercase")
    assert run("users", "list", "--db", db).stdout == ""


def test_deactivated_users_are_listed_as_such_and_can_return(db: str) -> None:
    run("users", "add", "kemnaker.rudi", "--agency", "kemnaker", "--role", "licensing", "--db", db)
    assert run("users", "deactivate", "kemnaker.rudi", "--db", db).stdout == (
        "deactivated kemnaker.rudi\n"
    )
    assert run("users", "list", "--db", db).stdout == (
        "kemnaker.rudi\tkemnaker\tlicensing (deactivated)\n"
    )
    issued = run("tokens", "issue", "kemnaker.rudi", "--db", db)
    assert (issued.exit_code, issued.stderr) == (
        1,
        "error: user 'kemnaker.rudi' is deactivated\n",
    )
    assert run("users", "activate", "kemnaker.rudi", "--db", db).exit_code == 0
    assert run("tokens", "issue", "kemnaker.rudi", "--db", db).exit_code == 0
