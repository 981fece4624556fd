"""Mapping files: which tags or class values of a map source make which zone category.

A mapping is YAML (``schema: atribut-rules/mapping-1``), checked against the JSON
Schema ``schemas/mapping-1.json``; an error names the file, line and column. The
bundled mappings live in ``atribut_rules/mappings/`` and are named ``builtin:NAME``.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping as AbcMapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema

from .. import resources
from ..errors import AtributRulesError, RuleSetError, Text
from ..read.inputfiles import read_input
from ..read.yamlsafe import load_yaml

SCHEMA_NAME = "mapping-1.json"
BUILTIN_PREFIX = "builtin:"


class MappingError(AtributRulesError):
    """A mapping file is malformed, breaks the mapping schema, or names an unknown category."""


MatchValue = Any
"""A match on one field: a value, a tuple of values (any of them), True (present) or False (absent)."""


@dataclass(frozen=True)
class Match:
    """Every field must match (an AND over ``fields``)."""

    fields: tuple[tuple[str, MatchValue], ...]

    def matches(self, props: AbcMapping[str, str]) -> bool:
        """Whether the cleaned properties ``props`` (missing values removed) satisfy every field."""
        for key, want in self.fields:
            have = props.get(key)
            if want is True:
                if have is None:
                    return False
            elif want is False:
                if have is not None:
                    return False
            elif isinstance(want, tuple):
                if have not in want:
                    return False
            elif have != want:
                return False
        return True

    def describe(self, props: AbcMapping[str, str] | None = None) -> str:
        """The match as ``key=value`` text; with ``props``, the values that matched (``amenity=school``)."""
        parts = []
        for key, want in self.fields:
            if want is False:
                parts.append(f"!{key}")
            elif props is not None and key in props:
                parts.append(f"{key}={props[key]}")
            elif want is True:
                parts.append(f"{key}=*")
            elif isinstance(want, tuple):
                parts.append(f"{key}={'|'.join(want)}")
            else:
                parts.append(f"{key}={want}")
        return " ".join(parts)


@dataclass(frozen=True)
class ClassRule:
    """One ``classes`` entry: features matching ``match`` become zones of ``category``."""

    category: str
    match: Match
    radius_m: float | None = None
    width_m: float | None = None
    line: int | None = None


@dataclass(frozen=True)
class Exclusion:
    """One ``exclude`` entry: features matching it are no zone at all, for ``reason``."""

    match: Match
    reason: str


@dataclass(frozen=True)
class ZoneMapping:
    """A loaded mapping file. ``name`` is how it was named (path or ``builtin:NAME``)."""

    id: str
    name: str
    sha256: str
    tags: str
    id_fields: tuple[str, ...]
    id_prefix: str
    name_fields: tuple[str, ...]
    name_join: str | None
    class_field: str | None
    missing_values: frozenset[str]
    width_field: str | None
    lanes_field: str | None
    wkt_field: str | None
    lon_field: str | None
    lat_field: str | None
    point_radius_m: dict[str, float]
    line_width_m: dict[str, float]
    lane_width_m: float
    exclude: tuple[Exclusion, ...]
    classes: tuple[ClassRule, ...]
    title: dict[str, str] = field(default_factory=dict)

    @property
    def categories(self) -> tuple[str, ...]:
        """The categories this mapping can produce, in first-use order."""
        return tuple(dict.fromkeys(c.category for c in self.classes))


def mappings_dir() -> Path:
    """The folder of bundled mappings (``builtin:NAME`` is ``NAME.yaml`` in it)."""
    return Path(__file__).resolve().parent.parent / "mappings"


def bundled_mappings() -> list[str]:
    """Names of the bundled mappings, sorted."""
    return sorted(p.stem for p in mappings_dir().glob("*.yaml"))


def load_mapping(ref: str | os.PathLike[str], *, categories: frozenset[str] | None = None) -> ZoneMapping:
    """Load a mapping file, or a bundled one named ``builtin:NAME``.

    ``categories`` is the allowed zone vocabulary (the core's by default); a
    mapping that names another category is refused with its line.
    """
    from ..rules.ruleset import CATEGORIES

    allowed = categories or frozenset(CATEGORIES)
    text_ref = os.fspath(ref)
    if text_ref.startswith(BUILTIN_PREFIX):
        stem = text_ref[len(BUILTIN_PREFIX) :]
        path = mappings_dir() / f"{stem}.yaml"
        if not stem or "/" in stem or not path.is_file():
            raise MappingError(
                Text("mapping.no_such_bundled_mapping", text_ref=text_ref),
                hint=Text(
                    "mapping.bundled_hint", names=", ".join("builtin:" + n for n in bundled_mappings())
                ),
            )
        name = text_ref
    else:
        path = Path(text_ref)
        name = text_ref
    data = read_input(path, what="mapping file", name=name, error=MappingError)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise MappingError(Text("mapping.mapping_file_not_utf", reason=exc.reason), file=name) from None
    try:
        doc, marks = load_yaml(text, file=name)
    except RuleSetError as exc:
        text = exc.message_text
        if isinstance(text, Text) and text.code in _YAML_CODES:  # "rule file" in the YAML loader's words
            text = Text(_YAML_CODES[text.code], **text.params)
        raise MappingError(
            text, file=exc.file, line=exc.line, column=exc.column, hint=exc.hint_text
        ) from None
    _validate(doc, marks, name)
    return _build(doc, marks, name, hashlib.sha256(data).hexdigest(), allowed)


_YAML_CODES = {
    "yaml.rule_file_larger_than": "mapping.file_larger_than",
    "yaml.rule_file_empty": "mapping.file_empty",
}


def _where(marks: dict, path: tuple) -> tuple[int | None, int | None]:
    p = tuple(path)
    while p not in marks and p:
        p = p[:-1]
    return marks.get(p, (None, None))


def _validate(doc: Any, marks: dict, name: str) -> None:
    validator = jsonschema.Draft202012Validator(resources.schema(SCHEMA_NAME))
    errors = list(validator.iter_errors(doc))
    if not errors:
        return
    error = jsonschema.exceptions.best_match(errors)
    path = tuple(error.absolute_path)
    line, col = _where(marks, path)
    dotted = ".".join(str(p) for p in path) or "(top)"
    hint = Text("mapping.start_schema_hint") if path == ("schema",) else None
    raise MappingError(
        Text("mapping.schema", dotted=dotted, message=error.message),
        file=name,
        line=line,
        column=col,
        hint=hint,
    )


def _names(value: Any, default: tuple[str, ...]) -> tuple[str, ...]:
    if value is None:
        return default
    return (value,) if isinstance(value, str) else tuple(value)


def _match(raw: dict) -> Match:
    fields = []
    for key, want in raw.items():
        if isinstance(want, bool):
            fields.append((str(key), want))
        elif isinstance(want, list):
            fields.append((str(key), tuple(_text(v) for v in want)))
        else:
            fields.append((str(key), _text(want)))
    return Match(tuple(fields))


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _build(doc: dict, marks: dict, name: str, sha: str, allowed: frozenset[str]) -> ZoneMapping:
    def check_category(cat: str, path: tuple) -> None:
        if cat not in allowed:
            line, col = _where(marks, path)
            raise MappingError(
                Text("mapping.category_not_zone_vocabulary", cat=cat),
                file=name,
                line=line,
                column=col,
                hint=Text("mapping.use_one_hint", names=", ".join(sorted(allowed))),
            )

    inp = doc.get("input") or {}
    defaults = doc.get("defaults") or {}
    for key in ("point_radius_m", "line_width_m"):
        for cat in defaults.get(key) or {}:
            check_category(cat, ("defaults", key, cat))
    classes = []
    for i, c in enumerate(doc["classes"]):
        check_category(c["category"], ("classes", i, "category"))
        classes.append(
            ClassRule(
                category=c["category"],
                match=_match(c["match"]),
                radius_m=None if c.get("radius_m") is None else float(c["radius_m"]),
                width_m=None if c.get("width_m") is None else float(c["width_m"]),
                line=_where(marks, ("classes", i))[0],
            )
        )
    title = doc["mapping"].get("title")
    tags = inp.get("tags", "fields")
    return ZoneMapping(
        id=doc["mapping"]["id"],
        name=name,
        sha256=sha,
        tags=tags,
        id_fields=_names(inp.get("id_field"), ("@id", "id") if tags == "osm" else ("id",)),
        id_prefix=inp.get("id_prefix", ""),
        name_fields=_names(inp.get("name_field"), ("name",)),
        name_join=inp.get("name_join"),
        class_field=inp.get("class_field"),
        missing_values=frozenset(inp.get("missing_values", [""])),
        width_field=inp.get("width_field"),
        lanes_field=inp.get("lanes_field"),
        wkt_field=inp.get("wkt_field"),
        lon_field=inp.get("lon_field"),
        lat_field=inp.get("lat_field"),
        point_radius_m={k: float(v) for k, v in (defaults.get("point_radius_m") or {}).items()},
        line_width_m={k: float(v) for k, v in (defaults.get("line_width_m") or {}).items()},
        lane_width_m=float(defaults.get("lane_width_m", 3.5)),
        exclude=tuple(Exclusion(_match(e["match"]), e["reason"]) for e in doc.get("exclude") or ()),
        classes=tuple(classes),
        title={"en": title} if isinstance(title, str) else dict(title or {}),
    )
