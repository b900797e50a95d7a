"""Scored pairs into people: strongest links first, never joining two groups that the
civil registry or an officer says are different people. Pure.

Plain connected components chain through one weak link: a father and son who share an
address, a phone and a surname, or twins who share everything but their given names and
NIK serials, end up as one person, and with them everyone linked to either. Here a link
joins two groups only when no rule below says they are different people; each rule
explains itself, and officers' judgements outrank the model both ways.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from rapidfuzz.distance import DamerauLevenshtein, JaroWinkler, Levenshtein

K = TypeVar("K", bound=Hashable)

#: Match probability at or above which two records are taken to be one person.
DEFAULT_THRESHOLD = 0.9


@dataclass(frozen=True)
class Traits:
    """What a record says that two different people cannot both say of themselves."""

    nik: str | None = None  # a valid NIK only
    birth_date: str | None = None  # ISO
    swapped: str | None = None  # the birth date with day and month swapped
    name: str | None = None  # normalised own name, parts sorted
    name_tokens: frozenset[str] = frozenset()  # phonetic name parts
    ids: frozenset[str] = frozenset()  # passport numbers and non-NIK national ids


def traits_of(row: dict[str, Any]) -> Traits:
    """The clustering rules' view of a prepared row (``features.record_features``)."""
    return Traits(
        nik=row["nik"] if row.get("nik_prefix") else None,
        birth_date=row.get("dob_any"),
        swapped=row.get("dob_swapped"),
        name=row.get("name_sorted"),
        name_tokens=frozenset(row.get("name_tokens") or ()),
        # A shared passport, or a shared national id that is not a NIK, waives the date and
        # name rules; a shared NIK does not: one NIK under two unrelated names is the
        # misuse the fraud signals look for, not a typing slip.
        ids=frozenset(
            f"{kind}:{row[column]}"
            for kind, column in (("id", "nik"), ("pp", "passport"))
            if row.get(column) and not (column == "nik" and row.get("nik_prefix"))
        ),
    )


@dataclass
class _Group(Generic[K]):
    members: list[K]
    niks: set[str] = field(default_factory=set)
    dates: set[str] = field(default_factory=set)
    swapped: set[str] = field(default_factory=set)
    names: set[str] = field(default_factory=set)
    tokens: list[frozenset[str]] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)

    def absorb(self, other: _Group[K]) -> None:
        self.members += other.members
        self.niks |= other.niks
        self.dates |= other.dates
        self.swapped |= other.swapped
        self.names |= other.names
        self.tokens += other.tokens
        self.ids |= other.ids


def _group(members: list[K], traits: Iterable[Traits]) -> _Group[K]:
    group: _Group[K] = _Group(members)
    for t in traits:
        if t.nik:
            group.niks.add(t.nik)
        if t.birth_date:
            group.dates.add(t.birth_date)
        if t.swapped:
            group.swapped.add(t.swapped)
        if t.name:
            group.names.add(t.name)
        if t.name_tokens:
            group.tokens.append(t.name_tokens)
        group.ids |= t.ids
    return group


def _rules_conflict(ga: _Group[K], gb: _Group[K]) -> str | None:
    nik = _nik_conflict(ga.niks, gb.niks, _names_differ(ga, gb))
    if nik or ga.ids & gb.ids:
        # One passport number (or non-NIK national id) on both sides outweighs a birth date
        # or name written wholly differently (a clerk's slip); relatives share neither.
        return nik
    return _date_conflict(ga, gb) or _name_conflict(ga, gb)


def conflict(a: Iterable[Traits], b: Iterable[Traits]) -> str | None:
    """Why the records ``a`` and the records ``b`` cannot be one person, or None."""
    return _rules_conflict(_group([], a), _group([], b))


