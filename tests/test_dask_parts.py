"""Dask with an output folder: workers read, check and write parts; joined, the JSON Lines
parts are the command line's bytes, for lists with quotas, spacing, duplicate groups,
permits, invalid rows and ids repeated across partitions."""

from __future__ import annotations

import json
import random
import zlib
from pathlib import Path

import pytest
from helpers import EXAMPLE_ZONES, examples, run_cli, run_cli_process
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import atribut_rules as ar

dd = pytest.importorskip("dask.dataframe", reason="the dask extra is not installed")
distributed = pytest.importorskip("distributed", reason="the dask extra is not installed")
pd = pytest.importorskip("pandas", reason="the dask extra is not installed")
pq = pytest.importorskip("pyarrow.parquet", reason="the dask extra is not installed")

from atribut_rules.errors import InputError  # noqa: E402
from atribut_rules.scale.dask import check_dask  # noqa: E402
from atribut_rules.scale.sources import count_lines, plan_partitions, read_partition  # noqa: E402

RULES = """schema: atribut-rules/1
ruleset: {id: uji-dask, version: "1", title: {id: Uji, en: Test}}
duplicates: {within_m: 10, within_days: 2, same: [type, party]}
rules:
  - id: KUOTA-KELURAHAN
    title: {id: Kuota, en: Quota}
    severity: warning
    legal_basis: {id: uji, en: test}
    message: {id: "lebih dari kuota {group} ({rank})", en: "over the quota {group} ({rank})"}
    quota: {max: 4, per: [party, {zone: admin_area}]}
  - id: KUOTA-PARTAI
    title: {id: Kuota, en: Quota}
    severity: error
    legal_basis: {id: uji, en: test}
    message: {id: "lebih dari kuota {group}", en: "over the quota {group}"}
    quota: {max: 9, per: [party]}
  - id: JARAK
    title: {id: Jarak, en: Spacing}
    severity: warning
    legal_basis: {id: uji, en: test}
    message: {id: "terlalu dekat dengan {other_report}", en: "too close to {other_report}"}
    applies_to: {field: type, in: [baliho, spanduk]}
    spacing: {min_m: 40, among: [party]}
  - id: DEKAT-SEKOLAH
    title: {id: Sekolah, en: School}
    severity: error
    legal_basis: {id: uji, en: test}
    message: {id: "dekat sekolah", en: "near a school"}
    when: {near: {zone: school, within_m: 30}}
"""


def _square(i: int, x: float, y: float, category: str, size: float = 0.01) -> dict:
    ring = [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]
    return {
        "type": "Feature",
        "properties": {"id": f"{category}-{i}", "name": f"{category} {i}", "category": category},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }


