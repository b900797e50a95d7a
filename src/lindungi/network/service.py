"""Loading the entity graph from the registry and the cases that name recruiters."""

from __future__ import annotations

import datetime as dt

import networkx as nx
from sqlalchemy import select
from sqlalchemy.orm import Session

from lindungi.network.graph import Cluster, Link, RecruiterNode, build, clusters
from lindungi.recruiters.models import (
    Bond,
    BondClaim,
    Complaint,
    Licence,
    Recruiter,
    RecruiterIdentifier,
)


def load_graph(session: Session, today: dt.date | None = None) -> nx.Graph:
    """The whole graph: every recruiter, identifier, and case reference."""
    day = today or dt.date.today()
    latest: dict[int, Licence] = {}
    for licence in session.scalars(select(Licence).order_by(Licence.id)):
        latest[licence.recruiter_id] = licence
    recruiters = []
    for rid, name in session.execute(select(Recruiter.id, Recruiter.name)):
        current = latest.get(rid)
        if current is None:
            status = "unlicensed"
        elif current.status == "active" and current.valid_until and current.valid_until < day:
            status = "expired"
        else:
            status = current.status
        recruiters.append(RecruiterNode(rid, name, status))
    links = [
        Link(rid, kind, value, display)
        for rid, kind, value, display in session.execute(
            select(
                RecruiterIdentifier.recruiter_id,
                RecruiterIdentifier.kind,
                RecruiterIdentifier.value,
                RecruiterIdentifier.display,
            )
        )
    ]
    claims = session.execute(
        select(Bond.recruiter_id, BondClaim.case_ref).join(BondClaim, BondClaim.bond_id == Bond.id)
    ).all()
    complaints = session.execute(
        select(Complaint.recruiter_id, Complaint.case_ref).where(Complaint.case_ref.is_not(None))
    ).all()
    links += [Link(rid, "case", str(ref), str(ref)) for rid, ref in [*claims, *complaints]]
    return build(recruiters, links)


def find_clusters(session: Session, *, min_cases: int = 3) -> list[Cluster]:
    """Syndicate candidates: recruiters joined by identifiers and linked to many cases."""
    return clusters(load_graph(session), min_cases=min_cases)
