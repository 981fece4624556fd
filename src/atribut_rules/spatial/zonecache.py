"""A cache file of loaded zone layers, reused while the layer files are unchanged.

Reading and validating a large GeoJSON layer costs far more than the check that
uses it (100,000 features: seconds). :func:`load_zones_cached` keeps what
:func:`~atribut_rules.load_zones` built in one ``.npz`` file: geometries as WKB,
the columns as JSON text, and a key made of the SHA-256 of every layer file, the
load options and the engine version. The cache is used only while that key
matches; otherwise the layers are loaded again and the cache rewritten
(atomically). The file holds plain arrays only (``allow_pickle=False``), so a
cache file from elsewhere cannot run code. An existing file that is not a zone
cache (a layer given by mistake, a report, a workbook) is never replaced: writing
the cache there is refused (:func:`is_zone_cache`); a zip archive too broken to
open is taken for a damaged cache and rebuilt.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import zipfile
import zlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import shapely

from ..errors import InputError, OutputError, Text
from ..read.inputfiles import open_input
from ..results.run import engine_version
from ..write.atomic import atomic_write, shown_path
from .zones import Zones, load_zones

CACHE_FORMAT = "atribut-rules/zone-cache/1"

__all__ = [
    "CACHE_FORMAT",
    "cache_key",
    "is_zone_cache",
    "load_zones_cached",
    "read_zone_cache",
    "write_zone_cache",
]

_FORMAT_FAMILY = CACHE_FORMAT.rsplit("/", 1)[0] + "/"


def _file_sha256(path: str | os.PathLike[str]) -> str:
    try:
        with open_input(path, what="zones file") as f:
            return hashlib.file_digest(f, "sha256").hexdigest()
    except OSError as exc:
        raise InputError(
            Text("zonecache.cannot_read_zones_file", strerror=exc.strerror), file=str(path)
        ) from None


def _layer_sha256(spec: str | os.PathLike[str]) -> str:
    """The digest of a layer's file (``FILE.gpkg:LAYER``: of FILE.gpkg; a ``.shp``: with its sidecars)."""
    from ..read.gis import SHAPEFILE_SIDECARS, split_layer

    path, _ = split_layer(spec)
    digest = _file_sha256(path)
    if path.suffix.lower() == ".shp":
        for suffix in SHAPEFILE_SIDECARS:
            side = path.with_suffix(suffix)
            digest += ":" + (_file_sha256(side) if side.exists() else "-")
    return digest


def cache_key(sources: tuple[Any, ...], options: Mapping[str, Any]) -> str | None:
    """The key a cache of ``sources`` loaded with ``options`` is valid for (None: not cacheable).

    Made of each layer file's name, category and SHA-256, the options and the engine version.
    Layers given as mappings (not files) cannot be cached.
    """
    parts = []
    for src in sources:
        path, category = src if isinstance(src, tuple) else (src, None)
        if isinstance(path, Mapping):
            return None
        parts.append([str(path), category, _layer_sha256(path)])
    doc = {
        "engine": engine_version(),
        "sources": parts,
        "options": {k: sorted(v) if isinstance(v, frozenset) else v for k, v in sorted(options.items())},
    }
    return hashlib.sha256(json.dumps(doc, sort_keys=True, default=str).encode()).hexdigest()


