"""Words the writers print themselves, in Bahasa Indonesia (``id``) and English (``en``).

Rule titles and messages come from the rule files and engine texts from
:mod:`atribut_rules.i18n`; this module holds labels of tables, columns and pages.
"""

from __future__ import annotations

STATUS_LABELS: dict[str, dict[str, str]] = {
    "id": {
        "violation": "pelanggaran",
        "review": "perlu-cek",
        "unchecked": "belum-diperiksa",
        "exempt": "dikecualikan",
        "ok": "ok",
        "invalid": "tidak-sah",
    },
    "en": {
        "violation": "violation",
        "review": "review",
        "unchecked": "unchecked",
        "exempt": "exempt",
        "ok": "ok",
        "invalid": "invalid",
    },
}

LABELS: dict[str, dict[str, str]] = {
    "id": {
        "summary": "Ringkasan",
        "reports": "laporan",
        "checked": "diperiksa",
        "status": "Status",
        "rule": "Aturan",
        "party": "Partai",
        "area": "Wilayah",
        "none_party": "(tanpa partai)",
        "none_area": "(di luar wilayah)",
        "title": "Judul",
        "severity": "Tingkat",
        "legal_basis": "Dasar hukum",
        "count": "Jumlah",
        "share": "Persen",
        "map": "Peta",
        "findings": "Temuan",
        "evidence": "Bukti",
        "filter": "Saring",
        "all": "semua",
        "zone": "Zona",
        "distance": "Jarak",
        "distance_m": "Jarak (m)",
        "threshold_m": "Ambang (m)",
        "margin_m": "Selisih (m)",
        "accuracy_m": "Akurasi GPS (m)",
        "message": "Pesan",
        "source": "Sumber",
        "row": "baris",
        "ruleset": "Aturan yang dipakai",
        "engine": "Mesin",
        "page_title": "Laporan pemeriksaan APK",
        "map_note": "Peta digambar dari data di dalam berkas ini; tidak perlu internet.",
        "no_coords": "laporan tanpa koordinat tidak tampil di peta",
        "reports_drawn": "laporan digambar",
        "sort_hint": "Klik judul kolom untuk mengurutkan.",
        "legend": "Keterangan",
        "zones": "zona",
        "problem": "Masalah",
    },
    "en": {
        "summary": "Summary",
        "reports": "reports",
        "checked": "checked",
        "status": "Status",
        "rule": "Rule",
        "party": "Party",
        "area": "Area",
        "none_party": "(no party)",
        "none_area": "(outside every area)",
        "title": "Title",
        "severity": "Severity",
        "legal_basis": "Legal basis",
        "count": "Count",
        "share": "Percent",
        "map": "Map",
        "findings": "Findings",
        "evidence": "Evidence",
        "filter": "Filter",
        "all": "all",
        "zone": "Zone",
        "distance": "Distance",
        "distance_m": "Distance (m)",
        "threshold_m": "Threshold (m)",
        "margin_m": "Margin (m)",
        "accuracy_m": "GPS accuracy (m)",
        "message": "Message",
        "source": "Source",
        "row": "row",
        "ruleset": "Rule set",
        "engine": "Engine",
        "page_title": "Campaign attribute check report",
        "map_note": "The map is drawn from data inside this file; no internet needed.",
        "no_coords": "reports without coordinates are not on the map",
        "reports_drawn": "reports drawn",
        "sort_hint": "Click a column heading to sort.",
        "legend": "Legend",
        "zones": "zones",
        "problem": "Problem",
    },
}

SHEET_COLUMNS: dict[str, tuple[str, str, str, str, str]] = {
    "id": ("status", "aturan", "jarak_m", "zona", "pesan"),
    "en": ("status", "rules", "distance_m", "zone", "message"),
}
"""Names of the verdict columns appended to the officer's sheet (CSV, XLSX)."""

SEVERITY_LABELS: dict[str, dict[str, str]] = {
    "id": {"error": "berat", "warning": "sedang", "info": "info"},
    "en": {"error": "error", "warning": "warning", "info": "info"},
}


def label(lang: str, key: str) -> str:
    """The label ``key`` in ``lang`` (falls back to Indonesian)."""
    return LABELS.get(lang, LABELS["id"])[key]


def status_label(lang: str, status: str) -> str:
    """A verdict status in words."""
    return STATUS_LABELS.get(lang, STATUS_LABELS["id"])[status]
