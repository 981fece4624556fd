"""The HTML page: its package files, the table of reports that need action, the map's
markers and the embedded CSV download that holds every report."""

from __future__ import annotations

import base64
import collections
import gzip
import hashlib
import html
import io
import re
from importlib import resources as importlib_resources
from pathlib import Path

import numpy as np
import pytest

from atribut_rules import check, load_rules, load_zones, read_reports, resources
from atribut_rules.write import write
from atribut_rules.write.html import (
    MAX_TABLE_ROWS,
    NEEDS_ACTION,
    asset,
    map_markers,
    render_html,
    table_rows,
)

ROOT = Path(__file__).resolve().parents[1]
PAGE_FILES = ("report.html", "report.css", "report.js")


@pytest.fixture(scope="module")
def run():
    folder = resources.example_dir()
    rules = load_rules()
    zones = load_zones(*sorted(folder.glob("*.geojson")), categories=rules.categories, relative_to=folder)
    return check(read_reports(folder / "laporan.csv", relative_to=folder), zones, rules)


@pytest.fixture(scope="module")
def big_run(tmp_path_factory):
    """The example's 260 rows eight times over (2,080 reports; ids made unique)."""
    folder = resources.example_dir()
    lines = (folder / "laporan.csv").read_text(encoding="utf-8-sig").splitlines()
    path = tmp_path_factory.mktemp("big") / "laporan.csv"
    body = [f"{line.split(';', 1)[0]}-{k};{line.split(';', 1)[1]}" for k in range(8) for line in lines[1:]]
    path.write_text("\n".join([lines[0], *body]) + "\n", encoding="utf-8")
    rules = load_rules()
    zones = load_zones(*sorted(folder.glob("*.geojson")), categories=rules.categories, relative_to=folder)
    return check(read_reports(path), zones, rules)


def _download(page: str) -> bytes:
    packed = re.search(r'<script type="text/plain" id="atribut-sheet"[^>]*>([^<]*)</script>', page)
    assert packed, "the page has no embedded download"
    return gzip.decompress(base64.b64decode(packed.group(1)))


def test_page_files_are_package_resources():
    folder = importlib_resources.files("atribut_rules.write.html")
    for name in PAGE_FILES:
        assert folder.joinpath(name).is_file(), name
        assert asset(name) == folder.joinpath(name).read_text(encoding="utf-8")


def test_page_files_are_package_data_in_pyproject():
    tomllib = pytest.importorskip("tomllib")
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    assert "atribut_rules.write.html" in config["packages"]
    assert set(PAGE_FILES) <= set(config["package-data"]["atribut_rules.write.html"])


def test_page_inlines_its_style_and_script_and_allows_only_that_script(run):
    page = render_html(run)
    assert asset("report.css") in page and asset("report.js") in page
    assert "<link" not in page and 'src="http' not in page and "${" not in page
    digest = base64.b64encode(hashlib.sha256(asset("report.js").encode()).digest()).decode()
    csp = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', page).group(1)
    assert html.unescape(csp).startswith(f"default-src 'none'; script-src 'sha256-{digest}';")


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_download_is_the_csv_sheet_of_every_report(run, lang):
    page = render_html(run, lang=lang)
    sheet = io.StringIO()
    write(run, "csv", sheet, lang=lang)
    assert _download(page) == ("\ufeff" + sheet.getvalue()).encode("utf-8")
    name = re.search(r'id="atribut-sheet" data-name="([^"]*)" data-rows="(\d+)"', page)
    assert name.group(1) == ("laporan-hasil.csv" if lang == "id" else "laporan-results.csv")
    assert int(name.group(2)) == len(run.verdicts)


def test_the_download_follows_the_csv_options(run):
    page = render_html(run, delimiter=",", decimal=".", date_format="dd/mm/yyyy")
    sheet = io.StringIO()
    write(run, "csv", sheet, delimiter=",", decimal=".", date_format="dd/mm/yyyy")
    assert "22/02/2024" in sheet.getvalue()
    assert _download(page) == ("\ufeff" + sheet.getvalue()).encode("utf-8")


def test_the_table_lists_the_reports_that_need_action_worst_first(run):
    page = render_html(run)
    listed = [int(i) for i in re.findall(r'<tr data-i="(\d+)"', page)]
    need = [i for i, v in enumerate(run.verdicts) if v.status.value in NEEDS_ACTION]
    assert sorted(listed) == need and listed == table_rows(run)
    order = ["violation", "review", "unchecked", "invalid"]
    ranks = [order.index(run.verdicts[i].status.value) for i in listed]
    assert ranks == sorted(ranks)
    # the summary still counts every report
    counts = collections.Counter(v.status.value for v in run.verdicts)
    assert f'<span class="st st-ok">ok</span></td><td class="n">{counts["ok"]}</td>' in page


def test_the_table_is_capped_worst_first_and_says_so(big_run):
    listed = table_rows(big_run)
    assert len(listed) == MAX_TABLE_ROWS
    order = ["violation", "review", "unchecked", "invalid"]
    need = [i for i, v in enumerate(big_run.verdicts) if v.status.value in order]
    assert len(need) > MAX_TABLE_ROWS
    expected = sorted(need, key=lambda i: (order.index(big_run.verdicts[i].status.value), i))
    assert listed == expected[:MAX_TABLE_ROWS]  # worst first, in input order within a status
    page = render_html(big_run, lang="en")
    assert f"Only the first {MAX_TABLE_ROWS:,} are shown" in page


def test_markers_stand_for_every_located_report_once(run):
    from atribut_rules.write.html import map_frame, map_zones

    items, geoms = map_zones(run, "id")
    lon, lat = np.asarray(run.reports.lon, float), np.asarray(run.reports.lat, float)
    markers = map_markers(run, map_frame(lon, lat, geoms), "id")
    located = int((np.isfinite(lon) & np.isfinite(lat)).sum())
    assert sum(m[3] for m in markers) == located
    assert len(markers) < located  # some reports of the example overlap at this size
    # a marker's colour is the worst status of the reports it stands for
    for m in markers:
        if m[3] == 1:
            assert m[2] == run.verdicts[m[5]].status.value
    several = [m for m in markers if m[3] > 1]
    assert several and all(m[4].startswith(f"{m[3]} laporan: ") for m in several)


def test_numbers_people_read_follow_the_language(big_run):
    page_id, page_en = render_html(big_run, lang="id"), render_html(big_run, lang="en")
    total = len(big_run.verdicts)
    assert f'<th class="n">{total // 1000}.{total % 1000:03d}</th>' in page_id
    assert f'<th class="n">{total // 1000},{total % 1000:03d}</th>' in page_en
    # the distances of the table: decimal comma in Indonesian, point in English
    distance_id = re.findall(r'<td class="n" data-v="(-?\d+\.\d+)">([^<]*)</td>', page_id)
    distance_en = re.findall(r'<td class="n" data-v="(-?\d+\.\d+)">([^<]*)</td>', page_en)
    assert distance_id and all("," in shown and "." not in shown for _, shown in distance_id)
    assert distance_en and all("." in shown and "," not in shown for _, shown in distance_en)
