"""A list checked in chunks gives the same verdicts and the same output bytes as one check of the whole."""

from __future__ import annotations

import functools
import io
import json
import pickle
import tempfile
from pathlib import Path

import pytest
from helpers import (
    EXAMPLE,
    EXAMPLE_PERMITS,
    EXAMPLE_REPORTS,
    EXAMPLE_ZONES,
    assert_same_table,
    assert_same_verdicts,
    examples,
    load_example,
    zone_args,
)
from helpers import run_cli as cli
from hypothesis import given, settings
from hypothesis import strategies as st

import atribut_rules as ar
from atribut_rules.cli import main
from atribut_rules.read import csv_reader, read_reports, report_chunks
from atribut_rules.read.csv_reader import iter_csv
from atribut_rules.scale.chunks import check_chunks, concat_reports, whole_list_run
from atribut_rules.table.ids import SeenIds

PERMITS = str(EXAMPLE_PERMITS)
REPORTS = str(EXAMPLE_REPORTS)


def run_cli(
    reports: str, fmt: str, rules: str, chunk_rows: int, extra: tuple[str, ...] = ()
) -> tuple[int, str]:
    """The example's layers and permits checked from ``reports`` in chunks of ``chunk_rows``."""
    code, out, _ = cli(
        "check", reports, *zone_args(), "--permits", PERMITS, "--rules", rules, "--format", fmt,
        "--chunk-rows", str(chunk_rows), "-q", "--partial", *extra,
    )  # fmt: skip
    return code, out


@functools.cache
def whole_run(fmt: str, rules: str) -> tuple[int, str]:
    """The example checked at once, not in chunks: what every chunked run must print. Made
    once per format and rule set for the whole module."""
    return run_cli(REPORTS, fmt, rules, 0)


STREAMED = ("json", "jsonl", "geojson")


@pytest.mark.parametrize("rules", ["builtin:id-pemilu-2024", "builtin:pangkalpinang-2024"])
@pytest.mark.parametrize(
    ("chunk_rows", "fmt"), [(1, "json"), (7, "jsonl"), (100, "geojson"), (100_000, "json")]
)
def test_chunked_output_is_byte_identical_to_one_whole_run(
    chunk_rows: int, fmt: str, rules: str, tmp_path: Path
) -> None:
    """One chunked run prints ``fmt`` and writes the other streamed formats to files (each
    format takes its turn on stdout): every one byte for byte what a whole run prints."""
    files = {other: tmp_path / f"out.{other}" for other in STREAMED if other != fmt}
    outputs = tuple(f"--output={other}:{path}" for other, path in files.items())
    assert run_cli(REPORTS, fmt, rules, chunk_rows, outputs) == whole_run(fmt, rules)
    for other, path in files.items():
        assert path.read_text(encoding="utf-8") == whole_run(other, rules)[1], other


def test_output_files_are_streamed_too(tmp_path: Path) -> None:
    paths = {c: tmp_path / f"out{c}.json" for c in (0, 13)}
    for c, path in paths.items():
        run_cli(REPORTS, "jsonl", "builtin:pangkalpinang-2024", c, ("--output", f"json:{path}"))
    assert paths[0].read_bytes() == paths[13].read_bytes()
    assert not list(tmp_path.glob(".*.tmp"))


@pytest.mark.parametrize("jobs", ["1", "2"])  # 2: tables built in worker processes from TableParts
def test_an_id_repeated_in_a_later_chunk_is_invalid_with_the_first_row(jobs: str, tmp_path: Path) -> None:
    lines = Path(REPORTS).read_text(encoding="utf-8-sig").splitlines()
    header, body = lines[0], lines[1:]
    repeated = body[5].split(";")
    repeated[0] = body[0].split(";")[0]  # the id of the first row, far down the list
    path = tmp_path / "dup.csv"
    path.write_text("\n".join([header, *body, ";".join(repeated)]) + "\n", encoding="utf-8")
    whole = run_cli(str(path), "jsonl", "builtin:id-pemilu-2024", 0)
    assert run_cli(str(path), "jsonl", "builtin:id-pemilu-2024", 9, ("-j", jobs)) == whole
    last = whole[1].splitlines()[-1]
    assert '"code":"duplicate_id"' in last and '"status":"invalid"' in last


