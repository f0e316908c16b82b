"""The package graph of docs/architecture.md, checked against every import in src/.

Dependencies point one way, down the relay: each package may import only the packages listed
for it below (imports inside functions and under TYPE_CHECKING count too), no package or
module imports itself back through others, and nothing hides an import behind importlib.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

SRC = Path(__file__).parents[1] / "src"
ROOT = SRC / "shotrelay"

#: package -> the packages it may import (top-level modules count as packages of one file).
ALLOWED: dict[str, set[str]] = {
    "errors": set(),
    "plugins": set(),  # entry points only
    "spec": {"errors"},
    "catalog": {"errors", "spec", "plugins"},
    "continuity": {"errors", "spec"},
    "media": {"errors", "spec"},
    "prompts": {"errors", "spec", "catalog", "continuity", "plugins"},
    "learn": {"errors", "spec", "catalog"},
    "route": {"errors", "spec", "catalog", "learn"},
    "providers": {"errors", "spec", "catalog", "media", "plugins"},
    "plan": {"errors", "spec", "catalog", "prompts", "providers", "plugins"},
    "engine": {"errors", "spec", "catalog", "providers"},
    "schedule": {"errors", "spec", "catalog", "route", "engine"},
    "edit": {"errors", "spec", "media", "engine"},
    "judge": {"errors", "spec", "catalog", "media", "plugins"},
    "relay": {
        "errors", "spec", "catalog", "continuity", "media", "prompts", "route", "providers",
        "engine", "schedule", "edit", "judge", "learn",
    },
    "sim": {"errors", "spec", "catalog", "route", "providers", "engine", "schedule", "relay"},
    "report": {
        "errors", "spec", "catalog", "continuity", "route", "providers", "engine", "edit",
        "relay",
    },
    "testing": {"errors", "spec", "catalog", "route", "providers", "engine", "edit", "relay"},
    "api": {
        "errors", "spec", "catalog", "plan", "prompts", "route", "providers", "engine",
        "schedule", "relay", "report", "edit", "judge", "learn", "doctor",
    },
    "doctor": {"errors", "spec", "catalog", "providers", "plan"},
    # presentation: the terminal (and, later, the browser studio and the agent interface)
    "progress": {"engine"},
    "present": {"spec", "route", "catalog"},
    "_cli": {
        "errors", "spec", "catalog", "route", "schedule", "relay", "edit", "api", "present",
        "progress", "web", "agent",
    },
    # the browser studio and the agent interface: both only through the public face
    "web": {"errors", "spec", "api", "relay", "engine", "report", "present", "progress"},
    "agent": {"errors", "spec", "api", "relay", "present", "progress"},
    "cli": {"_cli"},  # the console script's entry point
    "shotrelay": {"errors", "spec"},  # the package root re-exports the basics
}  # fmt: skip

#: What the durable executor may use of the packages below it: the protocol, not the adapters.
ENGINE_REACH = {
    "shotrelay.providers": {"shotrelay.providers.base"},
    "shotrelay.spec": {"shotrelay.spec.vocabulary"},
    "shotrelay.catalog": {
        "shotrelay.catalog.profile",
        "shotrelay.catalog.calls",
        "shotrelay.catalog.params",
    },
}

#: Known breaches still to remove (each must still exist, so this list only shrinks).
KNOWN: set[tuple[str, str]] = set()


def _module(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _package(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "shotrelay"


def _imports() -> dict[str, set[str]]:
    """module -> the shotrelay modules it imports (anywhere in the file)."""
    found: dict[str, set[str]] = defaultdict(set)
    for path in sorted(ROOT.rglob("*.py")):
        module = _module(path)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                # ``from pkg import submodule`` depends on the submodule, not on pkg's __init__
                subs = [f"{node.module}.{a.name}" for a in node.names]
                names = [n if _known_module(n) else node.module for n in subs]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            else:
                continue
            for name in names:
                if name.startswith("shotrelay") and _known_module(name):
                    found[module].add(name)
    return found


def _known_module(name: str) -> bool:
    base = SRC.joinpath(*name.split("."))
    return base.with_suffix(".py").is_file() or (base / "__init__.py").is_file()


IMPORTS = _imports()


def _package_edges() -> set[tuple[str, str]]:
    return {
        (_package(m), _package(t))
        for m, targets in IMPORTS.items()
        for t in targets
        if _package(m) != _package(t)
    }


def test_every_package_is_in_the_table() -> None:
    packages = {_package(m) for m in IMPORTS} | {
        _package(_module(p)) for p in ROOT.iterdir() if p.suffix == ".py" or p.is_dir()
    }
    packages -= {"__pycache__", "py"}
    assert packages - set(ALLOWED) == set(), "add the new package to ALLOWED and the doc"


def test_imports_point_down_the_relay() -> None:
    breaches = sorted(
        f"{m} imports {t}"
        for m, targets in IMPORTS.items()
        for t in targets
        if _package(t) != _package(m)
        and _package(t) not in ALLOWED[_package(m)]
        and (_package(m), _package(t)) not in KNOWN
    )
    assert breaches == []


def test_known_breaches_still_exist() -> None:
    assert _package_edges() >= KNOWN, "a known breach is gone: remove it from KNOWN"


def test_the_engine_reaches_only_the_protocol_below_it() -> None:
    wide = sorted(
        f"{m} imports {t}"
        for m, targets in IMPORTS.items()
        if _package(m) == "engine"
        for t in targets
        for outside, allowed in ENGINE_REACH.items()
        if (t == outside or t.startswith(outside + "."))
        and not any(t == a or t.startswith(a + ".") for a in allowed)
    )
    assert wide == []


@pytest.mark.parametrize("level", ["package", "module"])
def test_no_import_cycles(level: str) -> None:
    edges: dict[str, set[str]] = defaultdict(set)
    for m, targets in IMPORTS.items():
        for t in targets:
            a, b = (_package(m), _package(t)) if level == "package" else (m, _owner(t))
            if a != b and (level == "module" or (a, b) not in KNOWN):
                edges[a].add(b)
    assert _cycle(edges) == []


def _owner(name: str) -> str:
    """The module a name lives in (``pkg.mod.Class`` -> ``pkg.mod``)."""
    while not _known_module(name):
        name = name.rpartition(".")[0]
    return name


def _cycle(edges: dict[str, set[str]]) -> list[str]:
    """One cycle in the graph, as a path, or [] when there is none."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return []

    for node in sorted(edges):
        if node not in state and (found := visit(node)):
            return found
    return []


def test_nothing_is_imported_through_importlib() -> None:
    hidden = [
        f"{p.relative_to(SRC)}: {ast.unparse(n)}"
        for p in ROOT.rglob("*.py")
        for n in ast.walk(ast.parse(p.read_text(encoding="utf-8")))
        if isinstance(n, ast.Call) and "import_module" in ast.unparse(n.func)
    ]
    assert hidden == []
