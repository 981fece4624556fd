"""The rule-test runner, the meta-lint and the rule explanations (atribut_rules.rules)."""

from __future__ import annotations

import argparse
import io
import textwrap

import pytest
from helpers import run_cli as _cli

from atribut_rules.cli import explain_command
from atribut_rules.errors import RuleSetError
from atribut_rules.rules import cases as rule_cases
from atribut_rules.rules.conditions import compile_condition
from atribut_rules.rules.docs import describe, explain
from atribut_rules.rules.lint import lint
from atribut_rules.rules.ruleset import load_rules

RULES = """\
schema: atribut-rules/1
ruleset:
  id: kota-uji
  version: "1"
  title: {id: "Kota uji", en: "Test city"}
  jurisdiction: "Kota Uji"
  effective: {from: "2024-01-01", to: "2024-12-31"}
rules:
  - id: JAUH-KANTOR
    title: {id: "Jauh dari kantor", en: "Away from offices"}
    legal_basis: "Keputusan uji 1/2024"
    applies_to: {field: type, equals: baliho}
    when: {near: {zone: government, within_m: 50}}
    message: {id: "{type} dekat kantor", en: "{type} near an office"}
"""

TESTS = """\
schema: atribut-rules-tests/1
rules: ../kota.yaml
frame: {origin: [106.11, -2.13]}
defaults: {type: baliho, observed_at: "2024-03-01"}
zones:
  type: FeatureCollection
  features:
    - {type: Feature, id: k, properties: {category: government, name: Kantor}, geometry: {type: Point, coordinates: [0, 0]}, }
cases:
  - name: batas-50m
    reports:
      - {id: tepat, at: [0, 50]}
      - {id: lewat, at: [0, 50.5]}
      - {id: ragu, at: [0, 47], accuracy_m: 5}
    expect:
      tepat: {JAUH-KANTOR: violation}
      lewat: {JAUH-KANTOR: ok}
      ragu: {JAUH-KANTOR: review}
"""


def _write(tmp_path, rules=RULES, tests=TESTS):
    (tmp_path / "tests").mkdir(exist_ok=True)
    (tmp_path / "kota.yaml").write_text(rules, encoding="utf-8")
    (tmp_path / "tests" / "kota.yaml").write_text(tests, encoding="utf-8")
    return str(tmp_path / "kota.yaml")


def test_passing_file_exits_0_with_zero_lint_problems(tmp_path):
    code, out, err = _cli("test", "--lang", "en", _write(tmp_path))
    assert (code, err) == (0, "")
    assert "1 passed, 0 failed, 0 lint problems" in out


def test_wrong_expectation_exits_1_with_a_readable_diff(tmp_path):
    ref = _write(tmp_path, tests=TESTS.replace("lewat: {JAUH-KANTOR: ok}", "lewat: {JAUH-KANTOR: violation}"))
    code, out, _ = _cli("test", "--lang", "en", ref)
    assert code == 1
    assert "FAIL batas-50m" in out
    assert "report lewat, rule JAUH-KANTOR: expected violation, got ok" in out
    assert "0 passed, 1 failed" in out


def test_unlisted_rules_are_expected_ok(tmp_path):
    extra = RULES + textwrap.indent(
        textwrap.dedent("""\
        - id: SEMUA-BALIHO
          title: {id: "Semua", en: "All"}
          legal_basis: "uji"
          when: {field: type, equals: baliho}
          message: {id: "x", en: "x"}
        """),
        "  ",
    )
    code, out, _ = _cli("test", "--lang", "en", _write(tmp_path, rules=extra), "--no-lint")
    assert code == 1
    assert "rule SEMUA-BALIHO: expected ok, got violation" in out
    tests = TESTS.replace("ragu: {JAUH-KANTOR: review}", 'ragu: {JAUH-KANTOR: review, "*": any}')
    tests = tests.replace(
        "tepat: {JAUH-KANTOR: violation}", "tepat: {JAUH-KANTOR: violation, SEMUA-BALIHO: violation}"
    )
    tests = tests.replace("lewat: {JAUH-KANTOR: ok}", 'lewat: {JAUH-KANTOR: ok, "*": any}')
    code, out, _ = _cli("test", "--lang", "en", _write(tmp_path, rules=extra, tests=tests), "--no-lint")
    assert code == 0, out


