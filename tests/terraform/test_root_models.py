"""A root's model is built once per process and reused by Checkov's runners, never once a file it came from changed
(issue 12, Performance: the `terraform` and `terraform_json` runners both asked for it)."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path
from typing import List

import pytest

from trailguard.terraform import roots
from trailguard.terraform.loader import forget_directories

FILTER = '''
resource "aws_cloudwatch_log_metric_filter" "unauthorized" {{
  name           = "{name}"
  log_group_name = "cloudtrail"
  pattern        = file("${{path.module}}/pattern.txt")
  metric_transformation {{
    name      = "UnauthorizedAPICalls"
    namespace = "CISBenchmark"
    value     = "1"
  }}
}}

module "alarms" {{
  source = "./alarms"
}}
'''
ALARM = 'resource "aws_sns_topic" "{name}" {{\n  name = "{name}"\n}}\n'
PATTERN = '{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }'


def _age(directory: Path) -> None:
    """Files as a checkout has them: written well before the scan (a fresh write is never trusted)."""
    past = time.time() - 60
    for path in [directory, *directory.rglob("*")]:
        os.utime(path, (past, past))


def _write(path: Path, text: str, age: bool = True) -> None:
    path.write_text(text)
    if age:
        _age(path.parent)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    forget_directories()
    roots.forget_models()
    (tmp_path / "alarms").mkdir()
    (tmp_path / "alarms" / "main.tf").write_text(ALARM.format(name="alerts"))
    (tmp_path / "pattern.txt").write_text(PATTERN)
    (tmp_path / "main.tf").write_text(FILTER.format(name="unauthorized"))
    _age(tmp_path)
    yield tmp_path
    roots.forget_models()


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> List[str]:
    built: List[str] = []
    original = roots.build_model

    def counting(views, unit, blind_spots):
        built.append(unit)
        return original(views, unit, blind_spots)

    monkeypatch.setattr(roots, "build_model", counting)
    return built


def test_an_unchanged_root_is_built_once(root, builds):
    first = roots.root_model(root)
    assert roots.root_model(root) is first
    assert len(builds) == 1
    assert first.filters["aws_cloudwatch_log_metric_filter.unauthorized"].pattern == PATTERN


@pytest.mark.parametrize("change", ["root file", "module file", "file() target", "new file"])
def test_a_changed_file_gives_a_new_model(root, builds, change):
    first = roots.root_model(root)
    if change == "root file":
        _write(root / "main.tf", FILTER.format(name="renamed-filter"))
    elif change == "module file":
        _write(root / "alarms" / "main.tf", ALARM.format(name="renamed-topic"))
    elif change == "file() target":
        _write(root / "pattern.txt", PATTERN.replace("AccessDenied*", "AccessDenied"))
    else:
        _write(root / "topic.tf", ALARM.format(name="extra"))
    second = roots.root_model(root)
    assert second is not first and len(builds) == 2
    assert (second.filters, second.topics) != (first.filters, first.topics)


def test_a_file_written_just_now_is_not_trusted(root, builds):
    (root / "main.tf").write_text(FILTER.format(name="unauthorized"))  # same size, possibly the same clock tick
    first = roots.root_model(root)
    assert roots.root_model(root) is not first
    assert len(builds) == 2


def test_threads_asking_at_once_share_one_build(root, builds):
    models = []
    threads = [threading.Thread(target=lambda: models.append(roots.root_model(root))) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(builds) == 1
    assert all(model is models[0] for model in models)