@functools.cache
def whole_check(rules_name: str) -> tuple[ar.RuleSet, ar.Zones, object, ar.Run]:
    """Rules, zones, permits and the one-check run of the example, made once per rule set."""
    rules = ar.load_rules(rules_name)
    reports, zones, permits = load_example(rules)
    return rules, zones, permits, ar.check(reports, zones, rules, permits=permits, partial=True)


@settings(max_examples=examples(15), deadline=None)
@given(st.integers(1, 270), st.sampled_from(["builtin:id-pemilu-2024", "builtin:pangkalpinang-2024"]))
def test_check_chunks_gives_the_verdicts_of_one_check(chunk_rows: int, rules_name: str) -> None:
    rules, zones, permits, expected = whole_check(rules_name)
    chunks = report_chunks(REPORTS, chunk_rows=chunk_rows)
    whole = whole_list_run(chunks, zones, rules, permits=permits, partial=True)
    got = [
        v
        for run in check_chunks(chunks, zones, rules, permits=permits, whole=whole, partial=True)
        for v in run.verdicts
    ]
    assert_same_verdicts(got, expected)


def test_chunks_join_into_the_table_read_at_once() -> None:
    whole = read_reports(REPORTS)
    joined = concat_reports(list(report_chunks(REPORTS, chunk_rows=17, keep_raw=True)))
    assert_same_table(joined, whole, "raw", "sha256")


def test_check_chunks_asks_for_the_whole_list_run_when_it_is_needed() -> None:
    rules = ar.load_rules("builtin:pangkalpinang-2024")
    zones = ar.load_zones(*EXAMPLE_ZONES, categories=rules.categories)
    with pytest.raises(ValueError, match="whole_list_run"):
        next(iter(check_chunks(report_chunks(REPORTS), zones, rules)))


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_ids_spilled_to_disk_give_the_same_bytes(jobs: str, tmp_path: Path, monkeypatch) -> None:
    rules = "builtin:pangkalpinang-2024"
    whole = whole_run("jsonl", rules)
    spill = tmp_path / "tmp"
    spill.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(spill))
    spilled: list[int] = []

    class SmallSeenIds(SeenIds):  # 16 ids in memory, the rest on disk
        def __init__(self) -> None:
            super().__init__(memory_ids=16)

        def close(self) -> None:
            spilled.append(self.spilled)
            super().close()

    monkeypatch.setattr(csv_reader, "SeenIds", SmallSeenIds)
    assert run_cli(REPORTS, "jsonl", rules, 10, ("--jobs", jobs)) == whole
    # the ids went to disk, and were closed once read (the first pass reads the header and one row)
    assert spilled and max(spilled) >= 200
    assert not list(spill.iterdir())  # ... which removed their folder


def test_an_unusable_temporary_folder_is_a_clear_error(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "gone"))
    monkeypatch.setattr(csv_reader, "SeenIds", functools.partial(SeenIds, memory_ids=16))
    code, out, err = cli("check", REPORTS, *zone_args(), "--format", "jsonl", "--chunk-rows", "10", "-q")
    assert code == 2
    assert out == ""
    assert "TMPDIR" in err and "Traceback" not in err


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_worker_processes_write_the_same_bytes(jobs: str, tmp_path: Path) -> None:
    rules = "builtin:pangkalpinang-2024"
    whole = whole_run("json", rules)
    out = tmp_path / "out.geojson"
    assert run_cli(REPORTS, "json", rules, 19, ("-j", jobs, "--output", f"geojson:{out}")) == whole
    assert out.read_text(encoding="utf-8") == whole_run("geojson", rules)[1]


@pytest.mark.parametrize("option", ["--chunk-rows", "--jobs"])
def test_negative_chunk_rows_or_jobs_are_refused(option: str) -> None:
    code, out, err = cli("check", REPORTS, "--format", "jsonl", option, "-1", "--lang", "en")
    assert (code, out) == (2, "")
    assert err == f"atribut-rules: error: {option} -1 is negative; give {option} 0 or more\n"