def make_list(path: Path, seed: int, n: int) -> None:
    """A list near (106.11, -2.12): chains of near duplicates (one every ~8 m, crossing grid
    cells), stacks on one point, ids repeated far apart, a few invalid rows and undated ones."""
    rnd = random.Random(seed)
    lines = ["id,lat,lon,accuracy_m,type,party,observed_at"]
    used: list[str] = []
    k = 0
    while k < n:
        party, kind = rnd.choice("ABC"), rnd.choice(["baliho", "spanduk", "stiker"])
        day = f"2024-01-{rnd.randint(1, 9):02d}" if rnd.random() > 0.1 else ""
        lat, lon = -2.12 + rnd.uniform(-0.01, 0.01), 106.11 + rnd.uniform(-0.01, 0.01)
        mode = rnd.random()
        if mode < 0.2:
            for j in range(rnd.randint(2, 25)):
                lines.append(f"C{k},{lat + j * 0.00007:.7f},{lon:.7f},{rnd.choice(['2', '5', ''])},{kind},{party},{day}")
                used.append(f"C{k}")
                k += 1
        elif mode < 0.3:
            for _ in range(rnd.randint(2, 8)):
                lines.append(f"S{k},{lat:.7f},{lon:.7f},3,{kind},{party},{day}")
                used.append(f"S{k}")
                k += 1
        else:
            rid = rnd.choice(used) if used and rnd.random() < 0.03 else f"R{k}"
            text_lat = "utara" if rnd.random() < 0.01 else f"{lat:.7f}"
            lines.append(f"{rid},{text_lat},{lon:.7f},{rnd.choice(['1', '4', '10', ''])},{kind},{party},{day}")
            used.append(rid)
            k += 1
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> dict:
    where = tmp_path_factory.mktemp("dask-inputs")
    (where / "rules.yaml").write_text(RULES, encoding="utf-8")
    corners = [(106.10, -2.13), (106.11, -2.13), (106.10, -2.12), (106.11, -2.12)]
    features = [_square(i, x, y, "admin_area") for i, (x, y) in enumerate(corners)]
    features += [_square(i, 106.105 + i * 0.004, -2.121, "school", 0.0004) for i in range(3)]
    (where / "zones.geojson").write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    make_list(where / "laporan.csv", 1, 2500)
    # permits for some of the reports the rules flag, found by a first check
    first = run_cli("check", where / "laporan.csv", "--rules", where / "rules.yaml", "--zones",
                    where / "zones.geojson", "--format", "jsonl", "-q")  # fmt: skip
    assert first.code == 1, first.err
    permits = ["izin;aturan;laporan;alasan;penerbit;berlaku_dari;berlaku_sampai"]
    for line in first.out.splitlines():
        verdict = json.loads(line)
        for finding in verdict["findings"]:
            if len(permits) < 25 and zlib.crc32(verdict["report"].encode()) % 4 == 0:
                permits.append(f"IZ-{len(permits)};{finding['rule']};{verdict['report']};uji;Bawaslu;2024-01-01;2024-02-01")
    (where / "izin.csv").write_text("\n".join(permits) + "\n", encoding="utf-8")
    rules = ar.load_rules(where / "rules.yaml")
    return {
        "dir": where,
        "rules": rules,
        "zones": ar.load_zones(where / "zones.geojson", categories=rules.categories),
        "permits": ar.load_permits(where / "izin.csv"),
    }


def cli_args(inputs: dict, listing: Path) -> list:
    d = inputs["dir"]
    return [listing, "--rules", d / "rules.yaml", "--zones", d / "zones.geojson", "--permits", d / "izin.csv"]


def command_line_jsonl(inputs: dict, listing: Path) -> bytes:
    res = run_cli("check", *cli_args(inputs, listing), "--format", "jsonl", "-q")
    assert res.code in (0, 1), res.err
    return res.out.encode("utf-8")


def joined(outputs: tuple[str, ...]) -> bytes:
    return b"".join(Path(p).read_bytes() for p in outputs)


@pytest.mark.parametrize("seed", [2, 3, 4])
def test_parts_joined_are_the_command_line_bytes(inputs: dict, tmp_path: Path, seed: int) -> None:
    listing = tmp_path / "laporan.csv"
    make_list(listing, seed, 1500)
    expected = command_line_jsonl(inputs, listing)
    # small blocks (several partitions) and small grid cells (chains of duplicates and
    # spacing pairs cross cells, so their halos and the gluing of groups are needed)
    run = check_dask(listing, inputs["zones"], inputs["rules"], permits=inputs["permits"],
                     output=tmp_path / "out", blocksize=9000 + seed, cell_m=50.0)  # fmt: skip
    assert len(run.outputs) > 5
    assert [Path(p).name for p in run.outputs] == sorted(Path(p).name for p in run.outputs)
    assert joined(run.outputs) == expected


