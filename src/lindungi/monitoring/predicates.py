"""Exact geometric predicates for the geofence engine, compiled by numba: Shewchuk's
adaptive orientation test (exact when the fast estimate is too close to call) and the
boundary-inclusive crossing-number test of a point against ring segments (GEOS's rules),
so a point exactly on an edge or a vertex is inside and one ulp off is not."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

import numpy as np
import numpy.typing as npt
from numba import njit

Floats = npt.NDArray[np.float64]
Int32s = npt.NDArray[np.int32]
F = TypeVar("F", bound=Callable[..., Any])

_EPS = 2.0**-53
_CCW_BOUND = (3.0 + 16.0 * _EPS) * _EPS  # Shewchuk's orient2d error bound A
_SPLIT = 134217729.0  # 2**27 + 1: Dekker's splitter for exact products


def jit(func: F) -> F:
    """Compile with numba, cached on disk (the first run compiles, later runs load)."""
    return cast(F, njit(cache=True, nogil=True)(func))


@jit
def _two_sum(a: float, b: float) -> tuple[float, float]:
    s = a + b
    v = s - a
    return s, (a - (s - v)) + (b - v)


@jit
def _two_product(a: float, b: float) -> tuple[float, float]:
    p = a * b
    c = _SPLIT * a
    ahi = c - (c - a)
    alo = a - ahi
    c = _SPLIT * b
    bhi = c - (c - b)
    blo = b - bhi
    return p, alo * blo - (((p - ahi * bhi) - alo * bhi) - ahi * blo)


@jit
def _exact_orient(ax: float, ay: float, bx: float, by: float, px: float, py: float) -> int:
    """The sign of (a - p) x (b - p) computed exactly: each difference split into two doubles
    without error, the 16 partial products summed as an expansion (Shewchuk's grow-expansion),
    whose largest component has the sign of the whole."""
    parts = np.empty(8)  # (a - p).x, (b - p).y, (a - p).y, (b - p).x, each as two doubles
    parts[0], parts[1] = _two_sum(ax, -px)
    parts[2], parts[3] = _two_sum(by, -py)
    parts[4], parts[5] = _two_sum(ay, -py)
    parts[6], parts[7] = _two_sum(bx, -px)
    h = np.zeros(16)
    for m in range(16):
        pair = m >> 1  # products (x0 y0, x0 y1, x1 y0, x1 y1) of the left, then the right term
        right = pair >> 2
        p, e = _two_product(parts[4 * right + (pair >> 1 & 1)], parts[4 * right + 2 + (pair & 1)])
        q = (e if m & 1 else p) * (-1.0 if right else 1.0)
        for j in range(m):
            q, h[j] = _two_sum(q, h[j])
        h[m] = q
    for j in range(15, -1, -1):
        if h[j] != 0.0:
            return 1 if h[j] > 0.0 else -1
    return 0


@jit
def orient(ax: float, ay: float, bx: float, by: float, px: float, py: float) -> int:
    left = (ax - px) * (by - py)
    right = (ay - py) * (bx - px)
    det = left - right
    bound = _CCW_BOUND * (abs(left) + abs(right))
    if det > bound:
        return 1
    if -det > bound:
        return -1
    return _exact_orient(ax, ay, bx, by, px, py)


@jit
def covers(segs: Floats, ids: Int32s, a: int, b: int, px: float, py: float) -> bool:
    """Whether rings cover (px, py), boundary included (GEOS's ray-crossing rules), from the
    segments ``ids[a:b]``: all of a zone's, or those that can matter for one cell's points."""
    crossings = 0
    for j in range(a, b):
        k = ids[j]
        x1, y1, x2, y2 = segs[k, 0], segs[k, 1], segs[k, 2], segs[k, 3]
        if (y1 > py and y2 > py) or (y1 < py and y2 < py) or (x1 < px and x2 < px):
            continue
        if px == x2 and py == y2:
            return True
        if y1 == py and y2 == py:
            if min(x1, x2) <= px:  # and not both left of it: on this horizontal segment
                return True
            continue
        if (y1 > py) != (y2 > py):
            side = orient(x1, y1, x2, y2, px, py)
            if side == 0:
                return True
            if (side > 0) == (y2 > y1):
                crossings += 1
    return crossings % 2 == 1
