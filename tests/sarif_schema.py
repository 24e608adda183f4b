"""Validation against the OASIS SARIF 2.1.0 JSON schema, vendored in tests/fixtures/sarif/ (source and licence in its
README), so that the SARIF tests run offline. `jsonschema` comes with Checkov."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import List

import jsonschema

SCHEMA = Path(__file__).parent / "fixtures" / "sarif" / "sarif-schema-2.1.0.json"


@cache
def _validator() -> jsonschema.Draft4Validator:
    schema = json.loads(SCHEMA.read_text())
    assert schema["id"].endswith("/sarif-schema-2.1.0.json")
    return jsonschema.Draft4Validator(schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)


def sarif_schema_errors(log: dict) -> List[str]:
    """Every way `log` breaks the SARIF 2.1.0 schema, as `path: message` lines (none for a valid log)."""
    return [f"{list(error.path)}: {error.message}" for error in _validator().iter_errors(log)]
