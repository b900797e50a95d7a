"""Settings: defaults, environment variables, and the refusal of default secrets."""

from __future__ import annotations

import pytest

from lindungi.errors import ConfigurationError
from lindungi.settings import DEVELOPMENT_SECRET, load_settings


def test_default_database_is_sqlite_in_the_user_data_folder(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("LINDUNGI_DATABASE_URL", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", "/srv/example-data")
    settings = load_settings()
    assert settings.database_url == "sqlite:////srv/example-data/lindungi/lindungi.db"
    assert settings.environment == "development"


def test_environment_variables_use_the_lindungi_prefix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LINDUNGI_DATABASE_URL", "postgresql://hub@db/lindungi")
    monkeypatch.setenv("LINDUNGI_TOKEN_TTL_DAYS", "7")
    settings = load_settings()
    assert settings.database_url == "postgresql://hub@db/lindungi"
    assert settings.token_ttl_days == 7


def test_an_explicit_override_beats_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LINDUNGI_DATABASE_URL", "sqlite:///from-env.db")
    assert load_settings(database_url="sqlite:///given.db").database_url == "sqlite:///given.db"
    assert load_settings(database_url=None).database_url == "sqlite:///from-env.db"


@pytest.mark.parametrize("environment", ["production", "test"])
def test_default_secret_is_refused_outside_development(environment: str) -> None:
    with pytest.raises(ConfigurationError) as err:
        load_settings(environment=environment)
    assert str(err.value) == (
        "LINDUNGI_SECRET_KEY still has the development default; "
        f"set a secret of your own when LINDUNGI_ENVIRONMENT={environment}"
    )


def test_short_secret_is_refused_in_production() -> None:
    with pytest.raises(ConfigurationError, match="at least 32 characters"):
        load_settings(environment="production", secret_key="short")


def test_development_accepts_the_default_secret() -> None:
    settings = load_settings(environment="development")
    assert settings.secret_key.get_secret_value() == DEVELOPMENT_SECRET


def test_invalid_values_name_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LINDUNGI_PORT", "99999")
    with pytest.raises(ConfigurationError) as err:
        load_settings()
    assert str(err.value).startswith("LINDUNGI_PORT: Input should be less than or equal to 65535")
