"""Benchmark of the geofence engine (contract 5): pings per second on one core beside shapely 2's
STRtree and PostGIS ``ST_Covers`` with GiST indexes, in the same run, on the same data.

    python benchmarks/geofence.py [--pings 1000000] [--zones 10000] [--sample 100000]
                                  [--seed 2026] [--pg URL] [--postgis-pings N] [--no-postgis]
                                  [--no-cli]

Data (SYNTHETIC, seeded): zones over a Southeast-Asia-like extent (lon 95..141, lat -10..25),
clustered around "towns" so that some overlap: 70% star-shaped polygons of 32 vertices
(0.5-5 km), 15% of those with a hole; 10% MultiPolygons of two 16-vertex stars; 20% "plots",
rectangles of 32 vertices on a 2^-12 degree lattice, tiled in 2x2 blocks that share edges.
Pings: persons of 100 pings each on random walks, 60% starting inside a zone, in one stream
ordered by time (2% share their instant with the ping before); 1% are exactly on a zone's
vertex, 0.5% exactly on a plot's edge between vertices, 0.1% have an invalid coordinate.

Timed, each best of three on one core (numba compiles once, untimed, and caches):
``geofence.evaluate`` (ordering, lookups and events) and ``geofence.locate`` (membership
only); ``STRtree(zones).query(points, predicate="intersects")`` (points made beforehand);
PostGIS on the local server: ``ST_Covers(zone, ping)`` join with GiST indexes on both
tables, parallel workers off, all pairs copied out (--postgis-pings caps the pings). The
real ``lindungi geofence`` command on the same data written as files (wall time, parsing
included) unless --no-cli. Checked, not timed: the engine's membership of every ping equals
STRtree's, and its events on the pings of persons drawn until --sample pings equal a plain
reference built from shapely's answers; PostGIS's pairs are compared too. Report on stderr,
one JSON line on stdout. A smaller run: ``python benchmarks/geofence.py --pings 100000
--zones 1000``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import shapely

from lindungi.monitoring import geofence

EXTENT = (95.0, -10.0, 141.0, 25.0)
LATTICE = 2.0**-12  # plot corners and vertices are exact binary fractions
T0 = 1_780_000_000 * 10**9  # nanoseconds since 1970


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def star(rng: np.random.Generator, cx: float, cy: float, r: float, n: int) -> np.ndarray:
    """A star-shaped (so simple) ring of ``n`` vertices around (cx, cy)."""
    angles = np.sort(rng.uniform(0, 2 * np.pi, n))
    radii = r * rng.uniform(0.55, 1.0, n)
    return np.c_[cx + radii * np.cos(angles), cy + radii * np.sin(angles)]


def plot(x: float, y: float, w: float, h: float) -> shapely.Polygon:
    """A rectangle with 8 vertices a side, all exact binary fractions."""
    t = np.arange(8) / 8
    xs = np.r_[x + w * t, np.full(8, x + w), x + w - w * t, np.full(8, x)]
    ys = np.r_[np.full(8, y), y + h * t, np.full(8, y + h), y + h - h * t]
    return shapely.Polygon(np.c_[xs, ys])


def make_zones(count: int, rng: np.random.Generator) -> list[shapely.Geometry]:
    towns = np.c_[rng.uniform(EXTENT[0], EXTENT[2], max(20, count // 50)),
                  rng.uniform(EXTENT[1], EXTENT[3], max(20, count // 50))]  # fmt: skip
    zones: list[shapely.Geometry] = []
    while len(zones) < count:
        tx, ty = towns[rng.integers(len(towns))]
        cx, cy = tx + rng.normal(0, 0.3), ty + rng.normal(0, 0.3)
        r = float(np.exp(rng.uniform(np.log(0.005), np.log(0.05))))
        roll = rng.random()
        if roll < 0.2 and len(zones) + 4 <= count:  # four plots sharing edges
            side = LATTICE * 8 * int(rng.integers(2, 20))
            x, y = round(cx / LATTICE) * LATTICE, round(cy / LATTICE) * LATTICE
            zones += [plot(x + i * side, y + j * side, side, side) for i in (0, 1) for j in (0, 1)]
        elif roll < 0.3:
            pair = [star(rng, cx, cy, r, 16), star(rng, cx + 3 * r, cy, r, 16)]
            zones.append(shapely.MultiPolygon([shapely.Polygon(p) for p in pair]))
        else:
            holes = [star(rng, cx, cy, 0.35 * r, 12)] if rng.random() < 0.15 else []
            zones.append(shapely.Polygon(star(rng, cx, cy, r, 32), holes))
    return zones


def make_pings(
    count: int, zones: list[shapely.Geometry], rng: np.random.Generator
) -> dict[str, Any]:
    """Persons of 100 pings: 75% around a zone (a work place), the rest around a town-like
    spot; each wanders about home (AR(1), ~500 m) and 15% drift towards another zone."""
    people = max(1, count // 100)
    person = np.minimum(np.arange(count) // 100, people - 1)
    starts = np.arange(people) * 100
    step = np.minimum(np.arange(count) - starts[person], 99)
    anchors = shapely.get_coordinates(shapely.point_on_surface(np.array(zones)))
    home = anchors[rng.integers(0, len(zones), people)] + rng.normal(0, 0.003, (people, 2))
    away = rng.random(people) >= 0.75
    home[away] += rng.normal(0, 0.3, (away.sum(), 2))
    drift = np.where((rng.random(people) < 0.15)[:, None],
                     anchors[rng.integers(0, len(zones), people)] - home, 0.0)  # fmt: skip
    drift = np.where(np.abs(drift) < 0.5, drift, 0.0)  # towards a zone nearby
    noise = np.zeros((count, 2))
    shocks = rng.normal(0, 0.002, (count, 2))
    for k in range(100):  # AR(1) wandering, all persons at once
        at = np.flatnonzero(step == k)
        noise[at] = (0.9 * noise[at - 1] if k else 0.0) + shocks[at]
    where = home[person] + noise + drift[person] * (step / 99.0)[:, None]
    lon, lat = where[:, 0].copy(), where[:, 1].copy()
    gaps = rng.integers(30, 600, count) * 10**9
    gaps[rng.random(count) < 0.02] = 0  # the same instant as the ping before
    gaps[starts] = rng.integers(0, 86_400, people) * 10**9
    total = np.cumsum(gaps)
    instant = T0 + total - (total[starts] - gaps[starts])[person]
    vertices = shapely.get_coordinates(np.array(zones))
    pick = rng.random(count)
    on_vertex = pick < 0.01
    lon[on_vertex], lat[on_vertex] = vertices[rng.integers(0, len(vertices), on_vertex.sum())].T
    plots = [z for z in zones if z.geom_type == "Polygon" and len(z.exterior.coords) == 33]
    on_edge = (pick >= 0.01) & (pick < 0.015)
    if plots:
        for i in np.flatnonzero(on_edge):
            x0, y0, x1, _ = plots[rng.integers(len(plots))].bounds
            lon[i], lat[i] = x0 + (x1 - x0) * (rng.integers(0, 64) + 0.5) / 64, y0
    bad = (pick >= 0.015) & (pick < 0.016)
    lat[bad] = np.where(rng.random(bad.sum()) < 0.5, np.nan, 95.0)
    stream = np.argsort(instant, kind="stable")  # one stream ordered by time
    return {"person": person[stream], "instant": instant[stream], "lon": lon[stream],
            "lat": lat[stream], "people": people}  # fmt: skip


def best(runs: int, work: Callable[[], Any]) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - start)
    return min(times), result


def reference_events(
    person: list[int], instant: list[int], member: list[frozenset[int]], ok: list[bool]
) -> list[tuple[int, int, bool]]:
    """Contract 5 written plainly: per person in (instant, input) order, set differences."""
    events: list[tuple[int, int, bool]] = []
    order = sorted((i for i in range(len(person)) if ok[i]),
                   key=lambda i: (person[i], instant[i], i))  # fmt: skip
    who, before = None, frozenset[int]()
    for i in order:
        if person[i] != who:
            who, before = person[i], frozenset()
        now = member[i]
        changed = [(i, z, True) for z in now - before] + [(i, z, False) for z in before - now]
        events += sorted(changed, key=lambda e: e[1])
        before = now
    return events


def postgis(args: argparse.Namespace, zones: list[shapely.Geometry], data: dict[str, Any],
            ok: np.ndarray) -> dict[str, Any]:  # fmt: skip
    """ST_Covers on the local PostgreSQL server, or why it is unavailable."""
    try:
        import psycopg

        admin = psycopg.connect(args.pg, autocommit=True)
    except Exception as error:  # any failure to connect means "unavailable", with the reason
        return {"unavailable": f"cannot connect to {args.pg}: {error}".strip()}
    name = "lindungi_bench_geofence"
    with admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name}")
        admin.execute(f"CREATE DATABASE {name}")
    url = psycopg.conninfo.make_conninfo(args.pg, dbname=name)
    try:
        with psycopg.connect(url, autocommit=True) as conn:
            try:
                conn.execute("CREATE EXTENSION postgis")
            except psycopg.Error as error:
                return {"unavailable": f"PostGIS is not installed: {error}".strip()}
            conn.execute("CREATE TABLE zones (id int PRIMARY KEY, geom geometry(Geometry, 4326))")
            conn.execute("CREATE TABLE pings (id int PRIMARY KEY, lon float8, lat float8)")
            with conn.cursor().copy("COPY zones (id, geom) FROM STDIN") as copy:
                for z, wkb in enumerate(shapely.to_wkb(shapely.set_srid(np.array(zones), 4326),
                                                       hex=True, include_srid=True)):  # fmt: skip
                    copy.write(f"{z}\t{wkb}\n")
            rows = np.flatnonzero(ok)[: args.postgis_pings]
            with conn.cursor().copy("COPY pings (id, lon, lat) FROM STDIN") as copy:
                for b in range(0, len(rows), 100_000):
                    part = rows[b : b + 100_000]
                    copy.write("".join(f"{i}\t{x!r}\t{y!r}\n" for i, x, y in zip(
                        part.tolist(), data["lon"][part].tolist(), data["lat"][part].tolist(),
                        strict=True)))  # fmt: skip
            conn.execute("ALTER TABLE pings ADD COLUMN geom geometry(Point, 4326)")
            conn.execute("UPDATE pings SET geom = ST_SetSRID(ST_MakePoint(lon, lat), 4326)")
            conn.execute("CREATE INDEX ON zones USING gist (geom)")
            conn.execute("CREATE INDEX ON pings USING gist (geom)")
            conn.execute("VACUUM ANALYZE")
            conn.execute("SET max_parallel_workers_per_gather = 0")  # one core, as the others
            sql = ("COPY (SELECT p.id, z.id FROM pings p JOIN zones z ON ST_Covers(z.geom, p.geom))"
                   " TO STDOUT")  # fmt: skip

            def query() -> bytes:
                with conn.cursor().copy(sql) as copy:
                    return b"".join(bytes(chunk) for chunk in copy)

            plan = "\n".join(r[0] for r in conn.execute(f"EXPLAIN {sql[6:-11]}").fetchall())
            seconds, out = best(args.runs, query)
            version = conn.execute("SELECT postgis_lib_version()").fetchone()
    finally:
        with psycopg.connect(args.pg, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name}")
    pairs = np.array(out.split(), dtype=np.int64).reshape(-1, 2)
    return {"pings": len(rows), "seconds": seconds, "pings_per_s": len(rows) / seconds,
            "pairs": pairs, "version": version[0] if version else "?",
            "plan": plan.splitlines()[:4]}  # fmt: skip


def cold_compile() -> dict[str, float]:
    """First call of every kernel in a fresh process: with an empty numba cache, then cached."""
    code = ("import time; t = time.perf_counter(); import numpy as np, shapely; "
            "from lindungi.monitoring import geofence as g; t1 = time.perf_counter(); "
            "i = g.build_index(['a'], [shapely.box(0, 0, 1, 1)]); "
            "g.evaluate(i, np.zeros(2, np.int64), np.arange(2), np.zeros(2), np.zeros(2)); "
            "g.locate(i, np.zeros(1), np.zeros(1)); "
            "print(t1 - t, time.perf_counter() - t1)")  # fmt: skip
    out: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as cache:
        env = os.environ | {"NUMBA_CACHE_DIR": cache}
        for label in ("cold", "cached"):
            done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,  # noqa: S603
                                  text=True, check=True)  # fmt: skip
            imported, first = map(float, done.stdout.split())
            out[f"{label}_first_call_s"] = round(first, 2)
            out["import_s"] = round(imported, 2)
    return out


def cli(folder: Path, ids: list[str], zones: list[shapely.Geometry], data: dict[str, Any],
        engine: geofence.Events, index: geofence.ZoneIndex) -> dict[str, Any]:  # fmt: skip
    """The real command on files: ISO 8601 instants (UTC, 'Z'), person ids P0000001..."""
    from lindungi.monitoring.zones import Zone, write_zones

    zones_file, pings_file, out = folder / "zones.geojson", folder / "pings.csv", folder / "ev.csv"
    write_zones(zones_file, [Zone(z, "other", g, {"zone_id": z, "kind": "other"})
                             for z, g in zip(ids, zones, strict=True)])  # fmt: skip
    ts = np.datetime_as_string(data["instant"].astype("datetime64[ns]"), unit="s")
    person = [f"P{p:07d}" for p in data["person"].tolist()]
    with pings_file.open("w", encoding="utf-8") as handle:
        handle.write("person_id,ts,lon,lat\n")
        columns = (person, ts.tolist(), data["lon"].tolist(), data["lat"].tolist())
        handle.writelines(f"{p},{t}Z,{x!r},{y!r}\n" for p, t, x, y in zip(*columns, strict=True))
    expected = ["person_id,ts,zone_id,event"] + [
        f"{person[i]},{ts[i]}Z,{index.zone_ids[z]},{'enter' if e else 'exit'}"
        for i, z, e in zip(engine.ping.tolist(), engine.zone.tolist(), engine.enter.tolist(),
                           strict=True)]  # fmt: skip
    command = [str(Path(sys.executable).with_name("lindungi")), "geofence", "--zones",
               str(zones_file), "--pings", str(pings_file), "--out", str(out)]  # fmt: skip
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    seconds = time.perf_counter() - start
    same = out.exists() and out.read_text(encoding="utf-8") == "\n".join(expected) + "\n"
    return {"seconds": seconds, "pings_per_s": len(person) / seconds, "exit": done.returncode,
            "same_events": same, "stderr": done.stderr.strip().splitlines()[-3:]}  # fmt: skip


def run(args: argparse.Namespace) -> dict[str, Any]:
    rng = np.random.default_rng(args.seed)
    log(f"setup: {args.zones:,} zones and {args.pings:,} pings ...")
    zones = make_zones(args.zones, rng)
    data = make_pings(args.pings, zones, rng)
    ids = [f"Z{i:06d}" for i in range(len(zones))]
    by_id = dict(zip(ids, zones, strict=True))
    start = time.perf_counter()
    index = geofence.build_index(ids, zones)
    build = time.perf_counter() - start
    args_ = (data["person"], data["instant"], data["lon"], data["lat"])
    geofence.evaluate(index, *(a[:1000] for a in args_))  # compiles or loads the kernels
    geofence.locate(index, data["lon"][:10], data["lat"][:10])
    log(f"index built in {build:.2f} s ({len(index.entries):,} zone-cells); timing ...")
    seconds, events = best(args.runs, lambda: geofence.evaluate(index, *args_))
    located_s, (offsets, found) = best(args.runs, lambda: geofence.locate(index, *args_[2:]))
    tree_start = time.perf_counter()
    tree = shapely.STRtree(np.array([by_id[z] for z in index.zone_ids]))
    tree_build = time.perf_counter() - tree_start
    points = shapely.points(data["lon"], data["lat"])
    tree_s, pairs = best(args.runs, lambda: tree.query(points, predicate="intersects"))
    log(f"engine {args.pings / seconds:,.0f} pings/s, STRtree {args.pings / tree_s:,.0f}; checks")
    ok = geofence.valid_coordinates(data["lon"], data["lat"])
    pairs = pairs[:, np.lexsort((pairs[1], pairs[0]))]
    ours = np.repeat(np.arange(args.pings), np.diff(offsets))
    membership_equal = np.array_equal(pairs[0], ours) and np.array_equal(pairs[1], found)
    chosen = rng.permutation(data["people"])
    counts = np.bincount(data["person"], minlength=data["people"])[chosen]
    take = chosen[: int(np.searchsorted(np.cumsum(counts), min(args.sample, args.pings))) + 1]
    rows = np.flatnonzero(np.isin(data["person"], take))
    sub = {k: data[k][rows] for k in ("person", "instant", "lon", "lat")}
    sub_events = geofence.evaluate(index, sub["person"], sub["instant"], sub["lon"], sub["lat"])
    sub_pairs = tree.query(shapely.points(sub["lon"], sub["lat"]), predicate="intersects")
    member: list[set[int]] = [set() for _ in rows]
    for i, z in sub_pairs.T.tolist():
        member[i].add(z)
    expected = reference_events(sub["person"].tolist(), sub["instant"].tolist(),
                                [frozenset(m) for m in member], ok[rows].tolist())  # fmt: skip
    got = list(zip(sub_events.ping.tolist(), sub_events.zone.tolist(),
                   sub_events.enter.tolist(), strict=True))  # fmt: skip
    result: dict[str, Any] = {
        "pings": args.pings, "zones": len(zones), "persons": data["people"],
        "vertices": int(shapely.get_num_coordinates(np.array(zones)).sum()),
        "invalid_pings": int((~ok).sum()), "events": len(events.ping),
        "pings_in_a_zone": int((np.diff(offsets) > 0).sum()),
        "index": {"build_s": round(build, 2), "cell_deg": index.cell_size,
                  "zone_cells": len(index.entries), "cells": int((index.table[:, 0] >= 0).sum()),
                  "edge_share": round(float((index.entries & 1).mean()), 3)},
        "engine": {"seconds": seconds, "pings_per_s": args.pings / seconds},
        "engine_locate": {"seconds": located_s, "pings_per_s": args.pings / located_s},
        "strtree": {"seconds": tree_s, "pings_per_s": args.pings / tree_s,
                    "build_s": round(tree_build, 2)},
        "checks": {"membership_equals_strtree": membership_equal,
                   "events_sample_pings": len(rows), "events_sample_events": len(expected),
                   "events_equal_reference": got == expected},
    }  # fmt: skip
    if args.no_postgis:
        result["postgis"] = {"unavailable": "skipped (--no-postgis)"}
    else:
        log("PostGIS ...")
        pg = postgis(args, [by_id[z] for z in index.zone_ids], data, ok)
        if "pairs" in pg:
            got_pg = pg.pop("pairs")
            got_pg = got_pg[np.lexsort((got_pg[:, 1], got_pg[:, 0]))]
            limit = int(np.flatnonzero(ok)[: args.postgis_pings][-1]) + 1
            mine = np.c_[ours, found][ours < limit]
            pg["pairs_equal_engine"] = bool(np.array_equal(got_pg, mine))
            theirs, ours_ = set(map(tuple, got_pg.tolist())), set(map(tuple, mine.tolist()))
            pg["pairs_differing"] = len(theirs ^ ours_)
        result["postgis"] = pg
    if not args.no_cli:
        log("the lindungi geofence command ...")
        with tempfile.TemporaryDirectory() as folder:
            result["cli"] = cli(Path(folder), ids, zones, data, events, index)
    result["compile"] = cold_compile()
    result["machine"] = {"cpus": os.cpu_count(), "python": platform.python_version(),
                         "numba": __import__("numba").__version__, "shapely": shapely.__version__,
                         "geos": shapely.geos_version_string}  # fmt: skip
    return result


def report(r: dict[str, Any]) -> None:
    engine, tree, pg = r["engine"], r["strtree"], r["postgis"]
    log(f"\n{r['pings']:,} pings ({r['persons']:,} persons, {r['invalid_pings']:,} invalid, "
        f"{r['pings_in_a_zone']:,} in a zone) against {r['zones']:,} zones "
        f"({r['vertices']:,} vertices); {r['events']:,} events")  # fmt: skip
    ix = r["index"]
    log(
        f"index: {ix['build_s']} s, cells of {ix['cell_deg']:.5f} deg, {ix['cells']:,} cells, "
        f"{ix['zone_cells']:,} zone-cells ({ix['edge_share']:.0%} need exact tests)\n"
    )
    rows = [("engine: evaluate (events)", engine), ("engine: locate (membership)",
             r["engine_locate"]), ("shapely STRtree.query", tree)]  # fmt: skip
    if "unavailable" in pg:
        log(f"PostGIS baseline unavailable: {pg['unavailable']}")
    else:
        rows.append((f"PostGIS ST_Covers ({pg['pings']:,} pings)", pg))
    if "cli" in r:
        rows.append(("lindungi geofence (CLI, files)", r["cli"]))
    log(f"| {'what (one core)':<34} | {'pings/s':>12} | {'seconds':>8} | {'engine is':>10} |")
    log(f"|{'-' * 36}|{'-' * 14}|{'-' * 10}|{'-' * 12}|")
    for label, row in rows:
        ratio = engine["pings_per_s"] / row["pings_per_s"]
        log(
            f"| {label:<34} | {row['pings_per_s']:>12,.0f} | {row['seconds']:>8.3f} | "
            f"{ratio:>9.1f}x |"
        )
    c = r["checks"]
    log(f"\nchecks: membership of every ping equals STRtree's: {c['membership_equals_strtree']};"
        f" events of {c['events_sample_pings']:,} pings ({c['events_sample_events']:,} events) "
        f"equal the reference: {c['events_equal_reference']}")  # fmt: skip
    if "pairs_equal_engine" in pg:
        log(
            f"PostGIS {pg['version']} pairs equal the engine's: {pg['pairs_equal_engine']} "
            f"({pg['pairs_differing']} differ)"
        )
    if "cli" in r:
        log(f"CLI: exit {r['cli']['exit']}, events identical: {r['cli']['same_events']}")
    comp = r["compile"]
    log(
        f"numba: first call {comp['cold_first_call_s']} s with an empty cache, "
        f"{comp['cached_first_call_s']} s cached (import {comp['import_s']} s)"
    )
    log(
        f"target >= 2M pings/s and >= 3x STRtree: {engine['pings_per_s'] >= 2e6} and "
        f"{engine['pings_per_s'] >= 3 * tree['pings_per_s']}"
    )
    if not (c["membership_equals_strtree"] and c["events_equal_reference"]):
        log("WARNING: the engine disagrees with the shapely oracle")


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--pings", type=int, default=1_000_000)
    parser.add_argument("--zones", type=int, default=10_000)
    parser.add_argument("--sample", type=int, default=100_000, help="pings checked for events")
    parser.add_argument("--runs", type=int, default=3, help="timed runs; the best counts")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--pg",
        default="postgresql://postgres@localhost/postgres",
        help="an admin connection; a scratch database is made and dropped",
    )
    parser.add_argument("--postgis-pings", type=int, default=None, help="cap PostGIS's pings")
    parser.add_argument("--no-postgis", action="store_true")
    parser.add_argument("--no-cli", action="store_true")
    args = parser.parse_args()
    if min(args.pings, args.zones, args.sample, args.runs) < 1:
        parser.error("--pings, --zones, --sample and --runs must be 1 or more")
    result = run(args)
    report(result)
    print(json.dumps(result, default=str))
    checks = result["checks"]
    return 0 if checks["membership_equals_strtree"] and checks["events_equal_reference"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
