"""Read the amounts of money in an offer text: pay and fees, normalised to rupiah per month.

Scam recruiters state pay in rupiah, dollars, USDT, baht or ringgit, written as
"15jt", "Rp 17.000.000,-", "$800 - $1,200/month" or "gaji harian 150rb", and ask for
fees the same way ("biaya admin 1,5jt", "$500 deposit"). `moneys` finds these amounts in
the folded text `lindungi.screening.offer_text` gives it, tells pay from fees by the
nearest label, and prices each in rupiah per month, so that a rule can compare an offer
with what the job really pays. The rules for reading amounts are in the docstring of
`lindungi.screening.offer_text`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from price_parser.parser import parse_number

from lindungi.screening import lexicon as lx

__all__ = ["DEFAULT_RATES_IDR", "Money", "fee_after_pattern", "moneys"]

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
_WINDOW = 40  # characters looked at before an amount for its label


def fee_after_pattern(phrases: Iterable[str]) -> re.Pattern[str]:
    """Words right after an amount that make it a fee ("$500 deposit"); `phrases` are the
    lexicon's `FEE_AFTER` as matching keys (`offer_text` expands them)."""
    return re.compile(rf"[ \t]*[-:(]?[ \t]*(?:{_alternation(phrases)})\b")


def _number(text: str) -> float | None:
    if text.isdigit():
        return float(text)
    value = parse_number(text)  # "17.000.000", "1,5", "1,200.50"
    return None if value is None else float(value)


def _currency(prefix: str | None, suffix: str | None) -> str | None:
    return lx.CURRENCY_PREFIXES.get(prefix or "") or lx.CURRENCY_SUFFIXES.get(suffix or "")


def _one_money(
    m: re.Match[str],
    norm: str,
    low: str,
    prev_end: int,
    rates: Mapping[str, float] | None,
    fee_after: re.Pattern[str],
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
        kind = "fee" if fee_after.match(low, end) else "salary"
    return Money(" ".join(norm[start:end].split()), cur, hi, lo, period, round(idr), kind), end


def moneys(
    norm: str, low: str, rates: Mapping[str, float] | None, fee_after: re.Pattern[str]
) -> tuple[list[Money], list[tuple[int, int]]]:
    """The amounts in `low`, with their text taken from `norm` (its cased twin), and for
    each the span from its first digit to its end; `fee_after` is `fee_after_pattern` of
    the lexicon's `FEE_AFTER`."""
    found: list[Money] = []
    spans: list[tuple[int, int]] = []
    prev_end = 0
    for m in _MONEY.finditer(low):
        read = _one_money(m, norm, low, prev_end, rates, fee_after)
        if read is not None:
            found.append(read[0])
            spans.append((m.start(), read[1]))
            prev_end = read[1]
    return found, spans