@pytest.mark.parametrize(
    ("change", "complaint"),
    [
        ('    legal_basis: "Keputusan uji 1/2024"\n', "has no legal_basis"),
        ('message: {id: "{type} dekat kantor", en: "{type} near an office"}', "has no message in en"),
        ('message: {id: "{type} dekat kantor", en: "{type} near an office"}', "message"),
        ('  jurisdiction: "Kota Uji"\n', "jurisdiction is missing"),
    ],
)
def test_meta_lint_fails_a_rule_without_basis_or_messages(tmp_path, change, complaint):
    replacement = 'message: {id: "{type} dekat kantor"}' if change.startswith("message") else ""
    ref = _write(tmp_path, rules=RULES.replace(change, replacement))
    problems = [str(p) for p in lint(ref)]
    assert any(complaint in p for p in problems), problems
    code, out, _ = _cli("test", "--lang", "en", ref)
    assert code == 1 and "LINT" in out


@pytest.mark.parametrize(
    ("basis", "complaint"),
    [
        ('{id: "Keputusan uji 1/2024", en: "Test decision 1/2024"}', None),
        ('{id: "Keputusan uji 1/2024", unconfirmed: "nomor belum pasti"}', "has no legal_basis in en"),
        ('{unconfirmed: "nomor belum pasti"}', "has no legal_basis"),
    ],
)
def test_meta_lint_reads_a_bilingual_legal_basis(tmp_path, basis, complaint):
    rules = RULES.replace('legal_basis: "Keputusan uji 1/2024"', f"legal_basis: {basis}")
    problems = [str(p) for p in lint(_write(tmp_path, rules=rules)) if "legal_basis" in str(p)]
    assert problems == [] if complaint is None else any(complaint in p for p in problems), problems


def test_meta_lint_wants_a_violating_and_a_passing_case(tmp_path):
    tests = TESTS.replace("      tepat: {JAUH-KANTOR: violation}\n", "").replace(
        "      - {id: tepat, at: [0, 50]}\n", ""
    )
    problems = [str(p) for p in lint(_write(tmp_path, tests=tests))]
    assert problems == ["kota-uji: rule JAUH-KANTOR: no test case expects a violation of it"]
    tests = TESTS.replace("      lewat: {JAUH-KANTOR: ok}\n", "")
    problems = [str(p) for p in lint(_write(tmp_path, tests=tests))]
    assert problems == ["kota-uji: rule JAUH-KANTOR: no test case expects it to pass (ok)"]


def test_child_set_must_cover_the_rules_it_overrides(tmp_path):
    ref = _write(tmp_path)
    (tmp_path / "anak.yaml").write_text(
        RULES.replace("id: kota-uji", "id: anak")
        .replace("rules:\n", "rules:\n", 1)
        .replace(
            '  effective: {from: "2024-01-01", to: "2024-12-31"}\n',
            '  effective: {from: "2024-01-01"}\n  extends: [kota.yaml]\n',
        )
        .split("rules:\n")[0]
        + "rules:\n  - id: JAUH-KANTOR\n    when: {near: {zone: government, within_m: 80}}\n",
        encoding="utf-8",
    )
    assert ref
    problems = [str(p) for p in lint(str(tmp_path / "anak.yaml"))]
    assert any("no test case expects a violation" in p for p in problems)
    assert any("no rule tests at" in p for p in problems)


def test_inherited_rules_are_covered_by_the_parent_tests(tmp_path):
    _write(tmp_path)
    child = (
        RULES.split("rules:\n")[0].replace("id: kota-uji", "id: anak") + "  extends: [kota.yaml]\nrules: []\n"
    )
    (tmp_path / "anak.yaml").write_text(child, encoding="utf-8")
    (tmp_path / "tests" / "anak.yaml").write_text(
        TESTS.replace("../kota.yaml", "../anak.yaml"), encoding="utf-8"
    )
    assert lint(str(tmp_path / "anak.yaml")) == []


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("tepat: {JAUH-KANTOR: violation}", "rule 'TIDAK-ADA' is not in the rule set"),
        ("tepat: {JAUH-KANTOR: violation}", "use one of violation, review, unchecked, exempt, ok"),
        ("tepat: {JAUH-KANTOR: violation}", "expect names report 'hantu'"),
    ],
)
def test_bad_test_files_name_the_line(tmp_path, change, message):
    replacement = {
        "rule 'TIDAK-ADA' is not in the rule set": "tepat: {TIDAK-ADA: violation}",
        "use one of violation, review, unchecked, exempt, ok": "tepat: {JAUH-KANTOR: bad}",
        "expect names report 'hantu'": "hantu: {JAUH-KANTOR: ok}",
    }[message]
    _write(tmp_path, tests=TESTS.replace(change, replacement))
    with pytest.raises(RuleSetError) as info:
        rule_cases.load_tests(tmp_path / "tests" / "kota.yaml")
    assert message in str(info.value)
    assert info.value.line is not None and info.value.line > 15


