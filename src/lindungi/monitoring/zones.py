"""Zones as GeoJSON (contract 5): a FeatureCollection read into checked zones, with what can be
repaired without guessing repaired and reported, and the rest refused naming the zone; and
zones written back.

Rules (docs/geofence.md): WGS84 lon/lat; Polygon or MultiPolygon features whose properties
hold ``zone_id`` (a non-empty string, unique in the file) and ``kind`` (work | high_risk |
other). A ring left open is closed; an invalid shape (a self-intersecting ring, a hole
crossing its shell, overlapping or nested parts, nested holes) is repaired with shapely's
``make_valid`` (the "structure" method: shells unioned, holes cut out) and reported; a hole
outside its shell (make_valid would turn it into an area of the zone), a shape with nothing
polygonal left, a missing or malformed coordinate, a coordinate out of range, a duplicate
zone_id or an unknown kind is refused. One refused zone refuses the file: events computed
against part of the zones would tell of exits that did not happen.
"""

from __future__ import annotations

import dataclasses
import json
import math
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import MultiPolygon, Polygon, mapping
from shapely.geometry.base import BaseGeometry

from lindungi.errors import InvalidInputError

KINDS = ("work", "high_risk", "other")
WGS84_NAMES = {"urn:ogc:def:crs:OGC:1.3:CRS84", "urn:ogc:def:crs:OGC::CRS84",
               "urn:ogc:def:crs:EPSG::4326", "EPSG:4326"}  # fmt: skip


@dataclasses.dataclass(frozen=True)
class Zone:
    """One zone: its id, kind, (valid) Polygon or MultiPolygon, and every property as read."""

    zone_id: str
    kind: str
    geometry: BaseGeometry
    properties: dict[str, Any]


@dataclasses.dataclass(frozen=True)
class ZoneSet:
    """The zones of a file, in file order, and one line per repair made, naming the zone."""

    zones: list[Zone]
    repairs: list[str]


