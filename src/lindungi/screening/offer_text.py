"""Read a job offer as people really write it and return the facts a screening rule needs.

Recruiters for the scam compounds of Cambodia, Myanmar and Laos post in Indonesian,
English or both, in slang ("lowker admin kamboja gaji 15jt, japri"), with emoji, fancy
Unicode letters, ALL CAPS and stretched words ("URGENTTT"). `analyse_offer` reads such a
text and returns pay and fees normalised to rupiah per month, the places and whether they
are known compound areas, contact channels, phone numbers in E.164, messaging handles, the
job roles, risk cues and signs of a lawful placement. It only reports what the text says:
weighing the facts is the rules' job.

The module is pure (no I/O, no database) and fast: the phrase lists of
`lindungi.screening.lexicon` are compiled once at import into one Aho-Corasick automaton
and a few regular expressions, so a call costs tens of microseconds on a typical post.

How the text is read: emoji and invisible characters are dropped, Unicode is folded
(NFKC, so "𝐊𝐀𝐌𝐁𝐎𝐉𝐀" reads "KAMBOJA"), and phrases match on whole words whatever the
case, with punctuation read as a space, never across a comma, bracket or line break, and
letters stretched three times or more counted once ("URGENTTT" is "urgent").
`Money.text` and `Place.text` are spans of the text so folded; `Cue.text` is the phrase as
matched, in lower case with punctuation as spaces ("jalan-jalan" gives "jalan jalan").

Amounts: Indonesian "17.000.000" and "1,5" and English "15,000,000" and "1.5" are read
alike (three digits after the last separator make it a thousands separator); "jt"/"juta",
"rb"/"ribu" and "k" multiply and, without a currency, mean rupiah. A bare number counts
only after a label ("gaji 8.000.000") and from 100,000. A range keeps its top as `amount`.
An amount is a fee when the nearest label before it asks the worker to pay or takes from
the wage ("biaya", "deposit", "DP", "denda", "potong gaji", "hutang", "bayar", ...) or
one follows it ("$500 deposit"); a price after "tiket", "visa", "makan" ... with no such
label is neither pay nor fee and is left out. A fee with no period given is reported per
month, so its `idr_month` is its amount in rupiah.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from itertools import product
from typing import Any

import ahocorasick  # type: ignore[import-not-found]  # C extension without type stubs
import emoji

from lindungi.screening import contacts, money
from lindungi.screening import lexicon as lx
from lindungi.screening.money import DEFAULT_RATES_IDR, Money

__all__ = ["DEFAULT_RATES_IDR", "Cue", "Money", "OfferFacts", "Place", "analyse_offer"]


@dataclass(frozen=True, slots=True)
class Place:
    """A named place: canonical English name, ISO country, and whether it is a compound area."""

    name: str
    country: str
    compound_area: bool
    text: str


@dataclass(frozen=True, slots=True)
class Cue:
    """A phrase that is a sign of risk (or, in `OfferFacts.legit`, of a lawful placement)."""

    kind: str
    text: str


@dataclass(frozen=True, slots=True)
class OfferFacts:
    """What one offer text says; see `analyse_offer`."""

    salaries: tuple[Money, ...]
    fees: tuple[Money, ...]
    salary_idr_month: int | None
    places: tuple[Place, ...]
    countries: tuple[str, ...]
    channels: tuple[str, ...]
    phones: tuple[str, ...]
    handles: tuple[str, ...]
    roles: tuple[str, ...]
    cues: tuple[Cue, ...]
    legit: tuple[Cue, ...]
    hours_per_day: int | None


# --- text folding ---------------------------------------------------------------------
_BRACES = re.compile(r"\{([^{}]*)\}")
_REPEATS = re.compile(r"([a-z])\1\1+")
_TRIPLES = ahocorasick.Automaton()  # finds a stretched letter far faster than _REPEATS
for _letter in "abcdefghijklmnopqrstuvwxyz":
    _TRIPLES.add_word(_letter * 3, None)
_TRIPLES.make_automaton()
_KEYCAP = re.compile("[0-9#*]\ufe0f?\u20e3")
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
# Every non-ASCII code point of an emoji (from the `emoji` package's data) becomes a space
# and invisible characters go; translating only the non-ASCII runs is far faster than
# `emoji.replace_emoji`.
_DROP: dict[int, str | None] = {ord(c): " " for e in emoji.EMOJI_DATA for c in e if ord(c) > 127}
_DROP.update(dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u200e\u200f\u2060\u2061\ufeff")))
# Characters that separate words in the matching key: punctuation, symbols, spaces, controls.
# Clause marks become "|", a word no phrase has, so "akomodasi gratis, mess" is no "gratis mess".
_SEPARATORS = {i: " " for i in range(128) if not chr(i).isalnum()}
_SEPARATORS.update(dict.fromkeys(map(ord, ',;!?()[]{}"\n'), "|"))
_SEPARATORS.update(
    (i, " ") for i in range(128, 0x3040) if unicodedata.category(chr(i))[0] in "PSZC"
)


def _drop_emoji(run: re.Match[str]) -> str:
    return run[0].translate(_DROP)


def _fold(text: str) -> tuple[str, str]:
    """The text as read (cased, emoji dropped, NFKC) and its lower-case twin of equal length."""
    if not text.isascii():
        if "\u20e3" in text:  # keycap emoji carry an ASCII digit
            text = _KEYCAP.sub(" ", text)
        text = unicodedata.normalize("NFKC", _NON_ASCII.sub(_drop_emoji, text))
    low = text.lower()
    return (text, low) if len(low) == len(text) else (low, low)


def _key(low: str) -> str:
    """Whole words separated by single spaces and padded with one, stretched letters shortened
    ("URGENTTT" -> "urgent"): what the phrase automaton reads."""
    text = low.translate(_SEPARATORS).replace("|", " | ")
    if next(_TRIPLES.iter(text), None) is not None:
        text = _REPEATS.sub(r"\1", text)
    words = text.split()
    return " " + " ".join(words) + " "


def _expand(pattern: str) -> set[str]:
    parts = _BRACES.split(pattern)
    options = [p.split("|") if i % 2 else [p] for i, p in enumerate(parts)]
    return {c for combo in product(*options) if (c := _key("".join(combo).lower()).strip())}


# --- the phrase automaton ---------------------------------------------------------------
_ROLE, _PLACE, _CHANNEL, _CUE, _LEGIT = range(5)
_Payload = tuple[int, str, Place | None]


def _build_automaton() -> Any:
    entries: dict[str, list[_Payload]] = {}

    def add(family: int, code: str, patterns: Iterable[str], place: Place | None = None) -> None:
        for pattern in patterns:
            for phrase in _expand(pattern):
                entries.setdefault(phrase, []).append((family, code, place))

    for family, table in (
        (_ROLE, lx.ROLES),
        (_CHANNEL, lx.CHANNELS),
        (_CUE, lx.CUES),
        (_LEGIT, lx.LEGIT),
    ):
        for code, patterns in table.items():
            add(family, code, patterns)
    for name, country, compound, aliases in lx.PLACES:
        names = aliases if name in lx.PLACE_NAME_NOT_ALONE else (name, *aliases)
        add(_PLACE, name, names, Place(name, country, compound, ""))
    add(_PLACE, "", lx.NOT_PLACES)
    automaton = ahocorasick.Automaton()
    for phrase, payloads in entries.items():
        # Padded with spaces, every hit on the padded key is a whole-word hit.
        automaton.add_word(f" {phrase} ", (len(phrase) + 2, tuple(dict.fromkeys(payloads))))
    automaton.make_automaton()
    return automaton


_AUTOMATON = _build_automaton()
_Hit = tuple[int, str, str, Place | None]  # start in the key, phrase, code, place


def _hits(key: str) -> list[list[_Hit]]:
    """Whole-word hits per family in text order; a hit inside a longer hit of its family is
    dropped, and so are hits whose code is "" (they only hide what they contain)."""
    found: list[list[tuple[int, int, str, Place | None]]] = [[], [], [], [], []]
    for end, (length, payloads) in _AUTOMATON.iter(key):
        for family, code, place in payloads:
            found[family].append((end - length + 1, -end, code, place))
    kept: list[list[_Hit]] = []
    for hits in found:
        hits.sort()  # by start, longest first; (start, end, code) never repeats in a family
        reach, keep = 1, []
        for start, neg_end, code, place in hits:
            if neg_end < reach:
                reach = neg_end
                if code:
                    keep.append((start, key[start + 1 : -neg_end], code, place))
        kept.append(keep)
    return kept


@lru_cache(maxsize=1024)
def _phrase_pattern(phrase: str) -> re.Pattern[str]:
    words = r"[\W_]+".join(map(re.escape, phrase.split()))
    return re.compile(rf"(?<![^\W_]){words}(?![^\W_])")


def _as_written(phrase: str, norm: str, low: str) -> str:
    """The first occurrence of a matched phrase as written in the text."""
    m = _phrase_pattern(phrase).search(low)
    return norm[m.start() : m.end()] if m else phrase


# Words after an amount that make it a fee ("$500 deposit"), read as matching keys.
_FEE_AFTER = money.fee_after_pattern(p for f in lx.FEE_AFTER for p in _expand(f))
_GAME_CONTEXT = (" chat", " player", " pemain")


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def analyse_offer(text: str, rates: Mapping[str, float] | None = None) -> OfferFacts:
    """Read one job-offer text and return the facts in it (see the module docstring).

    `rates` gives rupiah per unit of currency (ISO codes); a currency it lacks is priced
    with `DEFAULT_RATES_IDR`, and an amount in a currency with no rate at all is left
    out. Pay and fees are told apart by the nearest label before the amount ("gaji",
    "bonus" / "biaya", "deposit", "denda", "potong gaji", ...). Never raises on a str.
    """
    norm, low = _fold(text)
    moneys, spans = money.moneys(norm, low, rates, _FEE_AFTER)
    salaries = tuple(m for m in moneys if m.kind == "salary")
    fees = tuple(m for m in moneys if m.kind == "fee")

    phone_text = low
    for s, e in spans:  # digits of an amount are never part of a phone number
        phone_text = phone_text[:s] + " " * (e - s) + phone_text[e:]
    phones = _unique(contacts.phones(phone_text))
    named = list(contacts.HANDLE.finditer(low)) if "@" in low else []
    named += [m for m in contacts.TME.finditer(low) if contacts.telegram_link(low, m.start())]
    named.sort(key=lambda m: m.start())
    handles = _unique("@" + m[1] for m in named)
    words = low
    for m in (*named, *(contacts.EMAIL.finditer(low) if "@" in low else ())):
        s, e = m.span(len(m.groups()))  # a name says nothing: "@lowker_ln_cepat" is no cue
        words = words[:s] + " " * (e - s) + words[e:]

    key = _key(words)
    roles_h, places_h, channels_h, cues_h, legit_h = _hits(key)
    places: dict[str, Place] = {}
    for _, phrase, _, p in places_h:
        if p is not None and p.name not in places:
            places[p.name] = Place(
                p.name, p.country, p.compound_area, _as_written(phrase, norm, words)
            )
    channels = _unique(  # "8 pm" is a time, not a private message
        code
        for s, phrase, code, _ in channels_h
        if not (phrase == "pm" and key[s - 1 : s].isdigit())
    )
    roles = _unique(code for _, _, code, _ in roles_h)

    positioned = [(s, code, phrase) for s, phrase, code, _ in cues_h]
    hours = contacts.hours(low)
    if hours is not None and hours[0] >= 12:
        positioned.append((hours[1], "long_hours", hours[2]))
    positioned.extend(contacts.minor_ages(low))
    if any(w in key for w in _GAME_CONTEXT):  # a game with players to chat to is gambling
        positioned.extend((s, "gambling", p) for s, p, _, _ in roles_h if p == "game online")
    positioned.sort()
    cues = tuple(Cue(*kind_text) for kind_text in dict.fromkeys(pc[1:] for pc in positioned))
    legit = tuple(Cue(*kind_text) for kind_text in dict.fromkeys((c, p) for _, p, c, _ in legit_h))

    return OfferFacts(
        salaries=salaries,
        fees=fees,
        salary_idr_month=max((m.idr_month for m in salaries), default=None),
        places=tuple(places.values()),
        countries=_unique(p.country for p in places.values()),
        channels=channels,
        phones=phones,
        handles=handles,
        roles=roles,
        cues=cues,
        legit=legit,
        hours_per_day=hours[0] if hours is not None else None,
    )
