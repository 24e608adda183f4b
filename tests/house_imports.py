"""trailguard's import graph, read from the source with `ast` (nothing is imported), for the house-rule tests.

Every `import` and `from ... import` counts, also those inside functions: a lazy import is still a dependency, it is
only paid for later.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Dict, Iterator, List, Optional, Set

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "trailguard"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> Dict[str, Path]:
    """Every module of the package by dotted name."""
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def _imported(node: ast.AST, importer: str, is_package: bool) -> Iterator[str]:
    """The dotted names one import statement reaches (for `from x import y`, both `x` and `x.y`)."""
    if isinstance(node, ast.Import):
        yield from (alias.name for alias in node.names)
    elif isinstance(node, ast.ImportFrom):
        base = node.module or ""
        if node.level:
            anchor = importer.split(".")
            anchor = anchor if is_package else anchor[:-1]
            anchor = anchor[:len(anchor) - node.level + 1]
            base = ".".join(anchor + ([base] if base else []))
        yield base
        yield from (f"{base}.{alias.name}" for alias in node.names)


def imports_of(path: Path) -> Set[str]:
    """Every dotted name the module at `path` imports, anywhere in it."""
    importer = module_name(path)
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    return {name for node in ast.walk(tree)
            for name in _imported(node, importer, path.name == "__init__.py") if name}


def graph() -> Dict[str, Set[str]]:
    """Module -> the trailguard modules it imports (names that are not modules, like imported classes, dropped)."""
    known = modules()
    return {name: {imported for imported in imports_of(path) if imported in known and imported != name}
            for name, path in known.items()}


def unit_of(module: str) -> str:
    """The part of the package a module belongs to: its subpackage (`trailguard.pattern`,
    `trailguard.integrations.checkov`), or the module itself when it sits at the top (`trailguard.model`)."""
    parts = module.split(".")
    if len(parts) > 1 and parts[1] == "integrations" and len(parts) > 2:
        return ".".join(parts[:3])
    if len(parts) > 2 or (PACKAGE / "/".join(parts[1:]) / "__init__.py").is_file():
        return ".".join(parts[:2])
    return module


def find_cycle(edges: Dict[str, Set[str]]) -> Optional[List[str]]:
    """One cycle of the directed graph, as the list of its nodes with the first repeated at the end, or None."""
    state: Dict[str, int] = {}  # 1: on the current path, 2: finished
    path: List[str] = []

    def visit(node: str) -> Optional[List[str]]:
        state[node] = 1
        path.append(node)
        for successor in sorted(edges.get(node, ())):
            if state.get(successor) == 1:
                return path[path.index(successor):] + [successor]
            if successor not in state:
                found = visit(successor)
                if found:
                    return found
        path.pop()
        state[node] = 2
        return None

    for start in sorted(edges):
        if start not in state:
            found = visit(start)
            if found:
                return found
    return None
