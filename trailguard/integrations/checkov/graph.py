"""Read vertices out of Checkov's graph, whichever graph library Checkov was started with."""

from __future__ import annotations

from typing import Any, Dict, List


def vertices(graph: Any) -> List[Dict[str, Any]]:
    """The attribute dicts of every vertex: rustworkx (Checkov's default) or networkx (CHECKOV_GRAPH_FRAMEWORK)."""
    try:
        import networkx
    except ImportError:  # pragma: no cover - Checkov always brings networkx
        networkx = None
    if networkx is not None and isinstance(graph, networkx.DiGraph):
        return [attributes for _, attributes in graph.nodes(data=True)]
    return [attributes for _, attributes in graph.nodes()]
