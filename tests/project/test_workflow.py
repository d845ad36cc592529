"""The GitHub Pages workflow: valid against GitHub's schema, clean under zizmor."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml

from tests.support import ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "pages.yml"
BIN = Path(sys.executable).parent


def test_workflow_matches_the_github_schema() -> None:
    run = subprocess.run(
        [str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.github-workflows", str(WORKFLOW)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr


def test_workflow_passes_zizmor() -> None:
    run = subprocess.run(
        [str(BIN / "zizmor"), "--offline", "--no-progress", str(WORKFLOW)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr


def test_deploy_job_has_only_the_pages_permissions() -> None:
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert workflow["permissions"] == {}
    assert workflow["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    steps = [s.get("uses", "") for job in workflow["jobs"].values() for s in job["steps"]]
    for action in ("actions/configure-pages@", "actions/upload-pages-artifact@", "actions/deploy-pages@"):
        assert any(s.startswith(action) for s in steps), action


def test_ci_runs_the_readme_test_command() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in readme
    assert "\nmake test\n" in ci


def test_build_job_keeps_the_build_caches_between_runs() -> None:
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    steps = workflow["jobs"]["build"]["steps"]
    names = [s.get("uses", s.get("run", "")) for s in steps]
    cache = next(s for s in steps if s.get("uses", "").startswith("actions/cache@"))
    # Restored before the build, keyed on the pinned renderer (the lock file).
    assert names.index(cache["uses"]) < names.index("make publish")
    assert cache["with"]["path"] == ".cache"
    assert "hashFiles('requirements.lock')" in cache["with"]["key"]
    assert "hashFiles('requirements.lock')" in cache["with"]["restore-keys"]
