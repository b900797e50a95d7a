"""atheris harness: GeoJSON zones (contract 5), as parsed JSON and as files (fuzz_support.py)."""

from __future__ import annotations

import tempfile
from contextlib import suppress
from pathlib import Path

import atheris
from fuzz_support import json_value, main

with atheris.instrument_imports(include=["lindungi"]):
    from lindungi.monitoring.zones import ZoneFileError, parse_zones, read_zones

FOLDER = Path(tempfile.mkdtemp(prefix="fuzz-zones-"))


def _coordinates(fdp: atheris.FuzzedDataProvider) -> object:
    def number() -> object:
        kind = fdp.ConsumeIntInRange(0, 3)
        if kind == 0:
            return fdp.ConsumeFloatInRange(-200.0, 200.0)
        if kind == 1:
            return fdp.ConsumeInt(fdp.ConsumeIntInRange(1, 160))
        return fdp.ConsumeRegularFloat() if kind == 2 else json_value(fdp)

    ring = [[number(), number()] for _ in range(fdp.ConsumeIntInRange(0, 8))]
    return [ring] if fdp.ConsumeBool() else [[ring]]


def test_one_input(data: bytes) -> None:
    """Zones, or a ZoneFileError whose every problem names the source."""
    fdp = atheris.FuzzedDataProvider(data)
    geometry = {"type": fdp.PickValueInList(["Polygon", "MultiPolygon", "Point"]),
                "coordinates": _coordinates(fdp)}  # fmt: skip
    properties = {"zone_id": fdp.PickValueInList(["Z1", "", 5, None]),
                  "kind": fdp.PickValueInList(["work", "high_risk", "x", None])}  # fmt: skip
    document = {"type": "FeatureCollection",
                "features": [{"type": "Feature", "properties": properties, "geometry": geometry},
                             json_value(fdp)],
                "crs": json_value(fdp) if fdp.ConsumeBool() else None}  # fmt: skip
    if document["crs"] is None:
        del document["crs"]
    try:
        parse_zones(document, "zones")
    except ZoneFileError as error:
        if not all(p.startswith("zones: ") for p in error.problems):
            raise AssertionError(error.problems) from None
    path = FOLDER / "zones.geojson"
    path.write_bytes(fdp.ConsumeBytes(fdp.remaining_bytes()))
    with suppress(ZoneFileError):
        read_zones(path)


if __name__ == "__main__":
    main(test_one_input)
