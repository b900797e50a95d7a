"""Zones read from GeoJSON: checked, repaired and reported, or refused naming the zone; and
written back unchanged."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import shapely
from shapely.geometry import MultiPolygon, Polygon

from lindungi.monitoring.zones import ZoneFileError, parse_zones, read_zones, write_zones

SQUARE = [[[100.0, 10.0], [101.0, 10.0], [101.0, 11.0], [100.0, 11.0], [100.0, 10.0]]]


def feature(zone_id: Any = "Z1", kind: Any = "work", geometry: Any = None, **extra: Any) -> dict[str, Any]:  # fmt: skip
    return {
        "type": "Feature",
        "properties": {"zone_id": zone_id, "kind": kind, **extra},
        "geometry": {"type": "Polygon", "coordinates": SQUARE} if geometry is None else geometry,
    }


def collection(*features: dict[str, Any]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": list(features)}


def test_zones_keep_their_properties_and_come_back_the_same(tmp_path: Path) -> None:
    holed = {"type": "Polygon", "coordinates": [SQUARE[0], [[100.2, 10.2], [100.4, 10.2], [100.4, 10.4], [100.2, 10.2]]]}  # fmt: skip
    multi = {"type": "MultiPolygon", "coordinates": [SQUARE, [[[102.1, 10], [102.5, 10], [102.5, 10.3], [102.1, 10]]]]}  # fmt: skip
    read = parse_zones(collection(
        feature("KK-Park", "high_risk", holed, approximate=True, source="encyclopaedia"),
        feature("work-7", "work", multi), feature("misc", "other")))  # fmt: skip
    assert [(z.zone_id, z.kind, z.geometry.geom_type) for z in read.zones] == [
        ("KK-Park", "high_risk", "Polygon"), ("work-7", "work", "MultiPolygon"),
        ("misc", "other", "Polygon")]  # fmt: skip
    assert read.repairs == []
    assert read.zones[0].properties["approximate"] is True
    assert len(read.zones[0].geometry.interiors) == 1
    path = tmp_path / "zones.geojson"
    write_zones(path, read.zones)
    again = read_zones(path)
    assert [(z.zone_id, z.kind, z.properties) for z in again.zones] == [
        (z.zone_id, z.kind, z.properties) for z in read.zones]  # fmt: skip
    assert all(shapely.equals_exact(a.geometry, b.geometry, 0)
               for a, b in zip(again.zones, read.zones, strict=True))  # fmt: skip
    assert [p.name for p in tmp_path.iterdir()] == ["zones.geojson"]  # no temporary left


def test_a_self_intersecting_ring_is_repaired_and_reported() -> None:
    bowtie = {"type": "Polygon", "coordinates": [[[0, 0], [2, 2], [2, 0], [0, 2], [0, 0]]]}
    read = parse_zones(collection(feature("bow", geometry=bowtie)), "z.geojson")
    assert read.repairs == [
        "z.geojson: zone bow (feature 1): invalid geometry (Self-intersection[1 1]) "
        "repaired with make_valid"
    ]
    shape = read.zones[0].geometry
    assert isinstance(shape, MultiPolygon)
    assert shape.is_valid
    assert len(shape.geoms) == 2
    assert shapely.intersects_xy(shape, 0.2, 1.0)
    assert shapely.intersects_xy(shape, 1.8, 1.0)
    assert shapely.intersects_xy(shape, 1.0, 1.0)  # where the ring crossed itself: a boundary


def test_an_open_ring_is_closed_and_overlapping_parts_are_merged() -> None:
    open_ring = {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1]]]}
    overlapping = {"type": "MultiPolygon", "coordinates": [[[[0, 0], [2, 0], [2, 2], [0, 0]]], [[[1, 0], [3, 0], [3, 2], [1, 0]]]]}  # fmt: skip
    read = parse_zones(collection(feature("open", geometry=open_ring), feature("two", geometry=overlapping)))  # fmt: skip
    assert read.repairs == [
        "zones: zone open (feature 1): ring 1 was not closed; closed it",
        "zones: zone two (feature 2): invalid geometry (Self-intersection[1 0]) "
        "repaired with make_valid",
    ]
    assert read.zones[0].geometry.equals(Polygon([(0, 0), (1, 0), (1, 1), (0, 1)]))
    assert read.zones[1].geometry.equals(shapely.union_all([Polygon([(0, 0), (2, 0), (2, 2)]), Polygon([(1, 0), (3, 0), (3, 2)])]))  # fmt: skip


@pytest.mark.parametrize(
    ("bad", "problem"),
    [
        (feature(zone_id=None), "feature 2: zone_id must be a non-empty string, not null"),
        (feature(zone_id=17), "feature 2: zone_id must be a non-empty string, not 17"),
        (feature(zone_id=""), 'feature 2: zone_id must be a non-empty string, not ""'),
        (
            feature("Z2", kind="danger"),
            'zone Z2 (feature 2): kind must be one of work, high_risk, other, not "danger"',
        ),
        (
            feature("Z2", geometry={"type": "Point", "coordinates": [1, 2]}),
            "zone Z2 (feature 2): geometry must be a Polygon or MultiPolygon, not Point",
        ),
        ({**feature("Z2"), "geometry": None}, "zone Z2 (feature 2): has no geometry"),
        (
            feature(
                "Z2",
                geometry={
                    "type": "Polygon",
                    "coordinates": [[[190, 0], [191, 0], [191, 1], [190, 0]]],
                },
            ),
            "zone Z2 (feature 2): ring 1, position 1 is out of range (lon -180..180, lat -90..90): [190, 0]",
        ),
        (
            feature(
                "Z2",
                geometry={"type": "Polygon", "coordinates": [[[0, 0], ["1", 0], [1, 1], [0, 0]]]},
            ),
            'zone Z2 (feature 2): ring 1, position 2 is not a [lon, lat] pair of numbers: ["1", 0]',
        ),
        (
            feature("Z2", geometry={"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [0, 0]]]}),
            "zone Z2 (feature 2): ring 1 has 3 positions; a ring needs 4 or more (first = last)",
        ),
        (
            feature(
                "Z2",
                geometry={"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [2, 2], [0, 0]]]},
            ),
            "zone Z2 (feature 2): geometry is invalid (Self-intersection[1 1]) and nothing polygonal is left to repair",
        ),
        (
            feature(
                "Z2",
                geometry={
                    "type": "Polygon",
                    "coordinates": [SQUARE[0], [[0, 0], [1, 0], [1, 1], [0, 0]]],
                },
            ),
            "zone Z2 (feature 2): geometry is invalid (Hole lies outside shell[0 0]); a hole must lie inside its shell",
        ),
        (
            feature("Z2", geometry={"type": "MultiPolygon", "coordinates": []}),
            "zone Z2 (feature 2): MultiPolygon has no polygons",
        ),
        (feature("Z1"), "zone Z1: zone_id used by features 1 and 2"),
        (
            {"type": "Feature", "geometry": None},
            "feature 2: no properties (zone_id and kind are needed)",
        ),
        ([1, 2], "feature 2: not a GeoJSON Feature"),
    ],
)
def test_a_malformed_zone_refuses_the_file_naming_the_zone(bad: Any, problem: str) -> None:
    with pytest.raises(ZoneFileError) as refused:
        parse_zones(collection(feature("Z1"), bad), "z.geojson")
    assert refused.value.problems == [f"z.geojson: {problem}"]


def test_every_problem_is_listed_at_once() -> None:
    with pytest.raises(ZoneFileError) as refused:
        parse_zones(collection(feature("A", kind="x"), feature("B"), feature("C", kind=None)))
    assert [p.split(":")[1].strip() for p in refused.value.problems] == [
        "zone A (feature 1)", "zone C (feature 3)"]  # fmt: skip


@pytest.mark.parametrize(
    ("document", "problem"),
    [
        ({"type": "Feature"}, "zones: not a GeoJSON FeatureCollection"),
        ({"type": "FeatureCollection"}, "zones: features must be a list"),
        (
            {**collection(), "crs": {"type": "name", "properties": {"name": "EPSG:3857"}}},
            'zones: crs {"type": "name", "properties": {"name": "EPSG:3857"}} is not WGS84 lon/lat',
        ),
    ],
)
def test_a_document_that_is_no_zone_collection_is_refused(document: Any, problem: str) -> None:
    with pytest.raises(ZoneFileError) as refused:
        parse_zones(document)
    assert refused.value.problems == [problem]


def test_a_wgs84_crs_and_an_empty_collection_are_fine() -> None:
    crs = {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}}
    assert parse_zones({**collection(), "crs": crs}).zones == []


def test_unreadable_files_are_refused_with_the_reason(tmp_path: Path) -> None:
    with pytest.raises(ZoneFileError, match="No such file or directory"):
        read_zones(tmp_path / "missing.geojson")
    broken = tmp_path / "broken.geojson"
    broken.write_text('{"type": "FeatureCollection", ', encoding="utf-8")
    with pytest.raises(ZoneFileError, match=r"broken.geojson: not JSON: Expecting"):
        read_zones(broken)
    nan = tmp_path / "nan.geojson"
    nan.write_text(json.dumps(collection(feature(geometry={"type": "Polygon", "coordinates": [[[0, 0], [float("nan"), 0], [1, 1], [0, 0]]]}))), encoding="utf-8")  # fmt: skip
    with pytest.raises(ZoneFileError, match=r"position 2 is not finite: \[nan, 0\]"):
        read_zones(nan)
