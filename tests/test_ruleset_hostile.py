"""Hostile and broken rule files, second round: crs, keys, extends, values, templates, error lines."""

from __future__ import annotations

import io
import os
import sys
import textwrap
from pathlib import Path

import pytest
from support import PKP, collection, feature, fwd, point, rules_doc

import atribut_rules as ar
from atribut_rules.cli import main
from atribut_rules.errors import MAX_ERROR_LINE, MAX_QUOTE, RuleSetError, clip, one_line, quote
from atribut_rules.rules import crs
from atribut_rules.rules.ruleset import MAX_MESSAGE_CHARS, MAX_PLACEHOLDERS, crs_problem

HEAD = 'schema: atribut-rules/1\nruleset:\n  id: uji\n  version: "1"\n'
RULES = "rules:\n  - id: R-1\n    when: {near: {zone: tree, within_m: 1}}\n"


def write(tmp_path: Path, text: str, name: str = "uji.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def error_of(source, **kwargs) -> RuleSetError:
    with pytest.raises(RuleSetError) as info:
        ar.load_rules(source, **kwargs)
    return info.value


# -- crs ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "crs",
    [
        "EPSG:32748",
        "epsg:23830",
        "+proj=utm +zone=48 +south +datum=WGS84 +units=m +no_defs",
        "+proj=tmerc +lat_0=-2.13 +lon_0=106.11 +k=1 +x_0=0 +y_0=0 +ellps=WGS84 +units=m +no_defs +type=crs",
        "+proj=tmerc +lon_0=106 +k=0.9996 +towgs84=1,2,3",
    ],
)
def test_metric_projected_crs_is_accepted(crs: str) -> None:
    assert crs_problem(crs) is None
    doc = rules_doc({"id": "R", "when": {"near": {"zone": "tree", "within_m": 1}}})
    assert ar.load_rules({**doc, "crs": crs}).crs == crs


@pytest.mark.parametrize(
    "crs, why",
    [
        ("+init=/etc/passwd:root", "+init names a file"),
        ("+init=epsg:32748", "+init names a file"),
        ("+proj=tmerc +nadgrids=@null", "+nadgrids names a file"),
        ("+proj=tmerc +geoidgrids=egm96_15.gtx", "+geoidgrids names a file"),
        ("+proj=tmerc +lon_0=106 +x_0=/tmp/x", "no paths"),
        ("+proj=pipeline +step +proj=utm +zone=48", "an operation, not a CRS"),
        ("EPSG:4326", "not a projected CRS"),
        ("+proj=longlat +datum=WGS84", "not a projected CRS"),
        ("EPSG:4978", "not a projected CRS"),
        ("EPSG:5972", "not a projected CRS"),  # compound: a plane and heights
        ("+proj=tmerc +lon_0=106 +units=km", "not metres"),
        ("EPSG:2263", "not metres"),  # US survey feet
        ("+proj=tmerc +lon_0=106 +to_meter=1000", "not metres"),
        ("EPSG:999999", "PROJ does not know this CRS"),
        ("+proj=tmerc +lon_0=106.1 +k=1e-9 +units=m", "scale factor is 0"),
        ("+proj=merc +lat_ts=80", "its scale at"),
        ("+proj=tmerc +R=1", "not the Earth's"),
        ('PROJCS["x", GEOGCS["y"]]', "EPSG:NNNN or as a PROJ string"),
        (" EPSG:32748", "EPSG:NNNN or as a PROJ string"),
        ("ESRI:102022", "EPSG:NNNN or as a PROJ string"),
        (5, "written as text"),
    ],
)
def test_crs_that_is_not_metric_and_projected_is_refused(crs: object, why: str) -> None:
    problem = crs_problem(crs)
    assert problem is not None and why in problem, problem


def test_a_crs_that_names_a_file_never_reaches_proj(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import pyproj

    seen: list[str] = []
    real = pyproj.CRS.from_user_input

    def spy(value, *args, **kwargs):
        seen.append(str(value))
        return real(value, *args, **kwargs)

    monkeypatch.setattr(pyproj.CRS, "from_user_input", spy)
    crs.crs_checked.cache_clear()
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)  # PROJ reading it would wait forever
    path = write(tmp_path, HEAD + f'crs: "+init={fifo}:x"\n' + RULES)
    err = error_of(path)
    assert (err.line, err.column, err.field) == (5, 1, "crs")
    assert "+init names a file" in err.message
    assert seen == []


