"""One self-contained HTML page for officers: summary, a map, and a sortable, filterable table.

The page needs no network: the zones and reports are embedded as JSON and drawn
as inline SVG by a small script; there is no external script, style or font.
Every piece of user data is escaped (``html.escape`` in markup; ``<``, ``>``,
``&`` and line separators as ``\\uXXXX`` inside the embedded JSON), and a
Content-Security-Policy allows only the page's own script, by hash, so even a
missed escape could not run injected code. After drawing, the script fills
``<output id="map-status">`` with ``data-reports-drawn``, the number of report
markers on the map, which the browser test reads.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import math
from typing import IO, Any

import numpy as np
import shapely

from .. import i18n
from ..model import Status
from . import texts
from .escape import escape_surrogates, text_output
from .records import STATUSES, run_summary_record, text_in, verdict_cells

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

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#222;background:#fafafa}
header,main{padding:0 1.2rem}header{background:#263238;color:#fff;padding:.8rem 1.2rem}
header h1{margin:0;font-size:1.3rem}header p{margin:.2rem 0 0;font-size:.85rem;color:#cfd8dc}
h2{font-size:1.1rem;margin:1.2rem 0 .4rem}
.grid{display:flex;flex-wrap:wrap;gap:1rem;align-items:flex-start}.grid>section{flex:1 1 26rem;min-width:0;overflow-x:auto}
table.compact{width:auto;min-width:16rem}.grid>section.mapbox{flex:3 1 40rem}.wide{overflow-x:auto}
table{border-collapse:collapse;font-size:.85rem;background:#fff;width:100%}
th,td{border:1px solid #ddd;padding:.25rem .4rem;text-align:left;vertical-align:top}
th{background:#eceff1}td.n{text-align:right;font-variant-numeric:tabular-nums}
#reports th{cursor:pointer;user-select:none}#reports th.asc::after{content:" \\25B2"}
#reports th.desc::after{content:" \\25BC"}
.st{display:inline-block;padding:0 .35rem;border-radius:.2rem;color:#fff;font-size:.8rem;white-space:nowrap}
.st-violation{background:#d7301f}.st-review{background:#f28e2b}.st-unchecked{background:#9e9ac8}.st-exempt{background:#4575b4}.st-ok{background:#1a9850}.st-invalid{background:#7f7f7f}
.banner{margin:1rem 0;padding:.6rem 1rem;border-radius:.3rem;color:#1b1035;background:#dadaeb;border-left:.5rem solid #9e9ac8}
.banner ul{margin:.3rem 0 0}
img.thumb{max-width:160px;max-height:160px;display:block;margin-bottom:.2rem}
#map{width:100%;height:32rem;background:#fff;border:1px solid #ccc;display:block}
#map .zone{stroke:#555;stroke-width:.6;fill-opacity:.55;vector-effect:non-scaling-stroke}
#map .zone.admin_area{fill:none;stroke:#607d8b;stroke-dasharray:3 2}
#map .rep{stroke:#fff;stroke-width:1;vector-effect:non-scaling-stroke;cursor:pointer}
#map .rep.sel{stroke:#000;stroke-width:3}
.legend span{margin-right:1rem;font-size:.85rem}.legend i{display:inline-block;width:.8rem;height:.8rem;
border-radius:50%;margin-right:.3rem;vertical-align:middle}
.controls{margin:.4rem 0;display:flex;gap:.6rem;flex-wrap:wrap;align-items:center}
.controls input{min-width:16rem;padding:.25rem}tr.hl{outline:2px solid #000}
details summary{cursor:pointer}ul.ev{margin:.2rem 0;padding-left:1.1rem}
footer{padding:1rem 1.2rem;font-size:.75rem;color:#666}
""".strip()

