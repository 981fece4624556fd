"""Message catalogue for texts the engine writes itself (Bahasa Indonesia and English).

Rule messages come from the rule files; this catalogue holds the engine's own
words: why a row is invalid, why a finding is in review, and every error, warning and
line the command line writes on stderr (:data:`~atribut_rules.i18n_errors.ERROR_TEXTS`,
carried on errors as :class:`~atribut_rules.errors.Text`). ``LANGUAGES`` lists the
languages every text is available in; ``id`` is the default.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from typing import Any

from .i18n_errors import ERROR_TEXTS

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
    "no_position": {
        "id": "tidak ada posisi yang bisa dipakai: {detail}",
        "en": "no usable position: {detail}",
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

CATALOGUE.update(ERROR_TEXTS)

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
    "intersection": {"id": "persimpangan jalan", "en": "road intersection"},
    "kecamatan": {"id": "kecamatan", "en": "kecamatan"},
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


def text_in(code: str, lang: str, params: Mapping[str, object]) -> str:
    """Catalogue entry ``code`` in ``lang`` (English when the entry lacks that language),
    filled with ``params``."""
    entry = CATALOGUE[code]
    return (entry.get(lang) or entry["en"]).format(**params)


# -- message templates of rule files ----------------------------------------------------

MISSING_WORDS: dict[str, dict[str, str]] = {
    "id": {"id": "tanpa id", "en": "no id"},
    "type": {"id": "atribut tanpa jenis", "en": "attribute of unknown type"},
    "party": {"id": "tanpa partai", "en": "no party"},
    "candidate": {"id": "tanpa calon", "en": "no candidate"},
    "mounted_on": {"id": "media yang tidak disebut", "en": "an unstated support"},
    "observed_at": {"id": "tanpa tanggal", "en": "no date"},
    "zone_id": {"id": "tanpa id zona", "en": "no zone id"},
    "zone_name": {"id": "tanpa nama", "en": "unnamed"},
    "category": {"id": "zona tanpa kategori", "en": "zone of unknown category"},
    "period": {"id": "tanpa periode", "en": "no period"},
    "group": {"id": "tanpa kelompok", "en": "no group"},
    "other_report": {"id": "laporan lain", "en": "another report"},
    "duplicate_of": {"id": "tanpa laporan asal", "en": "no first report"},
    "permit": {"id": "tanpa izin", "en": "no permit"},
    "rule": {"id": "tanpa aturan", "en": "no rule"},
}
"""What a message says in place of a value it lacks, per placeholder and language."""

NUMBER_MISSING = {"id": "tidak diketahui", "en": "unknown"}
"""The words for a number a message lacks (its unit after it is left out too)."""

OTHER_MISSING = {"id": "tidak diisi", "en": "not given"}
"""The words for any other missing value (extra columns of the report)."""

NUMBER_PLACEHOLDERS = frozenset(
    {"distance_m", "threshold_m", "margin_m", "width_m", "height_m", "area_m2", "accuracy_m", "min_m",
     "count", "max", "rank"}
)  # fmt: skip
"""Placeholders that stand for numbers: missing, they read as :data:`NUMBER_MISSING`."""

_UNIT_AFTER = re.compile(r" (?:m²|m2|m|cm|km|%)(?![\w²])")
_DISTANCE_UNIT = re.compile(r"\{distance_m\} m(?![\w²])")
_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
_SEPARATOR = re.compile(r"[,;]\s")
_UNTIDY = re.compile(
    r"(?P<before>\s+(?=[,;:.!?)]))|(?P<after>(?<=\()\s+)|(?P<empty>\(\s*\))|(?P<spaces>\s{2,})"
)


def missing_text(name: str, lang: str) -> str:
    """The words a message uses for placeholder ``name`` when the value is missing."""
    words = MISSING_WORDS.get(name) or (NUMBER_MISSING if name in NUMBER_PLACEHOLDERS else OTHER_MISSING)
    return words.get(lang) or words[DEFAULT_LANGUAGE]


def _decimal(value: float, lang: str) -> str:
    """Two decimals, with the language's marks: ``1.234,50`` (id), ``1,234.50`` (en)."""
    text = f"{value:,.2f}"
    return text.translate(_ID_MARKS) if lang == "id" else text


_ID_MARKS = str.maketrans({",": ".", ".": ","})


def distance_text(value: float, lang: str) -> str:
    """A distance in metres for a text people read, with its unit: ``12,50 m``.

    A negative distance is a report inside the zone, as deep as its absolute value:
    ``di dalam zona, 2,00 m dari tepi`` / ``inside the zone, 2.00 m from its edge``.
    """
    if value < 0:
        depth = _decimal(-value, lang)
        return (
            f"di dalam zona, {depth} m dari tepi"
            if lang == "id"
            else f"inside the zone, {depth} m from its edge"
        )
    return f"{_decimal(value + 0.0, lang)} m"


@functools.lru_cache(maxsize=1024)
def message_template(text: str) -> str:
    """A rule's message as it is rendered: ``{distance_m}`` brings its own unit (see
    :func:`distance_text`), so a `` m`` written after it is not repeated."""
    return _DISTANCE_UNIT.sub("{distance_m}", text)


