"""Words the writers print themselves, in Bahasa Indonesia (``id``) and English (``en``).

Rule titles and messages come from the rule files and engine texts from
:mod:`atribut_rules.i18n`; this module holds labels of tables, columns and pages.
"""

from __future__ import annotations

from ..i18n import category_label

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
        "unchecked_rules": "belum diperiksa: {rules} (lapisan zona atau kolom yang dibutuhkan tidak dimuat)",
        "partial_banner": "Pemeriksaan sebagian: aturan berikut tidak dapat diperiksa, dan laporan yang "
        "hanya terkena aturan itu berstatus belum-diperiksa, bukan ok.",
        "gap_zone_category": "tidak ada lapisan zona kategori {name}",
        "gap_zone": "tidak ada zona dengan id {name}",
        "gap_field": "daftar laporan tidak punya kolom {name}",
        "gap_rules": "dibutuhkan oleh {rules}",
        "coverage": "Cakupan",
        "not_checked": "tidak diperiksa",
        "download": "Unduh semua {count} laporan (CSV)",
        "download_wait": "menyiapkan unduhan…",
        "download_unsupported": "peramban ini tidak dapat membuka unduhan; pakai --output csv:BERKAS",
        "table_note": "Tabel memuat {shown} dari {action} laporan yang perlu tindakan ({statuses}); "
        "{others} laporan lain ({rest}) hanya ada di unduhan CSV, yang memuat setiap laporan.",
        "table_capped": "Hanya {shown} pertama yang ditampilkan, berurutan menurut status lalu baris.",
        "cluster": "{count} laporan",
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
        "unchecked_rules": "not checked: {rules} (a zone layer or column they need was not loaded)",
        "partial_banner": "Partial check: the rules below could not be evaluated, and reports that only "
        "they could flag are unchecked, not ok.",
        "gap_zone_category": "no zone layer of category {name}",
        "gap_zone": "no zone with id {name}",
        "gap_field": "the reports have no column {name}",
        "gap_rules": "needed by {rules}",
        "coverage": "Coverage",
        "not_checked": "not checked",
        "download": "Download all {count} reports (CSV)",
        "download_wait": "preparing the download…",
        "download_unsupported": "this browser cannot open the download; use --output csv:FILE",
        "table_note": "The table holds {shown} of the {action} reports that need action ({statuses}); "
        "the {others} others ({rest}) are only in the CSV download, which holds every report.",
        "table_capped": "Only the first {shown} are shown, in order of status, then row.",
        "cluster": "{count} reports",
    },
}

SHEET_COLUMNS: dict[str, tuple[str, ...]] = {
    "id": ("status", "aturan", "jarak_m", "zona", "pesan", "belum_diperiksa"),
    "en": ("status", "rules", "distance_m", "zone", "message", "unchecked"),
}
"""Names of the verdict columns appended to the officer's sheet (CSV, XLSX)."""

SEVERITY_LABELS: dict[str, dict[str, str]] = {
    "id": {"error": "berat", "warning": "sedang", "info": "info"},
    "en": {"error": "error", "warning": "warning", "info": "info"},
}


def number_text(value: float, lang: str, digits: int = 0) -> str:
    """A number for people to read, in the style of ``lang``: ``1.234,5`` (id) or ``1,234.5`` (en).

    Machine formats (JSON, GeoJSON, SARIF, JUnit, JSON Lines) never use this: they keep
    plain numbers.
    """
    text = f"{value + 0:,.{digits}f}"
    if lang == "en":
        return text
    return text.translate(_SWAP_MARKS)


_SWAP_MARKS = str.maketrans({",": ".", ".": ","})


def label(lang: str, key: str) -> str:
    """The label ``key`` in ``lang`` (falls back to Indonesian)."""
    return LABELS.get(lang, LABELS["id"])[key]


def unchecked_text(lang: str, rule_ids: tuple[str, ...] | list[str]) -> str:
    """The sentence saying which rules could not be checked for a report ("" when none)."""
    return label(lang, "unchecked_rules").format(rules=", ".join(rule_ids)) if rule_ids else ""


def gap_text(lang: str, gap: dict) -> str:
    """One gap of a partial run (a ``summary.gaps`` record) in words: what is missing, who needs it."""
    name = gap["name"]
    if gap["kind"] == "zone_category":
        words = category_label(name, lang)
        name = f"{words} ({name})" if words and words != name else name
    what = label(lang, f"gap_{gap['kind']}").format(name=name)
    return f"{what}; {label(lang, 'gap_rules').format(rules=', '.join(gap['rules']))}"


def status_label(lang: str, status: str) -> str:
    """A verdict status in words."""
    return STATUS_LABELS.get(lang, STATUS_LABELS["id"])[status]
