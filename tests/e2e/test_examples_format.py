"""The examples are written the way their tools format them (moved from tests/terraform/test_examples.py)."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from tests.e2e.examples import TERRAFORM


@pytest.mark.skipif(shutil.which("terraform") is None, reason="terraform is not installed on this machine")
def test_examples_are_terraform_fmt_clean():
    run = subprocess.run(["terraform", "fmt", "-check", "-recursive", str(TERRAFORM)], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
