"""Zones in the store and what check-ins do with them: importing and exporting zones as
GeoJSON, a placement's work zone, high-risk zones seeded as approximate circles around
reference points, and — as check-ins are recorded — enter and exit events per worker
against their own work zone and every high-risk zone, with the alerts they raise."""

from __future__ import annotations

import csv
import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from shapely.geometry import Polygon, mapping, shape
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from lindungi.errors import InvalidInputError
from lindungi.monitoring import alerts
from lindungi.monitoring.geofence import ZoneIndex, build_index, locate
from lindungi.monitoring.ladder import AlertKind
from lindungi.monitoring.models import Enrolment, Presence, Zone, ZoneEvent
from lindungi.monitoring.zones import Zone as ZoneShape
from lindungi.monitoring.zones import parse_zones, zones_geojson


@dataclass(frozen=True)
class Imported:
    """What an import did: zones added and updated, and the repairs made."""

    added: int
    updated: int
    repairs: list[str]


def import_zones(
    session: Session, document: Any, actor: str, source: str, *, work_of: int | None = None
) -> Imported:
    """Add or update zones from a GeoJSON FeatureCollection (checked by ``zones``: one bad
    zone refuses the file, naming it). ``work_of`` makes them the work zones of that
    enrolment."""
    found = parse_zones(document, source)
    added = updated = 0
    for zone in found.zones:
        if work_of is not None and zone.kind != "work":
            raise InvalidInputError(f"zone {zone.zone_id}: a placement's zone must be kind work")
        row = session.scalar(select(Zone).where(Zone.zone_id == zone.zone_id))
        fields = {
            "kind": zone.kind, "geometry": mapping(zone.geometry),
            "name": str(zone.properties.get("name") or zone.zone_id)[:200],
            "approximate": bool(zone.properties.get("approximate", False)),
            "source": str(zone.properties.get("source") or source)[:200],
            "enrolment_id": work_of, "active": True, "updated_by": actor,
            "updated_at": dt.datetime.now(dt.UTC),
        }  # fmt: skip
        if row is None:
            session.add(Zone(zone_id=zone.zone_id, **fields))
            added += 1
        else:
            for name, value in fields.items():
                setattr(row, name, value)
            updated += 1
    session.flush()
    return Imported(added, updated, found.repairs)


def export_zones(session: Session, kind: str | None = None) -> dict[str, Any]:
    """The active zones as a GeoJSON FeatureCollection (``zone_id``, ``kind``, name,
    ``approximate``, source)."""
    query = select(Zone).where(Zone.active.is_(True)).order_by(Zone.zone_id)
    if kind is not None:
        query = query.where(Zone.kind == kind)
    shapes = [
        ZoneShape(z.zone_id, z.kind, shape(z.geometry),
                  {"name": z.name, "approximate": z.approximate, "source": z.source})
        for z in session.scalars(query)
    ]  # fmt: skip
    return zones_geojson(shapes)


def circle(lon: float, lat: float, radius_km: float, sides: int = 48) -> Polygon:
    """An approximate circle of ``radius_km`` around a point, in lon/lat degrees."""
    dlat = radius_km / 111.32
    dlon = dlat / max(math.cos(math.radians(lat)), 1e-6)
    return Polygon([
        (lon + dlon * math.cos(2 * math.pi * k / sides),
         lat + dlat * math.sin(2 * math.pi * k / sides))
        for k in range(sides)
    ])  # fmt: skip


def reference_zones(path: Path, radius_km: float) -> tuple[dict[str, Any], list[str]]:
    """High-risk zones as approximate circles around reference points (CSV with name,
    country, lat, lon, precision, source): marked ``approximate``, because a point and a
    radius say where to look, not where a compound's fence is. No country border decides
    anything here: near borders, 1:10m borders put towns on the wrong side. Rows without
    a usable point are skipped and named (the second value); the rest go through."""
    if not 0 < radius_km <= 50:
        raise InvalidInputError(f"--radius-km {radius_km}: expected more than 0, at most 50")
    features, skipped = [], []
    with path.open(encoding="utf-8", newline="") as handle:
        for number, row in enumerate(csv.DictReader(handle), 2):
            name = (row.get("name") or "").strip()
            try:
                lat, lon = float(row["lat"]), float(row["lon"])
            except (KeyError, TypeError, ValueError):
                skipped.append(f"line {number} ({name or 'no name'}): no usable lat/lon")
                continue
            if not (abs(lat) <= 90 and abs(lon) <= 180 and name):
                skipped.append(f"line {number} ({name or 'no name'}): out of range or unnamed")
                continue
            slug = "".join(c if c.isalnum() else "-" for c in name.lower()).strip("-")
            country = (row.get("country") or "xx").lower()
            features.append({
                "type": "Feature",
                "properties": {"zone_id": f"ref-{country}-{slug}"[:100], "kind": "high_risk",
                               "name": name, "approximate": True,
                               "source": f"{row.get('source', '')} ({row.get('precision', '')}; "
                                         f"{radius_km:g} km around the point)"},
                "geometry": mapping(circle(lon, lat, radius_km)),
            })  # fmt: skip
    return {"type": "FeatureCollection", "features": features}, skipped


# --- zone events as check-ins are recorded -------------------------------------------


@dataclass
class _Cached:
    key: tuple[int, dt.datetime | None]
    index: ZoneIndex | None
    kinds: dict[str, tuple[str, int | None]]


