"""The readable table printed on a terminal: one line per report, then the summary."""

from __future__ import annotations

from typing import IO

LABELS = {
    "id": {
        "header": ("ID", "STATUS", "ATURAN", "JARAK_M", "ZONA", "PESAN"),
        "summary": "Ringkasan",
        "status": {"violation": "pelanggaran", "review": "perlu-cek", "ok": "ok", "invalid": "tidak-sah"},
        "reports": "laporan",
        "rule": "Aturan",
        "party": "Partai",
        "none": "(tanpa partai)",
    },
    "en": {
        "header": ("ID", "STATUS", "RULES", "DIST_M", "ZONE", "MESSAGE"),
        "summary": "Summary",
        "status": {"violation": "violation", "review": "review", "ok": "ok", "invalid": "invalid"},
        "reports": "reports",
        "rule": "Rule",
        "party": "Party",
        "none": "(no party)",
    },
}


def _clip(text: str, width: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1] + "…"


def write_table(run, out: IO[str], lang: str = "id") -> None:
    """Write one line per verdict and a summary below, in ``lang`` (``id`` or ``en``)."""
    labels = LABELS[lang]
    widths = (12, 12, 28, 8, 26)
    out.write(
        "  ".join(h.ljust(w) for h, w in zip(labels["header"], widths)) + "  " + labels["header"][5] + "\n"
    )
    for v in run.verdicts:
        status = labels["status"][v.status.value]
        if v.findings:
            rules = ",".join(f.rule for f in v.findings)
            first = next((f for f in v.findings if f.zone is not None), v.findings[0])
            dist = "" if first.distance_m is None else f"{first.distance_m:.2f}"
            zone = "" if first.zone is None else (first.zone.name or first.zone.id)
            message = "; ".join(f.message[lang] for f in v.findings)
        elif v.problems:
            rules, dist, zone = "", "", ""
            message = "; ".join(p.message[lang] for p in v.problems)
        else:
            rules = dist = zone = message = ""
        cells = (_clip(v.report, 12), status, _clip(rules, 28), dist, _clip(zone, 26))
        out.write(
            "  ".join(c.ljust(w) for c, w in zip(cells, widths)) + "  " + " ".join(message.split()) + "\n"
        )
    s = run.summary
    out.write(f"\n{labels['summary']}: {s.reports} {labels['reports']}; ")
    out.write(", ".join(f"{labels['status'][k]} {n}" for k, n in s.by_status.items()) + "\n")
    hits = {k: v for k, v in s.by_rule.items() if v["violation"] or v["review"]}
    if hits:
        out.write(f"{labels['rule']}:\n")
        for rule, counts in hits.items():
            out.write(
                f"  {rule:<30} {labels['status']['violation']} {counts['violation']}, {labels['status']['review']} {counts['review']}\n"
            )
    if s.by_party:
        out.write(
            f"{labels['party']} ({labels['reports']} = {' + '.join(labels['status'][k] for k in s.by_status)}):\n"
        )
        for party, counts in s.by_party.items():
            label = party or labels["none"]
            parts = ", ".join(f"{labels['status'][k]} {counts[k]}" for k in s.by_status)
            out.write(f"  {_clip(label, 30):<30} {labels['reports']} {counts['reports']}: {parts}\n")
