"""The fast verdict encoder writes exactly what json.dumps writes for verdict_record."""

from __future__ import annotations

import dataclasses
import json
import math

import pytest
from helpers import check_example, examples, load_example
from hypothesis import given, settings
from hypothesis import strategies as st

import atribut_rules as ar
from atribut_rules.model import Finding, Problem, RuleSetRef, Severity, Source, Status, Verdict, ZoneRef
from atribut_rules.results.blocks import FindingValues, VerdictValues
from atribut_rules.write.records import verdict_record
from atribut_rules.write.verdict_json import VerdictJson, encoded_verdicts


def reference(verdict: Verdict) -> str:
    return json.dumps(verdict_record(verdict), ensure_ascii=False, separators=(",", ":"))


def as_columns(findings, blocks: dict) -> list:
    """Each finding's place in a block of FindingColumns, one block per rule's shared values
    (kept in ``blocks`` across calls, so a block holds findings of several verdicts)."""
    from atribut_rules.results.blocks import FindingColumns

    refs = []
    for f in findings:
        langs = tuple(f.message)
        key = (f.rule, f.severity, id(f.legal_basis), id(f.title), langs)
        block = blocks.get(key)
        if block is None:
            block = blocks[key] = FindingColumns(
                f.rule, f.severity, f.legal_basis, f.title, [], langs, [[] for _ in langs],
                [], [], [], [], [], [], [], [], [],
            )  # fmt: skip
        refs.append((block, len(block)))
        block.status.append(f.status)
        for column, lang in zip(block.texts, langs):
            column.append(f.message[lang])
        for name, value in (
            ("zone", f.zone), ("distance", f.distance_m), ("threshold", f.threshold_m),
            ("margin", f.margin_m), ("accuracy", f.accuracy_m), ("accuracy_source", f.accuracy_source),
            ("reason", f.reason), ("permit", f.permit), ("details", f.details),
        ):  # fmt: skip
            getattr(block, name).append(value)
    return refs


@pytest.mark.parametrize(
    "rules", ["builtin:id-pemilu-2024", "builtin:pangkalpinang-2024", "builtin:id-pemilu-2019"]
)
def test_every_verdict_of_the_example(rules: str) -> None:
    run = check_example(rules, partial=True)
    encoder = VerdictJson()
    for verdict in run.verdicts:
        assert encoder.encode(verdict) == reference(verdict)
    # the writers' path: the engine's plain values, no Verdict objects, the same text
    assert list(encoded_verdicts(run.verdicts)) == [reference(v) for v in run.verdicts]
    assert list(encoded_verdicts(list(run.verdicts))) == [reference(v) for v in run.verdicts]


_floats = st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True), st.integers(-(10**6), 10**6))
_texts = st.one_of(st.none(), st.text(max_size=12))


@st.composite
def verdicts(draw):
    zone = draw(
        st.one_of(
            st.none(),
            st.builds(
                ZoneRef,
                id=st.text(max_size=8),
                category=st.sampled_from(["tree", "school"]),
                name=_texts,
                geometry_kind=st.sampled_from(["point", "polygon"]),
                approximated=st.booleans(),
                radius_m=st.floats(0, 50),
                source_file=_texts,
                origin=st.one_of(
                    st.none(), st.dictionaries(st.text(max_size=4), st.text(max_size=4), max_size=2)
                ),
            ),
        )
    )
    findings = tuple(
        Finding(
            rule=draw(st.sampled_from(["R-1", "R-2", 'q"uote'])),
            severity=draw(st.sampled_from(list(Severity))),
            status=draw(st.sampled_from([Status.VIOLATION, Status.REVIEW, Status.EXEMPT])),
            message={"id": draw(st.text(max_size=20)), "en": draw(st.text(max_size=20))},
            legal_basis=draw(st.sampled_from([{"id": "Pasal 1", "en": "Article 1"}, {}, {"en": 'q"'}])),
            title={"id": 'Judul \u2014 "x"', "en": draw(st.text(max_size=5))},
            zone=zone,
            distance_m=draw(_floats),
            threshold_m=draw(_floats),
            margin_m=draw(_floats),
            accuracy_m=draw(_floats),
            accuracy_source=draw(st.sampled_from([None, "reported", "assumed"])),
            reason=draw(_texts),
            permit=draw(_texts),
            details=draw(
                st.dictionaries(
                    st.text(max_size=4), st.one_of(st.integers(), st.text(max_size=4)), max_size=2
                )
            ),
        )
        for _ in range(draw(st.integers(0, 3)))
    )
    problems = tuple(
        Problem(
            draw(st.text(max_size=5)),
            draw(_texts),
            draw(_texts),
            {"id": draw(st.text(max_size=5)), "en": "x"},
        )
        for _ in range(draw(st.integers(0, 2)))
    )
    return Verdict(
        report=draw(st.text(max_size=10)),
        status=draw(st.sampled_from(list(Status))),
        findings=findings,
        source=draw(st.one_of(st.none(), st.builds(Source, st.text(max_size=6), st.integers(1, 10**9)))),
        problems=problems,
        ruleset=draw(st.one_of(st.none(), st.just(RuleSetRef("rs", "1", "ab" * 32)))),
        group=draw(_texts),
        unchecked=tuple(
            draw(st.lists(st.sampled_from(["R-1", "R-2", 'q"uote', "\u00e9"]), max_size=2, unique=True))
        ),
    )


