"""The security gate (.ci/security-checks.py): exceptions expire, unexcepted findings fail,
an unreachable vulnerability database is said so; and the code has no high finding."""

from __future__ import annotations

import datetime as dt
import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / ".ci" / "security-checks.py"
TODAY = dt.date(2026, 12, 1)


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("security_checks", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["security_checks"] = module
    spec.loader.exec_module(module)
    return module


checks = _load()


def _finding(test_id: str, severity: str, path: str) -> dict[str, Any]:
    return {"test_id": test_id, "issue_severity": severity, "filename": path,
            "line_number": 7, "issue_text": "something"}  # fmt: skip


def test_the_exceptions_file_is_valid_and_current() -> None:
    exceptions = checks.load_exceptions()
    assert exceptions["bandit"], "the file lists the accepted findings"
    assert checks.check_exceptions(exceptions, dt.date.today()).failures == []


def test_an_expired_or_unexplained_exception_fails() -> None:
    exceptions = {"bandit": [{"id": "B310", "path": "src/a.py", "reason": "checked",
                              "expires": dt.date(2026, 11, 30)}],
                  "pip_audit": [{"id": "GHSA-x", "package": "foo", "reason": " ",
                                 "expires": dt.date(2027, 1, 1)}]}  # fmt: skip
    failures = checks.check_exceptions(exceptions, TODAY).failures
    assert failures == [
        "exception bandit B310 src/a.py expired on 2026-11-30: fix the finding or renew the "
        "exception with a reason",
        "exception pip_audit GHSA-x foo: give a reason",
    ]


def test_only_an_unexcepted_finding_at_the_level_fails() -> None:
    results = [_finding("B310", "MEDIUM", "src/a.py"), _finding("B602", "HIGH", "src/b.py"),
               _finding("B324", "HIGH", "src/c.py"), _finding("B311", "LOW", "src/d.py")]  # fmt: skip
    excepted = [{"id": "B324", "path": "src/c.py"}, {"id": "B105", "path": "src/gone.py"}]
    out, counts = checks.apply_bandit(results, excepted, "HIGH")
    assert counts == {"HIGH": 2, "MEDIUM": 1, "LOW": 1}
    assert out.failures == ["bandit HIGH B602 src/b.py:7: something"]
    assert "exception bandit B105 src/gone.py matches nothing now: remove it" in out.notes
    stricter, _ = checks.apply_bandit(results, excepted, "MEDIUM")
    assert len(stricter.failures) == 2


def test_known_vulnerabilities_fail_unless_excepted_and_an_unreachable_database_is_told() -> None:
    report = {"dependencies": [
        {"name": "Foo", "version": "1.0", "vulns": [
            {"id": "PYSEC-1", "aliases": ["CVE-2026-1"], "fix_versions": ["1.1"]}]},
        {"name": "bar", "version": "2.0", "vulns": [{"id": "GHSA-2", "fix_versions": []}]},
    ]}  # fmt: skip
    out = checks.apply_pip_audit(report, [{"id": "CVE-2026-1", "package": "foo"}])
    assert out.failures == ["pip-audit bar 2.0 GHSA-2 (fixed in no fix yet)"]
    skipped = {"dependencies": [{"name": "foo", "skip_reason": "Dependency not found on PyPI"}]}
    assert checks.unreachable(skipped)
    assert checks.unreachable(None)
    assert not checks.unreachable(report)


def test_the_code_has_no_unexcepted_high_or_medium_finding() -> None:
    pytest.importorskip("bandit")
    out, counts = checks.apply_bandit(
        checks.run_bandit(), checks.load_exceptions()["bandit"], "MEDIUM"
    )
    assert out.failures == []
    assert counts["HIGH"] == 0
