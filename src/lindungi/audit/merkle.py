"""Merkle tree hashing, proofs and their verification, exactly as RFC 6962 §2.1.

The contract-6 functions take the log's entries (``leaves``: a sequence of
``bytes``) and hash them as leaves. The same algorithms also run over a
:data:`NodeGetter`, a function returning the hash of a complete (perfect) subtree,
so that a log of millions of entries stored with its subtree hashes can be
appended to and proven from without rehashing it (see :func:`appended_nodes`).
Verification follows RFC 9162 §2.1.3.2 and §2.1.4.2. Pure: no I/O.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence

#: MTH({}): the hash of an empty tree.
EMPTY_ROOT = hashlib.sha256(b"").digest()
HASH_SIZE = 32

#: ``get(level, index)`` → hash of the complete subtree over leaves
#: ``[index * 2**level, (index + 1) * 2**level)``; level 0 is the leaf hashes.
NodeGetter = Callable[[int, int], bytes]


def leaf_hash(entry: bytes) -> bytes:
    """SHA-256(0x00 || entry)."""
    return hashlib.sha256(b"\x00" + entry).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """SHA-256(0x01 || left || right)."""
    return hashlib.sha256(b"\x01" + left + right).digest()


def split_point(n: int) -> int:
    """The largest power of two smaller than ``n`` (``n`` ≥ 2): RFC 6962's ``k``."""
    return 1 << ((n - 1).bit_length() - 1)


# --- over stored subtree hashes -------------------------------------------------


def range_hash(get: NodeGetter, start: int, end: int) -> bytes:
    """MTH of the leaves ``[start, end)``, from complete subtrees (O(log n) lookups)."""
    n = end - start
    if n == 0:
        return EMPTY_ROOT
    if n & (n - 1) == 0 and start % n == 0:
        level = n.bit_length() - 1
        return get(level, start >> level)
    k = split_point(n)
    return node_hash(range_hash(get, start, start + k), range_hash(get, start + k, end))


def path(get: NodeGetter, index: int, start: int, end: int) -> list[bytes]:
    """PATH(index, D[start:end]): the audit path of one leaf (RFC 6962 §2.1.1)."""
    if end - start == 1:
        return []
    k = split_point(end - start)
    if index - start < k:
        return [*path(get, index, start, start + k), range_hash(get, start + k, end)]
    return [*path(get, index, start + k, end), range_hash(get, start, start + k)]


def subproof(get: NodeGetter, m: int, start: int, end: int, complete: bool) -> list[bytes]:
    """SUBPROOF(m, D[start:end], complete) of RFC 6962 §2.1.2."""
    n = end - start
    if m == n:
        return [] if complete else [range_hash(get, start, end)]
    k = split_point(n)
    if m <= k:
        return [*subproof(get, m, start, start + k, complete), range_hash(get, start + k, end)]
    return [*subproof(get, m - k, start + k, end, False), range_hash(get, start, start + k)]


def appended_nodes(index: int, leaf: bytes, get: NodeGetter) -> list[tuple[int, int, bytes]]:
    """The complete subtrees that appending leaf hash ``leaf`` at ``index`` finishes.

    Returns ``(level, index, hash)`` from the leaf upwards; ``get`` is asked only for
    the left siblings, which already exist. Amortised, one node per append.
    """
    nodes = [(0, index, leaf)]
    level, position, current = 0, index, leaf
    while position & 1:
        current = node_hash(get(level, position - 1), current)
        level, position = level + 1, position >> 1
        nodes.append((level, position, current))
    return nodes


def left_siblings(index: int) -> list[tuple[int, int]]:
    """The stored nodes :func:`appended_nodes` will ask for when appending at ``index``."""
    keys, level, position = [], 0, index
    while position & 1:
        keys.append((level, position - 1))
        level, position = level + 1, position >> 1
    return keys


def root_from_frontier(frontier: Sequence[bytes]) -> bytes:
    """The root from the complete subtrees of a tree, largest (leftmost) first."""
    if not frontier:
        return EMPTY_ROOT
    root = frontier[-1]
    for left in reversed(frontier[:-1]):
        root = node_hash(left, root)
    return root


def frontier_keys(size: int) -> list[tuple[int, int]]:
    """(level, index) of the complete subtrees a tree of ``size`` leaves splits into."""
    keys, start = [], 0
    for level in range(size.bit_length() - 1, -1, -1):
        if size & (1 << level):
            keys.append((level, start >> level))
            start += 1 << level
    return keys


# --- the contract-6 API over a list of entries ----------------------------------


class _MemoryTree:
    """Every complete subtree of ``leaves``, level by level (2n hashes)."""

    def __init__(self, leaves: Sequence[bytes]) -> None:
        level = [leaf_hash(bytes(entry)) for entry in leaves]
        self.levels = [level]
        while len(level) > 1:
            level = [node_hash(level[i], level[i + 1]) for i in range(0, len(level) - 1, 2)]
            self.levels.append(level)

    def get(self, level: int, index: int) -> bytes:
        return self.levels[level][index]


def tree_hash(leaves: Sequence[bytes]) -> bytes:
    """MTH(D[n]) of the entries ``leaves``."""
    return range_hash(_MemoryTree(leaves).get, 0, len(leaves))


def inclusion_proof(index: int, leaves: Sequence[bytes]) -> list[bytes]:
    """The audit path proving entry ``index`` is in the tree of ``leaves``."""
    if not 0 <= index < len(leaves):
        raise ValueError(f"index {index} is outside a tree of {len(leaves)} leaves")
    return path(_MemoryTree(leaves).get, index, 0, len(leaves))


def consistency_proof(old_size: int, leaves: Sequence[bytes]) -> list[bytes]:
    """PROOF(old_size, D[n]): the tree of ``leaves`` extends its first ``old_size``."""
    if not 0 <= old_size <= len(leaves):
        raise ValueError(f"old size {old_size} is outside 0..{len(leaves)}")
    if old_size in (0, len(leaves)):
        return []
    return subproof(_MemoryTree(leaves).get, old_size, 0, len(leaves), True)


def _hashes(*values: object) -> bool:
    return all(isinstance(v, bytes) and len(v) == HASH_SIZE for v in values)


def verify_inclusion_hash(
    leaf: bytes, index: int, size: int, proof: Sequence[bytes], root: bytes
) -> bool:
    """RFC 9162 §2.1.3.2 for a leaf *hash*; never raises on malformed input."""
    if not (_hashes(leaf, root, *proof) and isinstance(index, int) and isinstance(size, int)):
        return False
    if not 0 <= index < size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and r == root


def verify_inclusion(
    leaf: bytes, index: int, size: int, proof: Sequence[bytes], root: bytes
) -> bool:
    """Whether entry ``leaf`` (the entry's bytes, as in ``leaves``) is at ``index``."""
    if not isinstance(leaf, bytes):
        return False
    return verify_inclusion_hash(leaf_hash(leaf), index, size, proof, root)


def verify_consistency(
    old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]
) -> bool:
    """RFC 9162 §2.1.4.2: the tree ``new_root`` extends ``old_root``; never raises."""
    if not (_hashes(old_root, new_root, *proof) and isinstance(old_size, int)):
        return False
    if not isinstance(new_size, int) or not 0 <= old_size <= new_size:
        return False
    if old_size == new_size:
        return not proof and old_root == new_root
    if old_size == 0:
        return not proof and old_root == EMPTY_ROOT
    if not proof:
        return False
    path_ = list(proof)
    if old_size & (old_size - 1) == 0:
        path_.insert(0, old_root)
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path_[0]
    for c in path_[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and fr == old_root and sr == new_root
