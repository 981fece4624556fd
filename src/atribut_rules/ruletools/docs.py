"""Rule docs generated from the rule files: ``atribut-rules explain`` and docs/rulesets/ pages.

Every rule is explained in fixed sections, in Bahasa Indonesia or English: what it
checks (its conditions in words), why (its legal basis, what of it is not confirmed, and
notes), an example (a
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
from ..writers.texts import SEVERITY_LABELS, status_label
from .cases import Case, TestFile, check_case, load_tests, tests_path_for


def severity_label(lang: str, severity: str) -> str:
    """A severity in words (``berat``/``error``)."""
    return SEVERITY_LABELS.get(lang, SEVERITY_LABELS["id"])[severity]

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
    "zone_unit": {"id": "{cat} (zona)", "en": "{cat} (zone)"},
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
    "candidate_group": {"id": "calon/paslon", "en": "candidate/paslon"},
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
    "unconfirmed": {"id": "Belum dipastikan", "en": "Not confirmed"},
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
        "id": "Jika akurasi GPS melewati ambang, atau tanggal kosong untuk aturan periode, hasilnya perlu-cek.",
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
    "counted": {"id": "Dihitung hanya jika laporan", "en": "Counted only when the report"},
    "whole_list": {"id": "Pengaturan atas seluruh daftar", "en": "Whole-list settings"},
    "duplicates": {
        "id": "Laporan ganda: laporan dengan {same} yang sama dalam {m} m{days} dianggap satu atribut fisik.",
        "en": "Duplicate reports: reports with the same {same} within {m} m{days} are one physical attribute.",
    },
    "within_days": {"id": " dan {d} hari", "en": " and {d} days"},
    "accuracy_by": {
        "id": "Akurasi GPS yang diasumsikan bila laporan tidak menyebutnya, menurut {f}: {values}; lainnya {d} m.",
        "en": "Assumed GPS accuracy when a report gives none, by {f}: {values}; otherwise {d} m.",
    },
    "exemptions": {"id": "Pengecualian (izin)", "en": "Exemptions (permits)"},
    "permit_line": {
        "id": "`{id}`: aturan {rules}; {scope}; berlaku {span}; penerbit {issuer}; alasan: {reason}",
        "en": "`{id}`: rules {rules}; {scope}; valid {span}; issuer {issuer}; reason: {reason}",
    },
    "all_rules": {"id": "semua", "en": "all"},
    "scope_reports": {"id": "laporan {v}", "en": "reports {v}"},
    "scope_location": {
        "id": "dalam {r} m dari {lon}, {lat}",
        "en": "within {r} m of {lon}, {lat}",
    },
    "scope_zone": {"id": "zona {v}", "en": "zone {v}"},
    "scope_party": {"id": "partai {v}", "en": "party {v}"},
    "scope_any": {"id": "semua laporan", "en": "every report"},
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


_SHOWN_FIELDS = (
    "type",
    "party",
    "candidate",
    "width_m",
    "height_m",
    "mounted_on",
    "observed_at",
    "accuracy_m",
)


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
        line += f"  \n  → {status_label(lang, finding.status.value)}: “{finding.message.get(lang, '')}”"
    else:
        line += f"  \n  → {status_label(lang, 'ok')}"
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
    out.append(f"- **{L['severity']}**: {severity_label(lang, rule.severity.value)}")
    applies = describe(rule.applies_to, lang, rules) if rule.applies_to else L["all_reports"]
    out.append(f"- **{L['applies']}**: {applies}")
    if rule.effective is not None:
        out.append(f"- **{L['effective']}**: {_span(rule.effective, lang)}")
    if rule.area is not None:
        out.append(f"- **{L['area']}**: {describe(rule.area, lang, rules)}")
    if rule.quota is not None or rule.spacing is not None:
        if rule.when is not None:
            out.append(f"- **{L['counted']}**: {describe(rule.when, lang, rules)}")
        out += ["", f"**{L['checks']}.** {whole_list_words(rule, lang)}."]
    else:
        out += ["", f"**{L['checks']}.** {L['violation_when']} {describe(rule.when, lang, rules)}."]
        if rule.when is not None and any(isinstance(c, (Near, During, InZone)) for c in _leaves(rule.when)):
            out[-1] += " " + L["review_note"]
    basis = rule.legal_basis.get(lang) or rule.legal_basis.get("id") or rule.legal_basis.get("en") or "-"
    out += ["", f"**{L['why']}.** {basis}"]
    unconfirmed = _unconfirmed(_raw_rule(rules, rule.id), lang)
    if unconfirmed:
        out += ["", f"**{L['unconfirmed']}.** {unconfirmed}"]
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
    if rule.quota is not None or rule.spacing is not None:
        cond = whole_list_words(rule, lang, comply=True)
    else:
        cond = describe(rule.when, lang, rules, negate=True) if rule.when else "-"
    comply = L["comply_text"].format(applies=L["attribute"], cond=cond)
    out += ["", f"**{L['comply']}.** {comply}", ""]
    return "\n".join(out)


def _unit(item: str | tuple[str, str], lang: str) -> str:
    if isinstance(item, tuple):
        return _w("zone_unit", lang, cat=i18n.category_label(item[1], lang))
    return _field(item, lang)


def whole_list_words(rule: Rule, lang: str, comply: bool = False) -> str:
    """A quota or spacing rule in words (or, with ``comply``, what meeting it takes)."""
    if rule.quota is not None:
        per = f" {_w('and', lang)} ".join(_unit(item, lang) for item in rule.quota.per)
        return _w("quota_comply" if comply else "quota", lang, max=rule.quota.max, per=per)
    assert rule.spacing is not None
    among = f" {_w('and', lang)} ".join(_field(f, lang) for f in rule.spacing.among) or "-"
    return _w("spacing_comply" if comply else "spacing", lang, m=_num(rule.spacing.min_m, lang), among=among)


def _whole_list_section(rs: RuleSet, lang: str) -> list[str]:
    """The set's duplicates, assumed accuracy per source and exemptions, in words."""
    L = {k: v[lang] for k, v in _LABELS.items()}
    lines: list[str] = []
    if rs.duplicates is not None:
        d = rs.duplicates
        same = f" {_w('and', lang)} ".join(_field(f, lang) for f in d.same) or "-"
        days = L["within_days"].format(d=d.within_days) if d.within_days is not None else ""
        lines.append("- " + L["duplicates"].format(same=same, m=_num(d.within_m, lang), days=days))
    if rs.accuracy_by is not None:
        name, values = rs.accuracy_by
        listed = ", ".join(f"{k} {_num(v, lang)} m" for k, v in sorted(values.items()))
        lines.append(
            "- "
            + L["accuracy_by"].format(
                f=_field(name, lang), values=listed, d=_num(rs.default_accuracy_m, lang)
            )
        )
    out = [f"## {L['whole_list']}", "", *lines] if lines else []
    if rs.exemptions:
        out += (["", ""] if out else []) + [f"## {L['exemptions']}", ""]
        for p in rs.exemptions:
            scope = []
            if p.reports is not None:
                scope.append(L["scope_reports"].format(v=", ".join(sorted(p.reports))))
            if p.radius_m is not None:
                scope.append(L["scope_location"].format(r=_num(p.radius_m, lang), lon=p.lon, lat=p.lat))
            if p.zone is not None:
                scope.append(L["scope_zone"].format(v=p.zone))
            if p.party is not None:
                scope.append(L["scope_party"].format(v=p.party))
            out.append(
                "- "
                + L["permit_line"].format(
                    id=p.id,
                    rules=", ".join(sorted(p.rules)) if p.rules is not None else L["all_rules"],
                    scope=", ".join(scope) or L["scope_any"],
                    span=p.span(),
                    issuer=p.issuer or "-",
                    reason=p.reason or "-",
                )
            )
    return out


def _leaves(cond: Condition):
    if isinstance(cond, (All, AnyOf)):
        for c in cond.items:
            yield from _leaves(c)
    elif isinstance(cond, Not):
        yield from _leaves(cond.item)
    else:
        yield cond


def _unconfirmed(raw_rule: Mapping[str, Any], lang: str) -> str:
    """What the rule file says is not confirmed about the rule's legal basis, in ``lang``
    (``legal_basis.unconfirmed``: shown on the docs page only, never in a verdict)."""
    basis = raw_rule.get("legal_basis")
    note = basis.get("unconfirmed") if isinstance(basis, Mapping) else None
    if isinstance(note, Mapping):
        note = note.get(lang) or note.get("id") or note.get("en")
    return " ".join(str(note or "").split())


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
    whole = _whole_list_section(rs, lang)
    if whole:
        out += ["", *whole]
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
