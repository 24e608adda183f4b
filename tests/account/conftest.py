"""moto's in-process AWS for `trailguard account`'s tests: fake credentials, no network, a fresh account each test."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any, Dict, Iterator, List, Tuple

import pytest
from cfnlint.decode.cfn_yaml import load
from moto import mock_aws

from tests.account.deploy import REGION
from trailguard.cli import main
from trailguard.cloudformation.builder import build_models
from trailguard.model import Model

ROOT = Path(__file__).resolve().parent.parent.parent
EXAMPLES = ROOT / "examples" / "cloudformation"


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                        "AWS_SESSION_TOKEN": "testing", "AWS_DEFAULT_REGION": REGION,
                        "AWS_CONFIG_FILE": str(tmp_path / "config"),
                        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "credentials")}.items():
        monkeypatch.setenv(name, value)
    for name in ("AWS_PROFILE", "TRAILGUARD_CIS_VERSION"):
        monkeypatch.delenv(name, raising=False)
    with mock_aws():
        yield


def example_model(relative: str) -> Model:
    """The model the CloudFormation loader builds from a bundled example (one without condition branches)."""
    path = EXAMPLES / relative
    (model,) = build_models(load(str(path)), str(path))
    return model


def account(*arguments: str) -> Tuple[int, Dict[str, Any]]:
    """`trailguard account --format json` in this region: the exit code and the report."""
    out = io.StringIO()
    code = main(["account", "--region", REGION, "--format", "json", *arguments], out)
    return code, json.loads(out.getvalue())


def rows(report: Dict[str, Any]) -> List[Dict[str, Any]]:
    """Every result of the report, each with its unit's name and kind."""
    return [{**result, "unit_kind": unit["kind"]} for unit in report["units"] for link in unit["links"]
            for result in link["results"]]
