"""ruleset.py: schema errors with file/line/column/rule, unknown names, unsafe input, extends."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from support import rules_doc

import atribut_rules as ar
from atribut_rules.rules.conditions import FieldTest, Near

HEAD = """\
schema: atribut-rules/1
ruleset:
  id: uji
  version: "1"
periods:
  kampanye: {from: "2023-11-28", to: "2024-02-10"}
rules:
"""


def write(tmp_path: Path, body: str, name: str = "uji.yaml", head: str = HEAD) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(head + textwrap.dedent(body), encoding="utf-8")
    return path


def load_error(path: Path, **kwargs) -> ar.RuleSetError:
    with pytest.raises(ar.RuleSetError) as info:
        ar.load_rules(path, **kwargs)
    return info.value


def test_bundled_rule_set_loads() -> None:
    rs = ar.load_rules()
    assert rs.id == "id-pemilu-2024"
    assert rs.periods["masa_tenang"].start.isoformat() == "2024-02-11"
    assert rs.periods["masa_tenang"].end.isoformat() == "2024-02-13"
    assert len(rs.sha256) == 64
    assert "APK-POHON" in [r.id for r in rs.active_rules]
    assert ar.load_rules("builtin:id-pemilu-2024").sha256 == rs.sha256


def test_a_valid_file_loads_with_rule_lines(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
          - id: R1
            when: {near: {zone: tree, within_m: 1}}
          - id: R2
            severity: warning
            when: {field: jenis_lain, matches: "^[a-z]+$"}
        """,
    )
    rs = ar.load_rules(path)
    assert [r.id for r in rs.rules] == ["R1", "R2"]
    assert isinstance(rs.rules[0].when, Near) and rs.rules[0].when.within_m == 1.0
    assert isinstance(rs.rules[1].when, FieldTest)
    assert rs.rules[1].severity is ar.Severity.WARNING
    assert rs.rules[0].line == 8 and rs.rules[1].line == 10
    assert rs.source == str(path)


def test_schema_error_names_file_line_column_and_rule(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
          - id: R1
            when: {field: type, equals: baliho}
          - id: R2
            severity: fatal
            when: {field: type, equals: baliho}
        """,
    )
    err = load_error(path)
    assert (err.file, err.line, err.column, err.rule) == (str(path), 11, 3, "R2")
    assert "severity" in err.message
    assert str(err).startswith(f"{path}:11:3: ")


def test_misspelled_key_names_its_line(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
          - id: R1
            wehn: {field: type, equals: baliho}
        """,
    )
    err = load_error(path)
    # the misspelled key's own line and column
    assert (err.line, err.column, err.rule) == (9, 3, "R1")
    assert "wehn" in err.message


def test_condition_with_two_operators_is_refused(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
          - id: R1
            when: {near: {zone: tree, within_m: 1}, during: kampanye}
        """,
    )
    err = load_error(path)
    assert err.rule == "R1" and err.line == 9


def test_unknown_zone_category(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
          - id: R1
            when:
              any:
                - {field: type, equals: baliho}
                - near: {zone: kebun, within_m: 5}
        """,
    )
    err = load_error(path)
    assert (err.file, err.line, err.rule) == (str(path), 9, "R1")
    assert "'kebun'" in err.message
    assert "tree" in (err.hint or "")


def test_unknown_zone_category_in_inside_and_area(tmp_path: Path) -> None:
    path = write(tmp_path, "  - id: R1\n    when: {inside: {zone: pasar}}\n")
    assert "'pasar'" in load_error(path).message
    path = write(
        tmp_path, "  - id: R1\n    area: {zone: kota}\n    when: {field: type, exists: true}\n", name="b.yaml"
    )
    assert "'kota'" in load_error(path).message


def test_categories_may_be_extended() -> None:
    rs = ar.load_rules(
        rules_doc(
            {"id": "R1", "when": {"near": {"zone": "pasar", "within_m": 5}}},
            categories=["pasar"],
            defaults={"zone_radius_m": {"pasar": 10}},
        )
    )
    assert "pasar" in rs.categories and rs.zone_radius_m == {"pasar": 10}


def test_unknown_category_in_default_radius() -> None:
    with pytest.raises(ar.RuleSetError, match="'kebun'"):
        ar.load_rules(
            rules_doc(
                {"id": "R1", "when": {"field": "type", "exists": True}},
                defaults={"zone_radius_m": {"kebun": 3}},
            )
        )


def test_unknown_period(tmp_path: Path) -> None:
    path = write(tmp_path, "  - id: R1\n    when: {during: pemilu_x}\n")
    err = load_error(path)
    assert (err.line, err.rule) == (9, "R1")
    assert "'pemilu_x'" in err.message
    assert "kampanye" in (err.hint or "")


