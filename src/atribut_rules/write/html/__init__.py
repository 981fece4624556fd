"""One self-contained HTML page for officers: summary, a map, the reports that need action,
and every report in an embedded CSV download.

The page stays light at 100,000 reports: the table holds only the reports that need
action (violation, review, unchecked, invalid; at most :data:`MAX_TABLE_ROWS`, worst
first), the map draws one marker per spot where reports overlap at the size it is
shown (:func:`map_markers`), and every report is in the download, the officer's CSV
sheet gzipped and base64-encoded into the page (the script unpacks it with the
browser's ``DecompressionStream``). Counts in the summary are always of every report.

The page needs no network: there is no external script, style or font. The template,
style and script are package files next to this module (``report.html``,
``report.css``, ``report.js``), inlined when the page is rendered so the report is one
file an officer can send on. Every piece of user data is escaped (``html.escape`` in
markup; ``<``, ``>``, ``&`` and line separators as ``\\uXXXX`` inside the embedded
JSON), and a Content-Security-Policy allows only the page's own script, by hash, so
even a missed escape could not run injected code. After drawing, the script fills
``<output id="map-status">`` with ``data-reports-drawn`` (reports the map markers
stand for), ``data-markers``, ``data-ready-ms`` and ``data-load-ms``
(``performance.now()`` when the script is done and at the load event) and, once the download is unpacked, ``data-download-lines``, which the
browser test reads.
"""

from __future__ import annotations

import base64
import functools
import gzip
import hashlib
import html
import io
import json
import math
import string
from importlib import resources
from typing import IO, Any

import numpy as np
import shapely

from ... import i18n
from ...model import Status
from .. import texts
from ..escape import escape_surrogates, text_output
from ..records import STATUSES, run_summary_record, text_in, verdict_cells

STATUS_COLOURS = {
    "violation": "#d7301f",
    "review": "#f28e2b",
    "unchecked": "#9e9ac8",
    "exempt": "#4575b4",
    "ok": "#1a9850",
    "invalid": "#7f7f7f",
}
CATEGORY_COLOURS = {
    "admin_area": "none",
    "tree": "#8fd175",
    "place_of_worship": "#b39ddb",
    "school": "#ffd54f",
    "government": "#90a4ae",
    "health": "#ef9a9a",
    "park": "#c5e1a5",
    "road": "#bdbdbd",
    "designated_site": "#81d4fa",
    "public_facility": "#ffcc80",
    "bridge": "#a1887f",
    "pole": "#9e9e9e",
}
NEEDS_ACTION = ("violation", "review", "unchecked", "invalid")
"""Statuses whose reports the page's table lists; ``ok`` and ``exempt`` are only counted
and in the download."""
MAX_TABLE_ROWS = 1000
"""Reports the table lists at most (with their evidence, about 1 KB each), worst status first."""
MAX_THUMBNAILS = 2000
"""Photo thumbnails one page embeds at most (about 5 KB each), for the findings first in order."""
MAP_SIZE = (1000, 600)
"""The map's drawing size (SVG user units, about pixels at the width it is shown)."""
MARKER_CELL = 6.0
"""Reports closer than this on the map (a grid of cells this size) share one marker."""


@functools.cache
def asset(name: str) -> str:
    """The text of one of the page's package files (``report.html``, ``report.css``, ``report.js``)."""
    return resources.files(__name__).joinpath(name).read_text(encoding="utf-8")


