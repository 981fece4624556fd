"""Texts people read: missing values as words, clauses of missing values left out, distances
inside a zone said as such, and no internal marker in any output of the bundled example."""

from __future__ import annotations

import json
import re
import types
from pathlib import Path

import pytest
from helpers import examples, run_cli
from hypothesis import given, settings
from hypothesis import strategies as st
from support import PKP, collection, feature, fwd, make_rules, polygon, square
from support import rule as rule_doc
from support import run as check_records

from atribut_rules import i18n, load_rules, resources
from atribut_rules.model import Status
from atribut_rules.results.messages import PLACEHOLDER_NAMES, MessageMaker, message_text
from atribut_rules.rules.ruleset import PLACEHOLDERS
from atribut_rules.write import FORMATS
from atribut_rules.write.html_report import render_html

BUNDLED = [load_rules(f"builtin:{name}") for name in resources.bundled_rulesets()]
MESSAGES = sorted(
    {(rule.message.get(lang) or "", lang) for rs in BUNDLED for rule in rs.rules for lang in i18n.LANGUAGES}
)
NAMES = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


def _untidy(text: str) -> list[str]:
    """What a text people read must not hold."""
    marks = ["()", " ,", " ;", " .", " )", "( ", "  ", "{", "}"]
    found = [m for m in marks if m in text]
    if text != text.strip():
        found.append("space at an end")
    return found


def _value(name: str, lang: str, draw: st.DrawFn) -> str:
    if name == "distance_m":
        return i18n.distance_text(draw(st.floats(-50, 500, allow_nan=False)), lang)
    if name in i18n.NUMBER_PLACEHOLDERS:
        return draw(st.sampled_from(["0", "1,5", "200", "12.25"]))
    return draw(st.sampled_from(["baliho", "Masjid Al-Hidayah", "R-0001", "2024-02-11", "x"]))


@settings(max_examples=examples(300), deadline=None)
@given(data=st.data())
def test_no_bundled_message_shows_an_empty_placeholder(data: st.DataObject) -> None:
    template, lang = data.draw(st.sampled_from(MESSAGES))
    names = sorted(set(NAMES.findall(template)))
    missing = data.draw(st.sets(st.sampled_from(names))) if names else set()
    values = {n: None if n in missing else _value(n, lang, data.draw) for n in names}
    text = i18n.fill(template, values, lang)
    assert text, template
    assert not _untidy(text), (template, values, text)
    if not missing:  # the engine's way for a row with every value gives the same text
        rule = types.SimpleNamespace(id="R", message={lang: template})
        fast, order = MessageMaker().template(rule, lang)
        assert i18n.tidy(fast.format(*(values[n] for n in order))) == text


def test_every_placeholder_has_words_in_both_languages() -> None:
    for name in PLACEHOLDERS:
        for lang in i18n.LANGUAGES:
            words = i18n.missing_text(name, lang)
            assert words and not _untidy(words)
    assert i18n.missing_text("observed_at", "id") == "tanpa tanggal"
    assert i18n.missing_text("zone_name", "en") == "unnamed"


@pytest.mark.parametrize(
    ("template", "values", "lang", "expected"),
    [
        ("{type} terlihat {observed_at}, sebelum masa kampanye", {"type": "baliho"}, "id",
         "baliho terlihat tanpa tanggal, sebelum masa kampanye"),
        ("{type} masih terpasang pada masa tenang ({observed_at})", {"type": "baliho"}, "id",
         "baliho masih terpasang pada masa tenang"),
        ("{type} still up, on {observed_at}; check", {"type": "poster"}, "en", "poster still up; check"),
        ("{type} at {category} ({zone_name}, {zone_id})", {"type": "x", "zone_id": "z1"}, "en",
         "x at zone of unknown category (unnamed, z1)"),
        ("{type} at {zone_name}", {"type": "x"}, "en", "x at unnamed"),
        ("jarak {distance_m} m (batas {threshold_m} m)", {}, "id", "jarak tidak diketahui"),
        ("limit {threshold_m} m, more", {}, "en", "limit unknown, more"),
        ("ukuran 0,4 x 0,6 m, {type}", {}, "id", "ukuran 0,4 x 0,6 m"),
        ("a (b (c {x}) d) e", {}, "en", "a e"),
        ("a (b {y} (c {x}) d) e", {"y": "1"}, "en", "a (b 1 d) e"),
        ("a (b {x} e", {}, "en", "a (b not given e"),
    ],
)  # fmt: skip
def test_missing_values_and_clauses(template: str, values: dict, lang: str, expected: str) -> None:
    names = set(NAMES.findall(template))
    assert i18n.fill(template, {n: values.get(n) for n in names}, lang) == expected


