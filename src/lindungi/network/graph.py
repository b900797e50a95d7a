"""Building the entity graph and finding clusters in it. Pure: rows in, findings out."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import networkx as nx


@dataclass(frozen=True)
class RecruiterNode:
    """A recruiter as the graph knows it."""

    id: int
    name: str
    status: str


@dataclass(frozen=True)
class Link:
    """A recruiter linked to an identifier (``kind``, ``value``) or to a case (kind ``case``)."""

    recruiter_id: int
    kind: str
    value: str
    display: str


@dataclass(frozen=True)
class Cluster:
    """Recruiters joined by shared identifiers, and the cases that touch them."""

    recruiter_ids: tuple[int, ...]
    names: tuple[str, ...]
    cases: tuple[str, ...]
    shared: tuple[str, ...]
    path: tuple[str, ...]
    explanation: str


def recruiter_key(recruiter_id: int) -> str:
    """The node key of a recruiter."""
    return f"recruiter:{recruiter_id}"


def build(recruiters: Iterable[RecruiterNode], links: Iterable[Link]) -> nx.Graph:
    """An undirected graph: recruiters, identifiers and cases as nodes, links as edges."""
    graph = nx.Graph()
    for r in recruiters:
        graph.add_node(recruiter_key(r.id), type="recruiter", label=r.name, status=r.status)
    for link in links:
        node = f"{link.kind}:{link.value}"
        graph.add_node(node, type=link.kind, label=link.display)
        graph.add_edge(recruiter_key(link.recruiter_id), node)
    return graph


def clusters(graph: nx.Graph, *, min_cases: int = 3, min_recruiters: int = 2) -> list[Cluster]:
    """Groups of recruiters sharing identifiers that together touch many cases.

    Cases do not join recruiters (two companies can recruit the same victim); only
    shared phones, addresses, directors, accounts and employers do.
    """
    # Cases and employers abroad do not join recruiters: two lawful agencies can serve
    # the same employer or recruit the same victim; phones, addresses, directors and
    # accounts are what fronts share.
    structure = graph.subgraph(
        n for n, data in graph.nodes(data=True) if data.get("type") not in ("case", "employer")
    )
    found = []
    for component in nx.connected_components(structure):
        members = sorted(n for n in component if graph.nodes[n].get("type") == "recruiter")
        if len(members) < min_recruiters:
            continue
        cases = sorted(
            {c for m in members for c in graph.neighbors(m) if graph.nodes[c].get("type") == "case"}
        )
        if len(cases) < min_cases:
            continue
        shared = sorted(
            n
            for n in component
            if graph.nodes[n].get("type") != "recruiter" and structure.degree(n) > 1
        )
        path = tuple(nx.shortest_path(structure, members[0], members[-1]))
        names = tuple(str(graph.nodes[m]["label"]) for m in members)
        labels = [str(graph.nodes[s]["label"]) for s in shared]
        found.append(
            Cluster(
                recruiter_ids=tuple(int(m.split(":", 1)[1]) for m in members),
                names=names,
                cases=tuple(c.split(":", 1)[1] for c in cases),
                shared=tuple(shared),
                path=path,
                explanation=(
                    f"{len(members)} recruiters ({', '.join(names)}) share "
                    f"{', '.join(labels)} and are linked to {len(cases)} cases"
                ),
            )
        )
    found.sort(key=lambda c: (-len(c.cases), c.recruiter_ids))
    return found


def to_json(graph: nx.Graph) -> dict[str, object]:
    """Node-link JSON for analysts' tools."""
    data: dict[str, object] = nx.node_link_data(graph, edges="links")
    return data
