"""What do trailguard's checks add to a Checkov scan of a Terraform monorepo?

Run: `.venv/bin/python benchmarks/bench_terraform.py [--sizes 20 40 80] [--repeat 3] [--before DIR]`
or `... --profile 80` for the cProfile headline of trailguard's own work, `... --profile-checkov 80` for its share
of a whole Checkov scan profiled in one process, `... --decompose 40 --repeat 5` for the added cost split into
registering the checks and doing the work (benchmarks/README.md keeps them).

Generates a monorepo of N accounts (each a root module: a trail, its log group and topic, a metric filter and an alarm
for each of the fifteen CIS monitoring controls, written as a `for_each` catalogue in even accounts and as one
resource per control in odd ones, and unrelated resources), then times, side by side and interleaved so
that machine noise hits all alike: Checkov with its built-in checks only, Checkov with trailguard's checks added,
and (`--before`) Checkov with an earlier trailguard's. Each run's added time is its own ratio to the plain scan of
the same round; the table shows their median and range, and the load average. It also times trailguard's own work
(building each root's model and judging it, without Checkov, nothing cached) to show how it grows with N.
"""

from __future__ import annotations

import argparse
import compileall
import contextlib
import functools
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable, Dict, List, Optional, Tuple

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def hcl_string(text: str) -> str:
    """A Terraform string literal holding `text` (the patterns quote their values)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


@functools.cache
def cis_patterns() -> Dict[str, str]:
    """Every CIS monitoring control trailguard knows (fourteen and unauthorized calls) and the pattern it asks users
    to paste, so every generated account passes every chain check: the monorepo is one a team has got right."""
    from trailguard.controls import CONTROLS

    return {control.slug.replace("-", "_"): control.canonical for control in CONTROLS}


def catalogue_monitoring(index: int) -> str:
    """The shape public CIS modules use: one `locals` map of the controls, a filter and an alarm per entry."""
    entries = "\n".join(f"    {name} = {{ pattern = {hcl_string(pattern)}, metric = \"{name}\" }}"
                        for name, pattern in cis_patterns().items())
    return f'''
locals {{
  cis = {{
{entries}
  }}
}}

resource "aws_cloudwatch_log_metric_filter" "cis" {{
  for_each       = local.cis
  name           = each.key
  log_group_name = aws_cloudwatch_log_group.trail.name
  pattern        = each.value.pattern
  metric_transformation {{
    name      = each.value.metric
    namespace = "CISBenchmark"
    value     = "1"
  }}
}}

resource "aws_cloudwatch_metric_alarm" "cis" {{
  for_each            = local.cis
  alarm_name          = "acct{index}-${{each.key}}"
  metric_name         = each.value.metric
  namespace           = "CISBenchmark"
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  alarm_actions       = [aws_sns_topic.alerts.arn]
}}
'''


def per_control_monitoring(index: int) -> str:
    """The other common shape: a filter and an alarm resource written out for each control, the alarm naming the
    filter's metric through a reference."""
    return "".join(f'''
resource "aws_cloudwatch_log_metric_filter" "{name}" {{
  name           = "acct{index}-{name}"
  log_group_name = aws_cloudwatch_log_group.trail.name
  pattern        = {hcl_string(pattern)}
  metric_transformation {{
    name      = "{name}"
    namespace = "CISBenchmark"
    value     = "1"
  }}
}}

resource "aws_cloudwatch_metric_alarm" "{name}" {{
  alarm_name          = "acct{index}-{name}"
  metric_name         = aws_cloudwatch_log_metric_filter.{name}.metric_transformation[0].name
  namespace           = "CISBenchmark"
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  alarm_actions       = [aws_sns_topic.alerts.arn]
}}
''' for name, pattern in cis_patterns().items())


