"""The human report: a header naming the CIS version and the controls, then per deployment unit the links (trail,
filters, alarms, topics) passed or failed and why, and per trail one compact line per control (its status, chain
check and first reason; every reason when verbose); for a bad pattern the counterexample event on a line of its own."""

from __future__ import annotations

import json
from typing import List, Optional, Sequence, TextIO

from trailguard.catalog import CHECKS
from trailguard.controls.control import NEWEST
from trailguard.findings import split_evidence
from trailguard.scan.chain import MISSING, WARNING, UnitChain, blocks, distinct_reasons, own_reasons, worst
from trailguard.scan.coverage import selected, unproven
from trailguard.scan.results import FAILED, PASSED, SKIPPED, Result, ScannerError
from trailguard.scan.selection import CHAIN_CHECK, EVERY_CONTROL, controls_in

PARTIAL = "PARTIAL"  # a unit where nothing failed but some selected control is not proven (no trail)
REASON_WIDTH = 110  # characters of a reason on a compact line
SUMMARY_NAMES = 5  # controls named in the summary before "..."
UNJUDGED = "no result for this trail, so the control is not proven here"
NO_REASON = "the check failed without a reason (please report it)"
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
    for reason in reasons or [NO_REASON]:
        lines += [f"{'':14}{part}" for part in split_event(reason)]
    return lines


def _row_status(unit: UnitChain, result: Result) -> str:
    return WARNING if result.failed and not blocks(result, unit.fail_on) else result.result


def _unit_status(unit: UnitChain) -> str:
    """FAIL, skip, warn, pass (every selected control's chain holds), or part (nothing failed, but some control is
    not proven here)."""
    if unit.status == PASSED and not unit.proven:
        return PARTIAL
    return unit.status


def _shorten(text: str, verbose: bool) -> str:
    """A reason on one line of the compact report (whole in verbose output and in JSON)."""
    return text if verbose or len(text) <= REASON_WIDTH else text[:REASON_WIDTH - 3].rstrip() + "..."


def _named(names: Sequence[str], noun: str) -> str:
    """"A, B" or "15 metric filters"."""
    names = list(dict.fromkeys(names))
    return ", ".join(names) if len(names) <= 2 else f"{len(names)} {noun}s"


def _holds(unit: UnitChain) -> str:
    """"the chain holds for all 15 controls: trail -> 15 metric filters -> 15 alarms -> topic", from the passing
    results; said only of controls whose chain check passed."""
    proven = [control for control in unit.controls if unit.proves(control)]
    which = proven[0] if len(proven) == 1 else f"all {len(proven)} controls" if unit.proven else \
        f"{len(proven)} of {len(unit.controls)} controls"
    nouns = {"trail": "trail", "filter": "metric filter", "alarm": "alarm", "topic": "SNS topic"}
    held = [_named([("; ".join(result.reasons) if link.name == "alarm" and len(link.results) == 1 else "")
                    or result.resource for result in link.results], nouns[link.name])
            for link in unit.links[:-1] if link.results]
    # A unit with no trail of its own holds the chain only through another unit's trail (docs/cross-unit.md), which
    # its chain results name ("covered by organization trail X (unit Y)").
    held = held or [_named([result.resource for result in unit.links[-1].results], "trail")]
    return f"the chain holds for {which}: " + " -> ".join(held)


def _link_lines(unit: UnitChain, style: Style, verbose: bool) -> List[str]:
    """The trail, filter, alarm and topic rows: each result, or what is missing."""
    lines = []
    for link in unit.links[:-1]:
        if not link.results:
            lines.append(f"  {style.status('')}  {link.name:<6}  {style('dim', MISSING[link.name])}")
        for result in link.results:
            reasons = distinct_reasons(result)
            if result.result == PASSED:
                reasons = [_shorten("; ".join(reasons), verbose)] if reasons else []
            lines += _result_lines(link.name, result, reasons, style, _row_status(unit, result))
    return lines


def _chain_lines(unit: UnitChain, style: Style, verbose: bool) -> List[str]:
    """Per trail, its chain row and one line per selected control."""
    trails = unit.trails()
    if not trails:
        return [f"  {style.status('')}  chain   {style('dim', MISSING['chain'])}"] if unit.controls else []
    width = max(len(_label(control)) for control in unit.controls)
    lines = []
    for trail, results in trails:
        proven = sum(result.result == PASSED for result in results.values())
        failing = [result for result in results.values() if result.failed]
        lines.append(f"  {style.status(worst(list(results.values()), unit.fail_on))}  chain   {trail}  "
                     f"{style('dim', _where(next(iter(results.values()))))}  "
                     f"{proven} of {len(unit.controls)} control(s) proven" +
                     (f"  {_severity(failing[0])}" if failing else ""))
        for control in unit.controls:
            lines += _control_lines(unit, control, results.get(CHAIN_CHECK[control]), style, verbose, width)
    return lines


def _label(control: str) -> str:
    return f"{control} [{CHAIN_CHECK[control]}]"