class ZoneFileError(InvalidInputError):
    """A zones file that cannot be used; ``problems`` names each zone and what is wrong."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems), problems=problems)
        self.problems = problems


class _Refused(Exception):
    pass


def _position(value: Any, where: str) -> tuple[float, float]:
    numbers = isinstance(value, list | tuple) and all(
        isinstance(c, int | float) and not isinstance(c, bool) for c in value
    )
    if not numbers or len(value) < 2:
        raise _Refused(f"{where} is not a [lon, lat] pair of numbers: {json.dumps(value)[:60]}")
    try:
        lon, lat = float(value[0]), float(value[1])
    except OverflowError:  # an integer past any float
        raise _Refused(f"{where} is out of range (lon -180..180, lat -90..90)") from None
    if not (math.isfinite(lon) and math.isfinite(lat)):
        raise _Refused(f"{where} is not finite: {value[:2]}")
    if not (-180.0 <= lon <= 180.0 and -90.0 <= lat <= 90.0):
        raise _Refused(f"{where} is out of range (lon -180..180, lat -90..90): {value[:2]}")
    return lon, lat


def _ring(value: Any, where: str, repairs: list[str]) -> list[tuple[float, float]]:
    if not isinstance(value, list | tuple):
        raise _Refused(f"{where} is not a list of positions")
    ring = [_position(p, f"{where}, position {n}") for n, p in enumerate(value, 1)]
    if ring and ring[0] != ring[-1]:
        ring.append(ring[0])
        repairs.append(f"{where} was not closed; closed it")
    if len(ring) < 4:
        raise _Refused(f"{where} has {len(ring)} positions; a ring needs 4 or more (first = last)")
    return ring


def _polygon(value: Any, where: str, repairs: list[str]) -> Polygon:
    if not isinstance(value, list | tuple) or not value:
        raise _Refused(f"{where} has no rings")
    rings = [_ring(r, f"{where}ring {n}", repairs) for n, r in enumerate(value, 1)]
    return Polygon(rings[0], rings[1:])


def _geometry(value: Any, repairs: list[str]) -> BaseGeometry:
    if not isinstance(value, dict):
        raise _Refused("has no geometry")
    kind, coords = value.get("type"), value.get("coordinates")
    if kind == "Polygon":
        geometry: BaseGeometry = _polygon(coords, "", repairs)
    elif kind == "MultiPolygon":
        if not isinstance(coords, list | tuple) or not coords:
            raise _Refused("MultiPolygon has no polygons")
        geometry = MultiPolygon(
            [_polygon(p, f"polygon {n}, ", repairs) for n, p in enumerate(coords, 1)]
        )
    else:
        raise _Refused(f"geometry must be a Polygon or MultiPolygon, not {kind}")
    if shapely.is_valid(geometry):
        return geometry
    reason = shapely.is_valid_reason(geometry)
    if reason.startswith("Hole lies outside shell"):  # make_valid would make the hole an area
        raise _Refused(f"geometry is invalid ({reason}); a hole must lie inside its shell")
    fixed = shapely.make_valid(geometry, method="structure", keep_collapsed=False)
    parts = [p for p in shapely.get_parts(fixed) if p.geom_type in ("Polygon", "MultiPolygon")]
    polygonal = shapely.union_all(parts) if parts else Polygon()
    if polygonal.is_empty or polygonal.geom_type not in ("Polygon", "MultiPolygon"):
        raise _Refused(f"geometry is invalid ({reason}) and nothing polygonal is left to repair")
    repairs.append(f"invalid geometry ({reason}) repaired with make_valid")
    return polygonal


def _zone(feature: Any, number: int) -> tuple[Zone, list[str]]:
    label = f"feature {number}"
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        raise _Refused(f"{label}: not a GeoJSON Feature")
    props = feature.get("properties")
    if not isinstance(props, dict):
        raise _Refused(f"{label}: no properties (zone_id and kind are needed)")
    zone_id = props.get("zone_id")
    if not isinstance(zone_id, str) or not zone_id:
        raise _Refused(f"{label}: zone_id must be a non-empty string, not {json.dumps(zone_id)}")
    label = f"zone {zone_id} ({label})"
    if props.get("kind") not in KINDS:
        raise _Refused(f"{label}: kind must be one of {', '.join(KINDS)}, "
                       f"not {json.dumps(props.get('kind'))}")  # fmt: skip
    repairs: list[str] = []
    try:
        geometry = _geometry(feature.get("geometry"), repairs)
    except _Refused as problem:
        raise _Refused(f"{label}: {problem}") from None
    zone = Zone(zone_id, props["kind"], geometry, dict(props))
    return zone, [f"{label}: {r}" for r in repairs]


def parse_zones(document: Any, source: str = "zones") -> ZoneSet:
    """Check a parsed GeoJSON document; raise ZoneFileError listing every problem (each
    naming ``source`` and the zone) when any zone is refused."""
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        raise ZoneFileError([f"{source}: not a GeoJSON FeatureCollection"])
    crs = document.get("crs")
    properties = crs.get("properties") if isinstance(crs, dict) else None
    name = properties.get("name") if isinstance(properties, dict) else None
    if crs is not None and (not isinstance(name, str) or name not in WGS84_NAMES):
        raise ZoneFileError([f"{source}: crs {json.dumps(crs)[:80]} is not WGS84 lon/lat"])
    features = document.get("features")
    if not isinstance(features, list):
        raise ZoneFileError([f"{source}: features must be a list"])
    zones, repairs, problems = [], [], []
    first: dict[str, int] = {}
    for number, feature in enumerate(features, 1):
        try:
            zone, fixed = _zone(feature, number)
        except _Refused as problem:
            problems.append(f"{source}: {problem}")
            continue
        if zone.zone_id in first:
            problems.append(f"{source}: zone {zone.zone_id}: zone_id used by features "
                            f"{first[zone.zone_id]} and {number}")  # fmt: skip
            continue
        first[zone.zone_id] = number
        zones.append(zone)
        repairs += [f"{source}: {r}" for r in fixed]
    if problems:
        raise ZoneFileError(problems)
    return ZoneSet(zones, repairs)


def read_zones(path: Path) -> ZoneSet:
    """Read and check a zones file (UTF-8 GeoJSON); unreadable files raise ZoneFileError."""
    try:
        document = json.loads(path.read_bytes())
    except OSError as error:
        raise ZoneFileError([f"{path}: {error.strerror}"]) from None
    except ValueError as error:  # JSONDecodeError and UnicodeDecodeError
        raise ZoneFileError([f"{path}: not JSON: {error}"]) from None
    return parse_zones(document, str(path))


def zones_geojson(zones: Sequence[Zone]) -> dict[str, Any]:
    """A FeatureCollection of the zones, with their properties (zone_id and kind current)."""
    features = [
        {"type": "Feature",
         "properties": {**z.properties, "zone_id": z.zone_id, "kind": z.kind},
         "geometry": mapping(z.geometry)}
        for z in zones
    ]  # fmt: skip
    return {"type": "FeatureCollection", "features": features}


def write_zones(path: Path, zones: Sequence[Zone]) -> None:
    """Write the zones as GeoJSON, whole or not at all (a temporary file renamed)."""
    text = json.dumps(zones_geojson(zones), ensure_ascii=False)
    with tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", dir=path.parent, prefix=f".{path.name}.", delete=False
    ) as handle:
        handle.write(text)
    try:
        os.replace(handle.name, path)
    finally:
        Path(handle.name).unlink(missing_ok=True)