@pytest.mark.parametrize("fmt", ["json", "table"])
@pytest.mark.parametrize("encoding", ["no-such-codec", "base64"])
def test_an_encoding_that_cannot_read_text_is_one_line_error(fmt: str, encoding: str) -> None:
    code, out, err = cli("check", REPORTS, "--format", fmt, "--encoding", encoding, "--lang", "en")
    assert (code, out) == (2, "")
    assert err.endswith(f"unknown encoding {encoding!r}\n") and err.count("\n") == 1


@pytest.mark.parametrize("chunk_rows", [0, -1])
def test_chunk_rows_below_one_is_refused_by_the_api(chunk_rows: int) -> None:
    """Not an empty table (every row lost) nor a crash deep in the reader."""
    with pytest.raises(ValueError, match="chunk_rows must be at least 1"):
        ar.report_chunks(REPORTS, chunk_rows=chunk_rows)
    with pytest.raises(ValueError, match="chunk_rows must be at least 1"):
        next(iter_csv(io.StringIO("id,lat,lon\na,-2.1,106.1\n"), chunk_rows=chunk_rows))


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_streamed_bytes_reach_byte_streams_as_a_whole_run_writes_them(
    encoding: str, jobs: str, tmp_path: Path
) -> None:
    """Chunks go to stdout's and the output files' byte streams as UTF-8 bytes when they can;
    another encoding gets them decoded; a byte order mark still comes first."""

    def run(chunk_rows: int, name: str) -> tuple[bytes, bytes, bytes]:
        raw = io.BytesIO()
        stdout = io.TextIOWrapper(raw, encoding=encoding, newline="")
        jsonl, geojson = tmp_path / f"{name}.jsonl", tmp_path / f"{name}.geojson"
        argv = [
            "check", REPORTS, *zone_args(), "--permits", PERMITS, "--format", "json", "-q", "--bom",
            "--chunk-rows", str(chunk_rows), "-j", jobs,
            "--output", f"jsonl:{jsonl}", "--output", f"geojson:{geojson}",
        ]  # fmt: skip
        main(argv, stdout, io.StringIO())
        stdout.flush()
        return raw.getvalue(), jsonl.read_bytes(), geojson.read_bytes()

    whole = run(0, "whole")
    assert run(11, "chunks") == whole
    assert len(json.loads(whole[0].decode(encoding))["verdicts"]) == len(whole[1].splitlines())
    assert whole[1].startswith(b"\xef\xbb\xbf{") and whole[2].startswith(b"\xef\xbb\xbf{")


def test_byte_stream_is_offered_only_for_utf8_text_streams() -> None:
    from atribut_rules.write.stream import byte_stream

    assert byte_stream(io.StringIO()) is None
    assert byte_stream(io.TextIOWrapper(io.BytesIO(), encoding="utf-16")) is None
    raw = io.BytesIO()
    text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
    assert byte_stream(text) is raw
    text.flush()
    assert raw.getvalue() == b"\xef\xbb\xbf"  # the mark is out before any bytes go under the text layer


def test_parts_build_the_tables_the_chunks_are() -> None:
    """ReportChunks.parts: the same tables, row numbers, problems and digest, built elsewhere."""
    path = EXAMPLE / "laporan.csv"
    chunks = report_chunks(path, chunk_rows=37)
    tables = list(chunks)
    built = [pickle.loads(pickle.dumps(parts)).build() for parts in chunks.parts()]
    assert [len(t) for t in built] == [len(t) for t in tables]
    for a, b in zip(built, tables):
        assert_same_table(a, b, "sha256")