_JS = r"""
(function(){
"use strict";
var status=document.getElementById("map-status");
window.addEventListener("error",function(e){status.setAttribute("data-errors",String(e.message));});
var data=JSON.parse(document.getElementById("atribut-data").textContent);
var svg=document.getElementById("map"),NS="http://www.w3.org/2000/svg";
var W=1000,H=600,xs=[],ys=[];
function walk(c,f){if(typeof c[0]==="number"){f(c);}else{for(var i=0;i<c.length;i++)walk(c[i],f);}}
data.reports.forEach(function(r){if(r[0]!==null){xs.push(r[0]);ys.push(r[1]);}});
data.zones.forEach(function(z){if(z.c!=="admin_area"||!xs.length)walk(z.g.coordinates,function(p){xs.push(p[0]);ys.push(p[1]);});});
if(!xs.length){data.zones.forEach(function(z){walk(z.g.coordinates,function(p){xs.push(p[0]);ys.push(p[1]);});});}
var x0=Math.min.apply(null,xs),x1=Math.max.apply(null,xs),y0=Math.min.apply(null,ys),y1=Math.max.apply(null,ys);
if(!isFinite(x0)){x0=0;x1=1;y0=0;y1=1;}
var k=Math.cos((y0+y1)/2*Math.PI/180),dx=Math.max((x1-x0)*k,1e-6),dy=Math.max(y1-y0,1e-6);
var s=Math.min((W-20)/dx,(H-20)/dy),ox=(W-dx*s)/2,oy=(H-dy*s)/2;
function px(p){return [ox+(p[0]-x0)*k*s,H-oy-(p[1]-y0)*s];}
function ring(r){return r.map(function(p,i){var q=px(p);return (i?"L":"M")+q[0].toFixed(1)+" "+q[1].toFixed(1);}).join("");}
function el(n,a){var e=document.createElementNS(NS,n);for(var key in a)e.setAttribute(key,a[key]);return e;}
function tip(e,t){var ti=document.createElementNS(NS,"title");ti.textContent=t;e.appendChild(ti);return e;}
svg.setAttribute("viewBox","0 0 "+W+" "+H);
var gz=el("g",{}),gr=el("g",{}),zonesDrawn=0,drawn=0;svg.appendChild(gz);svg.appendChild(gr);
data.zones.forEach(function(z){
 var g=z.g,d="",shape;
 if(g.type==="Polygon"){d=g.coordinates.map(ring).join("Z")+"Z";}
 else if(g.type==="MultiPolygon"){d=g.coordinates.map(function(p){return p.map(ring).join("Z")+"Z";}).join("");}
 else if(g.type==="LineString"){d=ring(g.coordinates);}
 else if(g.type==="MultiLineString"){d=g.coordinates.map(ring).join("");}
 if(g.type==="Point"){var q=px(g.coordinates);shape=el("rect",{x:q[0]-2.5,y:q[1]-2.5,width:5,height:5});}
 else if(g.type==="MultiPoint"){d=g.coordinates.map(function(p){var q=px(p);return "M"+(q[0]-2)+" "+(q[1]-2)+"h4v4h-4Z";}).join("");}
 if(!shape){if(!d)return;shape=el("path",{d:d});}
 var line=g.type.indexOf("Line")>=0;
 shape.setAttribute("class","zone "+z.c);
 if(z.c!=="admin_area"){shape.setAttribute("fill",line?"none":z.f);if(line){shape.setAttribute("stroke",z.f);shape.setAttribute("stroke-width","3");}}
 gz.appendChild(tip(shape,z.t));zonesDrawn++;
});
var rows={};Array.prototype.forEach.call(document.querySelectorAll("#reports tbody tr"),function(tr){rows[tr.getAttribute("data-i")]=tr;});
var order=["violation","review","unchecked","exempt","ok","invalid"];
data.reports.map(function(r,i){return [r,i];}).sort(function(a,b){return order.indexOf(b[0][2])-order.indexOf(a[0][2]);}).forEach(function(ri){
 var r=ri[0],i=ri[1];if(r[0]===null)return;var q=px(r);
 var c=el("circle",{cx:q[0].toFixed(1),cy:q[1].toFixed(1),r:r[2]==="ok"?3.5:5,fill:data.colours[r[2]],"class":"rep"});
 c.setAttribute("data-i",String(i));
 c.addEventListener("click",function(){var tr=rows[String(i)];if(!tr)return;
  Array.prototype.forEach.call(document.querySelectorAll(".hl,.sel"),function(e){e.classList.remove("hl");e.classList.remove("sel");});
  tr.classList.add("hl");c.classList.add("sel");tr.scrollIntoView({block:"center"});});
 gr.appendChild(tip(c,r[3]));drawn++;
});
status.setAttribute("data-reports-drawn",String(drawn));
status.setAttribute("data-zones-drawn",String(zonesDrawn));
status.textContent=drawn+" "+data.labels.drawn;
var table=document.getElementById("reports"),tbody=table.tBodies[0];
var q=document.getElementById("q"),fs=document.getElementById("fstatus"),count=document.getElementById("shown");
function filter(){var t=q.value.toLowerCase(),st=fs.value,n=0;
 Array.prototype.forEach.call(tbody.rows,function(tr){var ok=(!st||tr.getAttribute("data-status")===st)&&(!t||tr.textContent.toLowerCase().indexOf(t)>=0);
  tr.hidden=!ok;if(ok)n++;});count.textContent=String(n);}
q.addEventListener("input",filter);fs.addEventListener("change",filter);
Array.prototype.forEach.call(table.tHead.rows[0].cells,function(th,col){th.addEventListener("click",function(){
 var asc=!th.classList.contains("asc");Array.prototype.forEach.call(table.tHead.rows[0].cells,function(h){h.classList.remove("asc");h.classList.remove("desc");});
 th.classList.add(asc?"asc":"desc");var num=th.getAttribute("data-num")==="1";
 var rs=Array.prototype.slice.call(tbody.rows);rs.sort(function(a,b){
  var x=a.cells[col].getAttribute("data-v"),y=b.cells[col].getAttribute("data-v");
  if(x===null)x=a.cells[col].textContent;if(y===null)y=b.cells[col].textContent;
  var r;if(num){x=x===""?Infinity:parseFloat(x);y=y===""?Infinity:parseFloat(y);r=x-y;}else{r=x.localeCompare(y,undefined,{numeric:true});}
  return asc?r:-r;});rs.forEach(function(tr){tbody.appendChild(tr);});});});
filter();
status.setAttribute("data-ready","1");
})();
""".strip()


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
    return "" if value is None or not math.isfinite(value) else f"{value:.{digits}f}"


