"""Rule sets: load a YAML rule file (or a mapping), resolve ``extends``, validate, compile.

Loading is strict and explains itself: the file must pass the JSON Schema
shipped in the package (``schemas/ruleset-1.json``), and every error names the
file, line, column and, where there is one, the rule id.

A set that ``extends`` others is checked on its own before anything is merged
(against the schema, less what a parent may supply: a child may leave out
``rules`` and override a parent's rule with only the keys it changes), and each
parent is loaded and checked in full, so a problem is reported at its own file's
line. The merged set is then checked as a whole.
"""

from __future__ import annotations

import copy
import datetime as _dt
import functools
import hashlib
import json
import math
import os
import re
import warnings
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema

from .. import resources
from ..categories import with_canonical_categories
from ..errors import MAX_QUOTE, AtributRulesError, RuleSetError, clip, quote
from ..model import Severity
from ..read.inputfiles import open_input
from ..read.yamlsafe import MAX_NUMBER_CHARS, YamlLimits, load_yaml, position
from .conditions import (
    Condition,
    ConditionError,
    During,
    FieldTest,
    InZone,
    Near,
    compile_condition,
    walk,
)

SCHEMA_NAME = "ruleset-1.json"
SCHEMA_VERSION = "atribut-rules/1"

CATEGORIES = (
    "admin_area",
    "bridge",
    "designated_site",
    "government",
    "health",
    "kecamatan",
    "park",
    "place_of_worship",
    "pole",
    "public_facility",
    "road",
    "school",
    "tree",
)
"""The zone category vocabulary; a rule set may add its own under ``categories``."""

REPORT_PLACEHOLDERS = (
    "id",
    "type",
    "party",
    "candidate",
    "mounted_on",
    "observed_at",
    "width_m",
    "height_m",
    "area_m2",
    "accuracy_m",
)
"""Placeholders filled from the report itself (``area_m2`` is width x height)."""

PLACEHOLDERS = REPORT_PLACEHOLDERS + (
    "distance_m",
    "threshold_m",
    "margin_m",
    "zone_id",
    "zone_name",
    "category",
    "rule",
    "period",
    "group",
    "count",
    "max",
    "rank",
    "other_report",
    "min_m",
    "duplicate_of",
    "permit",
)
"""Names a message may use as ``{name}``; any other name is looked up in the report's extra fields."""

_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")

MAX_PLACEHOLDERS = 20
"""Placeholders one message text (one language) may hold, counting repeats."""

MAX_MESSAGE_CHARS = 2000
"""Characters of one rendered message; a longer one is cut, ending in ``…``."""


def clip_message(text: str) -> str:
    """A rendered message cut to :data:`MAX_MESSAGE_CHARS` characters (ending in ``…`` when cut)."""
    return text if len(text) <= MAX_MESSAGE_CHARS else text[: MAX_MESSAGE_CHARS - 1] + "\u2026"


@dataclass(frozen=True)
class Limits:
    """Bounds applied while loading rule files (all configurable)."""

    yaml: YamlLimits = field(default_factory=YamlLimits)
    max_condition_depth: int = 32
    max_extends_depth: int = 8


@dataclass(frozen=True)
class Period:
    """A named span of days; ``start``/``end`` are inclusive, None is open."""

    name: str
    start: _dt.date | None
    end: _dt.date | None


@dataclass(frozen=True)
class Quota:
    """At most ``max`` attributes per group; ``per`` holds field names and ``("zone", CAT)`` pairs."""

    max: int
    per: tuple[str | tuple[str, str], ...]


@dataclass(frozen=True)
class Spacing:
    """Attributes of the same group (values of ``among``) stand at least ``min_m`` metres apart."""

    min_m: float
    among: tuple[str, ...]


@dataclass(frozen=True)
class Duplicates:
    """Reports with equal ``same`` fields within ``within_m`` metres (and ``within_days``) are one attribute."""

    within_m: float
    within_days: int | None
    same: tuple[str, ...]


@dataclass(frozen=True)
class Rule:
    """One rule: what it applies to, when it is broken, and how to say so."""

    id: str
    title: Mapping[str, str]
    severity: Severity
    legal_basis: Mapping[str, str]  # {lang: text}, like title and message
    applies_to: Condition | None
    when: Condition | None
    message: Mapping[str, str]
    enabled: bool = True
    line: int | None = None
    effective: Period | None = None
    area: Condition | None = None
    quota: Quota | None = None
    spacing: Spacing | None = None


