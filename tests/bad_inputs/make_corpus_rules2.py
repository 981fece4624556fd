"""Write the second round of bad rule files (tests/bad_inputs/rules/). Run from the repository root.

Hostile and broken rule files found after the first corpus: a ``crs`` that makes PROJ
open a file or measures in degrees, regular expressions that backtracked for minutes,
keys that YAML reads as one, ``extends`` to paths the OS cannot follow, children of a
bundled set with malformed sections, numbers and dates that crashed, lone surrogates,
message templates that multiplied a report's text, and errors that echoed a whole
value. Expected outcomes are in ``expected-rules2.yaml`` beside this file.
"""

from __future__ import annotations

import os
from pathlib import Path

HERE = Path(__file__).resolve().parent

HEAD = 'schema: atribut-rules/1\nruleset:\n  id: bad\n  version: "1"\n'
CHILD = HEAD + '  extends: ["builtin:id-pemilu-2024"]\n'
RULE_OK = "  - id: R-1\n    when: {near: {zone: tree, within_m: 1}}\n"
RULES_OK = "rules:\n" + RULE_OK


def _rule(when: str, extra: str = "") -> str:
    return f"rules:\n  - id: R-1\n{extra}    when: {when}\n"


def rule_files() -> dict[str, str]:
    files: dict[str, str] = {}
    # 1. crs: checked as text before PROJ sees it, then metric and projected
    files["crs_init_file.yaml"] = HEAD + 'crs: "+init=/etc/passwd:root"\n' + RULES_OK
    files["crs_nadgrids_file.yaml"] = HEAD + 'crs: "+proj=tmerc +lon_0=106 +nadgrids=/dev/zero"\n' + RULES_OK
    files["crs_degrees.yaml"] = HEAD + 'crs: "EPSG:4326"\n' + RULES_OK
    files["crs_kilometres.yaml"] = HEAD + 'crs: "+proj=tmerc +lat_0=-2.1 +lon_0=106.1 +units=km"\n' + RULES_OK
    files["crs_unknown_code.yaml"] = HEAD + "crs: EPSG:999999\n" + RULES_OK
    files["crs_tiny_scale.yaml"] = HEAD + 'crs: "+proj=tmerc +lon_0=106.1 +k=1e-9 +units=m"\n' + RULES_OK
    files["crs_wkt.yaml"] = HEAD + 'crs: \'PROJCS["x", GEOGCS["y"]]\'\n' + RULES_OK
    # 2. regular expressions in the safe subset that backtracked in Python's engine
    files["regex_optional_repeats.yaml"] = HEAD + _rule("{field: party, matches: '^(?:a?){30}a{30}$'}")
    files["regex_many_dot_stars.yaml"] = HEAD + _rule("{field: party, matches: '.*.*.*.*.*=$'}")
    files["regex_word_runs.yaml"] = HEAD + _rule("{field: party, matches: '^\\w+\\s*\\w+\\s*\\w+$'}")
    files["regex_word_boundary.yaml"] = HEAD + _rule("{field: party, matches: '\\bPartai\\b'}")
    files["regex_possessive.yaml"] = HEAD + _rule("{field: party, matches: 'a*+b'}")
    files["regex_too_many_repeats.yaml"] = HEAD + _rule("{field: party, matches: 'a{2000}'}")
    # 3. keys that YAML reads as one
    files["keys_yes_and_true.yaml"] = HEAD + "yes: 1\ntrue: 2\n" + RULES_OK
    files["keys_one_and_quoted_one.yaml"] = (
        HEAD + 'defaults:\n  accuracy_by: {field: sumber, values: {"1": 5, 1: 6}}\n' + RULES_OK
    )
    files["keys_one_and_one_point_zero.yaml"] = (
        HEAD
        + "defaults:\n  accuracy_by:\n    field: sumber\n    values:\n      1: 5\n      1.0: 6\n"
        + RULES_OK
    )
    # 4. extends to paths the OS cannot follow
    files["extends_symlink_loop.yaml"] = CHILD.replace("builtin:id-pemilu-2024", "loop_a.yaml") + RULES_OK
    files["extends_nul_byte.yaml"] = CHILD.replace("builtin:id-pemilu-2024", "a\\0b.yaml") + RULES_OK
    files["extends_long_name.yaml"] = CHILD.replace("builtin:id-pemilu-2024", "x" * 300 + ".yaml") + RULES_OK
    # 5. a child of a bundled set with a malformed section: checked before the merge
    files["child_periods_list.yaml"] = CHILD + "periods: [1, 2]\n" + RULES_OK
    files["child_categories_number.yaml"] = CHILD + "categories: 5\n" + RULES_OK
    files["child_defaults_list.yaml"] = CHILD + "defaults: [1]\n" + RULES_OK
    files["child_exemptions_number.yaml"] = CHILD + "exemptions: 5\n" + RULES_OK
    files["child_rules_number.yaml"] = CHILD + "rules: 5\n"
    files["child_rule_id_list.yaml"] = (
        CHILD + "rules:\n  - id: [APK-POHON, R-2]\n    when: {near: {zone: tree, within_m: 1}}\n"
    )
    files["child_new_rule_without_when.yaml"] = (
        CHILD + "rules:\n  - id: APK-POHON\n    severity: warning\n  - id: R-NEW\n    severity: warning\n"
    )
    # 6. values that crashed: mixed key types, dates, numbers past float and int->str limits
    files["accuracy_by_mixed_keys.yaml"] = (
        HEAD + "defaults:\n  accuracy_by: {field: sumber, values: {1: 5, patroli: 6}}\n" + RULES_OK
    )
    files["date_test_not_a_date.yaml"] = HEAD + _rule("{field: observed_at, gt: 'zzz'}")
    files["date_test_month_13.yaml"] = HEAD + _rule(
        "{field: observed_at, between: ['2024-01-01', '2024-13-01']}"
    )
    files["number_400_digits.yaml"] = HEAD + _rule("{near: {zone: tree, within_m: " + "9" * 400 + "}}")
    files["number_5000_digits.yaml"] = (
        HEAD
        + "exemptions:\n  - id: IZIN-1\n    location: {lon: 106.1, lat: -2.1, radius_m: "
        + "9" * 5000
        + "}\n"
        + RULES_OK
    )
    files["number_400_digits_in_test.yaml"] = HEAD + _rule("{field: width_m, gt: " + "9" * 400 + "}")
    files["number_hex_too_large.yaml"] = HEAD + _rule("{field: width_m, gt: 0x" + "f" * 60 + "}")
    # 7. lone surrogates: refused at load, not when a writer meets them
    files["surrogate_in_title.yaml"] = HEAD + _rule(
        "{near: {zone: tree, within_m: 1}}", '    title: "Pohon \\ud800"\n'
    )
    files["surrogate_in_message.yaml"] = HEAD + _rule(
        "{near: {zone: tree, within_m: 1}}", '    message: {id: "pohon", en: "tree \\udfff"}\n'
    )
    files["surrogate_in_key.yaml"] = HEAD + 'periods:\n  "k\\ud83d": {from: "2024-01-01"}\n' + RULES_OK
    # 8. a message template that names one value hundreds of times
    files["template_repeats_party.yaml"] = HEAD + _rule(
        "{field: party, exists: true}", '    message: "' + "{party}" * 250 + '"\n'
    )
    # 9. an error about a long value quotes only the start of it
    files["long_value_in_error.yaml"] = HEAD + _rule(
        "{near: {zone: tree, within_m: 1}}", '    legal_basis: "' + "Pasal 1 " * 45_000 + '"\n'
    )
    return files


SYMLINKS = {"loop_a.yaml": "loop_b.yaml", "loop_b.yaml": "loop_a.yaml"}
"""Two links to each other, in the folder ``extends_symlink_loop.yaml`` extends from."""


def write(root: Path = HERE) -> None:
    """Write these cases under ``root``/rules."""
    target = root / "rules"
    target.mkdir(parents=True, exist_ok=True)
    for name, content in rule_files().items():
        (target / name).write_bytes(content.encode("utf-8"))
    for name, points_to in SYMLINKS.items():
        link = target / name
        if link.is_symlink() or link.exists():
            link.unlink()
        os.symlink(points_to, link)


if __name__ == "__main__":
    write()
