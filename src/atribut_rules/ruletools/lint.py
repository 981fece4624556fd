"""Meta-lint: is a rule set fit to be used as a legal instrument?

A rule set passes when it states its jurisdiction and effective dates, and every
enabled rule has a legal basis, a title and a message in both Bahasa Indonesia and
English, and at least one test case where it is expected to be violated and one
where it is expected ``ok``. A rule a set inherits unchanged from a parent may be
covered by the parent's own tests; a rule the set adds or overrides must be
covered by the set's tests.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .. import resources
from ..errors import RuleSetError
from ..ruleset import RuleSet, load_rules
from ..yamlsafe import load_yaml
from .cases import TestFile, coverage, load_tests, tests_path_for


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
    data, _ = load_yaml(path.read_text(encoding="utf-8-sig"), file=str(path))
    own = {r["id"] for r in data.get("rules") or [] if isinstance(r, dict) and "id" in r}
    parents = []
    for ref in (data.get("ruleset") or {}).get("extends") or []:
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