_CACHE: dict[str, _Cached] = {}


def _index(session: Session) -> tuple[ZoneIndex | None, dict[str, tuple[str, int | None]]]:
    """The active zones' index, rebuilt only when zones changed (count, last update)."""
    count, last = session.execute(
        select(func.count(Zone.id), func.max(Zone.updated_at)).where(Zone.active.is_(True))
    ).one()
    key = (int(count), last)
    url = str(session.get_bind().engine.url)
    cached = _CACHE.get(url)
    if cached is not None and cached.key == key:
        return cached.index, cached.kinds
    rows = list(session.scalars(select(Zone).where(Zone.active.is_(True))))
    kinds = {z.zone_id: (z.kind, z.enrolment_id) for z in rows}
    index = (
        build_index([z.zone_id for z in rows], [shape(z.geometry) for z in rows]) if rows else None
    )
    _CACHE[url] = _Cached(key, index, kinds)
    return index, kinds


Ping = tuple[dt.datetime, float, float]


def track(
    session: Session,
    pings: dict[int, list[Ping]],
    since: dict[int, dt.datetime | None],
    enrolments: dict[int, Enrolment],
    now: dt.datetime,
) -> list[ZoneEvent]:
    """Enter and exit events of a batch's new check-ins, per worker (in time order, only
    those after ``since[worker]``: a late check-in does not rewrite where they were),
    against their own work zones and every high-risk zone; leaving a work zone or entering
    a high-risk one raises an alert, coming back into the work zone resolves it. One index
    lookup, one presence read and one membership pass for the whole batch."""
    index, kinds = _index(session)
    fresh: dict[int, list[Ping]] = {}
    for enrolment_id, found in pings.items():
        start = since.get(enrolment_id)
        kept = sorted((p for p in found if start is None or p[0] > start), key=lambda p: p[0])
        if kept:
            fresh[enrolment_id] = kept
    if index is None or not fresh:
        return []
    high = {z for z, (kind, _) in kinds.items() if kind == "high_risk"}
    work: dict[int, set[str]] = {}
    for zone_id, (kind, owner) in kinds.items():
        if kind == "work" and owner is not None:
            work.setdefault(owner, set()).add(zone_id)
    inside: dict[int, set[str]] = {e: set() for e in fresh}
    for enrolment_id, zone_id in session.execute(
        select(Presence.enrolment_id, Presence.zone_id).where(Presence.enrolment_id.in_(fresh))
    ):
        inside[enrolment_id].add(zone_id)
    order = [(e, ping) for e, found in fresh.items() for ping in found]
    offsets, zones = locate(index, np.array([p[1] for _, p in order], np.float64),
                            np.array([p[2] for _, p in order], np.float64))  # fmt: skip
    before = {e: set(z) for e, z in inside.items()}
    made = []
    for n, (enrolment_id, (at, lon, lat)) in enumerate(order):
        mine = high | work.get(enrolment_id, set())
        now_in = {index.zone_ids[z] for z in zones[offsets[n] : offsets[n + 1]]} & mine
        for zone_id in sorted(now_in ^ inside[enrolment_id]):  # one ping's events by zone
            event = "enter" if zone_id in now_in else "exit"
            made.append(_event(session, enrolments[enrolment_id], zone_id, event, at, kinds,
                               lon, lat, now))  # fmt: skip
        inside[enrolment_id] = now_in
    moved = [e for e in fresh if inside[e] != before[e]]
    if moved:
        session.execute(delete(Presence).where(Presence.enrolment_id.in_(moved)))
        session.add_all(Presence(enrolment_id=e, zone_id=z, since=fresh[e][-1][0])
                        for e in moved for z in sorted(inside[e]))  # fmt: skip
    session.flush()
    return made


def _event(session: Session, enrolment: Enrolment, zone_id: str, event: str, at: dt.datetime,
           kinds: dict[str, tuple[str, int | None]], lon: float, lat: float,
           now: dt.datetime) -> ZoneEvent:  # fmt: skip
    row = ZoneEvent(enrolment_id=enrolment.id, zone_id=zone_id, event=event, at=at)
    session.add(row)
    kind = kinds[zone_id][0]
    where = f"{lat:.5f}, {lon:.5f} at {at:%Y-%m-%d %H:%M} UTC"
    if kind == "work" and event == "exit":
        alerts.raise_alert(session, enrolment, AlertKind.LEFT_WORK_ZONE,
                           f"left the work zone {zone_id}: {where}", now, zone_id)  # fmt: skip
    elif kind == "work" and event == "enter":
        alerts.resolve_zone(session, enrolment, AlertKind.LEFT_WORK_ZONE, zone_id, at,
                            f"back in the work zone at {at:%Y-%m-%d %H:%M} UTC")  # fmt: skip
    elif kind == "high_risk" and event == "enter":
        told = f"entered the high-risk zone {zone_id}: {where}"
        alerts.raise_alert(session, enrolment, AlertKind.ENTERED_HIGH_RISK, told, now, zone_id)
    return row


def zone_events(session: Session, enrolment_ids: Iterable[int]) -> list[ZoneEvent]:
    """The zone events of some workers, in time order."""
    query = select(ZoneEvent).where(ZoneEvent.enrolment_id.in_(list(enrolment_ids)))
    return list(session.scalars(query.order_by(ZoneEvent.at, ZoneEvent.id)))
