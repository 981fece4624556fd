"""``matches`` patterns run on RE2 with Python's meaning, in time linear in the text.

Patterns are written in Python's syntax within the safe subset; conditions.to_re2 writes
Python's parse out in RE2's syntax. These tests hold the two engines to the same answers
(``\\w``, ``\\d``, ``\\s`` on all of Unicode, ``(?i)``, anchors) and show that the patterns
which backtracked for minutes in Python's engine now finish at once on long texts.
"""

from __future__ import annotations

import pickle
import random
import re
import subprocess
import sys
import textwrap

import pytest
from support import PKP, collection, feature, point, rules_doc

import atribut_rules as ar
from atribut_rules.rules.conditions import ConditionError, Pattern, to_re2

SLOW_IN_PYTHON = [r"^(?:a?){30}a{30}$", r".*.*.*.*.*=$", r"^\w+\s*\w+\s*\w+$"]

PATTERNS = [
    r"^[A-Z]{2,3}-\d+$",
    r"(?i)partai\s+[a-h]",
    r"^(baliho|spanduk)$",
    r"^(ab)?c+$",
    r"\w+",
    r"^\w+$",
    r"^\W+$",
    r"[^\W\d]+",
    r"^[\w.-]+$",
    r"^\d+$",
    r"\D",
    r"^\s*$",
    r"\S",
    r"[\s\S]x",
    r"a.c",
    r"(?s)a.c",
    r"a$",
    r"^b",
    r"(?m)^b$",
    r"\Aab\Z",
    r"(?i)ÉTÉ",
    r"(?i)straße",
    r"(?i:k)x",
    r"(?a)^\w+$",
    r"(?a)\bab\b",
    r"[^a-z]",
    r"[\]\-\\^]",
    r"x{2,3}?y",
    r"(?x) a b  # spaced",
    r"",
    r"\u00e9|\U0001F600",
    r"[\u0600-\u06ff]+",
]

TEXTS = [
    "",
    "AB-12",
    "ABC-١٢٣",
    "PARTAI  b",
    "Partai\u00a0C",
    "baliho",
    "abccc",
    "c",
    "été",
    "ÉTÉ",
    "STRASSE",
    "straße",
    "Kx",
    "\u212ax",
    "a\nc",
    "abc",
    "xa\n",
    "a\nb\n",
    "b\n",
    "ab",
    "ab\n",
    "x y_z",
    "٣٤٥",
    "\u3000\u2028 ",
    "\t\x0b\x1c",
    "naïve café",
    "漢字かな",
    "x" * 50 + "yyy",
    "]-\\^",
    "😀 e\u0301",
    "مرحبا",
]


@pytest.mark.parametrize("pattern", PATTERNS)
def test_re2_answers_as_python_does(pattern: str) -> None:
    compiled = re.compile(pattern)
    p = Pattern(pattern)
    for text in TEXTS:
        assert p.search(text) == bool(compiled.search(text)), (pattern, text, p.re2_pattern[:200])


@pytest.mark.parametrize(
    "category", [r"\w", r"\W", r"\d", r"\D", r"\s", r"\S", r"(?a)\w", r"(?a)\s", r"(?i)[a-z]"]
)
def test_character_classes_match_pythons_on_unicode(category: str) -> None:
    """Every ASCII and Latin-1 character, and a seeded sample of the rest of Unicode."""
    import unicodedata

    codes = list(range(0x250)) + random.Random(7).sample(range(0x250, 0x110000), 4000)
    compiled = re.compile(category)
    p = Pattern(category)
    for code in codes:
        ch = chr(code)
        if 0xD800 <= code <= 0xDFFF or unicodedata.category(ch) == "Cn":
            continue  # no text holds them (surrogates), or Unicode versions may differ (unassigned)
        assert p.search(ch) == bool(compiled.search(ch)), (category, hex(code))


def test_the_pattern_keeps_what_the_author_wrote() -> None:
    p = Pattern(r"(?i)partai\s+[a-h]")
    assert p.pattern == r"(?i)partai\s+[a-h]"
    assert p.re2_pattern != p.pattern
    assert p == Pattern(r"(?i)partai\s+[a-h]") and hash(p) == hash(Pattern(r"(?i)partai\s+[a-h]"))
    copy = pickle.loads(pickle.dumps(p))  # rule sets travel to worker processes
    assert copy == p and copy.search("PARTAI B")


