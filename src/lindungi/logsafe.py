"""Keeping secrets and personal data out of the server's logs.

Log lines leave the hub's control (journald, log shippers, support tickets), so they
must carry neither credentials nor the identifiers that UU 27/2022 protects. This
module redacts, from every log record, before any handler sees it:

- bearer and basic credentials, hub tokens (``lgi_…``) and webhook secrets (``whsec_…``);
- values of password-, secret-, token- and key-like fields (``password=…``, ``"token": …``);
- NIKs (16 digits, also written in groups), Indonesian passport numbers, phone numbers.

Names and free text cannot be recognised by a pattern: code must not log them (the
audit log holds field names, never values). :func:`install` wraps the log-record
factory, so every logger is covered (the hub's, uvicorn's, SQLAlchemy's) whatever its
handlers; :class:`RedactingFilter` does the same on a handler, and
:func:`uvicorn_log_config` attaches it to uvicorn's handlers.
"""

from __future__ import annotations

import copy
import logging
import re
from collections.abc import Callable, Mapping
from typing import Any

REDACTED = "[REDACTED]"

_CREDENTIAL = re.compile(r"(?i)\b(bearer|basic)(\s+)[A-Za-z0-9._~+/=-]{6,}")
_SECRET_LITERALS = re.compile(r"\b(?:lgi_[A-Za-z0-9_-]{8,}|whsec_[A-Za-z0-9+/=_-]{8,})")
_KEY_VALUE = re.compile(
    r"(?i)(\b(?:\w*_)?(?:password|passwd|pwd|secret|token|api_?key|secret_?key)\b"
    r"""["']?\s*[:=]\s*["']?)(?!%[sdrif(])([^"'&\s,;)}\]]+)"""
)
_PASSWORD_WORD = re.compile(r"(?i)(\b(?:password|passwd|passphrase)\s+)(?!%[sdrif(])([^\s,;]+)")
_NIK = re.compile(r"(?<!\d)\d(?:[ .-]?\d){15}(?![\d])")
_PASSPORT = re.compile(r"\b[A-Z]{1,2}\d{6,7}\b")
_PHONE = re.compile(
    r"(?<![\w/.:+%-])(?:(?:\+|%2[Bb]|\b00)\d{1,3}[\s.-]?|\b0|\b62[\s.-]?(?=8))"
    r"\(?\d{1,4}\)?(?:[\s.-]?\d{2,5}){1,4}\b"
)


def _phone(match: re.Match[str]) -> str:
    digits = sum(c.isdigit() for c in match.group(0))
    return REDACTED if 8 <= digits <= 15 else match.group(0)


def redact(text: str) -> str:
    """``text`` with credentials, secrets, NIKs, passport and phone numbers replaced."""
    text = _CREDENTIAL.sub(lambda m: f"{m.group(1)}{m.group(2)}{REDACTED}", text)
    text = _SECRET_LITERALS.sub(REDACTED, text)
    text = _KEY_VALUE.sub(lambda m: f"{m.group(1)}{REDACTED}", text)
    text = _PASSWORD_WORD.sub(lambda m: f"{m.group(1)}{REDACTED}", text)
    text = _NIK.sub(REDACTED, text)
    text = _PASSPORT.sub(REDACTED, text)
    return _PHONE.sub(_phone, text)


def _redact_value(value: Any) -> Any:
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, bytes):
        return redact(value.decode("utf-8", "replace"))
    if isinstance(value, int | float | bool) or value is None:
        return value
    text = str(value)  # e.g. an exception or a URL object: log its redacted text
    cleaned = redact(text)
    return value if cleaned == text else cleaned


#: Loggers whose formatter needs the record's arguments as they came (uvicorn's
#: access formatter unpacks them); their arguments are redacted one by one only.
KEEP_ARGS = frozenset({"uvicorn.access"})


def redact_record(record: logging.LogRecord) -> logging.LogRecord:
    """Redact ``record`` in place (message, arguments, exception text) and return it."""
    if getattr(record, "_lindungi_redacted", False):
        return record
    if isinstance(record.msg, str):
        record.msg = redact(record.msg)
    args = record.args
    if isinstance(args, Mapping):
        record.args = {k: _redact_value(v) for k, v in args.items()}
    elif isinstance(args, tuple):
        record.args = tuple(_redact_value(a) for a in args)
    if record.args and isinstance(record.msg, str) and record.name not in KEEP_ARGS:
        # A value only recognisable in context ("password=%s" with its argument).
        try:
            whole = record.msg % record.args
        except (TypeError, ValueError, KeyError):
            whole = None
        if whole is not None and redact(whole) != whole:
            record.msg, record.args = redact(whole), None
    if record.exc_info and not record.exc_text:
        record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
    elif record.exc_text:
        record.exc_text = redact(record.exc_text)
    if record.stack_info:
        record.stack_info = redact(record.stack_info)
    record._lindungi_redacted = True
    return record


class RedactingFilter(logging.Filter):
    """A filter (for a handler or a logger) that redacts each record and lets it pass."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Redact ``record``; never drop it."""
        redact_record(record)
        return True


_installed: list[Callable[..., logging.LogRecord]] = []


def install() -> None:
    """Redact every log record of this process as it is made (idempotent)."""
    if _installed:
        return
    previous = logging.getLogRecordFactory()

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        return redact_record(previous(*args, **kwargs))

    _installed.append(previous)
    logging.setLogRecordFactory(factory)


def uninstall() -> None:
    """Restore the record factory :func:`install` replaced (for tests)."""
    if _installed:
        logging.setLogRecordFactory(_installed.pop())


def uvicorn_log_config() -> dict[str, Any]:
    """uvicorn's logging configuration with :class:`RedactingFilter` on its handlers
    (``uvicorn.run(..., log_config=uvicorn_log_config())``), and the hub's own
    loggers (``lindungi.*``) written through the same filtered handler."""
    from uvicorn.config import LOGGING_CONFIG

    config: dict[str, Any] = copy.deepcopy(LOGGING_CONFIG)
    config.setdefault("filters", {})["redact"] = {"()": "lindungi.logsafe.RedactingFilter"}
    for handler in config["handlers"].values():
        handler.setdefault("filters", []).append("redact")
    config["loggers"]["lindungi"] = {"handlers": ["default"], "level": "INFO", "propagate": False}
    return config