def _round_geometry(geom: Any) -> dict[str, Any]:
    rounded = shapely.transform(geom, lambda xy: np.round(xy, 6))
    return json.loads(shapely.to_geojson(rounded))


def _map_data(run: Any, lang: str) -> dict[str, Any]:
    zones = run.zones
    zone_items = []
    order = sorted(range(len(zones)), key=lambda z: (zones.categories[z] != "admin_area", z))
    for z in order:
        geom = zones.geoms[z]
        if geom is None or shapely.is_empty(geom):
            continue
        cat = str(zones.categories[z])
        name = zones.names[z] or zones.ids[z]
        zone_items.append(
            {
                "c": cat,
                "f": CATEGORY_COLOURS.get(cat, "#d1c4e9"),
                "t": f"{name} ({texts_category(cat, lang)})",
                "g": _round_geometry(geom),
            }
        )
    reports = []
    codes = np.asarray(run.status_codes).tolist()
    lon, lat = run.reports.lon, run.reports.lat
    for i, rid in enumerate(run.reports.ids):
        x, y = float(lon[i]), float(lat[i])
        status = STATUSES[codes[i]]
        label = f"{rid}: {texts.status_label(lang, status)}"
        if math.isfinite(x) and math.isfinite(y):
            reports.append([round(x, 7), round(y, 7), status, label])
        else:
            reports.append([None, None, status, label])
    return {
        "zones": zone_items,
        "reports": reports,
        "colours": STATUS_COLOURS,
        "labels": {"drawn": texts.label(lang, "reports_drawn")},
    }


def texts_category(category: str, lang: str) -> str:
    """A zone category in words (from the engine's catalogue)."""
    from .. import i18n

    return i18n.category_label(category, lang)


def _counts_table(title: str, first: str, rows: dict[str, dict[str, int]], lang: str, empty: str) -> str:
    head = "".join(f"<th>{_e(texts.status_label(lang, s))}</th>" for s in STATUSES)
    out = [f"<h3>{_e(title)}</h3><table><thead><tr><th>{_e(first)}</th>"]
    out.append(f"<th>{_e(texts.label(lang, 'reports'))}</th>{head}</tr></thead><tbody>")
    for name, counts in rows.items():
        total = counts["reports"]
        cells = "".join(
            f'<td class="n">{counts[s]} <small>({_pct(counts[s], total)})</small></td>' for s in STATUSES
        )
        out.append(f'<tr><td>{_e(name or empty)}</td><td class="n">{total}</td>{cells}</tr>')
    out.append("</tbody></table>")
    return "".join(out)


def _pct(part: int, whole: int) -> str:
    return "–" if not whole else f"{100.0 * part / whole:.0f}%"


MAX_THUMBNAILS = 2000
"""Photo thumbnails one page embeds at most (about 5 KB each), for the findings first in order."""


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
                detail.append(f"{_e(texts.label(lang, key))}: {_num(value)}")
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


