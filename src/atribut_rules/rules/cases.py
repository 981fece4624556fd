"""Rule tests: cases that ship with a rule set and say what each rule must decide.

A test file (format ``atribut-rules-tests/1``, documented in docs/rulesets/rule-tests.md)
names its rule set, an optional metre frame, a small inline zone
FeatureCollection, and cases. Each case lists reports, optionally permits, and,
per report, the expected status of each rule: ``violation``, ``review``,
``exempt`` or ``ok``. Rules a report does not list are expected ``ok`` unless the
report says ``"*": any``. Whole-list rules (quotas, spacing, duplicates) are
decided over the reports of one case together.

The bundled set ``rules/NAME.yaml`` keeps its cases in ``rules/tests/NAME.yaml``.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import pyproj

from .. import resources
from ..errors import InputError, RuleSetError, Text
from ..evaluate.check import check
from ..evaluate.permits import Permit, permits_from_mappings
from ..model import Status
from ..read.yamlsafe import load_yaml
from ..results.run import Run
from ..spatial.projection import local_tm
from ..spatial.zones import load_zones
from ..table.reports import Reports
from .ruleset import RuleSet, load_rules

TESTS_SCHEMA = "atribut-rules-tests/1"
EXPECTED = ("violation", "review", "unchecked", "exempt", "ok")
"""What a rule may be expected to decide for one report."""
ANY = "any"
"""Expectation that accepts whatever the rule decides (only for ``"*"``)."""

_TOP_KEYS = {"schema", "rules", "frame", "defaults", "zones", "cases"}
_CASE_KEYS = {"name", "description", "zones", "permits", "reports", "expect"}


@dataclass(frozen=True)
class Case:
    """One test case: reports, the zones they are checked against, and what each rule must say."""

    name: str
    description: str
    reports: tuple[Mapping[str, Any], ...]
    zones: Mapping[str, Any]
    expect: Mapping[str, Mapping[str, str]]
    line: int | None = None
    permits: tuple[Permit, ...] = ()


@dataclass(frozen=True)
class TestFile:
    """A parsed test file and the rule set its cases run against."""

    __test__ = False  # not a pytest class

    path: Path
    display: str
    rules_ref: str
    ruleset: RuleSet
    cases: tuple[Case, ...]


@dataclass(frozen=True)
class Mismatch:
    """One rule of one report that decided otherwise than expected."""

    report: str
    rule: str
    expected: str
    got: str
    message: str = ""
    messages: Mapping[str, str] = field(default_factory=dict)
    """The message in each language (``message`` is the English one)."""


@dataclass(frozen=True)
class CaseResult:
    """The outcome of one case: passed when there is no mismatch."""

    file: str
    case: Case
    mismatches: tuple[Mismatch, ...] = field(default_factory=tuple)

    @property
    def passed(self) -> bool:
        return not self.mismatches

    def describe(self, lang: str = "en") -> str:
        """A readable diff in ``lang``: one line per rule that decided otherwise than expected;
        each finding's message in that language."""
        where = f"{self.file}:{self.case.line}" if self.case.line else self.file
        head = Text("cases.fail_head", name=self.case.name, where=where).render(lang)
        if self.case.description:
            head += f"\n  {self.case.description}"
        lines = [head]
        for m in self.mismatches:
            line = "  " + Text(
                "cases.mismatch", report=m.report, rule=m.rule, expected=m.expected, got=m.got
            ).render(lang)
            message = m.messages.get(lang) or m.message
            if message:
                line += f"\n      {message}"
            lines.append(line)
        return "\n".join(lines)


def tests_path_for(rules_ref: str) -> Path:
    """Where the cases of a rule set live: ``tests/NAME.yaml`` beside the rule file."""
    if rules_ref.startswith("builtin:"):
        return resources.rules_dir() / "tests" / f"{rules_ref.split(':', 1)[1]}.yaml"
    path = Path(rules_ref)
    return path.parent / "tests" / f"{path.stem}.yaml"


def _err(message: Text, file: str, marks: Mapping, path: tuple, hint: Text | None = None) -> RuleSetError:
    p = tuple(path)
    while p and p not in marks:
        p = p[:-1]
    line, col = marks.get(p, (None, None))
    return RuleSetError(message, file=file, line=line, column=col, hint=hint)


