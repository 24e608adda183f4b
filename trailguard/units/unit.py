"""One deployment unit as the cross-unit proof sees it: its name in the report, its models (built from the files,
without a scanner, as the Checkov and cfn-lint paths build them) and where it deploys."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import List, Optional

from trailguard.cloudformation.builder import build_models
from trailguard.model import Model
from trailguard.terraform.builder import build_model
from trailguard.terraform.plan import load_plan
from trailguard.terraform.roots import root_model
from trailguard.terraform.stack import read_template_file
from trailguard.units.target import NOWHERE, Target
from trailguard.units.terraform import plan_target, root_target

LOG = logging.getLogger("trailguard")
ROOT, PLAN, TEMPLATE = "root", "plan", "template"


@dataclass
class Unit:
    """`form` is ROOT (a directory), PLAN or TEMPLATE (a file); `kind` is how the report names the unit's kind."""

    name: str
    form: str
    path: Path
    kind: str = ""
    _models: Optional[List[Model]] = field(default=None, repr=False)
    _target: Optional[Target] = field(default=None, repr=False)

    @property
    def models(self) -> List[Model]:
        """One model per deployable branch; none when the unit cannot be modelled (its own checks say why)."""
        if self._models is None:
            self._models = self._build()
        return self._models

    def _build(self) -> List[Model]:
        try:
            if self.form == ROOT:
                return [root_model(self.path)]
            if self.form == PLAN:
                return [build_model(list(load_plan(self.path)), str(self.path), [])]
            return build_models(read_template_file(str(self.path)), str(self.path), read_template_file)
        except Exception:  # a unit that cannot be modelled proves nothing across units
            LOG.exception("trailguard: cannot model %s for the cross-unit proof", self.path)
            return []

    @property
    def target(self) -> Target:
        """Where its files say it deploys (a template's target comes from a StackSet or the configuration)."""
        if self._target is None:
            self._target = self._read_target()
        return self._target

    def _read_target(self) -> Target:
        try:
            if self.form == ROOT:
                return root_target(self.path)
            if self.form == PLAN:
                return plan_target(self.path)
        except Exception:  # an unreadable provider states no target
            LOG.exception("trailguard: cannot read where %s deploys", self.path)
        return NOWHERE

    def with_target(self, target: Target) -> None:
        """Fill in what the files do not state (a StackSet's or the configuration's target)."""
        self._target = self.target.filled_from(target)

    def mentions(self, text: str) -> bool:
        """Whether the unit's files hold `text` at all: a cheap test before modelling a unit only to look for a name
        (a Terraform root's files include the local modules below it)."""
        files = [self.path] if self.form != ROOT else sorted(
            file for pattern in ("*.tf", "*.tf.json") for file in self.path.rglob(pattern))
        for file in files:
            try:
                if text in file.read_text(encoding="utf-8", errors="replace"):
                    return True
            except OSError:
                continue
        return False

    @property
    def has_trail(self) -> bool:
        return any(model.trails for model in self.models)
