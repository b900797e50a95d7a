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

import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from itertools import product
from types import MappingProxyType
from typing import Any

import ahocorasick  # type: ignore[import-not-found]  # C extension without type stubs
import emoji
import phonenumbers
from price_parser.parser import parse_number

from lindungi.screening import lexicon as lx

__all__ = ["DEFAULT_RATES_IDR", "Cue", "Money", "OfferFacts", "Place", "analyse_offer"]

# Rupiah per unit of currency, approximate: pass `rates` to `analyse_offer` for current ones.
DEFAULT_RATES_IDR: Mapping[str, float] = MappingProxyType(dict(lx.RATES_IDR))
# Working days and hours assumed when pay is stated per day, week, year or hour.
_PER_MONTH = {"month": 1.0, "day": 26.0, "week": 52 / 12, "year": 1 / 12, "hour": 8.0 * 26.0}


@dataclass(frozen=True, slots=True)
class Money:
    """An amount of pay or of a fee, as written and normalised to rupiah per month."""

    text: str
    currency: str
    amount: float
    low: float
    period: str
    idr_month: int
    kind: str


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


# --- money ------------------------------------------------------------------------------
def _alternation(words: Iterable[str]) -> str:
    ordered = sorted(set(words), key=lambda w: (-len(w), w))
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in ordered)


_CUR = _alternation(lx.CURRENCY_PREFIXES)
_SUF = _alternation(lx.CURRENCY_SUFFIXES)
_MUL = _alternation(lx.MULTIPLIERS)
# Patterns start with a digit so `re` can skip quickly to the candidates; a currency
# written before the number is looked for behind it.
_NUM = r"\d(?:\d{0,2}(?:[.,]\d{3})+(?:[.,]\d{1,2})?|\d{0,14}(?:[.,]\d{1,2})?)(?!\d)"
_MONEY = re.compile(
    rf"(?P<n1>{_NUM})(?:[ \t]*(?P<m1>{_MUL})(?![a-z]))?(?:[ \t]*(?P<s1>{_SUF})(?![a-z]))?"
    r"(?:[ \t]*(?:-+|–|—|~|s/d|s\.d\.?|(?:sd|sampai|hingga|to|until)(?![a-z]))[ \t]*"
    rf"(?:(?P<c2>{_CUR})[ \t]*)?(?P<n2>{_NUM})(?:[ \t]*(?P<m2>{_MUL})(?![a-z]))?"
    rf"(?:[ \t]*(?P<s2>{_SUF})(?![a-z]))?)?"
)
_CUR_BEFORE = re.compile(rf"(?<![\w.,])(?P<c1>{_CUR})[ \t]*$")
_CUR_LAST = frozenset(c[-1] for c in lx.CURRENCY_PREFIXES)
_PERIOD_AFTER = re.compile(
    r"(?:,-+|,00)?[ \t]*(?:/[ \t]*|(?:per|tiap|setiap|each|a|an)[ \t]+|per|se)?"
    rf"(?P<p>{_alternation(lx.PERIODS)})(?![a-z])"
)
# Labels and period words in the few words before an amount; the nearest label wins.
_BEFORE = re.compile(
    rf"\b(?:(?P<fee>{_alternation(lx.FEE_LABELS)})|(?P<salary>{_alternation(lx.SALARY_LABELS)})"
    rf"|(?P<other>{_alternation(lx.OTHER_LABELS)})|(?P<per>{_alternation(lx.PERIODS_BEFORE)}))\b"
)
_FEE_AFTER = re.compile(
    rf"[ \t]*[-:(]?[ \t]*(?:{_alternation(p for f in lx.FEE_AFTER for p in _expand(f))})\b"
)
_WINDOW = 40  # characters looked at before an amount for its label


def _number(text: str) -> float | None:
    if text.isdigit():
        return float(text)
    value = parse_number(text)  # "17.000.000", "1,5", "1,200.50"
    return None if value is None else float(value)


