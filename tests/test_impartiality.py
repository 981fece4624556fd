"""Impartiality: relabelling parties and candidates one-to-one changes no verdict.

Rules that do not name party or candidate give the same verdict to every report; a quota
or spacing per party maps groups to groups, so verdicts stay the same up to the relabelling.
"""

from __future__ import annotations

from typing import Any

from helpers import examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import PKP, fwd, rules_doc, run

import atribut_rules as ar

LABELS = ["Partai A", "Partai B", "Partai C", "Partai D"]
CANDIDATES = ["Ani", "Budi", "Citra"]
NO_ZONES = ar.load_zones()
SETTINGS = settings(max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.too_slow])
MESSAGE = {"id": "{type}", "en": "{type}"}


def _rules(*rules: dict[str, Any], duplicates: bool = False) -> ar.RuleSet:
    doc = rules_doc(*rules)
    if duplicates:
        doc["duplicates"] = {"within_m": 5, "within_days": 3}
    return ar.load_rules(doc)


# party- and candidate-blind rules, and rules grouped by party
BLIND = _rules(
    {"id": "UKURAN", "severity": "error", "when": {"field": "width_m", "gt": 4}, "message": MESSAGE},
    {"id": "KUOTA-JENIS", "severity": "error", "quota": {"max": 2, "per": ["type"]}, "message": MESSAGE},
    {"id": "JARAK", "severity": "warning", "spacing": {"min_m": 15, "among": ["type"]}, "message": MESSAGE},
)
PER_PARTY = _rules(
    {
        "id": "KUOTA-PARTAI",
        "severity": "error",
        "quota": {"max": 1, "per": ["party", "type"]},
        "message": MESSAGE,
    },
    {
        "id": "JARAK-PARTAI",
        "severity": "error",
        "spacing": {"min_m": 20, "among": ["party"]},
        "message": MESSAGE,
    },
    duplicates=True,
)


@st.composite
def reports(draw: st.DrawFn) -> list[dict[str, Any]]:
    n = draw(st.integers(2, 10))
    out = []
    for k in range(n):
        where = fwd(
            PKP, draw(st.sampled_from([0.0, 120.0, 240.0])), draw(st.sampled_from([0.0, 4.0, 12.0, 40.0]))
        )
        out.append(
            {
                "id": f"R{k:02d}",
                "lon": where[0],
                "lat": where[1],
                "type": draw(st.sampled_from(["baliho", "spanduk"])),
                "party": draw(st.sampled_from(LABELS)),
                "candidate": draw(st.sampled_from(CANDIDATES)),
                "width_m": draw(st.sampled_from([1.0, 5.0])),
                "observed_at": draw(st.sampled_from([None, "2024-01-01", "2024-01-03", "2024-01-20"])),
                "accuracy_m": draw(st.sampled_from([None, 3.0])),
            }
        )
    return out


def relabel(records: list[dict[str, Any]], parties: list[str], candidates: list[str]) -> list[dict[str, Any]]:
    pmap, cmap = dict(zip(LABELS, parties)), dict(zip(CANDIDATES, candidates))
    return [dict(r, party=pmap[r["party"]], candidate=cmap[r["candidate"]]) for r in records]


def statuses(result: ar.Run) -> dict[str, tuple]:
    return {
        v.report: (v.status.value, tuple(sorted((f.rule, f.status.value) for f in v.findings)))
        for v in result.verdicts
    }


@SETTINGS
@given(reports(), st.permutations(LABELS), st.permutations(CANDIDATES))
def test_relabelling_parties_and_candidates_changes_no_verdict_of_a_blind_rule(
    records: list[dict[str, Any]], parties: list[str], candidates: list[str]
) -> None:
    before = run(records, NO_ZONES, BLIND)
    after = run(relabel(records, parties, candidates), NO_ZONES, BLIND)
    assert statuses(after) == statuses(before)


@SETTINGS
@given(reports(), st.permutations(LABELS), st.permutations(CANDIDATES))
def test_relabelling_maps_party_groups_to_party_groups(
    records: list[dict[str, Any]], parties: list[str], candidates: list[str]
) -> None:
    before = run(records, NO_ZONES, PER_PARTY)
    after = run(relabel(records, parties, candidates), NO_ZONES, PER_PARTY)
    assert statuses(after) == statuses(before)
    assert [v.group for v in after.verdicts] == [v.group for v in before.verdicts]
    # the by-party summary moves with the labels: same rows under the new names
    pmap = dict(zip(LABELS, parties))
    assert {pmap[k]: row for k, row in before.summary.by_party.items()} == after.summary.by_party
    for row in after.summary.by_party.values():
        assert row["reports"] == sum(row[s.value] for s in ar.Status)  # the denominator is there
        assert 1 <= row["attributes"] <= row["reports"]
