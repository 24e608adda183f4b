"""The human report: per deployment unit, the chain with each link passed or failed and why, and for a bad pattern
the counterexample event on a line of its own."""

from __future__ import annotations

import json
from typing import List, Sequence, TextIO

from trailguard.scan.chain import MISSING, Unit, own_reasons
from trailguard.scan.findings import FAILED, PASSED, SKIPPED, Result, ScannerError

_COLOURS = {FAILED: "31;1", PASSED: "32", SKIPPED: "33", "": "2", "dim": "2", "bold": "1"}
_WORDS = {FAILED: "FAIL", PASSED: "pass", SKIPPED: "skip", "": "----"}


class Style:
    def __init__(self, colour: bool) -> None:
        self.colour = colour

    def __call__(self, key: str, text: str) -> str:
        return f"\033[{_COLOURS[key]}m{text}\033[0m" if self.colour else text

    def status(self, status: str) -> str:
        return self(status, f"{_WORDS[status]:<4}")


def split_event(reason: str) -> List[str]:
    """A reason that ends in a JSON event ("... for example this authorized call matches: {...}") as the sentence and
    the event, so the counterexample stands out; other reasons unchanged."""
    start = reason.find(': {"')
    if start < 0:
        return [reason]
    try:
        event = json.loads(reason[start + 2:])
    except ValueError:
        return [reason]
    return [reason[:start + 1], "counterexample event: " + json.dumps(event, separators=(", ", ": "))]


def _where(result: Result) -> str:
    """The location, short: a line of the unit's own file, or a file of the module relative to its directory."""
    file = result.file
    if file == result.unit:
        return f"line {result.line}"
    if file.startswith(result.unit.rstrip("/") + "/") and result.unit != ".":
        file = file[len(result.unit.rstrip("/")) + 1:]
    return f"{file}:{result.line}" if result.line else file


def _result_lines(link: str, result: Result, reasons: List[str], style: Style) -> List[str]:
    where = style("dim", _where(result))
    head = f"  {style.status(result.result)}  {link:<9}  {result.resource} [{result.check_id}]  {where}"
    if result.result == SKIPPED:
        return [head, f"{'':17}skipped: {result.skip_reason or 'no reason given'}"]
    if result.result == PASSED:
        return [head + (style("dim", "  " + "; ".join(reasons)) if reasons else "")]
    lines = [head]
    for reason in reasons or ["the check failed without a reason (please report it)"]:
        lines += [f"{'':17}{part}" for part in split_event(reason)]
    return lines


def render_unit(unit: Unit, style: Style, verbose: bool) -> List[str]:
    lines = [f"{style.status(unit.status)}  {style('bold', unit.name)}  {style('dim', '(' + unit.kind + ')')}"]
    if unit.status == PASSED and not verbose:
        held = [", ".join("; ".join(result.reasons) if link.name == "alarm" else result.resource
                          for result in link.results)
                for link in unit.links if link.results and link.name != "log group"]
        return [lines[0] + "  the chain holds: " + " -> ".join(held)]
    everything = unit.results
    for link in unit.links:
        if not link.results:
            lines.append(f"  {style.status('')}  {link.name:<9}  {style('dim', MISSING[link.name])}")
        for result in link.results:
            reasons = result.reasons
            if link.check_id == "TG_AWS_4" and result.failed:
                reasons = own_reasons(result, everything) or ["the chain from this trail breaks at a link shown here"]
            lines += _result_lines(link.name, result, reasons, style)
    return lines


def render(units: Sequence[Unit], errors: Sequence[ScannerError], out: TextIO, colour: bool, verbose: bool) -> None:
    """Failing units with every link and reason; a passing unit on one line unless `verbose`."""
    style = Style(colour)
    for unit in units:
        lines = render_unit(unit, style, verbose)
        print("\n".join(lines) + ("\n" if len(lines) > 1 else ""), file=out)
    failing = [unit for unit in units if unit.status == FAILED]
    failed = sum(result.failed for unit in units for result in unit.results)
    if not units and not errors:
        print("No CloudTrail trail, metric filter or SNS topic found: nothing to prove.", file=out)
        return
    if errors:
        verdict = style(FAILED, f"INCOMPLETE, {len(errors)} scanner error(s) on standard error")
    elif failing:
        verdict = style(FAILED, f"{len(failing)} failing")
    else:
        verdict = style(PASSED, "all passing")
    print(f"{len(units)} deployment unit(s): {verdict}; {failed} failed check result(s).", file=out)


def render_errors(errors: Sequence[ScannerError], out: TextIO) -> None:
    """Scanner errors with the scanner's own standard error (its last lines), so the cause is visible in a CI log."""
    for error in errors:
        print(f"trailguard: error: {error.message}", file=out)
        tail = error.stderr.strip().splitlines()[-40:]
        if tail:
            print("\n".join(f"  | {line}" for line in tail), file=out)
