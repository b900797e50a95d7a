"""Indonesian personal names made comparable. Pure functions.

The same woman appears as "Hj. Siti Nurhaliza binti H. Abdoel Rachman, S.Pd." at one
agency and "SITI NURHALIZA" at another; the same man as "Moh. Djoko Soesilo" and
"Muhammad Joko Susilo". These functions strip what does not identify a person (titles,
degrees, punctuation), keep the father's name apart (bin / binti), bring old spellings
and Muhammad variants to one form, and give a phonetic key for the rest.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Religious and honorific titles, and academic degrees, as they are written in records.
_TITLES = frozenset(
    {
        # religious and honorific
        "h", "hj", "haji", "hajjah", "kh", "ust", "ustadz", "ustadzah", "tn", "ny", "nn",
        "bpk", "bp", "ibu", "sdr", "sdri",
        # academic and professional (with and without their dots)
        "dr", "drs", "dra", "ir", "prof", "st", "sh", "se", "spd", "skom", "ssi", "sag",
        "ssos", "sip", "sked", "sp", "skep", "mm", "msi", "mkom", "mpd", "mh", "amd",
        "amdkeb", "ma", "mba", "phd",
    }
)  # fmt: skip
_MUHAMMAD = frozenset({"muhammad", "muhamad", "mohammad", "mohamad", "mochammad", "mochamad",
                       "mohd", "moh", "muh", "mhd", "md", "m"})  # fmt: skip
_FATHER = frozenset({"bin", "binti", "bt", "b"})
_OLD_SPELLING = re.compile(r"dj|tj|oe|nj|sj|ch")


@dataclass(frozen=True)
class Name:
    """A person's name, made comparable."""

    given: tuple[str, ...]  # the person's own name parts, in the order written
    father: tuple[str, ...] = ()  # after bin / binti, if recorded

    @property
    def text(self) -> str:
        """The person's own name as one normalised string."""
        return " ".join(self.given)

    @property
    def sorted_key(self) -> str:
        """Word order ignored: "Nurhaliza Siti" and "Siti Nurhaliza" agree."""
        return " ".join(sorted(self.given))

    @property
    def phonetic(self) -> tuple[str, ...]:
        """A sound-alike key per name part."""
        return tuple(phonetic_key(part) for part in self.given)


def modern_spelling(word: str) -> str:
    """Old (pre-1972 and Van Ophuijsen) spellings to today's: Dj→J, Tj→C, Nj→Ny, Sj→Sy,
    Ch→Kh, Oe→U, and J→Y where the old J stood for today's Y (only in old-spelled words)."""
    for _ in range(len(word)):  # until nothing old is left ("sdj" -> "sj" -> "sy")
        if not _OLD_SPELLING.search(word):
            break
        word = word.replace("dj", "\x00").replace("tj", "c").replace("nj", "ny")
        word = word.replace("sj", "sy").replace("ch", "kh").replace("oe", "u")
        word = word.replace("j", "y").replace("\x00", "j")
    return word


def _tokens(text: str) -> list[str]:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    # Degrees like "S.Kom" and "A.Md.Keb" are words with inner dots: keep them whole first.
    raw = re.findall(r"[a-z]+(?:\.[a-z]+)*\.?|[a-z]+", folded.replace(",", " ").replace("'", ""))
    return [t.rstrip(".") for t in raw if t.rstrip(".")]


def normalize_name(text: str) -> Name:
    """Titles and degrees removed, bin/binti split off, spelling and Muhammad unified."""
    own: list[str] = []
    father: list[str] = []
    target = own
    for token in _tokens(text):
        if token in _FATHER and own:
            target = father
            continue
        if token in _TITLES or token.replace(".", "") in _TITLES:
            continue
        bare = token.replace(".", "")
        word = "muhammad" if bare in _MUHAMMAD else modern_spelling(bare)
        if word in _MUHAMMAD:
            word = "muhammad"
        elif word in _TITLES:  # e.g. an old-spelled "Ch" is today's "KH" (Kyai Haji)
            continue
        target.append(word)
    if not own and father:  # "bin" was the only part: keep what is there
        own, father = father, []
    return Name(tuple(own), tuple(father))


_PHONETIC_RULES = (
    (re.compile(r"kh|ch"), "h"),  # Khadijah/Hadijah, Rachmat/Rahmat
    (re.compile(r"(?<=[aiueo])h(?=[^aiueo]|$)"), ""),  # Rahmat/Ramat, Ahmad/Amad: silent-ish h
    (re.compile(r"sy"), "s"),  # Syaiful/Saiful
    (re.compile(r"dh"), "d"),
    (re.compile(r"th"), "t"),
    (re.compile(r"ph|v"), "f"),  # Fitri/Phitri, Novi/Nofi
    (re.compile(r"q"), "k"),
    (re.compile(r"z"), "j"),  # Zainal/Jainal, as spoken in many regions
    (re.compile(r"oo|ou"), "u"),  # Noor/Nur
    (re.compile(r"ee|ie$|y$"), "i"),  # Dewie/Dewi, Sity/Siti
    (re.compile(r"(.)\1+"), r"\1"),  # Yunna/Yuna, Muhammad/Muhamad
)


def phonetic_key(word: str) -> str:
    """A key under which common Indonesian spelling variants of one name part agree."""
    key = modern_spelling(word.lower())
    for pattern, replacement in _PHONETIC_RULES:
        key = pattern.sub(replacement, key)
    return key