@settings(max_examples=examples(300), deadline=None)
@given(st.lists(verdicts(), min_size=1, max_size=4))
def test_edge_values_encode_as_json_dumps_does(batch) -> None:
    encoder = VerdictJson()  # one encoder over several verdicts, so its caches are exercised
    for verdict in batch:
        assert encoder.encode(verdict) == reference(verdict)


@settings(max_examples=examples(200), deadline=None)
@given(
    st.lists(verdicts(), max_size=6),
    st.lists(st.tuples(st.text(max_size=8), st.integers(1, 10**9), _texts), max_size=6),
    st.randoms(use_true_random=False),
    st.one_of(st.none(), st.text(max_size=6)),
    st.booleans(),
    st.booleans(),
)
def test_a_block_encodes_as_its_verdicts_one_by_one(others, oks, rng, file, grouped, with_ruleset) -> None:
    """VerdictBlock: ok verdicts written from one template, the others as they are, mixed in order."""
    from atribut_rules.results.blocks import VerdictBlock, VerdictRecord

    ref = RuleSetRef("rs", "1", "ab" * 32) if with_ruleset else None
    source = None if file is None else file
    others = [
        dataclasses.replace(v, source=None if source is None else Source(source, k + 1), ruleset=ref)
        for k, v in enumerate(others)
    ]
    ok = [
        Verdict(
            rid,
            Status.OK,
            (),
            None if source is None else Source(source, row),
            (),
            ref,
            group if grouped else None,
        )
        for rid, row, group in oks
    ]
    flags = [True] * len(ok) + [False] * len(others)
    rng.shuffle(flags)
    taken_ok, taken_other = iter(ok), iter(others)
    in_order = [next(taken_ok) if flag else next(taken_other) for flag in flags]
    blocks: dict = {}
    block = VerdictBlock(
        ok=flags,
        ok_ids=[v.report for v in ok],
        ok_rows=[v.source.row if v.source else 0 for v in ok],
        ok_groups=[v.group for v in ok] if grouped else None,
        file=file,
        ruleset=ref,
        others=[
            VerdictRecord(
                v.report,
                v.status,
                as_columns(v.findings, blocks),
                file,
                v.source.row if v.source else 0,
                v.problems,
                ref,
                v.group,
                v.unchecked,
            )
            for v in others
        ],  # fmt: skip
    )
    assert VerdictJson().encode_block(block) == [reference(v) for v in in_order]


@settings(max_examples=examples(200), deadline=None)
@given(
    st.lists(verdicts(), min_size=1, max_size=5),
    st.sampled_from([("id", "en"), ("id",), ("en", "id"), ("id", "en", "jv")]),
)
def test_findings_encode_a_block_of_columns_at_a_time(batch, langs) -> None:
    """encode_columns writes each finding of a block as json.dumps writes its record,
    for the engine's two languages and for others."""
    from atribut_rules.write.records import finding_record

    findings = [
        dataclasses.replace(f, message={lang: f"{f.message['id']}/{lang}" for lang in langs})
        for v in batch
        for f in v.findings
    ]
    blocks: dict = {}
    refs = as_columns(findings, blocks)
    encoder = VerdictJson()
    encoded = {id(b): encoder.encode_columns(b) for b in blocks.values()}
    expected = [json.dumps(finding_record(f), ensure_ascii=False, separators=(",", ":")) for f in findings]
    assert [encoded[id(b)][j] for b, j in refs] == expected


