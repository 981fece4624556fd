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

import json
import math
from typing import Any

from ..model import Finding, Verdict
from .records import finding_record

_ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
_ENCODE_STR = json.encoder.encode_basestring  # what _ENCODE does for a str, without its checks


def _value(value: Any) -> str:
    """Any JSON value as ``json.dumps`` writes it; a plain string goes the short way."""
    return _ENCODE_STR(value) if type(value) is str else _ENCODE(value)


def _texts(texts: Any) -> str:
    """A ``{lang: text}`` mapping (a message) as ``json.dumps`` writes it."""
    items = texts.items()
    if all(type(k) is str and type(v) is str for k, v in items):
        return "{" + ",".join([_ENCODE_STR(k) + ":" + _ENCODE_STR(v) for k, v in items]) + "}"
    return _ENCODE(dict(texts))


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


class VerdictJson:
    """Encodes verdicts one at a time; caches what repeats across them."""

    def __init__(self) -> None:
        self._heads: dict[tuple[Any, ...], str] = {}
        self._zones: dict[int, tuple[Any, str]] = {}
        self._texts: dict[Any, str] = {}
        self._sources: dict[str, str] = {}
        self._ruleset: tuple[Any, str] = (None, "null")  # the last reference and its JSON

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
        if source is None:
            source_json = "null"
        else:
            head = self._sources.get(source.file)
            if head is None:
                head = self._sources[source.file] = '{"file":' + _ENCODE(source.file) + ',"row":'
            source_json = head + _number(source.row) + "}"
        ref = verdict.ruleset
        if ref is None:
            ruleset_json = "null"
        elif ref is self._ruleset[0]:  # one run's verdicts share one reference
            ruleset_json = self._ruleset[1]
        else:
            ruleset_json = _ENCODE({"id": ref.id, "version": ref.version, "sha256": ref.sha256})
            self._ruleset = (ref, ruleset_json)
        problems = (
            _ENCODE(
                [
                    {"code": p.code, "field": p.field, "value": p.value, "message": dict(p.message)}
                    for p in verdict.problems
                ]
            )
            if verdict.problems
            else "[]"
        )
        findings = ",".join([self._finding(f) for f in verdict.findings]) if verdict.findings else ""
        group = "null" if verdict.group is None else _value(verdict.group)
        return (
            f'{{"report":{_value(verdict.report)},"source":{source_json}'
            f',"status":{self._text(verdict.status.value)},"findings":[{findings}]'
            f',"problems":{problems},"group":{group},"ruleset":{ruleset_json}}}'
        )

    def _finding(self, f: Finding) -> str:
        try:
            key = (f.rule, f.severity, f.status, tuple(f.title.items()))
        except TypeError:  # an unhashable title: no shortcut
            return _ENCODE(finding_record(f))
        head = self._heads.get(key)
        if head is None:
            start = _ENCODE(
                {
                    "rule": f.rule,
                    "severity": f.severity.value,
                    "status": f.status.value,
                    "title": dict(f.title),
                }
            )
            head = self._heads[key] = start[:-1] + ',"message":'
        zone = f.zone
        if zone is None:
            zone_json = "null"
        else:
            cached = self._zones.get(id(zone))
            if cached is None or cached[0] is not zone:
                if len(self._zones) > 100_000:
                    self._zones.clear()
                cached = self._zones[id(zone)] = (zone, _ENCODE(finding_record(f)["zone"]))
            zone_json = cached[1]
        text = self._text
        details = _ENCODE(dict(f.details)) if f.details else "{}"
        return (
            f'{head}{_texts(f.message)},"legal_basis":{text(f.legal_basis)},"zone":{zone_json}'
            f',"distance_m":{_number(f.distance_m)},"threshold_m":{_number(f.threshold_m)}'
            f',"margin_m":{_number(f.margin_m)},"accuracy_m":{_number(f.accuracy_m)}'
            f',"accuracy_source":{text(f.accuracy_source)},"reason":{text(f.reason)}'
            f',"permit":{text(f.permit)},"details":{details}}}'
        )
