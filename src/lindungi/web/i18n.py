"""The pages' languages: Bahasa Indonesia by default, and English.

Texts in templates and code are English message ids, marked with ``_()``; the Indonesian
translations live in gettext catalogues, ``locale/id/LC_MESSAGES/*.po`` (one file per
group of pages, so pages can be added without touching one shared file). They are read
and compiled in memory at start with Babel, so the repository holds no compiled ``.mo``.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Callable
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

LANGUAGES = ("id", "en")
DEFAULT = "id"
LOCALE_DIR = Path(__file__).parent / "locale"
NAMES = {"id": "Bahasa Indonesia", "en": "English"}


def catalogue(lang: str) -> Catalog:
    """Every message of ``lang``'s ``.po`` files merged into one catalogue."""
    merged = Catalog(locale=lang, domain="messages")
    for path in sorted((LOCALE_DIR / lang / "LC_MESSAGES").glob("*.po")):
        with path.open("rb") as handle:
            for message in read_po(handle, locale=lang):
                if message.id and message.string:
                    merged.add(message.id, message.string, context=message.context)
    return merged


@functools.cache
def translations(lang: str) -> NullTranslations:
    """The gettext translations of ``lang`` (English is the message ids themselves)."""
    if lang == "en":
        return NullTranslations()
    buffer = io.BytesIO()
    write_mo(buffer, catalogue(lang))
    buffer.seek(0)
    return Translations(buffer)


def pick(asked: str | None, cookie: str | None) -> str:
    """The language of a request: ``?lang=`` first, then the cookie, else Indonesian."""
    for lang in (asked, cookie):
        if lang in LANGUAGES:
            return lang
    return DEFAULT


def gettext_for(lang: str) -> Callable[[str], str]:
    """``_`` for one language; ``_("Hello {name}", name=…)`` formats after translating."""
    found = translations(lang)

    def gettext(message: str, **values: object) -> str:
        text = found.gettext(message)
        return text.format(**values) if values else text

    return gettext


def N_(message: str) -> str:
    """Mark ``message`` for the catalogues without translating it here."""
    return message


def extract() -> dict[str, list[str]]:
    """Every message id the pages use (``_`` and ``N_`` in the package's Python, ``_`` in
    its templates), with where each is used: what the catalogues must translate."""
    from babel.messages.extract import extract_from_dir

    found: dict[str, list[str]] = {}
    method_map = [("**.py", "python"), ("templates/**.html", "jinja2.ext:babel_extract")]
    options = {"templates/**.html": {"trim_blocks": "true", "lstrip_blocks": "true"}}
    root = Path(__file__).parent
    for filename, line, message, _comments, _context in extract_from_dir(
        root, method_map, options, keywords={"_": None, "N_": None}
    ):
        if isinstance(message, str):
            found.setdefault(message, []).append(f"{filename}:{line}")
    return found