def _currency(prefix: str | None, suffix: str | None) -> str | None:
    return lx.CURRENCY_PREFIXES.get(prefix or "") or lx.CURRENCY_SUFFIXES.get(suffix or "")


def _one_money(
    m: re.Match[str], norm: str, low: str, prev_end: int, rates: Mapping[str, float] | None
) -> tuple[Money, int] | None:
    """The amount at `m` and where it ends, or None when it is no money or has no rate."""
    n1_text, m1, s1, c2, n2_text, m2, s2 = m.group("n1", "m1", "s1", "c2", "n2", "m2", "s2")
    start = m.start()
    j = start
    while j > prev_end and low[j - 1] in " \t":
        j -= 1
    before = None
    if j > prev_end and low[j - 1] in _CUR_LAST:
        before = _CUR_BEFORE.search(low, max(prev_end, j - 4), start)
    if before is not None:
        start = before.start()
    elif start and (low[start - 1].isalnum() or low[start - 1] in "._,"):
        return None  # digits glued to a word or inside a longer number
    digits = n1_text.replace(".", "").replace(",", "")
    bare = before is None and not (m1 or s1 or c2 or m2 or s2)
    if bare and (len(digits) < 6 or len(digits) > 9 or digits[0] == "0"):
        return None  # a bare number is pay only from 100,000 and only when it is no phone
    n1 = _number(n1_text)
    if n1 is None:
        return None
    mul1 = lx.MULTIPLIERS.get(m1 or "")
    cur = _currency(before["c1"] if before else None, s1)
    lo = hi = n1 * (mul1 or 1.0)
    multiplied, end = mul1 is not None, max(m.end("n1"), m.end("m1"), m.end("s1"))
    n2 = _number(n2_text) if n2_text else None
    if n2 is not None:  # a range: "8-12 jt", "$800 - $1,200"
        mul2 = lx.MULTIPLIERS.get(m2 or "")
        cur2 = _currency(c2, s2)
        a = mul1 or mul2
        b = mul2 or (mul1 if n2 < 1000 else None)
        r_lo, r_hi = n1 * (a or 1.0), n2 * (b or 1.0)
        if (cur is None or cur2 is None or cur == cur2) and 0 < r_lo < r_hi <= 20 * r_lo:
            lo, hi, cur, end = r_lo, r_hi, cur or cur2, m.end()
            multiplied = a is not None or b is not None
    label, other, period = None, False, "month"
    for w in _BEFORE.finditer(low, max(prev_end, start - _WINDOW), start):
        if w.lastgroup == "per":  # "gaji harian 150rb"; not "harian ..., gaji 12jt"
            period = lx.PERIODS_BEFORE[w[0]]
        elif w.lastgroup == "other":
            other = True
        else:
            label, other, period = w, False, "month"
    if other and (label is None or label.lastgroup == "salary"):
        return None  # the price of a ticket, a visa, meals: nobody's pay, no fee asked
    if cur is None:
        if not multiplied and (label is None or hi < 100_000):
            return None
        cur = "IDR"
    elif cur == "IDR" and not multiplied and hi < 1000:
        return None
    rate = rates.get(cur) if rates is not None else None
    if rate is None:
        rate = DEFAULT_RATES_IDR.get(cur)
    after = _PERIOD_AFTER.match(low, end)
    if after is not None:
        word = after["p"]
        period = "day" if word == "hr" and cur == "IDR" else lx.PERIODS[word]
        end = after.end()
    try:
        idr = hi * float(rate) * _PER_MONTH[period] if rate is not None else math.nan
    except (TypeError, ValueError):
        idr = math.nan
    if not (math.isfinite(idr) and math.isfinite(lo)):
        return None
    if label is not None:
        kind, start = ("fee" if label.lastgroup == "fee" else "salary"), label.start()
    else:
        kind = "fee" if _FEE_AFTER.match(low, end) else "salary"
    return Money(" ".join(norm[start:end].split()), cur, hi, lo, period, round(idr), kind), end


