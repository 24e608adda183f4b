"""`trailguard` in users' pipelines, in-process on recorded scanner output (tests/scan_replay.py): the options Checkov
users expect (`--check`, `--skip-check`, `--skip-path`, `--soft-fail`, several formats with `--output-file`, a
configuration file, a baseline), `--version`, `python -m trailguard` and `trailguard checks`."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.sarif_schema import sarif_schema_errors
from tests.scan_replay import ROOT, replay
from tests.test_scan_command import body
from trailguard.catalog import CHECKS
from trailguard.cli import main
from trailguard.scan.command import EXIT_FINDINGS, EXIT_NOT_PROVEN, EXIT_OK
from trailguard.scan.selection import EVERY_CONTROL

USAGE = 2


def run(*argv: str):
    out = io.StringIO()
    return main(list(argv), out), out.getvalue()


# --- the command itself ----------------------------------------------------------------------------------------------

def test_version_is_the_installed_one(capsys):
    from trailguard.version import installed_version

    with pytest.raises(SystemExit) as exited:
        from trailguard.cli import build_parser
        build_parser().parse_args(["--version"])
    assert exited.value.code == 0 and capsys.readouterr().out.strip() == f"trailguard {installed_version()}"


def test_python_dash_m_trailguard_is_the_command():
    done = subprocess.run([sys.executable, "-m", "trailguard", "--version"], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0 and done.stdout.startswith("trailguard ")
    done = subprocess.run([sys.executable, "-m", "trailguard", "checks", "--json"], capture_output=True, text=True)
    assert done.returncode == 0 and len(json.loads(done.stdout)) == len(CHECKS)


def test_checks_lists_every_check_with_both_ids_control_severity_title_and_docs():
    code, text = run("checks", "--json")
    rows = json.loads(text)
    assert code == EXIT_OK and [row["checkov_id"] for row in rows] == list(CHECKS)
    for row in rows:
        check = CHECKS[row["checkov_id"]]
        assert row == {"checkov_id": check.id, "cfn_lint_id": check.cfn_lint_id, "control": check.control,
                       "severity": check.severity, "title": check.title, "docs_url": check.guideline}
    code, text = run("checks")
    assert code == EXIT_OK and all(check.cfn_lint_id in text and check.guideline in text for check in CHECKS.values())


# --- choosing checks and paths ---------------------------------------------------------------------------------------

def _checks(report: str):
    return {result["check_id"] for unit in json.loads(report)["units"] for link in unit["links"]
            for result in link["results"]}


@pytest.mark.parametrize("option, expected", [
    (("--check", "TG_AWS_2"), {"TG_AWS_2"}),
    (("--check", "E9102,W9105"), {"TG_AWS_2", "TG_AWS_5"}),
    (("--check", "tg_aws_[12]"), {"TG_AWS_1", "TG_AWS_2"}),
    (("--skip-check", "TG_AWS_*"), set()),
    (("--check", "unauthorized-api-calls", "--skip-check", "TG_AWS_4", "--skip-check", "W9105"),
     {"TG_AWS_1", "TG_AWS_2", "TG_AWS_3"}),
])
def test_check_and_skip_check_take_ids_wildcards_cfn_lint_ids_and_control_slugs(option, expected):
    code, report = replay("compliant_paths", "--format", "json", *option)
    assert _checks(report) == expected
    assert code == (EXIT_OK if "TG_AWS_4" in expected else EXIT_NOT_PROVEN)


def test_a_check_that_names_no_check_is_a_usage_error_not_an_empty_pass(capsys):
    code, _ = run("scan", "--check", "TG_AWS_99", str(ROOT / "examples/terraform/compliant/basic"))
    assert code == USAGE and "no check is named 'TG_AWS_99'" in capsys.readouterr().err


def test_a_check_naming_only_a_control_the_cis_version_lacks_is_a_usage_error(capsys):
    code, _ = run("scan", "--check", "organizations-changes", "--cis-version", "1.2",
                  str(ROOT / "examples/terraform/compliant/basic"))
    assert code == USAGE
    assert "CIS v1.2 has no control named 'organizations-changes'" in capsys.readouterr().err


def test_skip_path_leaves_files_out_by_regex_or_glob(monkeypatch):
    from trailguard.scan.selection import Selection

    by_regex = Selection(skip_paths=["noncompliant"])
    by_glob = Selection(skip_paths=["examples/*/compliant/*.yaml"])
    assert by_regex.skips(ROOT / "examples/cloudformation/noncompliant/or_bug.yaml")
    assert not by_regex.skips(ROOT / "examples/cloudformation/compliant/plain_chain.yaml")
    monkeypatch.chdir(ROOT)
    assert by_glob.skips(Path("examples/cloudformation/compliant/plain_chain.yaml"))
    assert not by_glob.skips(Path("examples/terraform/compliant/basic/main.tf"))


def test_skip_path_keeps_the_files_from_the_scanners(monkeypatch):
    from trailguard.scan import command
    from trailguard.scan.runner import Scan

    handed: list = []
    monkeypatch.setattr(command, "run_scan",
                        lambda paths, timeout, left_out, cis_version: handed.append(left_out) or Scan())
    monkeypatch.chdir(ROOT)
    code, report = run("scan", "--skip-path", "noncompliant", "--skip-path", "*/plan_json/*", "examples")
    left_out = {str(Path(file).relative_to(ROOT)) for file in handed[0]}
    assert "examples/cloudformation/noncompliant/or_bug.yaml" in left_out
    assert "examples/terraform/compliant/plan_json/plan.json" in left_out
    assert not any(file.startswith("examples/terraform/compliant/basic/") for file in left_out)
    assert "noncompliant" not in report  # nor counted from their declarations


# --- exit codes ------------------------------------------------------------------------------------------------------

def test_soft_fail_exits_0_and_still_prints_the_findings():
    code, report = replay("or_bug_template")
    assert code == EXIT_FINDINGS
    soft_code, soft_report = replay("or_bug_template", "--soft-fail")
    assert soft_code == EXIT_OK and soft_report == report


def test_soft_fail_never_hides_a_scanner_error():
    code, _ = replay("template_cfn_lint_cannot_read", "--soft-fail")
    assert code == 2


def test_fail_on_high_leaves_medium_failures_shown_but_passing():
    code, report = replay("or_bug_template", "--check", "unauthorized-api-calls", "--fail-on", "HIGH", "--skip-check",
                          "TG_AWS_4")
    assert "TG_AWS_2" in report and code == EXIT_NOT_PROVEN


# --- several formats in one scan -------------------------------------------------------------------------------------

def test_one_scan_writes_text_to_stdout_and_sarif_and_json_to_files(tmp_path):
    sarif, document = tmp_path / "out" / "trailguard.sarif", tmp_path / "report.json"
    code, report = replay("or_bug_template", "--format", "text", "-o", "sarif", "--output", "json",
                          "--output-file", f"sarif={sarif}", "--output-file", f"json={document}")
    assert code == EXIT_FINDINGS and body(report).startswith("FAIL  examples/cloudformation/noncompliant/or_bug.yaml")
    log = json.loads(sarif.read_text())
    assert sarif_schema_errors(log) == [] and log["runs"][0]["results"]
    assert json.loads(document.read_text())["summary"]["failing_units"] == 1


def test_checkov_output_file_path_a_directory_or_one_entry_per_format(tmp_path):
    replay("or_bug_template", "-o", "json", "-o", "sarif", "--output-file-path", str(tmp_path))
    assert {path.name for path in tmp_path.iterdir()} == {"results_json.json", "results_sarif.sarif"}
    code, report = replay("or_bug_template", "-o", "text", "-o", "sarif", "--output-file-path",
                          f"console,{tmp_path / 'x.sarif'}")
    assert body(report).startswith("FAIL") and json.loads((tmp_path / "x.sarif").read_text())["version"] == "2.1.0"


def test_an_output_file_for_a_format_not_asked_for_is_a_usage_error(capsys):
    code, _ = run("scan", "--output-file", "sarif=x.sarif", str(ROOT / "examples/terraform/compliant/basic"))
    assert code == USAGE and "sarif is not among the formats (text)" in capsys.readouterr().err


# --- configuration file ----------------------------------------------------------------------------------------------

def test_a_yaml_configuration_holds_the_settings_and_the_command_line_overrides_them(tmp_path):
    config = tmp_path / "trailguard.yaml"
    config.write_text("soft-fail: true\nskip_check: [TG_AWS_5]\nformat: [json]\n")
    code, report = replay("or_bug_template", "--config", str(config))
    assert code == EXIT_OK and "TG_AWS_5" not in _checks(report) and "TG_AWS_2" in _checks(report)
    code, report = replay("or_bug_template", "--config", str(config), "--format", "text", "--skip-check", "TG_AWS_1")
    assert code == EXIT_OK and body(report).startswith("FAIL") and "[TG_AWS_5]" in report


def test_a_configuration_with_an_unknown_setting_is_a_usage_error(tmp_path, capsys):
    config = tmp_path / "c.yaml"
    config.write_text("skip-checks: [TG_AWS_5]\n")
    code, _ = run("scan", "--config", str(config), str(ROOT / "examples/terraform/compliant/basic"))
    assert code == USAGE and "unknown setting 'skip-checks'" in capsys.readouterr().err


def test_trailguard_yaml_and_pyproject_are_found_in_the_scanned_directory(tmp_path):
    from trailguard.scan.settings import find_config, read_config

    (tmp_path / "pyproject.toml").write_text('[tool.trailguard]\nfail-on = "LOW"\nskip-path = ["legacy/"]\n')
    assert find_config(None, [str(tmp_path)]) == tmp_path / "pyproject.toml"
    if sys.version_info >= (3, 11):
        assert read_config(tmp_path / "pyproject.toml") == {"fail_on": "LOW", "skip_path": ["legacy/"]}
    (tmp_path / ".trailguard.yaml").write_text("fail-on: high\n")
    assert find_config(None, [str(tmp_path)]) == tmp_path / ".trailguard.yaml"


def test_without_a_toml_reader_pyproject_settings_are_an_error_that_says_so(tmp_path, monkeypatch):
    from trailguard.scan import settings

    (tmp_path / "pyproject.toml").write_text("[tool.trailguard]\nsoft-fail = true\n")
    monkeypatch.setattr(settings, "_toml_reader", lambda: None)
    with pytest.raises(settings.SettingsError, match="cannot read TOML .*pip install tomli"):
        settings.read_config(tmp_path / "pyproject.toml")


# --- baseline --------------------------------------------------------------------------------------------------------

def test_a_baseline_accepts_the_recorded_failures_only(tmp_path):
    baseline = tmp_path / "baseline.json"
    one = ("--check", "unauthorized-api-calls")
    code, _ = replay("or_bug_template", *one, "--create-baseline", str(baseline))
    assert code == EXIT_FINDINGS
    recorded = json.loads(baseline.read_text())["findings"]
    assert {entry["check_id"] for entry in recorded} == {"TG_AWS_2", "TG_AWS_4"}
    code, report = replay("or_bug_template", *one, "--baseline", str(baseline), "--format", "json")
    results = [result for unit in json.loads(report)["units"] for link in unit["links"] for result in link["results"]]
    assert not any(result["result"] == "FAILED" for result in results)
    assert all(result["skip_reason"] == f"accepted in the baseline {baseline}"
               for result in results if result["check_id"] in ("TG_AWS_2", "TG_AWS_4"))
    assert code == EXIT_NOT_PROVEN  # accepted is not proven: the chain still breaks
    _, log = replay("or_bug_template", *one, "--baseline", str(baseline), "--format", "sarif")
    assert {suppression["kind"] for result in json.loads(log)["runs"][0]["results"]
            for suppression in result["suppressions"]} == {"external"}
    changed = [dict(entry, reason_hash="0" * 16) if entry["check_id"] == "TG_AWS_2" else entry for entry in recorded]
    baseline.write_text(json.dumps({"version": 1, "findings": changed}))
    code, report = replay("or_bug_template", *one, "--baseline", str(baseline))
    assert code == EXIT_FINDINGS and "FAIL  filter" in report  # the reason changed: a new finding


# --- severity --------------------------------------------------------------------------------------------------------

def test_severity_in_json_and_sarif_with_help_and_one_result_per_finding():
    _, report = replay("or_bug_template", "--format", "json")
    assert {(result["check_id"], result["severity"]) for unit in json.loads(report)["units"]
            for link in unit["links"] for result in link["results"]} >= {("TG_AWS_2", "MEDIUM"), ("TG_AWS_4", "HIGH")}
    _, report = replay("or_bug_template", "--format", "sarif")
    log = json.loads(report)
    assert sarif_schema_errors(log) == []
    rules = {rule["id"]: rule for rule in log["runs"][0]["tool"]["driver"]["rules"]}
    assert rules["TG_AWS_4"]["properties"]["security-severity"] == "8.0"
    assert rules["TG_AWS_5"]["properties"]["security-severity"] == "3.0"
    assert all(rule["helpUri"] in rule["help"]["text"] and rule["helpUri"] in rule["help"]["markdown"]
               for rule in rules.values())
    results = log["runs"][0]["results"]
    filter_text = next(r["message"]["text"] for r in results if r["ruleId"] == "TG_AWS_2")
    chain_text = next(r["message"]["text"] for r in results if r["ruleId"] == "TG_AWS_4")
    cause = filter_text.split(": ", 1)[1].split(";")[0]
    assert cause not in chain_text  # the broken link is reported once, on its own check
    keys = [(r["ruleId"], json.dumps(r["locations"])) for r in results]
    assert len(keys) == len(set(keys))


# --- pre-commit hooks ------------------------------------------------------------------------------------------------

def test_the_hooks_fire_only_on_terraform_and_cloudformation_files_and_the_repository_scan_runs_once():
    import re

    import yaml

    hooks = {hook["id"]: hook for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    fires = {name: [path for path in ("infra/main.tf", "infra/main.tf.json", "t/stack.yaml", "t/stack.template",
                                      "plan.json", "src/app.py", "README.md", "infra/.terraform/modules/x/main.tf")
                    if re.search(hook["files"], path) and not re.search(hook["exclude"], path)]
             for name, hook in hooks.items()}
    assert fires == {"trailguard-checkov": ["infra/main.tf", "infra/main.tf.json", "t/stack.yaml", "t/stack.template",
                                            "plan.json"],
                     "trailguard-cfn-lint": ["infra/main.tf.json", "t/stack.yaml", "t/stack.template", "plan.json"]}
    checkov = hooks["trailguard-checkov"]
    assert checkov["require_serial"] is True and checkov["pass_filenames"] is False


def test_severity_in_the_text_report_on_failing_and_warned_rows_only():
    _, report = replay("or_bug_template", "--check", "unauthorized-api-calls")
    rows = [line for line in report.splitlines() if line.startswith("  ") and not line.startswith("   ")]
    assert [row.rsplit("  ", 1)[1] for row in rows if row.startswith("  FAIL")] == ["severity MEDIUM", "severity HIGH"]
    assert not any("severity" in row for row in rows if row.startswith("  pass"))
    _, report = replay("topic_without_subscription")
    assert any(line.startswith("  warn  topic") and line.endswith("severity LOW") for line in report.splitlines())


# --- one scanner installed -------------------------------------------------------------------------------------------

def _without_checkov(monkeypatch):
    from trailguard.scan import runner
    from trailguard.scan.tools import ToolMissing

    def missing(args):
        raise ToolMissing('checkov is not installed in trailguard\'s environment; install it with: pip install '
                          '"trailguard[checkov]" (or "trailguard[all]")')

    monkeypatch.setattr(runner, "checkov_command", missing)


def test_the_cfn_lint_extra_alone_scans_cloudformation_with_cfn_lint_only(monkeypatch, capsys):
    _without_checkov(monkeypatch)
    monkeypatch.chdir(ROOT)
    code, report = run("scan", "examples/cloudformation/noncompliant/or_bug.yaml")
    assert code == EXIT_FINDINGS and "FAIL  filter  UnauthorizedApiCallsFilter [TG_AWS_2]" in report
    assert "judged by cfn-lint only" in capsys.readouterr().err


def test_without_checkov_terraform_is_an_incomplete_scan_that_says_what_to_install(monkeypatch, capsys):
    _without_checkov(monkeypatch)
    monkeypatch.chdir(ROOT)
    code, _ = run("scan", "examples/terraform/compliant/basic", "examples/cloudformation/compliant/plain_chain.yaml")
    assert code == USAGE and 'pip install "trailguard[checkov]"' in capsys.readouterr().err


def test_the_cfn_lint_wrapper_says_what_to_install_instead_of_a_traceback(monkeypatch, capsys):
    from trailguard.scan import tools

    monkeypatch.setattr(tools.importlib.util, "find_spec", lambda name: None)
    assert run("cfn-lint", "template.yaml")[0] == USAGE
    assert 'pip install "trailguard[cfn-lint]"' in capsys.readouterr().err


def test_a_configured_timeout_is_checked_like_the_option(tmp_path, capsys):
    config = tmp_path / "c.yaml"
    config.write_text("timeout: soon\n")
    code, _ = run("scan", "--config", str(config), str(ROOT / "examples/terraform/compliant/basic"))
    assert code == USAGE and "timeout must be a positive number of seconds" in capsys.readouterr().err


# --- controls by slug, and the CIS version ---------------------------------------------------------------------------

ALL_BUT_ROOT = [control for control in EVERY_CONTROL if control != "root-usage"]


@pytest.mark.parametrize("option, controls, checks, expected_code", [
    (("--check", "root-usage"), ["root-usage"], {"TG_AWS_1", "TG_AWS_2", "TG_AWS_3", "TG_AWS_5", "TG_AWS_7"}, EXIT_OK),
    (("--skip-check", "root-usage"), ALL_BUT_ROOT, set(CHECKS) - {"TG_AWS_7"}, EXIT_OK),
    (("--skip-check", "TG_AWS_7"), list(EVERY_CONTROL), set(CHECKS) - {"TG_AWS_7"}, EXIT_NOT_PROVEN),
    (("--check", "*-changes", "--skip-check", "iam-*"), [c for c in ALL_BUT_ROOT if c.endswith("-changes")
                                                        and c != "iam-policy-changes"], None, EXIT_OK),
])
def test_a_control_slug_chooses_the_control_and_skipping_its_check_leaves_it_unproven(option, controls, checks,
                                                                                      expected_code):
    code, report = replay("all_controls", "--format", "json", *option)
    document = json.loads(report)
    assert code == expected_code
    assert document["controls"] == controls and list(document["units"][0]["controls"]) == controls
    assert checks is None or _checks(report) == checks
    assert document["summary"]["unproven_controls"] == ([] if expected_code == EXIT_OK else ["root-usage"])


def test_the_cis_version_comes_from_the_option_the_configuration_or_the_environment(tmp_path, monkeypatch):
    def version(*options: str) -> str:
        return json.loads(replay("all_controls", "--format", "json", *options)[1])["cis_version"]

    assert version() == "7.0"
    assert version("--cis-version", "v4.0.0") == "4.0"
    config = tmp_path / "c.yaml"
    config.write_text("cis-version: 4.0\n")  # a YAML number is a version too
    assert version("--config", str(config)) == "4.0"
    monkeypatch.setenv("TRAILGUARD_CIS_VERSION", "1.4")
    assert version() == "1.4" and version("--config", str(config)) == "4.0"
    _, log = replay("all_controls", "--format", "sarif")
    assert json.loads(log)["runs"][0]["properties"]["cis-version"] == "1.4"
    assert replay("all_controls")[1].startswith("CIS AWS Foundations Benchmark v1.4, ")


@pytest.mark.parametrize("where", ["option", "configuration", "environment"])
def test_an_unknown_cis_version_is_a_usage_error_before_anything_runs(where, tmp_path, monkeypatch, capsys):
    from trailguard.scan import command

    monkeypatch.setattr(command, "run_scan", lambda *args, **kwargs: pytest.fail("the scanners ran"))
    options = {"option": ["--cis-version", "4.1"], "configuration": ["--config", str(tmp_path / "c.yaml")],
               "environment": []}[where]
    (tmp_path / "c.yaml").write_text("cis-version: '4.1'\n")
    if where == "environment":
        monkeypatch.setenv("TRAILGUARD_CIS_VERSION", "4.1")
    code, _ = run("scan", *options, str(ROOT / "examples/terraform/compliant/basic"))
    error = capsys.readouterr().err
    assert code == USAGE
    assert "unknown CIS version '4.1'; known: 1.2, 1.3, 1.4, 1.5, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0" in error
    assert ("TRAILGUARD_CIS_VERSION" in error) == (where == "environment")


def test_a_control_the_cis_version_does_not_have_is_not_asked_for():
    """Organizations changes first appear in CIS v1.3: under v1.2 the scan must prove the fourteen others."""
    from trailguard.scan.selection import Selection

    assert Selection().controls("1.2") == tuple(control for control in EVERY_CONTROL
                                                if control != "organizations-changes")
    assert Selection().controls("1.3") == Selection().controls() == EVERY_CONTROL
    report = replay("all_controls", "--cis-version", "1.2")[1]
    assert report.startswith("CIS AWS Foundations Benchmark v1.2, all 14 monitoring controls\n")
