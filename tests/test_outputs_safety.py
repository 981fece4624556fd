"""Outputs are safe to show and to write: terminal controls escaped, lone surrogates escaped in
every text format, XLSX texts kept as texts, file modes kept, inputs never clobbered, and
failures (a missing folder, a full disk, a closed pipe, SIGTERM) ending in one clear line."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import stat
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from helpers import CLI_PROCESS, EXAMPLE, run_cli, run_cli_process, zone_args

import atribut_rules as ar
from atribut_rules.errors import OutputError
from atribut_rules.spatial.zonecache import read_zone_cache, write_zone_cache
from atribut_rules.write import FORMATS, atomic_write, write, write_file
from atribut_rules.write.escape import cell_text, terminal_text
from atribut_rules.write.html_report import render_html
from atribut_rules.write.sheets import exact_number, xlsx_value

TEXT_FORMATS = [name for name, spec in FORMATS.items() if not spec.binary]
HOSTILE = ["\x1b[2J", "\x1b]0;owned\x07", "\r", "\x08", "\x9b", "\u202e", "\u2066", "\x7f"]


def _every_layer() -> list[str]:
    """``--zones`` for every layer of the example, so that no rule is left unchecked."""
    return zone_args()


@pytest.fixture(scope="module")
def zones_file() -> Path:
    return EXAMPLE / "trees.geojson"


@pytest.fixture(scope="module")
def rules():
    return ar.load_rules()


def _run(records, zones_file, rules):
    zones = ar.load_zones(zones_file, categories=rules.categories)
    return ar.check(ar.Reports.from_records(records), zones, rules, partial=True)


def _list(tmp_path: Path, rows: list[list[str]], header=("id", "lat", "lon", "party", "telp")) -> Path:
    path = tmp_path / "laporan.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)
    return path


# -- 1. terminal output ------------------------------------------------------------------


@pytest.mark.parametrize("char", HOSTILE)
def test_terminal_text_writes_controls_visibly(char):
    out = terminal_text(f"a{char}b")
    assert out.isprintable() and out.startswith("a\\") and out.endswith("b")
    assert not any(c in out for c in HOSTILE)


def test_terminal_text_leaves_ordinary_text_alone():
    for text in ("R-0001", "Partai Persatuan", "Kelurahan Bukit Besar", "café ñ 北京", ""):
        assert terminal_text(text) == text


def test_table_and_github_show_controls_escaped(tmp_path, zones_file):
    rows = [
        ["A\x1b[2Jx", "-2.13", "106.11", "P\x1b]0;hi\x07", "1"],
        ["B\u202eC", "-2.13", "106.12", "Q\x08", "2"],
    ]
    path = _list(tmp_path, rows)
    for fmt in ("table", "github"):
        text = run_cli("check", path, *_every_layer(), "--format", fmt, "--fail-on", "never").out
        assert not any(c in text for c in HOSTILE), fmt
        if fmt == "table":
            assert "A\\x1b[2Jx" in text and "P\\x1b]0;hi\\x07" in text and "B\\u202eC" in text


def test_error_lines_on_stderr_escape_controls(tmp_path, zones_file):
    code, _, line = run_cli("check", tmp_path / "no\x1b[2Jsuch\n.csv", *_every_layer(), "--lang", "en")
    assert code == 2
    assert line.count("\n") == 1 and line.startswith("atribut-rules: error: ")
    assert "\x1b" not in line and "no\\x1b[2Jsuch\\n.csv" in line


# -- 5. lone surrogates through the API ------------------------------------------------------


@pytest.mark.parametrize("fmt", [*TEXT_FORMATS, "xlsx"])
def test_lone_surrogates_never_crash_a_writer_nor_reach_its_bytes(fmt, tmp_path, zones_file, rules):
    run = _run(
        [
            {"id": "R\ud800", "lat": "", "lon": 106.11, "party": "P\udc80", "note": "n\udfff"},
            {"id": "R2", "lat": -2.13, "lon": 106.11, "party": "ok\udc80"},
        ],
        zones_file,
        rules,
    )
    path = tmp_path / f"out{FORMATS[fmt].suffix}"
    write_file(run, fmt, path)
    data = path.read_bytes()
    if fmt == "xlsx":
        data = b"".join(zipfile.ZipFile(path).read(n) for n in zipfile.ZipFile(path).namelist())
    text = data.decode("utf-8")  # valid UTF-8: no raw surrogate, no stray 0x80
    assert "\\ud800" in text  # the id of an invalid row, in every format
    if fmt in ("json", "geojson", "sarif"):
        json.loads(text)
    if fmt != "xlsx":
        buf = io.StringIO()
        write(run, fmt, buf)  # a plain text stream, as the API gives one
        buf.getvalue().encode("utf-8")
    if fmt == "html":
        render_html(run).encode("utf-8")


def test_lone_surrogates_in_the_streamed_path(tmp_path, zones_file, rules):
    from atribut_rules.write.stream import ChunkWriter, render_chunk

    run = _run([{"id": "R\ud800", "lat": -2.13, "lon": 106.11, "party": "P\udc80"}], zones_file, rules)
    for fmt in ("json", "jsonl", "geojson"):
        data = render_chunk(fmt, run, first=True).data
        assert b"\\ud800" in data
        data.decode("utf-8")
        buf = io.StringIO()
        writer = ChunkWriter(fmt, buf)
        writer.add(render_chunk(fmt, run, first=True))
        writer.close(run.ruleset, run.provenance)
        text = buf.getvalue()
        text.encode("utf-8")  # the head (summary by party) too
        if fmt == "json":
            assert "P\\udc80" in json.dumps(json.loads(text)["summary"]["by_party"])


# -- 4. XLSX and CSV keep texts --------------------------------------------------------------


def _xlsx_rows(data: bytes) -> list[list]:
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.load_workbook(io.BytesIO(data))
    return [list(row) for row in wb.worksheets[0].iter_rows(values_only=True)]


def test_xlsx_keeps_texts_as_texts_and_numbers_as_numbers(tmp_path, zones_file):
    pytest.importorskip("openpyxl")
    texts = ["0812345678", "007", "9171234567890123456", "1e309", "2.50", "-0"]
    rows = [[f"R{i}", "-2.13", "106.11", "P\x1b[2J", t] for i, t in enumerate(texts)]
    path = _list(tmp_path, rows, header=("id", "lat", "lon", "party", "telp"))
    out = tmp_path / "hasil.xlsx"
    assert run_cli("check", path, *_every_layer(), "-o", f"xlsx:{out}", "-q").code in (0, 1)
    cells = _xlsx_rows(out.read_bytes())
    header = cells[0]
    telp, lat, party = header.index("telp"), header.index("lat"), header.index("party")
    assert [row[telp] for row in cells[1:]] == texts
    assert all(row[lat] == -2.13 for row in cells[1:])  # a coordinate the tool reads is a number
    assert cells[1][party] == "P\\x1b[2J"
    csv_out = tmp_path / "hasil.csv"
    run_cli("check", path, *_every_layer(), "-o", f"csv:{csv_out}", "-q")
    back = list(csv.reader(io.StringIO(csv_out.read_text(encoding="utf-8"))))
    assert [row[4] for row in back[1:]] == texts
    assert back[1][3] == "P\x1b[2J"  # CSV is data: kept exactly


def test_xlsx_values():
    assert xlsx_value("0812345678") == "0812345678"
    assert xlsx_value("0812345678", numeric=True) == "0812345678"  # a leading 0: a code, not a number
    assert xlsx_value("007", numeric=True) == "007"
    assert xlsx_value("8", numeric=True) == 8 and xlsx_value("-2.1291", numeric=True) == -2.1291
    assert xlsx_value("9171234567890123456", numeric=True) == "9171234567890123456"
    assert xlsx_value("1e309", numeric=True) == "1e309"
    assert xlsx_value(9171234567890123456) == "9171234567890123456"
    assert xlsx_value(float("inf")) == "inf" and xlsx_value(float("nan")) is None
    assert xlsx_value("a\x00b\x1bc") == "a\\x00b\\x1bc"
    assert xlsx_value({"a": 1}) == '{"a": 1}'
    assert exact_number("0.5") == 0.5 and exact_number("00.5") is None
    assert cell_text("tab\tok\r\n") == "tab\tok\r\n"


def test_csv_keeps_typed_coordinates_in_full(tmp_path, zones_file, rules):
    run = _run([{"id": "R1", "lat": -2.1075781234, "lon": 106.1258052345}], zones_file, rules)
    buf = io.StringIO()
    write(run, "csv", buf)
    assert "-2.1075781234" in buf.getvalue() and "106.1258052345" in buf.getvalue()


# -- 2. file modes ---------------------------------------------------------------------------


def test_rewriting_a_file_keeps_its_mode(tmp_path):
    path = tmp_path / "private.json"
    path.write_text("old")
    os.chmod(path, 0o600)
    with atomic_write(path) as f:
        f.write("new")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and path.read_text() == "new"
    os.chmod(path, 0o640)
    with atomic_write(path, binary=True) as f:
        f.write(b"newer")
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


@pytest.mark.parametrize("umask", [0o022, 0o077, 0o002])
def test_a_new_file_gets_the_mode_the_umask_gives(tmp_path, umask):
    path = tmp_path / "new.txt"
    code = (
        "import os,sys; os.umask(int(sys.argv[2], 8));"
        "from atribut_rules.write import atomic_write\n"
        "with atomic_write(sys.argv[1]) as f: f.write('x')"
    )
    subprocess.run([sys.executable, "-c", code, str(path), oct(umask)[2:]], check=True)
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~umask


def test_atomic_write_never_touches_the_umask(tmp_path, monkeypatch):
    def refuse(*_):
        raise AssertionError("os.umask changes process-wide state")

    monkeypatch.setattr(os, "umask", refuse)
    with atomic_write(tmp_path / "x.txt") as f:
        f.write("x")


def test_a_device_is_written_not_replaced():
    with atomic_write(os.devnull) as f:
        f.write("gone")
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)


# -- 3. outputs never clobber inputs ---------------------------------------------------------


def _one_error_line(code: int, stderr: str, *parts: str) -> None:
    assert code == 2, stderr
    assert stderr.startswith("atribut-rules: error: ") and stderr.count("\n") == 1, stderr
    assert "Traceback" not in stderr
    for part in parts:
        assert part in stderr, stderr


def test_outputs_and_cache_never_replace_an_input(tmp_path, zones_file, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the relative paths below are in the list's folder
    reports = _list(tmp_path, [["R1", "-2.13", "106.11", "P", "1"]])
    zones = tmp_path / "trees.geojson"
    zones.write_bytes(zones_file.read_bytes())
    (tmp_path / "link.csv").symlink_to(reports)
    before = {p: p.read_bytes() for p in (reports, zones)}
    cases = [
        (["-o", f"json:{reports}"], "reports file"),
        (["-o", "csv:link.csv"], "reports file"),
        (["-o", f"geojson:{tmp_path}/./trees.geojson"], "zone layer"),
        (["--zones-cache", str(zones)], "zone layer"),
        (["--zones-cache", str(reports)], "reports file"),
        (["-o", "json:a.json", "-o", "jsonl:./a.json"], "both write"),
    ]
    for extra, what in cases:
        code, _, err = run_cli("check", reports, "--zones", zones, *_every_layer(), *extra, "--lang", "en")
        _one_error_line(code, err, what)
    assert {p: p.read_bytes() for p in before} == before
    assert not (tmp_path / "a.json").exists()


def test_zone_cache_replaces_only_a_zone_cache(tmp_path, zones_file, rules):
    zones = ar.load_zones(zones_file, categories=rules.categories)
    other = tmp_path / "notes.npz"
    other.write_text("my notes")
    with pytest.raises(OutputError, match="not an atribut-rules zone cache"):
        write_zone_cache(zones, other, "k1")
    assert other.read_text() == "my notes"
    workbook = tmp_path / "book.npz"
    with zipfile.ZipFile(workbook, "w") as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(OutputError, match="delete that file"):
        write_zone_cache(zones, workbook, "k1")  # a readable zip that is not a cache: kept
    assert zipfile.ZipFile(workbook).namelist() == ["xl/workbook.xml"]
    cache = tmp_path / "zones.npz"
    write_zone_cache(zones, cache, "k1")
    write_zone_cache(zones, cache, "k2")  # its own cache, stale: replaced
    cache.write_bytes(b"PK\x03\x04 broken")
    write_zone_cache(zones, cache, "k3")  # a damaged archive: rebuilt
    assert read_zone_cache(cache, "k3") is not None


# -- 6. output failures ----------------------------------------------------------------------


@pytest.mark.parametrize("streamed", [False, True])
def test_unwritable_output_paths_are_one_located_line(tmp_path, zones_file, streamed):
    reports = _list(tmp_path, [[f"R{i}", "-2.13", "106.11", "P", "1"] for i in range(50)])
    (tmp_path / "folder").mkdir()
    fmt = "jsonl" if streamed else "csv"
    cases = [
        (str(tmp_path / "missing" / "out"), "does not exist"),
        (str(reports) + "/out", "not a folder"),
        (str(tmp_path / "folder"), "is a folder"),
    ]
    for path, what in cases:
        args = ["check", str(reports), *_every_layer(), "-o", f"{fmt}:{path}", "--chunk-rows", "10"]
        code, _, err = run_cli(*args, "-j", "2", "--lang", "en")
        _one_error_line(code, err, path, what)


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("fmt,streamed", [("table", False), ("json", False), ("jsonl", True)])
def test_a_full_disk_on_stdout_is_one_located_line(tmp_path, zones_file, fmt, streamed):
    reports = _list(tmp_path, [[f"R{i}", "-2.13", "106.11", "P", "1"] for i in range(50)])
    args = ["check", str(reports), *_every_layer(), "--format", fmt]
    args += ["--chunk-rows", "10", "-j", "2"] if streamed else ["--chunk-rows", "0"]
    with open("/dev/full", "w") as full:
        result = run_cli_process(*args, "--lang", "en", stdout=full, stderr=subprocess.PIPE)
    _one_error_line(result.returncode, result.stderr, "stdout", "disk is full")


@pytest.mark.parametrize("streamed", [False, True])
def test_a_closed_pipe_ends_quietly(tmp_path, zones_file, streamed):
    reports = _list(tmp_path, [[f"R{i}", "-2.13", "106.11", "P", "1"] for i in range(20000)])
    args = ["check", str(reports), *_every_layer(), "--format", "jsonl" if streamed else "table"]
    args += ["--chunk-rows", "2000", "-j", "2"] if streamed else []
    proc = subprocess.Popen([*CLI_PROCESS, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.readline()
    proc.stdout.close()  # the reader goes away, as `| head -1` does
    err = proc.stderr.read()
    assert proc.wait(timeout=120) == 141
    assert err == b""


# -- 7. SIGTERM during a streamed run --------------------------------------------------------


def _big_list(path: Path, rows: int) -> None:
    with path.open("w", encoding="utf-8") as f:
        f.write("id,lat,lon,party\n")
        for i in range(rows):
            f.write(f"R{i},{-2.1 - (i % 997) * 4e-5:.6f},{106.1 + (i % 991) * 4e-5:.6f},P{i % 7}\n")


@pytest.mark.parametrize("group", [False, True])
def test_sigterm_during_a_streamed_run_ends_clean(tmp_path, zones_file, group):
    reports = tmp_path / "big.csv"
    _big_list(reports, 300_000)
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    out = tmp_path / "out.json"
    env = {**os.environ, "TMPDIR": str(tmpdir)}
    args = ["check", str(reports), *_every_layer(), "-j", "2", "-o", f"json:{out}"]
    args += ["--format", "jsonl", "--chunk-rows", "20000"]
    proc = subprocess.Popen(
        [*CLI_PROCESS, *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while not any(tmpdir.iterdir()) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)  # the chunk folder appears once the workers run
    time.sleep(0.3)
    assert proc.poll() is None, "the run ended before it could be stopped: make the list longer"
    if group:
        os.killpg(proc.pid, signal.SIGTERM)
    else:
        proc.send_signal(signal.SIGTERM)
    assert proc.stderr is not None
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 143
    assert "Traceback" not in err and err.count("\n") <= 1, err
    time.sleep(0.2)
    assert list(tmpdir.iterdir()) == []
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []
    assert not out.exists()
