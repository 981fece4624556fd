"""The bundled rule sets: every shipped rule test case is one pytest item, and each set passes the meta-lint."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from atribut_rules import resources
from atribut_rules.rules import cases as rule_cases
from atribut_rules.rules.docs import docs_pages
from atribut_rules.rules.lint import lint
from atribut_rules.rules.ruleset import load_rules

BUNDLED = resources.bundled_rulesets()


def _cases():
    for name in BUNDLED:
        tests = rule_cases.load_tests(rule_cases.tests_path_for(f"builtin:{name}"), rules=f"builtin:{name}")
        for case in tests.cases:
            yield pytest.param(tests, case, id=f"{name}::{case.name}")


@pytest.mark.parametrize(("tests", "case"), list(_cases()))
def test_rule_case(tests, case):
    result = rule_cases.run_case(tests, case)
    assert result.passed, "\n" + result.describe()


def test_the_six_sets_are_bundled():
    assert {
        "bangka-barat-2024",
        "id-pemilu-2019",
        "id-pemilu-2024",
        "id-pilkada-template",
        "pangkalpinang-2024",
        "pangkalpinang-pilkada-ulang-2025",
    } <= set(BUNDLED)


@pytest.mark.parametrize("name", BUNDLED)
def test_bundled_set_passes_meta_lint(name):
    problems = lint(f"builtin:{name}")
    assert not problems, "\n".join(map(str, problems))


@pytest.mark.parametrize("name", BUNDLED)
def test_every_case_file_has_boundaries(name):
    """Each set's tests include a review (GPS straddling a threshold or a missing date) and period edges."""
    tests = rule_cases.load_tests(rule_cases.tests_path_for(f"builtin:{name}"))
    statuses = {s for c in tests.cases for per in c.expect.values() for s in per.values()}
    assert {"violation", "ok", "review"} <= statuses


def test_docs_pages_are_up_to_date():
    folder = Path(__file__).resolve().parents[1] / "docs" / "rulesets"
    stale = []
    for file_name, text in docs_pages().items():
        path = folder / file_name
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            stale.append(file_name)
    assert not stale, (
        f"docs/rulesets/ is out of date ({', '.join(stale)}); "
        "run: atribut-rules explain --write-docs docs/rulesets"
    )


def _unconfirmed(rs, rule_id: str) -> dict:
    raw = next(r for r in rs.document["rules"] if r["id"] == rule_id)
    return raw["legal_basis"]["unconfirmed"]


def test_unconfirmed_facts_are_on_the_docs_pages_and_synthetic_ones_say_so():
    """What is not confirmed about a legal basis is in legal_basis.unconfirmed, shown on the
    docs pages only; a verdict's legal basis is the citation alone, in both languages."""
    from atribut_rules.rules.docs import render_page

    rs = rule_cases.load_tests(rule_cases.tests_path_for("builtin:id-pemilu-2019")).ruleset
    basis = rs.rule("APK-MASA-TENANG").legal_basis
    assert set(basis) == {"id", "en"} and "Pasal 298 ayat (4)" in basis["id"]
    note = _unconfirmed(rs, "APK-MASA-TENANG")
    for lang in ("id", "en"):
        assert note[lang] in render_page("id-pemilu-2019", lang)
    local = rule_cases.load_tests(rule_cases.tests_path_for("builtin:pangkalpinang-2024")).ruleset
    for rule_id in ("APK-IBADAH", "APK-KESEHATAN", "APK-PENDIDIKAN", "APK-PEMERINTAH", "APK-JALAN-PROTOKOL"):
        basis = local.rule(rule_id).legal_basis
        assert "2018" in basis["id"] and "2018" in basis["en"]
        note = _unconfirmed(local, rule_id)
        assert "2018" in note["en"] and "2024" in note["en"]
        for lang in ("id", "en"):
            assert note[lang] in render_page("pangkalpinang-2024", lang)