def load_tests(
    path: str | Path, *, rules: str | RuleSet | None = None, display: str | None = None
) -> TestFile:
    """Read a test file; ``rules`` overrides the rule set it names (a reference or a loaded set)."""
    path = Path(path)
    display = display or str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise RuleSetError(Text("cases.cannot_read_rule_test", strerror=exc.strerror), file=display) from None
    data, marks = load_yaml(text, file=display)
    if not isinstance(data, dict):
        raise RuleSetError(Text("cases.rule_test_file_must"), file=display, line=1, column=1)
    if data.get("schema") != TESTS_SCHEMA:
        raise _err(Text("cases.schema_must", tests_schema=TESTS_SCHEMA), display, marks, ("schema",))
    unknown = sorted(set(data) - _TOP_KEYS)
    if unknown:
        raise _err(
            Text("cases.unknown_key", unknown=unknown[0]),
            display,
            marks,
            (unknown[0],),
            hint=Text("cases.known_hint", sorted=sorted(_TOP_KEYS)),
        )
    ref = data.get("rules")
    if isinstance(rules, RuleSet):
        ruleset, rules_ref = rules, rules.source or rules.id
    else:
        rules_ref = rules or ref
        if not isinstance(rules_ref, str):
            raise _err(Text("cases.rules_must_name_rule"), display, marks, ("rules",))
        if rules is None and not rules_ref.startswith("builtin:"):
            rules_ref = str(path.parent / rules_ref)
        ruleset = load_rules(rules_ref)
    to_lonlat = frame(data.get("frame"), display, marks)
    base_zones = _zones(data.get("zones"), to_lonlat, display, marks, ("zones",))
    defaults = data.get("defaults") or {}
    if not isinstance(defaults, dict):
        raise _err(Text("cases.defaults_must_mapping_report"), display, marks, ("defaults",))
    raw_cases = data.get("cases")
    if not isinstance(raw_cases, list) or not raw_cases:
        raise _err(Text("cases.cases_must_non_empty"), display, marks, ("cases",))
    known_rules = {r.id for r in ruleset.active_rules}
    disabled = {r.id for r in ruleset.rules if not r.enabled}
    cases: list[Case] = []
    names: set[str] = set()
    for i, raw in enumerate(raw_cases):
        where = ("cases", i)
        if not isinstance(raw, dict):
            raise _err(Text("cases.case_must_mapping"), display, marks, where)
        unknown = sorted(set(raw) - _CASE_KEYS)
        if unknown:
            raise _err(
                Text("cases.case_unknown_key", unknown=unknown[0]), display, marks, where + (unknown[0],)
            )
        name = raw.get("name")
        if not isinstance(name, str) or not name:
            raise _err(Text("cases.case_needs_name"), display, marks, where)
        if name in names:
            raise _err(Text("cases.duplicate_case_name", name=name), display, marks, where + ("name",))
        names.add(name)
        zones = base_zones
        if "zones" in raw:
            zones = _zones(raw["zones"], to_lonlat, display, marks, where + ("zones",))
        reports = []
        ids: set[str] = set()
        for j, rep in enumerate(raw.get("reports") or []):
            rwhere = where + ("reports", j)
            if not isinstance(rep, dict) or "id" not in rep:
                raise _err(Text("cases.report_must_mapping_id"), display, marks, rwhere)
            for record in _expand({**defaults, **rep}, display, marks, rwhere):
                if "at" in record:
                    at = record.pop("at")
                    if to_lonlat is None:
                        raise _err(Text("cases.needs_metre_frame"), display, marks, rwhere + ("at",))
                    record["lon"], record["lat"] = to_lonlat(_xy(at, display, marks, rwhere))
                if record["id"] in ids:
                    raise _err(Text("cases.duplicate_report_id", record=record["id"]), display, marks, rwhere)
                ids.add(record["id"])
                reports.append(record)
        if not reports:
            raise _err(Text("cases.case_needs_least_one"), display, marks, where)
        expect = raw.get("expect")
        if not isinstance(expect, dict) or not expect:
            raise _err(Text("cases.case_needs_expect_report"), display, marks, where)
        parsed: dict[str, dict[str, str]] = {}
        for rid, per_rule in expect.items():
            ewhere = where + ("expect", rid)
            if str(rid) not in ids:
                raise _err(Text("cases.expect_names_report_which", rid=rid), display, marks, ewhere)
            if not isinstance(per_rule, dict):
                raise _err(Text("cases.expect_per_report_must"), display, marks, ewhere)
            out: dict[str, str] = {}
            for rule_id, status in per_rule.items():
                allowed = (*EXPECTED, ANY) if rule_id == "*" else EXPECTED
                if status not in allowed:
                    raise _err(
                        Text(
                            "cases.expected_status_use_one",
                            status=status,
                            rule_id=rule_id,
                            names=", ".join(allowed),
                        ),
                        display,
                        marks,
                        ewhere + (rule_id,),
                    )
                if rule_id != "*" and rule_id not in known_rules:
                    code = "cases.rule_disabled" if rule_id in disabled else "cases.rule_not_in_set"
                    raise _err(Text(code, rule_id=rule_id), display, marks, ewhere + (rule_id,))
                out[str(rule_id)] = status
            parsed[str(rid)] = out
        line = marks.get(where, (None, None))[0]
        permits = _permits(raw.get("permits"), to_lonlat, display, marks, where + ("permits",))
        description = str(raw.get("description") or "").strip()
        cases.append(Case(name, description, tuple(reports), zones, parsed, line, permits))
    return TestFile(path, display, rules_ref, ruleset, tuple(cases))


