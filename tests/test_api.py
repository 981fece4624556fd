"""The public API: ``atribut_rules.__all__`` is ordered, importable and documented."""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil

import atribut_rules as ar


def _isort_key(name: str) -> tuple[int, str]:
    """The order ruff's RUF022 keeps: CONSTANTS, then CamelCase classes, then the rest."""
    if name.isupper():
        return (0, name)
    if name[:1].isupper():
        return (1, name)
    return (2, name)


def test_all_is_sorted_without_duplicates() -> None:
    assert list(ar.__all__) == sorted(ar.__all__, key=_isort_key)
    assert len(set(ar.__all__)) == len(ar.__all__)


def test_every_public_name_is_importable() -> None:
    namespace: dict[str, object] = {}
    exec("from atribut_rules import *", namespace)
    for name in ar.__all__:
        assert name in namespace, name
        assert namespace[name] is getattr(ar, name)


def _own_docstring(obj: object, name: str) -> str | None:
    if inspect.isclass(obj):
        doc = vars(obj).get("__doc__")
        # a dataclass without a docstring gets its signature as one
        if isinstance(doc, str) and doc.startswith(f"{obj.__name__}("):
            return None
        return doc
    return getattr(obj, "__doc__", None)


def _documented_constants() -> set[str]:
    """Module-level names followed by a docstring or preceded by a comment, in the package."""
    names: set[str] = set()
    for info in pkgutil.walk_packages(ar.__path__, "atribut_rules."):
        if info.name.endswith("__main__"):
            continue  # importing it runs the command line
        module = importlib.import_module(info.name)
        try:
            source = inspect.getsource(module)
        except (OSError, TypeError):
            continue
        lines = source.splitlines()
        body = ast.parse(source).body
        for i, node in enumerate(body):
            targets = []
            if isinstance(node, ast.Assign):
                targets = [t.id for t in node.targets if isinstance(t, ast.Name)]
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                targets = [node.target.id]
            if not targets:
                continue
            following = body[i + 1] if i + 1 < len(body) else None
            has_doc = (
                isinstance(following, ast.Expr)
                and isinstance(following.value, ast.Constant)
                and isinstance(following.value.value, str)
            )
            has_comment = node.lineno >= 2 and lines[node.lineno - 2].lstrip().startswith("#")
            if has_doc or has_comment:
                names.update(targets)
    return names


def test_every_public_name_is_documented() -> None:
    constants = _documented_constants()
    undocumented = []
    for name in ar.__all__:
        obj = getattr(ar, name)
        if name == "__version__":
            assert isinstance(obj, str) and obj  # a dunder with a standard meaning (PEP 396)
            continue
        if inspect.isclass(obj) or inspect.isfunction(obj):
            doc = _own_docstring(obj, name)
            if not (isinstance(doc, str) and doc.strip()):
                undocumented.append(name)
        elif name not in constants:
            undocumented.append(name)
    assert undocumented == []


def test_package_docstring_example_names_exist() -> None:
    for name in ("load_rules", "load_zones", "read_reports", "check"):
        assert name in ar.__doc__ and name in ar.__all__
