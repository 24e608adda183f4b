"""A non-editable install from a clean copy works without the source tree, and the built wheel and sdist carry the
Checkov checks and the cfn-lint rules.

Slow (marked `slow`): the `installed` environment (tests/environments.py, built once per session in the background)
pip-installs trailguard[all] (Checkov, cfn-lint) from the configured package index.
"""

from __future__ import annotations

import shutil
import tarfile
import zipfile
from pathlib import Path

import pytest

from tests.environments import ROOT, copy_source
from tests.environments import run as _run

PACKAGE_FILES = ["trailguard/integrations/checkov/external_checks/trailguard_checkov_checks.py",
                 "trailguard/cfn_lint_rules/__init__.py", "trailguard/integrations/cfn_lint/rules.py",
                 "trailguard/scan/runner.py", "trailguard/cli.py"]
# A clone's entry points (`--external-checks-dir checks`, `--append-rules=plugins`): plain files in the sdist.
CLONE_SHIMS = ["checks/trailguard_checkov_checks.py", "plugins/trailguard_cfn_lint_rules.py"]

pytestmark = pytest.mark.slow


def test_the_package_is_imported_from_the_environment_not_a_source_tree(installed, tmp_path):
    where = _run([str(installed / "python"), "-c", "import trailguard; print(trailguard.__file__)"], tmp_path)
    assert "site-packages" in where.stdout, where.stdout + where.stderr
    checks_dir = Path(_run([str(installed / "trailguard"), "checks-dir"], tmp_path).stdout.strip())
    assert "site-packages" in str(checks_dir) and (checks_dir / "trailguard_checkov_checks.py").is_file()


def test_cfn_lint_loads_the_rules_by_module_name(installed, tmp_path):
    template = tmp_path / "or_bug.yaml"
    shutil.copy(ROOT / "examples" / "cloudformation" / "noncompliant" / "or_bug.yaml", template)
    lint = _run([str(installed / "cfn-lint"), "--append-rules=trailguard.cfn_lint_rules", str(template)], tmp_path)
    assert lint.returncode == 2, lint.stdout + lint.stderr
    assert "E9102" in lint.stdout and "GetObject" in lint.stdout


def test_checkov_runs_the_checks_from_the_installed_checks_dir(installed, tmp_path):
    shutil.copytree(ROOT / "examples" / "terraform" / "noncompliant" / "or_bug_pattern", tmp_path / "root")
    checks_dir = _run([str(installed / "trailguard"), "checks-dir"], tmp_path).stdout.strip()
    scan = _run([str(installed / "checkov"), "--skip-download", "--compact", "--framework", "terraform",
                 "--external-checks-dir", checks_dir, "--check", "TG_AWS_*", "-d", "root"], tmp_path)
    assert scan.returncode == 1, scan.stdout + scan.stderr
    assert "TG_AWS_2" in scan.stdout and "FAILED" in scan.stdout


def test_trailguard_scan_from_the_install(installed, tmp_path):
    shutil.copytree(ROOT / "examples" / "terraform" / "noncompliant" / "or_bug_pattern", tmp_path / "tf")
    shutil.copy(ROOT / "examples" / "cloudformation" / "compliant" / "cis_controls.yaml", tmp_path / "cis.yaml")
    scan = _run([str(installed / "trailguard"), "scan"], tmp_path)
    assert scan.returncode == 1, scan.stdout + scan.stderr
    assert "FAIL  tf  (Terraform root module)" in scan.stdout and "counterexample event:" in scan.stdout
    assert "pass  cis.yaml  (CloudFormation template)  the chain holds for all 15 controls" in scan.stdout


def test_build_makes_a_wheel_and_an_sdist_with_the_checks_and_rules(installed, tmp_path):
    source = copy_source(tmp_path / "source")
    build = _run([str(installed / "python"), "-m", "build", "--outdir", str(tmp_path / "dist"), str(source)], tmp_path)
    assert build.returncode == 0, build.stdout + build.stderr
    wheel = next((tmp_path / "dist").glob("trailguard-*.whl"))
    sdist = next((tmp_path / "dist").glob("trailguard-*.tar.gz"))
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        scripts = next(archive.read(n).decode() for n in names if n.endswith(".dist-info/entry_points.txt"))
    assert set(PACKAGE_FILES) <= set(names)
    assert {"trailguard =", "trailguard-checkov =", "trailguard-cfn-lint ="} <= {
        line.split("=")[0].strip() + " =" for line in scripts.splitlines() if "=" in line}
    with tarfile.open(sdist) as archive:
        members = {member.name.split("/", 1)[1] for member in archive.getmembers() if "/" in member.name}
        links = [member.name for member in archive.getmembers() if member.issym()]
    assert set(PACKAGE_FILES) | set(CLONE_SHIMS) | {"setup.cfg", "pyproject.toml", "README.md",
                                                    "docs/checks/TG_AWS_1.md"} <= members
    assert links == [] and not any(name.startswith(("tests/", "examples/")) for name in members)
