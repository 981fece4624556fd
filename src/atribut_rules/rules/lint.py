"""Meta-lint: is a rule set fit to be used as a legal instrument?

A rule set passes when it states its jurisdiction and effective dates, and every
enabled rule has a legal basis, a title and a message in both Bahasa Indonesia and
English, and at least one test case where it is expected to be violated and one
where it is expected ``ok``. A rule a set inherits unchanged from a parent may be
covered by the parent's own tests; a rule the set adds or overrides must be
covered by the set's tests.

:func:`validate_file` is what ``atribut-rules validate`` runs on each file: every
problem it can find, each at its own line and column, for a file that extends
others too: the rule checker's problems (the same :func:`load_rules` raises) and, for
the titles and messages the file writes, each language missing.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import resources
from ..errors import AtributRulesError, RuleSetError, Text, clip, one_line, short_name
from ..read.yamlsafe import position
from .cases import TestFile, coverage, load_tests, tests_path_for
from .ruleset import RuleSet, check_rules, load_rules, read_document

Problem = tuple[str, int | None, int | None, str]
"""One problem ``validate`` prints: file, line, column (None when unknown) and message."""


@dataclass(frozen=True)
class LintProblem:
    """One reason a rule set fails the meta-lint; ``rule`` is None for the set itself."""

    ruleset: str
    rule: str | None
    message: Text

    def __str__(self) -> str:
        return self.text("en")

    def text(self, lang: str) -> str:
        """The problem as one line in ``lang`` (``id`` or ``en``)."""
        if self.rule:
            where = Text("lint.where_rule", ruleset=self.ruleset, rule=self.rule).render(lang)
        else:
            where = self.ruleset
        return f"{where}: {self.message.render(lang)}"


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
        raise RuleSetError(Text("rules.extends_chain_too_deep"), file=str(path))
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

    def problem(rule: str | None, message: Text) -> None:
        problems.append(LintProblem(rs.id, rule, message))

    if not rs.jurisdiction:
        problem(None, Text("lint.no_jurisdiction"))
    if rs.effective is None or (rs.effective.start is None and rs.effective.end is None):
        problem(None, Text("lint.no_effective"))
    for lang in ("id", "en"):
        if not rs.title.get(lang):
            problem(None, Text("lint.no_set_title", lang=lang))
    tests_file = tests_path_for(ref)
    if not tests_file.is_file():
        problem(None, Text("lint.no_rule_tests", file=str(tests_file)))
    covered = inherited_coverage(path) if path.is_file() else {}
    raw = {r.get("id"): r for r in rs.document.get("rules", []) if isinstance(r, dict)}
    for rule in rs.active_rules:
        doc = raw.get(rule.id, {})
        if not any(text.strip() for text in rule.legal_basis.values()):
            problem(rule.id, Text("lint.no_legal_basis"))
        elif isinstance(doc.get("legal_basis"), dict):  # one string serves both languages
            for lang in ("id", "en"):
                if not rule.legal_basis.get(lang, "").strip():
                    problem(rule.id, Text("lint.no_legal_basis_in", lang=lang))
        for key in ("title", "message"):
            value = doc.get(key)
            for lang in ("id", "en"):
                if not (isinstance(value, dict) and str(value.get(lang) or "").strip()):
                    problem(rule.id, Text("lint.no_text_in", key=key, lang=lang))
        statuses = covered.get(rule.id, set())
        if "violation" not in statuses:
            problem(rule.id, Text("lint.no_violating_case"))
        if "ok" not in statuses:
            problem(rule.id, Text("lint.no_passing_case"))
    return problems


def validate_file(
    path: str | os.PathLike[str], allow_paths: tuple[str, ...] = (), *, lang: str = "en"
) -> list[Problem]:
    """Every problem found in one rule file, as (file, line, column, message), in file order;
    the messages in ``lang``.

    The rule checker (:func:`~.load.check_rules`, the one :func:`load_rules` runs) finds
    every problem of the file and of the files it extends, each at its own line; then the
    titles and messages the file writes are checked for both languages. Messages are one
    line each, and short.
    """
    try:
        doc, marks, name = read_document(path)
    except AtributRulesError as exc:
        return [
            (one_line(short_name(exc.file or str(path))), exc.line, exc.column, _line(exc.message_in(lang)))
        ]
    problems: list[Problem] = []
    for exc in check_rules(path, allow_paths=allow_paths):
        message = exc.message_in(lang)
        if exc.rule and exc.rule not in exc.message:
            message = Text("rules.rule_prefix", rule=exc.rule, message=message).render(lang)
        problems.append((exc.file or name, exc.line, exc.column, _line(message)))

    def texts(p: tuple, value: Any, what: Text) -> None:
        if isinstance(value, str):
            message = Text("rules.one_text", what=what)
        elif isinstance(value, dict):
            missing = [code for code in ("id", "en") if not value.get(code)]
            if not missing:
                return
            message = Text("rules.no_translation", what=what, missing=", ".join(missing))
        else:
            return
        line, col = position(marks, p)
        problems.append((name, line, col, _line(message.render(lang))))

    texts(("ruleset", "title"), _mapping(doc.get("ruleset")).get("title"), Text("rules.ruleset_title"))
    for i, rule in enumerate(_sequence(doc.get("rules"))):
        if not isinstance(rule, dict):
            continue
        rid = clip(rule["id"], 100) if isinstance(rule.get("id"), str) else f"#{i + 1}"
        texts(("rules", i, "title"), rule.get("title"), Text("rules.rule_key", rule=rid, key="title"))
        if "message" in rule:
            texts(
                ("rules", i, "message"), rule.get("message"), Text("rules.rule_key", rule=rid, key="message")
            )
        if isinstance(rule.get("legal_basis"), dict):  # one string serves both languages
            texts(
                ("rules", i, "legal_basis"),
                rule["legal_basis"],
                Text("rules.rule_key", rule=rid, key="legal_basis"),
            )
    unique = dict.fromkeys((one_line(short_name(f)), ln, c, m) for f, ln, c, m in problems)
    return sorted(unique, key=lambda p: (p[0], p[1] or 0, p[2] or 0))


def _line(message: str) -> str:
    return clip(one_line(str(message)), 600)


def _mapping(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def _sequence(value: Any) -> list:
    return value if isinstance(value, list) else []