def test_a_negative_distance_reads_inside_the_zone() -> None:
    assert i18n.distance_text(-2.0, "id") == "di dalam zona, 2,00 m dari tepi"
    assert i18n.distance_text(-2.0, "en") == "inside the zone, 2.00 m from its edge"
    assert i18n.distance_text(12.5, "id") == "12,50 m"
    assert i18n.distance_text(-0.0, "en") == "0.00 m"
    # the engine's template for a row with every value: the " m" after {distance_m} is its own
    template = "{type} berjarak {distance_m} m dari {zone_name} (batas {threshold_m} m)"
    rule = types.SimpleNamespace(id="R", message={"id": template, "en": template})
    fast, names = MessageMaker().template(rule, "id")
    values = {
        "type": "baliho",
        "distance_m": i18n.distance_text(-2.0, "id"),
        "zone_name": "Kantor",
        "threshold_m": "200",
    }
    text = fast.format(*(values[n] for n in names))
    assert text == "baliho berjarak di dalam zona, 2,00 m dari tepi dari Kantor (batas 200 m)"
    assert i18n.fill(message_text(rule, "id"), values, "id") == text


def test_the_html_evidence_says_inside_for_a_negative_distance() -> None:
    """A report 2 m inside a government office's grounds: the page's evidence says so, and
    cites the legal basis in the page's language."""
    grounds = feature("gov:1", polygon(square(PKP, 50.0)), "government", "Kantor Wali Kota")
    inside = fwd(PKP, 90.0, 48.0)  # 2 m from the east edge
    rules = make_rules(
        rule_doc(
            "APK-PEMERINTAH",
            {"near": {"zone": "government", "within_m": 200}},
            legal_basis={"id": "PKPU 15/2023 Pasal 71", "en": "PKPU 15/2023 Article 71"},
            title={"id": "j", "en": "t"},
        )
    )
    run = check_records([{"id": "R-1", "lat": inside[1], "lon": inside[0]}], collection(grounds), rules)
    (finding,) = run.verdicts[0].findings
    assert finding.status is Status.VIOLATION and -2.01 < finding.distance_m < -1.99
    idn, en = render_html(run, lang="id"), render_html(run, lang="en")
    assert "Jarak: di dalam zona, 2,00 m dari tepi" in idn and "Pasal 71" in idn and "Article 71" not in idn
    assert "Distance: inside the zone, 2.00 m from its edge" in en and "Article 71" in en


MARKER = re.compile(r"UNCONFIRMED|SYNTHETIC\]|TODO|\[[A-Z][A-Z_ -]{2,}[\]:]")


def _outputs(tmp_path: Path, rules: str, lang: str) -> dict[str, str]:
    """Every format of one check of the example (written in one run, as ``--output`` allows)."""
    texts = {}
    paths = {
        fmt: tmp_path / f"{rules.replace(':', '_')}-{lang}-{fmt}{spec.suffix}"
        for fmt, spec in FORMATS.items()
    }
    outputs = [f"--output={fmt}:{path}" for fmt, path in paths.items()]
    code, _, err = run_cli(
        "check", "--example", "--rules", rules, "--lang", lang, *outputs, "--quiet", "--partial"
    )
    assert code in (0, 1), err
    for fmt, spec in FORMATS.items():
        path = paths[fmt]
        if spec.binary:
            openpyxl = pytest.importorskip("openpyxl")
            book = openpyxl.load_workbook(path, read_only=True)
            texts[fmt] = json.dumps(
                [list(row) for row in book.active.iter_rows(values_only=True)], default=str
            )
        else:
            texts[fmt] = re.sub(r"<script.*?</script>", "", path.read_text(encoding="utf-8"), flags=re.S)
    return texts


