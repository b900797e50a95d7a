"""The hub's settings: one class, read from ``LINDUNGI_*`` environment variables.

Tests and commands build settings through :func:`load_settings` instead of patching
globals, so every caller can pass its own overrides (``--db URL`` on the command line,
a temporary database in a test).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from platformdirs import user_data_dir
from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from lindungi.errors import ConfigurationError

#: The secret shipped for development. It must never protect real data.
DEVELOPMENT_SECRET = "lindungi-development-secret-do-not-use"  # noqa: S105

Environment = Literal["development", "test", "production"]


def data_dir() -> Path:
    """The user's data directory for Lindungi (platform-specific)."""
    return Path(user_data_dir("lindungi", appauthor=False))


def default_database_url() -> str:
    """An SQLite file in the user's data directory (created on first use)."""
    return f"sqlite:///{data_dir() / 'lindungi.db'}"


def default_audit_key_file() -> Path:
    """The audit signing key beside the default database."""
    return data_dir() / "audit-ed25519.pem"


class Settings(BaseSettings):
    """Everything the hub can be told from outside, with safe defaults for a laptop."""

    model_config = SettingsConfigDict(env_prefix="LINDUNGI_", extra="ignore")

    environment: Environment = "development"
    database_url: str = Field(default_factory=default_database_url)
    secret_key: SecretStr = SecretStr(DEVELOPMENT_SECRET)
    token_ttl_days: int = Field(default=30, ge=1, le=365)
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    audit_key_file: Path = Field(default_factory=default_audit_key_file)
    audit_checkpoint_interval_seconds: int = Field(default=300, ge=0)
    hotline: str = Field(
        default="BP2MI/KP2MI 24-hour hotline (set LINDUNGI_HOTLINE)",
        description="What the public pages and answers give as the hotline to call.",
    )
    public_rate_limit: str = Field(
        default="30/minute",
        pattern=r"^\d+/(second|minute|hour|day)$",
        description="Requests per client address to public endpoints, e.g. 30/minute.",
    )
    login_rate_limit: str = Field(
        default="10/minute",
        pattern=r"^\d+/(second|minute|hour|day)$",
        description="Console login attempts per username, from any address, e.g. "
        "10/minute (per address, logins have a LINDUNGI_PUBLIC_RATE_LIMIT budget of their "
        "own, apart from the public pages').",
    )
    rate_limit_storage: str = Field(
        default="memory://",
        pattern=r"^(memory://|rediss?://\S+)$",
        description="Where the public rate limits count: memory:// (one process) or a "
        "Redis URL such as redis://127.0.0.1:6379/0, which several workers share.",
    )
    workers: int = Field(
        default=1,
        ge=1,
        le=64,
        description="Hub processes `lindungi serve` starts; more than one needs a Redis "
        "LINDUNGI_RATE_LIMIT_STORAGE so the public rate limits hold across them.",
    )
    case_retention_days: int = Field(
        default=3650,
        ge=30,
        description="Days after a case closes before the retention purge erases the person "
        "from it (the states, dates and determination stay for the statistics). A case "
        "under a legal hold, with an open criminal track or unpaid restitution is kept.",
    )
    screening_retention_days: int = Field(
        default=730,
        ge=30,
        description="Days a desk screening that was not referred keeps the traveller's "
        "details; then the retention purge erases them (the score, band, indicator codes "
        "and decision stay). A referred screening goes with its case.",
    )
    zone_event_retention_days: int = Field(
        default=365,
        ge=1,
        description="Days a worker's zone enter/exit events are kept (all of them go at "
        "once when the worker withdraws consent, unless held).",
    )
    exchange_retention_days: int = Field(
        default=90,
        ge=1,
        description="Days an agency event is kept once every delivery of it is settled "
        "(delivered or dead-lettered).",
    )
    max_request_bytes: int = Field(
        default=2 * 1024 * 1024,
        ge=1024,
        description="The largest request body the API accepts, in bytes; a larger one is "
        "refused with 413 before it is read. The default fits the largest check-in batch "
        "(5,000 check-ins, about 1 MB) with room to spare.",
    )
    currency_rates_idr: dict[str, float] = Field(
        default_factory=dict,
        description=(
            "Rupiah per unit of a currency for reading job offers, over the built-in rates; "
            'JSON, e.g. {"USD": 16250, "MYR": 3600}.'
        ),
    )

    case_deadline_hours: dict[str, float] = Field(
        default_factory=dict,
        description=(
            "How many hours a case may stay in a stage before it escalates, over the "
            'built-in deadlines; JSON, e.g. {"reported": 12, "arrived": 72}.'
        ),
    )

    notify_worker_webhook: str | None = Field(
        default=None,
        description="The migrants' app gateway hook that pushes a reminder to a worker.",
    )
    notify_sms_webhook: str | None = Field(
        default=None,
        description="An SMS gateway's hook for the family and the sponsor.",
    )
    embassy_emails: dict[str, str] = Field(
        default_factory=dict,
        description='Alert addresses per embassy, JSON, e.g. {"KBRI Phnom Penh": "…"}.',
    )
    command_centre_email: str | None = Field(
        default=None, description="Where alerts go when an embassy has no address of its own."
    )

    alert_ladders: dict[str, list[tuple[str, float]]] = Field(
        default_factory=dict,
        description="Alert ladders per kind over the built-in ones, JSON, e.g. "
        '{"missed_checkin": [["remind_worker", 0], ["notify_embassy", 3], ["open_case", 12]]}.',
    )

    @field_validator("alert_ladders")
    @classmethod
    def _ladders_are_known(
        cls, ladders: dict[str, list[tuple[str, float]]]
    ) -> dict[str, list[tuple[str, float]]]:
        from lindungi.monitoring.ladder import configured

        configured(ladders)  # raises ValueError naming what is wrong
        return ladders

    nats_url: str | None = Field(
        default=None,
        description="NATS JetStream for the check-in stream, e.g. nats://127.0.0.1:4222; "
        "unset, batches are recorded in-process as they arrive.",
    )
    nats_stream: str = Field(default="LINDUNGI_CHECKINS", pattern=r"^[A-Z0-9_]+$")
    nats_events_stream: str = Field(
        default="LINDUNGI_EVENTS",
        pattern=r"^[A-Z0-9_]+$",
        description="The JetStream stream of agency events (subjects lindungi.events.>).",
    )
    map_tiles_url: str | None = Field(
        default=None,
        pattern=r"^https?://[^/]+/.*\{z\}.*\{x\}.*\{y\}",
        description="Map tiles for the alerts map, e.g. "
        "https://tiles.example.go.id/{z}/{x}/{y}.png; unset (or unreachable), the map "
        "draws zones and alerts on a plain background.",
    )
    exchange_webhook_timeout: float = Field(
        default=10.0, gt=0, le=120, description="Seconds an agency's webhook has to answer."
    )
    smtp_host: str | None = Field(default=None, description="The SMTP server email leaves by.")
    smtp_port: int = Field(default=25, ge=1, le=65535)
    smtp_from: str = Field(default="lindungi@localhost", description="The sender's address.")
    smtp_starttls: bool = False
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None

    @field_validator("case_deadline_hours")
    @classmethod
    def _deadlines_are_stages(cls, hours: dict[str, float]) -> dict[str, float]:
        from lindungi.cases.deadlines import DEFAULT_DEADLINES

        stages = [s.value for s in DEFAULT_DEADLINES]
        for stage, limit in hours.items():
            if stage not in stages:
                raise ValueError(f"stage {stage!r}: expected one of {', '.join(stages)}")
            if not limit > 0:
                raise ValueError(f"stage {stage}: the deadline must be more than 0 hours")
        return hours

    @field_validator("currency_rates_idr")
    @classmethod
    def _rates_are_codes_and_positive(cls, rates: dict[str, float]) -> dict[str, float]:
        for code, rate in rates.items():
            if len(code) != 3 or not code.isalpha() or not code.isupper():
                raise ValueError(f"currency {code!r}: expected a code such as USD")
            if not rate > 0:
                raise ValueError(f"currency {code}: the rate must be positive")
        return rates

    @model_validator(mode="after")
    def _refuse_default_secrets(self) -> Settings:
        if self.environment != "development":
            secret = self.secret_key.get_secret_value()
            if secret == DEVELOPMENT_SECRET:
                raise ValueError(
                    "LINDUNGI_SECRET_KEY still has the development default; "
                    f"set a secret of your own when LINDUNGI_ENVIRONMENT={self.environment}"
                )
            if len(secret) < 32:
                raise ValueError("LINDUNGI_SECRET_KEY must be at least 32 characters long")
        return self


def load_settings(**overrides: Any) -> Settings:
    """Read settings from the environment, with ``overrides`` taking precedence.

    ``None`` overrides are dropped so that an unset command-line option falls back
    to the environment. Invalid settings raise :class:`ConfigurationError` with one
    line per problem, naming the variable.
    """
    given = {key: value for key, value in overrides.items() if value is not None}
    try:
        return Settings(**given)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            where = "LINDUNGI_" + "_".join(str(p) for p in error["loc"]).upper()
            message = error["msg"].removeprefix("Value error, ")
            problems.append(message if not error["loc"] else f"{where}: {message}")
        raise ConfigurationError("; ".join(problems)) from None
