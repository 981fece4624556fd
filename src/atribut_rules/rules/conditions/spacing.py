"""``spacing``: attributes of the same group stand at least ``min_m`` metres apart.

Of two attributes too close, the later report (in the fixed decision order) breaks the
rule; when the two reports' GPS errors straddle ``min_m`` it is in doubt (review).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ...errors import Text
from ...evaluate import wholelist
from .base import FIELD, Explain, Need
from .whole_list import GroupEvidence, GroupFindings, RuleKind, Split, WholeListContext, register_rule_kind

WORDS = {
    "spacing": {
        "id": "Pelanggaran jika laporan berjarak kurang dari {m} m dari atribut lain dengan {among} "
        "yang sama; dari dua atribut yang terlalu dekat, yang melanggar adalah laporan yang lebih akhir "
        "(tanggal pengamatan, lalu id). Jika akurasi GPS kedua laporan melewati {m} m, hasilnya perlu-cek",
        "en": "A violation when the report is less than {m} m from another attribute with the same "
        "{among}; of two attributes too close, the later report (observation date, then id) is the "
        "violation. When the GPS accuracy of the two reports straddles {m} m, the result is review",
    },
    "spacing_comply": {
        "id": "beri jarak paling sedikit {m} m antar atribut dengan {among} yang sama",
        "en": "keep attributes with the same {among} at least {m} m apart",
    },
    "and": {"id": "dan", "en": "and"},
}


@dataclass(frozen=True)
class Spacing:
    """Attributes of the same group (values of ``among``) stand at least ``min_m`` metres apart."""

    min_m: float
    among: tuple[str, ...]


class SpacingKind(RuleKind):
    key = "spacing"
    node = Spacing
    order = 20
    report_extras = frozenset({"other"})
    schema = {
        "description": "Attributes of the same group must stand at least `min_m` metres apart; the later one "
        "(by observed_at, then id) breaks the rule.",
        "type": "object",
        "required": ["min_m"],
        "additionalProperties": False,
        "properties": {
            "min_m": {"type": "number", "exclusiveMinimum": 0, "maximum": 100000},
            "among": {
                "type": "array",
                "maxItems": 8,
                "items": {"type": "string", "minLength": 1, "maxLength": 100},
            },
        },
    }

    def compile(
        self, data: Mapping[str, Any], categories: frozenset[str] | None
    ) -> tuple[Spacing, list[tuple[tuple[Any, ...], Text | str]]]:
        return Spacing(float(data["min_m"]), tuple(data.get("among", ()))), []

    def needs(self, node: Spacing) -> tuple[Need, ...]:
        return tuple(Need(FIELD, name) for name in node.among)

    def fields(self, node: Spacing) -> tuple[str, ...]:
        return node.among

    def split(self, node: Spacing) -> Split:
        return Split("near", node.min_m)

    def evaluate(self, node: Spacing, ctx: WholeListContext, counted: np.ndarray) -> GroupFindings:
        group, _ = ctx.group_codes(node.among)
        value, other, distance = wholelist.too_close(
            ctx.px, ctx.py, ctx.assignment, counted, group, ctx.rep, ctx.acc, ctx.rank, node.min_m
        )
        idx = np.nonzero(value)[0]
        return GroupFindings(idx, value[idx], {"other": other[idx], "distance": distance[idx]})

    def evidence(
        self,
        node: Spacing,
        found: Mapping[str, list[Any]],
        index: list[int],
        review: list[bool],
        labels: Sequence[Callable[[int], str]],
        ids: Sequence[str],
    ) -> GroupEvidence:
        m = len(index)
        other = [ids[o] for o in found["other"]]
        distance: list[float | None] = [round(d, 3) + 0.0 for d in found["distance"]]
        return GroupEvidence(
            details=[{"other_report": o} for o in other],
            values={"other_report": other, "min_m": [node.min_m] * m},
            distance=distance,
            threshold=[node.min_m] * m,
            margin=[round(node.min_m - d, 3) + 0.0 for d in distance],  # type: ignore[operator]
            reason=["gps_straddles" if doubt else None for doubt in review],
        )

    def describe(self, node: Spacing, say: Explain, comply: bool) -> str:
        among = f" {say.words(WORDS, 'and')} ".join(say.field(f) for f in node.among) or "-"
        return say.words(
            WORDS, "spacing_comply" if comply else "spacing", m=say.number(node.min_m), among=among
        )


register_rule_kind(SpacingKind())
