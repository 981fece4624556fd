"""Every file of the bad-input corpus gives its exact expected outcome, never a traceback.

The corpus is tests/bad_inputs/{reports,zones,rules,permits}/ and the expected
outcomes are in tests/bad_inputs/expected.yaml and expected-*.yaml (the first's
header says how to read them); make_corpus.py and make_corpus_*.py write the files. Cases
that could hang or eat memory if a guard broke run in a separate process with a
timeout and an address-space limit (one process for them all while it answers).
"""

from __future__ import annotations

import importlib.util
import json
import os
import select
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from helpers import EXAMPLE_REPORTS, run_cli, zone_args

CORPUS = Path(__file__).parent / "bad_inputs"
KINDS = ("reports", "zones", "rules", "permits")


def _manifest() -> dict:
    merged: dict = {}
    for path in [CORPUS / "expected.yaml", *sorted(CORPUS.glob("expected-*.yaml"))]:
        part = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        repeated = merged.keys() & part.keys()
        assert not repeated, f"{path.name} repeats {sorted(repeated)}"
        merged.update(part)
    return merged


MANIFEST = _manifest()
TIMEOUT_S = 20
MEMORY_BYTES = 1536 * 1024**2

# One capped process answers the isolated cases one after another: an argv as a JSON line
# in, the outcome as a JSON line out.
_ISOLATED = """
import io, json, resource, sys
resource.setrlimit(resource.RLIMIT_AS, ({limit}, {limit}))
from atribut_rules.cli import main
for line in sys.stdin:
    out, err = io.StringIO(), io.StringIO()
    code = main(json.loads(line), out, err)
    answer = {{"code": code, "stdout": out.getvalue(), "stderr": err.getvalue()}}
    sys.stdout.write(json.dumps(answer) + "\\n")
    sys.stdout.flush()
"""


