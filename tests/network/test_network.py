"""Clusters of recruiters behind shared identifiers, and the graph export."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import networkx as nx
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from lindungi.auth import service as auth
from lindungi.cli import app
from lindungi.network.service import find_clusters
from lindungi.recruiters.models import Complaint, Recruiter


def add_cases(session: Session, registry: dict[str, Recruiter]) -> None:
    for who, refs in (
        ("old", ["CASE-1", "CASE-2"]),
        ("front", ["CASE-3"]),
        ("agent", ["CASE-4"]),
        ("good", ["CASE-5"]),
    ):
        for ref in refs:
            session.add(
                Complaint(
                    recruiter_id=registry[who].id,
                    channel="hotline",
                    summary="fees demanded",
                    case_ref=ref,
                )
            )
    session.flush()


def test_a_syndicate_cluster_is_found_and_explained(
    session: Session, registry: dict[str, Recruiter]
) -> None:
    add_cases(session, registry)
    found = find_clusters(session, min_cases=3)
    assert len(found) == 1
    cluster = found[0]
    assert set(cluster.names) == {"PT Cahaya Timur", "PT Cahaya Timur Baru", "Pak Budi"}
    assert cluster.cases == ("CASE-1", "CASE-2", "CASE-3", "CASE-4")
    assert cluster.shared == ("director:hendra wijaya", "phone:+6281322223333")
    assert cluster.path[0].startswith("recruiter:")
    assert cluster.path[-1].startswith("recruiter:")
    assert cluster.explanation.endswith("and are linked to 4 cases")
    assert "PT Maju Jaya Abadi" not in cluster.explanation  # a lone company is no cluster
    assert find_clusters(session, min_cases=5) == []


def test_analysts_get_the_graph_officers_do_not(
    client: TestClient, session: Session, registry: dict[str, Recruiter]
) -> None:
    add_cases(session, registry)
    tokens = {}
    for username, agency, role in (
        ("bp2mi.ana", "bp2mi", "analyst"),
        ("imigrasi.ofi", "imigrasi", "officer"),
    ):
        user = auth.add_user(session, username, agency=agency, roles=[role])
        tokens[role] = {
            "Authorization": f"Bearer {auth.issue_token(session, user, ttl=dt.timedelta(days=1)).secret}"
        }
    session.commit()
    assert client.get("/api/v1/network/graph", headers=tokens["officer"]).status_code == 403
    graph = client.get("/api/v1/network/graph", headers=tokens["analyst"]).json()
    types = sorted({n["type"] for n in graph["nodes"]})
    assert types == ["case", "director", "phone", "recruiter"]
    clusters = client.get("/api/v1/network/clusters", headers=tokens["analyst"]).json()
    assert [len(c["cases"]) for c in clusters] == [4]


def test_graphml_export_is_written_for_analysts_tools(tmp_path: Path) -> None:
    runner = CliRunner()
    db = f"sqlite:///{tmp_path / 'n.db'}"
    runner.invoke(app, ["init", "--db", db])
    (tmp_path / "r.csv").write_text(
        "licence_no,name,status,valid_until,bond_idr,phone,address\n"
        "KEP.1/PPTKLN/2020,PT Satu,revoked,2027-01-01,,0811-1111-1111,Jl. A 1\n"
        "KEP.2/PPTKLN/2021,PT Dua,active,2028-01-01,,0811-1111-1111,Jl. A 1\n"
    )
    runner.invoke(app, ["recruiters", "import", str(tmp_path / "r.csv"), "--db", db])
    result = runner.invoke(
        app, ["network", "export", "--out", str(tmp_path / "g.graphml"), "--db", db]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == f"wrote {tmp_path / 'g.graphml'}: 4 nodes, 4 edges\n"
    read = nx.read_graphml(tmp_path / "g.graphml")
    assert sorted(d["label"] for _, d in read.nodes(data=True) if d["type"] == "recruiter") == [
        "PT Dua",
        "PT Satu",
    ]
    assert {d["status"] for _, d in read.nodes(data=True) if d["type"] == "recruiter"} == {
        "active",
        "revoked",
    }
    as_json = runner.invoke(
        app,
        ["network", "export", "--format", "json", "--out", str(tmp_path / "g.json"), "--db", db],
    )
    assert as_json.exit_code == 0
    assert len(json.loads((tmp_path / "g.json").read_text())["links"]) == 4
