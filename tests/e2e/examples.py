"""The bundled examples and the snapshot beside each: which files are examples, where an example's expected results
live, and how a scanner's path names an example.

An example is a Terraform root module (`examples/terraform/<kind>/<case>/`, its snapshot `expected.yaml` inside it)
or a CloudFormation template (`examples/cloudformation/<kind>/[<dir>/]<case>.<ext>`, its snapshot
`<case>.expected.yaml` beside it). A snapshot has no `Resources` section, so no scanner reads it as a template.
"""

from __future__ import annotations

from pathlib import Path
from typing import Dict, List, Optional

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
TERRAFORM = EXAMPLES / "terraform"
CLOUDFORMATION = EXAMPLES / "cloudformation"
SNAPSHOT_SUFFIX = ".expected.yaml"
TERRAFORM_SNAPSHOT = "expected.yaml"


def is_snapshot(path: Path) -> bool:
    return path.name == TERRAFORM_SNAPSHOT or path.name.endswith(SNAPSHOT_SUFFIX)


def terraform_examples() -> List[str]:
    """`terraform/<kind>/<case>` for every Terraform root module (HCL, .tf.json or a plan file)."""
    return sorted(f"terraform/{case.parent.name}/{case.name}" for case in TERRAFORM.glob("*/*") if case.is_dir())


def cloudformation_templates() -> List[Path]:
    """Every template under examples/cloudformation, the nested-stack children in subdirectories included."""
    return sorted(path for path in CLOUDFORMATION.rglob("*") if path.is_file() and not is_snapshot(path))


def cloudformation_examples() -> List[str]:
    return [relative(path) for path in cloudformation_templates()]


def all_examples() -> List[str]:
    return terraform_examples() + cloudformation_examples()


def snapshot_path(example: str) -> Path:
    """Where an example's expected results are: `expected.yaml` in a Terraform root, `<case>.expected.yaml` beside a
    template (its last suffix replaced)."""
    path = EXAMPLES / example
    if example.startswith("terraform/"):
        return path / TERRAFORM_SNAPSHOT
    return path.with_name(path.name.rsplit(".", 1)[0] + SNAPSHOT_SUFFIX)


def snapshots_on_disk() -> List[Path]:
    return sorted(path for path in EXAMPLES.rglob("*") if path.is_file() and is_snapshot(path))


def relative(path: Path) -> str:
    """A path under examples/ as `terraform/...` or `cloudformation/...`."""
    return Path(path).resolve().relative_to(EXAMPLES.resolve()).as_posix()


def example_of(path: str) -> Optional[str]:
    """The example a scanner's file or unit path belongs to (absolute, or relative to the checkout), if any: a
    Terraform file belongs to its root module's directory, whatever child module it is in."""
    absolute = Path(path) if Path(path).is_absolute() else ROOT / path
    try:
        parts = relative(absolute).split("/")
    except ValueError:
        return None
    if parts[0] == "terraform" and len(parts) >= 3:
        return "/".join(parts[:3])
    if parts[0] == "cloudformation":
        return "/".join(parts)
    return None


def without_checkout(text: str) -> str:
    """Text with this checkout's location removed, so a snapshot reads the same on every machine."""
    return text.replace(str(ROOT) + "/", "").replace(str(ROOT), ".")


def examples_by_snapshot() -> Dict[Path, str]:
    return {snapshot_path(example): example for example in all_examples()}