def test_metre_frame_puts_reports_at_ground_distances(tmp_path):
    tests = rule_cases.load_tests(tmp_path / "tests" / "kota.yaml") if _write(tmp_path) else None
    run = rule_cases.check_case(tests, tests.cases[0])
    finding = run.verdicts[0].findings[0]
    assert finding.distance_m == pytest.approx(50.0, abs=0.001)


def test_describe_negates_with_de_morgan():
    rs = load_rules()
    cond = compile_condition(
        {
            "not": {
                "any": [
                    {"all": [{"field": "width_m", "lte": 4}, {"field": "height_m", "lte": 7}]},
                    {"inside": {"zone": "park"}},
                ]
            }
        },
        ("when",),
        8,
    )
    assert describe(cond, "en", rs) == "(width (m) > 4 or height (m) > 7) and is outside every park"
    assert describe(cond, "en", rs, negate=True) == "(width (m) ≤ 4 and height (m) ≤ 7) or is inside a park"
    assert (
        describe(cond, "id", rs, negate=True)
        == "(lebar (m) ≤ 4 dan tinggi (m) ≤ 7) atau berada di dalam taman"
    )


def test_explain_has_the_fixed_sections_in_both_languages():
    en = explain("APK-POHON", "builtin:id-pemilu-2024", "en")
    for section in ("What it checks", "Why (legal basis)", "Example", "Violates", "Passes", "How to comply"):
        assert section in en
    assert "PKPU 15/2023 Article 70(1)(h)" in en  # the legal basis in the page's language
    idn = explain("APK-POHON", None, "id")
    for section in ("Apa yang diperiksa", "Mengapa (dasar hukum)", "Contoh", "Cara mematuhi"):
        assert section in idn
    assert "PKPU 15/2023 Pasal 70 ayat (1) huruf h" in idn


def _explain_cli(*argv):
    parser = argparse.ArgumentParser()
    explain_command.register(parser.add_subparsers(dest="command"))
    out, err = io.StringIO(), io.StringIO()
    code = explain_command.run(parser.parse_args(["explain", *argv]), out, err)
    return code, out.getvalue()


def test_explain_command_prints_the_rule():
    code, out = _explain_cli("APK-UKURAN-BALIHO", "--rules", "builtin:id-pemilu-2019", "--lang", "en")
    assert code == 0
    assert "# APK-UKURAN-BALIHO: Baliho larger than 4 x 7 m" in out
    assert "(width (m) ≤ 4 and height (m) ≤ 7) or (width (m) ≤ 7 and height (m) ≤ 4)" in out


def test_explain_unknown_rule_is_an_error():
    from atribut_rules.errors import AtributRulesError

    with pytest.raises(AtributRulesError, match="no such rule"):
        _explain_cli("TIDAK-ADA")


def test_write_docs_writes_every_page(tmp_path):
    code, out = _explain_cli("--write-docs", str(tmp_path))
    assert code == 0
    names = sorted(p.name for p in tmp_path.iterdir())
    assert "README.md" in names and "id-pemilu-2019.id.md" in names and "pangkalpinang-2024.en.md" in names


WHOLE_LIST_RULES = """\
schema: atribut-rules/1
ruleset:
  id: kota-kuota
  version: "1"
  title: {id: "Kota kuota", en: "Quota city"}
  jurisdiction: "Kota Uji"
  effective: {from: "2024-01-01", to: "2024-12-31"}
duplicates: {within_m: 10, within_days: 3, same: [type, party]}
rules:
  - id: KUOTA
    title: {id: "Kuota", en: "Quota"}
    legal_basis: "Keputusan uji 2/2024"
    applies_to: {field: type, equals: baliho}
    quota: {max: 3, per: [party]}
    message: {id: "{group}: ke-{rank} dari {count}, maks {max}", en: "{group}: number {rank} of {count}, max {max}"}
  - id: JARAK
    title: {id: "Jarak", en: "Spacing"}
    legal_basis: "Keputusan uji 3/2024"
    applies_to: {field: type, equals: spanduk}
    spacing: {min_m: 30, among: [party]}
    message: {id: "{other_report} {distance_m} m", en: "{other_report} {distance_m} m"}
"""