def account(index: int) -> str:
    """One account's root: the trail, its log group and topic, the monitoring of every control (a `for_each`
    catalogue in even accounts, one resource per control in odd ones), and unrelated resources."""
    monitoring = catalogue_monitoring(index) if index % 2 == 0 else per_control_monitoring(index)
    unrelated = "\n".join(f'''
resource "aws_s3_bucket" "data_{n}" {{
  bucket = "acct{index}-data-{n}"
}}

resource "aws_security_group" "app_{n}" {{
  name        = "acct{index}-app-{n}"
  description = "application tier {n}"
  ingress {{
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/8"]
  }}
}}
''' for n in range(8))
    return f'''
resource "aws_cloudwatch_log_group" "trail" {{
  name              = "acct{index}/cloudtrail"
  retention_in_days = 365
}}

resource "aws_cloudtrail" "main" {{
  name                       = "acct{index}-trail"
  s3_bucket_name             = "acct{index}-cloudtrail"
  is_multi_region_trail      = true
  cloud_watch_logs_group_arn = "${{aws_cloudwatch_log_group.trail.arn}}:*"
  cloud_watch_logs_role_arn  = "arn:aws:iam::111122223333:role/trail-to-logs"
}}

resource "aws_sns_topic" "alerts" {{
  name = "acct{index}-security-alerts"
}}

resource "aws_sns_topic_subscription" "oncall" {{
  topic_arn = aws_sns_topic.alerts.arn
  protocol  = "email"
  endpoint  = "oncall@example.com"
}}
{monitoring}{unrelated}
'''


def generate(directory: Path, accounts: int) -> None:
    for index in range(accounts):
        root = directory / f"account-{index:03d}"
        root.mkdir(parents=True)
        (root / "main.tf").write_text(account(index))


# Runs the `checkov` script (argv[2]) with trailguard imported from a given source tree (argv[1], "" for the installed
# one): an editable install's import hook wins over PYTHONPATH, so it is taken out first. Every variant starts so.
LAUNCHER = """
import sys
source = sys.argv.pop(1)
sys.argv = sys.argv[1:]
if source:
    sys.meta_path[:] = [f for f in sys.meta_path if "__editable__" not in getattr(f, "__module__", "")]
    sys.path.insert(0, source)
import runpy
runpy.run_path(sys.argv[0], run_name="__main__")
"""


def compile_like_an_install(*packages: Path) -> None:
    """Compile trailguard's modules to bytecode once, as `pip install` does when it installs a package.

    The checkout is an editable install, whose modules Python compiles when it imports them; where
    PYTHONDONTWRITEBYTECODE is set (as on this project's CI machines) the result is never kept, so every Checkov
    process of a benchmark would recompile all of trailguard (about 45 ms of CPU, a sixth of its fixed cost) while
    Checkov, installed by pip, loads its bytecode: a cost no user's installed trailguard pays. Python reads bytecode
    written here even where it would not write any itself."""
    for package in packages:
        compileall.compile_dir(str(package), quiet=1)


def checkov_command(directory: Path, trailguard_source: Optional[str]) -> List[str]:
    """One Checkov scan: built-in checks only (None), or with trailguard's checks imported from a source tree ("" for
    the installed package)."""
    command = [sys.executable, "-c", LAUNCHER, trailguard_source or "", str(Path(sys.executable).parent / "checkov"),
               "--quiet", "--compact", "--skip-download",
               "--framework", "terraform", "-d", str(directory), "-o", "json"]
    if trailguard_source is not None:
        command += ["--external-checks-dir", str(ROOT / "checks")]
    return command


def checkov(directory: Path, trailguard_source: Optional[str]) -> Tuple[float, float]:
    """Wall and CPU seconds (user + system, the scan's processes) for one Checkov scan. On a shared machine the CPU
    time is the steadier of the two: other work slows the wall clock, much less the work done."""
    command = checkov_command(directory, trailguard_source)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, capture_output=True, check=False)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