def test_period_ending_before_it_starts(tmp_path: Path) -> None:
    head = HEAD.replace('{from: "2023-11-28", to: "2024-02-10"}', '{from: "2024-02-10", to: "2023-11-28"}')
    path = write(tmp_path, "  - id: R1\n    when: {during: kampanye}\n", head=head)
    err = load_error(path)
    assert err.line == 6 and "ends before it starts" in err.message


def test_impossible_calendar_date(tmp_path: Path) -> None:
    head = HEAD.replace('"2024-02-10"', '"2024-02-30"')
    err = load_error(write(tmp_path, "  - id: R1\n    when: {during: kampanye}\n", head=head))
    assert "2024-02-30" in err.message and err.line == 6


def test_duplicate_rule_id(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
          - id: R1
            when: {field: type, equals: baliho}
          - id: R1
            when: {field: type, equals: poster}
        """,
    )
    err = load_error(path)
    assert (err.file, err.line, err.rule) == (str(path), 10, "R1")
    assert "duplicate rule id" in err.message


@pytest.mark.parametrize("pattern", ["(a+)+$", "(a|aa)*b", "(a*)*", r"(\w+)\1", "(?=a)a", "(?<!x)y"])
def test_unsafe_regex_is_rejected(tmp_path: Path, pattern: str) -> None:
    path = write(tmp_path, f"  - id: R1\n    when: {{field: catatan, matches: '{pattern}'}}\n")
    err = load_error(path)
    assert err.rule == "R1" and err.line == 9
    assert "safe subset" in err.message or "not allowed" in err.message


@pytest.mark.parametrize("pattern", ["^baliho$", "[0-9]{2,4}", "(ab)+c", "a|b", "^(pohon|tree)s?$"])
def test_safe_regex_is_accepted(tmp_path: Path, pattern: str) -> None:
    path = write(tmp_path, f"  - id: R1\n    when: {{field: catatan, matches: '{pattern}'}}\n")
    assert ar.load_rules(path).rules[0].when.value.pattern == pattern


def test_invalid_regex_is_rejected(tmp_path: Path) -> None:
    err = load_error(write(tmp_path, "  - id: R1\n    when: {field: catatan, matches: '(a'}\n"))
    assert "not a valid regular expression" in err.message


def test_yaml_alias_bomb_is_refused(tmp_path: Path) -> None:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, 10):
        refs = ", ".join([f"*a{i - 1}"] * 9)
        lines.append(f"a{i}: &a{i} [{refs}]")
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    err = load_error(path)
    assert err.file == str(path)
    assert "alias" in err.message or "values" in err.message


def test_alias_expansion_limit_even_with_few_aliases(tmp_path: Path) -> None:
    # Nine aliases, each doubling: 2**9 * 1000 values once expanded.
    lines = ["a0: &a0 [" + ", ".join(["x"] * 1000) + "]"]
    for i in range(1, 10):
        lines.append(f"a{i}: &a{i} [*a{i - 1}, *a{i - 1}]")
    path = tmp_path / "wide.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert "values" in load_error(path).message


def test_python_tags_are_refused_and_never_run(tmp_path: Path) -> None:
    target = tmp_path / "created-by-yaml"
    path = tmp_path / "evil.yaml"
    path.write_text(
        HEAD + f'  - id: !!python/object/apply:os.mkdir ["{target}"]\n    when: {{during: kampanye}}\n',
        encoding="utf-8",
    )
    err = load_error(path)
    assert err.file == str(path) and err.line == 8
    assert not target.exists()


def test_not_yaml_names_the_line(tmp_path: Path) -> None:
    err = load_error(write(tmp_path, "  - id: R1\n    when: {field: type, equals: [\n"))
    assert err.file.endswith("uji.yaml") and err.line is not None


def test_tab_indentation_names_line_and_column(tmp_path: Path) -> None:
    err = load_error(write(tmp_path, "  - id: R1\n\twhen: {during: kampanye}\n"))
    assert (err.line, err.column) == (9, 1)


def test_extends_builtin_overrides_by_rule_id(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
          - id: APK-TIANG
            enabled: false
          - id: KOTA-JEMBATAN
            severity: warning
            when: {near: {zone: bridge, within_m: 10}}
        """,
        head=HEAD.replace('  version: "1"\n', '  version: "1"\n  extends: ["builtin:id-pemilu-2024"]\n'),
    )
    rs = ar.load_rules(path)
    parent = ar.load_rules()
    ids = [r.id for r in rs.rules]
    assert ids == [r.id for r in parent.rules] + ["KOTA-JEMBATAN"]
    assert not rs.rule("APK-TIANG").enabled
    assert rs.rule("APK-TIANG").title == parent.rule("APK-TIANG").title  # the rest is inherited
    assert "APK-TIANG" not in [r.id for r in rs.active_rules]
    assert set(parent.periods) <= set(rs.periods) and "kampanye" in rs.periods
    assert rs.id == "uji" and rs.extends == ("builtin:id-pemilu-2024",)
    assert rs.sha256 != parent.sha256


