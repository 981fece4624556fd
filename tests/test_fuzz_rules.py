"""Fuzz the rule loader with hypothesis: arbitrary text, YAML-ish text, mutated valid documents.

Whatever the input, load_rules either returns a RuleSet or raises RuleSetError
(with a message that names the file); nothing else escapes.
"""

from __future__ import annotations

import copy
import math
import tempfile
from pathlib import Path
from typing import Any

import yaml
from helpers import examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from atribut_rules import resources
from atribut_rules.errors import RuleSetError
from atribut_rules.read.yamlsafe import YamlLimits
from atribut_rules.rules.ruleset import Limits, RuleSet, load_rules

FUZZ = settings(max_examples=examples(120), deadline=None, suppress_health_check=[HealthCheck.too_slow])
LIMITS = Limits(yaml=YamlLimits(max_bytes=100_000, max_aliases=20, max_depth=32, max_nodes=20_000))
BUNDLED = yaml.safe_load((resources.rules_dir() / "id-pemilu-2024.yaml").read_text(encoding="utf-8"))
BUNDLED_TEXT = (resources.rules_dir() / "id-pemilu-2024.yaml").read_text(encoding="utf-8")

YAML_WORDS = [
    "schema: atribut-rules/1\n",
    "ruleset:",
    " id: x",
    ' version: "1"',
    "rules:",
    "- id: R",
    "when:",
    "{",
    "}",
    "[",
    "]",
    ": ",
    ", ",
    "- ",
    "\n",
    "  ",
    "&a ",
    "*a",
    "<<: ",
    "!!python/object:os.system ",
    "!!str ",
    "!!binary ",
    "? ",
    "|",
    ">",
    "'",
    '"',
    "#",
    "---\n",
    "...\n",
    "\t",
    "near:",
    "zone: tree",
    "within_m: ",
    "-1",
    "1e999",
    ".nan",
    "null",
    "~",
    "matches: ",
    "(a+)+",
    "all:",
    "any:",
    "not:",
    "field: party",
    "in: ",
    "between: ",
    "during: kampanye",
    "periods:",
    "from: 2024-02-30",
    "\ufeff",
    "%YAML 1.1\n",
]

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.sampled_from(["tree", "kampanye", "error", "(a+)+$", "builtin:id-pemilu-2024", "../x.yaml"]),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)


def _load_text(text: str) -> RuleSet | None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "rules.yaml"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        try:
            return load_rules(path, limits=LIMITS)
        except RuleSetError as exc:
            assert str(exc).startswith(str(path)), str(exc)
            return None


def _paths(node: Any, prefix: tuple = ()) -> list[tuple]:
    out = [prefix]
    if isinstance(node, dict):
        for k, v in node.items():
            out.extend(_paths(v, prefix + (k,)))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out.extend(_paths(v, prefix + (i,)))
    return out


PATHS = _paths(BUNDLED)[1:]


def _mutate(doc: dict, path: tuple, action: str, value: Any) -> dict:
    doc = copy.deepcopy(doc)
    parent = doc
    for key in path[:-1]:
        parent = parent[key]
    last = path[-1]
    if action == "delete":
        del parent[last]
    elif action == "replace":
        parent[last] = value
    elif action == "add" and isinstance(parent[last], dict):
        parent[last]["x_" + str(value)[:10]] = value
    elif action == "add" and isinstance(parent[last], list):
        parent[last].append(value)
    else:
        parent[last] = value
    return doc


@FUZZ
@given(text=st.text(max_size=300))
def test_arbitrary_text_only_raises_ruleset_error(text: str) -> None:
    _load_text(text)


@FUZZ
@given(words=st.lists(st.sampled_from(YAML_WORDS), max_size=60))
def test_yaml_like_text_only_raises_ruleset_error(words: list[str]) -> None:
    _load_text("".join(words))


@FUZZ
@given(cut=st.integers(0, len(BUNDLED_TEXT)), insert=st.sampled_from(YAML_WORDS))
def test_cut_and_spliced_bundled_file_only_raises_ruleset_error(cut: int, insert: str) -> None:
    _load_text(BUNDLED_TEXT[:cut] + insert + BUNDLED_TEXT[cut:])
    _load_text(BUNDLED_TEXT[:cut])


