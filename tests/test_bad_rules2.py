"""The second round of bad rule files (tests/bad_inputs/rules/, area rules2) beyond their exit codes.

tests/test_bad_inputs.py runs each file through ``check`` and compares the outcome with
expected-rules2.yaml. Here: every error line stays short, ``validate`` ends with located
problems (never a crash) on the same files, and ``validate`` on a city set that extends
the national one reports each problem at its own line in the city's file.
"""

from __future__ import annotations

import importlib.util
import io
import textwrap
from pathlib import Path

import pytest
import yaml

from atribut_rules.cli import main
from atribut_rules.errors import MAX_ERROR_LINE

CORPUS = Path(__file__).parent / "bad_inputs"
EXPECTED = yaml.safe_load((CORPUS / "expected-rules2.yaml").read_text(encoding="utf-8"))
PREFIX = "atribut-rules: error: "


def _corpus_module():
    spec = importlib.util.spec_from_file_location("make_corpus_rules2", CORPUS / "make_corpus_rules2.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_case_of_the_module_is_expected() -> None:
    module = _corpus_module()
    names = {f"rules/{n}" for n in [*module.rule_files(), *module.SYMLINKS]}
    assert names == set(EXPECTED)


ERRORS = sorted(k for k, v in EXPECTED.items() if "error" in v and not v.get("isolate"))


@pytest.mark.parametrize("key", ERRORS)
def test_the_error_line_is_short(key: str) -> None:
    err = io.StringIO()
    path = str(CORPUS / key)
    assert main(["check", "--example", "--rules", path, "--format", "json", "--lang", "en"], io.StringIO(), err) == 2
    line = err.getvalue()
    assert line.startswith(PREFIX) and line.count("\n") == 1
    assert len(line) - len(PREFIX) - 1 <= MAX_ERROR_LINE
    line.encode("utf-8")  # printable on any UTF-8 terminal: no lone surrogate


def test_an_error_about_a_350000_character_value_quotes_200() -> None:
    err = io.StringIO()
    path = str(CORPUS / "rules" / "long_value_in_error.yaml")
    main(["check", "--example", "--rules", path], io.StringIO(), err)
    assert len(err.getvalue()) < 600
    assert "Pasal 1 " * 25 in err.getvalue() and "(360000 characters)" in err.getvalue()


@pytest.mark.parametrize("key", sorted(k for k, v in EXPECTED.items() if "error" in v))
def test_validate_locates_the_problem(key: str) -> None:
    out, err = io.StringIO(), io.StringIO()
    code = main(["validate", str(CORPUS / key), "--lang", "en"], out, err)
    assert code == 1, (out.getvalue(), err.getvalue())
    assert err.getvalue() == ""
    lines = out.getvalue().splitlines()
    name = key.split("/")[-1]
    assert lines[-1].endswith("in 1 file(s)")
    for line in lines[:-1]:
        assert name in line and "internal error" not in line
        assert len(line) <= MAX_ERROR_LINE + 300
    # the place check reports is among those validate reports
    location = EXPECTED[key]["error"]["contains"][0]
    assert any(location in line for line in lines[:-1]), (location, lines)


CITY = """\
schema: atribut-rules/1
ruleset:
  id: kota
  version: "1"
  title: {id: "Kota", en: "City"}
  extends: ["builtin:id-pemilu-2024"]
periods: [1, 2]
rules:
  - id: APK-POHON
    severity: warning
  - id: K-1
    title: {id: "a", en: "b"}
  - id: K-2
    title: {id: "a", en: "b"}
    severity: fatal
    when: {near: {zone: tree, within_m: 1}}
  - id: K-3
    title: {id: "a", en: "b"}
    wehn: {near: {zone: tree, within_m: 1}}
    when: {near: {zone: tree, within_m: -1}}
"""


def test_validate_on_a_city_set_reports_every_problem_at_its_own_line(tmp_path: Path) -> None:
    path = tmp_path / "kota.yaml"
    path.write_text(CITY, encoding="utf-8")
    out = io.StringIO()
    assert main(["validate", str(path), "--lang", "en"], out, io.StringIO()) == 1
    lines = out.getvalue().splitlines()
    got = [(int(line.split(":")[1]), line) for line in lines[:-1]]
    expected = [
        (7, "periods: [1, 2] is not of type 'object'"),
        (11, "rules.1: a new rule needs 'when'"),
        (15, "rules.2.severity: 'fatal' is not one of"),
        (19, "rules.3: Additional properties are not allowed ('wehn' was unexpected)"),
        (20, "rules.3.when.near.within_m: -1 is less than the minimum of 0"),
    ]
    assert [n for n, _ in got] == [n for n, _ in expected], lines
    for (_, line), (_, text) in zip(got, expected):
        assert line.startswith(f"{path}:") and text in line
    assert not any("rules.13" in line for line in lines)  # never the merged index
    assert lines[-1].startswith("5 problems")


def test_validate_accepts_a_city_set_that_overrides_with_only_the_keys_it_changes(tmp_path: Path) -> None:
    path = tmp_path / "kota.yaml"
    path.write_text(
        textwrap.dedent(
            """\
            schema: atribut-rules/1
            ruleset:
              id: kota
              version: "1"
              title: {id: "Kota", en: "City"}
              extends: ["builtin:id-pemilu-2024"]
            rules:
              - id: APK-POHON
                severity: warning
            """
        ),
        encoding="utf-8",
    )
    out = io.StringIO()
    assert main(["validate", str(path)], out, io.StringIO()) == 0, out.getvalue()