def _moneys(
    norm: str, low: str, rates: Mapping[str, float] | None
) -> tuple[list[Money], list[tuple[int, int]]]:
    found: list[Money] = []
    spans: list[tuple[int, int]] = []
    prev_end = 0
    for m in _MONEY.finditer(low):
        read = _one_money(m, norm, low, prev_end, rates)
        if read is not None:
            found.append(read[0])
            spans.append((m.start(), read[1]))
            prev_end = read[1]
    return found, spans


# --- phones, handles, hours, age ----------------------------------------------------------
_PHONE = re.compile(r"[+\d](?:[ .\-()/]{0,2}\d){7,15}(?!\d)")
_NON_DIGIT = re.compile(r"\D")
_INTL_PREFIXES = ("62", "855", "95", "856", "63", "66", "60")
# Literal-first patterns let `re` skip ahead fast; what comes before is checked by hand.
_HANDLE = re.compile(r"@(?<![\w@.]@)([a-z][a-z0-9_]{2,31})(?![\w@]|\.[a-z])")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_TME = re.compile(r"\.me/(?!joinchat\b|addstickers\b|share\b)([a-z][a-z0-9_]{2,31})")
_RANGE = r"[ \t]*(?:-|–|s/d|sampai|to)[ \t]*"
_HOUR_WORDS = re.compile(r"(?:jam kerja|working hours|jam|jm|hours?|hrs?|shift|pukul)(?![a-z])")
_HOURS_NUMBER = re.compile(rf"(?<![\d.,:])(?P<a>\d\d?)(?:{_RANGE}(?P<b>\d\d?))?[ \t]*$")
_HOURS_WORK = re.compile(r"(?:jam kerja|kerja|kerjanya|shift|work|working)[ \t]*:?[ \t]*$")
_HOURS_DAY = re.compile(
    r"(?![a-z])(?:[ \t]*(?:/[ \t]*|per[ \t]*|se|a[ \t]+|in[ \t]+a[ \t]+)(?:hari|day|shift)(?![a-z])"
    r"|[ \t]+(?:daily|sehari|perhari)\b)"
)
_CLOCK = re.compile(rf"[ \t]*:?[ \t]*(?:pukul[ \t]*)?(\d\d?)[.:](\d\d){_RANGE}(\d\d?)[.:](\d\d)")
_AGE = re.compile(
    r"(?:usia|umur|aged?)[ \t]*(?:min(?:imal|imum)?\.?|dari|mulai|from)?[ \t]*:?[ \t]*"
    rf"(?P<a>\d\d?)(?![\d.,]?\d)(?![ \t]*(?:jt|juta|rb|ribu|k\b|%|jam))(?:{_RANGE}\d\d?)?"
    r"|min(?:imal|imum)?\.?[ \t]*:?[ \t]*(?P<b>\d\d?)[ \t]*(?:tahun|thn|th|years?|yrs?)\b"
)
_AGE_HINTS = ("usia", "umur", "age", " min ", " min.", " min:", "minimal", "minimum")
_GAME_CONTEXT = (" chat", " player", " pemain")