def test_a_bad_crs_in_a_parent_file_is_reported_at_the_parents_line(tmp_path: Path) -> None:
    write(tmp_path, HEAD + "crs: EPSG:4326\n" + RULES, name="induk.yaml")
    child = write(tmp_path, HEAD + '  extends: ["induk.yaml"]\nrules: []\n', name="anak.yaml")
    err = error_of(child)
    assert err.file == str(tmp_path / "induk.yaml") and (err.line, err.column) == (5, 1)


def test_distances_in_a_named_utm_crs_agree_with_the_local_projection() -> None:
    tree = fwd(PKP, 90.0, 50.0)
    zones = {"type": "FeatureCollection", "features": [feature("t", point(*tree), category="tree")]}
    doc = rules_doc({"id": "R", "when": {"near": {"zone": "tree", "within_m": 100}}})
    records = [{"id": "a", "lat": PKP[1], "lon": PKP[0]}]
    runs = []
    for rules in (ar.load_rules(doc), ar.load_rules({**doc, "crs": "EPSG:32748"})):
        z = ar.load_zones(zones, categories=rules.categories)
        runs.append(ar.check(ar.Reports.from_records(records), z, rules))
    d = [r.verdicts[0].findings[0].distance_m for r in runs]
    assert d[0] == pytest.approx(50.0, abs=0.01)
    assert d[1] == pytest.approx(50.0, rel=1e-3)  # UTM's scale near its central meridian


# -- keys ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "mapping",
    [
        "yes: 1\ntrue: 2\n",
        "on: 1\nTrue: 2\n",
        "1: a\n'1': b\n",
        "1: a\n1.0: b\n",
        "1: a\ntrue: b\n",
        "null: a\n~: b\n",
        "0x10: a\n16: b\n",
    ],
)
def test_keys_that_yaml_reads_as_one_are_a_duplicate(tmp_path: Path, mapping: str) -> None:
    path = write(
        tmp_path,
        HEAD + "defaults:\n  accuracy_by:\n    field: f\n    values:\n" + textwrap.indent(mapping, "      "),
    )
    err = error_of(path)
    assert "duplicate key" in err.message and err.line == 10 and err.column == 7


def test_merge_keys_still_override_without_being_a_duplicate(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        HEAD
        + "x-near: &n {zone: tree, within_m: 1}\n"
        + "rules:\n  - id: R-1\n    when: {near: {<<: *n, within_m: 2}}\n",
    )
    err = error_of(path)  # the schema refuses the x-near key, not the merge
    assert "x-near" in err.message


def test_quoted_numbers_are_text_keys_for_accuracy_by(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        HEAD + "defaults:\n  accuracy_by: {field: kanal, values: {'1': 15, '2': 5, Gowaslu: 9}}\n" + RULES,
    )
    assert ar.load_rules(path).accuracy_by == ("kanal", {"1": 15.0, "2": 5.0, "gowaslu": 9.0})


# -- extends ------------------------------------------------------------------------------


def test_extends_through_a_symlink_loop_is_located(tmp_path: Path) -> None:
    os.symlink("b.yaml", tmp_path / "a.yaml")
    os.symlink("a.yaml", tmp_path / "b.yaml")
    path = write(tmp_path, HEAD + '  extends: ["a.yaml"]\n' + RULES)
    err = error_of(path)
    assert (err.line, err.column, err.field) == (5, 13, "ruleset.extends")
    assert "cannot follow that path" in err.message


@pytest.mark.parametrize(
    "ref, why", [("a\\0b.yaml", "NUL"), ("x" * 300 + ".yaml", "cannot follow that path")]
)
def test_extends_to_a_name_the_os_refuses_is_located(tmp_path: Path, ref: str, why: str) -> None:
    path = write(tmp_path, HEAD + f'  extends: ["{ref}"]\n' + RULES)
    err = error_of(path)
    assert (err.line, err.column) == (5, 13) and why in err.message
    assert len(str(err)) <= MAX_ERROR_LINE


