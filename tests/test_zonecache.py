"""zonecache: a cache file of loaded zones is reused only while layer files and options are unchanged."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import shapely
from helpers import EXAMPLE_REPORTS, EXAMPLE_ZONES, run_cli, zone_args
from support import PKP, collection, feature, point

import atribut_rules as ar
from atribut_rules.spatial.zonecache import load_zones_cached, read_zone_cache


def _layers(tmp_path: Path) -> list[str]:
    out = []
    for p in EXAMPLE_ZONES:
        shutil.copy(p, tmp_path / p.name)
        out.append(str(tmp_path / p.name))
    return out


def _same(a: ar.Zones, b: ar.Zones) -> None:
    assert a.ids == b.ids and a.names == b.names and a.source_files == b.source_files
    assert list(a.categories) == list(b.categories) and list(a.kinds) == list(b.kinds)
    assert a.files == b.files and a.origins == b.origins
    np.testing.assert_array_equal(a.radius_m, b.radius_m)
    assert shapely.equals_exact(a.geoms, b.geoms, tolerance=0).all()


def test_the_cache_gives_back_exactly_what_was_loaded(tmp_path: Path) -> None:
    layers = _layers(tmp_path)
    cache = tmp_path / "zones.npz"
    first, used_first = load_zones_cached(*layers, cache=cache)
    again, used_again = load_zones_cached(*layers, cache=cache)
    assert (used_first, used_again) == (False, True)
    _same(again, ar.load_zones(*layers))
    _same(again, first)


def test_a_changed_layer_file_invalidates_the_cache(tmp_path: Path) -> None:
    layers = _layers(tmp_path)
    cache = tmp_path / "zones.npz"
    load_zones_cached(*layers, cache=cache)
    trees = Path(next(p for p in layers if p.endswith("trees.geojson")))
    doc = json.loads(trees.read_text(encoding="utf-8"))
    doc["features"] = doc["features"][:-1]
    trees.write_text(json.dumps(doc), encoding="utf-8")
    zones, used = load_zones_cached(*layers, cache=cache)
    assert not used
    _same(zones, ar.load_zones(*layers))
    assert load_zones_cached(*layers, cache=cache)[1]


def test_other_options_or_layers_do_not_use_the_cache(tmp_path: Path) -> None:
    layers = _layers(tmp_path)
    cache = tmp_path / "zones.npz"
    load_zones_cached(*layers, cache=cache)
    assert not load_zones_cached(*layers[:-1], cache=cache)[1]
    assert not load_zones_cached(*layers[:-1], cache=cache, repair=True)[1]
    assert not load_zones_cached((layers[0], "tree"), *layers[1:-1], cache=cache, repair=True)[1]


def test_a_broken_cache_file_is_rebuilt_not_trusted(tmp_path: Path) -> None:
    layers = _layers(tmp_path)
    cache = tmp_path / "zones.npz"
    cache.write_bytes(b"PK\x03\x04 not really a zip")
    zones, used = load_zones_cached(*layers, cache=cache)
    assert not used and len(zones) == len(ar.load_zones(*layers))
    assert read_zone_cache(cache) is not None


def test_layers_given_as_mappings_are_not_cached(tmp_path: Path) -> None:
    layer = collection(feature("t1", point(*PKP), "tree", "Pohon"))
    cache = tmp_path / "zones.npz"
    zones, used = load_zones_cached(layer, cache=cache)
    assert len(zones) == 1 and not used and not cache.exists()


def test_check_with_a_zone_cache_writes_the_same_bytes(tmp_path: Path) -> None:
    layers = _layers(tmp_path)
    outs = []
    for extra in ([], ["--zones-cache", str(tmp_path / "c.npz")], ["--zones-cache", str(tmp_path / "c.npz")]):
        outs.append(
            run_cli("check", EXAMPLE_REPORTS, *zone_args(layers), "--format", "json", "-q", *extra).out
        )
    assert outs[0] == outs[1] == outs[2]
    assert (tmp_path / "c.npz").is_file()
