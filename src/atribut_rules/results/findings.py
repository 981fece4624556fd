"""Verdicts and findings from a finished evaluation, made when they are read.

A run keeps its results as arrays; :class:`VerdictBuilder` makes a verdict's values (or
its :class:`~atribut_rules.model.Verdict`) when it is read, and the findings of a rule a
block at a time, as :class:`~.blocks.FindingColumns`. A million ``ok`` reports cost no
objects.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from .. import i18n
from ..model import Finding, Source, Status, Verdict, ZoneRef, fast_constructor
from ..rules.conditions import Condition, kind_of
from ..rules.conditions.whole_list import rule_kind_of
from ..rules.ruleset import Rule
from ..table.fields import MEASURE_FIELDS, TEXT_FIELDS
from .blocks import FindingColumns, VerdictRecord, VerdictValues
from .messages import UNSET, MessageMaker

if TYPE_CHECKING:
    from ..evaluate.check import Evaluation
    from ..evaluate.permits import Permit

FINDING_BLOCK = 1024
"""Findings of one rule made at a time while verdicts are read in order."""

TRUE = 2
_new_source = fast_constructor(Source)
_new_verdict = fast_constructor(Verdict)
_new_finding = fast_constructor(Finding)


@dataclass
class FindingFacts:
    """Per finding of one rule, as plain Python values (numpy scalars are slow one by one)."""

    rule: Rule
    index: list[int]  # the report of each finding
    value: list[int]
    leaf: list[int]
    leaves: list[Condition]
    exempt: list[int] | None
    permit_note: list[int] | None
    acc: list[float]
    acc_reported: list[bool]
    undated: list[bool]
    zone: list[int]
    signed: list[float]
    extra: dict[str, list[Any]]
    templates: tuple[tuple[str, str, tuple[str, ...]], ...]
    report: dict[str, list[Any]]  # per message placeholder: the report's own value (None if none)


class _Block:
    """The findings ``start:stop`` of one rule while their columns are made, one list per field."""

    def __init__(self, facts: FindingFacts, start: int, stop: int) -> None:
        m = stop - start
        self.facts, self.start, self.stop = facts, start, stop
        self.index = facts.index[start:stop]
        self.status = [Status.VIOLATION if v == TRUE else Status.REVIEW for v in facts.value[start:stop]]
        self.acc = facts.acc[start:stop]
        self.acc_source = ["reported" if a else "assumed" for a in facts.acc_reported[start:stop]]
        self.undated = facts.undated[start:stop]
        self.zone: list[ZoneRef | None] = [None] * m
        self.distance: list[float | None] = [None] * m
        self.threshold: list[float | None] = [None] * m
        self.margin: list[float | None] = [None] * m
        self.reason: list[str | None] = [None] * m
        self.period: list[Any] = [None] * m
        self.details: list[dict[str, Any]] = [{} for _ in range(m)]
        self.evidence: dict[str, list[Any]] = {}  # values the message may name, besides the report's own
        self.permit: list[str | None] = [None] * m
        self.permit_reason: list[tuple[str, Permit] | None] = [None] * m
        self.measured = False  # a whole-list rule that measures a distance (its accuracy is shown)


class VerdictBuilder:
    """Makes the verdicts of a finished :class:`~atribut_rules.evaluate.check.Evaluation`."""

    def __init__(self, evaluation: Evaluation) -> None:
        self.evaluation = evaluation
        self.messages = MessageMaker()
        self._zone_refs: dict[int, ZoneRef] = {}
        self._finding_facts: dict[int, FindingFacts] = {}
        self._finding_blocks: dict[int, tuple[int, FindingColumns]] = {}

    def verdict(self, i: int, status: Status, entries: Sequence[tuple[int, int]]) -> Verdict:
        values = self.verdict_fields(i, status, entries)
        return _new_verdict(
            values.report,
            values.status,
            tuple([_new_finding(*f._replace(message=dict(f.message))) for f in values.findings]),
            _new_source(values.file, values.row),
            values.problems,
            values.ruleset,
            values.group,
            values.unchecked,
        )

    def verdict_fields(self, i: int, status: Status, entries: Sequence[tuple[int, int]]) -> VerdictValues:
        """Report ``i``'s verdict as plain values, each finding a tuple of its fields."""
        record = self.verdict_refs(i, status, entries)
        findings = [columns.fields(j) for columns, j in record.findings]
        return VerdictValues(*record._replace(findings=findings))

    def verdict_refs(self, i: int, status: Status, entries: Sequence[tuple[int, int]]) -> VerdictRecord:
        """Report ``i``'s verdict as plain values, each finding a place in its block of columns."""
        rid = self.evaluation.reports.ids[i]
        if status is Status.INVALID:
            problems = tuple(self.evaluation.problems.get(i, ()))
            return VerdictRecord(
                rid,
                status,
                [],
                self.evaluation.reports.file,
                self.evaluation.row_numbers[i],
                problems,
                self.evaluation.ruleset_ref,
                None,
                (),
            )
        findings = []
        for r, k in entries:
            start, columns = self._finding_place(r, k)
            findings.append((columns, k - start))
        group = (
            self.evaluation.group_ids[int(self.evaluation.rep[i])]
            if self.evaluation.rules.duplicates is not None
            else None
        )
        unchecked = (
            tuple([r for r, mask in self.evaluation.unchecked.items() if mask[i]])
            if self.evaluation.unchecked
            else ()
        )
        return VerdictRecord(
            rid,
            status,
            findings,
            self.evaluation.reports.file,
            self.evaluation.row_numbers[i],
            (),
            self.evaluation.ruleset_ref,
            group,
            unchecked,
        )

    def _facts(self, r: int) -> FindingFacts:
        """Everything per finding of active rule ``r`` that its Finding objects read, as lists."""
        facts = self._finding_facts.get(r)
        if facts is None:
            facts = self._finding_facts[r] = self._new_facts(self.evaluation.active[r])
        return facts

    def _new_facts(self, rule: Rule) -> FindingFacts:
        res = self.evaluation.results[rule.id]
        index = res.index
        zone, signed = self.evaluation.near_evidence(rule, res)
        templates = tuple((lang, *self.messages.template(rule, lang)) for lang in i18n.LANGUAGES)
        return FindingFacts(
            rule=rule,
            index=index.tolist(),
            value=res.value.tolist(),
            leaf=res.leaf.tolist(),
            leaves=[cond for cond, _ in self.evaluation.evidence_leaves.get(rule.id, [])],
            exempt=None if res.exempt is None else res.exempt.tolist(),
            permit_note=None if res.permit_note is None else res.permit_note.tolist(),
            acc=self.evaluation.acc[index].tolist(),
            acc_reported=self.evaluation.acc_reported[index].tolist(),
            undated=np.isnat(self.evaluation.reports.observed_day[index]).tolist(),
            zone=zone.tolist(),
            signed=signed.tolist(),
            extra={name: column.tolist() for name, column in res.extra.items()},
            templates=templates,
            report={name: self._report_values(name, index) for _, _, names in templates for name in names},
        )

    def _report_values(self, name: str, index: np.ndarray) -> list[Any]:
        """Field ``name`` (canonical, else an extra column; else None) of the reports at ``index``."""
        r = self.evaluation.reports
        if name == "id":
            return [r.ids[j] for j in index.tolist()]
        if name in TEXT_FIELDS or name in MEASURE_FIELDS:
            return getattr(r, name)[index].tolist()
        if name == "observed_at":
            return [r.observed_at[j] for j in index.tolist()]
        if name == "area_m2":
            return (r.width_m[index] * r.height_m[index]).tolist()
        if name in r.extra:
            column = r.extra[name]
            return [column[j] for j in index.tolist()]
        return [None] * len(index)

    def _finding_place(self, r: int, k: int) -> tuple[int, FindingColumns]:
        """The block of columns holding finding ``k`` of active rule ``r``, and the block's first finding.

        Made a block at a time while a rule's findings are read in order (as verdicts are
        iterated), one at a time otherwise.
        """
        block = self._finding_blocks.get(r)
        if block is None or not block[0] <= k < block[0] + len(block[1]):
            on = block is not None and k == block[0] + len(block[1])
            stop = min(k + FINDING_BLOCK, len(self._facts(r).value)) if on else k + 1
            block = self._finding_blocks[r] = (k, self._finding_block(r, k, stop))
        return block

    def _finding_block(self, r: int, start: int, stop: int) -> FindingColumns:
        """Findings ``start:stop`` of active rule ``r``, as columns.

        Made a field at a time over the block (list comprehensions over the facts'
        lists), not a finding at a time.
        """
        facts = self._facts(r)
        rule = facts.rule
        block = _Block(facts, start, stop)
        self._whole_list_evidence(block)
        self._duplicate_evidence(block)
        self._permit_notes(block)
        self._leaf_evidence(block)
        texts = self.messages.messages(
            facts,
            start,
            stop,
            block.zone,
            block.distance,
            block.threshold,
            block.margin,
            block.period,
            block.evidence,
        )
        langs = tuple(lang for lang, _, _ in facts.templates)
        self._add_suffixes(block, texts, langs)
        spatial = [z is not None or bool(why) or block.measured for z, why in zip(block.zone, block.reason)]
        return FindingColumns(
            rule.id,
            rule.severity,
            rule.legal_basis,
            rule.title,
            block.status,
            langs,
            texts,
            block.zone,
            block.distance,
            block.threshold,
            block.margin,
            [a if s else None for a, s in zip(block.acc, spatial)],
            [a if s else None for a, s in zip(block.acc_source, spatial)],
            [why or (pr[0] if pr else None) for why, pr in zip(block.reason, block.permit_reason)],
            block.permit,
            block.details,
        )

    def _whole_list_evidence(self, block: _Block) -> None:
        """A whole-list rule's details and message values, as its kind reports them."""
        rule = block.facts.rule
        whole = rule_kind_of(rule)
        if whole is None:
            return
        kind, node = whole
        shown = kind.evidence(
            node,
            {name: column[block.start : block.stop] for name, column in block.facts.extra.items()},
            block.index,
            [s is Status.REVIEW for s in block.status],  # before permits
            self.evaluation.group_labels[rule.id],
            self.evaluation.group_ids,
        )
        block.details = shown.details
        block.evidence.update(shown.values)
        if shown.distance is not None:  # a rule that measures: its accuracy is shown
            block.distance, block.measured = shown.distance, True
        block.threshold = shown.threshold if shown.threshold is not None else block.threshold
        block.margin = shown.margin if shown.margin is not None else block.margin
        block.reason = shown.reason if shown.reason is not None else block.reason

    def _duplicate_evidence(self, block: _Block) -> None:
        """The first report of each finding's duplicate group, when it is another report."""
        if self.evaluation.rules.duplicates is None:
            return
        ids, index = self.evaluation.group_ids, block.index
        reps = self.evaluation.rep[index].tolist() if index else []
        if any(p != i for p, i in zip(reps, index)):
            block.evidence["duplicate_of"] = [ids[p] if p != i else UNSET for p, i in zip(reps, index)]

    def _permit_notes(self, block: _Block) -> None:
        """The permit of each finding a permit exempts, or whose scope matched on another day."""
        facts, start, stop = block.facts, block.start, block.stop
        for notes, exempts in ((facts.permit_note, False), (facts.exempt, True)):  # exempting wins
            if notes is None:
                continue
            for j, q in enumerate(notes[start:stop]):
                if q >= 0:
                    p = self.evaluation.permits[q]
                    block.permit[j] = p.id
                    if exempts:
                        block.status[j], block.permit_reason[j] = Status.EXEMPT, ("permit_exempts", p)
                    else:
                        block.permit_reason[j] = (
                            "permit_undated" if block.undated[j] else "permit_not_valid",
                            p,
                        )
        block.evidence["permit"] = block.permit

    def _leaf_evidence(self, block: _Block) -> None:
        """The zone, distance and margin, or the period, of the condition that made each finding."""
        facts, start = block.facts, block.start
        leaf = facts.leaf[start : block.stop]
        for li, cond in enumerate(facts.leaves):
            shown = kind_of(cond).evidence(cond)
            if shown is None:
                continue
            if shown.zone_category is not None:
                zone_of, signed = facts.zone, facts.signed
                for j in [j for j, x in enumerate(leaf) if x == li]:
                    z = zone_of[start + j]
                    if z >= 0:
                        s = signed[start + j]
                        block.zone[j] = self._zone_ref(z)
                        # inside a zone the distance is minus the depth: margin = threshold - distance
                        block.distance[j] = round(s, 3) + 0.0
                        block.threshold[j] = shown.threshold_m
                        block.margin[j] = round(shown.threshold_m - block.distance[j], 3) + 0.0  # type: ignore[operator]
                    if block.status[j] is Status.REVIEW:
                        block.reason[j] = "gps_straddles"
            elif shown.period is not None:
                for j in [j for j, x in enumerate(leaf) if x == li]:
                    block.period[j] = shown.period
                    if block.status[j] is Status.REVIEW and block.undated[j]:
                        block.reason[j] = "date_missing"

    def _add_suffixes(self, block: _Block, texts: list[list[str]], langs: tuple[str, ...]) -> None:
        """Why each finding in doubt is in doubt, and what a permit did, after its message."""
        reason, permit_reason, acc, acc_source = (
            block.reason,
            block.permit_reason,
            block.acc,
            block.acc_source,
        )
        for j in [j for j in range(len(reason)) if reason[j] or permit_reason[j]]:
            if not permit_reason[j]:  # most: a doubt, the same text for many findings
                for column, text in zip(
                    texts, self.messages.reason_suffix(reason[j], acc[j], acc_source[j], langs)
                ):
                    column[j] += text
                continue
            suffixes = []  # why the finding is in doubt, and what a permit did: in every language
            if reason[j]:
                suffixes.append(self.messages.reason_text(reason[j], acc[j], acc_source[j]))
            code, p = permit_reason[j]  # type: ignore[misc]
            observed_at = self.evaluation.reports.observed_at[block.index[j]]
            suffixes.append(
                i18n.render(code, permit=p.id, span=p.span(), reason=p.reason or "-", observed_at=observed_at)
            )
            for lang, column in zip(langs, texts):
                column[j] += "".join([" — " + s[lang] for s in suffixes])

    def _zone_ref(self, z: int) -> ZoneRef:
        """The zone's reference (one shared object per zone; it is frozen)."""
        ref = self._zone_refs.get(z)
        if ref is None:
            ref = self._zone_refs[z] = self._new_zone_ref(z)
        return ref

    def _new_zone_ref(self, z: int) -> ZoneRef:
        zones = self.evaluation.zones
        cat = zones.categories[z]
        kind = zones.kinds[z]
        r = zones.radius_m[z]
        radius = float(
            (0.0 if kind == "polygon" else self.evaluation.rules.zone_radius_m.get(cat, 0.0))
            if math.isnan(r)
            else r
        )
        return ZoneRef(
            id=zones.ids[z],
            category=cat,
            name=zones.names[z],
            geometry_kind=kind,
            approximated=kind != "polygon" and radius > 0,
            radius_m=radius,
            source_file=zones.source_files[z],
            origin=zones.origins[z] if zones.origins else None,
        )
