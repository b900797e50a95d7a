"""The geofence engine (contract 5's semantics): exact boundary answers, holes, MultiPolygons,
overlaps, ordering, invalid coordinates; and a property test against shapely as the oracle."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
import shapely
from hypothesis import given
from hypothesis import strategies as st
from shapely.geometry import MultiPolygon, Polygon, box

from lindungi.monitoring import predicates
from lindungi.monitoring.geofence import build_index, evaluate, locate

SQUARE_WITH_HOLE = Polygon([(0, 0), (2, 0), (2, 2), (0, 2)], [[(0.5, 0.5), (1.5, 0.5), (1.5, 1.5), (0.5, 1.5)]])  # fmt: skip
TRIANGLE = Polygon([(0, 0), (3, 0), (0, 3)])
SLANTED = Polygon([(0, 0), (3, 1), (1, 3)])
TWO_SQUARES = MultiPolygon([box(0, 0, 1, 1), box(1, 1, 2, 2)])  # touching at (1, 1)
NEXT_UP = float(np.nextafter(1.5, 2))


def inside(zone: Polygon | MultiPolygon, x: float, y: float, cells: float = 64.0) -> bool:
    offsets, _ = locate(build_index(["z"], [zone], cells), np.array([x]), np.array([y]))
    return bool(offsets[1] == 1)


@pytest.mark.parametrize(
    ("zone", "x", "y", "expected"),
    [
        (SQUARE_WITH_HOLE, 0.0, 0.0, True),  # a vertex of the shell
        (SQUARE_WITH_HOLE, 1.0, 0.0, True),  # on a horizontal edge
        (SQUARE_WITH_HOLE, 2.0, 1.7, True),  # on a vertical edge
        (SQUARE_WITH_HOLE, 0.25, 0.25, True),
        (SQUARE_WITH_HOLE, 1.0, 1.0, False),  # in the hole
        (SQUARE_WITH_HOLE, 0.5, 1.0, True),  # on the hole's boundary
        (SQUARE_WITH_HOLE, 1.5, 1.5, True),  # a vertex of the hole
        (SQUARE_WITH_HOLE, 1.0, 0.5, True),
        (SQUARE_WITH_HOLE, 1.0, float(np.nextafter(0.5, 1)), False),  # just inside the hole
        (SQUARE_WITH_HOLE, float(np.nextafter(2, 3)), 1.0, False),  # just right of the shell
        (SQUARE_WITH_HOLE, 2.0, 2.0, True),  # the extent's corner
        (SQUARE_WITH_HOLE, -0.0, 1.0, True),
        (TRIANGLE, 1.5, 1.5, True),  # on the hypotenuse x + y = 3
        (TRIANGLE, 1.5, NEXT_UP, False),  # one ulp beyond it
        (TRIANGLE, 1.5, float(np.nextafter(1.5, 0)), True),
        (SLANTED, 1.5, 0.5, True),  # on the edge (0,0)-(3,1)
        (SLANTED, 1.5, float(np.nextafter(0.5, 0)), False),
        (SLANTED, 2.0, 2.0, True),  # on the edge (3,1)-(1,3)
        (TWO_SQUARES, 1.0, 1.0, True),  # where the parts touch
        (TWO_SQUARES, 1.5, 1.5, True),  # in the second part
        (TWO_SQUARES, 1.5, 0.5, False),  # between the parts
        (TWO_SQUARES, 0.0, 2.0, False),
    ],
)
def test_boundary_points_are_inside_and_holes_are_not(
    zone: Polygon | MultiPolygon, x: float, y: float, expected: bool
) -> None:
    assert bool(shapely.intersects_xy(zone, x, y)) is expected  # the oracle agrees with the table
    for cells in (1.0, 64.0, 4096.0):  # the answer must not depend on the grid
        assert inside(zone, x, y, cells) is expected


def events(zones: dict[str, Polygon | MultiPolygon], pings: list[tuple[str, int, float, float]]) -> list[tuple[str, int, str, str]]:  # fmt: skip
    index = build_index(list(zones), list(zones.values()))
    people = sorted({p for p, *_ in pings})
    person = np.array([people.index(p) for p, *_ in pings], np.int64)
    instant, lon, lat = (np.array([ping[k] for ping in pings]) for k in (1, 2, 3))
    found = evaluate(index, person, instant.astype(np.int64), lon.astype(float), lat.astype(float))
    return [(pings[i][0], pings[i][1], index.zone_ids[z], "enter" if e else "exit")
            for i, z, e in zip(found.ping, found.zone, found.enter, strict=True)]  # fmt: skip


def test_one_ping_entering_two_zones_gives_two_events_by_zone_id() -> None:
    zones = {"b-work": box(0, 0, 2, 2), "a-risk": box(1, 1, 3, 3)}
    pings = [("w1", 10, 5.0, 5.0), ("w1", 20, 1.5, 1.5), ("w1", 30, 0.5, 0.5), ("w1", 40, 9, 9)]
    assert events(zones, pings) == [
        ("w1", 20, "a-risk", "enter"),
        ("w1", 20, "b-work", "enter"),
        ("w1", 30, "a-risk", "exit"),
        ("w1", 40, "b-work", "exit"),
    ]


def test_pings_go_in_time_order_per_person_and_ties_keep_input_order() -> None:
    zones = {"z": box(0, 0, 1, 1)}
    pings = [
        ("b", 30, 0.5, 0.5),
        ("a", 50, 5.0, 5.0),  # a tie with the next: input order decides (out, then in)
        ("a", 50, 0.5, 0.5),
        ("a", 10, 0.5, 0.5),  # earlier than the lines above it
        ("b", 30, 9.0, 9.0),  # a tie: in, then out
        ("a", 20, 1.0, 1.0),  # on the boundary: still inside
    ]
    assert events(zones, pings) == [
        ("a", 10, "z", "enter"),
        ("a", 50, "z", "exit"),
        ("a", 50, "z", "enter"),
        ("b", 30, "z", "enter"),
        ("b", 30, "z", "exit"),
    ]


def test_persons_are_ordered_as_strings_and_one_never_inside_has_no_events() -> None:
    zones = {"z": box(0, 0, 1, 1)}
    pings = [(p, 1, 0.5, 0.5) for p in ("b", "ä", "B", "a10", "a9")] + [("never", 1, 4.0, 4.0)]
    assert [e[0] for e in events(zones, pings)] == ["B", "a10", "a9", "b", "ä"]


def test_invalid_coordinates_are_skipped_counted_and_change_nothing() -> None:
    index = build_index(["z"], [box(-1, -1, 1, 1)])
    lon = np.array([0.0, np.nan, 181.0, 0.0, np.inf, 0.0, 200.0, 180.0])
    lat = np.array([0.0, 0.0, 0.0, -91.0, 0.0, 0.5, 0.0, 90.0])
    found = evaluate(index, np.zeros(8, np.int64), np.arange(8), lon, lat)
    assert found.invalid.tolist() == [1, 2, 3, 4, 6]
    # in at 0; the invalid ones neither leave nor re-enter; out at 7 (lon 180 and lat 90 are valid)
    assert list(zip(found.ping.tolist(), found.enter.tolist(), strict=True)) == [(0, True), (7, False)]  # fmt: skip


def test_no_zones_or_no_pings_give_no_events() -> None:
    empty = build_index([], [])
    found = evaluate(empty, np.zeros(2, np.int64), np.arange(2), np.zeros(2), np.zeros(2))
    assert len(found.ping) == 0
    nothing = evaluate(build_index(["z"], [box(0, 0, 1, 1)]), *(np.zeros(0),) * 4)
    assert len(nothing.ping) == 0
    assert len(nothing.invalid) == 0


def test_many_overlapping_zones_fill_more_than_one_buffer() -> None:
    zones = [box(-i / 100, -i / 100, 1 + i / 100, 1) for i in range(60)]
    index = build_index([f"z{i:02d}" for i in range(60)], zones)
    offsets, found = locate(index, np.full(100, 0.5), np.linspace(0.0, 1.0, 100))
    assert np.diff(offsets).tolist() == [60] * 100  # 6,000 memberships: several rounds
    assert found.tolist() == list(range(60)) * 100


@pytest.mark.parametrize(
    ("ids", "zones", "message"),
    [
        (["a", "a"], [box(0, 0, 1, 1), box(2, 2, 3, 3)], "zone a: zone_id used twice"),
        (["bow"], [Polygon([(0, 0), (1, 1), (1, 0), (0, 1)])], "zone bow: not a valid"),
        (["line"], [shapely.LineString([(0, 0), (1, 1)])], "zone line: not a valid"),
    ],
)
def test_unusable_zones_are_refused_by_name(ids: list[str], zones: list[shapely.Geometry], message: str) -> None:  # fmt: skip
    with pytest.raises(ValueError, match=message):
        build_index(ids, zones)


def exact_sign(a: tuple[float, float], b: tuple[float, float], p: tuple[float, float]) -> int:
    ax, ay, bx, by, px, py = (Fraction(v) for v in (*a, *b, *p))
    det = (ax - px) * (by - py) - (ay - py) * (bx - px)
    return (det > 0) - (det < 0)


# Exact while products of coordinate differences stay clear of underflow (|v| > 1e-140 or 0):
# any real longitude or latitude.
coordinate = st.floats(-180, 180, allow_nan=False).filter(lambda v: v == 0 or abs(v) > 1e-30)


@given(coordinate, coordinate, coordinate, coordinate, st.floats(-2, 3), st.integers(-3, 3))
def test_orientation_is_exact_near_and_on_the_line(ax: float, ay: float, bx: float, by: float, t: float, nudge: int) -> None:  # fmt: skip
    px = ax + t * (bx - ax)  # on the line up to rounding: the hard cases
    py = float(np.nextafter(ay + t * (by - ay), np.inf * nudge)) if nudge else ay + t * (by - ay)
    got = predicates.orient(ax, ay, bx, by, px, py)
    assert got == exact_sign((ax, ay), (bx, by), (px, py))


lattice = st.integers(0, 24).map(lambda v: v / 4)


@st.composite
def zone(draw: st.DrawFn) -> Polygon | MultiPolygon:
    """A star-shaped ring on a 1/4 lattice (so points land exactly on edges and vertices),
    maybe with a rectangular hole, made valid; or a rectangle."""
    if draw(st.booleans()):
        x, y = draw(lattice), draw(lattice)
        return box(x, y, x + draw(st.integers(1, 12)) / 4, y + draw(st.integers(1, 12)) / 4)
    cx, cy, n = draw(lattice), draw(lattice), draw(st.integers(3, 9))
    radii = draw(st.lists(st.integers(2, 12), min_size=n, max_size=n))
    ring = [(round((cx + r / 4 * np.cos(2 * np.pi * k / n)) * 4) / 4,
             round((cy + r / 4 * np.sin(2 * np.pi * k / n)) * 4) / 4)
            for k, r in enumerate(radii)]  # fmt: skip
    holes = [box(cx - 0.25, cy - 0.25, cx + 0.25, cy + 0.25).exterior.coords] if draw(st.booleans()) else []  # fmt: skip
    shape = shapely.make_valid(Polygon(ring, holes), method="structure", keep_collapsed=False)
    parts = [p for p in shapely.get_parts(shape) if p.geom_type == "Polygon"]
    return shapely.union_all(parts) if parts else box(cx, cy, cx + 1, cy + 1)


@given(
    zones=st.lists(zone(), min_size=1, max_size=5),
    pings=st.lists(
        st.tuples(st.integers(0, 2), st.integers(0, 5),
                  st.one_of(lattice, st.floats(-0.5, 6.5)), st.one_of(lattice, st.floats(-0.5, 6.5))),
        min_size=1, max_size=40),
    cells=st.sampled_from([1.0, 16.0, 64.0, 500.0]),
)  # fmt: skip
def test_events_equal_a_plain_reference_over_shapely(
    zones: list[Polygon | MultiPolygon], pings: list[tuple[int, int, float, float]], cells: float
) -> None:
    vertices = shapely.get_coordinates(np.array(zones))  # some pings exactly on a vertex
    pings = [(p, t, *vertices[(i * 7) % len(vertices)]) if i % 3 == 0 else (p, t, x, y)
             for i, (p, t, x, y) in enumerate(pings)]  # fmt: skip
    ids = [f"z{k}" for k in range(len(zones))][::-1]  # ids not in the order given
    index = build_index(ids, zones, cells)
    person, instant, lon, lat = (np.array([q[k] for q in pings]) for k in range(4))
    found = evaluate(index, person.astype(np.int64), instant.astype(np.int64), lon, lat)
    got = list(zip(found.ping.tolist(), [index.zone_ids[z] for z in found.zone], found.enter.tolist(), strict=True))  # fmt: skip

    expected, before = [], dict.fromkeys(range(3), frozenset[str]())
    for i in sorted(range(len(pings)), key=lambda i: (pings[i][0], pings[i][1], i)):
        p, _, x, y = pings[i]
        now = frozenset(
            z for z, g in zip(ids, zones, strict=True) if shapely.intersects_xy(g, x, y)
        )
        changes = [(z, True) for z in now - before[p]] + [(z, False) for z in before[p] - now]
        expected += [(i, z, e) for z, e in sorted(changes)]
        before[p] = now
    assert got == expected


def test_a_dense_sweep_equals_shapely_for_every_grid_size() -> None:
    rng = np.random.default_rng(7)
    angles = np.sort(rng.uniform(0, 2 * np.pi, 32))
    radii = rng.uniform(0.55, 1.0, 32)
    star = Polygon(np.c_[radii * np.cos(angles), radii * np.sin(angles)], [box(-0.2, -0.2, 0.2, 0.2).exterior.coords])  # fmt: skip
    zones = [star, SQUARE_WITH_HOLE, TRIANGLE, TWO_SQUARES]
    xs, ys = np.meshgrid(np.linspace(-1.1, 3.1, 211), np.linspace(-1.1, 3.1, 211))
    vertices = shapely.get_coordinates(np.array(zones))
    middles = (vertices[:-1] + vertices[1:]) / 2
    x = np.concatenate([xs.ravel(), vertices[:, 0], middles[:, 0]])
    y = np.concatenate([ys.ravel(), vertices[:, 1], middles[:, 1]])
    expected = np.array([shapely.intersects_xy(z, x, y) for z in zones]).T
    for cells in (1.0, 9.0, 64.0, 700.0):
        offsets, found = locate(build_index(["a", "b", "c", "d"], zones, cells), x, y)
        got = np.zeros_like(expected)
        got[np.repeat(np.arange(len(x)), np.diff(offsets)), found] = True
        assert (got == expected).all(), f"{cells} cells: {np.argwhere(got != expected)[:5]}"
