"""Rules of the repository that CI must hold: ruff clean, and `.ci/run` is exactly the README's test command."""

import re
import subprocess
import sys
from pathlib import Path

from tests import house_imports

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


# --- boundaries (docs/architecture.md, "Boundaries"), read from the source with `ast` ----------------------------

SCANNERS = ("checkov", "cfnlint")
INTEGRATIONS = "trailguard.integrations"
# The parts that decide verdicts: pure functions of the model, testable without a scanner and without `scan`.
CORE = ("trailguard.pattern", "trailguard.controls", "trailguard.model", "trailguard.rules", "trailguard.findings",
        "trailguard.catalog")


def _top(name: str) -> str:
    return name.split(".", 1)[0]


def _inside(module: str, parts) -> bool:
    return any(module == part or module.startswith(part + ".") for part in parts)


def test_only_the_integrations_import_a_scanner():
    offenders = {name: sorted(i for i in house_imports.imports_of(path) if _top(i) in SCANNERS)
                 for name, path in house_imports.modules().items() if not _inside(name, (INTEGRATIONS,))}
    assert {name: found for name, found in offenders.items() if found} == {}


def test_the_core_imports_no_scanner_no_adapter_and_not_scan():
    forbidden = (INTEGRATIONS, "trailguard.scan", "trailguard.cli", "trailguard.cfn_lint_rules")
    offenders = {}
    for name, path in house_imports.modules().items():
        if _inside(name, CORE):
            found = sorted(i for i in house_imports.imports_of(path) if _top(i) in SCANNERS or _inside(i, forbidden))
            if found:
                offenders[name] = found
    assert offenders == {}


def test_no_import_cycle_between_the_packages():
    edges = {}
    for module, imported in house_imports.graph().items():
        unit = house_imports.unit_of(module)
        edges.setdefault(unit, set()).update(house_imports.unit_of(i) for i in imported)
    for unit, successors in edges.items():
        successors.discard(unit)
        successors.discard("trailguard")
    assert house_imports.find_cycle(edges) is None


def test_no_import_cycle_inside_the_pattern_engine():
    pattern = {module: {i for i in imported if _inside(i, ("trailguard.pattern",)) and i != "trailguard.pattern"}
               for module, imported in house_imports.graph().items()
               if _inside(module, ("trailguard.pattern",)) and module != "trailguard.pattern"}
    assert house_imports.find_cycle(pattern) is None


def test_the_clone_entry_points_are_plain_files_over_the_package():
    for shim in (ROOT / "checks" / "trailguard_checkov_checks.py", ROOT / "plugins" / "trailguard_cfn_lint_rules.py"):
        assert shim.is_file() and not shim.is_symlink() and not shim.parent.is_symlink()
        assert {_top(i) for i in house_imports.imports_of(shim)} == {"trailguard"}


def test_every_catalog_check_names_its_rule_and_its_report_row():
    """Adding a check is its rule module and its catalog entry: the runner and the report rows derive from them."""
    from trailguard.catalog import CHECKS
    from trailguard.rules.analysis import rule_of
    from trailguard.rules.rule import Rule
    from trailguard.scan.chain import LINKS, ROWS

    for check_id, check in CHECKS.items():
        assert isinstance(rule_of(check_id), Rule), check.rule
        assert check.link in ROWS, check.link
    assert sorted(check_id for _, ids in LINKS for check_id in ids) == sorted(CHECKS)
