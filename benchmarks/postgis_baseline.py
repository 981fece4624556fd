"""The optional PostGIS baseline of ``bench_check.py`` (``--postgis URL``); never run in CI.

The city's zones (one table per category) and reports are bulk-loaded with
``COPY`` into a schema of their own (``atribut_bench_<pid>_<n>``, unlogged
tables, dropped afterwards) as SRID-less planar geometry: coordinates projected
in Python with the same local transverse Mercator as the floor, so distances are
metres and ``ST_DWithin`` compares exactly what the floor compares. Both layers
get a GiST index and are ANALYZEd. The query, per category, is a join on
``ST_DWithin(report, zone, reach)`` returning the distinct report indexes.

psycopg is imported only by :func:`connect`, so importing this module needs
nothing beyond numpy and shapely (the SQL and COPY builders are tested without
a server).
"""

from __future__ import annotations

import itertools
import os
import re
from collections.abc import Iterable
from typing import Any

import numpy as np
import shapely

_IDENT = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
_SCHEMA_SERIAL = itertools.count()


class PostgisUnavailable(Exception):
    """No usable PostGIS: psycopg missing, server unreachable, or no postgis extension (one-line message)."""


def redact(url: str) -> str:
    """The URL with any password replaced by ``***`` (for messages)."""
    url = re.sub(r"(://[^:/@?]*:)[^@/?]*@", r"\1***@", url)
    return re.sub(r"(password=)[^&\s]*", r"\1***", url)


def connect(url: str, timeout_s: int = 10) -> Any:
    """An autocommit psycopg connection to a database with PostGIS, or PostgisUnavailable."""
    try:
        import psycopg
    except ImportError:
        raise PostgisUnavailable(
            "--postgis needs psycopg 3: pip install 'psycopg[binary]' (or pip install -e '.[bench]')"
        ) from None
    try:
        conn = psycopg.connect(url, autocommit=True, connect_timeout=timeout_s)
    except (psycopg.Error, ValueError) as e:
        first = (str(e).strip().splitlines() or [type(e).__name__])[0]
        raise PostgisUnavailable(f"--postgis: cannot connect to {redact(url)}: {first}") from None
    try:
        conn.execute("SELECT postgis_lib_version()")
    except psycopg.Error:
        conn.close()
        raise PostgisUnavailable(
            f"--postgis: the database at {redact(url)} has no PostGIS (CREATE EXTENSION postgis)"
        ) from None
    return conn


def server_versions(conn: Any) -> dict[str, str]:
    row = conn.execute("SELECT current_setting('server_version'), postgis_full_version()").fetchone()
    return {"postgresql": row[0], "postgis": row[1]}


def new_schema_name() -> str:
    return f"atribut_bench_{os.getpid()}_{next(_SCHEMA_SERIAL)}"


def _q(name: str) -> str:
    if not _IDENT.match(name):
        raise ValueError(f"not a plain SQL identifier: {name!r}")
    return f'"{name}"'


def zone_table(k: int) -> str:
    """The table of the k-th category (categories are numbered, so their names never reach SQL)."""
    return f"zones_{k}"


def load_sql(schema: str, n_categories: int) -> tuple[list[str], list[str]]:
    """(statements before COPY, statements after COPY) that create, index and analyze the tables."""
    s = _q(schema)
    tables = ["reports"] + [zone_table(k) for k in range(n_categories)]
    before = [f"CREATE SCHEMA {s}"]
    before += [
        f"CREATE UNLOGGED TABLE {s}.{_q(t)} (i integer NOT NULL, geom geometry NOT NULL)" for t in tables
    ]
    after = [f"CREATE INDEX ON {s}.{_q(t)} USING gist (geom)" for t in tables]
    after += [f"ANALYZE {s}.{_q(t)}" for t in tables]
    return before, after


def copy_sql(schema: str, table: str) -> str:
    return f"COPY {_q(schema)}.{_q(table)} (i, geom) FROM STDIN"


def query_sql(schema: str, table: str) -> str:
    """Distinct indexes of the reports within ``%s`` metres of a zone of the table (one parameter)."""
    s = _q(schema)
    return (
        f'SELECT DISTINCT r.i FROM {s}."reports" r JOIN {s}.{_q(table)} z ON ST_DWithin(r.geom, z.geom, %s)'
    )


def drop_sql(schema: str) -> str:
    return f"DROP SCHEMA IF EXISTS {_q(schema)} CASCADE"


def copy_payload(index: Iterable[int], geoms: np.ndarray) -> str:
    """COPY text rows ``index<TAB>hex WKB`` (exact doubles, no SRID) for the given geometries."""
    hexes = shapely.to_wkb(geoms, hex=True, include_srid=False)
    return "".join(f"{i}\t{h}\n" for i, h in zip(index, hexes.tolist()))


class PostgisBaseline:
    """One city loaded into one schema: ``load`` (COPY, GiST, ANALYZE), ``query``, ``drop``."""

    def __init__(self, conn: Any) -> None:
        self.conn = conn
        self.schema: str | None = None
        self.reach: dict[str, float] = {}
        self.n_reports = 0

    def load(
        self, points: np.ndarray, zone_geoms: np.ndarray, zone_cat: np.ndarray, reach: dict[str, float]
    ) -> None:
        """Load projected report points and zones of the categories in ``reach`` into a new schema."""
        self.drop()
        schema = new_schema_name()
        cats = sorted(reach)
        before, after = load_sql(schema, len(cats))
        self.schema, self.reach, self.n_reports = schema, dict(reach), len(points)
        with self.conn.cursor() as cur:
            for stmt in before:
                cur.execute(stmt)
            with cur.copy(copy_sql(schema, "reports")) as cp:
                cp.write(copy_payload(range(len(points)), points))
            for k, c in enumerate(cats):
                idx = np.nonzero(zone_cat == c)[0]
                with cur.copy(copy_sql(schema, zone_table(k))) as cp:
                    cp.write(copy_payload(idx.tolist(), zone_geoms[idx]))
            for stmt in after:
                cur.execute(stmt)

    def query(self) -> dict[str, np.ndarray]:
        """Per category: which reports have a zone within its reach (one SQL query per category)."""
        if self.schema is None:
            raise RuntimeError("load() first")
        out = {}
        with self.conn.cursor() as cur:
            for k, c in enumerate(sorted(self.reach)):
                cur.execute(query_sql(self.schema, zone_table(k)), (self.reach[c],))
                hit = np.fromiter((row[0] for row in cur), dtype=np.int64)
                m = np.zeros(self.n_reports, dtype=bool)
                m[hit] = True
                out[c] = m
        return out

    def drop(self) -> None:
        if self.schema is not None:
            self.conn.execute(drop_sql(self.schema))
            self.schema = None