PARENT = """\
schema: atribut-rules/1
ruleset: {id: induk, version: "1"}
periods:
  kampanye: {from: "2023-11-28", to: "2024-02-10"}
rules:
  - id: P1
    when: {field: type, equals: baliho}
  - id: P2
    when: {during: kampanye}
"""


@pytest.mark.parametrize("ref", ["induk.yaml", "base/induk.yaml", "./base/../induk.yaml"])
def test_extends_a_relative_path(tmp_path: Path, ref: str) -> None:
    (tmp_path / "base").mkdir()
    (tmp_path / "induk.yaml").write_text(PARENT, encoding="utf-8")
    (tmp_path / "base" / "induk.yaml").write_text(PARENT, encoding="utf-8")
    child = write(
        tmp_path,
        "  - id: P2\n    severity: info\n  - id: C1\n    when: {during: kampanye}\n",
        name="anak.yaml",
        head=f'schema: atribut-rules/1\nruleset:\n  id: anak\n  version: "1"\n  extends: ["{ref}"]\nrules:\n',
    )
    rs = ar.load_rules(child)
    assert [r.id for r in rs.rules] == ["P1", "P2", "C1"]
    assert rs.rule("P2").severity is ar.Severity.INFO
    assert rs.periods["kampanye"].end.isoformat() == "2024-02-10"


def test_extends_outside_the_folder_is_refused_unless_allowed(tmp_path: Path) -> None:
    (tmp_path / "induk.yaml").write_text(PARENT, encoding="utf-8")
    child = write(
        tmp_path / "kota",
        "  - id: C1\n    when: {field: type, exists: true}\n",
        name="anak.yaml",
        head='schema: atribut-rules/1\nruleset:\n  id: anak\n  version: "1"\n  extends: ["../induk.yaml"]\nrules:\n',
    )
    err = load_error(child)
    assert "outside" in err.message and err.file == str(child)
    rs = ar.load_rules(child, allow_paths=(tmp_path,))
    assert [r.id for r in rs.rules] == ["P1", "P2", "C1"]


def test_extends_absolute_path_outside_is_refused(tmp_path: Path) -> None:
    (tmp_path / "induk.yaml").write_text(PARENT, encoding="utf-8")
    child = write(
        tmp_path / "kota",
        "  - id: C1\n    when: {field: type, exists: true}\n",
        name="anak.yaml",
        head=f'schema: atribut-rules/1\nruleset:\n  id: anak\n  version: "1"\n  extends: ["{tmp_path / "induk.yaml"}"]\nrules:\n',
    )
    assert "outside" in load_error(child).message


def test_extends_cycle_is_refused(tmp_path: Path) -> None:
    head = (
        'schema: atribut-rules/1\nruleset:\n  id: {me}\n  version: "1"\n  extends: ["{other}.yaml"]\nrules:\n'
    )
    body = "  - id: R1\n    when: {field: type, exists: true}\n"
    write(tmp_path, body, name="a.yaml", head=head.format(me="a", other="b"))
    b = write(tmp_path, body, name="b.yaml", head=head.format(me="b", other="a"))
    assert "cycle" in load_error(b).message


def test_unknown_builtin_lists_the_bundled_sets() -> None:
    with pytest.raises(ar.RuleSetError) as info:
        ar.load_rules("builtin:tidak-ada")
    assert "id-pemilu-2024" in (info.value.hint or "")


def test_mapping_may_only_extend_builtins() -> None:
    doc = rules_doc({"id": "R1", "when": {"field": "type", "exists": True}})
    doc["ruleset"]["extends"] = ["../etc/passwd"]
    with pytest.raises(ar.RuleSetError, match="builtin"):
        ar.load_rules(doc)


def test_gt_on_a_text_value_is_refused() -> None:
    with pytest.raises(ar.RuleSetError, match="needs a number"):
        ar.load_rules(rules_doc({"id": "R1", "when": {"field": "width_m", "gt": "besar"}}))


def test_message_placeholder_must_be_a_plain_name() -> None:
    with pytest.raises(ar.RuleSetError, match="placeholder"):
        ar.load_rules(
            rules_doc({"id": "R1", "when": {"field": "type", "exists": True}, "message": "{type.__class__}"})
        )


def test_rule_lookup_names_known_ids() -> None:
    with pytest.raises(KeyError, match="APK-POHON"):
        ar.load_rules().rule("TIDAK-ADA")