@dataclass(frozen=True)
class RuleSet:
    """A validated, resolved rule set.

    ``sha256`` is the digest of the resolved document as canonical JSON, so two
    files that resolve to the same rules share it; ``document`` is that document.
    """

    id: str
    version: str
    title: Mapping[str, str]
    jurisdiction: str | None
    effective: Period | None
    extends: tuple[str, ...]
    crs: str | None
    categories: frozenset[str]
    default_accuracy_m: float
    zone_radius_m: Mapping[str, float]
    periods: Mapping[str, Period]
    rules: tuple[Rule, ...]
    sha256: str
    source: str | None
    document: Mapping[str, Any] = field(repr=False, compare=False, default_factory=dict)
    accuracy_by: tuple[str, Mapping[str, float]] | None = None
    duplicates: Duplicates | None = None
    exemptions: tuple[Any, ...] = ()

    @property
    def active_rules(self) -> tuple[Rule, ...]:
        """The rules that are enabled, in file order."""
        return tuple(r for r in self.rules if r.enabled)

    def rule(self, rule_id: str) -> Rule:
        """The rule with id ``rule_id``; raises KeyError naming the known ids."""
        for r in self.rules:
            if r.id == rule_id:
                return r
        raise KeyError(f"no such rule: {rule_id!r} (known: {', '.join(r.id for r in self.rules)})")


def load_rules(
    source: str | os.PathLike[str] | Mapping[str, Any] | None = None,
    *,
    limits: Limits | None = None,
    allow_paths: tuple[str | os.PathLike[str], ...] = (),
) -> RuleSet:
    """Load a rule set from a YAML file, a ``builtin:NAME``, or a mapping.

    ``None`` loads the bundled national set ``builtin:id-pemilu-2024``.
    ``extends`` entries resolve to bundled sets or to paths under the extending
    file's folder; ``allow_paths`` lists further folders that may be used.
    """
    limits = limits or Limits()
    if source is None:
        source = "builtin:id-pemilu-2024"
    allowed = tuple(Path(p).resolve() for p in allow_paths)
    if isinstance(source, Mapping):
        name = "<mapping>"
        try:
            doc = copy.deepcopy(dict(source))
            doc, marks = _resolve(doc, {}, name, None, limits, allowed, ())
            return _build(doc, marks, name, limits)
        except RecursionError:
            raise RuleSetError("the rule set is nested too deeply", file=name) from None
    path = _locate(str(source), None, allowed, "<argument>")
    doc, marks, name = _read(path, limits)
    chain = (_resolved_name(path, name),)
    doc, marks = _resolve(doc, marks, name, path.parent, limits, allowed, chain)
    return _build(doc, marks, name, limits)