def is_zone_cache(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` is a zone cache file (of any version): one this module may replace."""
    try:
        with np.load(path, allow_pickle=False) as data:
            columns = json.loads(bytes(data["columns"]).decode("utf-8"))
    except (
        OSError,
        ValueError,
        KeyError,
        EOFError,
        TypeError,
        AttributeError,
        zipfile.BadZipFile,
        zlib.error,
    ):
        return False
    return isinstance(columns, dict) and str(columns.get("format", "")).startswith(_FORMAT_FAMILY)


def _may_replace(path: str | os.PathLike[str]) -> bool:
    """Whether the existing ``path`` may become the cache: a zone cache, or a zip archive too
    broken to open (a cache damaged on disk; nothing in it to keep). Any other file, a
    readable zip (a workbook, a zipped layer) among them, is kept."""
    if not os.path.isfile(path):
        return False
    try:
        with open(path, "rb") as f:
            if f.read(4) != b"PK\x03\x04":
                return False
        with zipfile.ZipFile(path) as archive:
            if "columns.npy" not in archive.namelist():
                return False
    except (zipfile.BadZipFile, EOFError, ValueError):
        return True
    except OSError:
        return False
    return is_zone_cache(path) or not _readable_columns(path)


def _readable_columns(path: str | os.PathLike[str]) -> bool:
    try:
        with np.load(path, allow_pickle=False) as data:
            json.loads(bytes(data["columns"]).decode("utf-8"))
    except (OSError, ValueError, KeyError, EOFError, TypeError, zipfile.BadZipFile, zlib.error):
        return False
    return True


def write_zone_cache(zones: Zones, path: str | os.PathLike[str], key: str) -> None:
    """Write ``zones`` to the cache file ``path`` (atomically), valid for ``key``.

    Raises :class:`~atribut_rules.errors.OutputError` when ``path`` exists and is not
    a zone cache (or a zip archive too broken to read): it is never replaced.
    """
    if os.path.lexists(path) and not _may_replace(path):
        raise OutputError(
            Text("zonecache.exists_not_atribut_rules"),
            file=shown_path(path),
            hint=Text("zonecache.give_zones_cache_new_hint"),
        )
    wkb = shapely.to_wkb(zones.geoms, output_dimension=2) if len(zones) else np.array([], dtype=object)
    lengths = np.fromiter((len(b) for b in wkb), dtype=np.int64, count=len(wkb))
    columns = {
        "format": CACHE_FORMAT,
        "key": key,
        "ids": zones.ids,
        "categories": [str(c) for c in zones.categories],
        "names": zones.names,
        "kinds": [str(k) for k in zones.kinds],
        "source_files": zones.source_files,
        "files": zones.files,
        "origins": zones.origins,
    }
    buffer = io.BytesIO()
    np.savez(
        buffer,
        columns=np.frombuffer(json.dumps(columns, ensure_ascii=False).encode("utf-8"), dtype=np.uint8),
        wkb=np.frombuffer(b"".join(wkb), dtype=np.uint8),
        wkb_ends=np.cumsum(lengths),
        radius_m=np.asarray(zones.radius_m, dtype=float),
    )
    with atomic_write(path, binary=True) as out:
        out.write(buffer.getvalue())


def read_zone_cache(path: str | os.PathLike[str], key: str | None = None) -> Zones | None:
    """The zones in cache file ``path``, or None when it is missing, unreadable or not for ``key``."""
    if not os.path.exists(path):
        return None
    # a device or FIFO named as the cache is refused by name (it would hang np.load)
    handle = open_input(path, what="zone cache file")
    try:
        with handle, np.load(handle, allow_pickle=False) as data:
            columns = json.loads(bytes(data["columns"]).decode("utf-8"))
            if columns.get("format") != CACHE_FORMAT or (key is not None and columns.get("key") != key):
                return None
            blob, ends, radius = bytes(data["wkb"]), data["wkb_ends"], data["radius_m"]
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile, zlib.error):
        return None
    starts = np.concatenate([[0], ends[:-1]]) if len(ends) else ends
    pieces = np.array([blob[a:b] for a, b in zip(starts.tolist(), ends.tolist())], dtype=object)
    try:
        geoms = shapely.from_wkb(pieces) if len(pieces) else np.array([], dtype=object)
    except shapely.errors.GEOSException:
        return None

    def objects(values: list[Any]) -> np.ndarray:
        arr = np.empty(len(values), dtype=object)
        arr[:] = values
        return arr

    n = len(columns["ids"])
    if not (len(geoms) == len(radius) == n):
        return None
    return Zones(
        ids=list(columns["ids"]),
        categories=objects(columns["categories"]),
        names=list(columns["names"]),
        geoms=geoms,
        radius_m=radius,
        kinds=objects(columns["kinds"]),
        source_files=list(columns["source_files"]),
        files=dict(columns["files"]),
        origins=list(columns["origins"]),
    )


def load_zones_cached(*sources: Any, cache: str | os.PathLike[str], **options: Any) -> tuple[Zones, bool]:
    """:func:`~atribut_rules.load_zones` through the cache file ``cache``; (zones, whether it was used).

    The cache is used when it was written for the same layer files (by SHA-256), the
    same options and the same engine version; otherwise the layers are loaded and the
    cache file rewritten.
    """
    key = cache_key(sources, options)
    if key is not None and Path(cache).is_file():
        zones = read_zone_cache(cache, key)
        if zones is not None:
            return zones, True
    zones = load_zones(*sources, **options)
    if key is not None:
        write_zone_cache(zones, cache, key)
    return zones, False
