"""``quota``: at most ``max`` attributes per group, counted over the whole list.

Groups are the values of ``per``: report fields, and ``{zone: CATEGORY}`` for the zone of
that category a report lies in (a kelurahan, a kecamatan). A physical attribute reported
several times counts once; the reports beyond ``max`` in the fixed decision order break
the rule.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ...errors import Text
from ...evaluate import wholelist
from .base import FIELD, TRUE, ZONE_CATEGORY, Explain, Need
from .whole_list import GroupEvidence, GroupFindings, RuleKind, Split, WholeListContext, register_rule_kind

WORDS = {
    "quota": {
        "id": "Pelanggaran jika ada lebih dari {max} atribut per {per}, dihitung atas seluruh daftar "
        "(laporan ganda sekali); yang melanggar adalah laporan setelah yang ke-{max} menurut urutan "
        "tanggal pengamatan (tanpa tanggal paling akhir), lalu id",
        "en": "A violation when there are more than {max} attributes per {per}, counted over the whole "
        "list (duplicate reports once); the violations are the reports after number {max} in order of "
        "observation date (undated last), then id",
    },
    "quota_comply": {
        "id": "pasang paling banyak {max} atribut per {per}",
        "en": "put up at most {max} attributes per {per}",
    },
    "and": {"id": "dan", "en": "and"},
    "zone_unit": {"id": "{cat} (zona)", "en": "{cat} (zone)"},
}


@dataclass(frozen=True)
class Quota:
    """At most ``max`` attributes per group; ``per`` holds field names and ``("zone", CAT)`` pairs."""

    max: int
    per: tuple[str | tuple[str, str], ...]


class QuotaKind(RuleKind):
    key = "quota"
    node = Quota
    order = 10
    schema = {
        "description": "Counted over the whole list: at most `max` attributes per group; the ones beyond it "
        "(by observed_at, then id) break the rule.",
        "type": "object",
        "required": ["max", "per"],
        "additionalProperties": False,
        "properties": {
            "max": {"type": "integer", "minimum": 0, "maximum": 100000000},
            "per": {
                "type": "array",
                "minItems": 1,
                "maxItems": 8,
                "items": {
                    "oneOf": [
                        {"type": "string", "minLength": 1, "maxLength": 100},
                        {
                            "type": "object",
                            "required": ["zone"],
                            "additionalProperties": False,
                            "properties": {"zone": {"$ref": "#/$defs/identifier"}},
                        },
                    ]
                },
            },
        },
    }

    def compile(
        self, data: Mapping[str, Any], categories: frozenset[str] | None
    ) -> tuple[Quota, list[tuple[tuple[Any, ...], Text | str]]]:
        per: list[str | tuple[str, str]] = []
        problems: list[tuple[tuple[Any, ...], Text | str]] = []
        for item in data["per"]:
            if not isinstance(item, dict):
                per.append(item)
                continue
            if categories is not None and item["zone"] not in categories:
                problems.append(((), Text("rules.unknown_zone_category_quota", zone=item["zone"])))
            per.append(("zone", item["zone"]))
        return Quota(int(data["max"]), tuple(per)), problems

    def needs(self, node: Quota) -> tuple[Need, ...]:
        return tuple(
            Need(ZONE_CATEGORY, item[1]) if isinstance(item, tuple) else Need(FIELD, item)
            for item in node.per
        )

    def fields(self, node: Quota) -> tuple[str, ...]:
        return tuple(item for item in node.per if isinstance(item, str))

    def groups(self, node: Quota) -> tuple[Any, ...]:
        return node.per

    def split(self, node: Quota) -> Split:
        return Split("group")

    def zone_reach(self, node: Quota) -> Iterable[tuple[str, float]]:
        return ((item[1], 0.0) for item in node.per if isinstance(item, tuple))

    def evaluate(self, node: Quota, ctx: WholeListContext, counted: np.ndarray) -> GroupFindings:
        group, labels = ctx.group_codes(node.per)
        over, place, count = wholelist.over_quota(counted, group, ctx.rep, ctx.rank, node.max)
        idx = np.nonzero(over)[0]
        extra = {"place": place[idx], "count": count[idx], "group": group[idx]}
        return GroupFindings(idx, np.full(len(idx), TRUE, dtype=np.int8), extra, labels)

    def labels(self, node: Quota, ctx: WholeListContext) -> Sequence[Callable[[int], str]]:
        return ctx.group_codes(node.per)[1]

    def evidence(
        self,
        node: Quota,
        found: Mapping[str, list[Any]],
        index: list[int],
        review: list[bool],
        labels: Sequence[Callable[[int], str]],
        ids: Sequence[str],
    ) -> GroupEvidence:
        m = len(index)
        count, rank = found["count"], found["place"]
        group = [", ".join(label(i) for label in labels) for i in index]
        details = [
            {"group": g, "count": c, "max": node.max, "rank": p} for g, c, p in zip(group, count, rank)
        ]
        return GroupEvidence(details, {"group": group, "count": count, "max": [node.max] * m, "rank": rank})

    def describe(self, node: Quota, say: Explain, comply: bool) -> str:
        def unit(item: str | tuple[str, str]) -> str:
            if isinstance(item, tuple):
                return say.words(WORDS, "zone_unit", cat=say.category(item[1]))
            return say.field(item)

        per = f" {say.words(WORDS, 'and')} ".join(unit(item) for item in node.per)
        return say.words(WORDS, "quota_comply" if comply else "quota", max=node.max, per=per)


register_rule_kind(QuotaKind())
