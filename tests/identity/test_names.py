"""Indonesian names made comparable: titles, bin/binti, Muhammad, old spelling, sounds."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lindungi.identity.names import modern_spelling, normalize_name, phonetic_key


@pytest.mark.parametrize(
    ("written", "given", "father"),
    [
        (
            "Hj. Siti Nurhaliza binti H. Abdoel Rachman, S.Pd.",
            ("siti", "nurhaliza"),
            ("abdul", "rakhman"),
        ),
        ("SITI NURHALIZA", ("siti", "nurhaliza"), ()),
        ("Moh. Djoko Soesilo", ("muhammad", "joko", "susilo"), ()),
        ("Mochamad Joko Susilo", ("muhammad", "joko", "susilo"), ()),
        ("M. Rizky", ("muhammad", "rizky"), ()),
        ("Drs. Ir. Bambang Tjahjono, M.M.", ("bambang", "cahyono"), ()),
        ("Siti Aminah, A.Md.Keb", ("siti", "aminah"), ()),
        ("Ahmad bin Yusuf", ("ahmad",), ("yusuf",)),
        ("Sukarno", ("sukarno",), ()),
        ("dr. Wahyuni", ("wahyuni",), ()),
    ],
)
def test_normalised_names(written: str, given: tuple[str, ...], father: tuple[str, ...]) -> None:
    name = normalize_name(written)
    assert (name.given, name.father) == (given, father)


@pytest.mark.parametrize(
    ("old", "new"),
    [("djoko", "joko"), ("tjahjo", "cahyo"), ("soeharto", "suharto"), ("soerjo", "suryo"),
     ("njoman", "nyoman"), ("sjarif", "syarif"), ("jusuf", "jusuf"), ("yogya", "yogya")],
)  # fmt: skip
def test_old_spelling(old: str, new: str) -> None:
    assert modern_spelling(old) == new


@pytest.mark.parametrize(
    ("a", "b"),
    [("Achmad", "Ahmad"), ("Rachmat", "Rahmat"), ("Syaiful", "Saiful"), ("Noor", "Nur"),
     ("Dewie", "Dewi"), ("Sity", "Siti"), ("Muhamad", "Muhammad"), ("Novi", "Nofi"),
     ("Khadijah", "Hadijah"), ("Zainal", "Jainal")],
)  # fmt: skip
def test_spelling_variants_share_a_phonetic_key(a: str, b: str) -> None:
    assert phonetic_key(a) == phonetic_key(b)


@pytest.mark.parametrize(("a", "b"), [("Siti", "Sari"), ("Budi", "Bayu"), ("Dewi", "Desi")])
def test_different_names_keep_different_keys(a: str, b: str) -> None:
    assert phonetic_key(a) != phonetic_key(b)


def test_word_order_does_not_matter_for_the_sorted_key() -> None:
    assert (
        normalize_name("Nurhaliza, Siti").sorted_key == normalize_name("Siti Nurhaliza").sorted_key
    )


@given(st.text(max_size=60))
def test_normalisation_never_raises_and_is_idempotent(text: str) -> None:
    name = normalize_name(text)
    assert normalize_name(name.text).given == name.given


@pytest.mark.parametrize(("text", "given"), [("SDJ", ("sy",)), ("CH", ()), ("ddjj", ("jy",))])
def test_spelling_fixes_reach_a_fixed_point(text: str, given: tuple[str, ...]) -> None:
    assert normalize_name(text).given == given