def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _json_for_script(data: Any) -> str:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return (
        text.replace("&", "\\u0026")
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def _num(value: float | None, digits: int = 2) -> str:
    """A number for the sort key of a cell (plain, not for reading)."""
    return "" if value is None or not math.isfinite(value) else f"{value:.{digits}f}"


def _read(value: float | None, lang: str, digits: int = 2) -> str:
    """A number for people to read, in the style of ``lang``."""
    return "" if value is None or not math.isfinite(value) else texts.number_text(value, lang, digits)


def _round_geometry(geom: Any) -> dict[str, Any]:
    rounded = shapely.transform(geom, lambda xy: np.round(xy, 6))
    return json.loads(shapely.to_geojson(rounded))


def texts_category(category: str, lang: str) -> str:
    """A zone category in words (from the engine's catalogue)."""
    return i18n.category_label(category, lang)


def map_zones(run: Any, lang: str) -> tuple[list[dict[str, Any]], list[Any]]:
    zones = run.zones
    items, geoms = [], []
    order = sorted(range(len(zones)), key=lambda z: (zones.categories[z] != "admin_area", z))
    for z in order:
        geom = zones.geoms[z]
        if geom is None or shapely.is_empty(geom):
            continue
        cat = str(zones.categories[z])
        name = zones.names[z] or zones.ids[z]
        items.append(
            {
                "c": cat,
                "f": CATEGORY_COLOURS.get(cat, "#d1c4e9"),
                "t": f"{name} ({texts_category(cat, lang)})",
                "g": _round_geometry(geom),
            }
        )
        geoms.append((cat, geom))
    return items, geoms


def map_frame(lon: np.ndarray, lat: np.ndarray, zone_geoms: list[Any]) -> dict[str, Any]:
    """The map's extent and projection: the located reports and the zones that are not
    administrative areas (every zone when no report is located), scaled to fit
    :data:`MAP_SIZE` with a 10-unit margin, longitudes shrunk by the cosine of the
    middle latitude."""
    located = np.isfinite(lon) & np.isfinite(lat)
    boxes = []
    if located.any():
        boxes.append((lon[located].min(), lat[located].min(), lon[located].max(), lat[located].max()))
    picked = [g for cat, g in zone_geoms if cat != "admin_area" or not located.any()]
    if not boxes and not picked:
        picked = [g for _, g in zone_geoms]
    if picked:
        b = shapely.bounds(np.array(picked, dtype=object))
        boxes.append((b[:, 0].min(), b[:, 1].min(), b[:, 2].max(), b[:, 3].max()))
    if boxes:
        box = np.array(boxes, dtype=float)
        x0, y0, x1, y1 = box[:, 0].min(), box[:, 1].min(), box[:, 2].max(), box[:, 3].max()
    else:
        x0, y0, x1, y1 = 0.0, 0.0, 1.0, 1.0
    if not all(math.isfinite(v) for v in (x0, y0, x1, y1)):
        x0, y0, x1, y1 = 0.0, 0.0, 1.0, 1.0
    width, height = MAP_SIZE
    k = math.cos((y0 + y1) / 2 * math.pi / 180)
    dx, dy = max((x1 - x0) * k, 1e-6), max(y1 - y0, 1e-6)
    scale = min((width - 20) / dx, (height - 20) / dy)
    return {
        "bbox": [round(float(v), 7) for v in (x0, y0, x1, y1)],
        "k": k,
        "scale": float(np.float32(scale)),
        "offset": [round((width - dx * scale) / 2, 3), round((height - dy * scale) / 2, 3)],
    }


def map_markers(run: Any, frame: dict[str, Any], lang: str) -> list[list[Any]]:
    """One marker per cell of :data:`MARKER_CELL` units that holds located reports.

    A marker is ``[lon, lat, status, count, title, row index]``: the mean position of
    its reports, the worst status among them (its colour), how many it stands for, a
    title that names the report (one) or counts them by status (several), and the index
    of its first report. Markers come in drawing order, the worst on top.
    """
    reports = run.reports
    lon, lat = np.asarray(reports.lon, dtype=float), np.asarray(reports.lat, dtype=float)
    index = np.flatnonzero(np.isfinite(lon) & np.isfinite(lat))
    if not len(index):
        return []
    codes = np.asarray(run.status_codes)[index].astype(np.int64)
    x0, y0 = frame["bbox"][0], frame["bbox"][1]
    scale, (ox, oy) = frame["scale"], frame["offset"]
    px = ox + (lon[index] - x0) * frame["k"] * scale
    py = MAP_SIZE[1] - oy - (lat[index] - y0) * scale
    cell = np.floor(px / MARKER_CELL).astype(np.int64) * 1_000_003 + np.floor(py / MARKER_CELL).astype(
        np.int64
    )
    keys, first, group = np.unique(cell, return_index=True, return_inverse=True)
    group = group.reshape(-1)
    n_groups, n_statuses = len(keys), len(STATUSES)
    counts = np.bincount(group, minlength=n_groups)
    by_status = np.bincount(group * n_statuses + codes, minlength=n_groups * n_statuses).reshape(
        n_groups, n_statuses
    )
    worst = np.argmax(by_status > 0, axis=1)  # STATUSES run from the worst (violation) down
    mean_lon = np.bincount(group, weights=lon[index], minlength=n_groups) / counts
    mean_lat = np.bincount(group, weights=lat[index], minlength=n_groups) / counts
    rank = {s: n for n, s in enumerate(("invalid", "ok", "exempt", "unchecked", "review", "violation"))}
    order = sorted(range(n_groups), key=lambda g: (rank[STATUSES[worst[g]]], index[first[g]]))
    markers = []
    for g in order:
        status, count, i = STATUSES[worst[g]], int(counts[g]), int(index[first[g]])
        if count == 1:
            title = f"{reports.ids[i]}: {texts.status_label(lang, status)}"
        else:
            parts = ", ".join(
                f"{texts.status_label(lang, s)} {texts.number_text(int(by_status[g, k]), lang)}"
                for k, s in enumerate(STATUSES)
                if by_status[g, k]
            )
            heading = texts.label(lang, "cluster").format(count=texts.number_text(count, lang))
            title = f"{heading}: {parts}"
        markers.append([round(float(mean_lon[g]), 7), round(float(mean_lat[g]), 7), status, count, title, i])
    return markers


def _counts_table(title: str, first: str, rows: dict[str, dict[str, int]], lang: str, empty: str) -> str:
    n = functools.partial(texts.number_text, lang=lang)
    head = "".join(f"<th>{_e(texts.status_label(lang, s))}</th>" for s in STATUSES)
    out = [f"<h3>{_e(title)}</h3><table><thead><tr><th>{_e(first)}</th>"]
    out.append(f"<th>{_e(texts.label(lang, 'reports'))}</th>{head}</tr></thead><tbody>")
    for name, counts in rows.items():
        total = counts["reports"]
        cells = "".join(
            f'<td class="n">{n(counts[s])} <small>({_pct(counts[s], total, lang)})</small></td>'
            for s in STATUSES
        )
        out.append(f'<tr><td>{_e(name or empty)}</td><td class="n">{n(total)}</td>{cells}</tr>')
    out.append("</tbody></table>")
    return "".join(out)


def _pct(part: int, whole: int, lang: str) -> str:
    return "–" if not whole else f"{texts.number_text(100.0 * part / whole, lang)}%"


def _photo(run: Any, i: int, verdict: Any, shown: list[int]) -> str:
    """The thumbnail of report ``i``'s photo when it has findings (``shown`` counts them)."""
    thumbs = getattr(run.reports, "thumbnails", None)
    if not thumbs or i not in thumbs or not verdict.findings or shown[0] >= MAX_THUMBNAILS:
        return ""
    shown[0] += 1
    # the URI is the reader's own base64 JPEG; escaped anyway, like every value on the page
    return f'<img class="thumb" src="{_e(thumbs[i])}" alt="{_e(verdict.report)}"><br>'


def _evidence(verdict: Any, lang: str) -> str:
    items = []
    for f in verdict.findings:
        bits = [
            f'<span class="st st-{_e(f.status.value)}">{_e(texts.status_label(lang, f.status.value))}</span>',
            f"<b>{_e(f.rule)}</b> ({_e(texts.SEVERITY_LABELS[lang][f.severity.value])})",
            _e(text_in(f.message, lang)),
        ]
        detail = []
        if f.zone is not None:
            zone_text = f"{f.zone.name or f.zone.id} [{f.zone.id}; {texts_category(f.zone.category, lang)}]"
            detail.append(f"{_e(texts.label(lang, 'zone'))}: {_e(zone_text)}")
        if f.distance_m is not None and math.isfinite(f.distance_m):  # says "inside" when negative
            detail.append(
                f"{_e(texts.label(lang, 'distance'))}: {_e(i18n.distance_text(f.distance_m, lang))}"
            )
        for key in ("threshold_m", "margin_m", "accuracy_m"):
            value = getattr(f, key)
            if value is not None:
                detail.append(f"{_e(texts.label(lang, key))}: {_read(value, lang)}")
        legal_basis = text_in(f.legal_basis, lang)
        if legal_basis:
            detail.append(f"{_e(texts.label(lang, 'legal_basis'))}: {_e(legal_basis)}")
        items.append(
            "<li>" + " ".join(bits) + ("<br><small>" + "; ".join(detail) + "</small>" if detail else "")
        )
    for p in verdict.problems:
        field = f" [{_e(p.field)}]" if p.field else ""
        items.append(f"<li>{_e(texts.label(lang, 'problem'))}{field}: {_e(text_in(p.message, lang))}")
    if not items:
        return ""
    return f'<details><summary>{len(items)}</summary><ul class="ev">{"".join(items)}</ul></details>'


def _file_name(path: str) -> str:
    """A file's name without its folders: a report sent on should not show local paths."""
    return path.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1] or path