def test_pangkalpinang_overrides_only_changed_keys():
    local = rule_cases.load_tests(rule_cases.tests_path_for("builtin:pangkalpinang-2024")).ruleset
    national = rule_cases.load_tests(rule_cases.tests_path_for("builtin:id-pemilu-2024")).ruleset
    assert local.rule("APK-PEMERINTAH").applies_to == national.rule("APK-PEMERINTAH").applies_to
    assert local.rule("APK-PEMERINTAH").when != national.rule("APK-PEMERINTAH").when
    assert local.extends == ("builtin:id-pemilu-2024",)


def test_whole_list_rules_in_the_bundled_sets_are_marked():
    pilkada = load_rules("builtin:id-pilkada-template")
    quotas = {r.id: r.quota for r in pilkada.active_rules if r.quota is not None}
    assert set(quotas) == {
        "APK-KUOTA-BALIHO",
        "APK-KUOTA-BILLBOARD",
        "APK-KUOTA-UMBUL-UMBUL",
        "APK-KUOTA-SPANDUK",
    }
    assert quotas["APK-KUOTA-UMBUL-UMBUL"].per == ("candidate", ("zone", "kecamatan"))
    assert quotas["APK-KUOTA-SPANDUK"].per == ("candidate", ("zone", "admin_area"))
    for rule_id in quotas:
        assert _unconfirmed(pilkada, rule_id)["en"]
    pemilu_2019 = load_rules("builtin:id-pemilu-2019")
    assert _unconfirmed(pemilu_2019, "APK-KUOTA-TAMBAHAN")["id"]
    local = load_rules("builtin:pangkalpinang-2024")
    assert local.accuracy_by == ("sumber", {"gowaslu": 15.0, "patroli": 5.0})
    ulang = load_rules("builtin:pangkalpinang-pilkada-ulang-2025")
    quotas = {r.id: r.quota for r in ulang.active_rules if r.quota is not None}
    assert {rid: q.max for rid, q in quotas.items()} == {
        "APK-KUOTA-BALIHO": 15,
        "APK-KUOTA-CETAK-PASLON-BALIHO": 10,
        "APK-KUOTA-BILLBOARD": 15,
        "APK-KUOTA-CETAK-PASLON-BILLBOARD": 10,
        "APK-KUOTA-UMBUL-UMBUL": 60,
        "APK-KUOTA-CETAK-PASLON-UMBUL-UMBUL": 40,
        "APK-KUOTA-SPANDUK": 6,
        "APK-KUOTA-CETAK-PASLON-SPANDUK": 4,
    }
    assert quotas["APK-KUOTA-UMBUL-UMBUL"].per == ("candidate", ("zone", "kecamatan"))
    assert quotas["APK-KUOTA-SPANDUK"].per == ("candidate", ("zone", "admin_area"))


def test_pangkalpinang_keeps_its_duplicates_through_extends_and_has_no_synthetic_rules():
    local = load_rules("builtin:pangkalpinang-2024")
    assert local.duplicates is not None and local.duplicates.within_m == 10
    assert not local.exemptions
    ids = {r.id for r in local.active_rules}
    assert not {"APK-LOKASI-DITETAPKAN", "APK-JARAK-BALIHO"} & ids


@pytest.mark.parametrize("name", BUNDLED)
def test_every_bundled_set_runs_on_the_example_with_nothing_unchecked(name, capsys):
    """check --example --rules builtin:NAME, without --partial: the example has a layer for
    every zone category and a column for every field an enabled rule needs."""
    from atribut_rules.cli import main

    out, err = io.StringIO(), io.StringIO()
    code = main(["check", "--example", "--rules", f"builtin:{name}", "--format", "json"], out, err)
    assert code in (0, 1), err.getvalue()
    assert err.getvalue() == ""
    summary = json.loads(out.getvalue())["summary"]
    assert summary["by_status"]["unchecked"] == 0
    assert all(v["status"] != "unchecked" for v in json.loads(out.getvalue())["verdicts"])
