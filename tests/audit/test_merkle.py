"""RFC 6962 Merkle hashing and proofs: known answers, every shape, corruption."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lindungi.audit import merkle
from lindungi.audit.merkle import (
    EMPTY_ROOT,
    consistency_proof,
    inclusion_proof,
    tree_hash,
    verify_consistency,
    verify_inclusion,
)

# The Certificate Transparency reference leaves and tree heads for sizes 0..8
# (published test data of transparency-dev/merkle, used here as data).
CT_LEAVES = [
    bytes.fromhex(h)
    for h in (
        "",
        "00",
        "10",
        "2021",
        "3031",
        "40414243",
        "5051525354555657",
        "606162636465666768696a6b6c6d6e6f",
    )
]
CT_ROOTS = [
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]
CT_INCLUSION = [
    (0, 8, [
        "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    ]),
    (5, 8, [
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ]),
]  # fmt: skip
CT_CONSISTENCY = [
    (2, 8, [
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    ]),
    (6, 8, [
        "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ]),
    (2, 5, [
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
    ]),
]  # fmt: skip


@pytest.mark.parametrize("size", range(9))
def test_roots_match_the_reference_tree_heads(size: int) -> None:
    assert tree_hash(CT_LEAVES[:size]).hex() == CT_ROOTS[size]


def test_empty_tree_and_hash_prefixes() -> None:
    assert EMPTY_ROOT.hex() == CT_ROOTS[0]
    assert merkle.leaf_hash(b"").hex() == CT_ROOTS[1]
    a, b = merkle.leaf_hash(b""), merkle.leaf_hash(b"\x00")
    assert merkle.node_hash(a, b).hex() == CT_ROOTS[2]


@pytest.mark.parametrize(("index", "size", "expected"), CT_INCLUSION)
def test_inclusion_proofs_match_the_reference(index: int, size: int, expected: list[str]) -> None:
    proof = inclusion_proof(index, CT_LEAVES[:size])
    assert [p.hex() for p in proof] == expected
    root = bytes.fromhex(CT_ROOTS[size])
    assert verify_inclusion(CT_LEAVES[index], index, size, proof, root)


@pytest.mark.parametrize(("old", "new", "expected"), CT_CONSISTENCY)
def test_consistency_proofs_match_the_reference(old: int, new: int, expected: list[str]) -> None:
    proof = consistency_proof(old, CT_LEAVES[:new])
    assert [p.hex() for p in proof] == expected
    old_root, new_root = bytes.fromhex(CT_ROOTS[old]), bytes.fromhex(CT_ROOTS[new])
    assert verify_consistency(old, new, old_root, new_root, proof)


@pytest.mark.parametrize(("n", "k"), [(2, 1), (3, 2), (4, 2), (5, 4), (8, 4), (9, 8), (1000, 512)])
def test_the_split_is_rfc_6962s_not_the_midpoint(n: int, k: int) -> None:
    assert merkle.split_point(n) == k


LEAVES = [f"entry-{i}".encode() for i in range(70)]
ROOTS = [tree_hash(LEAVES[:n]) for n in range(len(LEAVES) + 1)]


def _mangled(proof: list[bytes]) -> list[list[bytes]]:
    variants = []
    if proof:
        flipped = [bytearray(p) for p in proof]
        flipped[-1][7] ^= 1
        variants += [[bytes(p) for p in flipped], proof[:-1], [*proof, b"\xab" * 32]]
    if len(proof) >= 2 and proof[0] != proof[1]:
        variants.append([proof[1], proof[0], *proof[2:]])
    return variants


def test_every_inclusion_proof_verifies_and_no_mangled_one_does() -> None:
    checked = 0
    for n in range(1, len(LEAVES) + 1):
        for i in range(n):
            proof = inclusion_proof(i, LEAVES[:n])
            assert verify_inclusion(LEAVES[i], i, n, proof, ROOTS[n]), (i, n)
            assert not verify_inclusion(LEAVES[i] + b"x", i, n, proof, ROOTS[n])
            if n > 1:
                assert not verify_inclusion(LEAVES[i], (i + 1) % n, n, proof, ROOTS[n])
            for bad in _mangled(proof):
                assert not verify_inclusion(LEAVES[i], i, n, bad, ROOTS[n]), (i, n, bad)
            checked += 1
    assert checked == 70 * 71 // 2


def test_every_consistency_proof_verifies_and_no_mangled_one_does() -> None:
    for new in range(len(LEAVES) + 1):
        for old in range(new + 1):
            proof = consistency_proof(old, LEAVES[:new])
            assert verify_consistency(old, new, ROOTS[old], ROOTS[new], proof), (old, new)
            if 0 < old < new:
                for bad in _mangled(proof):
                    assert not verify_consistency(old, new, ROOTS[old], ROOTS[new], bad)
                assert not verify_consistency(old, new, ROOTS[old - 1], ROOTS[new], proof)
                assert not verify_consistency(old, new, ROOTS[old], ROOTS[new - 1], proof)


def test_degenerate_and_malformed_inputs_are_rejected_not_raised() -> None:
    root8 = bytes.fromhex(CT_ROOTS[8])
    proof = inclusion_proof(5, CT_LEAVES)
    assert not verify_inclusion(CT_LEAVES[5], 8, 8, proof, root8)
    assert not verify_inclusion(CT_LEAVES[5], -1, 8, proof, root8)
    assert not verify_inclusion(CT_LEAVES[5], 5, 8, proof, root8[:31])
    assert not verify_inclusion(CT_LEAVES[5], 5, 8, [b"short", *proof[1:]], root8)
    assert not verify_inclusion("text", 5, 8, proof, root8)  # type: ignore[arg-type]
    assert verify_consistency(4, 4, ROOTS[4], ROOTS[4], [])
    assert not verify_consistency(4, 4, ROOTS[4], ROOTS[5], [])
    assert not verify_consistency(4, 4, ROOTS[4], ROOTS[4], [b"\x00" * 32])
    assert verify_consistency(0, 8, EMPTY_ROOT, ROOTS[8], [])
    assert not verify_consistency(0, 8, ROOTS[1], ROOTS[8], [])
    assert not verify_consistency(8, 6, ROOTS[8], ROOTS[6], [])
    assert not verify_consistency(6, 8, ROOTS[6], ROOTS[8], [])
    with pytest.raises(ValueError, match="index 8 is outside a tree of 8 leaves"):
        inclusion_proof(8, CT_LEAVES)
    with pytest.raises(ValueError, match=r"old size 9 is outside 0\.\.8"):
        consistency_proof(9, CT_LEAVES)


def test_stored_subtrees_give_the_same_roots_and_proofs_as_the_list_api() -> None:
    store: dict[tuple[int, int], bytes] = {}
    for index, entry in enumerate(LEAVES):
        for level, position, digest in merkle.appended_nodes(
            index, merkle.leaf_hash(entry), lambda lv, ix: store[(lv, ix)]
        ):
            store[(level, position)] = digest
        size = index + 1
        assert merkle.range_hash(lambda lv, ix: store[(lv, ix)], 0, size) == ROOTS[size]
        frontier = [store[key] for key in merkle.frontier_keys(size)]
        assert merkle.root_from_frontier(frontier) == ROOTS[size]
    assert len(store) == 2 * len(LEAVES) - bin(len(LEAVES)).count("1")
    assert merkle.left_siblings(0b1011) == [(0, 0b1010), (1, 0b100)]


@given(st.lists(st.binary(max_size=12), min_size=1, max_size=40), st.data())
def test_property_proofs_round_trip(leaves: list[bytes], data: st.DataObject) -> None:
    n = len(leaves)
    index = data.draw(st.integers(0, n - 1))
    old = data.draw(st.integers(0, n))
    root = tree_hash(leaves)
    assert verify_inclusion(leaves[index], index, n, inclusion_proof(index, leaves), root)
    proof = consistency_proof(old, leaves)
    assert verify_consistency(old, n, tree_hash(leaves[:old]), root, proof)


@given(st.lists(st.binary(max_size=8), min_size=2, max_size=30), st.data())
def test_property_a_changed_history_is_not_consistent(
    leaves: list[bytes], data: st.DataObject
) -> None:
    old = data.draw(st.integers(1, len(leaves) - 1))
    changed = list(leaves)
    victim = data.draw(st.integers(0, old - 1))
    changed[victim] = changed[victim] + b"!"
    proof = consistency_proof(old, changed)
    assert not verify_consistency(
        old, len(leaves), tree_hash(leaves[:old]), tree_hash(changed), proof
    )
