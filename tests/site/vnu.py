"""The Nu Html Checker (npm vnu-jar, pinned in tools/checks), run with the machine's Java."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from tests.site.harness import PROJECT

VNU_JAR = PROJECT / "tools/checks/node_modules/vnu-jar/build/dist/vnu.jar"


def vnu_errors(folder: Path) -> list[str]:
    """Every error the checker finds in the HTML files under ``folder``, as lines.

    Warnings are left out: the checker warns, for instance, that a CSP of
    'self' blocks stylesheets when pages are read from file: URLs.
    """
    if not VNU_JAR.is_file():
        msg = f"{VNU_JAR} is missing: `make test` installs it with npm ci in tools/checks"
        raise FileNotFoundError(msg)
    run = subprocess.run(
        [
            "java",
            "-Xss4m",
            "-jar",
            str(VNU_JAR),
            "--format",
            "json",
            "--stdout",
            "--skip-non-html",
            str(folder),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        messages = json.loads(run.stdout)["messages"]
    except (json.JSONDecodeError, KeyError) as error:
        msg = f"the checker gave no JSON report (exit {run.returncode}): {run.stderr[:2000]}"
        raise RuntimeError(msg) from error
    errors = []
    for message in messages:
        if message.get("type") in {"error", "non-document-error"}:
            # The checker names files as file:/abs/path (one slash).
            where = message.get("url", "").removeprefix("file:").removeprefix("//")
            where = where.removeprefix(str(folder.resolve()) + "/")
            errors.append(f"{where}:{message.get('lastLine', 0)}: {message.get('message', '')}")
    return errors
