"""Verdicts as compact JSON text, fast: the parts that repeat are encoded once.

:meth:`VerdictJson.encode` gives exactly
``json.dumps(verdict_record(v), ensure_ascii=False, separators=(",", ":"))``
(tested on every verdict of the bundled rule sets and on edge values), but a
rule's identity and title, a zone, a source file and a rule set reference are
encoded once per writer instead of once per finding. The JSON and JSON Lines
writers use it; each writer call makes its own encoder, so nothing is shared
between runs.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import math
import operator
from collections.abc import Iterable, Iterator
from typing import Any

from ..model import Finding, Status, Verdict
from ..results.blocks import FindingColumns, VerdictBlock, VerdictRecord, VerdictValues
from .records import finding_record, zone_record

_ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
_ENCODE_STR = json.encoder.encode_basestring  # what _ENCODE does for a str, without its checks


_finding_fields = operator.attrgetter(*(f.name for f in dataclasses.fields(Finding)))
"""A Finding's fields as a tuple, in declaration order."""


_STATUS_JSON = {s: f'"{s.value}"' for s in Status}
_NO_NUMBERS = ',"distance_m":null,"threshold_m":null,"margin_m":null,"accuracy_m":null'


def _value(value: Any) -> str:
    """Any JSON value as ``json.dumps`` writes it; a plain string goes the short way."""
    return _ENCODE_STR(value) if type(value) is str else _ENCODE(value)


def _texts(texts: Any) -> str:
    """A ``{lang: text}`` mapping (a message) as ``json.dumps`` writes it."""
    if type(texts) is dict and len(texts) == 2:  # the engine's messages: {"id": ..., "en": ...}
        (k1, v1), (k2, v2) = texts.items()
        if k1 == "id" and k2 == "en" and type(v1) is str and type(v2) is str:
            return f'{{"id":{_ENCODE_STR(v1)},"en":{_ENCODE_STR(v2)}}}'
    items = texts.items()
    if all(type(k) is str and type(v) is str for k, v in items):
        return "{" + ",".join([_ENCODE_STR(k) + ":" + _ENCODE_STR(v) for k, v in items]) + "}"
    return _ENCODE(dict(texts))


def _message_column(langs: tuple[str, ...], texts: list[list[str]]) -> list[str]:
    """Messages given as one column of texts per language, each as ``_texts`` writes it."""
    if langs == ("id", "en"):  # the engine's languages
        return [f'{{"id":{_ENCODE_STR(a)},"en":{_ENCODE_STR(b)}}}' for a, b in zip(*texts)]
    keys = [_ENCODE_STR(lang) + ":" for lang in langs]
    return ["{" + ",".join([k + _ENCODE_STR(t) for k, t in zip(keys, row)]) + "}" for row in zip(*texts)]


def _number(value: Any) -> str:
    """A number (or None) as ``json.dumps`` writes it."""
    if value is None:
        return "null"
    kind = type(value)
    if kind is float:
        if math.isfinite(value):
            return float.__repr__(value)
        return "NaN" if value != value else ("Infinity" if value > 0 else "-Infinity")
    if kind is int:
        return int.__repr__(value)
    return _ENCODE(value)


def _numbers(distance: Any, threshold: Any, margin: Any, accuracy: Any) -> str:
    """A finding's four numbers as the members ``json.dumps`` writes for them."""
    if (
        type(distance) is float
        and type(threshold) is float
        and type(margin) is float
        and type(accuracy) is float
        and (distance + threshold + margin + accuracy) * 0.0 == 0.0  # all finite (else inf or NaN)
    ):  # a distance rule's finding: repr is what json.dumps writes for a finite float
        return (
            f',"distance_m":{distance!r},"threshold_m":{threshold!r}'
            f',"margin_m":{margin!r},"accuracy_m":{accuracy!r}'
        )
    if distance is None and threshold is None and margin is None and accuracy is None:
        return _NO_NUMBERS  # a date or field rule's finding
    return (
        f',"distance_m":{_number(distance)},"threshold_m":{_number(threshold)}'
        f',"margin_m":{_number(margin)},"accuracy_m":{_number(accuracy)}'
    )


