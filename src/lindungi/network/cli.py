"""``lindungi network``: syndicate clusters, and the graph exported for analysts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Literal

import networkx as nx
import typer

from lindungi.audit import service as audit
from lindungi.audit.entry import Action
from lindungi.audit.service import Actor
from lindungi.clitools import (
    DbOption,
    friendly_errors,
    settings_for,
    unit_of_work,
    write_atomically,
)
from lindungi.network.graph import to_json
from lindungi.network.service import find_clusters, load_graph

network_app = typer.Typer(help="The graph of recruiters, identifiers and cases.")


@network_app.command()
@friendly_errors
def clusters(
    min_cases: Annotated[int, typer.Option(min=1, help="Cases a cluster must touch.")] = 3,
    db: DbOption = None,
) -> None:
    """Recruiters joined by shared identifiers and linked to many cases, explained."""
    with unit_of_work(settings_for(db)) as session:
        found = find_clusters(session, min_cases=min_cases)
        audit.record(
            session, Actor.cli(), Action.READ, "network", f"clusters:min_cases={min_cases}",
            fields=["recruiters", "identifiers", "cases"],
        )  # fmt: skip
    for cluster in found:
        typer.echo(cluster.explanation)
        typer.echo("  path: " + " — ".join(cluster.path))
    if not found:
        typer.echo("no cluster touches that many cases")


@network_app.command()
@friendly_errors
def export(
    out: Annotated[Path, typer.Option(help="Where to write the graph.")],
    fmt: Annotated[
        Literal["graphml", "json"], typer.Option("--format", help="graphml or json.")
    ] = "graphml",
    db: DbOption = None,
) -> None:
    """Write the whole graph for analysts' tools (written atomically; audited as an export)."""
    with unit_of_work(settings_for(db)) as session:
        graph = load_graph(session)
        # Written before the export is recorded, in the same unit of work: a failed
        # write records nothing.
        if fmt == "graphml":
            write_atomically(out, lambda path: nx.write_graphml(graph, path))
        else:
            text = json.dumps(to_json(graph), ensure_ascii=False)
            write_atomically(out, lambda path: path.write_text(text, encoding="utf-8"))
        audit.record(
            session, Actor.cli(), Action.EXPORT, "network", out.name,
            fields=["recruiters", "identifiers", "cases"],
        )  # fmt: skip
    typer.echo(f"wrote {out}: {graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges")