@lru_cache(maxsize=32)
def _inverse(origin: tuple[float, float]) -> pyproj.Transformer:
    return pyproj.Transformer.from_crs(local_tm(*origin), "EPSG:4326", always_xy=True)


def frame(frame: Any, file: str, marks: Mapping) -> Any:
    """A function from metres east/north of the frame origin to (lon, lat), or None."""
    if frame is None:
        return None
    origin = frame.get("origin") if isinstance(frame, dict) else None
    if (
        not isinstance(origin, list)
        or len(origin) != 2
        or not all(isinstance(v, (int, float)) for v in origin)
        or not (-180 <= origin[0] <= 180 and -90 <= origin[1] <= 90)
    ):
        raise _err(Text("cases.frame_needs_origin_lon"), file, marks, ("frame",))
    # A transverse Mercator with scale 1 at the origin: over the few hundred metres of
    # a test case it agrees with the ground to well under a millimetre.
    tm = _inverse((float(origin[0]), float(origin[1])))

    def to_lonlat(xy: tuple[float, float]) -> tuple[float, float]:
        lon, lat = tm.transform(xy[0], xy[1])
        return float(lon), float(lat)

    return to_lonlat


def _xy(value: Any, file: str, marks: Mapping, where: tuple) -> tuple[float, float]:
    if (
        isinstance(value, list)
        and len(value) == 2
        and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value)
    ):
        return float(value[0]), float(value[1])
    raise _err(Text("cases.position_must_east_m", value=value), file, marks, where)


def _zones(fc: Any, to_lonlat: Any, file: str, marks: Mapping, where: tuple) -> dict:
    if fc is None:
        return {"type": "FeatureCollection", "features": []}
    if not isinstance(fc, dict) or fc.get("type") != "FeatureCollection":
        raise _err(Text("cases.zones_must_geojson_featurecollection"), file, marks, where)
    fc = copy.deepcopy(fc)
    if to_lonlat is not None:
        for k, feature in enumerate(fc.get("features") or []):
            geom = feature.get("geometry") if isinstance(feature, dict) else None
            if isinstance(geom, dict) and "coordinates" in geom:
                geom["coordinates"] = _convert(
                    geom["coordinates"], to_lonlat, file, marks, where + ("features", k)
                )
    return fc


def _convert(coords: Any, to_lonlat: Any, file: str, marks: Mapping, where: tuple) -> Any:
    if isinstance(coords, list) and coords and all(isinstance(c, (int, float)) for c in coords):
        return list(to_lonlat(_xy(coords, file, marks, where)))
    if isinstance(coords, list):
        return [_convert(c, to_lonlat, file, marks, where) for c in coords]
    raise _err(Text("cases.bad_coordinates"), file, marks, where)


MAX_REPEAT = 10_000
"""The largest ``repeat`` of one report line."""