def _with_numbers(distance, threshold=None, margin=None, accuracy=None) -> Verdict:
    """A verdict with one finding that holds the four numbers."""
    finding = Finding(
        "R-1", Severity.ERROR, Status.VIOLATION, {"id": "m", "en": "m"}, {}, {"id": "j", "en": "t"},
        distance_m=distance, threshold_m=threshold, margin_m=margin, accuracy_m=accuracy,
    )  # fmt: skip
    return Verdict("R", Status.VIOLATION, (finding,), Source("f.csv", 2))


def test_non_finite_numbers_as_json_writes_them() -> None:
    encoder = VerdictJson()
    for value in (math.nan, math.inf, -math.inf, 0.1, -0.0, 1e300, 5, True, None):
        verdict = _with_numbers(value)
        assert encoder.encode(verdict) == reference(verdict), value
        assert f'"distance_m":{json.dumps(value)},' in encoder.encode(verdict)


def test_a_findings_four_numbers_as_json_writes_them() -> None:
    """The shortcut for four finite floats, and every mix of None, ints, bools, zeros of
    both signs, non-finite values and sums that overflow."""
    import itertools

    values = [None, 0.0, -0.0, 1.5, 1e308, math.inf, -math.inf, math.nan, 3, True, 1e-7, 123456789.123]
    encoder = VerdictJson()
    for four in itertools.product(values, repeat=4):
        verdict = _with_numbers(*four)
        assert encoder.encode(verdict) == reference(verdict), four


def test_a_title_object_reused_for_another_rule_gets_its_own_head() -> None:
    """The head cache looks titles up by identity; the same object under another rule,
    or an equal title in a new object, must still give that finding's own head."""
    title = {"id": "Judul", "en": "Title"}
    rules = [("A", Severity.ERROR, Status.VIOLATION), ("B", Severity.INFO, Status.REVIEW)]
    encoder = VerdictJson()
    for k in range(3):
        for rule, severity, status in rules:
            same = title if k < 2 else dict(title)
            finding = Finding(
                rule, severity, status, {"id": "m", "en": "m"}, {"id": "dasar", "en": "basis"}, same
            )
            verdict = Verdict(f"R{k}", status, (finding,), Source("f.csv", k + 2))
            fields = VerdictValues(
                "R", status, [FindingValues(*vars(finding).values())], "f.csv", k + 2, (), None, None, ()
            )
            assert encoder.encode(verdict) == reference(verdict)
            assert encoder.encode_fields(fields) == reference(dataclasses.replace(verdict, report="R"))


def test_verdicts_read_in_any_order_are_the_verdicts_read_in_order() -> None:
    """Findings are made a block per rule while verdicts are read in order: reading them
    backwards, at random, or in order again gives the same verdicts."""
    import random

    ruleset = ar.load_rules("builtin:pangkalpinang-2024")
    reports, zones, permits = load_example(ruleset)
    in_order = [
        reference(v) for v in ar.check(reports, zones, ruleset, permits=permits, partial=True).verdicts
    ]
    verdicts = ar.check(reports, zones, ruleset, permits=permits, partial=True).verdicts
    order = list(range(len(verdicts)))
    random.Random(7).shuffle(order)
    for indexes in (order, order[::-1], list(range(len(verdicts)))[::-1], range(len(verdicts))):
        assert {i: reference(verdicts[i]) for i in indexes} == dict(enumerate(in_order))
    assert list(encoded_verdicts(verdicts)) == in_order
    blocks = list(verdicts.field_blocks(size=7))  # many blocks, ok verdicts and others in each
    assert len(blocks) == -(-len(verdicts) // 7) and any(b.ok_ids and b.others for b in blocks)
    encoder = VerdictJson()
    assert [line for b in blocks for line in encoder.encode_block(b)] == in_order
