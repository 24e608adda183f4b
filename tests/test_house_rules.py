"""Rules of the repository that CI must hold: ruff clean, and `.ci/run` is exactly the README's test command."""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_ruff_is_clean():
    run = subprocess.run([sys.executable, "-m", "ruff", "check", str(ROOT)], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr


def readme_commands():
    return re.findall(r"```(?:sh|bash)\n(.*?)\n```", (ROOT / "README.md").read_text(), re.DOTALL)


def test_ci_runs_exactly_the_readme_test_command():
    command = readme_commands()[1].strip()
    script = (ROOT / ".ci" / "run").read_text().strip().splitlines()
    assert script[-1] == command