@pytest.mark.parametrize("rules", ["builtin:id-pemilu-2024", "builtin:pangkalpinang-2024"])
@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_no_output_of_the_example_holds_an_internal_marker(tmp_path: Path, rules: str, lang: str) -> None:
    for fmt, text in _outputs(tmp_path, rules, lang).items():
        found = sorted(set(MARKER.findall(text)))
        assert not found, f"{fmt} ({lang}) shows {found}"
        assert "()" not in text and " ," not in text, fmt


def test_bundled_legal_bases_are_bilingual_and_plain() -> None:
    for rs in BUNDLED:
        for rule in rs.rules:
            assert set(rule.legal_basis) == {"id", "en"}, rule.id
            for lang, text in rule.legal_basis.items():
                assert text.strip() and not MARKER.search(text), (rs.id, rule.id, lang)
            basis = rule.legal_basis  # cited in each language's own style
            assert (
                basis["id"] != basis["en"] and "Article" not in basis["id"] and "Pasal" not in basis["en"]
            ), rule.id


@settings(max_examples=examples(300), deadline=None)
@given(data=st.data())
def test_a_tidy_template_filled_with_clean_values_needs_no_tidying(data) -> None:
    """What lets the engine skip :func:`i18n.tidy` for most messages: a template that is tidy
    with a letter in every field, filled with clean values, is tidy as it is."""
    rs = data.draw(st.sampled_from(BUNDLED))
    rule = data.draw(st.sampled_from(rs.rules))
    text = data.draw(st.sampled_from(sorted(rule.message.values())))
    parts = PLACEHOLDER_NAMES.split(i18n.message_template(text))
    names = list(dict.fromkeys(parts[1::2]))
    template = "".join(
        p.replace("{", "{{").replace("}", "}}") if k % 2 == 0 else f"{{{names.index(p)}}}"
        for k, p in enumerate(parts)
    )
    values = data.draw(
        st.lists(
            st.text(alphabet=" ,;:.!?()ab\t-", min_size=1, max_size=6),
            min_size=len(names),
            max_size=len(names),
        )
    )
    filled = template.format(*values)
    if i18n.tidy_template(template, len(names)) and all(i18n.clean_value(v) for v in values):
        assert i18n.tidy(filled) == filled


def test_numbers_in_messages_have_the_languages_thousands_marks() -> None:
    from atribut_rules.results.messages import format_number

    assert i18n.distance_text(1234.5, "id") == "1.234,50 m"
    assert i18n.distance_text(1234.5, "en") == "1,234.50 m"
    assert i18n.distance_text(-1234.5, "id") == "di dalam zona, 1.234,50 m dari tepi"
    assert format_number(1234.5, "id") == "1.234,5" and format_number(1234.5, "en") == "1,234.5"
    assert format_number(12.0, "id") == "12" and format_number(0.25, "id") == "0,25"
    # end to end: a report 1.5 km from a zone, under a rule that reaches 2 km
    far = rule_doc("JAUH", {"near": {"zone": "tree", "within_m": 2000}})
    zones = collection(
        feature("t", {"type": "Point", "coordinates": list(fwd(PKP, 0, 1500))}, "tree", "Pohon", radius_m=0)
    )
    run = check_records([{"id": "A", "lon": PKP[0], "lat": PKP[1], "type": "baliho"}], zones, make_rules(far))
    message = run.verdicts[0].findings[0].message
    assert message["id"].startswith("baliho 1.500,0") and message["en"].startswith("baliho 1,500.0")