def test_text_with_a_lone_surrogate_is_searched_without_an_error() -> None:
    assert Pattern("a").search("\ud800a") is True
    assert Pattern("^b$").search("\ud800") is False


@pytest.mark.parametrize(
    "pattern, reason",
    [
        (r"\bPartai\b", "word boundaries"),
        (r"x\B", "word boundaries"),
        (r"a*+b", "possessive"),
        (r"(?>ab)c", "atomic groups"),
        (r"a{1001}", "cannot run on RE2"),
        (r"(a+)+$", "repeat inside a repeat"),
        (r"(?=a)a", "look-arounds"),
    ],
)
def test_what_re2_cannot_mean_the_same_is_refused(pattern: str, reason: str) -> None:
    if "(?>" in pattern and sys.version_info < (3, 11):
        pytest.skip("atomic groups are Python 3.11 syntax")
    if "*+" in pattern and sys.version_info < (3, 11):
        pytest.skip("possessive repeats are Python 3.11 syntax")
    with pytest.raises(ConditionError, match=reason):
        Pattern(pattern)


def test_to_re2_writes_literals_as_code_points() -> None:
    assert to_re2("a.b") == r"a[^\n]b"
    assert to_re2(r"\$") == r"\x{24}"
    assert to_re2("é$") == r"\x{E9}(?:\n?\z)"


def test_a_bad_pattern_in_a_rule_file_is_located() -> None:
    doc = rules_doc({"id": "R", "when": {"field": "party", "matches": r"\bx"}})
    with pytest.raises(ar.RuleSetError, match="word boundaries") as info:
        ar.load_rules(doc)
    assert info.value.rule == "R"


_TIMED = textwrap.dedent(
    """
    import sys, time
    import atribut_rules as ar
    pattern, size = sys.argv[1], int(sys.argv[2])
    rules = ar.load_rules({
        "schema": "atribut-rules/1",
        "ruleset": {"id": "t", "version": "1"},
        "rules": [{"id": "R", "when": {"field": "party", "matches": pattern}}],
    })
    names = ["a" * size, "a" * size + "!", "x" * size, "a" * 30, "ab " * (size // 3)]
    records = [
        {"id": f"r{i}", "lat": -2.13, "lon": 106.11, "party": name} for i, name in enumerate(names)
    ]
    tree = {"type": "Feature", "id": "t", "properties": {"category": "tree"},
            "geometry": {"type": "Point", "coordinates": [106.2, -2.2]}}
    zones = ar.load_zones({"type": "FeatureCollection", "features": [tree]}, categories=rules.categories)
    start = time.perf_counter()
    run = ar.check(ar.Reports.from_records(records), zones, rules)
    print(len(run.verdicts), round(time.perf_counter() - start, 3))
    """
)


@pytest.mark.parametrize("pattern", SLOW_IN_PYTHON)
def test_patterns_that_backtracked_finish_at_once_on_long_party_names(pattern: str) -> None:
    """Python's engine took minutes on these with a 9,000-letter party; RE2 takes milliseconds.

    Run in a subprocess with a timeout, so a regression fails instead of hanging the suite."""
    proc = subprocess.run(
        [sys.executable, "-c", _TIMED, pattern, "9000"], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    count, seconds = proc.stdout.split()
    assert int(count) == 5
    assert float(seconds) < 10, f"{pattern} took {seconds} s"


def test_matches_on_a_long_text_decides_as_python_would() -> None:
    rules = ar.load_rules(rules_doc({"id": "R", "when": {"field": "party", "matches": SLOW_IN_PYTHON[2]}}))
    records = [
        {"id": "long", "lat": PKP[1], "lon": PKP[0], "party": "a" * 9000},
        {"id": "bang", "lat": PKP[1], "lon": PKP[0], "party": "a" * 9000 + "!"},
    ]
    zones = ar.load_zones(
        collection(feature("t", point(106.2, -2.2), category="tree")), categories=rules.categories
    )
    run = ar.check(ar.Reports.from_records(records), zones, rules)
    assert [v.status.value for v in run.verdicts] == ["violation", "ok"]
