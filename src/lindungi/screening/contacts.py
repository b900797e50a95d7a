"""Read how an offer text says to get in touch, and how long and from what age it says to work.

Scam recruiters move people to private chat fast ("japri WA 0812-3456-7890",
"t.me/hrd_kamboja", "@admin_lowker"), and a compound job shows in 12-hour days and in
taking workers under 18. This module finds, in the folded lower-case text
`lindungi.screening.offer_text` gives it: phone numbers (`phones`, in E.164), messaging
handles (`HANDLE`, `TME` with `telegram_link`, and e-mail addresses, `EMAIL`, whose names
are no handles), the longest working day stated (`hours`) and accepted ages under 18
(`minor_ages`). Like `offer_text` it only reports what the text says.
"""

from __future__ import annotations

import re
from functools import lru_cache

import phonenumbers

__all__ = ["EMAIL", "HANDLE", "TME", "hours", "minor_ages", "phones", "telegram_link"]

_PHONE = re.compile(r"[+\d](?:[ .\-()/]{0,2}\d){7,15}(?!\d)")
_NON_DIGIT = re.compile(r"\D")
_INTL_PREFIXES = ("62", "855", "95", "856", "63", "66", "60")
# Literal-first patterns let `re` skip ahead fast; what comes before is checked by hand.
HANDLE = re.compile(r"@(?<![\w@.]@)([a-z][a-z0-9_]{2,31})(?![\w@]|\.[a-z])")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
TME = re.compile(r"\.me/(?!joinchat\b|addstickers\b|share\b)([a-z][a-z0-9_]{2,31})")
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


@lru_cache(maxsize=8192)
def _e164(candidate: str, region: str | None) -> str | None:
    try:
        number = phonenumbers.parse(candidate, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phones(text: str) -> list[str]:
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


def telegram_link(low: str, dot: int) -> bool:
    """Whether ".me/" at `dot` follows "t" or "telegram" ("t.me/name")."""
    before = " " + low[max(0, dot - 9) : dot]
    return before.endswith("telegram") or (before[-1] == "t" and not before[-2].isalnum())


def hours(low: str) -> tuple[int, int, str] | None:
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


def minor_ages(low: str) -> list[tuple[int, str, str]]:
    """Accepted ages under 18 ("usia 16", "umur 15-17", "minimal 16 tahun")."""
    if not any(hint in low for hint in _AGE_HINTS):
        return []
    found = []
    for m in _AGE.finditer(low):
        s = m.start()
        if (s == 0 or not low[s - 1].isalnum()) and 10 <= int(m["a"] or m["b"]) < 18:
            found.append((s, "age_minor", m[0].strip()))
    return found
