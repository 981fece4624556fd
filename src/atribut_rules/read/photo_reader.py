"""Photos as reports: a folder, or a zip, of JPEG (and, with pillow-heif, HEIC) photos
whose EXIF says where and when each was taken. Read through Pillow (extra ``photos``).

One photo is one report, in the order of their paths (sorted, sub-folders included);
the path, relative to the folder or zip, is the report id. From the EXIF GPS block:
``GPSLatitude``/``GPSLatitudeRef`` and ``GPSLongitude``/``GPSLongitudeRef`` give the
position (a missing hemisphere reference is never guessed: in Indonesia the equator
runs through the map), ``GPSHPositioningError`` gives ``accuracy_m``; ``DateTimeOriginal``
with ``OffsetTimeOriginal`` gives ``observed_at``. A photo without a usable position (no
GPS block, a missing reference, 0,0, unreadable numbers) or that cannot be opened is an
``invalid`` row naming the file and what is missing. Files that are not photos (by their
extension: anything but .jpg, .jpeg, .jpe, .heic, .heif) are skipped, and so are hidden
files (``.DS_Store``, ``._x.jpg``).

Photos are only read, never modified: each is read into memory through
:mod:`~atribut_rules.read.inputfiles` (regular files only, at most ``max_photo_bytes``) and
Pillow reads its header and EXIF from those bytes, without decoding the pixels.
"""

from __future__ import annotations

import base64
import hashlib
import io
import math
import os
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .. import i18n
from ..errors import InputError, MissingExtraError, Text
from ..model import Problem
from ..table.reports import DEFAULT_MAX_FIELD_CHARS, Reports
from .gis import check_zip
from .gis_reader import records_table
from .inputfiles import read_input

PHOTO_SUFFIXES = (".jpg", ".jpeg", ".jpe", ".heic", ".heif")
MAX_PHOTOS = 100_000
"""Photos one folder or zip may hold."""
DEFAULT_MAX_PHOTO_BYTES = 64 * 1024**2
"""Bytes one photo may have."""
DEFAULT_MAX_UNZIPPED_BYTES = 2 * 1024**3

_GPS_IFD, _EXIF_IFD = 0x8825, 0x8769
_LAT_REF, _LAT, _LON_REF, _LON, _H_ERROR = 1, 2, 3, 4, 31
_DATETIME_ORIGINAL, _OFFSET_ORIGINAL = 0x9003, 0x9011


def _pillow() -> Any:
    try:
        from PIL import Image
    except ImportError:
        raise MissingExtraError(
            Text("photos.reading_photos_needs_pillow"), hint=Text("photos.install_pip_install_atribut_hint")
        ) from None
    try:  # HEIC/HEIF photos, when pillow-heif is installed
        from pillow_heif import register_heif_opener

        register_heif_opener()
    except ImportError:
        pass
    return Image


def _is_photo(name: str) -> bool:
    base = name.rsplit("/", 1)[-1]
    return not base.startswith(".") and Path(base).suffix.lower() in PHOTO_SUFFIXES


def _folder_photos(folder: Path, max_photo_bytes: int) -> Iterator[tuple[str, bytes | Problem]]:
    names = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for f in files:
            rel = Path(root, f).relative_to(folder).as_posix()
            if _is_photo(rel):
                names.append(rel)
                if len(names) > MAX_PHOTOS:
                    raise InputError(
                        Text("photos.folder_holds_more_than", max_photos=MAX_PHOTOS),
                        file=str(folder),
                        hint=Text("photos.split_hint"),
                    )
    for rel in sorted(names):
        try:
            yield rel, read_input(folder / rel, what="photo", name=rel, max_bytes=max_photo_bytes)
        except InputError as exc:
            yield rel, _unreadable(rel, {"id": exc.message_in("id"), "en": exc.message})


def _zip_photos(
    data: bytes, file: str, max_photo_bytes: int, max_unzipped_bytes: int
) -> Iterator[tuple[str, bytes | Problem]]:
    check_zip(data, file=file, error=InputError, max_unzipped_bytes=max_unzipped_bytes)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos = sorted(
            (i for i in archive.infolist() if not i.is_dir() and _is_photo(i.filename)),
            key=lambda i: i.filename,
        )
        if len(infos) > MAX_PHOTOS:
            raise InputError(
                Text("photos.zip_holds_more_than", max_photos=MAX_PHOTOS),
                file=file,
                hint=Text("photos.split_hint"),
            )
        for info in infos:
            if info.file_size > max_photo_bytes:
                yield (
                    info.filename,
                    _unreadable(info.filename, f"{info.file_size} bytes, more than {max_photo_bytes}"),
                )
                continue
            yield info.filename, archive.read(info)