@pytest.mark.parametrize("target_kind", ["file", "pipe", "bytesio"])
def test_spooled_bytes_are_copied_whole_by_the_kernel_or_the_plain_way(
    target_kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os
    import tempfile
    import threading

    from atribut_rules.write.stream import copy_bytes

    sent: list[int] = []
    sendfile = os.sendfile
    monkeypatch.setattr(os, "sendfile", lambda *args: sent.append(sendfile(*args)) or sent[-1])
    data = bytes(range(256)) * 12_289  # about 3 MB, not a multiple of any block size
    source = tempfile.TemporaryFile()  # noqa: SIM115 - closed at the end of the test
    source.write(data)
    source.seek(0)
    if target_kind == "bytesio":
        target = io.BytesIO()
        copy_bytes(source, target, len(data), on_disk=True)
        assert target.getvalue() == data
    elif target_kind == "file":
        with open(tmp_path / "out.bin", "wb") as target:
            target.write(b"head:")  # buffered bytes must come first
            copy_bytes(source, target, len(data), on_disk=True)
            target.write(b":tail")
        assert (tmp_path / "out.bin").read_bytes() == b"head:" + data + b":tail"
        assert sum(sent) == len(data)  # all of it by the kernel
    else:
        read_fd, write_fd = os.pipe()
        blocks: list[bytes] = []
        reader = threading.Thread(target=lambda: blocks.extend(iter(lambda: os.read(read_fd, 65536), b"")))
        reader.start()
        with open(write_fd, "wb") as target:
            copy_bytes(source, target, len(data), on_disk=True)
        reader.join()
        os.close(read_fd)
        assert b"".join(blocks) == data
    source.close()


def test_workers_hand_chunks_over_as_files_that_are_removed(tmp_path: Path, monkeypatch) -> None:
    """With workers, each chunk's text comes back as a file (not through the pipe); the
    writers take the files in order, and neither the files nor their folder are left."""
    from atribut_rules.write import stream

    rules = "builtin:pangkalpinang-2024"
    whole = whole_run("json", rules)
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    paths: list[str | None] = []
    add = stream.ChunkWriter.add
    monkeypatch.setattr(
        stream.ChunkWriter, "add", lambda self, chunk: paths.append(chunk.path) or add(self, chunk)
    )
    out = tmp_path / "out.jsonl"
    assert run_cli(REPORTS, "json", rules, 23, ("-j", "2", "--output", f"jsonl:{out}")) == whole
    assert len(paths) == 2 * 12 and all(p is not None and p.startswith(str(folder)) for p in paths)
    assert not list(folder.iterdir())
    assert out.read_text(encoding="utf-8") == whole_run("jsonl", rules)[1]


def test_a_worker_that_cannot_write_its_chunk_is_a_clear_error(tmp_path: Path, monkeypatch) -> None:
    import errno
    import os

    def full(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setattr(tempfile, "mkstemp", full)  # inherited by the forked workers
    code, out, err = cli(
        "check", REPORTS, *zone_args(), "--format", "jsonl", "--chunk-rows", "50", "-j", "2", "-q"
    )
    assert (code, out) == (2, "")
    assert "No space left on device" in err and "TMPDIR" in err and "Traceback" not in err
    assert not list(tmp_path.iterdir())


def test_chunk_writer_keeps_chunk_files_and_bytes_in_their_order(tmp_path: Path) -> None:
    from atribut_rules.write.stream import ChunkWriter, RenderedChunk

    def pieces() -> list[RenderedChunk]:
        """Text in memory and in files (as workers hand it over), mixed."""
        out = []
        for k, text in enumerate(["a\n", "b\n", "č\n", "d\n", "e\n", "f\n"]):
            data = text.encode()
            if k in (1, 2, 5):
                (tmp_path / str(k)).write_bytes(data)
                out.append(RenderedChunk(b"", None, 1, str(tmp_path / str(k))))
            else:
                out.append(RenderedChunk(data, None, 1))
        return out

    for spool in (True, False):
        for raw in (io.BytesIO(), None):  # a UTF-8 byte stream, or text only
            target = io.StringIO() if raw is None else io.TextIOWrapper(raw, encoding="utf-8", newline="")
            writer = ChunkWriter("jsonl", target, spool=spool)
            for piece in pieces():
                writer.add(piece)
            writer.close(None, None)
            target.flush()
            text = target.getvalue() if raw is None else raw.getvalue().decode()
            assert text == "a\nb\nč\nd\ne\nf\n", (spool, raw)
            assert not list(tmp_path.iterdir())  # each file removed once copied
    writer = ChunkWriter("jsonl", io.StringIO(), spool=True)
    for piece in pieces():
        writer.add(piece)
    writer.discard()
    assert not list(tmp_path.iterdir())
