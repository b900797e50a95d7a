"""``lindungi link`` (contract 4) and ``lindungi identity``: the person index."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Annotated

import typer

from lindungi.audit import service as audit
from lindungi.audit.entry import Action
from lindungi.audit.service import Actor
from lindungi.clitools import (
    DbOption,
    Progress,
    fail,
    friendly_errors,
    settings_for,
    unit_of_work,
    write_atomically,
)
from lindungi.identity import service
from lindungi.identity.clustering import DEFAULT_THRESHOLD
from lindungi.identity.features import Facts, facts_of
from lindungi.identity.ingest import IngestError, SourceFileError, parse_mapping, read_source


def _source(spec: str) -> tuple[str, Path]:
    name, sep, file = spec.partition("=")
    if not sep or not name.strip() or not file.strip():
        raise fail(f"--source {spec!r}: expected NAME=FILE.csv")
    return name.strip(), Path(file.strip())


@friendly_errors
def link_command(
    source: Annotated[
        list[str],
        typer.Option(
            "--source", metavar="NAME=FILE.csv", help="A source and its file (repeatable)."
        ),
    ],
    out: Annotated[Path, typer.Option(help="Where to write source,record_id,cluster_id.")],
    threshold: Annotated[
        float,
        typer.Option(min=0.0, max=1.0, help="Match probability at which records are joined."),
    ] = DEFAULT_THRESHOLD,
    engine: Annotated[
        str, typer.Option(help="duckdb (in this process) or spark (a Spark cluster).")
    ] = "duckdb",
    spark_master: Annotated[
        str, typer.Option(help="With --engine spark: local[N], spark://HOST:PORT, yarn, …")
    ] = "local[*]",
) -> None:
    """Link person records across sources (or deduplicate one) into people (contract 4).

    Rows that cannot be read are reported on stderr as FILE:LINE: COLUMN: problem and
    left out; every other record is linked and written, and the exit status is 1.
    """
    if engine not in ("duckdb", "spark"):
        raise fail(f"--engine {engine!r}: expected duckdb or spark")

    sources = [_source(spec) for spec in source]
    names = [name for name, _ in sources]
    if len(set(names)) != len(names):
        raise fail("each --source NAME may be given once")
    records: list[tuple[tuple[str, str], Facts]] = []
    errors: list[IngestError] = []
    for name, file in sources:
        try:
            result = read_source(file, source=name)
        except SourceFileError as problem:
            raise fail(str(problem)) from None
        records += [((name, r.record_id), facts_of(r)) for r in result.records]
        errors += result.errors
    for error in errors:
        typer.echo(str(error), err=True)
    from lindungi.identity.linkage import link  # Splink loads only when linking

    if engine == "spark":
        from lindungi.identity.engine import EngineUnavailable, spark_session

        try:
            spark, made = spark_session(spark_master)
        except (ValueError, EngineUnavailable) as refused:
            raise fail(f"--engine spark: {refused}") from None
        try:
            linked = link(records, threshold=threshold, engine_name="spark", spark=spark)
        finally:
            if made:
                spark.stop()
    else:
        linked = link(records, threshold=threshold)
    ids = linked.cluster_ids()

    def write(path: Path) -> None:
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(("source", "record_id", "cluster_id"))
            for (name, record_id), _ in records:
                writer.writerow((name, record_id, ids[(name, record_id)]))

    write_atomically(out, write)
    people = len(set(ids.values()))
    typer.echo(
        f"{len(records)} records linked into {people} people"
        + (f"; {len(errors)} rows refused" if errors else ""),
        err=True,
    )
    if errors:
        raise typer.Exit(1)


identity_app = typer.Typer(help="The person index: ingest agency extracts, link, judge.")


@identity_app.command()
@friendly_errors
def ingest(
    file: Annotated[Path, typer.Argument(help="The extract: .csv or .parquet.")],
    source: Annotated[str, typer.Option(help="The source's name, e.g. imigrasi.")],
    column: Annotated[
        list[str] | None,
        typer.Option(
            "--map", metavar="FILE_COLUMN=FIELD", help="Map a column of the file to a field."
        ),
    ] = None,
    encoding: Annotated[str, typer.Option(help="The file's text encoding.")] = "utf-8",
    db: DbOption = None,
) -> None:
    """Store an agency extract in the index (upsert by record id); link it with ``relink``.

    Rows that cannot be read are reported as FILE:LINE: COLUMN: problem; the others are
    stored, and the exit status is 1 when any row was refused.
    """
    try:
        mapping = parse_mapping(column or [])
    except ValueError as problem:
        raise fail(str(problem)) from None
    bar = Progress(f"reading {file.name}")
    try:
        result = read_source(file, source=source, mapping=mapping, encoding=encoding,
                             progress=bar.update)  # fmt: skip
    except SourceFileError as problem:
        raise fail(str(problem)) from None
    finally:
        bar.close()
    with unit_of_work(settings_for(db)) as session:
        report = service.store_records(session, source, result.records)
        audit.record(
            session, Actor.cli(), Action.CREATE, "person_records", f"import:{source}",
            fields=["identity"], purpose=f"ingest {file.name}",
        )  # fmt: skip
    for error in result.errors:
        typer.echo(str(error), err=True)
    typer.echo(
        f"{report.created} new, {report.updated} updated, {report.unchanged} unchanged, "
        f"{len(result.errors)} refused"
    )
    if result.errors:
        raise typer.Exit(1)


@identity_app.command()
@friendly_errors
def relink(
    threshold: Annotated[
        float | None, typer.Option(min=0.0, max=1.0, help="Match probability to join at.")
    ] = None,
    train: Annotated[
        bool | None, typer.Option("--train/--no-train", help="Train the model afresh.")
    ] = None,
    db: DbOption = None,
) -> None:
    """Link every stored record into people afresh (judgements respected, ids kept)."""
    with unit_of_work(settings_for(db)) as session:
        report = service.relink(session, threshold=threshold, train=train)
        audit.record(
            session, Actor.cli(), Action.UPDATE, "persons", "relink",
            fields=["links"], purpose="re-link the person index",
        )  # fmt: skip
    typer.echo(
        f"{report.records} records, {report.persons} people"
        f"{', model trained' if report.trained else ''}; "
        f"{report.refused_links} links refused by the rules or judgements"
    )


def _ref(text: str) -> tuple[str, str]:
    source, sep, record_id = text.partition(":")
    if not sep or not source or not record_id:
        raise fail(f"{text!r}: expected SOURCE:RECORD_ID")
    return source, record_id


@identity_app.command()
@friendly_errors
def judge(
    first: Annotated[str, typer.Argument(metavar="SOURCE:RECORD_ID")],
    second: Annotated[str, typer.Argument(metavar="SOURCE:RECORD_ID")],
    verdict: Annotated[str, typer.Argument(metavar="same|different")],
    reason: Annotated[str, typer.Option(help="Why (shown to every officer after you).")],
    db: DbOption = None,
) -> None:
    """Judge two records the same person or not; applied to the index at once."""
    with unit_of_work(settings_for(db)) as session:
        a = service.record_ref(session, *_ref(first))
        b = service.record_ref(session, *_ref(second))
        actor = Actor.cli()
        made = service.judge(session, a.id, b.id, verdict, reason, actor.name, actor.agency)
        audit.record(
            session, actor, Action.CREATE, "identity_judgements", str(made.id),
            fields=["verdict", "reason"], purpose=reason,
        )  # fmt: skip
        where = (service.person_of(session, a.id), service.person_of(session, b.id))
    typer.echo(f"judgement {made.id}: {verdict}; persons now {where[0]} and {where[1]}")


@identity_app.command()
@friendly_errors
def show(
    person_id: Annotated[int, typer.Argument()],
    db: DbOption = None,
) -> None:
    """A person's records with provenance, each link explained, and the signals."""
    from lindungi.identity.signals import document_signals

    with unit_of_work(settings_for(db)) as session:
        rows = service.person_records(session, person_id)
        found = document_signals(session, person_id)
        audit.record(
            session, Actor.cli(), Action.READ, "persons", str(person_id),
            fields=["records", "links", "signals"],
        )  # fmt: skip
    typer.echo(f"person {person_id}: {len(rows)} records")
    for record, member in rows:
        born = record.birth_date.isoformat() if record.birth_date else "?"
        typer.echo(
            f"- {record.source}:{record.source_record_id} {record.full_name!r} born {born} "
            f"NIK {record.nik or '-'} passport {record.passport_no or '-'} "
            f"(first seen {record.first_seen:%Y-%m-%d}, last seen {record.last_seen:%Y-%m-%d})"
        )
        if member.method == "model" and member.probability is not None:
            reasons = ", ".join(f"{e['level']} ({e['weight']:+.1f})" for e in member.evidence[:5])
            typer.echo(f"    linked to record {member.via_record_id} "
                       f"at {member.probability:.3f}: {reasons}")  # fmt: skip
        elif member.method == "judgement":
            typer.echo(f"    joined to record {member.via_record_id} by an officer's judgement")
    for signal in found:
        typer.echo(f"! {signal.code}: {signal.message_en}")