def table_rows(run: Any) -> list[int]:
    """The reports the table lists: those that need action, worst status first, then in
    input order; at most :data:`MAX_TABLE_ROWS`."""
    codes = np.asarray(run.status_codes).astype(np.int64)
    action = np.array([s in NEEDS_ACTION for s in STATUSES])
    picked = np.flatnonzero(action[codes]) if len(codes) else np.array([], dtype=np.int64)
    order = picked[np.argsort(codes[picked], kind="stable")]
    return order[:MAX_TABLE_ROWS].tolist()


def sheet_download(run: Any, lang: str, **sheet_options: Any) -> tuple[str, int]:
    """The officer's CSV sheet of every report, gzipped (no timestamp) and base64-encoded,
    with a UTF-8 BOM for spreadsheets; and its number of bytes unpacked."""
    from ..sheets import write_csv

    buffer = io.StringIO()
    write_csv(run, buffer, lang=lang, **sheet_options)
    data = ("\ufeff" + escape_surrogates(buffer.getvalue())).encode("utf-8")
    packed = gzip.compress(data, compresslevel=9, mtime=0)
    return base64.b64encode(packed).decode("ascii"), len(data)


def _download_name(run: Any, lang: str) -> str:
    stem = _file_name(str(getattr(run.reports, "file", "") or "")).rsplit(".", 1)[0] or "laporan"
    return f"{stem}-{'hasil' if lang == 'id' else 'results'}.csv"