def _expand(record: dict, file: str, marks: Mapping, where: tuple) -> list[dict]:
    """One report, or ``repeat: K`` copies with ids ``ID-1`` .. ``ID-K`` (zero-padded to sort in
    order) placed ``step: [east_m, north_m]`` apart from ``at``."""
    record = dict(record)
    record["id"] = str(record["id"])
    repeat = record.pop("repeat", None)
    step = record.pop("step", None)
    if repeat is None:
        if step is not None:
            raise _err(Text("cases.step_needs_repeat"), file, marks, where + ("step",))
        return [record]
    if isinstance(repeat, bool) or not isinstance(repeat, int) or not 1 <= repeat <= MAX_REPEAT:
        raise _err(
            Text("cases.repeat_must_whole_number", max_repeat=MAX_REPEAT), file, marks, where + ("repeat",)
        )
    dx, dy = _xy(step, file, marks, where + ("step",)) if step is not None else (0.0, 0.0)
    if step is not None and "at" not in record:
        raise _err(Text("cases.step_needs"), file, marks, where + ("step",))
    width = len(str(repeat))
    out = []
    for k in range(repeat):
        copy_ = dict(record, id=f"{record['id']}-{k + 1:0{width}d}")
        if "at" in record:
            x, y = _xy(record["at"], file, marks, where + ("at",))
            copy_["at"] = [x + k * dx, y + k * dy]
        out.append(copy_)
    return out


def _permits(items: Any, to_lonlat: Any, file: str, marks: Mapping, where: tuple) -> tuple[Permit, ...]:
    """A case's permits (the rule file's ``exemptions`` format); ``location.at`` is in frame metres."""
    if items is None:
        return ()
    if not isinstance(items, list):
        raise _err(Text("cases.permits_must_list_permits"), file, marks, where)
    converted = []
    for k, item in enumerate(items):
        if not isinstance(item, dict):
            raise _err(Text("cases.permit_must_mapping"), file, marks, where + (k,))
        item = copy.deepcopy(item)
        loc = item.get("location")
        if isinstance(loc, dict) and "at" in loc:
            if to_lonlat is None:
                raise _err(Text("cases.needs_metre_frame"), file, marks, where + (k, "location", "at"))
            loc["lon"], loc["lat"] = to_lonlat(_xy(loc.pop("at"), file, marks, where + (k, "location")))
        converted.append(item)
    try:
        return permits_from_mappings(converted, file=file)
    except InputError as exc:
        line, col = marks.get(tuple(where), (None, None))
        raise RuleSetError(exc.message_text, file=file, line=line, column=col) from None


def check_case(test: TestFile, case: Case) -> Run:
    """Run the engine on one case: its reports against its zones, permits and the test file's rule set."""
    rs = test.ruleset
    sources = [case.zones] if case.zones.get("features") else []
    zones = load_zones(*sources, categories=rs.categories)
    reports = Reports.from_records(case.reports, file=f"{test.display}#{case.name}")
    # a case loads only the zones and columns it is about: the other rules are unchecked
    return check(reports, zones, rs, permits=case.permits, partial=True)


def run_case(test: TestFile, case: Case) -> CaseResult:
    """Check the case's reports and compare every rule's decision with the expectation."""
    rs = test.ruleset
    run = check_case(test, case)
    active = [r.id for r in rs.active_rules]
    mismatches: list[Mismatch] = []
    for verdict in run.verdicts:
        expect = case.expect.get(verdict.report)
        if expect is None:
            continue
        if verdict.status is Status.INVALID:
            texts = {
                lang: "; ".join(p.message.get(lang, "") for p in verdict.problems) for lang in ("id", "en")
            }
            mismatches.append(Mismatch(verdict.report, "*", "a valid report", "invalid", texts["en"], texts))
            continue
        got = {f.rule: (f.status.value, dict(f.message)) for f in verdict.findings}
        unloaded = Text("cases.needs_unloaded")
        got.update(
            {
                r: ("unchecked", {lang: unloaded.render(lang) for lang in ("id", "en")})
                for r in verdict.unchecked
            }
        )
        default = expect.get("*", "ok")
        for rule_id in active:
            want = expect.get(rule_id, default)
            status, messages = got.get(rule_id, ("ok", {}))
            if status == "unchecked" and rule_id not in expect:
                continue  # a rule the case does not name and cannot check: not a contradiction
            if want != ANY and want != status:
                mismatches.append(
                    Mismatch(verdict.report, rule_id, want, status, messages.get("en", ""), messages)
                )
    return CaseResult(test.display, case, tuple(mismatches))


def run_tests(test: TestFile) -> Iterator[CaseResult]:
    """Run every case of a test file, in file order."""
    for case in test.cases:
        yield run_case(test, case)


def coverage(test: TestFile) -> dict[str, set[str]]:
    """Per rule id, the statuses the cases expect of it explicitly (``"*"`` does not count)."""
    seen: dict[str, set[str]] = {}
    for case in test.cases:
        for per_rule in case.expect.values():
            for rule_id, status in per_rule.items():
                if rule_id != "*":
                    seen.setdefault(rule_id, set()).add(status)
    return seen
