"""The authorisation matrix (``authz_matrix.csv``) driven against the real app on both
databases: every principal kind × every operation × the ownerships that matter answers
the status the row expects and shows or hides the fields it names. Every mismatch is
reported at once, as a table. A route the matrix does not name, or a row naming a route
that is gone, fails the suite."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

sys.path.insert(0, str(Path(__file__).parent))

from authz_requests import BUILDERS, FRESH, Req, Target
from authz_world import World, build
from make_authz_matrix import MATRIX, app_routes, principals

from lindungi.screening import service as screening
from lindungi.settings import Settings
from tests_support import make_settings

Row = dict[str, str]


def matrix() -> list[Row]:
    """The rows of the matrix file."""
    with MATRIX.open(newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """The public routes are called once per principal kind: no rate limit in the way."""
    return make_settings(tmp_path, public_rate_limit="100000/minute")


def test_every_route_of_the_app_is_in_the_matrix_and_every_row_names_one(
    client: TestClient,
) -> None:
    served = set(app_routes(client.app))
    documented = {f"{m.upper()} {p}" for p, ms in client.get("/openapi.json").json()["paths"].items()
                  for m in ms}  # fmt: skip
    named = {row["operation"] for row in matrix()}
    assert sorted((served | documented) - named) == [], "routes missing from authz_matrix.csv"
    assert sorted(named - served - documented) == [], "rows naming routes that are gone"


def test_every_api_operation_has_a_row_for_every_principal_kind() -> None:
    kinds = {"anonymous" if a is None else f"{r}@{a}" for r, a in principals()}
    seen: dict[tuple[str, str], set[str]] = {}
    for row in matrix():
        if row["operation"].split(" ", 1)[1].startswith("/api/v1"):
            seen.setdefault((row["operation"], row["variant"]), set()).add(row["principal"])
    assert {op: sorted(kinds - got) for op, got in seen.items() if kinds - got} == {}
    assert {r["expect"] for r in matrix()} == {"allow", "deny"}


def _finish(world: World) -> None:
    """Records made over HTTP (a person, a checkpoint) and keys of the agency services."""
    client, headers = world.client, world.headers
    for rid in ("r-1", "r-2"):
        made = client.post("/api/v1/identity/records", headers=headers["officer@imigrasi"],
                           json={"source": "matrix", "record_id": rid, "full_name": "Rina"})  # fmt: skip
        world.shared["person"] = made.json()["person_id"]
    officer = world.seed_principal("imigrasi", "officer")
    _, referral = screening.decide(world.session, world.new_screening("imigrasi"), "refer",
                                   "visa turis", officer)  # fmt: skip
    assert referral is not None
    world.shared["keys"] = {"licence-standing": "KEP.101/PPTKLN/2020",
                            "referral-outcome": referral.id, "case-status": world.case["bp2mi"]}  # fmt: skip
    world.shared["claim"] = world.new_claim()
    world.shared["subject"] = _subject(world)
    world.session.commit()
    signed = client.post("/api/v1/audit/checkpoints", headers=headers["auditor@bp2mi"])
    assert signed.status_code == 201, signed.text


def _subject(world: World) -> str:
    from lindungi.monitoring.models import Enrolment

    row = world.session.get(Enrolment, world.new_enrolment("bp2mi"))
    assert row is not None
    return row.subject


def _spare_tokens(world: World) -> None:
    """A second token per caller: revoking 'its own token' must not cut the caller off."""
    from lindungi.auth import service as auth

    for username in world.users.values():
        user = auth.get_user(world.session, username)
        world.tokens[username] = auth.issue_token(world.session, user,
                                                  ttl=dt.timedelta(days=1)).token.id  # fmt: skip
    world.session.commit()


def _request(world: World, row: Row) -> Req:
    op = row["operation"]
    method, path = op.split(" ", 1)
    if op not in BUILDERS:  # outside the API: anonymous only, any record
        return Req(method, re.sub(r"\{[^}]+\}", "1", path))
    name = row["principal"]
    agency = None if name == "anonymous" else name.split("@")[1]
    fresh = row["expect"] == "allow" and op in FRESH
    target = Target(name, agency, row["object"], row["variant"], fresh)
    req = BUILDERS[op](world, target)
    if fresh:
        world.session.commit()
    return req


def _body(response: Any) -> Any:
    kind = response.headers.get("content-type", "")
    if not response.content:
        return None
    if kind.startswith("text/csv"):
        header = next(csv.reader(io.StringIO(response.text)), [])
        return [dict.fromkeys(header, "x")]
    if kind.startswith("application/json"):
        return response.json()
    return None


def _items(body: Any) -> Iterator[dict[str, Any]]:
    for item in body if isinstance(body, list) else [body]:
        if isinstance(item, dict):
            yield item


def _value(item: dict[str, Any], dotted: str) -> Any:
    for part in dotted.split("."):
        item = item.get(part) if isinstance(item, dict) else None  # type: ignore[assignment]
    return item


def _field_problems(row: Row, body: Any) -> list[str]:
    items = list(_items(body))
    problems = []
    for name in filter(None, row["absent"].split(";")):
        if any(_value(i, name) not in (None, "") for i in items):
            problems.append(f"leaked {name}")
    for name in filter(None, row["visible"].split(";")):
        if items and all(_value(i, name) in (None, "") for i in items):
            problems.append(f"missing {name}")
    return problems


def run(world: World, rows: list[Row]) -> list[tuple[str, ...]]:
    """Call every row; answer the mismatches (operation, variant, principal, object,
    expected, got, detail)."""
    found = []
    for row in rows:
        if row["operation"].startswith("MOUNT "):
            continue  # a mount has no route of its own to call; its presence is checked
        req = _request(world, row)
        headers = {**world.headers.get(row["principal"], {}), **req.headers}
        response = world.client.request(req.method, req.path, params=req.params, json=req.json,
                                        headers=headers, follow_redirects=False)  # fmt: skip
        expected = int(row["status"])
        problems = [] if response.status_code == expected else [response.text[:120]]
        if not problems and row["expect"] == "allow":
            problems = _field_problems(row, _body(response))
        if problems:
            found.append((row["operation"], row["variant"], row["principal"], row["object"],
                          f"{row['expect']} {expected}", str(response.status_code),
                          "; ".join(problems)))  # fmt: skip
    return found


def table(found: list[tuple[str, ...]]) -> str:
    """The mismatches as a Markdown table."""
    head = ("operation", "variant", "principal", "object", "expected", "got", "detail")
    lines = [" | ".join(head), " | ".join("---" for _ in head)]
    lines += [" | ".join(cells) for cells in found]
    return "\n".join(lines)


def test_the_matrix_holds_against_the_real_app(client: TestClient, session: Session) -> None:
    kinds = [(r, a) for r, a in principals() if a is not None]
    world = build(session, client, kinds)
    _spare_tokens(world)
    _finish(world)
    rows = matrix()
    found = run(world, rows)
    unexpected_allows = [f for f in found if f[4].startswith("deny") and f[5].startswith("2")]
    assert not found, (
        f"{len(found)} of {len(rows)} rows differ ({len(unexpected_allows)} unexpected "
        f"allows):\n{table(found)}"
    )
