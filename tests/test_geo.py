"""The projection areas' transformers: local TMs from a pipeline give the same metres as PROJ's
own choice of operation for EPSG:4326 to that CRS."""

from __future__ import annotations

import numpy as np
import pyproj
from helpers import examples
from hypothesis import given, settings
from hypothesis import strategies as st

from atribut_rules.spatial import projection as geo


def _from_crs(crs: str) -> pyproj.Transformer:
    return pyproj.Transformer.from_crs("EPSG:4326", pyproj.CRS.from_user_input(crs), always_xy=True)


@settings(max_examples=examples(40), deadline=None)
@given(
    lon0=st.floats(-179.5, 179.5),
    lat0=st.floats(-80.0, 80.0),
    seed=st.integers(0, 2**32 - 1),
)
def test_local_tm_pipeline_projects_as_from_crs(lon0: float, lat0: float, seed: int) -> None:
    crs = geo.local_tm(lon0, lat0)
    rng = np.random.default_rng(seed)
    lon = lon0 + rng.uniform(-0.3, 0.3, 500)
    lat = np.clip(lat0 + rng.uniform(-0.3, 0.3, 500), -89.0, 89.0)
    area = geo.Area("test", crs, lon0 - 0.2, lon0 + 0.2)
    x, y = geo.project(area, lon, lat)
    ex, ey = _from_crs(crs).transform(lon, lat)
    np.testing.assert_array_equal(x, ex)
    np.testing.assert_array_equal(y, ey)


def test_local_tm_is_made_from_a_pipeline_and_other_crs_from_the_crs() -> None:
    local = geo.transformer(geo.local_tm(106.11, -2.13))
    assert local.definition.startswith("proj=pipeline")
    assert "tmerc" in local.definition and "lon_0=106.1100" in local.definition
    # a CRS the engine did not write itself goes through PROJ's own search
    utm = geo.transformer("EPSG:32748")
    assert "utm" in utm.definition and "south" in utm.definition
    # a near miss of the local TM's form is not taken for one
    other = "+proj=tmerc +lat_0=-2.13 +lon_0=106.11 +k=0.9996 +x_0=0 +y_0=0 +ellps=WGS84 +units=m +no_defs +type=crs"
    assert geo.LOCAL_TM_PATTERN.fullmatch(other) is None
    assert "k=0.9996" in geo.transformer(other).definition
