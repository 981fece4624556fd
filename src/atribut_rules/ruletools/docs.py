"""Rule docs generated from the rule files: ``atribut-rules explain`` and docs/rulesets/ pages.

Every rule is explained in fixed sections, in Bahasa Indonesia or English: what it
checks (its conditions in words), why (its legal basis and notes), an example (a
violating report taken from the rule set's own tests, with the message the engine
gives, and a passing one), and how to comply (its condition negated, in words).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .. import i18n
from ..conditions import All, AnyOf, Condition, During, FieldTest, InZone, Near, Not
from ..model import Verdict
from ..ruleset import Period, Rule, RuleSet, load_rules
from .cases import Case, TestFile, check_case, load_tests, tests_path_for

PAGE_SUFFIX = {"id": ".id.md", "en": ".en.md"}

_WORDS: dict[str, dict[str, str]] = {
    "and": {"id": "dan", "en": "and"},
    "or": {"id": "atau", "en": "or"},
    "inside": {"id": "berada di dalam {cat}", "en": "is inside a {cat}"},
    "outside": {"id": "berada di luar semua {cat}", "en": "is outside every {cat}"},
    "near": {"id": "berjarak paling jauh {m} m dari {cat}", "en": "is within {m} m of a {cat}"},
    "far": {"id": "berjarak lebih dari {m} m dari semua {cat}", "en": "is more than {m} m from every {cat}"},
    "during": {
        "id": "diamati pada periode {name} ({span})",
        "en": "is observed in the period {name} ({span})",
    },
    "not_during": {
        "id": "diamati di luar periode {name} ({span})",
        "en": "is observed outside the period {name} ({span})",
    },
    "in_zone": {"id": "berada di dalam zona {id}", "en": "is inside zone {id}"},
    "not_in_zone": {"id": "berada di luar zona {id}", "en": "is outside zone {id}"},
    "equals": {"id": "{f} adalah {v}", "en": "{f} is {v}"},
    "not_equals": {"id": "{f} bukan {v}", "en": "{f} is not {v}"},
    "in": {"id": "{f} salah satu dari {v}", "en": "{f} is one of {v}"},
    "not_in": {"id": "{f} bukan salah satu dari {v}", "en": "{f} is none of {v}"},
    "exists": {"id": "{f} diisi", "en": "{f} is given"},
    "missing": {"id": "{f} kosong", "en": "{f} is missing"},
    "matches": {"id": "{f} cocok dengan pola {v}", "en": "{f} matches the pattern {v}"},
    "not_matches": {"id": "{f} tidak cocok dengan pola {v}", "en": "{f} does not match the pattern {v}"},
    "between": {"id": "{f} antara {a} dan {b}", "en": "{f} is between {a} and {b}"},
    "not_between": {"id": "{f} di luar {a} sampai {b}", "en": "{f} is outside {a} to {b}"},
    "from_to": {"id": "{a} s.d. {b}", "en": "{a} to {b}"},
    "from": {"id": "mulai {a}", "en": "from {a}"},
    "to": {"id": "sampai {b}", "en": "until {b}"},
}

_FIELDS: dict[str, dict[str, str]] = {
    "type": {"id": "jenis", "en": "type"},
    "width_m": {"id": "lebar (m)", "en": "width (m)"},
    "height_m": {"id": "tinggi (m)", "en": "height (m)"},
    "area_m2": {"id": "luas (m²)", "en": "area (m²)"},
    "mounted_on": {"id": "media pemasangan", "en": "mounted on"},
    "observed_at": {"id": "tanggal pengamatan", "en": "observation date"},
    "party": {"id": "partai", "en": "party"},
    "candidate": {"id": "calon", "en": "candidate"},
    "accuracy_m": {"id": "akurasi GPS (m)", "en": "GPS accuracy (m)"},
}

_COMPARE = {"gt": ">", "gte": "≥", "lt": "<", "lte": "≤"}
_NEGATE = {"gt": "lte", "gte": "lt", "lt": "gte", "lte": "gt"}

_LABELS: dict[str, dict[str, str]] = {
    "severity": {"id": "Tingkat", "en": "Severity"},
    "applies": {"id": "Berlaku untuk laporan yang", "en": "Applies to reports where"},
    "all_reports": {"id": "semua laporan", "en": "all reports"},
    "checks": {"id": "Apa yang diperiksa", "en": "What it checks"},
    "violation_when": {"id": "Pelanggaran jika laporan", "en": "A violation when the report"},
    "why": {"id": "Mengapa (dasar hukum)", "en": "Why (legal basis)"},
    "notes": {"id": "Catatan", "en": "Notes"},
    "example": {"id": "Contoh", "en": "Example"},
    "violating": {"id": "Melanggar", "en": "Violates"},
    "passing": {"id": "Tidak melanggar", "en": "Passes"},
    "no_example": {
        "id": "belum ada kasus uji untuk aturan ini",
        "en": "no test case covers this rule yet",
    },
    "inherited": {
        "id": "diwarisi tanpa perubahan dari `{parent}`; contoh dan kasus ujinya ada pada aturan tersebut",
        "en": "inherited unchanged from `{parent}`; its examples and test cases are with that set",
    },
    "comply": {"id": "Cara mematuhi", "en": "How to comply"},
    "comply_text": {
        "id": "Pastikan setiap {applies} memenuhi: {cond}.",
        "en": "Make sure that every {applies} meets this: {cond}.",
    },
    "attribute": {"id": "atribut yang diatur aturan ini", "en": "attribute this rule applies to"},
    "effective": {"id": "Berlaku pada", "en": "In force"},
    "area": {"id": "Hanya di wilayah", "en": "Only in the area"},
    "disabled": {"id": "Nonaktif (enabled: false)", "en": "Disabled (enabled: false)"},
    "review_note": {
        "id": "Jika akurasi GPS melewati ambang, atau tanggal kosong untuk aturan periode, hasilnya review.",
        "en": "When the GPS accuracy straddles the threshold, or a period rule meets a report without a date, the result is review.",
    },
    "jurisdiction": {"id": "Wilayah berlaku", "en": "Jurisdiction"},
    "version": {"id": "Versi", "en": "Version"},
    "set_effective": {"id": "Masa berlaku", "en": "Effective"},
    "extends": {"id": "Memperluas", "en": "Extends"},
    "periods": {"id": "Periode", "en": "Periods"},
    "rules": {"id": "Aturan", "en": "Rules"},
    "generated": {
        "id": "Dibuat otomatis dari `{src}` dan `{tests}` dengan `atribut-rules explain --write-docs docs/rulesets`; jangan diubah manual.",
        "en": "Generated from `{src}` and `{tests}` by `atribut-rules explain --write-docs docs/rulesets`; do not edit by hand.",
    },
    "other_lang": {"id": "English: [{name}]({name})", "en": "Bahasa Indonesia: [{name}]({name})"},
    "report": {"id": "Laporan", "en": "Report"},
    "message": {"id": "pesan", "en": "message"},
    "case": {"id": "kasus uji", "en": "test case"},
}


def _w(key: str, lang: str, **kw: Any) -> str:
    return _WORDS[key][lang].format(**kw)


def _num(value: Any, lang: str) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value)
    return text.replace(".", ",") if lang == "id" and isinstance(value, float) else text


def _field(name: str, lang: str) -> str:
    return _FIELDS.get(name, {}).get(lang, name)


def _span(period: Period, lang: str) -> str:
    a = period.start.isoformat() if period.start else None
    b = period.end.isoformat() if period.end else None
    if a and b:
        return _w("from_to", lang, a=a, b=b)
    return _w("from", lang, a=a) if a else _w("to", lang, b=b)


def describe(cond: Condition, lang: str, rules: RuleSet, negate: bool = False) -> str:
    """A condition in words, in ``lang``; ``negate`` describes its opposite (De Morgan)."""
    if isinstance(cond, Not):
        return describe(cond.item, lang, rules, not negate)
    if isinstance(cond, (All, AnyOf)):
        conj = isinstance(cond, All) != negate
        parts = []
        for item in cond.items:
            text = describe(item, lang, rules, negate)
            if isinstance(item, (All, AnyOf)) or (
                isinstance(item, Not) and isinstance(item.item, (All, AnyOf))
            ):
                text = f"({text})"
            parts.append(text)
        return f" {_w('and' if conj else 'or', lang)} ".join(parts)
    if isinstance(cond, Near):
        cat = i18n.category_label(cond.zone, lang)
        if cond.inside:
            return _w("outside" if negate else "inside", lang, cat=cat)
        return _w("far" if negate else "near", lang, cat=cat, m=_num(cond.within_m, lang))
    if isinstance(cond, During):
        period = rules.periods[cond.period]
        return _w("not_during" if negate else "during", lang, name=cond.period, span=_span(period, lang))
    if isinstance(cond, InZone):
        return _w("not_in_zone" if negate else "in_zone", lang, id=cond.zone_id)
    return _field_test(cond, lang, negate)


def _field_test(test: FieldTest, lang: str, negate: bool) -> str:
    f = _field(test.field, lang)
    op, v = test.op, test.value
    if op == "equals":
        return _w("not_equals" if negate else "equals", lang, f=f, v=_num(v, lang))
    if op in ("in", "not_in"):
        positive = (op == "in") != negate
        return _w("in" if positive else "not_in", lang, f=f, v=", ".join(_num(x, lang) for x in v))
    if op in _COMPARE:
        op = _NEGATE[op] if negate else op
        return f"{f} {_COMPARE[op]} {_num(v, lang)}"
    if op == "between":
        return _w("not_between" if negate else "between", lang, f=f, a=_num(v[0], lang), b=_num(v[1], lang))
    if op == "exists":
        return _w("exists" if bool(v) != negate else "missing", lang, f=f)
    return _w("not_matches" if negate else "matches", lang, f=f, v=f"`{v.pattern}`")


# -- examples from the rule tests ----------------------------------------------------


class _Examples:
    """Runs each test case once and finds, per rule, a violating and a passing report."""

    def __init__(self, tests: TestFile | None):
        self.tests = tests
        self._runs: dict[str, dict[str, Verdict]] = {}

    def _verdicts(self, case: Case) -> dict[str, Verdict]:
        if case.name not in self._runs:
            run = check_case(self.tests, case)  # type: ignore[arg-type]
            self._runs[case.name] = {v.report: v for v in run.verdicts}
        return self._runs[case.name]

    def find(self, rule_id: str) -> tuple[tuple[Case, Mapping[str, Any], Verdict] | None, ...]:
        """(violating example, passing example), each (case, report record, verdict) or None."""
        found: dict[str, tuple[Case, Mapping[str, Any], Verdict]] = {}
        if self.tests is None:
            return None, None
        for case in self.tests.cases:
            for record in case.reports:
                want = case.expect.get(record["id"], {}).get(rule_id)
                if want in ("violation", "ok") and want not in found:
                    found[want] = (case, record, self._verdicts(case)[record["id"]])
            if len(found) == 2:
                break
        return found.get("violation"), found.get("ok")


_SHOWN_FIELDS = ("type", "width_m", "height_m", "mounted_on", "observed_at", "accuracy_m")


def _report_words(record: Mapping[str, Any], lang: str) -> str:
    parts = []
    for name in _SHOWN_FIELDS:
        value = record.get(name)
        if value is None or value == "":
            continue
        parts.append(f"{_field(name, lang)} {_num(value, lang)}")
    return ", ".join(parts)


def _example_lines(rule: Rule, example: Any, kind: str, lang: str) -> list[str]:
    if example is None:
        return []
    case, record, verdict = example
    label = _LABELS[kind][lang]
    line = (
        f"- **{label}** ({_LABELS['case'][lang]} `{case.name}`, {_LABELS['report'][lang].lower()} "
        f"`{record['id']}`): {_report_words(record, lang)}"
    )
    finding = next((f for f in verdict.findings if f.rule == rule.id), None)
    if finding is not None:
        line += f"  \n  → {finding.status.value}: “{finding.message.get(lang, '')}”"
    else:
        line += "  \n  → ok"
    return [line]


def explain_rule(
    rule: Rule,
    rules: RuleSet,
    lang: str,
    examples: _Examples,
    heading: str = "###",
    inherited_from: str | None = None,
) -> str:
    """One rule in the fixed sections, as Markdown."""
    L = {k: v[lang] for k, v in _LABELS.items()}
    title = rule.title.get(lang) or rule.title.get("id") or rule.id
    out = [f"{heading} {rule.id}: {title}", ""]
    if not rule.enabled:
        out += [f"*{L['disabled']}*", ""]
    out.append(f"- **{L['severity']}**: {rule.severity.value}")
    applies = describe(rule.applies_to, lang, rules) if rule.applies_to else L["all_reports"]
    out.append(f"- **{L['applies']}**: {applies}")
    if rule.effective is not None:
        out.append(f"- **{L['effective']}**: {_span(rule.effective, lang)}")
    if rule.area is not None:
        out.append(f"- **{L['area']}**: {describe(rule.area, lang, rules)}")
    out += ["", f"**{L['checks']}.** {L['violation_when']} {describe(rule.when, lang, rules)}."]
    if rule.when is not None and any(isinstance(c, (Near, During, InZone)) for c in _leaves(rule.when)):
        out[-1] += " " + L["review_note"]
    out += ["", f"**{L['why']}.** {rule.legal_basis.strip() or '-'}"]
    notes = _raw_rule(rules, rule.id).get("notes")
    if notes:
        out += ["", f"**{L['notes']}.** {str(notes).strip()}"]
    violating, passing = examples.find(rule.id)
    out += ["", f"**{L['example']}.**", ""]
    lines = _example_lines(rule, violating, "violating", lang) + _example_lines(
        rule, passing, "passing", lang
    )
    if not lines and inherited_from:
        lines = [f"- {L['inherited'].format(parent=inherited_from)}"]
    out += lines or [f"- {L['no_example']}"]
    comply = L["comply_text"].format(
        applies=L["attribute"], cond=describe(rule.when, lang, rules, negate=True) if rule.when else "-"
    )
    out += ["", f"**{L['comply']}.** {comply}", ""]
    return "\n".join(out)


def _leaves(cond: Condition):
    if isinstance(cond, (All, AnyOf)):
        for c in cond.items:
            yield from _leaves(c)
    elif isinstance(cond, Not):
        yield from _leaves(cond.item)
    else:
        yield cond


def _raw_rule(rules: RuleSet, rule_id: str) -> Mapping[str, Any]:
    for r in rules.document.get("rules", []):
        if isinstance(r, dict) and r.get("id") == rule_id:
            return r
    return {}


def _own_rule_ids(name: str) -> set[str]:
    from .lint import own_and_parents, rule_file

    return own_and_parents(rule_file(f"builtin:{name}"))[0]


def _tests_for(ref: str) -> TestFile | None:
    path = tests_path_for(ref)
    return load_tests(path, rules=ref) if path.is_file() else None


def explain(rule_id: str, rules: str | None = None, lang: str = "id") -> str:
    """``atribut-rules explain``: one rule of a rule set (default the national set) in words."""
    ref = rules or "builtin:id-pemilu-2024"
    tests = _tests_for(ref)
    rs = tests.ruleset if tests else load_rules(ref)
    rule = rs.rule(rule_id)
    head = f"{rs.id} {rs.version}\n\n"
    return head + explain_rule(rule, rs, lang, _Examples(tests), heading="#")


def render_page(name: str, lang: str) -> str:
    """The docs page of the bundled set ``name`` in ``lang`` (Markdown)."""
    ref = f"builtin:{name}"
    tests = _tests_for(ref)
    rs = tests.ruleset if tests else load_rules(ref)
    L = {k: v[lang] for k, v in _LABELS.items()}
    other = "en" if lang == "id" else "id"
    title = rs.title.get(lang) or rs.id
    out = [
        f"# {rs.id}: {title}",
        "",
        f"<!-- {L['generated'].format(src=f'rules/{name}.yaml', tests=f'rules/tests/{name}.yaml')} -->",
        "",
        L["other_lang"].format(name=f"{name}{PAGE_SUFFIX[other]}"),
        "",
        f"- **{L['version']}**: {rs.version}",
        f"- **{L['jurisdiction']}**: {rs.jurisdiction or '-'}",
        f"- **{L['set_effective']}**: {_span(rs.effective, lang) if rs.effective else '-'}",
    ]
    if rs.extends:
        out.append(f"- **{L['extends']}**: {', '.join(f'`{e}`' for e in rs.extends)}")
    description = rs.document.get("ruleset", {}).get("description")
    if isinstance(description, dict):
        description = description.get(lang) or description.get("id")
    if description:
        out += ["", " ".join(str(description).split())]
    if rs.periods:
        out += ["", f"## {L['periods']}", ""]
        out += [f"- `{p.name}`: {_span(p, lang)}" for p in rs.periods.values()]
    out += ["", f"## {L['rules']}", ""]
    examples = _Examples(tests)
    own = _own_rule_ids(name)
    parent = ", ".join(rs.extends) or None
    for rule in rs.rules:
        inherited = parent if rule.id not in own else None
        out.append(explain_rule(rule, rs, lang, examples, inherited_from=inherited))
    return "\n".join(out).rstrip() + "\n"


def docs_pages(names: list[str] | None = None) -> dict[str, str]:
    """Every docs page of the bundled sets: ``{file name: Markdown}``."""
    from .. import resources

    names = names if names is not None else resources.bundled_rulesets()
    pages: dict[str, str] = {}
    index = [
        "# Rule sets / Aturan",
        "",
        "<!-- Generated by `atribut-rules explain --write-docs docs/rulesets`. -->",
        "",
    ]
    for name in names:
        rs = load_rules(f"builtin:{name}")
        for lang in ("id", "en"):
            pages[f"{name}{PAGE_SUFFIX[lang]}"] = render_page(name, lang)
        index.append(
            f"- `builtin:{name}` {rs.version}: {rs.title.get('en', '')} "
            f"([English]({name}.en.md), [Bahasa Indonesia]({name}.id.md))"
        )
    pages["README.md"] = "\n".join(index) + "\n"
    return pages


def write_docs(folder: str | Path) -> list[Path]:
    """Write :func:`docs_pages` into ``folder``; returns the files written."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in docs_pages().items():
        path = folder / name
        path.write_text(text, encoding="utf-8", newline="\n")
        written.append(path)
    return written
