"""Rule sets: load a YAML rule file (or a mapping), resolve ``extends``, validate, compile.

Loading is strict and explains itself: the file must pass the JSON Schema
shipped in the package (``schemas/ruleset-1.json``), and every error names the
file, line, column and, where there is one, the rule id.
"""

from __future__ import annotations

import copy
import datetime as _dt
import hashlib
import json
import math
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema

from . import resources
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
from .errors import AtributRulesError, RuleSetError
from .inputfiles import read_input
from .model import Severity
from .yamlsafe import YamlLimits, load_yaml, position

SCHEMA_NAME = "ruleset-1.json"
SCHEMA_VERSION = "atribut-rules/1"

CATEGORIES = (
    "admin_area",
    "bridge",
    "designated_site",
    "government",
    "health",
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
        doc = copy.deepcopy(dict(source))
        marks: dict = {}
        name = "<mapping>"
        doc, marks = _resolve(doc, marks, name, None, limits, allowed, ())
    else:
        path = _locate(str(source), None, allowed, "<argument>")
        doc, marks, name = _read(path, limits)
        doc, marks = _resolve(doc, marks, name, path.parent, limits, allowed, (str(path.resolve()),))
    return _build(doc, marks, name, limits)


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
        if not re.fullmatch(r"[A-Za-z0-9._-]+", name) or not path.is_file():
            known = ", ".join(resources.bundled_rulesets())
            raise RuleSetError(
                f"no bundled rule set {name!r}",
                file=referrer,
                line=line,
                column=column,
                hint=f"bundled sets: {known}",
            )
        return path
    path = Path(ref)
    if base is None:
        return path
    resolved = (base / path).resolve()
    roots = (base.resolve(), *allowed)
    if not any(resolved == root or root in resolved.parents for root in roots):
        raise RuleSetError(
            f"extends {ref!r} points outside the rule file's folder",
            file=referrer,
            line=line,
            column=column,
            field="ruleset.extends",
            hint="use builtin:NAME, a path under the rule file's folder, or allow the folder (--allow-path)",
        )
    return resolved


def _read(path: Path, limits: Limits) -> tuple[dict, dict, str]:
    name = str(path)
    try:
        size = path.stat().st_size
        if size > limits.yaml.max_bytes:
            raise RuleSetError(f"rule file is larger than {limits.yaml.max_bytes} bytes", file=name)
        raw = read_input(path, what="rule file", error=RuleSetError)
    except OSError as exc:
        raise RuleSetError(f"cannot read rule file: {exc.strerror}", file=name) from None
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
    """Merge the parents named in ``ruleset.extends`` under ``doc`` (child wins)."""
    meta = doc.get("ruleset")
    parents = meta.get("extends") if isinstance(meta, dict) else None
    if not parents:
        return doc, marks
    if not isinstance(parents, list):
        parents = [parents]
    if len(chain) > limits.max_extends_depth:
        raise RuleSetError(f"extends chain is deeper than {limits.max_extends_depth}", file=name)
    merged: dict = {}
    for i, ref in enumerate(parents):
        if not isinstance(ref, str):
            continue  # the schema reports it
        line, col = marks.get(("ruleset", "extends", i), (None, None))
        if base is None and not ref.startswith("builtin:"):
            raise RuleSetError(
                f"extends {ref!r}: a rule set given as a mapping can only extend builtin:NAME",
                file=name,
                line=line,
                column=col,
            )
        path = _locate(ref, base, allowed, name, line, col)
        if not path.is_file():
            raise RuleSetError(
                f"extends {ref!r}: no rule file there ({path})",
                file=name,
                line=line,
                column=col,
                field="ruleset.extends",
                hint="use builtin:NAME or a path to a .yaml file under this file's folder",
            )
        key = str(path.resolve())
        if key in chain:
            raise RuleSetError(f"extends {ref!r} makes a cycle", file=name, line=line, column=col)
        pdoc, pmarks, pname = _read(path, limits)
        pdoc, _ = _resolve(pdoc, pmarks, pname, path.parent, limits, allowed, chain + (key,))
        _validate_schema(pdoc, pmarks, pname)
        merged = _merge(merged, pdoc) if merged else pdoc
    return _merge(merged, doc, child_marks=marks, name=name), marks


def _merge(parent: dict, child: dict, child_marks: dict | None = None, name: str = "") -> dict:
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
    for r in child.get("rules", []) or []:
        if isinstance(r, dict) and r.get("id") in index:
            base_rule = dict(rules[index[r["id"]]])
            base_rule.update(r)
            rules[index[r["id"]]] = base_rule
        else:
            rules.append(r)
    out["rules"] = rules
    return out


def _rule_id(doc: dict, path: tuple) -> str | None:
    if len(path) >= 2 and path[0] == "rules" and isinstance(path[1], int):
        rules = doc.get("rules") or []
        if path[1] < len(rules) and isinstance(rules[path[1]], dict):
            rid = rules[path[1]].get("id")
            return str(rid) if rid is not None else f"#{path[1] + 1}"
    return None


def _validate_schema(doc: dict, marks: dict, name: str) -> None:
    validator = jsonschema.Draft202012Validator(resources.schema(SCHEMA_NAME))
    errors = sorted(
        validator.iter_errors(doc), key=lambda e: (len(e.absolute_path), list(map(str, e.absolute_path)))
    )
    if not errors:
        return
    error = jsonschema.exceptions.best_match(errors)
    path = tuple(error.absolute_path)
    line, col = position(marks, path)
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = set(error.schema.get("properties", {}))
        extra = [k for k in error.instance if k not in allowed]
        if extra and path + (extra[0],) in marks:
            line, col = marks[path + (extra[0],)]
    dotted = ".".join(str(p) for p in path) or "(top)"
    message = error.message
    if error.validator == "additionalProperties":
        message = f"{message}; check the spelling against the rule format in the README"
    if error.validator == "oneOf" and path and "rules" in path:
        message = "a condition needs exactly one of all, any, not, inside, near, during, field"
    raise RuleSetError(f"{dotted}: {message}", file=name, line=line, column=col, rule=_rule_id(doc, path))


def _located(marks: dict, path: tuple, name: str, message: str, **fields: Any) -> RuleSetError:
    """A rule-file error at the line and column of the value at ``path``."""
    line, column = position(marks, path)
    return RuleSetError(message, file=name, line=line, column=column, **fields)


def _refuse_non_finite(value: Any, marks: dict, name: str, path: tuple = ()) -> None:
    """NaN or infinity anywhere in a rule set (a threshold, a radius...) would make rules silently never fire."""
    if isinstance(value, float) and not math.isfinite(value):
        line, col = position(marks, path)
        dotted = ".".join(str(p) for p in path)
        raise RuleSetError(
            f"{dotted}: {value!r} is not a finite number", file=name, line=line, column=col, field=dotted
        )
    if isinstance(value, dict):
        for k, v in value.items():
            _refuse_non_finite(v, marks, name, path + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            _refuse_non_finite(v, marks, name, path + (i,))


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
        raise RuleSetError(f"{text!r} is not a calendar date", file=name, line=line, column=col) from None


def _build(doc: dict, marks: dict, name: str, limits: Limits) -> RuleSet:
    _validate_schema(doc, marks, name)
    meta = doc["ruleset"]

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
    _refuse_non_finite(doc, marks, name)
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
            for placeholder in _PLACEHOLDER.findall(text):
                if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", placeholder):
                    raise _located(
                        marks,
                        ("rules", i, "message"),
                        name,
                        f"message ({lang}) placeholder {{{placeholder}}} is not a plain name",
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
    from .permits import permits_from_mappings

    try:
        exemptions = permits_from_mappings(doc.get("exemptions") or (), file=name)
    except AtributRulesError as exc:
        line, col = position(marks, ("exemptions",))
        raise RuleSetError(exc.message, file=name, line=line, column=col, field=exc.field) from None

    canonical = json.dumps(doc, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
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