class IsolatedRunner:
    """Runs cases in a separate process under an address-space limit, each with its own
    timeout. The process is reused while it answers (starting one per case cost more than
    the cases); a case that does not answer in time, or kills it, is a failure naming the
    case, and the next case gets a fresh process."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.proc: subprocess.Popen | None = None
        self.started = 0

    def _start(self) -> subprocess.Popen:
        env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")
        env.pop("ATRIBUT_RULES_DEBUG", None)
        self.started += 1
        self.stderr = self.folder / f"stderr-{self.started}.txt"
        with self.stderr.open("w") as stderr:
            return subprocess.Popen(
                [sys.executable, "-c", _ISOLATED.format(limit=MEMORY_BYTES)],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr, text=True, env=env,
            )  # fmt: skip

    def run(self, argv: list[str]) -> tuple[int, str, str]:
        if self.proc is None or self.proc.poll() is not None:
            self.proc = self._start()
        proc = self.proc
        assert proc.stdin is not None and proc.stdout is not None
        proc.stdin.write(json.dumps(argv) + "\n")
        proc.stdin.flush()
        answered, _, _ = select.select([proc.stdout], [], [], TIMEOUT_S)
        line = proc.stdout.readline() if answered else ""
        if not line:
            proc.kill()
            proc.wait()
            self.proc = None
            died = self.stderr.read_text(errors="replace")[-2000:]
            assert answered, f"no answer within {TIMEOUT_S} s: {argv}"
            raise AssertionError(f"the isolated run died: {died}")
        result = json.loads(line)
        return result["code"], result["stdout"], result["stderr"]

    def close(self) -> None:
        if self.proc is not None:
            assert self.proc.stdin is not None
            self.proc.stdin.close()
            self.proc.wait(timeout=60)


@pytest.fixture(scope="module")
def isolated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[IsolatedRunner]:
    runner = IsolatedRunner(tmp_path_factory.mktemp("isolated"))
    yield runner
    runner.close()


def _argv(key: str) -> list[str]:
    rel, *extra = key.split()
    path = str(CORPUS / rel)
    kind = rel.split("/")[0]
    if kind == "reports":
        argv = ["check", path, *zone_args()]
    elif kind == "zones":
        # one layer alone: the other categories' rules are unchecked (--partial)
        argv = ["check", str(EXAMPLE_REPORTS), "--zones", path, "--partial"]
    elif kind == "permits":
        argv = ["check", "--example", "--permits", path]
    else:
        argv = ["check", "--example", "--rules", path]
    return [*argv, "--format", "json", "--lang", "en", *extra]


@pytest.mark.parametrize("key", list(MANIFEST))
def test_bad_input_outcome(key: str, isolated: IsolatedRunner) -> None:
    expected = MANIFEST[key]
    argv = _argv(key)
    code, out, err = isolated.run(argv) if expected.get("isolate", False) else run_cli(*argv)
    assert "Traceback" not in err
    assert "internal error" not in err
    if "error" in expected:
        assert code == 2, f"expected exit 2, got {code}: {err}"
        assert out == ""
        assert err.startswith("atribut-rules: error: ") and err.count("\n") == 1, err
        for text in expected["error"]["contains"]:
            assert text in err, f"{text!r} not in {err!r}"
        return
    assert err == ""
    assert code == expected["exit"]
    verdicts = json.loads(out)["verdicts"]
    assert len(verdicts) == expected["reports"]
    if "ids" in expected:
        assert [v["report"] for v in verdicts] == expected["ids"]
    rows = [v["source"]["row"] for v in verdicts]
    assert rows == sorted(rows) and len(set(rows)) == len(rows), "rows out of order or repeated"
    got = [
        {
            "row": v["source"]["row"],
            "id": v["report"],
            "problems": [f"{p['code']}:{p['field']}" if p["field"] else p["code"] for p in v["problems"]],
        }
        for v in verdicts
        if v["status"] == "invalid"
    ]
    assert got == expected.get("invalid", [])
    for v in verdicts:
        if v["status"] == "invalid":
            assert all(p["message"]["id"] and p["message"]["en"] for p in v["problems"])
        else:
            assert v["problems"] == []


def test_every_corpus_file_has_an_expected_outcome() -> None:
    files = {
        p.relative_to(CORPUS).as_posix()
        for kind in KINDS
        if (CORPUS / kind).is_dir()
        for p in (CORPUS / kind).iterdir()
        if p.is_file() or p.is_symlink()
    }
    listed = {key.split()[0] for key in MANIFEST}
    assert files == listed
    assert len(files) >= 40


def test_corpus_is_rebuilt_byte_for_byte(tmp_path: Path) -> None:
    for script in sorted(CORPUS.glob("make_corpus*.py")):
        spec = importlib.util.spec_from_file_location(script.stem, script)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        module.write(tmp_path)
    for kind in KINDS:
        if not (CORPUS / kind).is_dir():
            continue
        for p in sorted((CORPUS / kind).iterdir()):
            if p.is_symlink():
                assert os.readlink(tmp_path / kind / p.name) == os.readlink(p), p.name
            else:
                assert (tmp_path / kind / p.name).read_bytes() == p.read_bytes(), p.name


# -- limits are configurable (docs/limits.md) ------------------------------------------

ALIASES = "a: &x [1]\nb: *x\nc: *x\nd: *x\n"


def test_yaml_alias_limit_is_configurable() -> None:
    from atribut_rules.errors import RuleSetError
    from atribut_rules.read.yamlsafe import YamlLimits, load_yaml

    with pytest.raises(RuleSetError, match="more than 2 YAML aliases") as info:
        load_yaml(ALIASES, file="f.yaml", limits=YamlLimits(max_aliases=2))
    assert (info.value.line, info.value.column) == (4, 4)
    data, _ = load_yaml(ALIASES, file="f.yaml", limits=YamlLimits(max_aliases=3))
    assert data["d"] == [1]


def test_yaml_size_depth_and_node_limits_are_configurable() -> None:
    from atribut_rules.errors import RuleSetError
    from atribut_rules.read.yamlsafe import YamlLimits, load_yaml

    with pytest.raises(RuleSetError, match="larger than 10 bytes"):
        load_yaml("a: 1234567890\n", file="f", limits=YamlLimits(max_bytes=10))
    with pytest.raises(RuleSetError, match="nested deeper than 3 levels"):
        load_yaml("a: {b: {c: [1]}}\n", file="f", limits=YamlLimits(max_depth=3))
    with pytest.raises(RuleSetError, match="more than 5 values"):
        load_yaml("[1, 2, 3, 4, 5, 6]\n", file="f", limits=YamlLimits(max_nodes=5))
    assert load_yaml("a: {b: {c: [1]}}\n", file="f", limits=YamlLimits(max_depth=4))[0] == {
        "a": {"b": {"c": [1]}}
    }


def test_condition_depth_limit_is_configurable() -> None:
    from atribut_rules.errors import RuleSetError
    from atribut_rules.rules.ruleset import Limits, load_rules

    doc = {
        "schema": "atribut-rules/1",
        "ruleset": {"id": "t", "version": "1"},
        "rules": [{"id": "A", "when": {"not": {"not": {"near": {"zone": "tree", "within_m": 1}}}}}],
    }
    assert load_rules(doc, limits=Limits(max_condition_depth=2)).rules[0].id == "A"
    with pytest.raises(RuleSetError, match="nested deeper than 1 levels"):
        load_rules(doc, limits=Limits(max_condition_depth=1))


@pytest.mark.parametrize(
    "pattern", [r"^[A-Z]{2,3}-\d+$", r"(?i)partai\s+[a-h]", r"^(baliho|spanduk)$", r"^(ab)?c+$"]
)
def test_safe_patterns_are_accepted(pattern: str) -> None:
    from atribut_rules.rules.conditions import check_pattern

    check_pattern(pattern, ())


@pytest.mark.parametrize(
    "pattern, reason",
    [
        (r"(a+)+$", "repeat inside a repeat"),
        (r"(a*)*", "repeat inside a repeat"),
        (r"(\w+\s?)+$", "repeat inside a repeat"),
        (r"(a|a)*b", "alternation inside a repeat"),
        (r"(?=a)a", "look-arounds"),
        (r"(a)\1", "back-references"),
        ("a" * 501, "longer than 500"),
    ],
)
def test_unsafe_patterns_are_refused(pattern: str, reason: str) -> None:
    from atribut_rules.rules.conditions import ConditionError, check_pattern

    with pytest.raises(ConditionError, match=reason):
        check_pattern(pattern, ())


def test_field_size_limit_is_configurable() -> None:
    from atribut_rules.read import read_csv

    text = "id,lat,lon,notes\nA,-2.1,106.1,abcdef\nB,-2.1,106.1,abc\n"
    reports = read_csv(text, max_field_chars=5)
    assert [p.code for p in reports.problems[0]] == ["too_long"]
    assert 1 not in reports.problems
    assert read_csv(text, max_field_chars=6).problems == {}


def test_reports_file_size_limit_is_configurable(tmp_path: Path) -> None:
    from atribut_rules.errors import InputError
    from atribut_rules.read import read_reports

    path = tmp_path / "laporan.csv"
    path.write_text("id,lat,lon\nA,-2.1,106.1\n", encoding="utf-8")
    with pytest.raises(InputError, match="more than the limit of 10"):
        read_reports(path, max_file_bytes=10)
    assert len(read_reports(path, max_file_bytes=1000)) == 1


CSV_KEYS = [
    k
    for k, v in MANIFEST.items()
    if k.startswith("reports/") and k.split()[0].endswith((".csv", ".txt", ".tsv")) and not v.get("isolate")
]


@pytest.mark.parametrize("key", CSV_KEYS)
def test_bad_csv_reports_read_in_chunks_give_the_same_outcome(key: str) -> None:
    """One-row chunks (one process and two workers) end exactly as the list read whole."""
    outcomes = []
    for extra in (
        ["--chunk-rows", "0"],
        ["--chunk-rows", "1", "--jobs", "1"],
        ["--chunk-rows", "2", "--jobs", "2"],
    ):
        outcomes.append(run_cli(*_argv(key), *extra))
    assert outcomes[1] == outcomes[0]
    assert outcomes[2] == outcomes[0]