def render_html(run: Any, *, lang: str = "id", area_by: str = "auto", **sheet_options: Any) -> str:
    """The whole report page as one string (``sheet_options`` go to the CSV download:
    ``delimiter``, ``decimal``, ``date_format``)."""
    L = lambda key: texts.label(lang, key)  # noqa: E731
    n = functools.partial(texts.number_text, lang=lang)
    summary = run_summary_record(run, area_by)
    prov = run.provenance
    script = asset("report.js")
    script_hash = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    csp = f"default-src 'none'; script-src 'sha256-{script_hash}'; style-src 'unsafe-inline'; img-src data:"
    title = L("page_title")
    parts = [
        f"<header><h1>{_e(title)}</h1><p>{_e(L('ruleset'))}: {_e(text_in(run.ruleset.title, lang))} "
        f"({_e(prov.ruleset_id)} {_e(prov.ruleset_version)}) · {_e(L('engine'))}: {_e(prov.engine)} "
        f"{_e(prov.engine_version)} · {_e(', '.join(sorted(_file_name(f) for f in prov.inputs)))}</p></header><main>",
    ]
    if summary["gaps"]:  # a partial run: said before anything else, in the unchecked colour
        items = "".join(f"<li>{_e(texts.gap_text(lang, g))}</li>" for g in summary["gaps"])
        parts.append(
            f'<div class="banner st-unchecked" role="alert"><strong>{_e(L("partial_banner"))}</strong>'
            f"<ul>{items}</ul></div>"
        )
    # summary
    total = summary["reports"]
    parts.append(f'<h2>{_e(L("summary"))}</h2><div class="grid"><section>')
    parts.append(f'<table class="compact"><thead><tr><th>{_e(L("status"))}</th>')
    parts.append(f"<th>{_e(L('count'))}</th><th>{_e(L('share'))}</th></tr></thead><tbody>")
    for s in STATUSES:
        count = summary["by_status"].get(s, 0)
        parts.append(
            f'<tr><td><span class="st st-{s}">{_e(texts.status_label(lang, s))}</span></td>'
            f'<td class="n">{n(count)}</td><td class="n">{_pct(count, total, lang)}</td></tr>'
        )
    parts.append(
        f'<tr><th>{_e(L("reports"))}</th><th class="n">{n(total)}</th><th class="n">100%</th></tr>'
        "</tbody></table>"
        f'<p><a id="download" class="download" aria-disabled="true">{_e(L("download_wait"))}</a></p>'
        '</section><section class="mapbox">'
    )
    # map
    zone_items, zone_geoms = map_zones(run, lang)
    lon = np.asarray(run.reports.lon, dtype=float)
    lat = np.asarray(run.reports.lat, dtype=float)
    frame = map_frame(lon, lat, zone_geoms)
    markers = map_markers(run, frame, lang)
    located = int(sum(m[3] for m in markers))
    legend = "".join(
        f'<span><i class="st-{s}"></i>{_e(texts.status_label(lang, s))}</span>' for s in STATUSES
    )
    parts.append(
        f'<h2>{_e(L("map"))}</h2><p class="legend">{legend}'
        f'<output id="map-status" data-reports-drawn="0"></output></p>'
        f'<svg id="map" role="img" aria-label="{_e(L("map"))}"></svg>'
        f"<p><small>{_e(L('map_note'))} {n(total - located)} {_e(L('no_coords'))}.</small></p></section></div>"
    )
    parts.append('<div class="wide">')
    rules = {r.id: r for r in run.ruleset.active_rules}
    parts.append(
        f"<h3>{_e(L('rule'))}</h3><table><thead><tr><th>{_e(L('rule'))}</th><th>{_e(L('title'))}</th>"
    )
    parts.append(
        f"<th>{_e(L('checked'))}</th>"
        + (f"<th>{_e(L('not_checked'))}</th>" if summary["gaps"] else "")
        + f"<th>{_e(texts.status_label(lang, 'violation'))}</th>"
        f"<th>{_e(texts.status_label(lang, 'review'))}</th><th>{_e(texts.status_label(lang, 'exempt'))}</th>"
        f"<th>{_e(L('legal_basis'))}</th></tr></thead><tbody>"
    )
    for rid, counts in summary["by_rule"].items():
        rule = rules.get(rid)
        parts.append(
            f"<tr><td>{_e(rid)}</td><td>{_e(text_in(rule.title, lang) if rule else '')}</td>"
            f'<td class="n">{n(counts["checked"])}</td>'
            + (
                f'<td class="n">{n(summary["coverage"].get(rid, {}).get("unchecked", 0))}</td>'
                if summary["gaps"]
                else ""
            )
            + f'<td class="n">{n(counts["violation"])}</td>'
            f'<td class="n">{n(counts["review"])}</td><td class="n">{n(counts.get("exempt", 0))}</td>'
            f"<td><small>{_e(text_in(rule.legal_basis, lang) if rule else '')}</small></td></tr>"
        )
    parts.append('</tbody></table></div><div class="grid"><section>')
    parts.append(_counts_table(L("party"), L("party"), summary["by_party"], lang, L("none_party")))
    parts.append("</section>")
    if summary["by_area"]:
        area_title = f"{L('area')} ({summary['area']['source']})"
        parts.append(
            "<section>" + _counts_table(area_title, L("area"), summary["by_area"], lang, L("none_area"))
        )
        parts.append("</section>")
    parts.append("</div>")
    # table: the reports that need action
    listed = table_rows(run)
    action = sum(summary["by_status"].get(s, 0) for s in NEEDS_ACTION)
    words = lambda statuses: ", ".join(texts.status_label(lang, s) for s in statuses)  # noqa: E731
    note = L("table_note").format(
        shown=n(len(listed)),
        action=n(action),
        statuses=words(NEEDS_ACTION),
        others=n(total - action),
        rest=words(s for s in STATUSES if s not in NEEDS_ACTION),
    )
    if len(listed) < action:
        note += " " + L("table_capped").format(shown=n(len(listed)))
    options = "".join(f'<option value="{s}">{_e(texts.status_label(lang, s))}</option>' for s in NEEDS_ACTION)
    parts.append(
        f'<h2>{_e(L("findings"))}</h2><p class="note">{_e(note)}</p><div class="controls"><label>{_e(L("filter"))} '
        f'<input id="q" type="search"></label><select id="fstatus"><option value="">{_e(L("all"))}</option>'
        f'{options}</select><span><span id="shown">{n(len(listed))}</span> / {n(len(listed))}</span>'
        f"<small>{_e(L('sort_hint'))}</small></div>"
    )
    heads = [
        ("ID", 0),
        (L("status"), 0),
        (L("rule"), 0),
        (L("distance_m"), 1),
        (L("zone"), 0),
        (L("message"), 0),
        (L("evidence"), 0),
        (L("row"), 1),
    ]
    parts.append('<table id="reports"><thead><tr>')
    parts.append("".join(f'<th data-num="{num}">{_e(h)}</th>' for h, num in heads))
    parts.append("</tr></thead><tbody>")
    rank = {s: k for k, s in enumerate(STATUSES)}
    shown = [0]  # thumbnails embedded so far
    for i in listed:
        v = run.verdicts[i]
        status_text, rule_ids, distance, zone, message = verdict_cells(v, lang)
        row = v.source.row if v.source else ""
        parts.append(
            f'<tr data-i="{i}" data-status="{v.status.value}"><td>{_e(v.report)}</td>'
            f'<td data-v="{rank[v.status.value]}"><span class="st st-{v.status.value}">{_e(status_text)}</span></td>'
            f'<td>{_e(rule_ids)}</td><td class="n" data-v="{_num(distance, 3)}">{_read(distance, lang)}</td>'
            f"<td>{_e(zone)}</td><td>{_e(message)}</td><td>{_photo(run, i, v, shown)}{_evidence(v, lang)}</td>"
            f'<td class="n" data-v="{row}">{row}</td></tr>'
        )
    parts.append("</tbody></table></main>")
    parts.append(
        f"<footer>{_e(prov.ruleset_id)} sha256 {_e(prov.ruleset_sha256)} · "
        + " · ".join(f"{_e(a.name)}: {_e(a.crs)}" for a in prov.crs)
        + "</footer>"
    )
    data = {
        "view": list(MAP_SIZE),
        "bbox": frame["bbox"],
        "scale": frame["scale"],
        "offset": frame["offset"],
        "zones": zone_items,
        "markers": markers,
        "colours": STATUS_COLOURS,
        "labels": {
            "drawn": f"{n(located)} {L('reports_drawn')}",
            "download": L("download").format(count=n(total)),
            "unsupported": L("download_unsupported"),
        },
    }
    sheet, _ = sheet_download(run, lang, **sheet_options)
    page = string.Template(asset("report.html")).substitute(
        lang=_e(lang),
        csp=_e(csp),
        title=_e(title),
        style=asset("report.css"),
        body="\n".join(parts),
        data=_json_for_script(data),
        sheet_name=_e(_download_name(run, lang)),
        sheet_rows=total,
        sheet=sheet,
        script=script,
    )
    return escape_surrogates(page)  # a page any UTF-8 encoder can write


@text_output
def write_html(
    run: Any,
    out: IO[str],
    *,
    lang: str = "id",
    area_by: str = "auto",
    delimiter: str | None = None,
    decimal: str | None = None,
    date_format: str | None = None,
    **_: Any,
) -> None:
    """Write the HTML report page (the CSV options shape the embedded download)."""
    sheet = {"delimiter": delimiter, "decimal": decimal, "date_format": date_format}
    out.write(render_html(run, lang=lang, area_by=area_by, **sheet))


__all__ = [
    "MAX_TABLE_ROWS",
    "NEEDS_ACTION",
    "STATUS_COLOURS",
    "Status",
    "asset",
    "map_markers",
    "render_html",
    "sheet_download",
    "table_rows",
    "write_html",
]