def test_the_list_has_what_the_comparison_is_about(inputs: dict, tmp_path: Path) -> None:
    expected = command_line_jsonl(inputs, inputs["dir"] / "laporan.csv").decode()
    verdicts = [json.loads(line) for line in expected.splitlines()]
    rules = {f["rule"] for v in verdicts for f in v["findings"]}
    assert {"KUOTA-KELURAHAN", "KUOTA-PARTAI", "JARAK", "DEKAT-SEKOLAH"} <= rules
    assert any(f["permit"] for v in verdicts for f in v["findings"])
    assert sum(v["status"] == "invalid" for v in verdicts) > 10
    assert sum(bool(v["group"]) and v["group"] != v["report"] for v in verdicts) > 100
    # ids repeated across partitions: the later row names the first one, in an earlier block
    plan = plan_partitions([str(inputs["dir"] / "laporan.csv")], blocksize=20_000)
    repeated = [p for v in verdicts for p in v["problems"] if p["code"] == "duplicate_id"]
    assert len(plan) > 5 and len(repeated) > 5


@pytest.fixture(scope="module")
def client():
    with (
        distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address="127.0.0.1:0") as cluster,
        distributed.Client(cluster) as client,
    ):
        yield client


def test_a_local_cluster_writes_the_command_line_bytes(inputs: dict, client, tmp_path: Path) -> None:
    listing = inputs["dir"] / "laporan.csv"
    expected = command_line_jsonl(inputs, listing)
    run = check_dask(listing, inputs["zones"], inputs["rules"], permits=inputs["permits"], client=client,
                     output=tmp_path / "out", blocksize=20_000, cell_m=50.0)  # fmt: skip
    assert len(run.outputs) > 5
    assert joined(run.outputs) == expected
    whole = json.loads(run_cli("check", *cli_args(inputs, listing), "--format", "json", "-q").out)
    assert run.record == whole["summary"]
    assert ar.write.records.provenance_record(run.provenance) == whole["provenance"]


def test_a_dask_dataframe_is_read_on_the_workers(inputs: dict, client, tmp_path: Path) -> None:
    frame = pd.read_csv(inputs["dir"] / "laporan.csv", dtype=str, keep_default_na=False)
    from atribut_rules.scale.dask import records_from_frame
    from atribut_rules.write.parts import part_bytes

    single = ar.check(ar.Reports.from_records(records_from_frame(frame), file="<dask>"),
                      inputs["zones"], inputs["rules"], permits=inputs["permits"])  # fmt: skip
    run = check_dask(dd.from_pandas(frame, npartitions=4), inputs["zones"], inputs["rules"],
                     permits=inputs["permits"], client=client, output=tmp_path / "out")  # fmt: skip
    assert len(run.outputs) == 4
    assert joined(run.outputs) == part_bytes("jsonl", single)
    assert run.summary == single.summary


def test_geojson_and_parquet_parts(inputs: dict, client, tmp_path: Path) -> None:
    listing = inputs["dir"] / "laporan.csv"
    lines = command_line_jsonl(inputs, listing).decode().splitlines()
    geo = check_dask(listing, inputs["zones"], inputs["rules"], permits=inputs["permits"], client=client,
                     output=tmp_path / "geo", format="geojson", blocksize=40_000)  # fmt: skip
    features = [f for p in geo.outputs for f in json.loads(Path(p).read_text())["features"]]
    assert [f["properties"]["id"] for f in features] == [json.loads(line)["report"] for line in lines]
    par = check_dask(listing, inputs["zones"], inputs["rules"], permits=inputs["permits"], client=client,
                     output=tmp_path / "par", format="parquet", blocksize=40_000)  # fmt: skip
    assert [Path(p).suffix for p in par.outputs] == [".parquet"] * len(geo.outputs)
    table = pq.read_table(tmp_path / "par").to_pandas()
    assert table["report"].tolist() == [json.loads(line)["report"] for line in lines]
    assert table["status"].tolist() == [json.loads(line)["status"] for line in lines]