WHOLE_LIST_TESTS = """\
schema: atribut-rules-tests/1
rules: ../kota.yaml
frame: {origin: [106.11, -2.13]}
defaults: {type: baliho, party: A, observed_at: "2024-03-01", accuracy_m: 0}
cases:
  - name: kuota-dan-jarak
    permits:
      - {id: IZIN, rules: [KUOTA], reports: [b-4], valid: {from: "2024-03-01", to: "2024-03-01"}}
    reports:
      - {id: b, at: [0, 0], step: [50, 0], repeat: 4}
      - {id: b-lagi, at: [3, 0], observed_at: "2024-03-02"}
      - {id: s1, type: spanduk, at: [0, 500]}
      - {id: s2, type: spanduk, at: [30, 500]}
      - {id: s3, type: spanduk, at: [0, 529.9], observed_at: "2024-03-02"}
    expect:
      b-3: {KUOTA: ok}
      b-4: {KUOTA: exempt}
      b-lagi: {KUOTA: ok}
      s1: {JARAK: ok}
      s2: {JARAK: ok}
      s3: {JARAK: violation}
  - name: kuota-lebih
    reports:
      - {id: c, at: [0, 0], step: [50, 0], repeat: 4}
    expect:
      c-3: {KUOTA: ok}
      c-4: {KUOTA: violation}
"""


def test_whole_list_rules_need_no_when_and_pass_the_meta_lint(tmp_path):
    ref = _write(tmp_path, rules=WHOLE_LIST_RULES, tests=WHOLE_LIST_TESTS)
    code, out, err = _cli("test", "--lang", "en", ref)
    assert (code, err) == (0, ""), out
    assert "2 passed, 0 failed, 0 lint problems" in out


def test_exempt_is_checked_and_an_expired_permit_does_not_exempt(tmp_path):
    expired = WHOLE_LIST_TESTS.replace('to: "2024-03-01"}', 'to: "2024-02-29"}').replace(
        'from: "2024-03-01"', 'from: "2024-02-01"'
    )
    code, out, _ = _cli("test", "--lang", "en", _write(tmp_path, rules=WHOLE_LIST_RULES, tests=expired), "--no-lint")
    assert code == 1
    assert "report b-4, rule KUOTA: expected exempt, got violation" in out
    assert "not on the observation date 2024-03-01" in out


def test_quota_n_plus_one_and_duplicates_counted_once(tmp_path):
    # Without the permit, the 4th baliho (last by observed_at, then id) is over the quota of 3;
    # b-lagi is b-1 seen again 3 m away a day later, so it is not a 5th attribute.
    tests = WHOLE_LIST_TESTS.replace("b-4: {KUOTA: exempt}", "b-4: {KUOTA: violation}").replace(
        "reports: [b-4]", "reports: [nobody]"
    )
    code, out, _ = _cli("test", "--lang", "en", _write(tmp_path, rules=WHOLE_LIST_RULES, tests=tests), "--no-lint")
    assert code == 0, out
    no_dupes = WHOLE_LIST_RULES.replace(
        "duplicates: {within_m: 10, within_days: 3, same: [type, party]}\n", ""
    )
    code, out, _ = _cli("test", "--lang", "en", _write(tmp_path, rules=no_dupes, tests=tests), "--no-lint")
    assert code == 1
    assert "report b-lagi, rule KUOTA: expected ok, got violation" in out