def _nik_conflict(a: set[str], b: set[str], names_differ: bool) -> str | None:
    if not a or not b or a & b:
        return None
    for x in a:
        for y in b:
            same_birth = x[:12] == y[:12]
            if DamerauLevenshtein.distance(x, y) <= 1 and not (same_birth and names_differ):
                return None
    if any(x[:12] == y[:12] for x in a for y in b):
        return "NIKs share region and birth date but not serial, and the names differ (twins?)"
    return "their NIKs differ in more than one digit"


def _date_conflict(a: _Group[K], b: _Group[K]) -> str | None:
    if not a.dates or not b.dates or a.dates & b.dates:
        return None
    if a.dates & b.swapped or b.dates & a.swapped:
        return None
    if any(Levenshtein.distance(x, y) <= 2 for x in a.dates for y in b.dates):
        return None
    return "their birth dates differ in more than two digits"


def _names_differ(a: _Group[K], b: _Group[K]) -> bool:
    # Twins' names are often one letter apart (Rini / Rina, Andi / Andri): with NIKs that
    # share region and birth date, only the very same name parts count as one person.
    return bool(a.names and b.names and not a.names & b.names)


def _name_conflict(a: _Group[K], b: _Group[K]) -> str | None:
    if not a.tokens or not b.tokens:
        return None
    if any(x & y for x in a.tokens for y in b.tokens):
        return None
    if any(JaroWinkler.similarity(x, y) >= 0.8 for x in a.names for y in b.names):
        return None
    return "their names share no part"


@dataclass
class Clusters(Generic[K]):
    """Each record's person (a representative record), and why links were refused."""

    person: dict[K, K]
    link: dict[K, tuple[K, float]]  # record -> (the record it was joined through, probability)
    refused: list[tuple[K, K, str]]  # links above the threshold that were not followed


def cluster(
    records: Sequence[K],
    pairs: Iterable[tuple[K, K, float]],
    *,
    threshold: float,
    traits: Mapping[K, Traits] | None = None,
    same: Iterable[tuple[K, K]] = (),
    different: Iterable[tuple[K, K]] = (),
) -> Clusters[K]:
    """Group ``records`` by scored ``pairs`` at ``threshold``, respecting judgements.

    ``same`` and ``different`` are officers' judgements: a "same" pair is joined before any
    model link and whatever the rules say; a "different" pair is never joined, directly or
    through others.
    """
    traits = traits or {}
    parent: dict[K, K] = {r: r for r in records}
    groups: dict[K, _Group[K]] = {}
    for r in records:
        groups[r] = _group([r], [traits.get(r, Traits())])
    apart: dict[K, set[K]] = {}
    for a, b in different:
        if a in parent and b in parent:
            apart.setdefault(a, set()).add(b)
            apart.setdefault(b, set()).add(a)

    def root(x: K) -> K:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def judged_apart(ga: _Group[K], gb: _Group[K]) -> bool:
        small, big = (ga, gb) if len(ga.members) <= len(gb.members) else (gb, ga)
        others = set(big.members)
        return any(apart.get(m, set()) & others for m in small.members)

    def join(ra: K, rb: K) -> None:
        if len(groups[ra].members) < len(groups[rb].members):
            ra, rb = rb, ra
        parent[rb] = ra
        groups[ra].absorb(groups.pop(rb))

    link: dict[K, tuple[K, float]] = {}
    for a, b in same:
        if a in parent and b in parent and root(a) != root(b):
            join(root(a), root(b))
            link.setdefault(b, (a, 1.0))
    refused: list[tuple[K, K, str]] = []
    ordered = sorted(
        ((p, a, b) for a, b, p in pairs if p >= threshold and a in parent and b in parent),
        key=lambda e: -e[0],
    )
    for p, a, b in ordered:
        ra, rb = root(a), root(b)
        if ra == rb:
            continue
        ga, gb = groups[ra], groups[rb]
        reason = "an officer judged them different people" if judged_apart(ga, gb) else None
        reason = reason or _rules_conflict(ga, gb)
        if reason:
            refused.append((a, b, reason))
            continue
        join(ra, rb)
        link.setdefault(b, (a, p))
    return Clusters({r: root(r) for r in records}, link, refused)