def _by_identity(cache: dict[int, tuple[Any, str]], obj: Any, encode: Any, *, limit: int) -> str:
    """``encode(obj)``, kept in ``cache`` by the object's identity (with the object, so that
    its id stays its own); the cache is emptied when it reaches ``limit`` entries."""
    cached = cache.get(id(obj))
    if cached is None or cached[0] is not obj:
        if len(cache) >= limit:
            cache.clear()
        cached = cache[id(obj)] = (obj, encode(obj))
    return cached[1]


def _zone_json(zone: Any) -> str:
    return _ENCODE(zone_record(zone))


def _problem_json(p: Any) -> str:
    return _ENCODE({"code": p.code, "field": p.field, "value": p.value, "message": dict(p.message)})


def encoded_verdicts(verdicts: Iterable[Any]) -> Iterator[str]:
    """Each verdict as one line of compact JSON, with a new encoder.

    The engine's verdict list is read as plain values (``field_blocks``), so no
    Verdict or Finding object is built for it; any other sequence of verdicts is
    read object by object. The text is the same either way.
    """
    encoder = VerdictJson()
    blocks = getattr(verdicts, "field_blocks", None)
    if blocks is not None:
        return itertools.chain.from_iterable(map(encoder.encode_block, blocks()))
    return map(encoder.encode, verdicts)


