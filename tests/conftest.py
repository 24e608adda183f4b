"""Session-wide test configuration: hypothesis budgets by profile, and the slow environments built once.

Hypothesis profiles (select with the HYPOTHESIS_PROFILE environment variable):
- `dev` (the default, and what the README's test command runs): budgets that keep each property test to a few
  seconds on a 2-core machine.
- `thorough` (`HYPOTHESIS_PROFILE=thorough .venv/bin/python -m pytest`): ten times the examples, more than any test
  ran before the profiles existed; for CI's nightly run or after a change to the pattern engine.
Property tests take their budget from the profile; a test whose single example is far dearer than an ordinary one
asks for a share of it (tests/budget.py). No profile has a deadline: run times on a shared machine vary, and the
hang detectors measure time themselves.

The packaging and pre-commit environments (tests/environments.py) start building in the background as soon as the
collected tests are known to need them, and are removed when the session ends.
"""

from __future__ import annotations

import compileall
import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import settings

from tests.environments import ROOT, PreCommit, SlowEnvironments

settings.register_profile("dev", max_examples=100, deadline=None)
settings.register_profile("thorough", max_examples=1000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

SLOW_ENVIRONMENTS = pytest.StashKey[SlowEnvironments]()


def pytest_configure(config: pytest.Config) -> None:
    compile_trailguard()
    config.stash[SLOW_ENVIRONMENTS] = SlowEnvironments(Path(tempfile.mkdtemp(prefix="trailguard-environments-")))


def compile_trailguard() -> None:
    """Byte-compile the checkout's trailguard once, as `pip install` does for an installed package.

    The tests run hundreds of scanner and CLI processes that import trailguard from this editable checkout. Where
    PYTHONDONTWRITEBYTECODE is set (as on CI machines) Python never keeps what it compiles, so each of them would
    compile every trailguard module again (about 0.1 s of CPU each); it still reads bytecode written here, and
    recompiles any module whose source changed since."""
    compileall.compile_dir(str(ROOT / "trailguard"), quiet=1)


def pytest_collection_finish(session: pytest.Session) -> None:
    """Start building what the selected tests will ask for, so the builds overlap the tests that run first."""
    if session.config.option.collectonly:
        return
    needed = {name for item in session.items for name in getattr(item, "fixturenames", ())}
    session.config.stash[SLOW_ENVIRONMENTS].start(needed)


def pytest_unconfigure(config: pytest.Config) -> None:
    config.stash[SLOW_ENVIRONMENTS].close()


@pytest.fixture(scope="session")
def installed(request: pytest.FixtureRequest) -> Path:
    """The bin directory of a fresh virtual environment with trailguard[all] installed non-editable."""
    return request.config.stash[SLOW_ENVIRONMENTS].get("installed")


@pytest.fixture(scope="session")
def cfn_lint_floor(request: pytest.FixtureRequest) -> Path:
    """The bin directory of a Python 3.9 environment with trailguard[cfn-lint] and the oldest cfn-lint it supports."""
    return request.config.stash[SLOW_ENVIRONMENTS].get("cfn_lint_floor")


@pytest.fixture(scope="session")
def pre_commit(request: pytest.FixtureRequest) -> PreCommit:
    """pre-commit in its own environment, with trailguard's hook environments already installed."""
    return request.config.stash[SLOW_ENVIRONMENTS].get("pre_commit")