def _control_lines(unit: UnitChain, control: str, result: Optional[Result], style: Style, verbose: bool,
                   width: int) -> List[str]:
    """One control on one trail: its status, chain check and first reason (every reason on its own lines, the
    counterexample apart, when verbose). "the chain holds" only where the chain check passed."""
    label = f"{_label(control):<{width}}"
    if result is None:
        return [f"{'':8}{style.status('')}  {label}  {style('dim', UNJUDGED)}"]
    head = f"{'':8}{style.status(_row_status(unit, result))}  {label}"
    if result.result == SKIPPED:
        return [f"{head}  skipped: {result.skip_reason or 'no reason given'}"]
    reasons = own_reasons(result, unit) if result.failed else distinct_reasons(result)
    if result.result == PASSED:
        text = "the chain holds" + (": " + "; ".join(reasons) if reasons else "")
        return [f"{head}  {style('dim', _shorten(text, verbose))}"]
    if not verbose:
        return [f"{head}  {_shorten(split_evidence((reasons or [NO_REASON])[0])[0], verbose)}"]
    return [f"{head}  {_severity(result)}"] + [f"{'':{12 + width}}{part}" for reason in reasons or [NO_REASON]
                                               for part in split_event(reason)]


def render_unit(unit: UnitChain, style: Style, verbose: bool) -> List[str]:
    status = _unit_status(unit)
    lines = [f"{style.status(status)}  {style('bold', unit.name)}  {style('dim', '(' + unit.kind + ')')}"]
    if not verbose and status in (PASSED, PARTIAL):
        return [lines[0] + "  " + (_holds(unit) if unit.proven else unit.note())]
    if unit.proven and status == WARNING:
        lines[0] += "  " + _holds(unit)
    lines += _link_lines(unit, style, verbose) + _chain_lines(unit, style, verbose)
    if unit.note():
        lines.append(f"{'':8}{style('dim', unit.note())}")
    return lines


def _controls_line(units: Sequence[UnitChain]) -> str:
    """How many selected controls a trail in the scan proves, and which are not proven when that is what the scan
    comes to (nothing failed)."""
    controls = selected(units)
    missing = unproven(units)
    if not controls:
        return ""
    line = f" {len(controls) - len(missing)} of {len(controls)} control(s) proven by a trail in this scan"
    if not missing:
        return line + "."
    named = [f"{control} ({CHAIN_CHECK[control]})" for control in missing]
    shown = ", ".join(named) if len(named) <= SUMMARY_NAMES else \
        f"{', '.join(named[:SUMMARY_NAMES])} and {len(named) - SUMMARY_NAMES} more"
    return line + f"; no trail in this scan proves {shown}."


def summary(units: Sequence[UnitChain], errors: Sequence[ScannerError]) -> str:
    """The last line: how many units fail, and which controls no trail in the scan proves."""
    failing = sum(unit.status == FAILED for unit in units)
    failed = sum(blocks(result, unit.fail_on) for unit in units for result in unit.results)
    missing = unproven(units)
    partial = sum(not unit.proven for unit in units)
    advisory = sum(_row_status(unit, result) == WARNING for unit in units for result in unit.results)
    if errors:
        verdict = f"INCOMPLETE, {len(errors)} scanner error(s) on standard error"
    elif failing:
        verdict = f"{failing} failing"
    elif missing:
        verdict = "nothing failed, but NOT PROVEN"
    elif partial:
        verdict = f"nothing failed; every control is proven, {partial} unit(s) do not prove them all here"
    else:
        verdict = "all passing"
    line = f"{len(units)} deployment unit(s): {verdict}; {failed} failed check result(s)." + _controls_line(units)
    if missing and not failing and not errors:
        line += " That is exit 3, not a pass; --allow-unproven where the trail is deployed from elsewhere."
    if advisory:
        line += (f" {advisory} advisory warning(s) (TG_AWS_5) do not fail the scan; --fail-on-advisory makes them "
                 "fail it.")
    return line


def header(cis_version: str, controls: Sequence[str]) -> str:
    """The first line: the CIS version judged and the controls the scan must prove (of those that version has)."""
    existing = controls_in(cis_version)
    if len(controls) == len(existing):
        which = f"all {len(controls)} monitoring controls"
    else:
        which = f"{len(controls)} of {len(existing)} monitoring controls"
        which += f" ({', '.join(controls)})" if 0 < len(controls) <= SUMMARY_NAMES else ""
    return f"CIS AWS Foundations Benchmark v{cis_version}, {which}"


def render(units: Sequence[UnitChain], errors: Sequence[ScannerError], out: TextIO, colour: bool,
           verbose: bool, cis_version: str = NEWEST, controls: Sequence[str] = EVERY_CONTROL) -> None:
    """The header, then failing units with every link and reason; a passing unit on one line unless `verbose`."""
    style = Style(colour)
    print(style("dim", header(cis_version, controls)) + "\n", file=out)
    for unit in units:
        lines = render_unit(unit, style, verbose)
        print("\n".join(lines) + ("\n" if len(lines) > 1 else ""), file=out)
    if not units and not errors:
        print("No CloudTrail trail, metric filter, alarm or SNS topic found: nothing to prove.", file=out)
        return
    failing = any(unit.status == FAILED for unit in units) or errors
    print(style(FAILED if failing else PARTIAL if unproven(units) else PASSED, summary(units, errors)), file=out)


def render_errors(errors: Sequence[ScannerError], out: TextIO) -> None:
    """Scanner errors with the scanner's own standard error (its last lines), so the cause is visible in a CI log."""
    for error in errors:
        print(f"trailguard: error: {error.message}", file=out)
        tail = error.stderr.strip().splitlines()[-40:]
        if tail:
            print("\n".join(f"  | {line}" for line in tail), file=out)
