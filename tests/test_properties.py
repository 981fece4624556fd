"""Hypothesis properties of the engine on the bundled example and on arbitrary CSV rows.

(a) verdicts do not depend on the order of the reports;
(b) relabelling parties one-to-one changes no verdict of rules that do not name ``party``;
(c) every data row of any CSV gives exactly one verdict, in order, with its id.
"""

from __future__ import annotations

import collections

from helpers import examples, load_example, verdict_key
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import csv_bytes

import atribut_rules as ar
from atribut_rules.read import read_csv
from atribut_rules.rules.conditions import FieldTest, walk

SETTINGS = settings(
    max_examples=examples(12),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

RULES = ar.load_rules()
BASE, ZONES, _ = load_example(RULES)
HEADER = list(BASE.columns)
_COUNTS = collections.Counter(BASE.ids)
# Rows whose id is used twice are left out: which of the two is "first" depends on order by design.
ROWS = [list(raw) for rid, raw in zip(BASE.ids, BASE.raw) if _COUNTS[rid] == 1]
PARTY = HEADER.index("partai")
PARTIES = sorted({row[PARTY] for row in ROWS if row[PARTY].strip()})


def check_rows(rows: list[list[str]], header: list[str] = HEADER, sep: str = ";") -> ar.Run:
    table = read_csv(csv_bytes(header, rows, sep=sep, bom=True), file="laporan.csv")
    return ar.check(table, ZONES, RULES)


def by_id(result: ar.Run) -> dict[str, str]:
    return {v.report: verdict_key(v) for v in result.verdicts}


REFERENCE = check_rows(ROWS)
REFERENCE_BY_ID = by_id(REFERENCE)


def test_reference_run_is_rich_enough() -> None:
    statuses = collections.Counter(v.status.value for v in REFERENCE.verdicts)
    assert set(statuses) == {"violation", "review", "ok", "invalid"}
    assert len(REFERENCE_BY_ID) == len(ROWS) > 200
    assert len(PARTIES) >= 5


@SETTINGS
@given(st.permutations(range(len(ROWS))))
def test_verdicts_do_not_depend_on_report_order(order: list[int]) -> None:
    result = check_rows([ROWS[i] for i in order])
    assert [v.report for v in result.verdicts] == [ROWS[i][0] for i in order]
    assert by_id(result) == REFERENCE_BY_ID
    assert result.summary.by_status == REFERENCE.summary.by_status
    assert result.summary.by_rule == REFERENCE.summary.by_rule


def test_bundled_rules_do_not_name_party() -> None:
    for rule in RULES.rules:
        for cond in (rule.applies_to, rule.when, rule.area):
            if cond is not None:
                assert not any(isinstance(n, FieldTest) and n.field == "party" for n in walk(cond)), rule.id
        assert all("{party}" not in text for text in rule.message.values()), rule.id


labels = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), min_size=1, max_size=20
).filter(lambda s: s == s.strip() and s.strip())


@SETTINGS
@given(
    st.permutations(PARTIES),
    st.lists(labels, min_size=len(PARTIES), max_size=len(PARTIES), unique=True),
    st.booleans(),
)
def test_party_relabelling_changes_no_verdict(permuted: list[str], fresh: list[str], use_fresh: bool) -> None:
    mapping = dict(zip(PARTIES, fresh if use_fresh else permuted))
    assert len(set(mapping.values())) == len(mapping)  # a bijection
    rows = [[*row[:PARTY], mapping.get(row[PARTY], row[PARTY]), *row[PARTY + 1 :]] for row in ROWS]
    result = check_rows(rows)
    assert by_id(result) == REFERENCE_BY_ID
    assert result.summary.by_status == REFERENCE.summary.by_status
    relabelled = {mapping.get(k, k): v for k, v in REFERENCE.summary.by_party.items()}
    assert dict(result.summary.by_party) == dict(sorted(relabelled.items()))


GARBAGE_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=40
)
NUMBERISH = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.floats(min_value=-1e6, max_value=1e6).map(lambda f: f"{f:.7f}".replace(".", ",")),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.sampled_from(["", " ", "-", ",", "1e400", "−2,13", "2°7'S", "1.234,5", "NaN", "0x10", "١٢٣"]),
)
HUGE = st.integers(min_value=500, max_value=12_000).map(lambda n: "x" * n)
CELL = st.one_of(GARBAGE_TEXT, NUMBERISH, HUGE)
LAT = st.one_of(CELL, st.floats(min_value=-2.2, max_value=-2.05).map(lambda f: f"{f:.6f}".replace(".", ",")))
LON = st.one_of(CELL, st.floats(min_value=106.05, max_value=106.2).map(lambda f: f"{f:.6f}"))
TYPE = st.one_of(CELL, st.sampled_from(["baliho", "spanduk", "poster", "stiker", "Bendera"]))
DATE = st.one_of(CELL, st.dates().map(str), st.sampled_from(["2024-02-12", "11/02/2024", "2023-11-27"]))
GARBAGE_HEADER = [
    "id",
    "lat",
    "lon",
    "jenis",
    "lebar_m",
    "tinggi_m",
    "akurasi_m",
    "tanggal",
    "partai",
    "catatan",
]


@st.composite
def garbage_rows(draw: st.DrawFn) -> list[list[str]]:
    n = draw(st.integers(min_value=1, max_value=25))
    rows = []
    for i in range(n):
        rows.append(
            [
                draw(GARBAGE_TEXT) + f"#{i:03d}",
                draw(LAT),
                draw(LON),
                draw(TYPE),
                draw(CELL),
                draw(CELL),
                draw(CELL),
                draw(DATE),
            ]
            + [draw(CELL), draw(CELL)]
        )
    return rows


@settings(
    max_examples=examples(40),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(garbage_rows(), st.sampled_from([",", ";", "\t"]))
def test_one_verdict_per_data_row_whatever_the_rows_hold(rows: list[list[str]], sep: str) -> None:
    result = check_rows(rows, header=GARBAGE_HEADER, sep=sep)
    verdicts = list(result.verdicts)
    assert len(verdicts) == len(rows)
    assert [v.report for v in verdicts] == [r[0].strip() for r in rows]
    lines = [v.source.row for v in verdicts]
    assert lines[0] == 2 and lines == sorted(set(lines))
    assert sum(result.summary.by_status.values()) == len(rows)
    for v in verdicts:
        if v.status is ar.Status.INVALID:
            assert v.problems and not v.findings
        else:
            assert not v.problems


def test_an_over_long_cell_makes_only_its_row_invalid() -> None:
    rows = [
        ["A", "-2,1", "106,1", "baliho", "", "", "", "", "", "x" * 20_000],
        ["B", "-2,1", "106,1", "", "", "", "", "", "", ""],
    ]
    result = check_rows(rows, header=GARBAGE_HEADER, sep=";")
    a, b = result.verdicts
    assert a.status is ar.Status.INVALID and "too_long" in [p.code for p in a.problems]
    assert b.status is not ar.Status.INVALID