def read_document(path: str | os.PathLike[str], limits: Limits | None = None) -> tuple[dict, dict, str]:
    """One rule file as it is written (no ``extends`` resolved): its mapping, the line and
    column of each value (:func:`yamlsafe.load_yaml`) and its name; raises RuleSetError."""
    return _read(Path(path), limits or Limits())


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
                f"no bundled rule set {quote(name)}",
                file=referrer,
                line=line,
                column=column,
                hint=f"bundled sets: {known}",
            )
        return path
    if "\x00" in ref:
        raise RuleSetError(
            f"{quote(ref)} is not a usable file name: it holds a NUL character",
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
            f"extends {quote(ref)}: cannot follow that path ({_os_reason(exc)})",
            file=referrer,
            line=line,
            column=column,
            field="ruleset.extends",
        ) from None
    if not any(resolved == root or root in resolved.parents for root in roots):
        raise RuleSetError(
            f"extends {quote(ref)} points outside the rule file's folder",
            file=referrer,
            line=line,
            column=column,
            field="ruleset.extends",
            hint="use builtin:NAME, a path under the rule file's folder, or allow the folder (--allow-path)",
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
        raise RuleSetError("the rule file's name holds a NUL character", file=quote(name))
    try:
        # only a regular file (a FIFO or a device would block or never end), at most the limit
        with open_input(path, what="rule file", name=name, error=RuleSetError) as fh:
            raw = fh.read(limits.yaml.max_bytes + 1)
    except OSError as exc:
        raise RuleSetError(f"cannot read rule file: {_os_reason(exc)}", file=name) from None
    if len(raw) > limits.yaml.max_bytes:
        raise RuleSetError(f"rule file is larger than {limits.yaml.max_bytes} bytes", file=name)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RuleSetError(
            f"rule file is not UTF-8 (byte {exc.start})",
            file=name,
            line=raw[: exc.start].count(b"\n") + 1,
            hint="save the rule file as UTF-8",
        ) from None
    if "\t" in text:
        for n, line in enumerate(text.splitlines(), start=1):
            indent = line[: len(line) - len(line.lstrip())]
            if "\t" in indent:
                raise RuleSetError(
                    "a tab in the indentation",
                    file=name,
                    line=n,
                    column=indent.index("\t") + 1,
                    hint="YAML indents with spaces only",
                )
    data, marks = load_yaml(text, file=name, limits=limits.yaml)
    if not isinstance(data, dict):
        raise RuleSetError("a rule file must be a mapping at the top", file=name, line=1, column=1)
    return data, marks, name


def _resolve(
    doc: dict,
    marks: dict,
    name: str,
    base: Path | None,
    limits: Limits,
    allowed: tuple[Path, ...],
    chain: tuple[str, ...],
) -> tuple[dict, dict]:
    """Check ``doc`` on its own, then merge the parents named in ``ruleset.extends`` under it
    (child wins); each parent is resolved and checked in full first, at its own lines."""
    meta = doc.get("ruleset")
    parents = meta.get("extends") if isinstance(meta, dict) else None
    _check_values(doc, marks, name)
    _validate_schema(doc, marks, name, extending=bool(parents))
    if not parents:
        return doc, marks
    if len(chain) > limits.max_extends_depth:
        raise RuleSetError(f"extends chain is deeper than {limits.max_extends_depth}", file=name)
    merged: dict = {}
    for i, ref in enumerate(parents):
        line, col = marks.get(("ruleset", "extends", i), (None, None))
        if base is None and not ref.startswith("builtin:"):
            raise RuleSetError(
                f"extends {quote(ref)}: a rule set given as a mapping can only extend builtin:NAME",
                file=name,
                line=line,
                column=col,
            )
        path = _locate(ref, base, allowed, name, line, col)
        try:
            usable = path.is_file()
            key = str(path.resolve())
        except (OSError, RuntimeError, ValueError) as exc:
            raise RuleSetError(
                f"extends {quote(ref)}: cannot follow that path ({_os_reason(exc)})",
                file=name,
                line=line,
                column=col,
                field="ruleset.extends",
            ) from None
        if not usable:
            raise RuleSetError(
                f"extends {quote(ref)}: no rule file there ({quote(str(path))})",
                file=name,
                line=line,
                column=col,
                field="ruleset.extends",
                hint="use builtin:NAME or a path to a .yaml file under this file's folder",
            )
        if key in chain:
            raise RuleSetError(f"extends {quote(ref)} makes a cycle", file=name, line=line, column=col)
        pdoc, pmarks, pname = _read(path, limits)
        pdoc, pmarks = _resolve(pdoc, pmarks, pname, path.parent, limits, allowed, chain + (key,))
        _build(pdoc, pmarks, pname, limits)  # every check, reported at the parent's own lines
        merged = _merge(merged, pdoc)[0] if merged else pdoc
    inherited = {r.get("id") for r in merged.get("rules", []) if isinstance(r, dict)}
    for problem in new_rule_problems(doc, marks, name, inherited):
        raise problem
    out, rule_at = _merge(merged, doc)
    return out, _moved_marks(marks, rule_at)


def new_rule_problems(doc: dict, marks: dict, name: str, inherited: set[Any]) -> list[RuleSetError]:
    """The rules of a set that extends others which are new (not in ``inherited``), enabled,
    and have nothing to test: only a parent's rule may be named with just the keys that change."""
    problems = []
    rules = doc.get("rules")
    for j, rule in enumerate(rules if isinstance(rules, list) else []):
        if not isinstance(rule, dict) or not isinstance(rule.get("id"), str) or rule["id"] in inherited:
            continue
        if rule.get("enabled", True) is not False and not any(
            k in rule for k in ("when", "quota", "spacing")
        ):
            problems.append(
                _located(
                    marks,
                    ("rules", j),
                    name,
                    f"rules.{j}: a new rule needs 'when' (or 'quota' or 'spacing'); only a parent's "
                    "rule may be named with just the keys that change",
                    rule=clip(rule["id"], 100),
                )
            )
    return problems


def inherited_rule_ids(
    path: str | os.PathLike[str], allow_paths: tuple[str | os.PathLike[str], ...] = ()
) -> set[str] | None:
    """The rule ids a rule file's parents give it (none when it extends nothing), or None when
    a parent cannot be loaded (the loader says why)."""
    try:
        doc, marks, name = read_document(path)
        refs = doc["ruleset"]["extends"] if isinstance(doc.get("ruleset"), dict) else None
        ids: set[str] = set()
        allowed = tuple(Path(p).resolve() for p in allow_paths)
        for i, ref in enumerate(refs if isinstance(refs, list) else []):
            line, col = marks.get(("ruleset", "extends", i), (None, None))
            parent = _locate(str(ref), Path(path).parent, allowed, name, line, col)
            ids |= {r.id for r in load_rules(parent, allow_paths=allow_paths).rules}
        return ids
    except (AtributRulesError, KeyError, OSError, RuntimeError, ValueError):
        return None


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


def _rule_id(doc: dict, path: tuple) -> str | None:
    if len(path) >= 2 and path[0] == "rules" and isinstance(path[1], int):
        rules = doc.get("rules")
        if isinstance(rules, list) and path[1] < len(rules) and isinstance(rules[path[1]], dict):
            rid = rules[path[1]].get("id")
            if isinstance(rid, str):
                return clip(rid, 100)
            return f"#{path[1] + 1}"
    return None


@functools.lru_cache(maxsize=2)
def _validator(extending: bool) -> jsonschema.protocols.Validator:
    """The rule schema's validator; for a set that extends others, without what a parent supplies:
    ``schema`` and ``rules`` may be left out, and a rule may name only the keys it changes."""
    schema = resources.schema(SCHEMA_NAME)
    if extending:
        schema = copy.deepcopy(schema)
        schema["required"] = [k for k in schema["required"] if k not in ("schema", "rules")]
        schema["$defs"]["rule"].pop("anyOf", None)
    return jsonschema.Draft202012Validator(schema)


def _schema_errors(doc: dict, extending: bool) -> list[jsonschema.ValidationError]:
    return sorted(
        _validator(extending).iter_errors(doc),
        key=lambda e: (len(e.absolute_path), list(map(str, e.absolute_path))),
    )


def _validate_schema(doc: dict, marks: dict, name: str, extending: bool = False) -> None:
    errors = _schema_errors(doc, extending)
    if errors:
        raise _describe(jsonschema.exceptions.best_match(errors), doc, marks, name)


def schema_problems(doc: dict, marks: dict, name: str) -> list[RuleSetError]:
    """Every schema problem of one rule file on its own (as for a set that extends others,
    when it does), each at its line and column, in file order."""
    meta = doc.get("ruleset")
    extending = bool(meta.get("extends")) if isinstance(meta, dict) else False
    problems = [_describe(e, doc, marks, name) for e in _schema_errors(doc, extending)]
    return sorted(problems, key=lambda e: (e.line or 0, e.column or 0))


def value_problems(doc: Any, marks: dict, name: str) -> list[RuleSetError]:
    """The values of a rule file that cannot be used whatever the schema says (see :func:`_check_values`)."""
    return list(_bad_values(doc, marks, name, ()))


def _describe(error: jsonschema.ValidationError, doc: dict, marks: dict, name: str) -> RuleSetError:
    """A schema error as a rule-file error at its line and column, quoting at most a short value."""
    path = tuple(error.absolute_path)
    line, col = position(marks, path)
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = set(error.schema.get("properties", {}))
        extra = [k for k in error.instance if k not in allowed]
        if extra and path + (extra[0],) in marks:
            line, col = marks[path + (extra[0],)]
    dotted = clip(".".join(str(p) for p in path) or "(top)", MAX_QUOTE)
    message = error.message
    try:
        shown = repr(error.instance)
    except ValueError:
        shown = ""
    if len(shown) > MAX_QUOTE and shown in message:
        message = message.replace(shown, quote(error.instance))
    hint = None
    if "propertyNames" in error.schema_path:
        if path + (error.instance,) in marks:
            line, col = marks[path + (error.instance,)]
        message = f"the key {quote(error.instance)} is not a usable name here ({message})"
        if not isinstance(error.instance, str):
            hint = "write the key in quotes: YAML reads 1, yes or null unquoted as a number, true or null"
    if error.validator == "additionalProperties":
        message = f"{message}; check the spelling against the rule format in the README"
    if error.validator == "oneOf" and path and "rules" in path:
        message = "a condition needs exactly one of all, any, not, inside, near, during, field"
    return RuleSetError(
        f"{dotted}: {message}", file=name, line=line, column=col, rule=_rule_id(doc, path), hint=hint
    )


def _located(marks: dict, path: tuple, name: str, message: str, **fields: Any) -> RuleSetError:
    """A rule-file error at the line and column of the value at ``path``."""
    line, column = position(marks, path)
    return RuleSetError(message, file=name, line=line, column=column, **fields)


_SURROGATE = re.compile("[\ud800-\udfff]")
_LARGEST = 10**MAX_NUMBER_CHARS


def _check_values(value: Any, marks: dict, name: str) -> None:
    """Refuse what no schema can: NaN or infinity anywhere (a NaN threshold would make a rule
    silently never fire), a number too large to be a float, and text that is not valid
    Unicode (a lone surrogate cannot be written to any output)."""
    for problem in _bad_values(value, marks, name, ()):
        raise problem


def _bad_values(value: Any, marks: dict, name: str, path: tuple) -> Iterator[RuleSetError]:
    dotted = clip(".".join(str(p) for p in path), MAX_QUOTE)
    where = f"{dotted}: " if dotted else ""
    field = {"field": dotted or None}
    if isinstance(value, float) and not math.isfinite(value):
        yield _located(marks, path, name, f"{where}{value!r} is not a finite number", **field)
    elif isinstance(value, int) and not isinstance(value, bool) and abs(value) >= _LARGEST:
        yield _located(marks, path, name, f"{where}{quote(value)} is too large a number", **field)
    elif isinstance(value, str) and _SURROGATE.search(value):
        message = f"{where}not valid Unicode text: {quote(value)} holds a lone surrogate"
        yield _located(marks, path, name, message, **field)
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _bad_values(k, marks, name, path + (k,))
            yield from _bad_values(v, marks, name, path + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _bad_values(v, marks, name, path + (i,))


def _text(value: Any) -> dict[str, str]:
    if value is None:
        return {}
    if isinstance(value, str):
        return {"id": value, "en": value}
    return {k: v for k, v in value.items() if v}


def legal_basis_text(value: Any) -> dict[str, str]:
    """A rule's ``legal_basis`` as ``{lang: text}`` (one string serves both languages); what
    is ``unconfirmed`` about it is for the docs page only and left out."""
    if isinstance(value, dict):
        value = {k: v for k, v in value.items() if k != "unconfirmed"}
    return {k: " ".join(str(v).split()) for k, v in _text(value).items()}


def _date(text: str | None, where: tuple, marks: dict, name: str) -> _dt.date | None:
    if text is None:
        return None
    try:
        return _dt.date.fromisoformat(text)
    except ValueError:
        line, col = position(marks, where)
        raise RuleSetError(
            f"{quote(text)} is not a calendar date", file=name, line=line, column=col
        ) from None


def _build(doc: dict, marks: dict, name: str, limits: Limits) -> RuleSet:
    """Compile a resolved document. :func:`_resolve` checked each document it came from on
    its own; a merged one (it names parents) is checked here as a whole once more. Zone
    categories named by their Indonesian aliases are read as the canonical names."""
    doc = with_canonical_categories(doc)
    meta = doc["ruleset"]  # schema-valid: a mapping
    if meta.get("extends"):
        _validate_schema(doc, marks, name)

    periods: dict[str, Period] = {}
    for pname, span in (doc.get("periods") or {}).items():
        start = _date(span.get("from"), ("periods", pname, "from"), marks, name)
        end = _date(span.get("to"), ("periods", pname, "to"), marks, name)
        if start and end and start > end:
            line, col = position(marks, ("periods", pname))
            raise RuleSetError(f"period {pname!r} ends before it starts", file=name, line=line, column=col)
        periods[pname] = Period(pname, start, end)

    effective = None
    if "effective" in meta:
        effective = Period(
            "effective",
            _date(meta["effective"].get("from"), ("ruleset", "effective", "from"), marks, name),
            _date(meta["effective"].get("to"), ("ruleset", "effective", "to"), marks, name),
        )

    categories = frozenset(CATEGORIES) | frozenset(doc.get("categories") or ())
    defaults = doc.get("defaults") or {}
    if doc.get("crs") is not None:
        problem = crs_problem(doc["crs"])
        if problem:
            raise _located(
                marks,
                ("crs",),
                name,
                f"crs {quote(doc['crs'])}: {problem}",
                field="crs",
                hint="give a projected CRS in metres as EPSG:NNNN (e.g. EPSG:32748) or a PROJ string "
                "without files, or leave crs out (a local projection is chosen for the data)",
            )
    radius = dict(defaults.get("zone_radius_m") or {})
    for cat in radius:
        if cat not in categories:
            raise _located(
                marks,
                ("defaults", "zone_radius_m", cat),
                name,
                f"unknown zone category {cat!r} in defaults.zone_radius_m",
                hint=f"known categories: {', '.join(sorted(categories))}",
            )

    rules: list[Rule] = []
    seen: dict[str, int] = {}
    for i, r in enumerate(doc.get("rules") or []):
        rid = r["id"]
        line, col = position(marks, ("rules", i))
        if rid in seen:
            raise RuleSetError(
                f"duplicate rule id {rid!r} (first at rule #{seen[rid] + 1})",
                file=name,
                line=line,
                column=col,
                rule=rid,
            )
        seen[rid] = i
        enabled = r.get("enabled", True)
        if enabled and not any(k in r for k in ("when", "quota", "spacing")):
            raise RuleSetError(
                "rule has no 'when' condition (nor 'quota' or 'spacing')",
                file=name,
                line=line,
                column=col,
                rule=rid,
            )
        quota = spacing = None
        if "quota" in r:
            per: list[str | tuple[str, str]] = []
            for item in r["quota"]["per"]:
                if isinstance(item, dict):
                    if item["zone"] not in categories:
                        raise _located(
                            marks,
                            ("rules", i, "quota"),
                            name,
                            f"unknown zone category {item['zone']!r} in quota.per",
                            rule=rid,
                        )
                    per.append(("zone", item["zone"]))
                else:
                    per.append(item)
            quota = Quota(int(r["quota"]["max"]), tuple(per))
        if "spacing" in r:
            spacing = Spacing(float(r["spacing"]["min_m"]), tuple(r["spacing"].get("among", ())))
        compiled: dict[str, Condition | None] = {}
        for key in ("applies_to", "when"):
            if key not in r:
                compiled[key] = None
                continue
            try:
                cond = compile_condition(r[key], ("rules", i, key), limits.max_condition_depth)
            except ConditionError as exc:
                cl, cc = position(marks, exc.path)
                raise RuleSetError(str(exc), file=name, line=cl, column=cc, rule=rid) from None
            for node in walk(cond):
                if isinstance(node, Near) and node.zone not in categories:
                    raise _located(
                        marks,
                        ("rules", i, key),
                        name,
                        f"unknown zone category {node.zone!r}",
                        rule=rid,
                        hint=f"known categories: {', '.join(sorted(categories))}; add new ones under 'categories'",
                    )
                if isinstance(node, During) and node.period not in periods:
                    raise _located(
                        marks,
                        ("rules", i, key),
                        name,
                        f"unknown period {node.period!r}",
                        rule=rid,
                        hint=f"periods defined: {', '.join(periods) or 'none'}",
                    )
                if isinstance(node, FieldTest) and node.op in ("gt", "gte", "lt", "lte", "between"):
                    values = node.value if node.op == "between" else [node.value]
                    if any(isinstance(v, str) for v in values) and node.field != "observed_at":
                        raise _located(
                            marks,
                            ("rules", i, key),
                            name,
                            f"{node.op} on {node.field!r} needs a number",
                            rule=rid,
                        )
            compiled[key] = cond
        area = None
        if "area" in r:
            if "zone" in r["area"]:
                if r["area"]["zone"] not in categories:
                    raise _located(
                        marks,
                        ("rules", i, "area"),
                        name,
                        f"unknown zone category {r['area']['zone']!r} in area",
                        rule=rid,
                    )
                area = Near(zone=r["area"]["zone"], within_m=0.0, inside=True)
            else:
                area = InZone(zone_id=r["area"]["zone_id"])
        rule_effective = None
        if "effective" in r:
            rule_effective = Period(
                "effective",
                _date(r["effective"].get("from"), ("rules", i, "effective", "from"), marks, name),
                _date(r["effective"].get("to"), ("rules", i, "effective", "to"), marks, name),
            )
        message = _text(r.get("message")) or _text(r.get("title"))
        for lang, text in message.items():
            found = _PLACEHOLDER.findall(text)
            if len(found) > MAX_PLACEHOLDERS:
                raise _located(
                    marks,
                    ("rules", i, "message"),
                    name,
                    f"message ({lang}) has {len(found)} placeholders; at most {MAX_PLACEHOLDERS}",
                    rule=rid,
                    hint="a message names each value once or twice; long texts in it make every finding long",
                )
            for placeholder in found:
                if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", placeholder):
                    raise _located(
                        marks,
                        ("rules", i, "message"),
                        name,
                        f"message ({lang}) placeholder {quote('{' + placeholder + '}')} is not a plain name",
                        rule=rid,
                        hint=f"use names such as {', '.join(PLACEHOLDERS[:8])}",
                    )
        rules.append(
            Rule(
                id=rid,
                title=_text(r.get("title")),
                severity=Severity(r.get("severity", "error")),
                legal_basis=legal_basis_text(r.get("legal_basis")),
                applies_to=compiled["applies_to"],
                when=compiled["when"],
                message=message,
                enabled=enabled,
                line=line,
                effective=rule_effective,
                area=area,
                quota=quota,
                spacing=spacing,
            )
        )

    accuracy_by = None
    if "accuracy_by" in defaults:
        spec = defaults["accuracy_by"]
        accuracy_by = (spec["field"], {str(k).casefold(): float(v) for k, v in spec["values"].items()})
    duplicates = None
    if "duplicates" in doc:
        dup = doc["duplicates"]
        duplicates = Duplicates(
            float(dup["within_m"]), dup.get("within_days"), tuple(dup.get("same", ("type", "party")))
        )
    from ..evaluate.permits import permits_from_mappings

    try:
        exemptions = permits_from_mappings(doc.get("exemptions") or (), file=name)
    except AtributRulesError as exc:
        line, col = position(marks, ("exemptions",))
        raise RuleSetError(exc.message, file=name, line=line, column=col, field=exc.field) from None

    canonical = json.dumps(_json_keys(doc), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return RuleSet(
        id=meta["id"],
        version=meta["version"],
        title=_text(meta.get("title")),
        jurisdiction=meta.get("jurisdiction"),
        effective=effective,
        extends=tuple(meta.get("extends") or ()),
        crs=doc.get("crs"),
        categories=categories,
        default_accuracy_m=float(defaults.get("accuracy_m", 0.0)),
        zone_radius_m=radius,
        periods=periods,
        rules=tuple(rules),
        sha256=hashlib.sha256(canonical.encode("utf-8")).hexdigest(),
        source=name,
        document=doc,
        accuracy_by=accuracy_by,
        duplicates=duplicates,
        exemptions=exemptions,
    )


def _json_keys(value: Any) -> Any:
    """``value`` with every mapping key as the text JSON would write for it (so keys of mixed
    types sort; the loader refuses two keys that JSON would write alike)."""
    if isinstance(value, dict):
        return {
            (
                k if isinstance(k, str) else json.dumps(k) if isinstance(k, bool) or k is None else str(k)
            ): _json_keys(v)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_json_keys(v) for v in value]
    return value


# -- crs ------------------------------------------------------------------------------------

_AUTHORITY_CODE = re.compile(r"EPSG:[0-9]{1,9}", re.IGNORECASE)
_PROJ_TOKEN = re.compile(r"\+([A-Za-z_][A-Za-z0-9_]*)(?:=([A-Za-z0-9_.,:+-]+))?")
_PROJ_FILE_KEYS = frozenset(
    {"init", "nadgrids", "geoidgrids", "grids", "file", "model", "catalog", "hgridshift", "vgridshift"}
)
_PROJ_NOT_CRS = frozenset(
    {
        "pipeline",
        "hgridshift",
        "vgridshift",
        "xyzgridshift",
        "gridshift",
        "deformation",
        "tinshift",
        "defmodel",
    }
)
SCALE_RANGE = (0.9, 1.1)
"""Scale factors (stated, and measured at the CRS's centre) a ``crs`` may have."""
EARTH_RADIUS_M = (6_350_000.0, 6_400_000.0)
"""Semi-major axes a ``crs``'s ellipsoid may have (the Earth's, on any datum)."""


def crs_problem(text: Any) -> str | None:
    """Why ``text`` cannot be a rule set's ``crs``, or None when it can.

    A ``crs`` is an authority code (``EPSG:NNNN``) or a PROJ string (``+proj=... +k=...``)
    that names no file: no ``+init``, ``+nadgrids``, ``+geoidgrids``, ``+grids`` or other
    file or grid, and no value with a path in it. The text is checked before PROJ sees
    it, so PROJ never opens a file for it. Then PROJ must know it as a projected CRS whose
    axes are in metres, on an ellipsoid of the Earth's size, with a scale factor (stated,
    and measured at the centre of its area or its origin) within :data:`SCALE_RANGE`.
    """
    if not isinstance(text, str):
        return "a CRS is written as text"
    if _AUTHORITY_CODE.fullmatch(text):
        pass
    elif text.startswith("+"):
        problem = _proj_string_problem(text)
        if problem:
            return problem
    else:
        return "a CRS is given as EPSG:NNNN or as a PROJ string (+proj=...)"
    return _crs_checked(text)


def _proj_string_problem(text: str) -> str | None:
    names = []
    for token in text.split():
        key, _, value = token[1:].partition("=")
        if key in _PROJ_FILE_KEYS:
            return f"+{key} names a file or a grid, which a rule file may not make PROJ open"
        if not _PROJ_TOKEN.fullmatch(token):
            return (
                f"{quote(token)} is not a PROJ parameter of plain letters and numbers (+name or "
                "+name=value; no paths)"
            )
        if key == "proj" and value in _PROJ_NOT_CRS:
            return f"+proj={value} is an operation, not a CRS"
        names.append(key)
    if "proj" not in names:
        return "a PROJ string needs +proj="
    return None


@functools.lru_cache(maxsize=64)
def _crs_checked(text: str) -> str | None:
    import pyproj

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            crs = pyproj.CRS.from_user_input(text)
    except pyproj.exceptions.CRSError:
        return "PROJ does not know this CRS"
    if crs.is_bound and crs.source_crs is not None:
        crs = crs.source_crs
    if crs.type_name != "Projected CRS":
        return f"it is a {crs.type_name}, not a projected CRS: distances in it would not be in metres"
    for axis in crs.axis_info[:2]:
        if axis.unit_name not in ("metre", "meter") or axis.unit_conversion_factor != 1.0:
            return f"its axes are in {axis.unit_name}, not metres: every distance would be read wrongly"
    ellipsoid = crs.ellipsoid
    if ellipsoid is None or not EARTH_RADIUS_M[0] <= ellipsoid.semi_major_metre <= EARTH_RADIUS_M[1]:
        size = "unknown" if ellipsoid is None else f"{ellipsoid.semi_major_metre:g} m"
        return f"its ellipsoid is not the Earth's (semi-major axis {size})"
    low, high = SCALE_RANGE
    operation = crs.coordinate_operation
    params = {p.name: p.value for p in operation.params} if operation is not None else {}
    for pname, value in params.items():
        if "scale factor" in pname.lower() and not low <= value <= high:
            return f"its scale factor is {value:g}, outside {low:g} to {high:g}: distances would be off"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            pyproj.Transformer.from_crs("EPSG:4326", crs, always_xy=True)
            lon, lat = _crs_centre(crs, params)
            factors = pyproj.Proj(crs).get_factors(lon, lat)
    except (pyproj.exceptions.ProjError, pyproj.exceptions.CRSError):
        return "PROJ cannot project to it"
    for scale in (factors.meridional_scale, factors.parallel_scale):
        if not (math.isfinite(scale) and low <= scale <= high):
            return (
                f"its scale at ({lon:g}, {lat:g}) is {scale:g}, outside {low:g} to {high:g}: "
                "distances would be off"
            )
    return None


def _crs_centre(crs: Any, params: dict[str, float]) -> tuple[float, float]:
    """The centre of a CRS's area of use, or its origin: where its scale is checked."""
    area = crs.area_of_use
    if area is not None:
        lon = (area.west + area.east) / 2 if area.west <= area.east else area.west
        return lon, (area.south + area.north) / 2
    lon = lat = 0.0
    for pname, value in params.items():
        words = pname.lower()
        if any(w in words for w in ("natural origin", "false origin", "projection centre", "of origin")):
            if words.startswith("longitude"):
                lon = value
            elif words.startswith("latitude"):
                lat = value
    return lon, lat
