"""The slow environments of the packaging and pre-commit tests, built once per session and in the background.

Why this shape: each build pip-installs Checkov or cfn-lint (minutes on a 2-core machine). Built one test module at a
time, they used to add up to about four minutes, and `pre-commit try-repo` rebuilt a hook environment on every call
(it uses a new store each time). Here every environment is built exactly once, in two background threads started as
soon as the collected tests are known (tests/conftest.py), so the builds overlap the rest of the suite:

- `installed`: a fresh virtual environment with `pip install ".[all]" "build<1.4"` (not editable) from a copy of the
  source tree; the copy is deleted afterwards, so nothing can come from it.
- `pre-commit`: pre-commit in a virtual environment of its own (it cannot share one with Checkov, which pins an old
  `packaging`: docs/rules.md), a git snapshot of the working tree to use as the hook repository (`repo:` and `rev:`,
  as users write it), and both hooks' environments installed into one shared pre-commit store.
- `cfn_lint_floor`: Python 3.9 with `pip install ".[cfn-lint]"` and cfn-lint pinned to the floor setup.cfg states
  (the oldest cfn-lint trailguard supports, on the oldest Python it supports).
"""

from __future__ import annotations

import configparser
import glob
import os
import re
import shutil
import subprocess
import sys
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Dict, Iterable, List, Optional, Set

ROOT = Path(__file__).resolve().parent.parent
NOT_SOURCE = shutil.ignore_patterns(".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".hypothesis",
                                    ".pytest_cache", ".ruff_cache")
HOOKS = ("trailguard-checkov", "trailguard-cfn-lint")
GIT_IDENTITY = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "t",
                "GIT_COMMITTER_EMAIL": "t@example.com"}


def clean_environment(**extra: str) -> Dict[str, str]:
    """This process's environment without what would make a child see the development tree or its virtualenv."""
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env.update(extra)
    return env


def run(args: List[str], cwd: Path, env: Optional[Dict[str, str]] = None,
        timeout: int = 900) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=str(cwd), capture_output=True, text=True, timeout=timeout,
                          env=env if env is not None else clean_environment())


class _BuildSteps:
    """The build steps running now, so that a session that ends early (a failure under `-x`, Ctrl-C) stops them
    instead of waiting minutes for pip."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._running: Set[subprocess.Popen] = set()
        self._stopped = False

    def run(self, args: List[str], cwd: Path, env: Dict[str, str]) -> subprocess.CompletedProcess:
        with self._lock:
            if self._stopped:
                raise RuntimeError("the test session ended before this environment was built")
            process = subprocess.Popen(args, cwd=str(cwd), env=env, text=True, stdout=subprocess.PIPE,
                                       stderr=subprocess.PIPE)
            self._running.add(process)
        try:
            stdout, stderr = process.communicate(timeout=900)
        finally:
            with self._lock:
                self._running.discard(process)
        return subprocess.CompletedProcess(args, process.returncode, stdout, stderr)

    def stop(self) -> None:
        with self._lock:
            self._stopped = True
            for process in self._running:
                process.kill()


BUILD_STEPS = _BuildSteps()


def checked(args: List[str], cwd: Path, env: Optional[Dict[str, str]] = None) -> subprocess.CompletedProcess:
    """Run a build step; a failing one stops the build with its output (the tests that need it then error)."""
    done = BUILD_STEPS.run(args, cwd, env if env is not None else clean_environment())
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return done


def copy_source(target: Path) -> Path:
    """The working tree as it is (uncommitted changes included), without build output and caches."""
    shutil.copytree(ROOT, target, symlinks=True, ignore=NOT_SOURCE)
    return target


def build_installed(base: Path) -> Path:
    """A non-editable `pip install ".[all]" build` in a fresh virtual environment; returns its bin directory."""
    source = copy_source(base / "source")
    venv = base / "venv"
    checked([sys.executable, "-m", "venv", str(venv)], base)
    # Byte-compiled at install (pip's default, in the background): where PYTHONDONTWRITEBYTECODE is set, as on CI
    # machines, Python never keeps what it compiles on import, so each Checkov run from an environment installed with
    # --no-compile recompiled Checkov (3.7 s of CPU each, in the foreground). `build` below 1.4: later ones need
    # packaging>=24, which Checkov's pin forbids, and pip's resolver spent about
    # 100 s of CPU backtracking through them (131 s for this step, 27 s with the bound).
    checked([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", ".[all]", "build<1.4"],
            source)
    shutil.rmtree(source)
    return venv / "bin"


@dataclass(frozen=True)
class PreCommit:
    """pre-commit, the hook repository it installs trailguard from, and the environment to run it in."""

    command: str
    hook_repository: Path
    revision: str
    env: Dict[str, str]

    def config(self, hooks: Iterable[str]) -> str:
        listed = "".join(f"      - id: {hook}\n" for hook in hooks)
        return f"repos:\n  - repo: {self.hook_repository}\n    rev: {self.revision}\n    hooks:\n{listed}"

    def run_hook(self, repository: Path, hook: str) -> subprocess.CompletedProcess:
        """`pre-commit run HOOK --all-files` in `repository`, its config kept outside the repository (as
        `pre-commit try-repo` does), so the config file is not one of the files the hooks see."""
        config = repository.parent / f"{repository.name}-pre-commit-config.yaml"
        config.write_text(self.config([hook]))
        return run([self.command, "run", "--config", str(config), hook, "--all-files", "--verbose"], repository,
                   self.env)


def git_repository(path: Path, env: Dict[str, str]) -> str:
    """Make `path` a git repository with everything in it committed; returns the commit."""
    checked(["git", "init", "-q"], path, env)
    checked(["git", "add", "-A"], path, env)
    checked(["git", "commit", "-q", "--no-gpg-sign", "-m", "snapshot"], path, env)
    return checked(["git", "rev-parse", "HEAD"], path, env).stdout.strip()


def build_pre_commit(base: Path) -> PreCommit:
    """pre-commit in its own virtual environment, a git snapshot of the working tree as the hook repository, and
    both hooks' environments installed once into the shared store."""
    env = clean_environment(PRE_COMMIT_HOME=str(base / "cache"), **GIT_IDENTITY)
    checked([sys.executable, "-m", "venv", str(base / "venv")], base, env)
    checked([str(base / "venv" / "bin" / "pip"), "install", "-q", "pre-commit"], base, env)
    hook_repository = copy_source(base / "hook-repository")
    tool = PreCommit(str(base / "venv" / "bin" / "pre-commit"), hook_repository, git_repository(hook_repository, env),
                     env)
    installer = base / "installer"
    installer.mkdir()
    (installer / ".pre-commit-config.yaml").write_text(tool.config(HOOKS))
    git_repository(installer, env)
    checked([tool.command, "install-hooks"], installer, env)
    return tool


