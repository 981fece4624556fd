"""Read rule files and resolve ``extends``, checking each file at its own lines.

:func:`load_rules` is the one way in: a YAML file, a ``builtin:NAME`` or a mapping. Each
file of an ``extends`` chain is read (YAML with the line and column of every value),
checked on its own (:mod:`.check`: values, schema, new rules; :mod:`.build`: names,
against what its parents define), then merged under its parents (child wins) and the
merged set compiled. Every problem found is kept, each at its own file, line and column:
a child's in the child, a parent's in the parent. :func:`check_rules` returns them all;
:func:`load_rules` raises the first carrying them all (``RuleSetError.problems``).
"""

from __future__ import annotations

import copy
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import resources
from ..errors import RuleSetError, Text, quote
from ..read.inputfiles import open_input
from ..read.yamlsafe import load_yaml
from .build import Inherited, build_ruleset
from .check import Problems, check_schema, new_rule_problems, raise_all, value_problems
from .model import Limits, Period, RuleSet

DEFAULT_RULES = "builtin:id-pemilu-2024"


@dataclass
class _Resolved:
    """One file resolved with its parents: the set built from it (None when a problem was
    found) and every problem found in it and its parents."""

    name: str
    ruleset: RuleSet | None = None
    doc: dict = field(default_factory=dict)
    problems: list[RuleSetError] = field(default_factory=list)


def load_rules(
    source: str | os.PathLike[str] | Mapping[str, Any] | None = None,
    *,
    limits: Limits | None = None,
    allow_paths: tuple[str | os.PathLike[str], ...] = (),
) -> RuleSet:
    """Load a rule set from a YAML file, a ``builtin:NAME``, or a mapping.

    ``None`` loads the bundled national set ``builtin:id-pemilu-2024``.
    ``extends`` entries resolve to bundled sets or to paths under the extending
    file's folder; ``allow_paths`` lists further folders that may be used. Raises
    :class:`RuleSetError`: the first problem found, with every one in ``problems``.
    """
    resolved = _load(source, limits, allow_paths)
    raise_all(resolved.problems)
    if resolved.ruleset is None:  # pragma: no cover - a set not built has a problem
        raise RuleSetError(Text("rules.rule_set_cannot_built"), file=resolved.name)
    return resolved.ruleset


def check_rules(
    source: str | os.PathLike[str] | Mapping[str, Any],
    *,
    limits: Limits | None = None,
    allow_paths: tuple[str | os.PathLike[str], ...] = (),
) -> list[RuleSetError]:
    """Every problem of a rule set and the sets it extends (empty when it loads), each at
    its own file, line and column, in the order found."""
    try:
        return _load(source, limits, allow_paths).problems
    except RuleSetError as exc:  # the file itself cannot be read
        return [exc]


def _load(
    source: str | os.PathLike[str] | Mapping[str, Any] | None,
    limits: Limits | None,
    allow_paths: tuple[str | os.PathLike[str], ...],
) -> _Resolved:
    limits = limits or Limits()
    source = DEFAULT_RULES if source is None else source
    allowed = tuple(Path(p).resolve() for p in allow_paths)
    if isinstance(source, Mapping):
        name = "<mapping>"
        try:
            return _resolve(copy.deepcopy(dict(source)), {}, name, None, limits, allowed, ())
        except RecursionError:
            raise RuleSetError(Text("rules.rule_set_nested_too"), file=name) from None
    path = _locate(str(source), None, allowed, "<argument>")
    doc, marks, name = _read(path, limits)
    return _resolve(doc, marks, name, path.parent, limits, allowed, (_resolved_name(path, name),))


def read_document(path: str | os.PathLike[str], limits: Limits | None = None) -> tuple[dict, dict, str]:
    """One rule file as it is written (no ``extends`` resolved): its mapping, the line and
    column of each value (:func:`yamlsafe.load_yaml`) and its name; raises RuleSetError."""
    return _read(Path(path), limits or Limits())


