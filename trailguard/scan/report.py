"""The human report: per deployment unit, the chain with each link passed or failed and why, and for a bad pattern
the counterexample event on a line of its own."""

from __future__ import annotations

import json
from typing import List, Sequence, TextIO

from trailguard.catalog import CHECKS
from trailguard.findings import split_evidence
from trailguard.scan.chain import MISSING, WARNING, UnitChain, blocks, distinct_reasons, own_reasons
from trailguard.scan.results import FAILED, PASSED, SKIPPED, Result, ScannerError

PARTIAL = "PARTIAL"  # a unit where nothing failed but nothing proves the control (no trail)
_COLOURS = {FAILED: "31;1", PASSED: "32", SKIPPED: "33", WARNING: "33", PARTIAL: "33", "": "2", "dim": "2",
            "bold": "1"}
_WORDS = {FAILED: "FAIL", PASSED: "pass", SKIPPED: "skip", WARNING: "warn", PARTIAL: "part", "": "----"}


class Style:
    def __init__(self, colour: bool) -> None:
        self.colour = colour

    def __call__(self, key: str, text: str) -> str:
        return f"\033[{_COLOURS[key]}m{text}\033[0m" if self.colour else text

    def status(self, status: str) -> str:
        return self(status, f"{_WORDS[status]:<4}")


def split_event(reason: str) -> List[str]:
    """A reason that ends in its evidence ("... for example this call, which succeeded (no errorCode), matches:
    {...}") as the sentence and the event, so the counterexample stands out; other reasons unchanged."""
    words, event = split_evidence(reason)
    if event is None:
        return [reason]
    return [words + ":", "counterexample event: " + json.dumps(event, separators=(", ", ": "))]


def _where(result: Result) -> str:
    """The location, short: a line of the unit's own file, or a file of the module relative to its directory."""
    file = result.file
    if file == result.unit:
        return f"line {result.line}"
    if file.startswith(result.unit.rstrip("/") + "/") and result.unit != ".":
        file = file[len(result.unit.rstrip("/")) + 1:]
    return f"{file}:{result.line}" if result.line else file


def _severity(result: Result) -> str:
    """A failure's severity, as `--fail-on` and SARIF's security-severity rank it."""
    check = CHECKS.get(result.check_id)
    return f"severity {check.severity}" if check else ""


def _result_lines(link: str, result: Result, reasons: List[str], style: Style, status: str) -> List[str]:
    where = style("dim", _where(result))
    head = f"  {style.status(status)}  {link:<6}  {result.resource} [{result.check_id}]  {where}"
    if result.result == SKIPPED:
        return [head, f"{'':14}skipped: {result.skip_reason or 'no reason given'}"]
    if result.result == PASSED:
        return [head + (style("dim", "  " + "; ".join(reasons)) if reasons else "")]
    lines = [head + f"  {_severity(result)}"]
    for reason in reasons or ["the check failed without a reason (please report it)"]:
        lines += [f"{'':14}{part}" for part in split_event(reason)]
    return lines


def _row_status(unit: UnitChain, result: Result) -> str:
    return WARNING if result.failed and not blocks(result, unit.fail_on) else result.result


def _unit_status(unit: UnitChain) -> str:
    """FAIL, skip, warn, pass (the chain holds), or part (nothing failed, but the control is not proven here)."""
    if unit.status == PASSED and not unit.proven:
        return PARTIAL
    return unit.status


def _holds(unit: UnitChain) -> str:
    """"the chain holds: trail -> filter -> alarm -> topic", from the passing results."""
    held = [", ".join("; ".join(result.reasons) if link.name == "alarm" else result.resource
                      for result in link.results)
            for link in unit.links if link.results and link.name != "chain"]
    return "the chain holds: " + " -> ".join(held)


def render_unit(unit: UnitChain, style: Style, verbose: bool) -> List[str]:
    status = _unit_status(unit)
    lines = [f"{style.status(status)}  {style('bold', unit.name)}  {style('dim', '(' + unit.kind + ')')}"]
    if not verbose and status in (PASSED, PARTIAL):
        return [lines[0] + "  " + (_holds(unit) if unit.proven else unit.note())]
    if unit.proven and status == WARNING:
        lines[0] += "  " + _holds(unit)
    for link in unit.links:
        if not link.results:
            lines.append(f"  {style.status('')}  {link.name:<6}  {style('dim', MISSING[link.name])}")
        for result in link.results:
            reasons = own_reasons(result, unit) if link.check_id == "TG_AWS_4" and result.failed \
                else distinct_reasons(result)
            lines += _result_lines(link.name, result, reasons, style, _row_status(unit, result))
    if unit.note():
        lines.append(f"{'':8}{style('dim', unit.note())}")
    return lines


def summary(units: Sequence[UnitChain], errors: Sequence[ScannerError]) -> str:
    """The last line: how many units fail, and whether anything in the scan proves the control."""
    failing = sum(unit.status == FAILED for unit in units)
    failed = sum(blocks(result, unit.fail_on) for unit in units for result in unit.results)
    proven = sum(unit.proven for unit in units)
    advisory = sum(_row_status(unit, result) == WARNING for unit in units for result in unit.results)
    if errors:
        verdict = f"INCOMPLETE, {len(errors)} scanner error(s) on standard error"
    elif failing:
        verdict = f"{failing} failing"
    elif not proven:
        verdict = "nothing failed, but NOT PROVEN"
    elif proven < len(units):
        verdict = f"nothing failed; {proven} prove the control, {len(units) - proven} do not prove it here"
    else:
        verdict = "all passing"
    line = f"{len(units)} deployment unit(s): {verdict}; {failed} failed check result(s)."
    if not proven:
        line += " No trail in this scan proves that unauthorized API calls are monitored (TG_AWS_4)."
        if not failing and not errors:
            line += " That is exit 3, not a pass; --allow-unproven where the trail is deployed from elsewhere."
    if advisory:
        line += (f" {advisory} advisory warning(s) (TG_AWS_5) do not fail the scan; --fail-on-advisory makes them "
                 "fail it.")
    return line


def render(units: Sequence[UnitChain], errors: Sequence[ScannerError], out: TextIO, colour: bool,
           verbose: bool) -> None:
    """Failing units with every link and reason; a passing unit on one line unless `verbose`."""
    style = Style(colour)
    for unit in units:
        lines = render_unit(unit, style, verbose)
        print("\n".join(lines) + ("\n" if len(lines) > 1 else ""), file=out)
    if not units and not errors:
        print("No CloudTrail trail, metric filter, alarm or SNS topic found: nothing to prove.", file=out)
        return
    failing = any(unit.status == FAILED for unit in units) or errors
    proven = any(unit.proven for unit in units)
    print(style(FAILED if failing else PASSED if proven else PARTIAL, summary(units, errors)), file=out)


def render_errors(errors: Sequence[ScannerError], out: TextIO) -> None:
    """Scanner errors with the scanner's own standard error (its last lines), so the cause is visible in a CI log."""
    for error in errors:
        print(f"trailguard: error: {error.message}", file=out)
        tail = error.stderr.strip().splitlines()[-40:]
        if tail:
            print("\n".join(f"  | {line}" for line in tail), file=out)