def test_the_command_line_on_a_local_cluster(inputs: dict, tmp_path: Path) -> None:
    listing = inputs["dir"] / "laporan.csv"
    expected = command_line_jsonl(inputs, listing)
    out = tmp_path / "hasil"
    res = run_cli_process("check", *cli_args(inputs, listing), "--dask", "local:2", "--output-dir", out,
                          "--dask-blocksize", "20k", "--format", "jsonl", "--zones-cache", tmp_path / "zones.npz",
                          timeout=300)  # fmt: skip
    assert res.returncode == 1, res.stderr  # violations of error severity, as the single run
    assert joined(tuple(sorted(str(p) for p in out.glob("part-*.jsonl")))) == expected
    summary = json.loads((out / "summary.json").read_text())
    whole = json.loads(run_cli("check", *cli_args(inputs, listing), "--format", "json", "-q").out)
    assert summary["summary"] == whole["summary"]
    assert summary["provenance"] == whole["provenance"]
    assert summary["parts"] == [str(p) for p in sorted(out.glob("part-*.jsonl"))]
    assert f"{len(expected.splitlines()):,} laporan diperiksa dalam 7 bagian".replace(",", ".") in res.stdout


def test_a_layer_left_out_stops_before_any_part_is_written(inputs: dict, tmp_path: Path) -> None:
    d = inputs["dir"]
    res = run_cli("check", d / "laporan.csv", "--rules", d / "rules.yaml", "--dask", "local:1",
                  "--output-dir", tmp_path / "out")  # fmt: skip
    assert res.code == 2
    assert "admin_area" in res.err and "school" in res.err
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_partial_parts_equal_the_partial_command_line(inputs: dict, tmp_path: Path) -> None:
    d = inputs["dir"]
    listing = tmp_path / "laporan.csv"
    make_list(listing, 9, 800)
    res = run_cli("check", listing, "--rules", d / "rules.yaml", "--partial", "--format", "jsonl", "-q")
    rules = inputs["rules"]
    run = check_dask(listing, ar.load_zones(categories=rules.categories), rules, output=tmp_path / "out",
                     blocksize=8000, partial=True)  # fmt: skip
    assert joined(run.outputs) == res.out.encode()
    assert run.summary.by_status["unchecked"] > 0


@pytest.mark.parametrize(
    "args, words",
    [
        (["--dask", "local:1"], "--output-dir"),
        (["--dask", "local:1", "--output-dir", "X", "--format", "csv"], "jsonl, geojson"),
        (["--output-dir", "X"], "--dask"),
        (["--format", "parquet"], "--dask"),
        (["--dask", "local:1", "--output-dir", "X", "--dask-blocksize", "lots"], "--dask-blocksize"),
    ],
)
def test_options_that_do_not_go_together(args: list, words: str) -> None:
    res = run_cli("check", EXAMPLE_ZONES[0], *args, "--lang", "en")
    assert res.code == 2
    assert words in res.err


def test_a_quoted_line_break_across_blocks_is_refused_with_its_place(tmp_path: Path) -> None:
    listing = tmp_path / "laporan.csv"
    rows = [f"R{k},-2.1,106.1,baliho,{'catatan biasa' * 3}" for k in range(200)]
    rows[120] = 'R120,-2.1,106.1,baliho,"' + "panjang " * 1200 + '\nlagi"'  # the next line starts in the next block
    listing.write_text("id,lat,lon,type,catatan\n" + "\n".join(rows) + "\n", encoding="utf-8")
    plan = plan_partitions([str(listing)], blocksize=8000)
    lines = [count_lines(p) for p in plan]
    starts = [1 + sum(lines[:k]) for k in range(len(plan))]
    with pytest.raises(InputError) as caught:
        for part, first in zip(plan, starts):
            read_partition(part, first)
    assert caught.value.file == str(listing)
    assert caught.value.line == 122  # the line where the quoted cell opens
    assert "--dask-blocksize 0" in (caught.value.hint or "")
    # one partition per file reads it as the command line does
    whole = plan_partitions([str(listing)], blocksize=0)
    assert len(read_partition(whole[0], 1)) == 200