@FUZZ
@given(
    path=st.sampled_from(PATHS),
    action=st.sampled_from(["delete", "replace", "add"]),
    value=values,
)
def test_mutated_bundled_document_only_raises_ruleset_error(path: tuple, action: str, value: Any) -> None:
    doc = _mutate(BUNDLED, path, action, value)
    try:
        ruleset = load_rules(doc, limits=LIMITS)
    except RuleSetError:
        pass
    else:
        assert ruleset.rules or doc.get("rules") == []  # an empty list of rules is a valid set
        assert all(math.isfinite(r) for r in ruleset.zone_radius_m.values())
    # The same document written as YAML goes through the file path (line numbers, limits).
    try:
        text = yaml.safe_dump(doc, allow_unicode=True)
    except yaml.YAMLError:
        return
    _load_text(text)


# -- a child set that extends a bundled one ---------------------------------------------------
# Its sections are checked on their own before the merge (a malformed one crashed the merge),
# then merged into the bundled set and checked as a whole.

CHILD_HEAD = {
    "schema": "atribut-rules/1",
    "ruleset": {"id": "anak", "version": "1", "extends": ["builtin:id-pemilu-2024"]},
}
BUNDLED_IDS = [r["id"] for r in BUNDLED["rules"]]
SECTIONS = [
    "periods",
    "categories",
    "defaults",
    "exemptions",
    "rules",
    "duplicates",
    "crs",
    "schema",
    "ruleset",
]

section_values = st.one_of(
    values,
    st.lists(
        st.fixed_dictionaries(
            {"id": st.one_of(st.sampled_from(BUNDLED_IDS), st.text(max_size=8), values)},
            optional={
                "severity": st.sampled_from(["error", "warning", "fatal"]),
                "enabled": st.one_of(st.booleans(), values),
                "when": values,
                "title": st.one_of(st.text(max_size=20), values),
                "message": st.one_of(st.sampled_from(["{party}" * 30, "{type} {x y}", "\ud800"]), values),
            },
        ),
        max_size=3,
    ),
    st.sampled_from(
        [
            "EPSG:4326",
            "+init=/etc/passwd:x",
            "EPSG:32748",
            [1, 2],
            {"kampanye": {"from": "2024-13-01"}},
            {"accuracy_by": {"field": "f", "values": {1: 5, "a": 6}}},
            {"zone_radius_m": {"tree": 10**400}},
        ]
    ),
)


def _child(sections: dict[str, Any]) -> dict[str, Any]:
    doc = copy.deepcopy(CHILD_HEAD)
    for key, value in sections.items():
        if key == "ruleset":
            doc["ruleset"] = {**doc["ruleset"], **value} if isinstance(value, dict) else value
        else:
            doc[key] = value
    return doc


def _check_child(doc: dict[str, Any]) -> None:
    try:
        ruleset = load_rules(doc, limits=LIMITS)
    except RuleSetError as exc:
        text = str(exc)
        assert "\n" not in text and len(text) <= 1000
    else:
        if ruleset.extends == ("builtin:id-pemilu-2024",):
            assert ruleset.rules  # the bundled set's rules, overridden or not
    try:
        text = yaml.safe_dump(doc, allow_unicode=True)
    except (yaml.YAMLError, ValueError):
        return
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "anak.yaml"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        try:
            load_rules(path, limits=LIMITS)
        except RuleSetError as exc:
            assert str(exc).startswith(str(path)), str(exc)
        from atribut_rules.rules.lint import validate_file

        for _file, _line, _col, message in validate_file(path):  # validate never crashes either
            assert "\n" not in message


@FUZZ
@given(sections=st.dictionaries(st.sampled_from(SECTIONS), section_values, max_size=4))
def test_child_of_a_bundled_set_only_raises_ruleset_error(sections: dict[str, Any]) -> None:
    _check_child(_child(sections))


@FUZZ
@given(words=st.lists(st.sampled_from(YAML_WORDS), max_size=40))
def test_child_yaml_soup_only_raises_ruleset_error(words: list[str]) -> None:
    head = 'schema: atribut-rules/1\nruleset:\n  id: anak\n  version: "1"\n  extends: ["builtin:id-pemilu-2024"]\n'
    _load_text(head + "".join(words))