def render_html(run: Any, *, lang: str = "id", area_by: str = "auto") -> str:
    """The whole report page as one string."""
    L = lambda key: texts.label(lang, key)  # noqa: E731
    summary = run_summary_record(run, area_by)
    prov = run.provenance
    script = _JS
    script_hash = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    csp = f"default-src 'none'; script-src 'sha256-{script_hash}'; style-src 'unsafe-inline'; img-src data:"
    title = L("page_title")
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{_e(lang)}"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_e(csp)}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title)}</title><style>{_CSS}</style></head><body>",
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
        n = summary["by_status"].get(s, 0)
        parts.append(
            f'<tr><td><span class="st st-{s}">{_e(texts.status_label(lang, s))}</span></td>'
            f'<td class="n">{n}</td><td class="n">{_pct(n, total)}</td></tr>'
        )
    parts.append(
        f'<tr><th>{_e(L("reports"))}</th><th class="n">{total}</th><th class="n">100%</th></tr></tbody></table></section><section class="mapbox">'
    )
    # map
    legend = "".join(
        f'<span><i class="st-{s}"></i>{_e(texts.status_label(lang, s))}</span>' for s in STATUSES
    )
    no_coords = sum(
        1 for x, y in zip(run.reports.lon, run.reports.lat) if not (np.isfinite(x) and np.isfinite(y))
    )
    parts.append(
        f'<h2>{_e(L("map"))}</h2><p class="legend">{legend}'
        f'<output id="map-status" data-reports-drawn="0"></output></p>'
        f'<svg id="map" role="img" aria-label="{_e(L("map"))}"></svg>'
        f"<p><small>{_e(L('map_note'))} {no_coords} {_e(L('no_coords'))}.</small></p></section></div>"
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
            f'<td class="n">{counts["checked"]}</td>'
            + (
                f'<td class="n">{summary["coverage"].get(rid, {}).get("unchecked", 0)}</td>'
                if summary["gaps"]
                else ""
            )
            + f'<td class="n">{counts["violation"]}</td>'
            f'<td class="n">{counts["review"]}</td><td class="n">{counts.get("exempt", 0)}</td>'
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
    # table
    options = "".join(f'<option value="{s}">{_e(texts.status_label(lang, s))}</option>' for s in STATUSES)
    parts.append(
        f'<h2>{_e(L("findings"))}</h2><div class="controls"><label>{_e(L("filter"))} '
        f'<input id="q" type="search"></label><select id="fstatus"><option value="">{_e(L("all"))}</option>'
        f'{options}</select><span><span id="shown">{len(run.verdicts)}</span> / {len(run.verdicts)}</span>'
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
    parts.append("".join(f'<th data-num="{n}">{_e(h)}</th>' for h, n in heads))
    parts.append("</tr></thead><tbody>")
    rank = {s: n for n, s in enumerate(STATUSES)}
    shown = [0]  # thumbnails embedded so far
    for i, v in enumerate(run.verdicts):
        status_text, rule_ids, distance, zone, message = verdict_cells(v, lang)
        row = v.source.row if v.source else ""
        parts.append(
            f'<tr data-i="{i}" data-status="{v.status.value}"><td>{_e(v.report)}</td>'
            f'<td data-v="{rank[v.status.value]}"><span class="st st-{v.status.value}">{_e(status_text)}</span></td>'
            f'<td>{_e(rule_ids)}</td><td class="n" data-v="{_num(distance, 3)}">{_num(distance)}</td>'
            f"<td>{_e(zone)}</td><td>{_e(message)}</td><td>{_photo(run, i, v, shown)}{_evidence(v, lang)}</td>"
            f'<td class="n" data-v="{row}">{row}</td></tr>'
        )
    parts.append("</tbody></table></main>")
    parts.append(
        f"<footer>{_e(prov.ruleset_id)} sha256 {_e(prov.ruleset_sha256)} · "
        + " · ".join(f"{_e(a.name)}: {_e(a.crs)}" for a in prov.crs)
        + "</footer>"
    )
    parts.append(
        f'<script type="application/json" id="atribut-data">{_json_for_script(_map_data(run, lang))}</script>'
    )
    parts.append(f"<script>{script}</script></body></html>\n")
    return escape_surrogates("\n".join(parts))  # a page any UTF-8 encoder can write


@text_output
def write_html(run: Any, out: IO[str], *, lang: str = "id", area_by: str = "auto", **_: Any) -> None:
    """Write the HTML report page."""
    out.write(render_html(run, lang=lang, area_by=area_by))


__all__ = ["render_html", "write_html", "STATUS_COLOURS", "Status"]