def test_extends_to_a_fifo_or_reading_one_does_not_wait(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipa.yaml")
    path = write(tmp_path, HEAD + '  extends: ["pipa.yaml"]\n' + RULES)
    assert "no rule file there" in error_of(path).message
    assert "not a regular file" in error_of(tmp_path / "pipa.yaml").message


def test_a_child_may_override_with_only_the_keys_it_changes_and_leave_out_rules(tmp_path: Path) -> None:
    child = write(
        tmp_path,
        HEAD + '  extends: ["builtin:id-pemilu-2024"]\nrules:\n  - id: APK-POHON\n    severity: warning\n',
    )
    rs = ar.load_rules(child)
    assert rs.rule("APK-POHON").severity is ar.Severity.WARNING
    bare = write(tmp_path, HEAD + '  extends: ["builtin:id-pemilu-2024"]\n', name="bare.yaml")
    assert len(ar.load_rules(bare).rules) == len(ar.load_rules().rules)


@pytest.mark.parametrize(
    "section, line, text",
    [
        ("periods: [1, 2]\n", 6, "periods: [1, 2] is not of type 'object'"),
        ("categories: 5\n", 6, "categories: 5 is not of type 'array'"),
        ("defaults: [1]\n", 6, "defaults: [1] is not of type 'object'"),
        ("exemptions: 5\n", 6, "exemptions: 5 is not of type 'array'"),
        ("rules: 5\n", 6, "rules: 5 is not of type 'array'"),
        ("rules:\n  - id: [a, b]\n    when: {during: x}\n", 7, "rules.0.id: ['a', 'b'] is not of type"),
        ("rules:\n  - id: NEW\n    severity: info\n", 7, "rules.0: a new rule needs 'when'"),
    ],
)
def test_a_malformed_child_is_refused_at_its_own_line_before_the_merge(
    tmp_path: Path, section: str, line: int, text: str
) -> None:
    child = write(tmp_path, HEAD + '  extends: ["builtin:id-pemilu-2024"]\n' + section)
    err = error_of(child)
    assert err.file == str(child) and err.line == line and text in err.message, str(err)


def test_a_merged_error_points_at_the_childs_rule(tmp_path: Path) -> None:
    """A rule the child overrides into something invalid is named at the child's line."""
    child = write(
        tmp_path,
        HEAD
        + '  extends: ["builtin:id-pemilu-2024"]\n'
        + "rules:\n  - id: X-1\n    when: {near: {zone: tree, within_m: 1}}\n"
        + "  - id: APK-POHON\n    when: {during: tidak_ada}\n",
    )
    err = error_of(child)
    assert (err.line, err.rule) == (10, "APK-POHON") and "unknown period" in err.message


# -- values -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "when, text",
    [
        ("{field: observed_at, gt: zzz}", "needs a calendar date"),
        ("{field: observed_at, lte: '2024-13-01'}", "needs a calendar date"),
        ("{field: observed_at, between: ['2024-01-01', 5]}", "needs a calendar date"),
        ("{field: observed_at, gte: 20240101}", "needs a calendar date"),
        ("{near: {zone: tree, within_m: " + "9" * 400 + "}}", "too long (at most 64)"),
        ("{field: width_m, in: [" + "1" * 5000 + "]}", "too long (at most 64)"),
        ("{field: width_m, gt: -0x" + "f" * 60 + "}", "too large a number"),
    ],
)
def test_values_that_crashed_are_located(tmp_path: Path, when: str, text: str) -> None:
    path = write(tmp_path, HEAD + f"rules:\n  - id: R-1\n    when: {when}\n")
    err = error_of(path)
    assert text in err.message and err.line == 7 and len(str(err)) <= MAX_ERROR_LINE


def test_dates_in_observed_at_tests_still_work() -> None:
    doc = rules_doc({"id": "R", "when": {"field": "observed_at", "between": ["2024-01-01", "2024-01-31"]}})
    assert ar.load_rules(doc).rules[0].when.value == ["2024-01-01", "2024-01-31"]


@pytest.mark.parametrize(
    "value, text",
    [
        (10**5000, "too large a number"),
        ("Pohon \ud800", "not valid Unicode text"),
        (float("inf"), "not a finite number"),
    ],
    ids=["huge-int", "surrogate", "infinity"],
)
def test_a_mapping_with_values_no_file_could_hold_is_refused(value: object, text: str) -> None:
    doc = rules_doc({"id": "R", "title": "t", "when": {"field": "width_m", "equals": 1}})
    doc["rules"][0]["when"]["equals" if not isinstance(value, str) else "field"] = value
    err = error_of(doc)
    assert text in err.message and len(str(err)) <= MAX_ERROR_LINE


def test_a_mapping_nested_past_the_stack_is_refused() -> None:
    deep: dict = {"near": {"zone": "tree", "within_m": 1}}
    for _ in range(5000):
        deep = {"not": deep}
    err = error_of(rules_doc({"id": "R", "when": deep}))
    assert "nested" in err.message


@pytest.mark.parametrize("where", ['    title: "a \\ud800"\n', '    message: {id: "x", en: "\\udfff"}\n'])
def test_lone_surrogates_are_refused_at_load(tmp_path: Path, where: str) -> None:
    path = write(
        tmp_path, HEAD + "rules:\n  - id: R-1\n" + where + "    when: {near: {zone: tree, within_m: 1}}\n"
    )
    err = error_of(path)
    assert "not valid Unicode text" in err.message and err.line == 7
    str(err).encode("utf-8")


