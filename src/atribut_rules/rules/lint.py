"""Meta-lint: is a rule set fit to be used as a legal instrument?

A rule set passes when it states its jurisdiction and effective dates, and every
enabled rule has a legal basis, a title and a message in both Bahasa Indonesia and
English, and at least one test case where it is expected to be violated and one
where it is expected ``ok``. A rule a set inherits unchanged from a parent may be
covered by the parent's own tests; a rule the set adds or overrides must be
covered by the set's tests.

:func:`validate_file` is what ``atribut-rules validate`` runs on each file: every
problem it can find, each at its own line and column, for a file that extends
others too.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import resources
from ..categories import canonical_category
from ..errors import AtributRulesError, RuleSetError, clip, one_line, quote, short_name
from ..read.yamlsafe import position
from .cases import TestFile, coverage, load_tests, tests_path_for
from .ruleset import (
    CATEGORIES,
    RuleSet,
    inherited_rule_ids,
    load_rules,
    new_rule_problems,
    read_document,
    schema_problems,
    value_problems,
)

Problem = tuple[str, int | None, int | None, str]
"""One problem ``validate`` prints: file, line, column (None when unknown) and message."""


@dataclass(frozen=True)
class LintProblem:
    """One reason a rule set fails the meta-lint; ``rule`` is None for the set itself."""

    ruleset: str
    rule: str | None
    message: str

    def __str__(self) -> str:
        where = f"{self.ruleset}: rule {self.rule}" if self.rule else self.ruleset
        return f"{where}: {self.message}"


def rule_file(ref: str) -> Path:
    """The file a rule set reference points to."""
    if ref.startswith("builtin:"):
        return resources.rules_dir() / f"{ref.split(':', 1)[1]}.yaml"
    return Path(ref)


def own_and_parents(path: Path) -> tuple[set[str], list[Path]]:
    """The rule ids a rule file lists itself (added or overridden) and the files it extends."""
    data, _, _ = read_document(path)
    rules = data.get("rules")
    own = (
        {r["id"] for r in rules if isinstance(r, dict) and isinstance(r.get("id"), str)}
        if isinstance(rules, list)
        else set()
    )
    meta = data.get("ruleset")
    refs = meta.get("extends") if isinstance(meta, dict) else None
    parents = []
    for ref in refs if isinstance(refs, list) else []:
        if isinstance(ref, str):
            parents.append(rule_file(ref) if ref.startswith("builtin:") else (path.parent / ref))
    return own, parents


def inherited_coverage(path: Path, depth: int = 0) -> dict[str, set[str]]:
    """Coverage of a rule file's rules by its own tests and, for rules it does not touch, its parents'."""
    if depth > 8:
        raise RuleSetError("extends chain is too deep", file=str(path))
    own, parents = own_and_parents(path)
    result: dict[str, set[str]] = {}
    for parent in parents:
        for rule_id, statuses in inherited_coverage(parent, depth + 1).items():
            if rule_id not in own:
                result.setdefault(rule_id, set()).update(statuses)
    tests = tests_path_for(str(path))
    if tests.is_file():
        for rule_id, statuses in coverage(load_tests(tests)).items():
            result.setdefault(rule_id, set()).update(statuses)
    return result


def lint(ref: str, tests: TestFile | None = None) -> list[LintProblem]:
    """Meta-lint the rule set ``ref`` (builtin:NAME or a path); an empty list means it passes."""
    rs: RuleSet = tests.ruleset if tests else load_rules(ref)
    path = rule_file(ref)
    problems: list[LintProblem] = []

    def problem(rule: str | None, message: str) -> None:
        problems.append(LintProblem(rs.id, rule, message))

    if not rs.jurisdiction:
        problem(None, "ruleset.jurisdiction is missing")
    if rs.effective is None or (rs.effective.start is None and rs.effective.end is None):
        problem(None, "ruleset.effective (from/to dates) is missing")
    for lang in ("id", "en"):
        if not rs.title.get(lang):
            problem(None, f"ruleset.title has no {lang} text")
    tests_file = tests_path_for(ref)
    if not tests_file.is_file():
        problem(None, f"no rule tests at {tests_file}")
    covered = inherited_coverage(path) if path.is_file() else {}
    raw = {r.get("id"): r for r in rs.document.get("rules", []) if isinstance(r, dict)}
    for rule in rs.active_rules:
        doc = raw.get(rule.id, {})
        if not any(text.strip() for text in rule.legal_basis.values()):
            problem(rule.id, "has no legal_basis")
        elif isinstance(doc.get("legal_basis"), dict):  # one string serves both languages
            for lang in ("id", "en"):
                if not rule.legal_basis.get(lang, "").strip():
                    problem(rule.id, f"has no legal_basis in {lang} (legal_basis.{lang})")
        for key in ("title", "message"):
            value = doc.get(key)
            for lang in ("id", "en"):
                if not (isinstance(value, dict) and str(value.get(lang) or "").strip()):
                    problem(rule.id, f"has no {key} in {lang} ({key}.{lang})")
        statuses = covered.get(rule.id, set())
        if "violation" not in statuses:
            problem(rule.id, "no test case expects a violation of it")
        if "ok" not in statuses:
            problem(rule.id, "no test case expects it to pass (ok)")
    return problems


def validate_file(path: str | os.PathLike[str], allow_paths: tuple[str, ...] = ()) -> list[Problem]:
    """Every problem found in one rule file, as (file, line, column, message), in file order.

    The file is checked on its own first (values, then the schema; for a file that extends
    others, the schema less what a parent supplies), then loaded with its parents (the
    loader's first error), then for names it uses: zone categories, periods, duplicate rule
    ids, and titles and messages in both languages. Messages are one line each, and short.
    """
    try:
        doc, marks, name = read_document(path)
    except AtributRulesError as exc:
        return [(one_line(short_name(exc.file or str(path))), exc.line, exc.column, _line(exc.message))]
    problems: list[Problem] = []

    def add(p: tuple, message: str) -> None:
        line, col = position(marks, p)
        problems.append((name, line, col, _line(message)))

    def add_error(exc: AtributRulesError) -> None:
        problems.append((exc.file or name, exc.line, exc.column, _line(exc.message)))

    bad_values = value_problems(doc, marks, name)
    for exc in bad_values:
        add_error(exc)
    if not bad_values:
        for exc in schema_problems(doc, marks, name):
            add_error(exc)
        inherited = inherited_rule_ids(path, allow_paths)
        if inherited:
            for exc in new_rule_problems(doc, marks, name, inherited):
                add_error(exc)
    loaded = None
    try:
        loaded = load_rules(path, allow_paths=allow_paths)
    except AtributRulesError as exc:
        add_error(exc)

    meta = _mapping(doc.get("ruleset"))
    categories = set(CATEGORIES) | {c for c in _sequence(doc.get("categories")) if isinstance(c, str)}
    periods = {p for p in _mapping(doc.get("periods")) if isinstance(p, str)}
    if loaded is not None:
        categories |= set(loaded.categories)
        periods |= set(loaded.periods)

    def texts(p: tuple, value: Any, what: str) -> None:
        if isinstance(value, str):
            add(p, f"{what} is one text; give it in both languages as {{id: ..., en: ...}}")
        elif isinstance(value, dict):
            missing = [lang for lang in ("id", "en") if not value.get(lang)]
            if missing:
                add(p, f"{what} has no translation for {', '.join(missing)}")

    def conditions(p: tuple, node: Any, rid: str) -> None:
        if isinstance(node, list):
            for k, item in enumerate(node):
                conditions(p + (k,), item, rid)
            return
        if not isinstance(node, dict):
            return
        for key in ("near", "inside"):
            zone = _mapping(node.get(key)).get("zone")
            if isinstance(zone, str) and canonical_category(zone) not in categories:
                add(p + (key, "zone"), f"rule {rid}: unknown zone category {quote(zone)}")
        if isinstance(node.get("during"), str) and node["during"] not in periods:
            add(p + ("during",), f"rule {rid}: period {quote(node['during'])} does not exist")
        for key in ("all", "any", "not"):
            if key in node:
                conditions(p + (key,), node[key], rid)

    texts(("ruleset", "title"), meta.get("title"), "ruleset title")
    for cat in _mapping(_mapping(doc.get("defaults")).get("zone_radius_m")):
        if canonical_category(cat) not in categories:
            add(
                ("defaults", "zone_radius_m", cat),
                f"unknown zone category {quote(cat)} in defaults.zone_radius_m",
            )
    seen: dict[str, int | None] = {}
    for i, rule in enumerate(_sequence(doc.get("rules"))):
        if not isinstance(rule, dict):
            continue
        rid = clip(rule["id"], 100) if isinstance(rule.get("id"), str) else f"#{i + 1}"
        if rid in seen:
            add(("rules", i, "id"), f"duplicate rule id {quote(rid)} (first at line {seen[rid]})")
        else:
            seen[rid] = position(marks, ("rules", i, "id"))[0]
        texts(("rules", i, "title"), rule.get("title"), f"rule {rid}: title")
        if "message" in rule:
            texts(("rules", i, "message"), rule.get("message"), f"rule {rid}: message")
        if isinstance(rule.get("legal_basis"), dict):  # one string serves both languages
            texts(("rules", i, "legal_basis"), rule["legal_basis"], f"rule {rid}: legal_basis")
        for key in ("applies_to", "when"):
            conditions(("rules", i, key), rule.get(key), rid)
        zone = _mapping(rule.get("area")).get("zone")
        if isinstance(zone, str) and canonical_category(zone) not in categories:
            add(("rules", i, "area", "zone"), f"rule {rid}: unknown zone category {quote(zone)} in area")
    unique: dict[Problem, Problem] = {}
    for prob in problems:
        unique.setdefault(prob, prob)
    found = list(unique.values())
    # the loader's first error often repeats a problem found above at the same place: keep one
    located = {(f, ln, c) for f, ln, c, _ in found[:-1]} if loaded is None and found else set()
    if loaded is None and len(found) > 1 and (found[-1][0], found[-1][1], found[-1][2]) in located:
        found = found[:-1]
    found = [(one_line(short_name(f)), ln, c, m) for f, ln, c, m in found]
    return sorted(found, key=lambda p: (p[0], p[1] or 0, p[2] or 0))


def _line(message: str) -> str:
    return clip(one_line(str(message)), 600)


def _mapping(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def _sequence(value: Any) -> list:
    return value if isinstance(value, list) else []
