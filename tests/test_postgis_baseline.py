"""The optional PostGIS baseline of bench_check.py, without a server (tests never need one).

The SQL and COPY builders, the load/query flow against a fake connection, and
``--postgis`` failing with exit status 2 and one line when psycopg is missing or
the server cannot be reached (a unix socket directory with no server in it).
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import shapely

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, BENCHMARKS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def pb():
    yield _load("postgis_baseline")
    sys.modules.pop("postgis_baseline", None)


@pytest.fixture(scope="module")
def bench():
    yield _load("bench_check")
    sys.modules.pop("bench_check", None)


def test_copy_payload_is_index_tab_exact_hex_wkb(pb):
    geoms = np.array([shapely.Point(1.25, -3.5), shapely.box(0, 0, 10.1, 20.2)], dtype=object)
    payload = pb.copy_payload([7, 42], geoms)
    lines = payload.split("\n")
    assert lines[-1] == "" and len(lines) == 3
    rows = [line.split("\t") for line in lines[:-1]]
    assert [r[0] for r in rows] == ["7", "42"]
    back = shapely.from_wkb([r[1] for r in rows])
    assert all(shapely.equals_exact(back, geoms, tolerance=0))
    assert all(shapely.get_srid(back) == 0)


def test_sql_quotes_identifiers_and_takes_reach_as_a_parameter(pb):
    before, after = pb.load_sql("atribut_bench_1_0", 2)
    assert before[0] == 'CREATE SCHEMA "atribut_bench_1_0"'
    assert [s.split()[3] for s in before[1:]] == [
        '"atribut_bench_1_0"."reports"',
        '"atribut_bench_1_0"."zones_0"',
        '"atribut_bench_1_0"."zones_1"',
    ]
    assert sum("USING gist (geom)" in s for s in after) == 3
    assert sum(s.startswith("ANALYZE ") for s in after) == 3
    q = pb.query_sql("atribut_bench_1_0", "zones_1")
    assert q.startswith("SELECT DISTINCT r.i FROM") and "ST_DWithin(r.geom, z.geom, %s)" in q
    assert pb.copy_sql("s", "reports") == 'COPY "s"."reports" (i, geom) FROM STDIN'
    assert pb.drop_sql("s") == 'DROP SCHEMA IF EXISTS "s" CASCADE'
    with pytest.raises(ValueError):
        pb.query_sql('x"; DROP TABLE y; --', "zones_0")


def test_redact_hides_passwords(pb):
    assert pb.redact("postgresql://me:secret@db.example/x") == "postgresql://me:***@db.example/x"
    assert pb.redact("host=/tmp dbname=x password=secret") == "host=/tmp dbname=x password=***"
    assert pb.redact("postgresql://me@/x?host=/tmp") == "postgresql://me@/x?host=/tmp"


class _FakeCopy:
    def __init__(self, log):
        self.log = log

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def write(self, data):
        self.log[-1] = (self.log[-1][0], data)


class _FakeCursor:
    """Records statements; answers a query on zones_k with the reports listed in hits[k]."""

    def __init__(self, conn):
        self.conn, self.rows = conn, []

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def execute(self, sql, params=None):
        self.conn.log.append((sql, params))
        table = sql.split('"."')[-1].split('"')[0] if "ST_DWithin" in sql else None
        self.rows = [(i,) for i in self.conn.hits.get(table, [])]

    def copy(self, sql):
        self.conn.log.append((sql, None))
        return _FakeCopy(self.conn.log)

    def __iter__(self):
        return iter(self.rows)


class _FakeConn:
    def __init__(self, hits):
        self.hits, self.log = hits, []

    def cursor(self):
        return _FakeCursor(self)

    def execute(self, sql, params=None):
        self.log.append((sql, params))


def test_load_query_drop_flow(pb):
    conn = _FakeConn({"zones_0": [1, 1, 3], "zones_1": [0]})  # zones_0 = "school", zones_1 = "tree"
    base = pb.PostgisBaseline(conn)
    points = shapely.points([0.0, 1.0, 2.0, 3.0], [0.0, 0.0, 0.0, 0.0])
    zones = np.array([shapely.Point(0, 0), shapely.box(0, 0, 1, 1), shapely.Point(5, 5)], dtype=object)
    cats = np.array(["tree", "school", "park"], dtype=object)
    base.load(points, zones, cats, {"tree": 1.5, "school": 0.001})
    copies = {sql.split('"."')[1].split('"')[0]: data for sql, data in conn.log if sql.startswith("COPY")}
    assert copies["reports"].count("\n") == 4
    assert copies["zones_0"].startswith("1\t") and copies["zones_0"].count("\n") == 1  # the school
    assert copies["zones_1"].startswith("0\t") and copies["zones_1"].count("\n") == 1  # the tree
    near = base.query()
    assert near["school"].tolist() == [False, True, False, True]
    assert near["tree"].tolist() == [True, False, False, False]
    assert [p for sql, p in conn.log if "ST_DWithin" in sql] == [(0.001,), (1.5,)]
    schema = base.schema
    base.drop()
    assert conn.log[-1] == (f'DROP SCHEMA IF EXISTS "{schema}" CASCADE', None) and base.schema is None


def test_unreachable_server_exits_2_with_one_line(bench, tmp_path, capsys):
    url = f"postgresql://nobody@/nodb?host={tmp_path}"  # a socket directory with no server: fails at once
    assert bench.main(["--postgis", url, "--sizes", "small"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert err.startswith("--postgis")
    assert "cannot connect" in err or "psycopg" in err


def test_missing_psycopg_exits_2_saying_how_to_install(bench, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "psycopg", None)  # import psycopg raises ImportError
    assert bench.main(["--postgis", "postgresql://x@/y", "--sizes", "small"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "pip install 'psycopg[binary]'" in err


def test_without_postgis_nothing_is_imported():
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); import bench_check; "
        "assert 'psycopg' not in sys.modules and 'postgis_baseline' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code, str(BENCHMARKS)], check=True)
