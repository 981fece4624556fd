"""Files shipped with the package: bundled rule sets, the example, JSON Schemas.

Installed, they live in the ``atribut_rules.rulesets`` and ``atribut_rules.example``
packages (mapped from ``rules/`` and ``fixtures/pangkalpinang/`` in the repository).
Run from a source checkout without installing, the repository folders are used.
"""

from __future__ import annotations

import importlib.util
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

_REPO = Path(__file__).resolve().parents[2]


def _package_dir(package: str, repo_folder: str) -> Path:
    spec = importlib.util.find_spec(package) if importlib.util.find_spec("atribut_rules") else None
    if spec is not None and spec.submodule_search_locations:
        return Path(next(iter(spec.submodule_search_locations)))
    return _REPO / repo_folder


def rules_dir() -> Path:
    """The folder of bundled rule sets (``builtin:NAME`` is ``NAME.yaml`` in it)."""
    return _package_dir("atribut_rules.rulesets", "rules")


def example_dir() -> Path:
    """The folder of the bundled Pangkalpinang example (zones and reports)."""
    return _package_dir("atribut_rules.example", "fixtures/pangkalpinang")


def bundled_rulesets() -> list[str]:
    """Names of the bundled rule sets, sorted."""
    return sorted(p.stem for p in rules_dir().glob("*.yaml"))


@lru_cache(maxsize=8)
def schema(name: str) -> dict[str, Any]:
    """A JSON Schema shipped in ``atribut_rules/schemas`` (e.g. ``ruleset-1.json``)."""
    path = Path(__file__).with_name("schemas") / name
    return json.loads(path.read_text(encoding="utf-8"))
