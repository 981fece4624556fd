"""Atheris harness for the rule loader (YAML -> schema -> compiled rules).

Each input is written to a rule file and loaded with :func:`atribut_rules.load_rules`
under small limits. An input that starts with byte 0x01 is a child set: the rest of it
follows a head that ``extends: ["builtin:id-pemilu-2024"]``, so its sections are checked
on their own and merged into the bundled set (seed: ``fuzz/corpus/rules/child.yaml``);
any other input is the whole file. The only
exception allowed out is :class:`~atribut_rules.errors.RuleSetError`, and its one line
stays short.

Run (see fuzz/README.md)::

    python fuzz/fuzz_rules.py fuzz/corpus/rules -max_total_time=300
"""

from __future__ import annotations

import os
import sys
import tempfile

import atheris

with atheris.instrument_imports(include=["atribut_rules"]):
    from atribut_rules.errors import MAX_ERROR_LINE, RuleSetError
    from atribut_rules.rules.ruleset import Limits, load_rules
    from atribut_rules.read.yamlsafe import YamlLimits

LIMITS = Limits(yaml=YamlLimits(max_bytes=64_000, max_aliases=20, max_depth=32, max_nodes=20_000))
_FOLDER = tempfile.mkdtemp(prefix="atribut-fuzz-")
_PATH = os.path.join(_FOLDER, "rules.yaml")
CHILD_HEAD = (
    b'schema: atribut-rules/1\nruleset:\n  id: anak\n  version: "1"\n  extends: ["builtin:id-pemilu-2024"]\n'
)


def test_one_input(data: bytes) -> None:
    with open(_PATH, "wb") as fh:
        fh.write(CHILD_HEAD + data[1:] if data[:1] == b"\x01" else data)
    try:
        ruleset = load_rules(_PATH, limits=LIMITS)
    except RuleSetError as exc:
        text = str(exc)  # the message must render, on one short line
        assert "\n" not in text and len(text) <= MAX_ERROR_LINE
        text.encode("utf-8")
        return
    assert ruleset.id and ruleset.sha256


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
