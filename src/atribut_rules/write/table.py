"""The readable table printed on a terminal: one line per report, then the summary."""

from __future__ import annotations

from typing import IO, Any

from . import texts
from .escape import terminal_text, text_output
from .records import run_summary_record, verdict_cells

LABELS = {
    "id": {
        "header": ("ID", "STATUS", "ATURAN", "JARAK_M", "ZONA", "PESAN"),
        "summary": "Ringkasan",
        "status": {
            "violation": "pelanggaran",
            "review": "perlu-cek",
            "unchecked": "belum-diperiksa",
            "exempt": "dikecualikan",
            "ok": "ok",
            "invalid": "tidak-sah",
        },
        "reports": "laporan",
        "rule": "Aturan",
        "party": "Partai",
        "none": "(tanpa partai)",
        "area": "Wilayah",
        "none_area": "(di luar wilayah)",
        "checked": "diperiksa",
    },
    "en": {
        "header": ("ID", "STATUS", "RULES", "DIST_M", "ZONE", "MESSAGE"),
        "summary": "Summary",
        "status": {
            "violation": "violation",
            "review": "review",
            "unchecked": "unchecked",
            "exempt": "exempt",
            "ok": "ok",
            "invalid": "invalid",
        },
        "reports": "reports",
        "rule": "Rule",
        "party": "Party",
        "none": "(no party)",
        "area": "Area",
        "none_area": "(outside every area)",
        "checked": "checked",
    },
}


def _clip(text: str, width: int) -> str:
    text = " ".join(terminal_text(str(text)).split())
    return text if len(text) <= width else text[: width - 1] + "…"


@text_output
def write_table(run: Any, out: IO[str], lang: str = "id", *, area_by: str = "auto", **_: Any) -> None:
    """Write one line per verdict and the summaries below, in ``lang`` (``id`` or ``en``).

    Distances and counts are written in the style of ``lang`` (``12,50`` and ``1.234`` in
    Indonesian, ``12.50`` and ``1,234`` in English)."""
    labels = LABELS[lang]
    widths = (12, 12, 28, 8, 26)
    out.write(
        "  ".join(h.ljust(w) for h, w in zip(labels["header"], widths)) + "  " + labels["header"][5] + "\n"
    )
    for v in run.verdicts:
        status, rules, distance, zone, message = verdict_cells(v, lang)
        dist = "" if distance is None else texts.number_text(distance, lang, 2)
        cells = (_clip(v.report, 12), status, _clip(rules, 28), dist, _clip(zone, 26))
        out.write("  ".join(c.ljust(w) for c, w in zip(cells, widths)) + "  " + terminal_text(message) + "\n")
    s = run_summary_record(run, area_by)
    n = lambda count: texts.number_text(count, lang)  # noqa: E731 - counts read in the locale of lang
    out.write(f"\n{labels['summary']}: {n(s['reports'])} {labels['reports']}; ")
    out.write(", ".join(f"{labels['status'][k]} {n(c)}" for k, c in s["by_status"].items()) + "\n")
    if s["gaps"]:  # a partial run: say what was not looked at before anything else
        out.write(terminal_text(texts.label(lang, "partial_banner")) + "\n")
        for gap in s["gaps"]:
            out.write("  - " + terminal_text(texts.gap_text(lang, gap)) + "\n")
        out.write(f"{texts.label(lang, 'coverage')}:\n")
        for rule, c in s["coverage"].items():
            if c["unchecked"]:
                out.write(
                    f"  {terminal_text(rule):<30} {labels['checked']} {n(c['checked'])}, "
                    f"{texts.label(lang, 'not_checked')} {n(c['unchecked'])} / {n(c['applicable'])}\n"
                )
    hits = {k: v for k, v in s["by_rule"].items() if v["violation"] or v["review"]}
    if hits:
        out.write(f"{labels['rule']}:\n")
        for rule, counts in hits.items():
            out.write(
                f"  {terminal_text(rule):<30} {labels['checked']} {n(counts['checked'])}: "
                f"{labels['status']['violation']} {n(counts['violation'])}, "
                f"{labels['status']['review']} {n(counts['review'])}\n"
            )
    groups = [(labels["party"], s["by_party"], labels["none"])]
    if s["by_area"]:
        groups.append((f"{labels['area']} ({s['area']['source']})", s["by_area"], labels["none_area"]))
    for title, rows, empty in groups:
        if not rows:
            continue
        out.write(
            f"{title} ({labels['reports']} = {' + '.join(labels['status'][k] for k in s['by_status'])}):\n"
        )
        for name, counts in rows.items():
            parts = ", ".join(f"{labels['status'][k]} {n(counts[k])}" for k in s["by_status"])
            out.write(
                f"  {_clip(name or empty, 30):<30} {labels['reports']} {n(counts['reports'])}: {parts}\n"
            )