@pytest.mark.parametrize(
    "text",
    [
        "\ufeffid;lat;lon\r\nA;-2,1;106,1\r\n\r\nB;-2,2;106,2\r\nA;x;106\r\n",
        "\n\nid,lat,lon\nA,-2.1,106.1\n\nB,-2.2,106.2\nC,-2.3,106.3",  # blank lines, no final line end
        "id,lat,lon\n" + "".join(f"R{k % 37},-2.{k},106.{k}\n" for k in range(300)),
    ],
)
@pytest.mark.parametrize("blocksize", [7, 16, 50, 1000])
def test_blocks_read_as_the_whole_file_does(tmp_path: Path, text: str, blocksize: int) -> None:
    listing = tmp_path / "laporan.csv"
    listing.write_bytes(text.encode("utf-8"))
    whole = ar.read_reports(listing)
    plan = plan_partitions([str(listing)], blocksize=blocksize)
    lines = [count_lines(p) for p in plan]
    tables = [read_partition(p, 1 + sum(lines[:k])) for k, p in enumerate(plan)]
    assert [r for t in tables for r in t.rows.tolist()] == whole.rows.tolist()
    assert [i for t in tables for i in t.ids] == whole.ids


def test_a_dense_cluster_on_one_point(inputs: dict, tmp_path: Path) -> None:
    listing = tmp_path / "laporan.csv"
    rows = [f"P{k},-2.1150000,106.1050000,3,baliho,{'AB'[k % 2]},2024-01-0{1 + k % 3}" for k in range(3000)]
    listing.write_text("id,lat,lon,accuracy_m,type,party,observed_at\n" + "\n".join(rows) + "\n")
    expected = command_line_jsonl(inputs, listing)
    run = check_dask(listing, inputs["zones"], inputs["rules"], permits=inputs["permits"],
                     output=tmp_path / "out", blocksize=30_000)  # fmt: skip
    assert joined(run.outputs) == expected


def test_an_output_folder_that_is_a_file_or_a_device(inputs: dict, tmp_path: Path) -> None:
    d = inputs["dir"]
    for target in (d / "laporan.csv", Path("/dev/null")):
        res = run_cli("check", *cli_args(inputs, d / "laporan.csv"), "--dask", "local:1", "--output-dir", target,
                      "--lang", "en")  # fmt: skip
        assert res.code == 2
        assert f"{target}/part-00000" in res.err and "not a folder" in res.err


def test_a_scheduler_that_does_not_answer(inputs: dict, monkeypatch) -> None:
    from atribut_rules.cli import dask_check

    monkeypatch.setattr(dask_check, "CONNECT_TIMEOUT", "1s")
    d = inputs["dir"]
    res = run_cli("check", *cli_args(inputs, d / "laporan.csv"), "--dask", "tcp://127.0.0.1:9", "--output-dir",
                  d / "never", "--lang", "en")  # fmt: skip
    assert res.code == 2
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in res.err


def test_parts_of_an_earlier_run_are_removed(inputs: dict, tmp_path: Path) -> None:
    listing = inputs["dir"] / "laporan.csv"
    out = tmp_path / "out"
    many = check_dask(listing, inputs["zones"], inputs["rules"], permits=inputs["permits"], output=out,
                      blocksize=20_000)  # fmt: skip
    (out / "catatan.txt").write_text("mine")
    few = check_dask(listing, inputs["zones"], inputs["rules"], permits=inputs["permits"], output=out,
                     blocksize=60_000)  # fmt: skip
    assert len(few.outputs) < len(many.outputs)
    assert sorted(p.name for p in out.iterdir()) == sorted([*(Path(p).name for p in few.outputs), "catatan.txt"])
    assert joined(few.outputs) == command_line_jsonl(inputs, listing)