def test_repeat_expands_with_padded_ids_and_steps(tmp_path):
    _write(tmp_path, rules=WHOLE_LIST_RULES, tests=WHOLE_LIST_TESTS)
    tests = rule_cases.load_tests(tmp_path / "tests" / "kota.yaml")
    ids = [r["id"] for r in tests.cases[0].reports]
    assert ids[:5] == ["b-1", "b-2", "b-3", "b-4", "b-lagi"]
    lons = [r["lon"] for r in tests.cases[0].reports[:4]]
    assert lons == sorted(lons) and len(set(lons)) == 4
    many = WHOLE_LIST_TESTS.replace("repeat: 4}", "repeat: 12}", 1).replace(
        "b-3: {KUOTA: ok}", "b-03: {KUOTA: ok}"
    )
    many = many.replace("b-4", "b-04")
    _write(tmp_path, rules=WHOLE_LIST_RULES, tests=many)
    ids = [r["id"] for r in rule_cases.load_tests(tmp_path / "tests" / "kota.yaml").cases[0].reports]
    assert ids[0] == "b-01" and ids[11] == "b-12"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            "repeat: 4}",
            "repeat: 0}",
        ),
        ("repeat: 4}", "step: [1, 1]}"),
        ("permits:\n", "permits: {}\n"),
        ("rules: [KUOTA], reports", "rules: [KUOTA], bogus: 1, reports"),
        ("{KUOTA: exempt}", "{KUOTA: waived}"),
    ],
)
def test_bad_whole_list_test_files_are_refused_with_a_line(tmp_path, change, message):
    tests = WHOLE_LIST_TESTS.replace(change, message)
    _write(tmp_path, rules=WHOLE_LIST_RULES, tests=tests)
    with pytest.raises(RuleSetError) as info:
        rule_cases.load_tests(tmp_path / "tests" / "kota.yaml")
    assert info.value.line is not None


def test_explain_describes_quota_and_spacing_in_both_languages(tmp_path):
    ref = _write(tmp_path, rules=WHOLE_LIST_RULES, tests=WHOLE_LIST_TESTS)
    en = explain("KUOTA", ref, "en")
    assert "more than 3 attributes per party" in en and "then id" in en
    assert "put up at most 3 attributes per party" in en
    idn = explain("KUOTA", ref, "id")
    assert "lebih dari 3 atribut per partai" in idn
    assert "paling sedikit 30 m" in explain("JARAK", ref, "id")
    assert "less than 30 m from another attribute with the same party" in explain("JARAK", ref, "en")
    assert "→ violation" in explain("JARAK", ref, "en")


def test_bundled_pages_describe_whole_list_rules():
    from atribut_rules.rules.docs import render_page

    page = render_page("id-pilkada-template", "en")
    assert "more than 60 attributes per candidate and kecamatan (zone)" in page
    assert "Duplicate reports" in page
    assert "Laporan ganda" in render_page("pangkalpinang-2024", "id")
    ulang = render_page("pangkalpinang-pilkada-ulang-2025", "en")
    assert "more than 60 attributes per candidate and kecamatan (zone)" in ulang
    assert "more than 40 attributes per candidate and kecamatan (zone)" in ulang


def test_the_test_report_is_in_the_chosen_language(tmp_path):
    """``test`` says its report in --lang (default id): the failing cases, findings, counts."""
    ref = _write(tmp_path, tests=TESTS.replace("tepat: {JAUH-KANTOR: violation}", "tepat: {JAUH-KANTOR: ok}"))
    code, out, _ = _cli("test", ref)
    assert code == 1
    assert "GAGAL batas-50m" in out
    assert "laporan tepat, aturan JAUH-KANTOR: diharapkan ok, hasilnya violation" in out
    assert "baliho dekat kantor" in out  # the finding's own message, in the same language
    assert "0 lolos, 1 gagal, 1 masalah lint" in out
    assert "aturan JAUH-KANTOR: tidak ada kasus uji yang mengharapkan pelanggarannya" in out
    code, out, _ = _cli("test", "--lang", "en", ref)
    assert "report tepat, rule JAUH-KANTOR: expected ok, got violation" in out
    assert "baliho near an office" in out and "0 passed, 1 failed, 1 lint problems" in out


def test_lint_problems_are_in_the_chosen_language(tmp_path):
    ref = _write(tmp_path, rules=RULES.replace('  jurisdiction: "Kota Uji"\n', ""))
    code, out, _ = _cli("test", ref)
    assert code == 1 and "LINT kota-uji: ruleset.jurisdiction tidak ada" in out
    code, out, _ = _cli("test", "--lang", "en", ref)
    assert "LINT kota-uji: ruleset.jurisdiction is missing" in out