def _resolve(
    doc: dict,
    marks: dict,
    name: str,
    base: Path | None,
    limits: Limits,
    allowed: tuple[Path, ...],
    chain: tuple[str, ...],
) -> _Resolved:
    """Check ``doc`` on its own, resolve and check its parents, check it against what they
    define, then merge it under them (child wins) and build the merged set."""
    problems = Problems(marks, name)
    problems.extend(value_problems(doc, marks, name))
    if problems:  # a NaN or a lone surrogate: nothing further is read from it
        return _Resolved(name, problems=problems.found)
    check_schema(doc, problems)
    meta = doc.get("ruleset")
    refs = meta.get("extends") if isinstance(meta, dict) else None
    if not refs or not isinstance(refs, list):
        return _Resolved(name, build_ruleset(doc, problems, limits), doc, problems.found)
    if len(chain) > limits.max_extends_depth:
        problems.found.append(
            RuleSetError(
                Text("rules.extends_chain_deeper_than", max_extends_depth=limits.max_extends_depth), file=name
            )
        )
        return _Resolved(name, problems=problems.found)
    parents = [
        _parent(ref, i, marks, name, base, limits, allowed, chain)
        for i, ref in enumerate(refs)
        if isinstance(ref, str)  # the schema said what else is
    ]
    for parent in parents:
        problems.extend(parent.problems)
    if any(p.ruleset is None for p in parents):
        return _Resolved(name, problems=problems.found)
    merged: dict = {}
    for parent in parents:
        merged = _merge(merged, parent.doc)[0] if merged else parent.doc
    inherited = _inherited([p.ruleset for p in parents if p.ruleset is not None])
    problems.extend(new_rule_problems(doc, marks, name, set(inherited.rule_ids)))
    build_ruleset(doc, problems, limits, inherited)  # the child's own parts, at its own lines
    if problems:
        return _Resolved(name, problems=problems.found)
    out, rule_at = _merge(merged, doc)
    whole = Problems(_moved_marks(marks, rule_at), name)
    check_schema(out, whole, extending=False)
    return _Resolved(name, build_ruleset(out, whole, limits), out, whole.found)


def _inherited(parents: list[RuleSet]) -> Inherited:
    categories: frozenset[str] = frozenset()
    periods: dict[str, Period] = {}
    ids: set[str] = set()
    for parent in parents:
        categories |= parent.categories
        periods.update(parent.periods)
        ids |= {r.id for r in parent.rules}
    return Inherited(categories, periods, frozenset(ids))


def _parent(
    ref: Any,
    i: int,
    marks: dict,
    name: str,
    base: Path | None,
    limits: Limits,
    allowed: tuple[Path, ...],
    chain: tuple[str, ...],
) -> _Resolved:
    """The parent ``ref`` (``ruleset.extends[i]`` of file ``name``) resolved and checked in full."""
    line, col = marks.get(("ruleset", "extends", i), (None, None))
    try:
        if base is None and not ref.startswith("builtin:"):
            raise RuleSetError(
                Text("rules.extends_rule_set_given", ref=quote(ref)),
                file=name,
                line=line,
                column=col,
            )
        path = _locate(ref, base, allowed, name, line, col)
        key = _usable_parent(path, ref, name, line, col)
        if key in chain:
            raise RuleSetError(
                Text("rules.extends_makes_cycle", ref=quote(ref)), file=name, line=line, column=col
            )
        pdoc, pmarks, pname = _read(path, limits)
    except RuleSetError as exc:
        return _Resolved(name, problems=[exc])
    return _resolve(pdoc, pmarks, pname, path.parent, limits, allowed, chain + (key,))


def _usable_parent(path: Path, ref: str, name: str, line: int | None, col: int | None) -> str:
    """The resolved name of a parent's file; raises when there is no rule file there."""
    try:
        usable = path.is_file()
        key = str(path.resolve())
    except (OSError, RuntimeError, ValueError) as exc:
        raise RuleSetError(
            Text("rules.extends_cannot_follow_path", ref=quote(ref), os_reason=_os_reason(exc)),
            file=name,
            line=line,
            column=col,
            field="ruleset.extends",
        ) from None
    if not usable:
        raise RuleSetError(
            Text("rules.extends_no_rule_file", ref=quote(ref), path=quote(str(path))),
            file=name,
            line=line,
            column=col,
            field="ruleset.extends",
            hint=Text("rules.use_builtin_name_path_hint"),
        )
    return key


def _resolved_name(path: Path, name: str) -> str:
    try:
        return str(path.resolve())
    except (OSError, RuntimeError, ValueError):
        return name


def _locate(
    ref: str,
    base: Path | None,
    allowed: tuple[Path, ...],
    referrer: str,
    line: int | None = None,
    column: int | None = None,
) -> Path:
    if ref.startswith("builtin:"):
        name = ref.split(":", 1)[1]
        path = resources.rules_dir() / f"{name}.yaml"
        if not re.fullmatch(r"[A-Za-z0-9._-]{1,100}", name) or not path.is_file():
            known = ", ".join(resources.bundled_rulesets())
            raise RuleSetError(
                Text("rules.no_bundled_rule_set", name=quote(name)),
                file=referrer,
                line=line,
                column=column,
                hint=Text("rules.bundled_sets_hint", known=known),
            )
        return path
    if "\x00" in ref:
        raise RuleSetError(
            Text("rules.not_usable_file_name", ref=quote(ref)),
            file=referrer,
            line=line,
            column=column,
            field="ruleset.extends" if base is not None else None,
        )
    path = Path(ref)
    if base is None:
        return path
    try:
        resolved = (base / path).resolve()
        roots = (base.resolve(), *allowed)
    except (OSError, RuntimeError, ValueError) as exc:  # a symbolic link loop, a name too long
        raise RuleSetError(
            Text("rules.extends_cannot_follow_path", ref=quote(ref), os_reason=_os_reason(exc)),
            file=referrer,
            line=line,
            column=column,
            field="ruleset.extends",
        ) from None
    if not any(resolved == root or root in resolved.parents for root in roots):
        raise RuleSetError(
            Text("rules.extends_points_outside_rule", ref=quote(ref)),
            file=referrer,
            line=line,
            column=column,
            field="ruleset.extends",
            hint=Text("rules.use_builtin_name_path_hint_2"),
        )
    return resolved