def _unreadable(name: str, why: str | dict[str, str]) -> Problem:
    """A photo that cannot be read; ``why`` in words (one text, or one per language)."""
    why_id, why_en = (why["id"], why["en"]) if isinstance(why, dict) else (why, why)
    detail = {
        "id": f"foto {name!r} tidak terbaca ({why_id})",
        "en": f"photo {name!r} cannot be read ({why_en})",
    }
    return Problem("no_position", "lat", None, i18n.render("no_position", detail=detail))


def _missing(name: str, what_id: str, what_en: str) -> Problem:
    detail = {"id": f"foto {name!r}: {what_id}", "en": f"photo {name!r}: {what_en}"}
    return Problem("no_position", "lat", None, i18n.render("no_position", detail=detail))


def _ratio(value: Any) -> float:
    """An EXIF rational as a float (NaN when it cannot be one: a zero denominator, text)."""
    try:
        number = float(value)
    except (TypeError, ValueError, ZeroDivisionError, OverflowError):
        return math.nan
    return number if math.isfinite(number) else math.nan


def _degrees(value: Any) -> float:
    """Degrees from EXIF's (degrees, minutes, seconds); NaN when unreadable."""
    if not isinstance(value, (tuple, list)) or not 1 <= len(value) <= 3:
        return math.nan
    parts = [_ratio(v) for v in value] + [0.0, 0.0]
    d, m, s = parts[:3]
    if any(math.isnan(x) or x < 0 for x in (d, m, s)) or m > 60 or s > 60:
        return math.nan
    return d + m / 60 + s / 3600


def _ref(value: Any) -> str:
    if isinstance(value, bytes):
        value = value.decode("ascii", "replace")
    return str(value).strip("\x00 ").upper() if value is not None else ""


THUMBNAIL_PX = 160
"""Longest side of the thumbnail the HTML report shows beside a photo's findings."""


def thumbnail(image: Any) -> str | None:
    """A small JPEG of ``image`` (turned as its EXIF says) as a ``data:`` URI, or None when
    Pillow cannot make one. The photo itself is never changed."""
    try:
        from PIL import ImageOps

        small = ImageOps.exif_transpose(image).convert("RGB")
        small.thumbnail((THUMBNAIL_PX, THUMBNAIL_PX))
        out = io.BytesIO()
        small.save(out, format="JPEG", quality=70)
    except Exception:  # a thumbnail is a courtesy: a photo Pillow reads but cannot shrink has none
        return None
    return "data:image/jpeg;base64," + base64.b64encode(out.getvalue()).decode("ascii")