# Runs Checkov in-process with trailguard's checks (argv[1]: "full", or "empty": trailguard registered but its
# evaluation answering nothing, which leaves what importing trailguard and Checkov running nineteen more graph checks
# cost) and prints the thread CPU seconds trailguard's evaluation took.
DECOMPOSE_LAUNCHER = """
import sys, time
mode = sys.argv.pop(1)
sys.argv = sys.argv[1:]
from trailguard.catalog import CHECKS
from trailguard.integrations.checkov import graph_check
evaluate, spent = graph_check._evaluate, [0.0]
def timed(vertices):
    if mode == "empty":
        return {check_id: ([], []) for check_id in CHECKS}
    started = time.thread_time()
    try:
        return evaluate(vertices)
    finally:
        spent[0] += time.thread_time() - started
graph_check._evaluate = timed
import runpy
try:
    runpy.run_path(sys.argv[0], run_name="__main__")
finally:
    sys.stderr.write(f"trailguard evaluation cpu {spent[0]:.4f}\\n")
"""


def instructions(directory: Path) -> None:
    """Instructions executed by plain Checkov and by Checkov with trailguard, counted by valgrind's callgrind.

    On a shared machine CPU seconds of the same scan vary by a quarter between runs, more than trailguard adds; the
    number of instructions executed does not depend on what else the machine is doing (two runs of the same scan
    differ by about 0.2%: Checkov's threads and timestamps), so one run of each settles the ratio. Callgrind runs
    the scan about 35 times slower, so both variants run at once, one per core. Forked children (Checkov's parallel
    parsing) write their own counts, which are summed. PYTHONHASHSEED is fixed so both variants hash alike.
    """
    if not shutil.which("valgrind"):
        raise SystemExit("--instructions needs valgrind (Debian: apt-get install valgrind)")
    with tempfile.TemporaryDirectory(prefix="tg-callgrind-") as counts:
        started = time.perf_counter()
        runs = {name: subprocess.Popen(
            ["valgrind", "--tool=callgrind", f"--callgrind-out-file={counts}/{name}.%p",
             *checkov_command(directory, source)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=dict(os.environ, PYTHONHASHSEED="0"))
            for name, source in (("checkov", None), ("trailguard", ""))}
        for run in runs.values():
            run.wait()
        executed = {name: sum(int(line.split()[1]) for count in Path(counts).glob(f"{name}.*")
                              for line in count.read_text().splitlines() if line.startswith("summary:"))
                    for name in runs}
    plain, full = executed["checkov"], executed["trailguard"]
    print(f"{len(list(directory.iterdir())):>8} {plain / 1e9:>22.2f} {full / 1e9:>26.2f}"
          f" {100 * (full - plain) / plain:>12.2f}%"
          f" {time.perf_counter() - started:>10.0f} s", flush=True)


def decompose(directory: Path, repeat: int) -> None:
    """Interleaved rounds of plain Checkov, Checkov with trailguard registered but answering nothing, and Checkov
    with trailguard: what the registration costs, what the work costs, and the evaluation's own CPU in Checkov."""
    checkov_script = str(Path(sys.executable).parent / "checkov")
    scan = ["--quiet", "--compact", "--skip-download", "--framework", "terraform", "-d", str(directory), "-o", "json"]
    plain, empty, full, evaluation = [], [], [], []
    for _ in range(repeat):
        for mode, times in (("plain", plain), ("empty", empty), ("full", full)):
            command = ([sys.executable, checkov_script, *scan] if mode == "plain" else
                       [sys.executable, "-c", DECOMPOSE_LAUNCHER, mode, checkov_script, *scan,
                        "--external-checks-dir", str(ROOT / "checks")])
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            run = subprocess.run(command, capture_output=True, text=True, check=False)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            times.append((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime))
            if mode == "full":
                evaluation.append(float(run.stderr.rsplit("trailguard evaluation cpu ", 1)[-1].split()[0]))
    print(f"plain Checkov cpu s {spread(plain)}; + registered, answering nothing: "
          f"{spread(added({'checkov': plain, 'e': empty}, 'e'))} %; + trailguard: "
          f"{spread(added({'checkov': plain, 'f': full}, 'f'))} %; trailguard's evaluation inside Checkov: "
          f"{spread(evaluation, digits=3)} s cpu ({spread([100 * e / p for e, p in zip(evaluation, plain)])} % of "
          f"plain Checkov)")


def trailguard_alone(directory: Path) -> float:
    """trailguard's own work on every root, cold (nothing cached), as in Checkov's first runner, in CPU seconds."""
    from trailguard.rules.analysis import analyse
    from trailguard.terraform.loader import forget_directories
    from trailguard.terraform.roots import forget_models, root_model

    forget_directories()
    forget_models()
    started = time.process_time()
    for root in sorted(directory.iterdir()):
        analyse(root_model(root))
    return time.process_time() - started


def profile(directory: Path, lines: int = 14) -> None:
    """The cProfile headline of trailguard's own work (cumulative time), as benchmarks/README.md keeps it."""
    import cProfile
    import pstats

    trailguard_alone(directory)  # imports and grammars, as any real run has them
    profiler = cProfile.Profile(time.process_time)  # CPU time: a loaded machine inflates wall time
    profiler.enable()
    trailguard_alone(directory)
    profiler.disable()
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(lines)


def profile_in_checkov(directory: Path, lines: int = 14) -> None:
    """trailguard's share of a whole Checkov scan with its checks, in CPU time, profiled in one process.

    Checkov forks its parsers and runners by default, which a profiler in the parent cannot see, so this run sets
    CHECKOV_PARALLELIZATION_TYPE=none: one process does all the work. Checkov still runs graph checks in threads,
    which a profiler enabled in the main thread does not follow, so trailguard's graph-check evaluation is profiled
    where it runs (a wrapper around it with a profiler of its own, counting that thread's CPU time); the main
    thread's profile holds the rest (importing trailguard, building its grammars, registering the checks).
    """
    import cProfile
    import pstats

    from checkov.main import Checkov

    from trailguard.integrations.checkov import graph_check

    evaluations = cProfile.Profile(time.thread_time)
    evaluate = graph_check._evaluate

    def profiled_evaluate(resource_vertices: list) -> dict:  # the graph checks' lock keeps these calls serial
        return evaluations.runcall(evaluate, resource_vertices)

    graph_check._evaluate = profiled_evaluate  # type: ignore[assignment]
    os.environ["CHECKOV_PARALLELIZATION_TYPE"] = "none"
    argv = ["--quiet", "--compact", "--skip-download", "--framework", "terraform", "-d", str(directory), "-o", "json",
            "--external-checks-dir", str(ROOT / "checks")]
    main_thread = cProfile.Profile(time.thread_time)
    started = time.process_time()
    main_thread.enable()
    with open(os.devnull, "w") as devnull, contextlib.redirect_stdout(devnull):
        Checkov(argv=argv).run()
    main_thread.disable()
    whole = time.process_time() - started
    own = str(ROOT / "trailguard")

    def is_trailguard(function: Tuple[str, int, str]) -> bool:
        return function[0].startswith(own)

    startup = sum(cumulative for function, (_, _, _, cumulative, callers) in
                  pstats.Stats(main_thread).stats.items()  # type: ignore[attr-defined]
                  if is_trailguard(function) and not any(is_trailguard(caller) for caller in callers))
    stats = pstats.Stats(evaluations)
    analysis = stats.total_tt  # type: ignore[attr-defined]
    print(f"Checkov with trailguard, one process: {whole:.2f} s CPU; trailguard {startup + analysis:.2f} s "
          f"({100 * (startup + analysis) / whole:.1f}%): graph checks {analysis:.2f} s, in the main thread "
          f"(imports, grammars) {startup:.2f} s. Profiled, so slower than unprofiled. The graph checks' profile:")
    stats.sort_stats("tottime").print_stats(lines)
    stats.sort_stats("cumulative").print_stats(lines)


def spread(values: List[float], scale: float = 1.0, digits: int = 1) -> str:
    """median [min-max]"""
    return (f"{statistics.median(values) * scale:.{digits}f} [{min(values) * scale:.{digits}f}-"
            f"{max(values) * scale:.{digits}f}]")


def compare(size: int, repeat: int, before: Optional[str]) -> None:
    directory = Path(tempfile.mkdtemp(prefix=f"tg-bench-{size}-"))
    try:
        generate(directory, size)
        variants: Dict[str, Optional[str]] = {"checkov": None, "trailguard": ""}
        if before:
            variants["before"] = before
        wall: Dict[str, List[float]] = {name: [] for name in variants}
        cpu: Dict[str, List[float]] = {name: [] for name in variants}
        loads = []
        for _ in range(repeat):  # interleaved, so all variants see the same machine load
            for name, source in variants.items():
                seconds, busy = checkov(directory, source)
                wall[name].append(seconds)
                cpu[name].append(busy)
            loads.append(os.getloadavg()[0])
        alone = [trailguard_alone(directory) for _ in range(repeat)]
        cells = [f"{size:>8}", f"{spread(wall['checkov']):>16}", f"{spread(cpu['checkov']):>16}"]
        for name in variants:
            if name != "checkov":
                cells += [f"{spread(added(times, name)):>22}" for times in (wall, cpu)]
        per_account = 1000 * statistics.median(alone) / size
        cells += [f"{spread(alone, digits=2):>22}", f"{per_account:>9.1f}ms", f"{spread(loads):>15}"]
        print(" ".join(cells), flush=True)
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def added(times: Dict[str, List[float]], name: str) -> List[float]:
    """Per round: the percentage a variant adds to the plain scan of the same round."""
    return [100 * (time_with - base) / base for time_with, base in zip(times[name], times["checkov"])]


def on_monorepo(accounts: int, report: Callable[[Path], None]) -> None:
    """Generate a monorepo of this many accounts, report on it, and remove it."""
    directory = Path(tempfile.mkdtemp(prefix=f"tg-bench-{accounts}-"))
    try:
        generate(directory, accounts)
        report(directory)
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[20, 40, 80])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--before", metavar="DIR", help="a source tree holding an earlier trailguard package (e.g. "
                        "`git archive <commit> trailguard | tar -x -C DIR`), timed in the same interleaved runs")
    parser.add_argument("--profile", type=int, metavar="ACCOUNTS", help="print the cProfile headline of trailguard's "
                        "own work on a monorepo of this many accounts, and stop")
    parser.add_argument("--profile-checkov", type=int, metavar="ACCOUNTS", help="print trailguard's share of a "
                        "whole Checkov scan of this many accounts, profiled in one process, and stop")
    parser.add_argument("--decompose", type=int, metavar="ACCOUNTS", help="time plain Checkov, Checkov with "
                        "trailguard registered but answering nothing, and Checkov with trailguard (--repeat rounds), "
                        "with trailguard's evaluation CPU inside Checkov, and stop")
    parser.add_argument("--instructions", action="store_true", help="count the instructions plain Checkov and "
                        "Checkov with trailguard execute on each of --sizes (valgrind's callgrind, one run each: the "
                        "count does not depend on machine load), and stop")
    args = parser.parse_args()
    compile_like_an_install(ROOT / "trailguard", *([Path(args.before) / "trailguard"] if args.before else []))
    if args.instructions:
        print(f"{'accounts':>8} {'checkov instructions e9':>22} {'+ trailguard instructions e9':>26} "
              f"{'added':>13} {'took':>12}")
        for size in args.sizes:
            on_monorepo(size, instructions)
        return
    for accounts, report in ((args.profile, profile), (args.profile_checkov, profile_in_checkov),
                             (args.decompose, functools.partial(decompose, repeat=args.repeat))):
        if accounts:
            on_monorepo(accounts, report)
            return
    print(f"median [min-max] of {args.repeat} interleaved rounds; + = (with - checkov) / checkov, per round")
    header = [f"{'accounts':>8}", f"{'checkov wall s':>16}", f"{'checkov cpu s':>16}"]
    for name in ("trailguard",) + (("before",) if args.before else ()):
        header += [f"{'+' + name + ' wall %':>22}", f"{'+' + name + ' cpu %':>22}"]
    header += [f"{'trailguard alone cpu s':>22}", f"{'/account':>11}", f"{'load (1 min)':>15}"]
    print(" ".join(header))
    for size in args.sizes:
        compare(size, args.repeat, args.before)


if __name__ == "__main__":
    main()