def tidy(text: str) -> str:
    """``text`` without double spaces, spaces before punctuation or after ``(``, empty
    ``()`` and spaces at either end."""
    if _UNTIDY.search(text) is None and text == text.strip():
        return text
    for _ in range(3):  # removing one mark may bring two others together
        text = _UNTIDY.sub(_tidied, text)
    return text.strip()


_LEADING_MARKS = frozenset(",;:.!?)")


def clean_value(text: str) -> bool:
    """Whether ``text`` can stand for a placeholder of a tidy template without making the
    message untidy: it is tidy itself (:func:`tidy` leaves it as it is), starts with no
    mark that wants no space before it and does not end with ``(``. A template that is
    tidy with every placeholder filled by a letter stays tidy filled with clean values,
    so such messages need no :func:`tidy` of their own (it costs a regular-expression
    search per message)."""
    return bool(text) and text[0] not in _LEADING_MARKS and text[-1] != "(" and tidy(text) == text


def tidy_template(template: str, names: int) -> bool:
    """Whether the ``str.format`` ``template`` with ``names`` numbered fields is tidy with a
    letter in every field (see :func:`clean_value`)."""
    filled = template.format(*["x"] * names)
    return tidy(filled) == filled


def _tidied(match: re.Match[str]) -> str:
    return " " if match.lastgroup == "spaces" else ""


@functools.lru_cache(maxsize=1024)
def _parse(template: str) -> tuple[Any, ...]:
    """``template`` split into literal text, ``(name,)`` placeholders and ``[...]`` groups in
    parentheses (an unmatched parenthesis stays literal text)."""
    root: list[Any] = []
    stack = [root]
    for k, piece in enumerate(_PLACEHOLDER.split(template)):
        if k % 2:
            stack[-1].append((piece,))
            continue
        start = 0
        for i, ch in enumerate(piece):
            if ch == "(":
                stack[-1].append(piece[start:i])
                stack.append([])
                start = i + 1
            elif ch == ")" and len(stack) > 1:
                stack[-1].append(piece[start:i])
                group = stack.pop()
                stack[-1].append(group)
                start = i + 1
        stack[-1].append(piece[start:])
    while len(stack) > 1:  # unclosed: the "(" was literal
        group = stack.pop()
        stack[-1].extend(["(", *group])
    return tuple(root)


def _names(parts: Any) -> list[str]:
    out: list[str] = []
    for p in parts:
        if isinstance(p, tuple):
            out.append(p[0])
        elif isinstance(p, list):
            out += _names(p)
    return out


def _clauses(parts: Any) -> list[list[Any]]:
    """``parts`` cut where a literal holds ``, `` or ``; `` (the separator starts the next clause)."""
    clauses: list[list[Any]] = [[]]
    for p in parts:
        if not isinstance(p, str):
            clauses[-1].append(p)
            continue
        start = 0
        for m in _SEPARATOR.finditer(p):
            clauses[-1].append(p[start : m.start()])
            clauses.append([])
            start = m.start()
        clauses[-1].append(p[start:])
    return clauses


def _render(parts: Any, values: Mapping[str, Any], lang: str) -> str:
    out: list[str] = []
    for c, clause in enumerate(_clauses(parts)):
        names = _names(clause)
        if c and names and all(values.get(n) is None for n in names):
            continue  # a ", ..." clause of missing values only
        drop_unit = False
        for p in clause:
            if isinstance(p, str):
                unit = _UNIT_AFTER.match(p) if drop_unit else None
                if unit is not None:
                    p = p[unit.end() :]
                out.append(p)
                drop_unit = False
            elif isinstance(p, tuple):
                value = values.get(p[0])
                if value is None:
                    out.append(missing_text(p[0], lang))
                    drop_unit = p[0] in NUMBER_PLACEHOLDERS
                else:
                    out.append(str(value))
                    drop_unit = False
            else:
                inner = _names(p)
                if inner and all(values.get(n) is None for n in inner):
                    drop_unit = False
                    continue  # a parenthesised clause of missing values only
                out.append("(" + _render(p, values, lang) + ")")
                drop_unit = False
    return "".join(out)


def fill(template: str, values: Mapping[str, Any], lang: str) -> str:
    """A rule's message ``template`` with its ``{name}`` placeholders filled from ``values``.

    A value that is None (or empty text) is missing. A parenthesised clause, or a clause
    that starts at ``, `` or ``; `` and runs to the next of them or to the end of its
    parentheses, is left out, separator included, when it names placeholders and every
    one of them is missing. Any other missing value reads as words
    (:func:`missing_text`), and a unit written after a missing number (`` m``, `` m²``,
    `` cm``, `` km``, `` %``) goes with it. The text is then :func:`tidy`.
    """
    values = {
        k: (None if v is None or (isinstance(v, str) and not v.strip()) else v) for k, v in values.items()
    }
    return tidy(_render(_parse(message_template(template)), values, lang))
