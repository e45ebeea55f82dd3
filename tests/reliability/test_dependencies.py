"""The locked dependencies: complete, and free of known vulnerabilities (pip-audit).

requirements.lock pins what production installs (`pip-compile` of pyproject.toml's
dependencies; see README, "Security"). pip-audit looks each pin up in PyPI's
vulnerability data. Where that service cannot be reached (an offline machine), the
audit is skipped with the reason instead of passing: pip-audit itself would print
"No known vulnerabilities found" while having checked nothing.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LOCK = ROOT / "requirements.lock"
PIN = re.compile(r"^([A-Za-z0-9._-]+)==([^\s;]+)", re.MULTILINE)


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins() -> dict[str, str]:
    return {canonical(name): version for name, version in PIN.findall(LOCK.read_text())}


def audit(requirements: Path) -> list[dict]:
    """pip-audit's verdict on each pinned requirement (its JSON report)."""
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip_audit",
            "-r",
            str(requirements),
            "--no-deps",
            "--format",
            "json",
            "--progress-spinner",
            "off",
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    if not result.stdout.strip():
        pytest.fail(f"pip-audit failed (exit {result.returncode}): {result.stderr[-2000:]}")
    return json.loads(result.stdout)["dependencies"]


def test_the_lock_pins_every_dependency_of_the_project() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = {
        canonical(re.split(r"[\[<>=!~; ]", spec, maxsplit=1)[0]) for spec in project["dependencies"]
    }
    missing = wanted - pins().keys()
    assert not missing, f"re-lock: pip-compile --output-file requirements.lock ... ({missing})"


def test_the_locked_dependencies_have_no_known_vulnerabilities(tmp_path: Path) -> None:
    probe = tmp_path / "probe.txt"
    probe.write_text(f"flask=={pins()['flask']}\n")
    checked = audit(probe)
    if all("skip_reason" in dep for dep in checked):
        pytest.skip(
            f"pip-audit checked nothing from here ({checked[0]['skip_reason']}): PyPI's "
            "vulnerability data is out of reach, so the audit did not run"
        )
    report = audit(LOCK)
    vulnerable = {d["name"]: [v["id"] for v in d["vulns"]] for d in report if d.get("vulns")}
    unaudited = [d["skip_reason"] for d in report if "skip_reason" in d]
    assert not vulnerable, f"known vulnerabilities in requirements.lock: {vulnerable}"
    assert not unaudited, f"pip-audit could not check: {unaudited}"
