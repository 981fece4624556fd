"""Message catalogue for texts the engine writes itself (Bahasa Indonesia and English).

Rule messages come from the rule files; this catalogue holds the engine's own
words: why a row is invalid, why a finding is in review. ``LANGUAGES`` lists the
languages every text is available in; ``id`` is the default.
"""

from __future__ import annotations

LANGUAGES = ("id", "en")
DEFAULT_LANGUAGE = "id"

# code -> {lang: template}; templates use str.format with the names shown.
CATALOGUE: dict[str, dict[str, str]] = {
    "missing": {
        "id": "kolom {field} kosong; isi {expected}",
        "en": "{field} is empty; fill in {expected}",
    },
    "not_number": {
        "id": "kolom {field}: {value!r} bukan angka; tulis {expected}",
        "en": "{field}: {value!r} is not a number; write {expected}",
    },
    "not_finite": {
        "id": "kolom {field}: {value!r} bukan angka terhingga; tulis {expected}",
        "en": "{field}: {value!r} is not a finite number; write {expected}",
    },
    "dms": {
        "id": "kolom {field}: {value!r} tampak seperti derajat-menit-detik; tulis derajat desimal, misalnya {expected}",
        "en": "{field}: {value!r} looks like degrees-minutes-seconds; write decimal degrees, e.g. {expected}",
    },
    "out_of_range": {
        "id": "kolom {field}: {value!r} di luar rentang {expected}",
        "en": "{field}: {value!r} is outside {expected}",
    },
    "swapped": {
        "id": "lintang {lat!r} dan bujur {lon!r} tampak tertukar; mungkin maksudnya lintang {lon!r}, bujur {lat!r}. Perbaiki baris ini; koordinat tidak dibalik otomatis",
        "en": "latitude {lat!r} and longitude {lon!r} look swapped; did you mean latitude {lon!r}, longitude {lat!r}? Fix the row; coordinates are never flipped automatically",
    },
    "negative": {
        "id": "kolom {field}: {value!r} negatif; tulis angka 0 atau lebih",
        "en": "{field}: {value!r} is negative; write a number of 0 or more",
    },
    "bad_date": {
        "id": "kolom {field}: {value!r} bukan tanggal; tulis YYYY-MM-DD (atau DD/MM/YYYY)",
        "en": "{field}: {value!r} is not a date; write YYYY-MM-DD (or DD/MM/YYYY)",
    },
    "duplicate_id": {
        "id": "id {value!r} sudah dipakai di baris {first}; beri id yang unik",
        "en": "id {value!r} is already used at row {first}; give each report its own id",
    },
    "bad_row": {
        "id": "baris tidak terbaca: {detail}",
        "en": "row cannot be read: {detail}",
    },
    "not_text": {
        "id": "kolom {field} bukan teks Unicode yang sah (berisi separuh pasangan surrogate, mis. \\ud800); tulis ulang teksnya",
        "en": "{field} is not valid Unicode text (it holds half of a surrogate pair, e.g. \\ud800); write the text again",
    },
    "bad_cell": {
        "id": "sel {cell} tidak terbaca: {detail}; simpan ulang lembar kerjanya",
        "en": "cell {cell} cannot be read: {detail}; save the sheet again",
    },
    "ragged": {
        "id": "baris berisi {found} kolom, sedangkan header {expected} kolom; periksa pemisah dan tanda kutip",
        "en": "row has {found} fields but the header has {expected}; check separators and quotes",
    },
    "not_point": {
        "id": "geometri {value!r} tidak didukung; laporan harus berupa Point",
        "en": "geometry {value!r} is not supported; a report must be a Point",
    },
    "too_long": {
        "id": "kolom {field} terlalu panjang ({found} karakter, maksimum {expected})",
        "en": "{field} is too long ({found} characters, at most {expected})",
    },
    "far_swapped": {
        "id": "titik ({lat!r}, {lon!r}) jauh dari semua zona, sedangkan kebalikannya berada di wilayah data; lintang dan bujur tampak tertukar. Perbaiki baris ini",
        "en": "point ({lat!r}, {lon!r}) is far from every zone while the reverse lies inside the data's area; latitude and longitude look swapped. Fix the row",
    },
    "permit_exempts": {
        "id": "dikecualikan oleh izin {permit} (berlaku {span}; {reason})",
        "en": "exempted by permit {permit} (valid {span}; {reason})",
    },
    "permit_not_valid": {
        "id": "izin {permit} berlaku {span}, tidak pada tanggal pengamatan {observed_at}, jadi tidak mengecualikan",
        "en": "permit {permit} is valid {span}, not on the observation date {observed_at}, so it does not exempt",
    },
    "permit_undated": {
        "id": "izin {permit} (berlaku {span}) tidak dapat diterapkan karena tanggal pengamatan kosong",
        "en": "permit {permit} (valid {span}) cannot be applied because the observation date is missing",
    },
    # review reasons
    "gps_straddles": {
        "id": "akurasi GPS {accuracy_m} m ({accuracy_source}) melewati ambang; perlu dicek di lapangan",
        "en": "GPS accuracy of {accuracy_m} m ({accuracy_source}) straddles the threshold; check on site",
    },
    "date_missing": {
        "id": "tanggal pengamatan kosong; periode tidak dapat ditentukan",
        "en": "observation date is missing; the period cannot be decided",
    },
}

ACCURACY_SOURCE = {
    "reported": {"id": "dilaporkan", "en": "reported"},
    "assumed": {"id": "diasumsikan", "en": "assumed"},
}


CATEGORY_LABELS: dict[str, dict[str, str]] = {
    "admin_area": {"id": "wilayah administrasi", "en": "administrative area"},
    "bridge": {"id": "jembatan", "en": "bridge"},
    "designated_site": {"id": "lokasi yang ditetapkan", "en": "designated site"},
    "government": {"id": "gedung/fasilitas pemerintah", "en": "government building or facility"},
    "health": {"id": "fasilitas kesehatan", "en": "health facility"},
    "park": {"id": "taman", "en": "park"},
    "place_of_worship": {"id": "tempat ibadah", "en": "place of worship"},
    "pole": {"id": "tiang", "en": "pole"},
    "public_facility": {"id": "sarana/prasarana publik", "en": "public facility"},
    "road": {"id": "jalan", "en": "road"},
    "school": {"id": "tempat pendidikan", "en": "education site"},
    "tree": {"id": "pohon", "en": "tree"},
}


def category_label(category: str, lang: str) -> str:
    """A zone category in words; unknown categories are shown as written."""
    return CATEGORY_LABELS.get(category, {}).get(lang, category)


def render(code: str, **params: object) -> dict[str, str]:
    """Render catalogue entry ``code`` in every language, as ``{lang: text}``.

    A parameter given as ``{lang: text}`` is taken in each language.
    """
    entry = CATALOGUE[code]
    out = {}
    for lang in LANGUAGES:
        local = {k: (v[lang] if isinstance(v, dict) and lang in v else v) for k, v in params.items()}
        out[lang] = entry[lang].format(**local)
    return out