def test_a_pair_of_escaped_halves_is_one_character(tmp_path: Path) -> None:
    """JSON (which is YAML) writes U+1F600 as two escaped halves; PyYAML would keep them apart."""
    path = write(
        tmp_path,
        HEAD
        + 'rules:\n  - id: R-1\n    title: {id: "\\ud83d\\ude00", en: "\\U0001F600"}\n'
        + "    when: {near: {zone: tree, within_m: 1}}\n",
    )
    title = ar.load_rules(path).rules[0].title
    assert title == {"id": "\U0001f600", "en": "\U0001f600"}
    half = write(tmp_path, HEAD + 'rules:\n  - id: R-1\n    title: "\\ude00\\ud83d"\n', name="half.yaml")
    assert "lone surrogate U+DE00" in error_of(half).message


# -- message templates ------------------------------------------------------------------


def test_placeholders_per_message_are_bounded() -> None:
    ok = rules_doc(
        {"id": "R", "when": {"field": "party", "exists": True}, "message": "{party}" * MAX_PLACEHOLDERS}
    )
    ar.load_rules(ok)
    bad = rules_doc(
        {"id": "R", "when": {"field": "party", "exists": True}, "message": {"id": "x", "en": "{party}" * 250}}
    )
    err = error_of(bad)
    assert f"message (en) has 250 placeholders; at most {MAX_PLACEHOLDERS}" in err.message


def test_a_rendered_message_is_cut_at_the_limit() -> None:
    rules = ar.load_rules(
        rules_doc(
            {
                "id": "R",
                "when": {"field": "party", "exists": True},
                "message": {"id": "{party} " * 10, "en": "short {party}"},
            }
        )
    )
    zones = ar.load_zones(
        collection(feature("t", point(106.2, -2.2), category="tree")), categories=rules.categories
    )
    records = [{"id": "a", "lat": PKP[1], "lon": PKP[0], "party": "P" * 9000}]
    finding = ar.check(ar.Reports.from_records(records), zones, rules).verdicts[0].findings[0]
    assert len(finding.message["id"]) == MAX_MESSAGE_CHARS and finding.message["id"].endswith("\u2026")
    assert len(finding.message["en"]) == MAX_MESSAGE_CHARS


def test_a_check_of_a_long_party_with_many_placeholders_stays_small() -> None:
    """What took 4.5 GB: a message naming a long party many times, for every report."""
    out, err = io.StringIO(), io.StringIO()
    code = main(
        [
            "check",
            "--example",
            "--rules",
            str(Path(__file__).parent / "bad_inputs/rules/template_repeats_party.yaml"), "--lang", "en",
        ],
        out,
        err,
    )
    assert code == 2 and "at most 20" in err.getvalue()


# -- error lines --------------------------------------------------------------------------


def test_quote_cuts_long_values_and_says_how_long() -> None:
    assert quote("abc") == "'abc'"
    long = quote("x" * 5000)
    assert long.startswith("'" + "x" * MAX_QUOTE + "'") and "(5000 characters)" in long
    assert "digits" in quote(10**5000)
    assert len(quote(list(range(10_000)))) < MAX_QUOTE + 40
    assert clip("abcdef", 4) == "abc\u2026"


def test_an_error_line_is_one_short_printable_line() -> None:
    err = RuleSetError(
        "x" * 350_000,
        file="/tmp/" + "d" * 400 + "\nevil.yaml",
        line=3,
        column=4,
        rule="R\ud800",
        hint="h" * 5000,
    )
    text = str(err)
    assert len(text) <= MAX_ERROR_LINE and "\n" not in text
    text.encode("utf-8")
    assert ":3:4: " in text
    assert one_line("a\r\nb\x00\u2028") == "a\\r\\nb\\x00\\u2028"


def test_every_error_of_a_hostile_file_is_short(tmp_path: Path) -> None:
    huge = "y" * 300_000
    path = write(
        tmp_path,
        HEAD + f'rules:\n  - id: R-1\n    "{huge}": 1\n    when: {{near: {{zone: tree, within_m: 1}}}}\n',
    )
    text = str(error_of(path))
    assert len(text) <= MAX_ERROR_LINE, len(text)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file names")
def test_validate_of_a_file_whose_name_holds_a_newline_prints_one_line(tmp_path: Path) -> None:
    path = write(tmp_path, HEAD + "rules: 5\n", name="a\nb.yaml")
    out = io.StringIO()
    assert main(["validate", str(path)], out, io.StringIO()) == 1
    lines = out.getvalue().splitlines()
    assert len(lines) == 2 and lines[0].startswith(one_line(str(path)) + ":5:1: ")