def _os_reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    if isinstance(exc, RuntimeError):  # Path.resolve before Python 3.13
        return "a loop of symbolic links"
    return str(exc) or type(exc).__name__


def _read(path: Path, limits: Limits) -> tuple[dict, dict, str]:
    name = str(path)
    if "\x00" in name:
        raise RuleSetError(Text("rules.rule_file_name_holds"), file=quote(name))
    try:
        # only a regular file (a FIFO or a device would block or never end), at most the limit
        with open_input(path, what="rule file", name=name, error=RuleSetError) as fh:
            raw = fh.read(limits.yaml.max_bytes + 1)
    except OSError as exc:
        raise RuleSetError(
            Text("rules.cannot_read_rule_file", os_reason=_os_reason(exc)), file=name
        ) from None
    if len(raw) > limits.yaml.max_bytes:
        raise RuleSetError(Text("rules.rule_file_larger_than", max_bytes=limits.yaml.max_bytes), file=name)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RuleSetError(
            Text("rules.rule_file_not_utf", start=exc.start),
            file=name,
            line=raw[: exc.start].count(b"\n") + 1,
            hint=Text("rules.save_rule_file_as_hint"),
        ) from None
    if "\t" in text:
        for n, line in enumerate(text.splitlines(), start=1):
            indent = line[: len(line) - len(line.lstrip())]
            if "\t" in indent:
                raise RuleSetError(
                    Text("rules.tab_indentation"),
                    file=name,
                    line=n,
                    column=indent.index("\t") + 1,
                    hint=Text("rules.yaml_indents_spaces_only_hint"),
                )
    data, marks = load_yaml(text, file=name, limits=limits.yaml)
    if not isinstance(data, dict):
        raise RuleSetError(Text("rules.rule_file_must_mapping"), file=name, line=1, column=1)
    return data, marks, name


def _moved_marks(marks: dict, rule_at: dict[int, int]) -> dict:
    """The child's marks for the merged document: its rule ``j`` is now rule ``rule_at[j]``."""
    moved = {}
    for path, where in marks.items():
        if len(path) >= 2 and path[0] == "rules" and isinstance(path[1], int) and path[1] in rule_at:
            path = ("rules", rule_at[path[1]], *path[2:])
        moved.setdefault(path, where)
    return moved


def _merge(parent: dict, child: dict) -> tuple[dict, dict[int, int]]:
    """``child`` over ``parent`` (both schema-valid); and where each child rule ended up."""
    out = copy.deepcopy(parent)
    for key in ("schema", "crs", "duplicates"):
        if key in child:
            out[key] = child[key]
    if "exemptions" in child:
        # a child's permit replaces the parent's permit of the same id; new ones are added
        kept = {p.get("id"): p for p in out.get("exemptions", []) if isinstance(p, dict)}
        for permit in child["exemptions"]:
            if isinstance(permit, dict):
                kept[permit.get("id")] = permit
        out["exemptions"] = list(kept.values())
    meta = dict(child.get("ruleset", {}))
    out["ruleset"] = meta
    for key in ("periods",):
        if key in child:
            out.setdefault(key, {}).update(child[key])
    if "categories" in child:
        out["categories"] = sorted(set(out.get("categories", [])) | set(child["categories"]))
    if "defaults" in child:
        d = out.setdefault("defaults", {})
        for k, v in child["defaults"].items():
            if isinstance(v, dict) and isinstance(d.get(k), dict):
                d[k] = {**d[k], **v}
            else:
                d[k] = v
    rules = list(out.get("rules", []))
    index = {r.get("id"): i for i, r in enumerate(rules) if isinstance(r, dict)}
    rule_at: dict[int, int] = {}
    for j, r in enumerate(child.get("rules", []) or []):
        if isinstance(r, dict) and r.get("id") in index:
            base_rule = dict(rules[index[r["id"]]])
            base_rule.update(r)
            rules[index[r["id"]]] = base_rule
            rule_at[j] = index[r["id"]]
        else:
            rule_at[j] = len(rules)
            rules.append(r)
    out["rules"] = rules
    return out, rule_at
