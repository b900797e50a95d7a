"""The geofence engine (contract 5): which zones cover a point, and per person the enter and
exit events of a stream of pings. Pure: plain values and arrays in, arrays out.

Exact, not approximate. The zones are rasterised on a uniform grid whose occupied cells sit
in a hash table. A cell lists, in zone order, the zones that cover all of it (answered with no
geometry) and the zones whose boundary comes near it (answered by a boundary-inclusive
crossing-number test, GEOS's rules, over that zone's segments, with Shewchuk's adaptive
orientation predicate, so a point exactly on an edge or a vertex is inside). Cells are
classified with a margin around each cell that absorbs the rounding of the point-to-cell map,
so a misplaced point can only cost an exact test, never a wrong answer.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt
import shapely
from shapely.geometry.base import BaseGeometry

from lindungi.monitoring.predicates import covers, jit

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]
Int32s = npt.NDArray[np.int32]
Bools = npt.NDArray[np.bool_]
F = TypeVar("F", bound=Callable[..., Any])

_GOLDEN = -7046029254386353131  # 0x9E3779B97F4A7C15 as a signed 64-bit integer
_MAX_ENTRIES = 1 << 25  # zone-cell pairs the grid may hold; coarser cells beyond that


@jit
def _near(sx: float, sy: float, dx: float, dy: float, rx: float, ry: float, size: float,
          margin: float) -> bool:  # fmt: skip
    """Conservatively, whether the line through a segment passes within ``margin`` of the
    cell at (rx, ry): False only when all four corners lie clearly on one side."""
    length = math.hypot(dx, dy)
    if length == 0.0:
        return True
    above = below = 0
    for cx in (rx - margin, rx + size + margin):
        for cy in (ry - margin, ry + size + margin):
            d = (dx * (cy - sy) - dy * (cx - sx)) / length
            above += d > margin
            below += d < -margin
    return above < 4 and below < 4


@jit
def _cell_range(
    lo: float, hi: float, origin: float, inv: float, first: int, last: int
) -> tuple[int, int]:
    """The cells from ``lo`` to ``hi`` along one axis, clipped to first..last."""
    return max(math.floor((lo - origin) * inv), first), min(math.floor((hi - origin) * inv), last)


@jit
def _rasterise(
    segs: Floats, seg_start: Ints, bounds: Floats, grid: Floats, margin: float
) -> tuple[Ints, Int32s, Ints, Int32s]:
    """Per zone, the cells it covers and those its boundary comes near: (cell key, entry,
    number of segments, the segments) where, for a cell near the boundary, the segments are
    those that can cross a ray to the right from one of its points (none are needed else)."""
    x0, y0, inv, nx, ny = grid[0], grid[1], grid[4], int(grid[5]), int(grid[6])
    size, m2 = 1.0 / inv, 2.0 * margin
    every = np.arange(len(segs)).astype(np.int32)
    most = 0
    for z in range(len(bounds)):  # a bound on the entries
        i0, i1 = _cell_range(bounds[z, 0] - margin, bounds[z, 2] + margin, x0, inv, 0, nx - 1)
        j0, j1 = _cell_range(bounds[z, 1] - margin, bounds[z, 3] + margin, y0, inv, 0, ny - 1)
        most += (i1 - i0 + 1) * (j1 - j0 + 1)
    keys, entries, counts = np.empty(most, np.int64), np.empty(most, np.int32), np.zeros(
        most, np.int64)  # fmt: skip
    chosen = np.empty(4 * len(segs) + 1024, np.int32)
    n = used = 0
    for z in range(len(bounds)):
        i0, i1 = _cell_range(bounds[z, 0] - margin, bounds[z, 2] + margin, x0, inv, 0, nx - 1)
        j0, j1 = _cell_range(bounds[z, 1] - margin, bounds[z, 3] + margin, y0, inv, 0, ny - 1)
        w = i1 - i0 + 1
        status = np.zeros(w * (j1 - j0 + 1), np.int8)
        for k in range(seg_start[z], seg_start[z + 1]):
            sx, sy, tx, ty = segs[k, 0], segs[k, 1], segs[k, 2], segs[k, 3]
            a0, a1 = _cell_range(min(sx, tx) - m2, max(sx, tx) + m2, x0, inv, i0, i1)
            b0, b1 = _cell_range(min(sy, ty) - m2, max(sy, ty) + m2, y0, inv, j0, j1)
            for j in range(b0, b1 + 1):
                for i in range(a0, a1 + 1):
                    c = (j - j0) * w + (i - i0)
                    if status[c] == 0 and _near(
                        sx, sy, tx - sx, ty - sy, x0 + i * size, y0 + j * size, size, margin
                    ):
                        status[c] = 1
        for c in range(len(status)):
            i, j = i0 + c % w, j0 + c // w
            cx, cy = x0 + i * size, y0 + j * size
            edge = status[c] == 1
            if not edge and not covers(segs, every, seg_start[z], seg_start[z + 1],
                                        cx + 0.5 * size, cy + 0.5 * size):  # fmt: skip
                continue
            keys[n], entries[n] = j * nx + i, 2 * z + edge
            for k in range(seg_start[z], seg_start[z + 1]) if edge else range(0):
                top, bottom = max(segs[k, 1], segs[k, 3]), min(segs[k, 1], segs[k, 3])
                if (
                    top >= cy - m2
                    and bottom <= cy + size + m2
                    and max(segs[k, 0], segs[k, 2]) >= (cx - m2)
                ):  # in the band right of the cell: a segment that no point of it skips
                    if used == len(chosen):
                        more = np.empty(2 * used, np.int32)
                        for c2 in range(used):  # (a slice copy would compile far longer)
                            more[c2] = chosen[c2]
                        chosen = more
                    chosen[used] = k
                    used += 1
                    counts[n] += 1
            n += 1
    return keys[:n], entries[:n], counts[:n], chosen[:used]


@jit
def _hash(cells: Ints, packed: Ints, bits: int) -> Ints:
    """Open addressing, linear probing: rows of (cell key or -1, first entry << 24 | count)."""
    table = np.full((1 << bits, 2), -1, np.int64)
    mask, shift = (1 << bits) - 1, 64 - bits
    for s in range(len(cells)):
        h = ((cells[s] * _GOLDEN) >> shift) & mask
        while table[h, 0] >= 0:
            h = (h + 1) & mask
        table[h, 0], table[h, 1] = cells[s], packed[s]
    return table


@dataclasses.dataclass(frozen=True, eq=False)
class ZoneIndex:
    """Zones ready for queries; zone number ``z`` is ``zone_ids[z]`` (ids in string order)."""

    zone_ids: tuple[str, ...]
    grid: Floats  # x0, y0, x1, y1 (the zones' extent), 1/cell, nx, ny, hash shift
    table: Ints  # (2^k, 2): occupied cell key (iy * nx + ix) or -1, first entry << 24 | count
    entries: Int32s  # per cell, in zone order: 2 * zone + 1 when its boundary comes near
    entry_segs: Ints  # entry -> its range of seg_ids (empty for a covered cell)
    seg_ids: Int32s  # rows of segs
    segs: Floats  # (n, 4): x1, y1, x2, y2 of every ring segment, zone by zone
    depth: int  # the most zones one cell lists

    @property
    def cell_size(self) -> float:
        """The side of a grid cell, in degrees."""
        return 1.0 / float(self.grid[4])

    def arrays(self) -> tuple[Floats, Ints, Int32s, Ints, Int32s, Floats]:
        """What the kernels read."""
        return (self.grid, self.table, self.entries, self.entry_segs, self.seg_ids, self.segs)


def build_index(
    zone_ids: Sequence[str], geometries: Sequence[BaseGeometry], cells_per_zone: float = 64.0
) -> ZoneIndex:
    """Index valid Polygon or MultiPolygon zones (WGS84 lon/lat); ``cells_per_zone`` sets the
    grid: about that many cells over a typical zone's bounding box (more: fewer exact tests,
    more memory). Raises ValueError naming the zone for a duplicate id or an unusable shape."""
    if len(zone_ids) != len(geometries):
        raise ValueError("one geometry per zone id")
    order = sorted(range(len(zone_ids)), key=lambda i: zone_ids[i])
    ids = tuple(zone_ids[i] for i in order)
    geoms = np.array([geometries[i] for i in order], dtype=object)
    for k, (zid, g) in enumerate(zip(ids, geoms, strict=True)):
        if k and zid == ids[k - 1]:
            raise ValueError(f"zone {zid}: zone_id used twice")
        if g.geom_type not in ("Polygon", "MultiPolygon") or g.is_empty or not g.is_valid:
            raise ValueError(f"zone {zid}: not a valid, non-empty Polygon or MultiPolygon")
    if not ids:  # an extent that holds no point
        return ZoneIndex((), np.array([0, 0, -1, -1, 1, 1, 1, 63.0]), np.full((2, 2), -1),
                         np.zeros(0, np.int32), np.zeros(1, np.int64), np.zeros(0, np.int32),
                         np.zeros((0, 4)), 1)  # fmt: skip
    parts, part_zone = shapely.get_parts(geoms, return_index=True)
    rings, ring_part = shapely.get_rings(parts, return_index=True)
    coords, coord_ring = shapely.get_coordinates(rings, return_index=True)
    joined = np.flatnonzero(coord_ring[1:] == coord_ring[:-1])
    segs = np.ascontiguousarray(np.hstack([coords[joined], coords[joined + 1]]))
    seg_zone = part_zone[ring_part[coord_ring[joined]]]
    seg_start = np.searchsorted(seg_zone, np.arange(len(ids) + 1)).astype(np.int64)
    bounds = np.ascontiguousarray(shapely.bounds(geoms))
    x0, y0 = bounds[:, 0].min(), bounds[:, 1].min()
    x1, y1 = bounds[:, 2].max(), bounds[:, 3].max()
    w, h = bounds[:, 2] - bounds[:, 0], bounds[:, 3] - bounds[:, 1]
    size = float(np.median(np.sqrt(w * h))) / math.sqrt(cells_per_zone)
    while float(np.sum((w / size + 2) * (h / size + 2))) > _MAX_ENTRIES or max(
        (x1 - x0) / size, (y1 - y0) / size
    ) > 2**30:  # fmt: skip
        size *= 1.25
    nx, ny = max(1, math.ceil((x1 - x0) / size)), max(1, math.ceil((y1 - y0) / size))
    grid = np.array([x0, y0, x1, y1, 1.0 / size, nx, ny, 0.0])
    keys, entries, counts, chosen = _rasterise(segs, seg_start, bounds, grid, size * 1e-6)
    was = np.concatenate([[0], np.cumsum(counts)])[:-1]  # each entry's segments, as made
    by_cell = np.argsort(keys, kind="stable")  # zone order within a cell stays
    keys, entries, counts, was = keys[by_cell], entries[by_cell], counts[by_cell], was[by_cell]
    entry_segs = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    seg_ids = chosen[np.repeat(was - entry_segs[:-1], counts) + np.arange(len(chosen))]
    first = np.flatnonzero(np.diff(keys, prepend=-1))
    count = np.diff(np.append(first, len(keys)))
    if count.max() >= 1 << 24:
        raise ValueError("more than 16 million zones overlap in one place")
    bits = max(1, math.ceil(math.log2(1.5 * len(first) + 1)))
    grid[7] = 64 - bits
    table = _hash(keys[first], (first << 24) | count, bits)
    return ZoneIndex(ids, grid, table, entries, entry_segs, seg_ids.astype(np.int32), segs,
                     int(count.max()))  # fmt: skip


@jit
def _members(
    lon: Floats, lat: Floats, arrays: Any, first: int, offsets: Ints, zones: Int32s
) -> int:
    """The one hot loop (grid cell, hash, entries): from point ``first`` on, the zones covering
    each point, in zone order, appended to ``zones`` (point ``i`` is in
    ``zones[offsets[i]:offsets[i + 1]]``) until the points or ``zones`` run out. Returns the
    next point. (Arrays that never grow keep numba's loop fast.)"""
    grid, table, entries, entry_segs, seg_ids, segs = arrays
    x0, y0, x1, y1, inv = grid[0], grid[1], grid[2], grid[3], grid[4]
    nx, ny, shift, mask = int(grid[5]), int(grid[6]), int(grid[7]), len(table) - 1
    n, base = 0, offsets[first]
    for r in range(first, len(lon)):
        px, py = lon[r], lat[r]
        if x0 <= px <= x1 and y0 <= py <= y1:
            key = min(int((py - y0) * inv), ny - 1) * nx + min(int((px - x0) * inv), nx - 1)
            h = ((key * _GOLDEN) >> shift) & mask
            while table[h, 0] != key and table[h, 0] >= 0:
                h = (h + 1) & mask
            if table[h, 0] == key:
                start, count = table[h, 1] >> 24, table[h, 1] & 0xFFFFFF
                if n + count > len(zones):
                    return r
                for k in range(start, start + count):
                    e = entries[k]
                    if e & 1 == 0 or covers(segs, seg_ids, entry_segs[k], entry_segs[k + 1],
                                             px, py):  # fmt: skip
                        zones[n] = e >> 1
                        n += 1
        offsets[r + 1] = base + n
    return len(lon)


def locate(index: ZoneIndex, lon: Floats, lat: Floats) -> tuple[Ints, Int32s]:
    """The zones covering each point, as offsets and zone numbers: point ``i`` is in
    ``zones[offsets[i]:offsets[i + 1]]`` (in zone order). Invalid coordinates are in none."""
    lon, lat = np.ascontiguousarray(lon, np.float64), np.ascontiguousarray(lat, np.float64)
    offsets = np.zeros(len(lon) + 1, np.int64)
    parts: list[Int32s] = []
    first = 0
    while first < len(lon) or not parts:
        zones = np.empty(len(lon) - first + 1024 + index.depth, np.int32)
        after = _members(lon, lat, index.arrays(), first, offsets, zones)
        parts.append(zones[: offsets[after] - offsets[first]])
        first = after
    return offsets, parts[0] if len(parts) == 1 else np.concatenate(parts)


@jit
def _by_person(person: Ints, ok: Bools, people: int) -> Ints:
    """The valid pings grouped by person, in input order within a person (counting sort)."""
    start = np.zeros(people + 1, np.int64)
    for i in range(len(person)):
        if ok[i]:
            start[person[i] + 1] += 1
    total = np.cumsum(start)
    put = total[:-1].copy()
    order = np.empty(total[-1], np.int64)
    for i in range(len(person)):
        if ok[i]:
            order[put[person[i]]] = i
            put[person[i]] += 1
    return order


def _processing_order(person: Ints, instant: Ints, ok: Bools) -> Ints:
    """Valid pings by person, then instant; ties keep input order. Linear when each person's
    pings come in time order (a stream); a stable sort of everything otherwise."""
    order = _by_person(person, ok, int(person.max()) + 1 if len(person) else 0)
    p, t = person[order], instant[order]
    if np.any((t[1:] < t[:-1]) & (p[1:] == p[:-1])):
        valid = np.flatnonzero(ok)
        order = valid[np.lexsort((instant[valid], person[valid]))]
    return order


@jit
def _changes(person: Ints, offsets: Ints, zones: Int32s) -> tuple[Ints, Int32s, Bools]:
    """Per person, the differences between the zones of one ping and the next, by zone
    (pings in processing order; events name the ping by its position in that order)."""
    cap = 2 * len(zones)  # a membership is entered once and left once at most
    ping, zone, enter = np.empty(cap, np.int64), np.empty(cap, np.int32), np.empty(cap, np.bool_)
    n = a0 = a1 = 0
    who = -1
    for i in range(len(person)):
        b0, b1 = offsets[i], offsets[i + 1]
        if person[i] != who:
            who, a0, a1 = person[i], 0, 0  # everyone starts outside every zone
        a, b = a0, b0
        while a < a1 or b < b1:
            if b == b1 or (a < a1 and zones[a] < zones[b]):
                ping[n], zone[n], enter[n] = i, zones[a], False
                n, a = n + 1, a + 1
            elif a == a1 or zones[b] < zones[a]:
                ping[n], zone[n], enter[n] = i, zones[b], True
                n, b = n + 1, b + 1
            else:
                a, b = a + 1, b + 1
        a0, a1 = b0, b1
    return ping[:n], zone[:n], enter[:n]


@dataclasses.dataclass(frozen=True, eq=False)
class Events:
    """Enter and exit events in contract order: ``ping`` (input position of the ping),
    ``zone`` (zone number in the index), ``enter`` (False: exit); and the input positions of
    the pings skipped for an invalid coordinate."""

    ping: Ints
    zone: Int32s
    enter: Bools
    invalid: Ints


def valid_coordinates(lon: Floats, lat: Floats) -> Bools:
    """Finite longitudes in [-180, 180] and latitudes in [-90, 90]."""
    with np.errstate(invalid="ignore"):
        return (np.abs(lon) <= 180.0) & (np.abs(lat) <= 90.0)


def evaluate(index: ZoneIndex, person: Ints, instant: Ints, lon: Floats, lat: Floats) -> Events:
    """Contract 5's events for pings given as arrays: ``person`` a number per person whose
    order is the output's (0..P-1: persons numbered in string order), ``instant`` integers that
    order time (nanoseconds since 1970 UTC). Per person in time order (ties in input order),
    starting outside every zone; a ping with an invalid coordinate changes nothing."""
    person = np.ascontiguousarray(person, np.int64)
    instant = np.ascontiguousarray(instant, np.int64)
    lon, lat = np.ascontiguousarray(lon, np.float64), np.ascontiguousarray(lat, np.float64)
    if not len(person) == len(instant) == len(lon) == len(lat):
        raise ValueError("person, instant, lon and lat must be of one length")
    if len(person) and person.min() < 0:
        raise ValueError("person numbers must be 0 or more")
    ok = valid_coordinates(lon, lat)
    order = _processing_order(person, instant, ok)  # then read in that order, for the caches
    offsets, zones = locate(index, lon[order], lat[order])
    ping, zone, enter = _changes(person[order], offsets, zones)
    return Events(order[ping], zone, enter, np.flatnonzero(~ok))