class VerdictJson:
    """Encodes verdicts one at a time; caches what repeats across them."""

    def __init__(self) -> None:
        self._heads: dict[tuple[Any, ...], str] = {}
        self._heads_by_title: dict[tuple[Any, ...], tuple[Any, str]] = {}
        self._zones: dict[int, tuple[Any, str]] = {}
        self._problems: dict[int, tuple[Any, str]] = {}
        self._legal_bases: dict[int, tuple[Any, str]] = {}  # each rule's legal basis, encoded
        self._tails: dict[tuple[Any, Any, Any], str] = {}  # accuracy source, reason and permit, encoded
        self._texts: dict[Any, str] = {}
        self._sources: dict[str, str] = {}
        self._ruleset: tuple[Any, str] = (None, "null")  # the last reference and its JSON
        self._encoded: dict[int, tuple[FindingColumns, list[str]]] = {}  # findings' JSON per block

    def _text(self, value: Any) -> str:
        """A string or None, encoded (cached: the same texts come back many times)."""
        try:
            return self._texts[value]
        except KeyError:
            encoded = self._texts[value] = _ENCODE(value)
            if len(self._texts) > 100_000:  # bound the cache for lists with many distinct texts
                self._texts.clear()
            return encoded
        except TypeError:  # not hashable: encode it as is
            return _ENCODE(value)

    def encode(self, verdict: Verdict) -> str:
        """``verdict`` as one line of compact JSON (the shape of ``verdict_record``)."""
        source = verdict.source
        return self.encode_fields(
            VerdictValues(
                verdict.report,
                verdict.status,
                [_finding_fields(f) for f in verdict.findings],
                None if source is None else source.file,
                None if source is None else source.row,
                verdict.problems,
                verdict.ruleset,
                verdict.group,
                verdict.unchecked,
            )
        )

    def encode_block(self, block: VerdictBlock) -> list[str]:
        """The verdicts of a :class:`~atribut_rules.results.blocks.VerdictBlock`, as :meth:`encode` writes them.

        The ok verdicts share all but their report, row and group, so they are written
        from one template. The others' findings are written a block of columns at a time
        (:meth:`encode_columns`).
        """
        if not block.ok_ids:
            return self._encode_others(block.others)
        others = iter(self._encode_others(block.others))
        ids = block.ok_ids
        report = list(map(_value, ids))
        if block.file is None:
            middle = ',"source":null'
            rows: Iterable[str] = ("" for _ in ids)
        else:
            middle = ',"source":' + self._source_head(block.file)
            rows = [f"{int.__repr__(row) if type(row) is int else _number(row)}}}" for row in block.ok_rows]
        status = f',"status":{_STATUS_JSON[Status.OK]},"findings":[],"problems":[],"group":'
        ruleset = f',"unchecked":[],"ruleset":{self._ruleset_json(block.ruleset)}}}'
        if block.ok_groups is None:
            tail = "null" + ruleset
            ok = iter([f'{{"report":{r}{middle}{row}{status}{tail}' for r, row in zip(report, rows)])
        else:
            groups = [_value(g) for g in block.ok_groups]
            ok = iter(
                [
                    f'{{"report":{r}{middle}{row}{status}{g}{ruleset}'
                    for r, row, g in zip(report, rows, groups)
                ]
            )
        return [next(ok) if flag else next(others) for flag in block.ok]

    def _source_head(self, file: str) -> str:
        """``{"file":...,"row":`` for ``file``: what a verdict's source holds before its row."""
        head = self._sources.get(file)
        if head is None:
            head = self._sources[file] = '{"file":' + _ENCODE(file) + ',"row":'
        return head

    def _ruleset_json(self, ref: Any) -> str:
        """A rule set reference (or None) as JSON; one run's verdicts share one reference."""
        if ref is None:
            return "null"
        if ref is not self._ruleset[0]:
            self._ruleset = (ref, _ENCODE({"id": ref.id, "version": ref.version, "sha256": ref.sha256}))
        return self._ruleset[1]

    def encode_fields(self, fields: VerdictValues) -> str:
        """A verdict given as plain values, as :meth:`encode` writes it.

        ``fields`` is ``(report, status, findings, file, row, problems, ruleset, group, unchecked)``
        with each finding a tuple of :class:`Finding`'s fields in order; a ``file`` of
        None stands for a verdict without source.
        """
        return self._verdicts([fields], [",".join([self._finding(f) for f in fields.findings])])[0]

    def _encode_others(self, others: list[VerdictRecord]) -> list[str]:
        """The verdicts of ``VerdictBlock.others`` (findings as places in blocks of columns),
        each as :meth:`encode` writes it."""
        # an entry of the cache holds its block, so a block found by its id is that block
        encoded, encode = self._encoded, self._encoded_columns
        findings = [
            ",".join([(encoded.get(id(c)) or encode(c))[1][j] for c, j in record.findings]) for record in others
        ]
        return self._verdicts(others, findings)

    def _encoded_columns(self, columns: FindingColumns) -> tuple[FindingColumns, list[str]]:
        """``columns`` and their findings' JSON, kept by the block's identity (a block's
        findings belong to verdicts of several blocks of verdicts)."""
        if len(self._encoded) >= 64:  # the oldest half: the blocks the engine has moved on from
            for key in list(self._encoded)[:32]:
                del self._encoded[key]
        cached = self._encoded[id(columns)] = (columns, self.encode_columns(columns))
        return cached

    def _verdicts(self, verdicts: list[tuple[Any, ...]], findings: list[str]) -> list[str]:
        """Verdicts' JSON from their plain values (``encode_fields``'s), their findings given as
        JSON; made a field at a time over all of them."""
        if not verdicts:
            return []
        reports, statuses, _, files, rows, problems, rulesets, groups, unchecked = zip(*verdicts)
        sources, source_head = self._sources, self._source_head
        source = [
            "null"
            if f is None
            else f"{sources.get(f) or source_head(f)}{int.__repr__(r) if type(r) is int else _number(r)}}}"
            for f, r in zip(files, rows)
        ]
        status = [_STATUS_JSON.get(s) or self._text(s.value) for s in statuses]
        problem = self._problem
        problem_json = ["[" + ",".join([problem(p) for p in ps]) + "]" if ps else "[]" for ps in problems]
        group = ["null" if g is None else _value(g) for g in groups]
        ruleset = [self._ruleset[1] if r is self._ruleset[0] else self._ruleset_json(r) for r in rulesets]
        unchecked_json = [_ENCODE(list(u)) if u else "[]" for u in unchecked]
        return [
            f'{{"report":{a},"source":{b},"status":{c},"findings":[{d}],"problems":{e},"group":{g},'
            f'"unchecked":{u},"ruleset":{h}}}'
            for a, b, c, d, e, g, u, h in zip(
                map(_value, reports), source, status, findings, problem_json, group, unchecked_json, ruleset
            )
        ]

    def _problem(self, problem: Any) -> str:
        """A problem's JSON; cached by identity, as the rows of a table share their problems."""
        return _by_identity(self._problems, problem, _problem_json, limit=10_000)

    def _head(self, rule: Any, severity: Any, status: Any, title: Any) -> str:
        """A finding's JSON up to its message: the same for every finding of a rule and status.

        Looked up by the title object first (the engine hands every finding of a rule the
        rule's own title), then by the title's items.
        """
        by_identity = self._heads_by_title.get((rule, severity, status, id(title)))
        if by_identity is not None and by_identity[0] is title:
            return by_identity[1]
        try:
            key: Any = (rule, severity, status, tuple(title.items()))
        except TypeError:  # an unhashable title
            key = None
        head = self._heads.get(key) if key is not None else None
        if head is None:
            start = _ENCODE(
                {"rule": rule, "severity": severity.value, "status": status.value, "title": dict(title)}
            )
            head = start[:-1] + ',"message":'
            if key is not None:
                self._heads[key] = head
        if len(self._heads_by_title) < 1000:  # keeps the titles alive, so their ids stay theirs
            self._heads_by_title[(rule, severity, status, id(title))] = (title, head)
        return head

    def _finding(self, f: tuple[Any, ...]) -> str:
        (rule, severity, status, message, legal_basis, title, zone, distance, threshold, margin, acc,
         acc_source, reason, permit, details) = f  # fmt: skip
        try:
            head = self._head(rule, severity, status, title)
        except (TypeError, AttributeError):  # not the shapes a Finding holds: no shortcut
            return _ENCODE(finding_record(Finding(*f)))
        if zone is None:
            zone_json = "null"
        else:
            zone_json = _by_identity(self._zones, zone, _zone_json, limit=100_000)
        numbers = _numbers(distance, threshold, margin, acc)
        tail = self._tail((acc_source, reason, permit))
        return (
            f'{head}{_texts(message)},"legal_basis":{self._legal(legal_basis)},"zone":{zone_json}'
            f'{numbers}{tail},"details":{_ENCODE(dict(details)) if details else "{}"}}}'
        )

    def _legal(self, legal_basis: Any) -> str:
        """A rule's legal basis (its own ``{lang: text}`` mapping) as JSON, kept by identity."""
        return _by_identity(self._legal_bases, legal_basis, _texts, limit=1000)

    def _tail(self, key: tuple[Any, Any, Any]) -> str:
        """A finding's accuracy source, reason and permit as JSON, cached (a few kinds a run:
        "assumed", "gps_straddles", a permit id ...)."""
        try:
            tail = self._tails.get(key)
        except TypeError:  # an unhashable value: not cached
            return self._new_tail(key)
        if tail is None:
            if len(self._tails) > 10_000:
                self._tails.clear()
            tail = self._tails[key] = self._new_tail(key)
        return tail

    def _new_tail(self, key: tuple[Any, Any, Any]) -> str:
        acc_source, reason, permit = key
        text = self._text
        return f',"accuracy_source":{text(acc_source)},"reason":{text(reason)},"permit":{text(permit)}'

    def encode_columns(self, columns: FindingColumns) -> list[str]:
        """Each finding of a block of :class:`~atribut_rules.results.blocks.FindingColumns` as JSON, a
        column at a time: the text :meth:`encode` writes for the same finding."""
        title = columns.title
        try:
            heads = {
                s: self._head(columns.rule, columns.severity, s, title) for s in dict.fromkeys(columns.status)
            }
        except (TypeError, AttributeError):  # not the shapes a Finding holds: no shortcut
            return [self._finding(columns.fields(j)) for j in range(len(columns))]
        head = [heads[s] for s in columns.status]
        messages = _message_column(columns.langs, columns.texts)
        middle = f',"legal_basis":{self._legal(columns.legal_basis)},"zone":'
        zones, limit = self._zones, 100_000
        zone = [
            "null" if z is None else _by_identity(zones, z, _zone_json, limit=limit) for z in columns.zone
        ]
        numbers = map(_numbers, columns.distance, columns.threshold, columns.margin, columns.accuracy)
        tail = map(self._tail, zip(columns.accuracy_source, columns.reason, columns.permit))
        details = ["{}" if not d else _ENCODE(dict(d)) for d in columns.details]
        return [
            f'{h}{m}{middle}{z}{n}{t},"details":{d}}}'
            for h, m, z, n, t, d in zip(head, messages, zone, numbers, tail, details)
        ]
