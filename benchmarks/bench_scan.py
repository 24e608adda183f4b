"""What does `trailguard scan` cost against the scanners a pipeline runs anyway, and what does sharding buy?

Run: `.venv/bin/python benchmarks/bench_scan.py [--accounts 80] [--repeat 3]` for the side-by-side timing, or
`... --shards 8 --accounts 1000 [--shards-only]` for the sharded monorepo (benchmarks/README.md keeps both).

Side by side (interleaved rounds, so machine noise hits all alike), on the bundled examples and on the generated
Terraform monorepo of bench_terraform.py:
- plain: `checkov -d DIR` (its own checks, the frameworks trailguard scan asks for) and then `cfn-lint` on the same
  CloudFormation templates, one after the other as two pipeline steps;
- `trailguard scan DIR --format json` (both scanners with trailguard's checks only, run concurrently).

Sharded: `trailguard scan --shard I/N` for each I in turn against one `trailguard scan` of the whole monorepo; per run
the wall time, the CPU time of the run and all its processes, and the peak resident memory of its largest process
(the kernel's figure for a waited-for process and its descendants, as `/usr/bin/time -v` reports it).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Dict, List, NamedTuple, Sequence

from bench_terraform import ROOT, compile_like_an_install, generate, spread

from trailguard.scan.discover import cloudformation_templates
from trailguard.scan.tools import CHECKOV_FRAMEWORKS

BIN = Path(sys.executable).parent


class Usage(NamedTuple):
    wall: float  # seconds
    cpu: float  # seconds, user + system, the process and every descendant it waited for
    peak_mb: float  # the largest resident set of the process or one of its descendants
    exit_code: int


def measure(command: Sequence[str], cwd: Path) -> Usage:
    """Run a command to its end and take its own resource usage (os.wait4), not that of everything this process
    ever started, so that several measured commands never blur into one."""
    started = time.perf_counter()
    process = subprocess.Popen(list(command), cwd=str(cwd), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)  # reaped here: Popen must not wait for it again
    return Usage(time.perf_counter() - started, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024,
                 process.returncode)


def plain_scanners(directory: Path) -> Usage:
    """Plain Checkov (its own checks) and then plain cfn-lint on the same templates, as two pipeline steps."""
    checkov = measure([str(BIN / "checkov"), "--quiet", "--compact", "--skip-download", "-o", "json", "--framework",
                       *CHECKOV_FRAMEWORKS, "-d", str(directory)], directory)
    templates = [str(template) for template in cloudformation_templates([directory])]
    if not templates:
        return checkov
    lint = measure([str(BIN / "cfn-lint"), "-f", "json", "--", *templates], directory)
    return Usage(checkov.wall + lint.wall, checkov.cpu + lint.cpu, max(checkov.peak_mb, lint.peak_mb),
                 max(checkov.exit_code, lint.exit_code))


def trailguard_scan(directory: Path, *options: str) -> Usage:
    return measure([str(BIN / "trailguard"), "scan", "--format", "json", *options, "."], directory)


def side_by_side(name: str, directory: Path, repeat: int) -> None:
    runs: Dict[str, List[Usage]] = {"plain": [], "trailguard": []}
    loads = []
    for _ in range(repeat):
        runs["plain"].append(plain_scanners(directory))
        runs["trailguard"].append(trailguard_scan(directory))
        loads.append(os.getloadavg()[0])
    ratios = {kind: [getattr(tg, kind) / getattr(plain, kind) for tg, plain in zip(runs["trailguard"], runs["plain"])]
              for kind in ("wall", "cpu")}
    print(f"{name:>22} {spread([u.wall for u in runs['plain']]):>16} {spread([u.cpu for u in runs['plain']]):>16} "
          f"{spread([u.wall for u in runs['trailguard']]):>16} {spread([u.cpu for u in runs['trailguard']]):>16} "
          f"{spread(ratios['wall'], digits=2):>18} {spread(ratios['cpu'], digits=2):>18} {spread(loads):>15}",
          flush=True)


def sharded(directory: Path, shards: int, whole: bool = True) -> None:
    """Each shard in turn, then (unless `whole` is False) one process for the whole monorepo (a scanner timeout of
    an hour: the default five minutes per scanner is meant for one pipeline job, not for a thousand accounts on a
    loaded machine)."""
    print(f"{'run':>10} {'wall s':>8} {'cpu s':>8} {'peak MB':>8} {'exit':>5} {'load':>6}")
    rows = []
    for run in [f"{index}/{shards}" for index in range(1, shards + 1)] + (["all"] if whole else []):
        usage = trailguard_scan(directory, "--timeout", "3600", *(["--shard", run] if run != "all" else []))
        rows.append(usage)
        print(f"{run:>10} {usage.wall:>8.1f} {usage.cpu:>8.1f} {usage.peak_mb:>8.0f} {usage.exit_code:>5} "
              f"{os.getloadavg()[0]:>6.1f}", flush=True)
    if whole:
        rows.pop()  # the whole run
    print(f"shards: median wall {statistics.median(u.wall for u in rows):.1f} s, "
          f"longest {max(u.wall for u in rows):.1f} s, sum of cpu {sum(u.cpu for u in rows):.1f} s, "
          f"largest peak {max(u.peak_mb for u in rows):.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=80)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--shards", type=int, help="time `trailguard scan --shard I/N` for each I against one scan")
    parser.add_argument("--shards-only", action="store_true", help="with --shards: skip the one-process scan")
    args = parser.parse_args()
    compile_like_an_install(ROOT / "trailguard")
    monorepo = Path(tempfile.mkdtemp(prefix=f"tg-scan-{args.accounts}-"))
    try:
        generate(monorepo, args.accounts)
        if args.shards:
            sharded(monorepo, args.shards, whole=not args.shards_only)
            return
        print(f"median [min-max] of {args.repeat} interleaved rounds; ratio = trailguard scan / plain, per round")
        print(f"{'input':>22} {'plain wall s':>16} {'plain cpu s':>16} {'scan wall s':>16} {'scan cpu s':>16} "
              f"{'wall ratio':>18} {'cpu ratio':>18} {'load (1 min)':>15}")
        side_by_side("examples", ROOT / "examples", args.repeat)
        side_by_side(f"monorepo {args.accounts} accounts", monorepo, args.repeat)
    finally:
        shutil.rmtree(monorepo, ignore_errors=True)


if __name__ == "__main__":
    main()
