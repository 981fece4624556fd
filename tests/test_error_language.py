"""Errors, warnings and stderr lines in the chosen language, from one catalogue.

Every error atribut-rules raises on purpose carries a catalogue code (``errors.Text``);
``str(error)`` is the English line, ``error.text(lang)`` the same line in ``id`` or ``en``.
The command line writes its stderr in ``--lang`` (default ``id``).
"""

from __future__ import annotations

import ast
import shutil
import string
from pathlib import Path

import pytest
from helpers import EXAMPLE, EXAMPLE_REPORTS, REPO, run_cli, zone_args

from atribut_rules import i18n
from atribut_rules.errors import MAX_ERROR_LINE, InputError, RuleSetError, Text
from atribut_rules.i18n_errors import ERROR_TEXTS

SRC = REPO / "src" / "atribut_rules"
CORPUS = Path(__file__).resolve().parent / "bad_inputs"
GOLDEN = Path(__file__).resolve().parent / "golden" / "errors"

FAMILY = {"AtributRulesError", "InputError", "ZoneError", "RuleSetError", "MissingExtraError", "OutputError",
          "MappingError", "ConditionError"}  # fmt: skip
"""The error classes whose message is a catalogue text (ConditionError becomes a RuleSetError)."""

MESSAGE_HELPERS = {"located": 3, "add": 1, "_err": 0, "_error_at": 1, "error": 0}
"""Helpers that make a family error from a message, and the position of the message."""


def _fields(template: str) -> set[tuple[str, str, str]]:
    return {
        (name, conv or "", spec or "") for _, name, spec, conv in string.Formatter().parse(template) if name
    }


@pytest.mark.parametrize("code", sorted(ERROR_TEXTS))
def test_every_error_code_exists_in_both_languages_with_the_same_parameters(code: str) -> None:
    entry = ERROR_TEXTS[code]
    assert set(entry) == set(i18n.LANGUAGES), code
    assert all(entry[lang].strip() or code.startswith("error.") for lang in i18n.LANGUAGES)
    assert _fields(entry["id"]) == _fields(entry["en"]), code
    params = {name: 7 for name, _, _ in _fields(entry["en"])}  # a number fits every format spec
    rendered = {lang: Text(code, **params).render(lang) for lang in i18n.LANGUAGES}
    assert rendered["en"] == str(Text(code, **params))
    assert isinstance(rendered["id"], str)


def test_the_catalogue_is_one_mechanism() -> None:
    assert all(i18n.CATALOGUE[code] is ERROR_TEXTS[code] for code in ERROR_TEXTS)
    assert i18n.render("csv.broken_quote")["id"] == ERROR_TEXTS["csv.broken_quote"]["id"]


def _source_files() -> list[Path]:
    return sorted(p for p in SRC.rglob("*.py") if p.name != "i18n_errors.py")


def _english_only(node: ast.expr) -> bool:
    """Whether ``node`` makes an English text on the spot instead of a catalogue text."""
    if isinstance(node, (ast.JoinedStr, ast.BinOp)):
        return True
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        return node.func.attr in {"format", "join", "replace"}
    return False


