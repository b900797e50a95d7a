#!/usr/bin/env python3
"""Static analysis (bandit) and known vulnerabilities of dependencies (pip-audit), with
documented, expiring exceptions (.ci/security-exceptions.toml).

Fails (exit 1) on:
- a bandit finding of high severity (or of the --level given) that no exception covers;
- a known vulnerability of an installed dependency that no exception covers;
- an exception past its expiry date, or one without a reason.

pip-audit asks PyPI's or OSV's vulnerability database over the network. When neither
answers, the script says so on stderr and passes, unless LINDUNGI_REQUIRE_PIP_AUDIT=1,
in which case it fails closed. Usage: .ci/security-checks.py [--level high|medium|low]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess  # nosec B404 - runs the two audit tools, with fixed arguments
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
EXCEPTIONS = ROOT / ".ci" / "security-exceptions.toml"
LEVELS = {"LOW": 1, "MEDIUM": 2, "HIGH": 3}


@dataclass
class Outcome:
    """What the checks found: lines to print, and whether the run fails."""

    failures: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def load_exceptions(path: Path = EXCEPTIONS) -> dict[str, list[dict[str, Any]]]:
    """The exceptions file as ``{"bandit": [...], "pip_audit": [...]}``."""
    data = tomllib.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    return {"bandit": list(data.get("bandit", [])), "pip_audit": list(data.get("pip_audit", []))}


def check_exceptions(exceptions: dict[str, list[dict[str, Any]]], today: dt.date) -> Outcome:
    """Fail on an exception that has expired or gives no reason."""
    out = Outcome()
    for kind, entries in exceptions.items():
        for entry in entries:
            name = f"{kind} {entry.get('id')} {entry.get('path') or entry.get('package') or ''}"
            expires = entry.get("expires")
            if not isinstance(expires, dt.date):
                out.failures.append(f"exception {name.strip()}: `expires` must be a date")
            elif expires < today:
                out.failures.append(
                    f"exception {name.strip()} expired on {expires}: fix the finding or renew "
                    "the exception with a reason"
                )
            if not str(entry.get("reason", "")).strip():
                out.failures.append(f"exception {name.strip()}: give a reason")
    return out


def _relative(filename: str) -> str:
    path = Path(filename)
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return filename.removeprefix("./")


def apply_bandit(
    results: list[dict[str, Any]], exceptions: list[dict[str, Any]], level: str = "HIGH"
) -> tuple[Outcome, dict[str, int]]:
    """Sort bandit's findings into excepted, failing (at ``level`` or above) and noted."""
    out = Outcome()
    counts = {"HIGH": 0, "MEDIUM": 0, "LOW": 0}
    used: set[tuple[str, str]] = set()
    keys = {(str(e["id"]), str(e["path"])) for e in exceptions}
    for finding in results:
        severity = str(finding["issue_severity"]).upper()
        counts[severity] = counts.get(severity, 0) + 1
        where = _relative(str(finding["filename"]))
        key = (str(finding["test_id"]), where)
        line = (
            f"bandit {severity} {finding['test_id']} {where}:{finding['line_number']}: "
            f"{finding['issue_text']}"
        )
        if key in keys:
            used.add(key)
            if LEVELS.get(severity, 0) >= LEVELS["MEDIUM"]:
                out.notes.append(f"{line} (excepted)")
        elif LEVELS.get(severity, 0) >= LEVELS[level]:
            out.failures.append(line)
        elif LEVELS.get(severity, 0) >= LEVELS["MEDIUM"]:
            out.notes.append(line)
    for test_id, path in sorted(keys - used):
        out.notes.append(f"exception bandit {test_id} {path} matches nothing now: remove it")
    return out, counts


