"""One rule checker: ``load_rules``, ``validate`` and ``test`` find every problem of a rule
set, each at its own file, line and column, in a set that ``extends`` others as well."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from atribut_rules.cli import main
from atribut_rules.errors import RuleSetError
from atribut_rules.rules.ruleset import check_rules, load_rules

PROBLEMS = """\
rules:
  - id: K-1
    severity: fatal
    when: {near: {zone: tree, within_m: 1}}
  - id: K-2
    when:
      near: {zone: mall, within_m: 1}
  - id: K-2
    when: {near: {zone: tree, within_m: 2}}
"""
CHILD_HEAD = (
    'schema: atribut-rules/1\nruleset:\n  id: kota\n  version: "1"\n  extends: ["builtin:id-pemilu-2024"]\n'
)
ALONE_HEAD = 'schema: atribut-rules/1\nruleset:\n  id: kota\n  version: "1"\n  jurisdiction: "Kota"\n'
EXPECTED = [  # (line, column, text) with the rules starting on line 6
    (8, 5, "rules.0.severity: 'fatal' is not one of"),
    (11, 5, "unknown zone category 'mall'"),
    (13, 5, "duplicate rule id 'K-2' (first at rule #2)"),
]


def _validate(path: Path) -> list[str]:
    out = io.StringIO()
    assert main(["validate", str(path), "--lang", "en"], out, io.StringIO()) == 1
    lines = out.getvalue().splitlines()
    assert lines[-1] == f"{len(lines) - 1} problems in 1 file(s)"
    return lines[:-1]


def _assert_placed(lines: list[str], path: Path) -> None:
    assert len(lines) == len(EXPECTED), lines
    for line, (row, col, text) in zip(lines, EXPECTED):
        assert line.startswith(f"{path}:{row}:{col}: "), line
        assert text in line


@pytest.mark.parametrize("head", [CHILD_HEAD, ALONE_HEAD], ids=["extends", "alone"])
def test_validate_places_each_problem_at_its_own_line(tmp_path: Path, head: str) -> None:
    path = tmp_path / "kota.yaml"
    path.write_text(head + PROBLEMS, encoding="utf-8")
    _assert_placed(_validate(path), path)


@pytest.mark.parametrize("head", [CHILD_HEAD, ALONE_HEAD], ids=["extends", "alone"])
def test_load_rules_raises_every_problem_the_first_as_its_message(tmp_path: Path, head: str) -> None:
    path = tmp_path / "kota.yaml"
    path.write_text(head + PROBLEMS, encoding="utf-8")
    with pytest.raises(RuleSetError) as caught:
        load_rules(path)
    err = caught.value
    assert [(p.line, p.column) for p in err.problems] == [(row, col) for row, col, _ in EXPECTED]
    assert all(text in p.message for p, (_, _, text) in zip(err.problems, EXPECTED))
    assert err is err.problems[0] and str(path) == err.file
    assert [str(p) for p in check_rules(path)] == [str(p) for p in err.problems]


def test_the_same_problems_give_the_same_lines_with_and_without_extends(tmp_path: Path) -> None:
    child, alone = tmp_path / "child.yaml", tmp_path / "alone.yaml"
    child.write_text(CHILD_HEAD + PROBLEMS, encoding="utf-8")
    alone.write_text(ALONE_HEAD + PROBLEMS, encoding="utf-8")
    assert [line.replace("child.yaml", "x") for line in _validate(child)] == [
        line.replace("alone.yaml", "x") for line in _validate(alone)
    ]


def test_a_parents_problem_is_placed_in_the_parent(tmp_path: Path) -> None:
    parent, child = tmp_path / "provinsi.yaml", tmp_path / "kota.yaml"
    parent.write_text(
        'schema: atribut-rules/1\nruleset:\n  id: prov\n  version: "1"\nrules:\n'
        "  - id: P-1\n    when: {during: tidak_ada}\n",
        encoding="utf-8",
    )
    child.write_text(
        'schema: atribut-rules/1\nruleset:\n  id: kota\n  version: "1"\n  extends: ["provinsi.yaml"]\n'
        "rules:\n  - id: K-1\n    severity: fatal\n    when: {near: {zone: tree, within_m: 1}}\n",
        encoding="utf-8",
    )
    lines = _validate(child)
    assert lines == [
        f"{child}:8:5: rule K-1: rules.0.severity: 'fatal' is not one of ['error', 'warning', 'info']",
        f"{parent}:7:5: rule P-1: unknown period 'tidak_ada'",
    ]
    with pytest.raises(RuleSetError) as caught:
        load_rules(child)
    assert [(p.file, p.line) for p in caught.value.problems] == [(str(child), 8), (str(parent), 7)]


def test_one_problem_keeps_the_message_it_always_had(tmp_path: Path) -> None:
    path = tmp_path / "satu.yaml"
    path.write_text(ALONE_HEAD + "rules:\n  - id: A\n    when: {during: tidak_ada}\n", encoding="utf-8")
    err = io.StringIO()
    assert main(["check", "--example", "--rules", str(path), "--lang", "en"], io.StringIO(), err) == 2
    assert err.getvalue() == (
        f"atribut-rules: error: {path}:8:5: unknown period 'tidak_ada' (rule A); periods defined: none\n"
    )


def test_rule_test_command_reports_the_checker_problem(tmp_path: Path) -> None:
    path = tmp_path / "kota.yaml"
    path.write_text(CHILD_HEAD + PROBLEMS, encoding="utf-8")
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "kota.yaml").write_text(
        "schema: atribut-rules-tests/1\nrules: ../kota.yaml\ncases: []\n", encoding="utf-8"
    )
    err = io.StringIO()
    assert main(["test", str(path)], io.StringIO(), err) == 2
    assert f"{path}:8:5: rules.0.severity" in err.getvalue()


def test_an_error_raised_alone_is_its_own_only_problem(tmp_path: Path) -> None:
    with pytest.raises(RuleSetError) as caught:
        load_rules(tmp_path / "tidak-ada.yaml")
    assert caught.value.problems == (caught.value,)