def photo_record(
    name: str, data: bytes, Image: Any, thumbnails: list[str | None] | None = None
) -> tuple[dict[str, Any], list[Problem]]:
    """The record and problems of one photo's bytes; its thumbnail appended to ``thumbnails``
    when given (None when it has none)."""
    record: dict[str, Any] = {"id": name, "lat": None, "lon": None, "observed_at": None, "accuracy_m": None}
    try:
        with Image.open(io.BytesIO(data)) as image:
            exif = image.getexif()
            gps = dict(exif.get_ifd(_GPS_IFD))
            sub = dict(exif.get_ifd(_EXIF_IFD))
            if thumbnails is not None:
                thumbnails.append(thumbnail(image))
    except Exception as exc:  # Pillow raises UnidentifiedImageError, SyntaxError, struct errors ...
        if type(exc).__name__ == "UnidentifiedImageError":
            why = "not an image Pillow can read"
        else:
            why = f"{type(exc).__name__}: {str(exc)[:120]}"
        if Path(name).suffix.lower() in (".heic", ".heif"):
            why += "; HEIC photos need pillow-heif (pip install pillow-heif)"
        return record, [_unreadable(name, why)]
    taken = sub.get(_DATETIME_ORIGINAL)
    if isinstance(taken, str) and len(taken) >= 19 and taken[4] == ":" and taken[7] == ":":
        stamp = taken[:10].replace(":", "-") + "T" + taken[11:19]
        offset = sub.get(_OFFSET_ORIGINAL)
        if isinstance(offset, str) and len(offset.strip("\x00 ")) == 6:
            stamp += offset.strip("\x00 ")
        record["observed_at"] = stamp
    error = _ratio(gps.get(_H_ERROR)) if _H_ERROR in gps else math.nan
    if not math.isnan(error):
        record["accuracy_m"] = error
    if not gps:
        return record, [_missing(name, "EXIF-nya tidak berisi data GPS", "no GPS data in its EXIF")]
    missing = [
        label
        for tag, label in (
            (_LAT, "GPSLatitude"),
            (_LAT_REF, "GPSLatitudeRef"),
            (_LON, "GPSLongitude"),
            (_LON_REF, "GPSLongitudeRef"),
        )
        if tag not in gps
    ]
    if missing:
        return record, [
            _missing(name, "EXIF tanpa " + ", ".join(missing), "EXIF without " + ", ".join(missing))
        ]
    lat, lon = _degrees(gps[_LAT]), _degrees(gps[_LON])
    lat_ref, lon_ref = _ref(gps[_LAT_REF]), _ref(gps[_LON_REF])
    bad = [
        label
        for label, ok in (
            ("GPSLatitude", not math.isnan(lat)),
            ("GPSLongitude", not math.isnan(lon)),
            ("GPSLatitudeRef", lat_ref in ("N", "S")),
            ("GPSLongitudeRef", lon_ref in ("E", "W")),
        )
        if not ok
    ]
    if bad:
        return record, [
            _missing(name, "EXIF tidak terbaca: " + ", ".join(bad), "unreadable EXIF: " + ", ".join(bad))
        ]
    if lat == 0 and lon == 0:
        return record, [_missing(name, "GPS di 0,0 (belum dapat sinyal)", "GPS at 0,0 (no fix)")]
    record["lat"] = -lat if lat_ref == "S" else lat
    record["lon"] = -lon if lon_ref == "W" else lon
    return record, []


def read_photo_reports(
    path: str | os.PathLike[str],
    *,
    file: str | None = None,
    max_photo_bytes: int = DEFAULT_MAX_PHOTO_BYTES,
    max_file_bytes: int = 2 * 1024**3,
    max_unzipped_bytes: int = DEFAULT_MAX_UNZIPPED_BYTES,
    max_field_chars: int = DEFAULT_MAX_FIELD_CHARS,
) -> Reports:
    """Read a folder (or a ``.zip``) of photos into a :class:`Reports` table."""
    Image = _pillow()
    p = Path(path)
    label = str(path) if file is None else file
    if p.is_dir():
        photos = _folder_photos(p, max_photo_bytes)
    else:
        data = read_input(p, what="photos zip", name=label, max_bytes=max_file_bytes)
        photos = _zip_photos(data, label, max_photo_bytes, max_unzipped_bytes)
    rows: list[tuple[int, dict[str, Any]]] = []
    problems: dict[int, list[Problem]] = {}
    thumbnails: dict[int, str] = {}
    thumbs: list[str | None] = []
    digest = hashlib.sha256()
    for name, data_or_problem in photos:
        if isinstance(data_or_problem, bytes):
            digest.update(
                name.encode("utf-8", "surrogateescape") + b"\0" + hashlib.sha256(data_or_problem).digest()
            )
        if isinstance(data_or_problem, Problem):
            record: dict[str, Any] = {
                "id": name,
                "lat": None,
                "lon": None,
                "observed_at": None,
                "accuracy_m": None,
            }
            probs = [data_or_problem]
        else:
            before = len(thumbs)
            record, probs = photo_record(name, data_or_problem, Image, thumbs)
            if len(thumbs) > before and thumbs[-1] is not None:
                thumbnails[len(rows)] = thumbs[-1]
        if probs:
            problems[len(rows)] = probs
        rows.append((len(rows) + 1, record))
    if not rows:
        raise InputError(
            Text("photos.no_photos_found"),
            file=label,
            hint=Text("photos.give_folder_zip_files_hint", names=", ".join(PHOTO_SUFFIXES)),
        )
    cols = ["id", "lat", "lon", "observed_at", "accuracy_m"]
    reports = records_table(rows, cols, file=label, problems=problems, max_field_chars=max_field_chars)
    reports.sha256 = digest.hexdigest() if p.is_dir() else hashlib.sha256(data).hexdigest()
    reports.thumbnails = thumbnails
    return reports


__all__ = ["PHOTO_SUFFIXES", "photo_record", "read_photo_reports"]