def apply_pip_audit(report: dict[str, Any], exceptions: list[dict[str, Any]]) -> Outcome:
    """Fail on every known vulnerability no exception covers (pip-audit gives no severity)."""
    out = Outcome()
    excepted = {(str(e.get("package", "")).lower(), str(e["id"])) for e in exceptions}
    for dep in report.get("dependencies", []):
        for vuln in dep.get("vulns", []):
            ids = {vuln["id"], *vuln.get("aliases", [])}
            name = str(dep["name"]).lower()
            fixed = ", ".join(vuln.get("fix_versions", [])) or "no fix yet"
            line = (
                f"pip-audit {dep['name']} {dep.get('version', '')} {vuln['id']} (fixed in {fixed})"
            )
            if any((name, i) in excepted or ("", i) in excepted for i in ids):
                out.notes.append(f"{line} (excepted)")
            else:
                out.failures.append(line)
    return out


def unreachable(report: dict[str, Any] | None) -> bool:
    """Whether pip-audit could not ask its database (no report, or every package skipped)."""
    if report is None:
        return True
    deps = report.get("dependencies", [])
    return bool(deps) and all("skip_reason" in d and not d.get("vulns") for d in deps)


def run_bandit() -> list[dict[str, Any]]:
    """bandit over ``src`` (all severities; the levels are applied here)."""
    done = subprocess.run(  # nosec B603 - fixed arguments
        [sys.executable, "-m", "bandit", "-r", "src", "-f", "json", "-q"],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode not in (0, 1) or not done.stdout.strip():
        raise SystemExit(f"bandit did not run: {done.stderr.strip() or done.returncode}")
    return list(json.loads(done.stdout)["results"])


def run_pip_audit(timeout: int = 600) -> dict[str, Any] | None:
    """pip-audit of the installed environment, or ``None`` when it could not run."""
    try:
        done = subprocess.run(  # nosec B603 - fixed arguments
            [sys.executable, "-m", "pip_audit", "-f", "json", "--progress-spinner", "off",
             "--skip-editable"],
            cwd=ROOT, capture_output=True, text=True, check=False, timeout=timeout,
        )  # fmt: skip
    except (subprocess.TimeoutExpired, OSError):
        return None
    try:
        report: dict[str, Any] = json.loads(done.stdout)
    except ValueError:
        return None
    return report


def main(argv: list[str] | None = None) -> int:
    """Run both checks and print what they found; 0 when nothing fails."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--level", choices=["high", "medium", "low"], default="high",
                        help="the bandit severity that fails the run (default: high)")  # fmt: skip
    parser.add_argument("--skip-pip-audit", action="store_true")
    args = parser.parse_args(argv)
    today = dt.date.today()
    exceptions = load_exceptions()
    results: list[Outcome] = [check_exceptions(exceptions, today)]

    found, counts = apply_bandit(run_bandit(), exceptions["bandit"], args.level.upper())
    results.append(found)
    print(f"bandit: {counts['HIGH']} high, {counts['MEDIUM']} medium, {counts['LOW']} low")

    if not args.skip_pip_audit:
        report = run_pip_audit()
        if unreachable(report):
            message = (
                "pip-audit: the vulnerability database (PyPI / OSV) could not be reached; "
                "dependencies were NOT audited"
            )
            if os.environ.get("LINDUNGI_REQUIRE_PIP_AUDIT") == "1":
                results.append(Outcome(failures=[message + " (LINDUNGI_REQUIRE_PIP_AUDIT=1)"]))
            else:
                print(message + " (set LINDUNGI_REQUIRE_PIP_AUDIT=1 to fail)", file=sys.stderr)
        else:
            assert report is not None  # nosec B101 - narrowed by unreachable()
            audited = apply_pip_audit(report, exceptions["pip_audit"])
            results.append(audited)
            vulns = sum(len(d.get("vulns", [])) for d in report.get("dependencies", []))
            print(f"pip-audit: {len(report.get('dependencies', []))} packages, {vulns} known "
                  "vulnerabilities")  # fmt: skip

    failures = [line for r in results for line in r.failures]
    for line in (line for r in results for line in r.notes):
        print(f"  note: {line}")
    for line in failures:
        print(f"FAIL: {line}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
