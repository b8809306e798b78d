"""What the bot imports when it starts is installed with it, not left to an optional extra.

matplotlib was once the optional ``charts`` extra while the stats and incentives features imported
it at module load, so ``pip install salesbot`` gave a bot that could not start.
"""

from __future__ import annotations

import ast
import importlib.metadata as md
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("bot", "handlers", "nlp", "scheduler", "storage", "cards")
# Developer tools (simulators, the demo, the sandbox) load only in demo mode, with the test extra.
SKIP_PARTS = {"migrations", "devtools"}


def _dist(requirement: str) -> str:
    name = re.match(r"[A-Za-z0-9_.-]+", requirement)
    assert name is not None, requirement
    return re.sub(r"[-_.]+", "-", name.group(0)).lower()


def _load_time_imports() -> dict[str, set[str]]:
    """Third-party top-level modules imported at module level, with the files importing them."""
    found: dict[str, set[str]] = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if SKIP_PARTS & set(path.relative_to(ROOT).parts):
                continue
            for node in ast.parse(path.read_text(encoding="utf-8")).body:
                if isinstance(node, ast.Import):
                    names = [a.name for a in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [node.module]
                else:
                    continue  # imports inside functions or TYPE_CHECKING blocks load on use
                for name in names:
                    top = name.split(".")[0]
                    if top in sys.stdlib_module_names or top in PACKAGES or top == "__future__":
                        continue
                    found.setdefault(top, set()).add(str(path.relative_to(ROOT)))
    return found


def test_every_module_imported_at_load_comes_with_a_core_dependency() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    core = {_dist(r) for r in project["dependencies"]}
    # ... or with what a core dependency itself requires (pydantic brings pydantic-core).
    installed = core | {
        _dist(r)
        for d in core
        for r in (md.requires(d) or [])
        if "extra ==" not in r  # a dependency's own optional extras are not installed with it
    }
    providers = md.packages_distributions()
    missing = {
        module: sorted(files)
        for module, files in _load_time_imports().items()
        if not {_dist(d) for d in providers.get(module, [])} & installed
    }
    assert missing == {}
