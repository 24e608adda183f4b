"""One model per Terraform root module, built once per process and reused while its files are unchanged.

Checkov asks for a root's model from each framework runner that scans one of its files (`terraform` for `.tf`,
`terraform_json` for `.tf.json`), and again for each graph; the model depends only on the files the loader read, so
it is kept with their stamps (`sources`) and rebuilt as soon as one of them changes. Builds are serialised: threads
of one Checkov process wait for the model being built instead of building it twice; a forked child inherits the
cache as it was and checks it the same way.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Dict, Tuple

from trailguard.model import Model
from trailguard.terraform import sources
from trailguard.terraform.builder import build_model
from trailguard.terraform.loader import load_root

MAX_ROOTS = 4096

_MODELS: Dict[Path, Tuple[sources.Stamps, Model]] = {}
_LOCK = threading.Lock()


def _new_lock() -> None:
    """A child forked while another thread held the lock would wait forever: it starts with its own."""
    global _LOCK
    _LOCK = threading.Lock()


if hasattr(os, "register_at_fork"):  # not on Windows, where Checkov runs its runners in threads
    os.register_at_fork(after_in_child=_new_lock)


def root_model(directory: Path) -> Model:
    """The model of the root module in `directory` (with its local child modules); `HclError` when a block it
    needs is not valid HCL. Callers must not change the model: it is shared."""
    root = directory.resolve()
    with _LOCK:
        cached = _MODELS.get(root)
        if cached is not None and sources.unchanged(cached[0]):
            return cached[1]
        with sources.recording() as stamps:
            module = load_root(root)
            model = build_model(list(module.instances()), str(root), module.notes)
        if len(_MODELS) >= MAX_ROOTS:
            _MODELS.clear()
        _MODELS[root] = (stamps, model)
        return model


def forget_models() -> None:
    """Drop every cached model (the loader's directories stay, checked against their files when reused)."""
    with _LOCK:
        _MODELS.clear()