def _text_codes(tree: ast.AST) -> list[tuple[int, str]]:
    return [
        (node.lineno, node.args[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "Text"
        and node.args
        and isinstance(node.args[0], ast.Constant)
    ]


def test_every_raised_error_uses_a_catalogue_code() -> None:
    """An error cannot be added in English only: every message and hint given to an error
    class (or a helper that makes one) is a ``Text``, or a value passed on from one."""
    found = []
    calls = 0
    for path in _source_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = (
                func.id
                if isinstance(func, ast.Name)
                else func.attr
                if isinstance(func, ast.Attribute)
                else ""
            )
            if name in FAMILY:
                index = 0
            elif name in MESSAGE_HELPERS and path.parts[-2] in ("rules", "read", "conditions"):
                index = MESSAGE_HELPERS[name]
            else:
                continue
            parts = [node.args[index]] if len(node.args) > index else []
            parts += [kw.value for kw in node.keywords if kw.arg == "hint"]
            if name in FAMILY:
                calls += 1
            for part in parts:
                if _english_only(part):
                    found.append(f"{path.relative_to(REPO)}:{node.lineno}: {ast.unparse(part)[:80]}")
    assert calls > 150  # the scan sees the raise sites
    assert not found, "\n".join(found)


def test_every_code_the_source_names_is_in_the_catalogue() -> None:
    missing = []
    named = 0
    for path in _source_files():
        for line, code in _text_codes(ast.parse(path.read_text(encoding="utf-8"))):
            named += 1
            if code not in i18n.CATALOGUE:
                missing.append(f"{path.relative_to(REPO)}:{line}: {code}")
    assert named > 250
    assert not missing, "\n".join(missing)


def test_str_is_the_english_line_and_text_the_line_in_a_language() -> None:
    error = InputError(
        Text("reports.unreadable", strerror="No such file or directory"),
        file="laporan.csv",
        line=3,
        field="lat",
        rule="R-1",
        hint=Text("csv.check_quotes_line_hint"),
    )
    english = "laporan.csv:3: cannot read reports file: No such file or directory (rule R-1) (field 'lat'); "
    assert str(error) == english + "check the quotes in this line"
    assert error.text("en") == str(error)
    assert error.text("id") == (
        "laporan.csv:3: berkas laporan tidak dapat dibaca: No such file or directory (aturan R-1) "
        "(kolom 'lat'); periksa tanda kutip di baris ini"
    )
    assert error.code == "reports.unreadable"
    assert error.message == "cannot read reports file: No such file or directory"
    assert error.hint == "check the quotes in this line"


def test_a_language_keeps_the_caps_and_the_escaping() -> None:
    error = RuleSetError(Text("yaml.not_valid_yaml", value="a\nb\x1b" + "x" * 5000), file="r.yaml", line=1)
    for lang in i18n.LANGUAGES:
        line = error.text(lang)
        assert "\n" not in line and "\x1b" not in line and "\\n" in line
        assert len(line) <= MAX_ERROR_LINE
    assert error.text("id").startswith("r.yaml:1: bukan YAML yang sah: a\\nb")


def test_a_text_without_a_catalogue_code_stays_as_given() -> None:
    error = InputError("plain words", file="x")
    assert error.code is None and error.text("id") == str(error) == "x: plain words"


# -- the command line ---------------------------------------------------------------------


def _case(name: str, tmp: Path) -> list[str]:
    if name == "reports-missing":
        return ["check", str(tmp / "tidak_ada.csv"), *zone_args()]
    if name == "csv-broken-quote":
        return ["check", str(CORPUS / "reports" / "broken_quote_unclosed.csv"), *zone_args()]
    if name == "zones-unknown-category":
        return ["check", str(EXAMPLE_REPORTS), "--zones", str(CORPUS / "zones" / "unknown_category.geojson")]
    if name == "rules-schema":
        return ["check", "--example", "--rules", str(CORPUS / "rules" / "unknown_key.yaml")]
    if name == "output-is-input":
        reports = tmp / "laporan.csv"
        shutil.copyfile(EXAMPLE_REPORTS, reports)
        return ["check", str(reports), *zone_args(), "--output", f"csv:{reports}"]
    raise AssertionError(name)


CASES = ("reports-missing", "csv-broken-quote", "zones-unknown-category", "rules-schema", "output-is-input")


@pytest.mark.parametrize("lang", [None, "id", "en"])
@pytest.mark.parametrize("name", CASES)
def test_cli_errors_in_the_chosen_language_match_the_golden_lines(
    name: str, lang: str | None, tmp_path: Path, update_golden: bool
) -> None:
    argv = _case(name, tmp_path) + ([] if lang is None else ["--lang", lang])
    code, out, err = run_cli(*argv)
    assert code == 2 and out == ""
    shown = err.replace(str(tmp_path), "{TMP}").replace(str(CORPUS), "{CORPUS}").replace(str(REPO), "{REPO}")
    golden = GOLDEN / f"{name}-{lang or 'id'}.txt"
    if update_golden:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(shown, encoding="utf-8")
    assert shown == golden.read_text(encoding="utf-8")  # no --lang is id


def test_the_english_line_is_str_of_the_error() -> None:
    """``--lang en`` on stderr is exactly ``str(error)``: the library's words."""
    from atribut_rules import load_rules

    with pytest.raises(RuleSetError) as caught:
        load_rules(CORPUS / "rules" / "unknown_key.yaml")
    code, _, err = run_cli(
        "check", "--example", "--rules", str(CORPUS / "rules" / "unknown_key.yaml"), "--lang", "en"
    )
    assert err == f"atribut-rules: error: {caught.value}\n"
    _, _, err_id = run_cli("check", "--example", "--rules", str(CORPUS / "rules" / "unknown_key.yaml"))
    assert err_id == f"atribut-rules: kesalahan: {caught.value.text('id')}\n"


def test_a_partial_run_warns_in_the_chosen_language() -> None:
    argv = ["check", str(EXAMPLE_REPORTS), "--zones", str(EXAMPLE / "trees.geojson"), "--partial"]
    _, _, err_id = run_cli(*argv, "--format", "json")
    _, _, err_en = run_cli(*argv, "--format", "json", "--lang", "en")
    assert err_id.startswith("atribut-rules: peringatan: pemeriksaan sebagian: tidak ada lapisan zona")
    assert err_en.startswith("atribut-rules: warning: partial run: no zone layer of category")
    assert err_id.count("\n") == err_en.count("\n") > 0


def test_usage_errors_before_lang_is_read_are_english(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, _ = run_cli("check", "--no-such-option", "--lang", "id")
    assert code == 2 and "error: unrecognized arguments" in capsys.readouterr().err  # argparse's own words


def test_an_error_keeps_its_language_through_a_worker_process() -> None:
    """Chunks are checked in worker processes: an error pickled back still renders in id."""
    import pickle

    error = InputError(
        Text("csv.broken_csv", exc=ValueError("x")),
        file="a.csv",
        line=2,
        hint=Text("csv.check_quotes_line_hint"),
    )
    back = pickle.loads(pickle.dumps(error))
    assert str(back) == str(error) and back.text("id") == error.text("id") and back.code == "csv.broken_csv"


def test_an_unreadable_worksheet_cell_says_why_in_both_languages() -> None:
    from pathlib import Path

    from atribut_rules.read import read_reports

    table = read_reports(
        Path(__file__).parent / "bad_inputs" / "reports" / "rd_xlsx_bad_boolean_and_dates.xlsx"
    )
    messages = [p.message for problems in table.problems.values() for p in problems if p.code == "bad_cell"]
    assert messages
    for message in messages:
        assert message["en"].startswith("cell ") and "cannot be read" in message["en"]
        assert message["id"].startswith("sel ") and "tidak terbaca" in message["id"]
        # the reason itself is in the message's own language
        assert not any(w in message["id"] for w in ("is not a", "does not exist"))