@lru_cache(maxsize=8192)
def _e164(candidate: str, region: str | None) -> str | None:
    try:
        number = phonenumbers.parse(candidate, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _phones(text: str) -> list[str]:
    out: list[str] = []
    for m in _PHONE.finditer(text):
        s = m.start()
        prev = text[s - 1] if s else " "
        if prev.isalnum() or prev in "+_" or (prev in ".," and text[s - 2 : s - 1].isdigit()):
            continue  # glued to a word or inside a longer number
        digits = _NON_DIGIT.sub("", m[0])
        if len(digits) < 9:
            continue
        # Indonesian mobiles, the common case, need no parsing: phonenumbers gives the
        # same E.164 for "08" + 8 to 11 digits (the tests check this).
        nsn = digits[1:] if digits[:2] == "08" else digits[2:] if digits[:3] == "628" else ""
        if 9 <= len(nsn) <= 12:
            phone: str | None = "+62" + nsn
        elif m[0][0] == "+":
            phone = _e164("+" + digits, None)
        elif digits[0] == "0":
            phone = _e164(digits, "ID")
        elif len(digits) >= 10 and digits.startswith(_INTL_PREFIXES):
            phone = _e164("+" + digits, None)
        else:
            continue
        if phone is not None:
            out.append(phone)
    return out


def _telegram_link(low: str, dot: int) -> bool:
    """Whether ".me/" at `dot` follows "t" or "telegram" ("t.me/name")."""
    before = " " + low[max(0, dot - 9) : dot]
    return before.endswith("telegram") or (before[-1] == "t" and not before[-2].isalnum())


def _hours(low: str) -> tuple[int, int, str] | None:
    """The longest working day stated: (hours, position, phrase). "12 jam" counts only with
    a word of work before it or a day after it ("kerja 12 jam", "14 jam/hari"); a clock
    range counts after "jam kerja", "jam", "shift" ("jam kerja 08.00-20.00")."""
    best: tuple[int, int, str] | None = None
    for w in _HOUR_WORDS.finditer(low):
        s, e = w.span()
        if s and low[s - 1].isalpha():
            continue
        hours, start, end = 0, s, e
        number = _HOURS_NUMBER.search(low, max(0, s - 14), s)
        if number is not None and not w[0].startswith(("jam ", "working", "shift", "pukul")):
            work = _HOURS_WORK.search(low, max(0, number.start() - 12), number.start())
            day = _HOURS_DAY.match(low, e)
            if work is not None or day is not None:
                hours = max(int(number["a"]), int(number["b"] or 0))
                start = work.start() if work is not None else number.start()
                end = day.end() if day is not None else e
        elif w[0] != "jm" and not w[0].startswith("h") and (clock := _CLOCK.match(low, e)):
            h1, m1, h2, m2 = (int(x) for x in clock.groups())
            if h1 <= 24 and h2 <= 24 and m1 < 60 and m2 < 60:
                hours, end = ((h2 * 60 + m2) - (h1 * 60 + m1)) % 1440 // 60, clock.end()
        if 0 < hours <= 24 and (best is None or hours > best[0]):
            best = (hours, start, low[start:end])
    return best


def _minor_ages(low: str) -> list[tuple[int, str, str]]:
    """Accepted ages under 18 ("usia 16", "umur 15-17", "minimal 16 tahun")."""
    if not any(hint in low for hint in _AGE_HINTS):
        return []
    found = []
    for m in _AGE.finditer(low):
        s = m.start()
        if (s == 0 or not low[s - 1].isalnum()) and 10 <= int(m["a"] or m["b"]) < 18:
            found.append((s, "age_minor", m[0].strip()))
    return found


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
    moneys, spans = _moneys(norm, low, rates)
    salaries = tuple(m for m in moneys if m.kind == "salary")
    fees = tuple(m for m in moneys if m.kind == "fee")

    phone_text = low
    for s, e in spans:  # digits of an amount are never part of a phone number
        phone_text = phone_text[:s] + " " * (e - s) + phone_text[e:]
    phones = _unique(_phones(phone_text))
    named = list(_HANDLE.finditer(low)) if "@" in low else []
    named += [m for m in _TME.finditer(low) if _telegram_link(low, m.start())]
    named.sort(key=lambda m: m.start())
    handles = _unique("@" + m[1] for m in named)
    words = low
    for m in (*named, *(_EMAIL.finditer(low) if "@" in low else ())):
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
    hours = _hours(low)
    if hours is not None and hours[0] >= 12:
        positioned.append((hours[1], "long_hours", hours[2]))
    positioned.extend(_minor_ages(low))
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
