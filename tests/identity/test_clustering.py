"""Clustering scored pairs into people without chaining relatives or twins together."""

from lindungi.identity.clustering import Traits, cluster, conflict


def _t(nik: str | None = None, dob: str | None = None, name: str = "", tokens: str = "") -> Traits:
    return Traits(
        nik=nik, birth_date=dob, name=name or None,
        name_tokens=frozenset((tokens or name).split()),
    )  # fmt: skip


def test_links_above_the_threshold_join_and_others_do_not() -> None:
    found = cluster(["a", "b", "c"], [("a", "b", 0.99), ("b", "c", 0.5)], threshold=0.9)
    assert found.person["a"] == found.person["b"] != found.person["c"]


def test_twins_with_one_serial_apart_are_not_joined_through_a_strong_link() -> None:
    traits = {
        "hasan": _t("3301010403990001", "1999-03-04", "ahmad hasan", "amad hasan"),
        "husen": _t("3301010403990002", "1999-03-04", "ahmad husen", "amad husen"),
    }
    found = cluster(["hasan", "husen"], [("hasan", "husen", 0.97)], threshold=0.9, traits=traits)
    assert found.person["hasan"] != found.person["husen"]
    assert found.refused == [("hasan", "husen", found.refused[0][2])]
    assert "twins" in found.refused[0][2]


def test_a_nik_typo_in_the_serial_still_joins_the_same_name() -> None:
    traits = {
        "a": _t("3301010403990001", "1999-03-04", "ahmad hasan"),
        "b": _t("3301010403990007", "1999-03-04", "ahmad hasan"),
    }
    found = cluster(["a", "b"], [("a", "b", 0.97)], threshold=0.9, traits=traits)
    assert found.person["a"] == found.person["b"]


def test_father_and_son_sharing_a_phone_do_not_chain_two_people_together() -> None:
    # son1 ~ son2 (the same son), father ~ son2 (same household: scored high by mistake)
    traits = {
        "son1": _t(None, "2001-07-01", "budi santoso"),
        "son2": _t(None, "2001-07-01", "budi santoso"),
        "father": _t(None, "1965-02-11", "santoso"),
    }
    pairs = [("son1", "son2", 0.999), ("father", "son2", 0.95)]
    found = cluster(["son1", "son2", "father"], pairs, threshold=0.9, traits=traits)
    assert found.person["son1"] == found.person["son2"] != found.person["father"]
    assert found.refused[0][2] == "their birth dates differ in more than two digits"


def test_officers_judgements_outrank_the_model_both_ways() -> None:
    pairs = [("a", "b", 0.99), ("c", "d", 0.1)]
    found = cluster(
        ["a", "b", "c", "d"], pairs, threshold=0.9, same=[("c", "d")], different=[("a", "b")]
    )
    assert found.person["a"] != found.person["b"]
    assert found.person["c"] == found.person["d"]
    assert found.refused == [("a", "b", "an officer judged them different people")]


def test_a_different_judgement_holds_through_a_third_record() -> None:
    pairs = [("a", "x", 0.99), ("x", "b", 0.98)]
    found = cluster(["a", "b", "x"], pairs, threshold=0.9, different=[("a", "b")])
    assert found.person["a"] == found.person["x"] != found.person["b"]


def test_conflict_explains_itself() -> None:
    assert conflict([_t("3301010403990001")], [_t("3374015511880002")]) == (
        "their NIKs differ in more than one digit"
    )
    assert conflict([_t(name="siti aminah")], [_t(name="rudi hartono")]) == (
        "their names share no part"
    )
    assert conflict([_t(dob="1990-05-03")], [_t(dob="1990-03-05", name="")]) is None
