"""HTTP routes for analysts and investigators: clusters and the graph."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Query
from pydantic import BaseModel

from lindungi.api.deps import AuditDep, Requires, Router, SessionDep
from lindungi.audit.entry import Action
from lindungi.auth.permissions import Principal
from lindungi.network.graph import to_json
from lindungi.network.service import find_clusters, load_graph

router = Router(prefix="/network", tags=["network"])


class ClusterOut(BaseModel):
    """A syndicate candidate with the path that explains it."""

    recruiter_ids: list[int]
    names: list[str]
    cases: list[str]
    shared: list[str]
    path: list[str]
    explanation: str


@router.get("/clusters", response_model=list[ClusterOut], summary="Syndicate candidates")
def clusters(
    session: SessionDep,
    auditor: AuditDep,
    _: Annotated[Principal, Depends(Requires("network", "read"))],
    min_cases: Annotated[int, Query(ge=1, le=10_000)] = 3,
) -> list[ClusterOut]:
    found = find_clusters(session, min_cases=min_cases)
    auditor.record(Action.READ, "network", f"clusters:min_cases={min_cases}", ("clusters",))
    return [
        ClusterOut(
            recruiter_ids=list(c.recruiter_ids),
            names=list(c.names),
            cases=list(c.cases),
            shared=list(c.shared),
            path=list(c.path),
            explanation=c.explanation,
        )
        for c in found
    ]


@router.get("/graph", summary="The whole graph as node-link JSON (audited as an export)")
def graph(
    session: SessionDep,
    auditor: AuditDep,
    _: Annotated[Principal, Depends(Requires("network", "export"))],
) -> dict[str, Any]:
    data = to_json(load_graph(session))
    auditor.record(Action.EXPORT, "network", "graph", ("recruiters", "identifiers", "cases"))
    return data