def test_too_many_partitions_are_refused(inputs: dict, tmp_path: Path) -> None:
    with pytest.raises(ar.AtributRulesError, match="partitions in one run"):
        check_dask(inputs["dir"] / "laporan.csv", inputs["zones"], inputs["rules"], output=tmp_path / "out",
                   blocksize=50)  # fmt: skip


def test_a_glob_of_files_and_an_id_repeated_in_another_file(inputs: dict, tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    head = "id,lat,lon,type,party,observed_at\n"
    (folder / "laporan-a.csv").write_text(head + "".join(f"A{k},-2.11{k % 7},106.10{k % 5},baliho,A,2024-01-02\n" for k in range(40)))
    (folder / "laporan-b.jsonl").write_text(
        "".join(json.dumps({"id": f"B{k}" if k != 5 else "A3", "lat": -2.12, "lon": 106.11, "type": "baliho", "party": "B"}) + "\n"
                for k in range(30))
    )  # fmt: skip
    run = check_dask(str(folder / "laporan-*"), inputs["zones"], inputs["rules"], output=tmp_path / "out",
                     blocksize=300)  # fmt: skip
    verdicts = [json.loads(line) for line in joined(run.outputs).decode().splitlines()]
    assert [v["report"] for v in verdicts][:40] == [f"A{k}" for k in range(40)]
    assert {v["source"]["file"] for v in verdicts} == {str(folder / "laporan-a.csv"), str(folder / "laporan-b.jsonl")}
    repeated = [p for v in verdicts for p in v["problems"] if p["code"] == "duplicate_id"]
    assert len(repeated) == 1
    assert f"row 5 ({folder / 'laporan-a.csv'})" in repeated[0]["message"]["en"]
    assert [v["source"]["row"] for v in verdicts[40:]] == list(range(1, 31))


@settings(max_examples=examples(6), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    seed=st.integers(0, 10_000),
    rows=st.integers(1, 400),
    blocksize=st.integers(200, 20_000),
    cell_m=st.sampled_from([1.0, 30.0, 500.0, 5000.0]),
)
def test_any_cut_gives_the_command_line_bytes(inputs: dict, tmp_path: Path, seed: int, rows: int, blocksize: int,
                                              cell_m: float) -> None:  # fmt: skip
    listing = tmp_path / f"laporan-{seed}-{rows}.csv"
    make_list(listing, seed, rows)
    expected = command_line_jsonl(inputs, listing)
    run = check_dask(listing, inputs["zones"], inputs["rules"], permits=inputs["permits"],
                     output=tmp_path / f"out-{seed}-{rows}", blocksize=blocksize, cell_m=cell_m)  # fmt: skip
    assert joined(run.outputs) == expected


def test_a_loaded_table_is_not_sent_to_the_workers(inputs: dict, tmp_path: Path) -> None:
    reports = ar.read_reports(inputs["dir"] / "laporan.csv")
    with pytest.raises(ar.AtributRulesError, match="not a Reports table"):
        check_dask(reports, inputs["zones"], inputs["rules"], output=tmp_path / "out")


def test_dasks_progress_bar_goes_to_the_stream_given(inputs: dict, client, tmp_path: Path, capsys) -> None:
    import io

    bar = io.StringIO()
    check_dask(inputs["dir"] / "laporan.csv", inputs["zones"], inputs["rules"], client=client,
               output=tmp_path / "out", blocksize=40_000, progress=bar)  # fmt: skip
    assert "100%" in bar.getvalue()
    assert capsys.readouterr().out == ""  # nothing on stdout


def test_a_line_longer_than_a_list_may_be(tmp_path: Path) -> None:
    listing = tmp_path / "laporan.jsonl"
    rows = "".join(json.dumps({"id": f"R{k}", "lat": -2.1, "lon": 106.1}) + "\n" for k in range(50))
    listing.write_text(rows + "x" * 5000 + "\n")
    plan = plan_partitions([str(listing)], blocksize=1000, max_file_bytes=3000)
    with pytest.raises(InputError, match="over 3000 bytes") as caught:
        [count_lines(p) for p in plan]
    assert caught.value.file == str(listing)


@pytest.mark.parametrize("ruleset", ["builtin:id-pemilu-2024", "builtin:pangkalpinang-2024"])
def test_the_bundled_example_in_parts(tmp_path: Path, ruleset: str) -> None:
    from helpers import EXAMPLE

    expected = run_cli("check", "--example", "--rules", ruleset, "--format", "jsonl", "-q")
    rules = ar.load_rules(ruleset)
    zones = ar.load_zones(*EXAMPLE_ZONES, categories=rules.categories, relative_to=EXAMPLE)
    permits = ar.load_permits(EXAMPLE / "izin.csv", relative_to=EXAMPLE)
    run = check_dask(EXAMPLE / "laporan.csv", zones, rules, permits=permits, output=tmp_path / "out",
                     blocksize=4000, relative_to=EXAMPLE)  # fmt: skip
    assert len(run.outputs) > 4
    assert joined(run.outputs) == expected.out.encode()
    assert run.exit_code() == expected.code


def test_parts_to_an_fsspec_url(inputs: dict) -> None:
    fsspec = pytest.importorskip("fsspec")
    fs = fsspec.filesystem("memory")
    listing = inputs["dir"] / "laporan.csv"
    fs.pipe("/hasil/part-00099.jsonl", b"left by an earlier run\n")
    run = check_dask(listing, inputs["zones"], inputs["rules"], permits=inputs["permits"], output="memory://hasil/",
                     blocksize=40_000)  # fmt: skip
    assert run.outputs[0] == "memory://hasil/part-00000.jsonl"
    assert b"".join(fs.cat(p) for p in run.outputs) == command_line_jsonl(inputs, listing)
    assert sorted(fs.ls("/hasil", detail=False)) == sorted(p.replace("memory://", "/") for p in run.outputs)


def test_a_dask_dataframe_of_a_csv_list_gives_its_command_line_bytes(tmp_path: Path) -> None:
    from helpers import EXAMPLE

    expected = run_cli("check", "--example", "--rules", "builtin:pangkalpinang-2024", "--format", "jsonl", "-q")
    rules = ar.load_rules("builtin:pangkalpinang-2024")
    zones = ar.load_zones(*EXAMPLE_ZONES, categories=rules.categories, relative_to=EXAMPLE)
    permits = ar.load_permits(EXAMPLE / "izin.csv", relative_to=EXAMPLE)
    frame = dd.read_csv(str(EXAMPLE / "laporan.csv"), sep=";", dtype=str, keep_default_na=False,
                        encoding="utf-8-sig", blocksize=10_000)  # fmt: skip
    assert frame.npartitions > 1
    run = check_dask(frame, zones, rules, permits=permits, output=tmp_path / "out", file="laporan.csv")
    assert joined(run.outputs) == expected.out.encode()


def test_a_dask_bag_of_a_json_lines_list_gives_its_command_line_bytes(inputs: dict, tmp_path: Path) -> None:
    db = pytest.importorskip("dask.bag")
    listing = tmp_path / "laporan.jsonl"
    csv_rows = (inputs["dir"] / "laporan.csv").read_text().splitlines()
    head = csv_rows[0].split(",")
    listing.write_text("".join(json.dumps(dict(zip(head, row.split(",")))) + "\n" for row in csv_rows[1:400]))
    expected = command_line_jsonl(inputs, listing)
    bag = db.read_text(str(listing), blocksize=8_000).map(json.loads)
    assert bag.npartitions > 1
    run = check_dask(bag, inputs["zones"], inputs["rules"], permits=inputs["permits"], output=tmp_path / "out",
                     file=str(listing))  # fmt: skip
    assert joined(run.outputs) == expected