def floor_cfn_lint_version() -> str:
    """The oldest cfn-lint setup.cfg's `cfn-lint` extra admits (`cfn-lint[sarif]>=X,<2`)."""
    parser = configparser.ConfigParser()
    parser.read(ROOT / "setup.cfg")
    found = re.search(r"^cfn-lint\[sarif\]>=([0-9.]+),", parser["options.extras_require"]["cfn-lint"].strip(), re.M)
    if not found:
        raise RuntimeError("setup.cfg's cfn-lint extra states no floor (cfn-lint[sarif]>=X,<2)")
    return found.group(1)


def python39() -> Optional[str]:
    """A Python 3.9 interpreter: $TRAILGUARD_PYTHON39, `python3.9` on the PATH, or one pyenv installed."""
    candidates = [os.environ.get("TRAILGUARD_PYTHON39"), shutil.which("python3.9"),
                  *sorted(glob.glob(os.path.expanduser("~/.pyenv/versions/3.9*/bin/python")))]
    for candidate in filter(None, candidates):
        probe = subprocess.run([candidate, "-c", "import sys; print(sys.version_info[:2] == (3, 9))"],
                               capture_output=True, text=True)
        if probe.stdout.strip() == "True":
            return candidate
    return None


def build_cfn_lint_floor(base: Path) -> Path:
    """Python 3.9 with trailguard[cfn-lint] and cfn-lint pinned to the floor (not editable, from a copy of the
    source tree deleted afterwards); returns its bin directory."""
    python = python39()
    if python is None:
        raise RuntimeError("no Python 3.9 found: set TRAILGUARD_PYTHON39 to one")
    source = copy_source(base / "source")
    venv = base / "venv"
    checked([python, "-m", "venv", str(venv)], base)
    checked([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", ".[cfn-lint]",
             f"cfn-lint[sarif]=={floor_cfn_lint_version()}"], source)
    shutil.rmtree(source)
    return venv / "bin"


BUILDS: Dict[str, Callable[[Path], object]] = {"installed": build_installed, "pre_commit": build_pre_commit,
                                               "cfn_lint_floor": build_cfn_lint_floor}


class SlowEnvironments:
    """Starts the builds the collected tests need, each once, in background threads; `get` waits for one."""

    def __init__(self, base: Path) -> None:
        self._base = base
        self._pool = ThreadPoolExecutor(max_workers=len(BUILDS), thread_name_prefix="slow-environment")
        self._started: Dict[str, Future] = {}

    def start(self, names: Iterable[str]) -> None:
        for name in names:
            if name in BUILDS and name not in self._started:
                directory = self._base / name
                directory.mkdir(parents=True)
                self._started[name] = self._pool.submit(BUILDS[name], directory)

    def get(self, name: str) -> object:
        self.start([name])
        return self._started[name].result()

    def close(self) -> None:
        BUILD_STEPS.stop()
        self._pool.shutdown(wait=True, cancel_futures=True)
        shutil.rmtree(self._base, ignore_errors=True)
